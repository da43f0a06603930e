"""The report queries on both databases: the same site and briefing from SQLite and PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

from ipwire.jobs.publish import build_site, make_briefing
from store import make_engine, make_session_factory
from store.migrate import upgrade
from tests.reports.conftest import make_settings
from tests.reports.seed import seed_world


def test_site_and_briefing_on_both_databases(db_url: str, tmp_path: Path) -> None:
    upgrade(db_url)
    engine = make_engine(db_url)
    try:
        seed_world(make_session_factory(engine))
    finally:
        engine.dispose()
    settings = make_settings(tmp_path, db_url)
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
