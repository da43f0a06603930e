"""The NLP work queue: workers claim leased batches of articles; a dead worker's lease lapses.

PostgreSQL: each candidate query is ``SELECT … FOR UPDATE SKIP LOCKED``, so concurrent workers
never wait for, nor take, each other's rows; the lease is written and committed before the work
starts. SQLite has one writer at a time: the claim runs in ``BEGIN IMMEDIATE`` (see
``store.engine``), which takes the write lock before reading, so two processes cannot select
the same rows.

Lease times come from the worker's clock (UTC); keep worker clocks in sync (NTP) when several
machines share a PostgreSQL store.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from store._sql import dialect_name
from store.base import utcnow
from store.errors import NotFound
from store.models import Article

__all__ = ["ArticleForNlp", "claim_batch", "mark_failed", "release_batch"]

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ArticleForNlp:
    """What a worker needs to analyse one article."""

    id: int
    title: str | None
    text: str


def _candidates(
    now: dt.datetime, nlp_version: str, reprocess: bool, max_attempts: int
) -> list[sa.ColumnElement[bool]]:
    """Candidate predicates in priority order; each matches an index on ``state``."""
    preds: list[sa.ColumnElement[bool]] = [
        Article.state == "new",
        sa.and_(
            Article.state == "processing",
            Article.lease_expires_at < now,
            Article.attempts < max_attempts,
        ),
        # Written as < or > (not !=) so PostgreSQL can use the (state, nlp_version) index.
        sa.and_(
            Article.state == "done",
            sa.or_(
                Article.nlp_version < nlp_version,
                Article.nlp_version > nlp_version,
                Article.nlp_version.is_(None),
            ),
        ),
    ]
    if reprocess:
        preds.append(Article.state == "failed")
    return preds


def claim_batch(
    session: Session,
    worker_id: str,
    size: int,
    lease_seconds: int,
    nlp_version: str,
    reprocess: bool = False,
    *,
    max_attempts: int = 5,
    clock: Callable[[], dt.datetime] = utcnow,
) -> list[ArticleForNlp]:
    """Lease up to ``size`` articles to ``worker_id`` and commit the lease.

    Candidates, in this order: new articles; articles whose lease expired (their worker died),
    unless claimed ``max_attempts`` times already (a poison article must not loop forever);
    processed articles whose ``nlp_version`` differs from ``nlp_version``; and failed articles
    when ``reprocess`` is set. Near-duplicates (``skipped``) are never claimed.

    The session's pending work is committed with the claim: the lease must be visible to other
    workers before the analysis starts, and no lock may be held while it runs.

    ``clock`` gives the current UTC time: leases expire against it and new ones are written
    from it (a test passes a later time instead of waiting for a lease to lapse).

    Returns:
        The claimed articles, in id order (empty when there is nothing to do).
    """
    if size < 1:
        return []
    pg = dialect_name(session) == "postgresql"
    if not pg and not session.in_transaction():
        # Even in a read-only factory, the claim must hold the write lock before it reads.
        session.connection(execution_options={"sqlite_begin": "IMMEDIATE"})
    now = clock()
    ids: list[int] = []
    for pred in _candidates(now, nlp_version, reprocess, max_attempts):
        if len(ids) >= size:
            break
        q = sa.select(Article.id).where(pred).order_by(Article.id).limit(size - len(ids))
        if pg:
            q = q.with_for_update(skip_locked=True)
        ids.extend(session.scalars(q))
    if not ids:
        session.commit()
        return []
    session.execute(
        sa.update(Article)
        .where(Article.id.in_(ids))
        .values(
            state="processing",
            lease_owner=worker_id,
            lease_expires_at=now + dt.timedelta(seconds=lease_seconds),
            attempts=Article.attempts + 1,
        )
        .execution_options(synchronize_session=False)
    )
    rows = session.execute(
        sa.select(Article.id, Article.title, Article.text)
        .where(Article.id.in_(ids))
        .order_by(Article.id)
    ).all()
    session.commit()
    log.debug("worker %s claimed %d articles", worker_id, len(rows))
    return [ArticleForNlp(r.id, r.title, r.text) for r in rows]


def mark_failed(session: Session, article_id: int, error: str, nlp_version: str) -> None:
    """Record that NLP failed on an article; it is retried only with ``reprocess``."""
    art = session.get(Article, article_id)
    if art is None:
        raise NotFound(f"no article with id {article_id}")
    art.state = "failed"
    art.error = error[:10_000]
    art.nlp_version = nlp_version
    art.processed_at = utcnow()
    art.lease_owner = None
    art.lease_expires_at = None
    session.flush()


def release_batch(session: Session, worker_id: str) -> int:
    """Give back every article still leased to ``worker_id`` (a clean shutdown).

    Returns:
        How many articles went back to ``new``.
    """
    result = session.execute(
        sa.update(Article)
        .where(Article.state == "processing", Article.lease_owner == worker_id)
        .values(state="new", lease_owner=None, lease_expires_at=None)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def requeue_failed(session: Session) -> int:
    """Put every failed article back in the queue once (``ipwire process --reprocess``).

    Resetting them up front, rather than claiming failed articles in every round, means an
    article that fails again stays failed instead of being retried for ever in one run.

    Returns:
        How many articles went back to ``new``.
    """
    result = session.execute(
        sa.update(Article)
        .where(Article.state == "failed")
        .values(state="new", attempts=0, error=None, lease_owner=None, lease_expires_at=None)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
