"""``ipwire cluster`` end to end on SQLite: the command, its output, idempotence, --rebuild."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from incident_stories import acme_borg, cyra_dunmore, store_story

from ipwire.cli import cli
from store import make_engine, make_session_factory, session_scope


def test_cluster_command(
    migrated_sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = migrated_sqlite_url
    engine = make_engine(url)
    with session_scope(make_session_factory(engine)) as s:
        for story in (acme_borg(1, 0), acme_borg(2, 1), cyra_dunmore(3, 2)):
            store_story(s, story)
    engine.dispose()
    monkeypatch.setenv("IPWIRE_DATABASE_URL", url)
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    first = runner.invoke(cli, ["cluster"])
    assert first.exit_code == 0, first.output
    assert "clustered 3 article(s)" in first.output
    assert "2 new incident(s)" in first.output
    again = runner.invoke(cli, ["cluster"])
    assert "clustered 0 article(s)" in again.output
    assert "0 new incident(s)" in again.output
    rebuilt = runner.invoke(cli, ["cluster", "--rebuild"])
    assert rebuilt.exit_code == 0
    assert "(rebuilt)" in rebuilt.output
    assert "2 updated" in rebuilt.output
