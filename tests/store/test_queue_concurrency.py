"""Several worker processes share the queue: each article is claimed exactly once, and the
batch of a worker killed with SIGKILL is claimed again once its lease lapses."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker

from store import add_article, claim_batch, make_engine
from store.models import Article
from tests.store.conftest import article_in

WORKER = Path(__file__).with_name("claim_worker.py")
REPO = Path(__file__).resolve().parents[2]
# SKIP LOCKED is the point on PostgreSQL; SQLite shows that BEGIN IMMEDIATE is just as safe.
BOTH = [pytest.param("postgresql", marks=pytest.mark.postgres), "sqlite"]


def _bulk_articles(url: str, n: int) -> None:
    """Insert n plain articles quickly (the queue does not care how they arrived)."""
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(
            sa.insert(Article),
            [
                {
                    "canonical_url": f"https://q.example/{i}",
                    "url": f"https://q.example/{i}",
                    "title": f"A{i}",
                    "text": f"text {i}",
                    "content_hash": f"h{i}",
                }
                for i in range(n)
            ],
        )
    engine.dispose()


def _worker(*args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.Popen(
        [sys.executable, str(WORKER), *args], stdout=subprocess.PIPE, text=True, env=env
    )


@pytest.mark.parametrize("db_kind", BOTH, indirect=True)
def test_three_processes_claim_every_article_exactly_once(
    migrated_url: str, tmp_path: Path
) -> None:
    _bulk_articles(migrated_url, 1000)
    outs = [tmp_path / f"w{i}.json" for i in range(3)]
    procs = [
        _worker(migrated_url, f"w{i}", "drain", str(out), "25", "120") for i, out in enumerate(outs)
    ]
    for p in procs:
        assert p.wait(timeout=120) == 0
    claimed = [json.loads(out.read_text()) for out in outs]
    every = [aid for ids in claimed for aid in ids]
    assert len(every) == 1000
    assert len(set(every)) == 1000  # nobody claimed an article twice
    if migrated_url.startswith("postgresql"):
        assert all(len(ids) > 0 for ids in claimed)  # SKIP LOCKED lets all three work
    engine = make_engine(migrated_url)
    with engine.connect() as conn:
        states = dict(
            conn.execute(sa.text("SELECT state, count(*) FROM article GROUP BY state")).all()
        )
    assert states == {"done": 1000}
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM mention")).scalar_one() == 3000
        assert conn.execute(sa.text("SELECT count(*) FROM entity")).scalar_one() == 7
    engine.dispose()


@pytest.mark.parametrize("db_kind", BOTH, indirect=True)
def test_batch_of_a_killed_worker_is_reclaimed_after_the_lease(
    factory: sessionmaker[Session], migrated_url: str
) -> None:
    with factory.begin() as s:
        ids = [add_article(s, article_in(i)).article_id for i in range(8)]
    proc = _worker(migrated_url, "doomed", "hold", "5", "60")
    try:
        assert proc.stdout is not None
        held = json.loads(proc.stdout.readline())
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    assert held == ids[:5]
    with factory() as s:
        # While the lease holds, only the rest is available (taken for ten minutes).
        assert [a.id for a in claim_batch(s, "survivor", 10, 600, "test-1")] == ids[5:]
        # A minute later (by the clock the claim reads) the dead worker's lease has lapsed.
        later = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=61)
        assert [
            a.id for a in claim_batch(s, "survivor", 10, 60, "test-1", clock=lambda: later)
        ] == held
        rows = s.scalars(sa.select(Article).where(Article.id.in_(held))).all()
        assert {(r.lease_owner, r.attempts) for r in rows} == {("survivor", 2)}
