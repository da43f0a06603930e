"""Migrations: upgrade head, no drift, a full down/up round trip, and re-running is a no-op."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
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
    "v_incident_claims",
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
    assert current(db_url) == head() == "0008"
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


def test_0004_recomputes_fingerprints_of_stored_articles(db_url: str) -> None:
    """Articles stored before 0004 (with the old shingle hash, or before 0003 with no MinHash
    keys at all) get the fingerprints the store computes now, so near-copies still meet."""
    import datetime as dt

    from store import ArticleIn, add_article, make_session_factory, session_scope, upsert_source
    from store.hashing import bands, fingerprints

    upgrade(db_url, "0003")  # 0004 changes no schema: today's models fit 0003
    engine = make_engine(db_url)
    text = "A lab accused its rival of distilling its model through the paid API. " * 6
    try:
        with session_scope(make_session_factory(engine)) as s:
            sid = upsert_source(s, name="s", kind="urls", url=None, config={}).id
            for n in range(2):
                add_article(
                    s,
                    ArticleIn(
                        source_id=sid,
                        url=f"https://e.example/{n}",
                        canonical_url=f"https://e.example/{n}",
                        title="t",
                        text=text if n == 0 else "",
                        published_at=None,
                        fetched_at=dt.datetime.now(dt.UTC),
                    ),
                )
        with engine.begin() as conn:  # what an older release left: stale or missing values
            conn.execute(
                sa.text(
                    "UPDATE article SET simhash = 12345, simhash_band0 = 57, near_dup_key0 = NULL,"
                    " near_dup_key1 = 7 WHERE text <> ''"
                )
            )
        upgrade(db_url)
        with engine.connect() as conn:
            rows = conn.execute(
                sa.text(
                    "SELECT simhash, simhash_band0, simhash_band1, simhash_band2, simhash_band3,"
                    " near_dup_key0, near_dup_key1, near_dup_key2, near_dup_key3 "
                    "FROM article ORDER BY id"
                )
            ).all()
    finally:
        engine.dispose()
    _, sh, keys = fingerprints(text)
    assert keys is not None
    assert tuple(rows[0]) == (sh, *bands(sh), *keys)
    assert tuple(rows[1]) == (None,) * 9  # no words, no fingerprints


_UPGRADE_AT = """
import sys, time
from store.migrate import upgrade
time.sleep(max(0.0, float(sys.argv[2]) - time.time()))  # all start at the same instant
upgrade(sys.argv[1])
"""


@pytest.mark.postgres
def test_concurrent_upgrades_of_a_fresh_database_are_serialised(pg_url: str) -> None:
    # Two `ipwire run --once` started together: each used to see an empty database and run the
    # first migration; the second crashed with UniqueViolation. The advisory lock makes the
    # later ones wait and then find nothing to do.
    start_at = f"{time.time() + 3:.3f}"
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _UPGRADE_AT, pg_url, start_at],
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for _ in range(3)
    ]
    errors = [p.communicate(timeout=120)[1] for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0], "\n".join(errors)
    assert current(pg_url) == head()
    assert check(pg_url) == []
