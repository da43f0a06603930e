"""claim_batch / mark_failed / release_batch on both databases (single process)."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker

from nlp.types import Annotations
from store import add_article, claim_batch, mark_failed, release_batch, save_annotations
from store.models import Article
from tests.store.conftest import article_in

V1, V2 = "1.0", "2.0"


def _done(s: Session, aid: int, version: str) -> None:
    save_annotations(
        s, aid, Annotations(nlp_version=version, relevant=True, relevance=1.0), version
    )


def _fill(factory: sessionmaker[Session], n: int) -> list[int]:
    with factory.begin() as s:
        return [add_article(s, article_in(i)).article_id for i in range(n)]


def test_claims_new_articles_once_in_id_order(factory: sessionmaker[Session]) -> None:
    ids = _fill(factory, 5)
    with factory() as s:
        first = claim_batch(s, "w1", 3, 60, V1)
        second = claim_batch(s, "w2", 3, 60, V1)
        third = claim_batch(s, "w3", 3, 60, V1)
    assert [a.id for a in first] == ids[:3]
    assert [a.id for a in second] == ids[3:]
    assert third == []
    assert first[0].title == "Story 0"
    assert "Zentrix" in first[0].text
    with factory() as s:
        row = s.get(Article, ids[0])
        assert row is not None
        assert (row.state, row.lease_owner, row.attempts) == ("processing", "w1", 1)
        assert row.lease_expires_at is not None
        assert row.lease_expires_at > dt.datetime.now(dt.UTC)


def test_expired_lease_is_reclaimed(factory: sessionmaker[Session]) -> None:
    ids = _fill(factory, 2)
    with factory() as s:
        assert len(claim_batch(s, "dead", 2, 60, V1)) == 2
        assert claim_batch(s, "alive", 2, 60, V1) == []
        # A minute later, by the clock the claim reads, the dead worker's lease has lapsed.
        later = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=61)
        again = claim_batch(s, "alive", 5, 60, V1, clock=lambda: later)
    assert [a.id for a in again] == ids
    with factory() as s:
        assert {r.lease_owner for r in s.scalars(sa.select(Article))} == {"alive"}


def test_poison_article_stops_after_max_attempts(factory: sessionmaker[Session]) -> None:
    _fill(factory, 1)
    expired = sa.update(Article).values(lease_expires_at=dt.datetime(2000, 1, 1, tzinfo=dt.UTC))
    with factory() as s:
        for _ in range(3):
            assert len(claim_batch(s, "w", 1, 60, V1, max_attempts=3)) == 1
            s.execute(expired)
            s.commit()
        assert claim_batch(s, "w", 1, 60, V1, max_attempts=3) == []


def test_new_nlp_version_reprocesses_done_articles(factory: sessionmaker[Session]) -> None:
    ids = _fill(factory, 2)
    with factory() as s:
        for a in claim_batch(s, "w", 10, 60, V1):
            _done(s, a.id, V1)
        s.commit()
        assert claim_batch(s, "w", 10, 60, V1) == []
        assert [a.id for a in claim_batch(s, "w", 10, 60, V2)] == ids


def test_failed_only_with_reprocess_and_skipped_never(factory: sessionmaker[Session]) -> None:
    with factory.begin() as s:
        a = add_article(s, article_in(1, simhash=0)).article_id
        near = add_article(s, article_in(2, simhash=1))
    assert near.status == "near_duplicate"
    with factory() as s:
        assert [x.id for x in claim_batch(s, "w", 10, 60, V1)] == [a]
        mark_failed(s, a, "boom", V1)
        s.commit()
        row = s.get(Article, a)
        assert row is not None
        assert (row.state, row.error, row.lease_owner) == (
            "failed",
            "boom",
            None,
        )
        assert claim_batch(s, "w", 10, 60, V1) == []
        assert [x.id for x in claim_batch(s, "w", 10, 60, V1, reprocess=True)] == [a]


def test_release_batch_returns_articles_to_the_pool(factory: sessionmaker[Session]) -> None:
    ids = _fill(factory, 3)
    with factory() as s:
        claim_batch(s, "w1", 2, 600, V1)
        assert release_batch(s, "w1") == 2
        s.commit()
        assert [a.id for a in claim_batch(s, "w2", 5, 600, V1)] == ids
