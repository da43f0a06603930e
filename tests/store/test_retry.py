"""Deadlocks are retried, a bounded number of times, with jitter; batches save entities first."""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker

from nlp.types import Annotations, Entity, Mention
from store import NotFound, add_article, is_retryable, run_transaction, save_annotations_batch
from store.errors import describe
from store.models import Article
from store.models import Entity as EntityRow
from store.models import Mention as MentionRow
from tests.store.conftest import article_in


class _FakeDriverError(Exception):
    def __init__(self, sqlstate: str) -> None:
        super().__init__(f"fake driver error {sqlstate}")
        self.sqlstate = sqlstate


def _wrapped(sqlstate: str) -> sa.exc.OperationalError:
    return sa.exc.OperationalError("UPDATE t SET x = 1", {}, _FakeDriverError(sqlstate))


@pytest.mark.parametrize("db_kind", ["sqlite"], indirect=True)
def test_retries_are_bounded_and_jittered(factory: sessionmaker[Session]) -> None:
    pauses: list[float] = []
    calls = 0

    def always_deadlocks(_s: Session) -> None:
        nonlocal calls
        calls += 1
        raise _wrapped("40P01")

    with pytest.raises(sa.exc.OperationalError) as caught:
        run_transaction(factory, always_deadlocks, attempts=4, base_delay=0.1, sleep=pauses.append)
    assert is_retryable(caught.value)
    assert calls == 4
    assert len(pauses) == 3
    assert all(0 <= p <= 0.1 * 2**n for n, p in enumerate(pauses, start=1))
    assert "run the command again" in describe(caught.value)


@pytest.mark.parametrize("db_kind", ["sqlite"], indirect=True)
def test_other_errors_are_not_retried(factory: sessionmaker[Session]) -> None:
    calls = 0

    def unique_violation(_s: Session) -> None:
        nonlocal calls
        calls += 1
        raise sa.exc.IntegrityError("INSERT", {}, _FakeDriverError("23505"))

    with pytest.raises(sa.exc.IntegrityError):
        run_transaction(factory, unique_violation, sleep=lambda _p: None)
    assert calls == 1


@pytest.mark.postgres
@pytest.mark.parametrize("db_kind", ["postgresql"], indirect=True)
def test_a_real_deadlock_is_retried_until_both_commit(factory: sessionmaker[Session]) -> None:
    with factory.begin() as s:
        s.add_all(
            EntityRow(id=i, name=i, type="ORG", aliases=[], is_kb=False) for i in ("ent-a", "ent-b")
        )
    barrier = threading.Barrier(2, timeout=20)
    attempts = {"ab": 0, "ba": 0}
    errors: list[BaseException] = []

    def lock_both(order: str) -> None:
        def work(s: Session) -> None:
            attempts[order] += 1
            first, second = (f"ent-{c}" for c in order)
            s.execute(sa.update(EntityRow).where(EntityRow.id == first).values(description=order))
            if attempts[order] == 1:
                barrier.wait()  # both hold their first row: the second updates deadlock
            s.execute(sa.update(EntityRow).where(EntityRow.id == second).values(description=order))

        try:
            run_transaction(factory, work, attempts=3)
        except BaseException as e:  # reported below, in the test's thread
            errors.append(e)

    threads = [threading.Thread(target=lock_both, args=(o,)) for o in ("ab", "ba")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    assert sorted(attempts.values()) == [1, 2]  # PostgreSQL aborted one; its retry committed
    with factory() as s:
        winner = {o for o, n in attempts.items() if n == 2}.pop()
        assert set(s.scalars(sa.select(EntityRow.description))) == {winner}


def _ann(*entity_ids: str) -> Annotations:
    return Annotations(
        nlp_version="test-1",
        relevant=False,
        relevance=0.0,
        entities=tuple(Entity(id=i, name=i.upper(), type="ORG") for i in entity_ids),
        mentions=tuple(Mention(i, n, n + 3, i, 0) for n, i in enumerate(entity_ids)),
    )


@pytest.mark.parametrize(
    "db_kind", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True
)
def test_batch_saves_all_or_nothing_after_committing_its_entities(
    factory: sessionmaker[Session],
) -> None:
    with factory.begin() as s:
        a1 = add_article(s, article_in(1)).article_id
        a2 = add_article(s, article_in(2)).article_id
    with pytest.raises(NotFound):
        save_annotations_batch(
            factory, [(a1, _ann("ent-x", "ent-y")), (10**9, _ann("ent-z"))], "v1"
        )
    with factory() as s:
        # The entities went in their own transaction first; the annotations are all or nothing.
        assert set(s.scalars(sa.select(EntityRow.id))) >= {"ent-x", "ent-y", "ent-z"}
        assert s.scalar(sa.select(sa.func.count()).select_from(MentionRow)) == 0
        assert s.get(Article, a1).state == "new"  # type: ignore[union-attr]
    save_annotations_batch(factory, [(a1, _ann("ent-y", "ent-x")), (a2, _ann("ent-x"))], "v1")
    with factory() as s:
        assert s.scalar(sa.select(sa.func.count()).select_from(MentionRow)) == 3
        states = set(s.scalars(sa.select(Article.state).where(Article.id.in_([a1, a2]))))
        assert states == {"done"}
