"""Migrations: upgrade head, no drift, a full down/up round trip, and re-running is a no-op."""

from __future__ import annotations

import sqlalchemy as sa

from store import make_engine
from store.migrate import check, current, downgrade, head, script_location, upgrade
from store.models import Base

VIEWS = {
    "v_articles",
    "v_claims",
    "v_incidents",
    "v_incident_parties",
    "v_incident_timeline",
    "v_entity_mentions",
}


def _tables_and_views(url: str) -> tuple[set[str], set[str]]:
    engine = make_engine(url)
    try:
        insp = sa.inspect(engine)
        return set(insp.get_table_names()), set(insp.get_view_names())
    finally:
        engine.dispose()


def test_upgrade_head_creates_everything_without_drift(db_url: str) -> None:
    assert current(db_url) is None
    upgrade(db_url)
    assert current(db_url) == head() == "0003"
    tables, views = _tables_and_views(db_url)
    assert set(Base.metadata.tables) <= tables
    assert views == VIEWS
    assert check(db_url) == []


def test_downgrade_to_base_and_back(db_url: str) -> None:
    upgrade(db_url)
    downgrade(db_url, "base")
    tables, views = _tables_and_views(db_url)
    assert tables <= {"alembic_version"}
    assert views == set()
    upgrade(db_url)
    assert check(db_url) == []


def test_upgrade_twice_is_a_no_op(db_url: str) -> None:
    upgrade(db_url)
    upgrade(db_url)
    assert current(db_url) == head()
    assert check(db_url) == []


def test_check_reports_an_unmigrated_database_and_drift(db_url: str) -> None:
    problems = check(db_url)
    assert any(f"migrations head is {head()}" in p for p in problems)
    assert any("add_table" in p for p in problems)
    upgrade(db_url)
    engine = make_engine(db_url)
    with engine.begin() as conn:
        conn.execute(sa.text("DROP INDEX ix_claim_published_at"))
    engine.dispose()
    assert any("ix_claim_published_at" in p for p in check(db_url))


def test_scripts_are_found_in_the_source_tree() -> None:
    loc = script_location()
    assert (loc / "env.py").is_file()
    assert any(loc.joinpath("versions").glob("0001_*.py"))
