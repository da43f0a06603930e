"""The process stage: leased batches of articles → NLP → annotations saved idempotently.

Any number of these loops may run at once, on one machine (``--workers N`` starts N processes)
or on several against one PostgreSQL: each claims its own leased batch (``FOR UPDATE SKIP
LOCKED``); a worker that dies leaves a lease that expires, and its batch is claimed again.
A failure on one article is recorded on that article and the batch goes on.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import socket
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from ipwire.config import Settings
from ipwire.jobs import stop
from store import (
    claim_batch,
    is_retryable,
    make_engine,
    make_session_factory,
    mark_failed,
    release_batch,
    requeue_failed,
    run_transaction,
    save_annotations_batch,
    seed_entities,
    session_scope,
)
from store.errors import describe

if TYPE_CHECKING:
    from nlp.analyze import Analyzer

log = logging.getLogger(__name__)


class WorkerDied(RuntimeError):
    """A ``--workers`` process died (killed, out of memory) before finishing its batches."""


class DatabaseLost(RuntimeError):
    """The database went away while processing; leases expire and a rerun resumes the work."""


def _connection_lost(exc: BaseException) -> bool:
    """A failure of the database connection itself, not of one article's data."""
    return isinstance(exc, OperationalError | InterfaceError) or (
        isinstance(exc, DBAPIError) and exc.connection_invalidated
    )


@dataclass
class ProcessResult:
    processed: int = 0
    failed: int = 0
    relevant: int = 0
    deferred: int = 0  # left in the queue after losing every retry of a deadlock
    batches: int = 0
    seconds: float = 0.0
    # What the clustering after each batch did (so that a report can say where incidents came
    # from: the cluster stage that follows usually finds nothing left).
    clustered: int = 0
    incidents_new: int = 0
    incidents_updated: int = 0

    def as_counts(self) -> dict[str, Any]:
        counts = asdict(self)
        counts["seconds"] = round(self.seconds, 3)
        return counts

    def add(self, other: ProcessResult) -> None:
        self.processed += other.processed
        self.failed += other.failed
        self.relevant += other.relevant
        self.deferred += other.deferred
        self.batches += other.batches
        self.clustered += other.clustered
        self.incidents_new += other.incidents_new
        self.incidents_updated += other.incidents_updated

    def add_clustering(self, articles: int, new: int, updated: int) -> None:
        """Count one clustering run made during processing."""
        self.clustered += articles
        self.incidents_new += new
        self.incidents_updated += updated


def default_worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


def _record_failure(
    factory: sessionmaker[Session], article_id: int, error: str, version: str
) -> None:
    run_transaction(factory, lambda s: mark_failed(s, article_id, error, version))


def seed_kb(settings: Settings) -> int:
    """Make sure every knowledge-base entity is in the store (idempotent)."""
    from nlp.kb import iter_seed_records

    factory = make_session_factory(make_engine(settings.database_url))
    with session_scope(factory) as s:
        return seed_entities(s, iter_seed_records())


def process_loop(
    settings: Settings,
    *,
    limit: int | None = None,
    batch_size: int | None = None,
    reprocess: bool = False,
    worker_id: str | None = None,
    analyzer: Analyzer | None = None,
    on_batch: Callable[[ProcessResult], None] | None = None,
) -> ProcessResult:
    """Claim and process batches until none is left (or ``limit`` articles are done)."""
    if analyzer is None:
        from nlp.analyze import Analyzer

        analyzer = Analyzer.load(settings.nlp.model)
    worker_id = worker_id or default_worker_id()
    size = batch_size or settings.nlp.batch_size
    factory = make_session_factory(make_engine(settings.database_url))
    version = analyzer.version
    total = ProcessResult()
    t0 = time.monotonic()
    if reprocess:
        with session_scope(factory) as s:
            requeued = requeue_failed(s)
        log.info("re-queued %d failed article(s)", requeued)
    try:
        while limit is None or total.processed + total.failed < limit:
            stop.checkpoint()  # a SIGTERM stops here or between articles, never mid-commit
            want = size if limit is None else min(size, limit - total.processed - total.failed)
            with session_scope(factory) as s:
                batch = claim_batch(
                    s, worker_id, want, settings.nlp.lease_seconds, analyzer.version
                )
            if not batch:
                break
            step = ProcessResult(batches=1)
            items = [(a.text or "", a.title) for a in batch]
            for art, ann in zip(batch, analyzer.analyze_many(items, batch_size=size), strict=True):
                stop.checkpoint()
                error = getattr(ann, "error", None)
                try:
                    if error:
                        _record_failure(factory, art.id, error, version)
                    else:
                        save_annotations_batch(factory, [(art.id, ann)], version)
                except Exception as e:  # a bad row must not stop the batch
                    if is_retryable(e):
                        # A deadlock that every retry lost says nothing about the article:
                        # leave it leased; release_batch (or the lease) returns it to the queue.
                        step.deferred += 1
                        log.warning("article %s deferred: %s", art.id, str(e).splitlines()[0])
                        continue
                    if _connection_lost(e):
                        # Not this article's fault: don't mark it failed; stop, and let the
                        # lease return it to the pool.
                        raise DatabaseLost(
                            f"lost the database while saving article {art.id}: {describe(e)}"
                        ) from e
                    log.exception("saving annotations of article %s failed", art.id)
                    error = f"save failed: {type(e).__name__}: {e}"
                    _record_failure(factory, art.id, error, version)
                if error:
                    step.failed += 1
                    log.warning("article %s failed: %s", art.id, error)
                else:
                    step.processed += 1
                    step.relevant += int(ann.relevant)
            total.add(step)
            if on_batch is not None:
                on_batch(step)
    except DBAPIError as e:
        if not _connection_lost(e):
            raise
        raise DatabaseLost(f"lost the database: {describe(e)}") from e
    finally:
        # A clean stop (Ctrl-C, SIGTERM → SystemExit) gives back what was not processed; with
        # the database gone this cannot work, and the leases expire instead.
        try:
            with session_scope(factory) as s:
                release_batch(s, worker_id)
        except Exception as e:
            log.warning("could not give back the leased batch (%s); its lease will expire", e)
    total.seconds = time.monotonic() - t0
    return total


def _worker_main(config_path: str | None, env_url: str, kwargs: dict[str, Any]) -> dict[str, Any]:
    from ipwire.config import load_settings

    settings = load_settings(config_path, env={**os.environ, "IPWIRE_DATABASE_URL": env_url})
    return process_loop(settings, **kwargs).as_counts()


def process_pending(
    settings: Settings,
    *,
    limit: int | None = None,
    batch_size: int | None = None,
    workers: int = 1,
    reprocess: bool = False,
    on_batch: Callable[[ProcessResult], None] | None = None,
) -> ProcessResult:
    """Process every pending article with ``workers`` processes; cluster after each batch.

    Args:
        settings: the loaded settings.
        limit: stop after about this many articles (per worker when ``workers > 1``).
        batch_size: articles per claimed batch (default ``nlp.batch_size``).
        workers: worker processes, each with its own pipeline and its own leases.
        reprocess: also retry articles whose processing failed.
        on_batch: called after each batch in this process (progress display).
    """
    from ipwire.jobs.cluster import cluster_pending

    seed_kb(settings)
    t0 = time.monotonic()
    clustering = ProcessResult()
    if workers <= 1:

        def after_batch(step: ProcessResult) -> None:
            # Incidents follow the news batch by batch (a no-op when nothing was processed).
            if step.processed:
                try:
                    c = cluster_pending(settings)
                    clustering.add_clustering(c.articles, c.incidents_new, c.incidents_updated)
                except (OperationalError, InterfaceError) as exc:
                    # the database went away: one line here; the loop's next call reports it
                    log.warning("clustering after a batch failed: %s", describe(exc))
                except Exception:  # the cluster stage retries; processing must go on
                    log.exception("clustering after a batch failed")
            if on_batch is not None:
                on_batch(step)

        result = process_loop(
            settings, limit=limit, batch_size=batch_size, reprocess=reprocess, on_batch=after_batch
        )
    else:
        ctx = multiprocessing.get_context("spawn")
        if reprocess:  # once here, not in every worker
            factory = make_session_factory(make_engine(settings.database_url))
            with session_scope(factory) as s:
                requeue_failed(s)
        kwargs = {"limit": limit, "batch_size": batch_size, "reprocess": False}
        config = str(settings.config_path) if settings.config_path else None
        # concurrent.futures, not multiprocessing.Pool: a worker killed by the OOM killer or
        # kill -9 raises BrokenProcessPool here instead of hanging for ever. Its leased batch
        # returns to the pool when the lease expires.
        try:
            with ProcessPoolExecutor(workers, mp_context=ctx) as pool:
                futures = [
                    pool.submit(_worker_main, config, settings.database_url, kwargs)
                    for _ in range(workers)
                ]
                parts = [f.result() for f in futures]
        except BrokenProcessPool as e:
            raise WorkerDied(
                "a worker process died; its leased articles return after "
                f"[nlp] lease_seconds ({settings.nlp.lease_seconds}s): run again ({e})"
            ) from e
        result = ProcessResult()
        for p in parts:
            result.add(ProcessResult(**{k: v for k, v in p.items() if k != "seconds"}))
        if result.processed:  # once, here: concurrent clustering runs would race
            c = cluster_pending(settings)
            clustering.add_clustering(c.articles, c.incidents_new, c.incidents_updated)
    result.add(clustering)
    result.seconds = time.monotonic() - t0
    return result
