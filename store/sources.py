"""Sources, crawl runs and per-URL fetch state (the crawler's side of the store)."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Mapping
from datetime import UTC
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from store._sql import upsert_insert
from store.base import utcnow
from store.errors import InvalidData, NotFound
from store.models import CrawlRun, FetchState, Source
from store.vocab import SOURCE_KINDS

__all__ = [
    "close_dead_crawl_runs",
    "finish_crawl_run",
    "get_fetch_state",
    "set_fetch_state",
    "start_crawl_run",
    "upsert_source",
]

log = logging.getLogger(__name__)

# stats keys → crawl_run columns; everything is also kept verbatim in crawl_run.stats.
_STAT_COLUMNS = {
    "pages_fetched": "pages_fetched",
    "new": "articles_new",
    "duplicate": "articles_duplicate",
    "near_duplicate": "articles_near_duplicate",
    "not_modified": "not_modified",
    "robots_skipped": "robots_skipped",
    "failed": "articles_failed",
}


def upsert_source(
    session: Session, *, name: str, kind: str, url: str | None, config: Mapping[str, Any]
) -> Source:
    """Create the source called ``name`` or update its kind, URL and config.

    Returns:
        The source row (flushed, so ``id`` is set).

    Raises:
        InvalidData: ``kind`` is not one of feed, sitemap, listing, urls.
    """
    if kind not in SOURCE_KINDS:
        raise InvalidData(f"unknown source kind {kind!r}; expected one of {SOURCE_KINDS}")
    query = sa.select(Source).where(Source.name == name)
    src = session.scalars(query).one_or_none()
    if src is None:
        # Crawler processes started together (a distributed crawl) register the same sources
        # at the same moment: the loser of the insert race takes the winner's row.
        try:
            with session.begin_nested():
                src = Source(name=name, kind=kind, url=url, config=dict(config))
                session.add(src)
                session.flush()
            return src
        except IntegrityError:
            src = session.scalars(query.execution_options(populate_existing=True)).one()
            log.debug("source %s was registered by another process", name)
    if (src.kind, src.url, src.config) != (kind, url, dict(config)):
        src.kind, src.url, src.config = kind, url, dict(config)
    session.flush()
    return src


def start_crawl_run(session: Session, source_id: int, *, owner: str | None = None) -> CrawlRun:
    """Record the start of a crawl of one source (``outcome='running'``).

    Args:
        owner: ``host:pid`` of the crawl process, kept in ``stats.owner`` so that a later crawl
            can tell that this one died (see :func:`close_dead_crawl_runs`).
    """
    if session.get(Source, source_id) is None:
        raise NotFound(f"no source with id {source_id}")
    run = CrawlRun(
        source_id=source_id, started_at=utcnow(), stats={"owner": owner} if owner else {}
    )
    session.add(run)
    session.flush()
    return run


#: A run still "running" after this long is abandoned, wherever its process was.
ABANDON_AFTER = dt.timedelta(hours=24)


def close_dead_crawl_runs(
    session: Session,
    *,
    host: str,
    alive: Callable[[int], bool],
    abandon_after: dt.timedelta = ABANDON_AFTER,
) -> list[int]:
    """Close the runs whose crawl process died (SIGKILL, a crash, a reboot) without finishing.

    A run owned by a process of ``host`` that is no longer ``alive`` becomes ``killed``; a run
    of any host still running after ``abandon_after`` becomes ``abandoned``. Runs of live
    processes, and recent runs on other hosts (a distributed crawl), are left alone.

    Returns:
        The ids of the runs closed.
    """
    now = utcnow()
    closed: list[int] = []
    running = session.scalars(sa.select(CrawlRun).where(CrawlRun.outcome == "running")).all()
    for run in running:
        owner = str((run.stats or {}).get("owner") or "")
        run_host, _, pid = owner.rpartition(":")
        started = run.started_at if run.started_at.tzinfo else run.started_at.replace(tzinfo=UTC)
        if run_host == host and pid.isdigit() and not alive(int(pid)):
            outcome, why = "killed", f"the crawl process ({owner}) died before finishing"
        elif now - started > abandon_after:
            outcome, why = "abandoned", f"still running after {abandon_after}: presumed dead"
        else:
            continue
        run.outcome, run.finished_at = outcome, now
        run.errors = [*(run.errors or []), why]
        closed.append(run.id)
        log.warning("crawl run %s: %s", run.id, why)
    session.flush()
    return closed


def finish_crawl_run(
    session: Session,
    run_id: int,
    *,
    stats: Mapping[str, Any],
    errors: list[str],
    outcome: str,
) -> CrawlRun:
    """Record the end of a crawl run with its counters and errors.

    Args:
        session: the session.
        run_id: the id from :func:`start_crawl_run`.
        stats: counters such as ``pages_fetched``, ``new``, ``duplicate``, ``near_duplicate``,
            ``not_modified``, ``robots_skipped``, ``failed`` (ints) and ``failed_by_reason``
            (a dict reason → count). Unknown keys are kept in ``crawl_run.stats``.
        errors: error messages (stored as a JSON list).
        outcome: what happened, e.g. ``ok``, ``partial``, ``failed``.
    """
    run = session.get(CrawlRun, run_id)
    if run is None:
        raise NotFound(f"no crawl run with id {run_id}")
    for key, column in _STAT_COLUMNS.items():
        if key in stats:
            setattr(run, column, int(stats[key]))
    by_reason = stats.get("failed_by_reason")
    if isinstance(by_reason, Mapping):
        run.failed_by_reason = {str(k): int(v) for k, v in by_reason.items()}
    owner = (run.stats or {}).get("owner")
    run.stats = {"owner": owner, **stats} if owner else dict(stats)
    run.errors = [str(e) for e in errors]
    run.outcome = outcome
    run.finished_at = utcnow()
    session.flush()
    return run


def get_fetch_state(session: Session, url: str) -> FetchState | None:
    """The validators (ETag, Last-Modified) of the last fetch of ``url``, if any."""
    return session.get(FetchState, url)


def set_fetch_state(
    session: Session,
    url: str,
    *,
    etag: str | None,
    last_modified: str | None,
    status: int | None,
) -> None:
    """Remember the validators of a fetch of ``url`` (insert or replace; race-safe)."""
    values = {
        "url": url,
        "etag": etag,
        "last_modified": last_modified,
        "last_status": status,
        "fetched_at": utcnow(),
    }
    stmt = upsert_insert(session, FetchState).values(**values)
    stmt = stmt.on_conflict_do_update(
        index_elements=["url"], set_={k: v for k, v in values.items() if k != "url"}
    )
    session.execute(stmt)
    # The ORM identity map may hold a stale copy of the row.
    cached = session.identity_map.get(session.identity_key(FetchState, url))
    if cached is not None:
        session.expire(cached)
