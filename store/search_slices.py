"""Query windows of search sources: what a run asked about, and which slices are done.

A search source (``kind = "search"``) asks a news-search API about time windows. A slice of a
window is *done* once the API was asked and every article it listed was stored or failed; a done
slice is never asked again. A run records its whole window in ``crawl_run`` and, when it ends,
whether every slice of it was done: the next scheduled run starts where the last complete one
ended, and only asks about the parts of its window no done slice covers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from store.base import utcnow
from store.errors import NotFound
from store.models import CrawlRun, SearchSlice, Source

__all__ = [
    "DoneSlice",
    "close_search_window",
    "done_slices",
    "last_complete_window_end",
    "record_done_slice",
    "set_search_window",
    "window_progress",
]


@dataclass(frozen=True)
class DoneSlice:
    """A done slice of a search source's query window."""

    start_at: dt.datetime
    end_at: dt.datetime
    results: int
    is_capped: bool


def set_search_window(
    session: Session, run_id: int, start: dt.datetime, end: dt.datetime, *, is_backfill: bool
) -> None:
    """Record the window a search run asks about (``[start, end)``)."""
    run = session.get(CrawlRun, run_id)
    if run is None:
        raise NotFound(f"no crawl run with id {run_id}")
    run.window_start_at, run.window_end_at, run.is_backfill = start, end, is_backfill
    session.flush()


def close_search_window(session: Session, run_id: int, *, complete: bool) -> None:
    """Say whether every slice of the run's window was done when it finished."""
    run = session.get(CrawlRun, run_id)
    if run is None:
        raise NotFound(f"no crawl run with id {run_id}")
    run.is_window_complete = complete
    session.flush()


def last_complete_window_end(session: Session, source_id: int) -> dt.datetime | None:
    """End of the newest scheduled (not backfill) run of the source whose window was complete."""
    query = sa.select(sa.func.max(CrawlRun.window_end_at)).where(
        CrawlRun.source_id == source_id,
        CrawlRun.is_window_complete.is_(True),
        CrawlRun.is_backfill.is_(False),
    )
    value = session.execute(query).scalar_one_or_none()
    if value is None:
        return None
    # A bare aggregate loses the column type on SQLite: the text comes back unconverted.
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def done_slices(
    session: Session, source_id: int, start: dt.datetime, end: dt.datetime
) -> list[DoneSlice]:
    """The done slices of the source that overlap ``[start, end)``, by start."""
    query = (
        sa.select(SearchSlice)
        .where(
            SearchSlice.source_id == source_id,
            SearchSlice.start_at < end,
            SearchSlice.end_at > start,
        )
        .order_by(SearchSlice.start_at)
    )
    return [DoneSlice(s.start_at, s.end_at, s.results, s.is_capped) for s in session.scalars(query)]


def record_done_slice(
    session: Session,
    *,
    source_id: int,
    run_id: int | None,
    start: dt.datetime,
    end: dt.datetime,
    results: int,
    articles_requested: int,
    is_capped: bool = False,
) -> None:
    """Record that the slice ``[start, end)`` of the source's query is done."""
    if end <= start:
        raise ValueError(f"empty slice: {start.isoformat()} to {end.isoformat()}")
    session.add(
        SearchSlice(
            source_id=source_id,
            crawl_run_id=run_id,
            start_at=start,
            end_at=end,
            results=results,
            articles_requested=articles_requested,
            is_capped=is_capped,
            done_at=utcnow(),
        )
    )
    session.flush()


def window_progress(
    session: Session, source_names: list[str], start: dt.datetime, end: dt.datetime
) -> tuple[float, int]:
    """How much of ``[start, end)`` the done slices of the named sources cover.

    Returns:
        The covered seconds summed over the sources, and the number of done slices.
    """
    covered, count = 0.0, 0
    for name in source_names:
        source_id = session.scalar(sa.select(Source.id).where(Source.name == name))
        if source_id is None:
            continue
        cursor = start
        for s in done_slices(session, source_id, start, end):
            count += 1
            lo, hi = max(s.start_at, cursor), min(s.end_at, end)
            if hi > lo:
                covered += (hi - lo).total_seconds()
                cursor = hi
    return covered, count
