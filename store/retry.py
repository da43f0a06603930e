"""Retrying a transaction that the database aborted to break a deadlock or a serialization conflict.

PostgreSQL picks one victim when two transactions wait on each other (SQLSTATE ``40P01``) and
aborts a transaction that cannot be serialized (``40001``). Neither says anything about the
data: the same transaction, run again a moment later, normally succeeds. Retrying is bounded
(a transaction that keeps losing is a real problem, and the caller must hear of it) and
jittered (two workers that collided must not collide again at the same instant).

SQLite has one writer at a time and never reports a deadlock; its ``database is locked`` comes
after the busy timeout has already waited, so it is not retried here.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from typing import TypeVar

import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker

from store.engine import session_scope

__all__ = ["RETRYABLE_SQLSTATES", "is_retryable", "run_transaction"]

log = logging.getLogger(__name__)

T = TypeVar("T")

RETRYABLE_SQLSTATES = frozenset({"40P01", "40001"})  # deadlock_detected, serialization_failure


def _sqlstate(exc: BaseException) -> str | None:
    orig = exc.orig if isinstance(exc, sa.exc.DBAPIError) else exc
    # psycopg 3 names it ``sqlstate``, psycopg2 ``pgcode``.
    state = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
    return str(state) if state else None


def is_retryable(exc: BaseException) -> bool:
    """The database aborted the transaction to resolve a deadlock or serialization conflict."""
    return isinstance(exc, sa.exc.DBAPIError) and _sqlstate(exc) in RETRYABLE_SQLSTATES


def run_transaction(
    factory: sessionmaker[Session],
    work: Callable[[Session], T],
    *,
    attempts: int = 5,
    base_delay: float = 0.05,
    max_delay: float = 2.0,
    sleep: Callable[[float], None] = time.sleep,
) -> T:
    """Run ``work(session)`` in one transaction; run it again if it lost a deadlock.

    Each attempt gets a fresh session (the aborted one holds stale state). The pause before
    attempt *n* is drawn uniformly from ``[0, min(max_delay, base_delay * 2**n)]`` ("full
    jitter"), so colliding workers spread out.

    Args:
        factory: the session factory.
        work: the transaction's body; it must be safe to run again after a rollback (no side
            effects outside the database).
        attempts: how many times to try in all (at least 1).
        base_delay: seconds; the first pause is at most this long.
        max_delay: seconds; no pause is longer.
        sleep: the pause (tests pass a fake).

    Returns:
        What ``work`` returned in the attempt that committed.

    Raises:
        sqlalchemy.exc.DBAPIError: the last deadlock or serialization failure, when every
            attempt lost; any other error at once.
    """
    for attempt in range(1, max(1, attempts) + 1):
        try:
            with session_scope(factory) as session:
                return work(session)
        except sa.exc.DBAPIError as e:
            if not is_retryable(e) or attempt >= attempts:
                raise
            pause = random.uniform(0, min(max_delay, base_delay * 2**attempt))
            log.info(
                "transaction aborted (%s, attempt %d of %d); retrying in %.3fs",
                _sqlstate(e),
                attempt,
                attempts,
                pause,
            )
            sleep(pause)
    raise AssertionError("unreachable")  # pragma: no cover
