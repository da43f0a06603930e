"""The report queries on both databases: the same site and briefing from SQLite and PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from ipwire.jobs.publish import build_site, make_briefing
from tests.reports.conftest import report_settings
from tests.reports.seed import seed_world


@pytest.mark.parametrize("db_kind", ["sqlite", "postgresql"])
def test_site_and_briefing_on_both_databases(
    factory: sessionmaker[Session], store_url: str, tmp_path: Path
) -> None:
    seed_world(factory)
    settings = report_settings(tmp_path, store_url)
    stats = build_site(settings, out=tmp_path / "site").stats
    assert stats.incidents == 3
    assert stats.entities == 9
    assert build_site(settings, out=tmp_path / "site").stats.rendered == 0
    incidents = json.loads((tmp_path / "site/exports/incidents.json").read_text())
    by_slug = {i["slug"]: i for i in incidents}
    zentrix = by_slug["2026-zentrix-labs-quillon-ai-distillation"]
    # Four claim sentences, two distinct claims (type, accuser, accused).
    assert (zentrix["article_count"], zentrix["claim_count"], zentrix["mention_count"]) == (3, 2, 4)
    assert zentrix["accusers"] == ["Zentrix Labs"]
    assert zentrix["accused"] == ["Quillon AI"]
    home = (tmp_path / "site/index.html").read_text()
    assert "<rect" in home  # the weekly trend has bars
    result = make_briefing(settings, out=tmp_path / "brief")
    assert (result.developments, result.is_empty) == (3, False)
    text = (tmp_path / "brief" / f"briefing-{result.date}-default.txt").read_text()
    assert "Quillon AI (entity): 2 articles" in text
