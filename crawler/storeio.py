"""The crawler's only door to the database: a thin adapter over ``store``'s public API.

One engine per process and database URL; every call is its own short transaction, so a crawl
killed at any moment leaves only whole rows behind.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from store import (
    AddResult,
    ArticleIn,
    add_article,
    close_dead_crawl_runs,
    finish_crawl_run,
    get_fetch_state,
    known_urls,
    make_engine,
    make_session_factory,
    session_scope,
    set_fetch_state,
    start_crawl_run,
    upsert_source,
)
from store.articles import add_articles
from store.search_slices import (
    close_search_window,
    done_slices,
    last_complete_window_end,
    record_done_slice,
    set_search_window,
)

from .spec import SourceSpec

log = logging.getLogger(__name__)


_FACTORIES: dict[str, sessionmaker[Session]] = {}


def _factory(database_url: str) -> sessionmaker[Session]:
    factory = _FACTORIES.get(database_url)
    if factory is None:
        factory = _FACTORIES[database_url] = make_session_factory(make_engine(database_url))
    return factory


def forget_engines() -> None:
    """In a forked child: drop the parent's engines without closing its connections.

    A pooled connection belongs to the process that opened it; the child makes its own
    (SQLAlchemy's advice for multiprocessing: ``Engine.dispose(close=False)``).
    """
    for factory in _FACTORIES.values():
        bind = factory.kw.get("bind")
        if bind is not None:
            bind.dispose(close=False)
    _FACTORIES.clear()


class StoreGateway:
    """What spiders, pipelines and the accounting extension need from the store."""

    def __init__(self, database_url: str) -> None:
        self.factory = _factory(database_url)

    def known(self, urls: Iterable[str]) -> set[str]:
        urls = list(urls)
        if not urls:
            return set()
        with session_scope(self.factory) as s:
            return set(known_urls(s, urls))

    def validators(self, url: str) -> tuple[str | None, str | None]:
        """The ETag and Last-Modified remembered for ``url`` (for a conditional GET)."""
        with session_scope(self.factory) as s:
            state = get_fetch_state(s, url)
            if state is None:
                return None, None
            return state.etag, state.last_modified

    def save_validators(self, states: dict[str, tuple[str | None, str | None, int]]) -> None:
        with session_scope(self.factory) as s:
            for url, (etag, last_modified, status) in states.items():
                set_fetch_state(s, url, etag=etag, last_modified=last_modified, status=status)

    def start_run(self, source: SourceSpec) -> tuple[int, int]:
        """Register the source and open a ``crawl_run``; returns ``(source_id, run_id)``.

        Runs left ``running`` by crawl processes of this host that died (SIGKILL, a crash) are
        closed first, as ``killed``.
        """
        config = {
            k: v
            for k, v in source.__dict__.items()
            if k not in ("name", "kind", "url", "since", "until")  # a run's window, not config
        }
        host = socket.gethostname()
        with session_scope(self.factory) as s:
            close_dead_crawl_runs(s, host=host, alive=_pid_alive)
            src = upsert_source(
                s, name=source.name, kind=source.kind, url=source.url, config=_jsonable(config)
            )
            run = start_crawl_run(s, src.id, owner=f"{host}:{os.getpid()}")
            return src.id, run.id

    def finish_run(
        self, run_id: int, *, stats: dict[str, Any], errors: list[str], outcome: str
    ) -> None:
        with session_scope(self.factory) as s:
            finish_crawl_run(s, run_id, stats=stats, errors=errors, outcome=outcome)

    # -- search sources ------------------------------------------------------------------------
    def last_complete_window_end(self, source_id: int) -> datetime | None:
        with session_scope(self.factory) as s:
            return last_complete_window_end(s, source_id)

    def done_spans(
        self, source_id: int, start: datetime, end: datetime
    ) -> list[tuple[datetime, datetime]]:
        """The done slices of the source overlapping ``[start, end)``."""
        with session_scope(self.factory) as s:
            return [(d.start_at, d.end_at) for d in done_slices(s, source_id, start, end)]

    def set_search_window(
        self, run_id: int, start: datetime, end: datetime, *, is_backfill: bool
    ) -> None:
        with session_scope(self.factory) as s:
            set_search_window(s, run_id, start, end, is_backfill=is_backfill)

    def close_search_window(self, run_id: int, *, complete: bool) -> None:
        with session_scope(self.factory) as s:
            close_search_window(s, run_id, complete=complete)

    def slice_done(self, source_id: int, run_id: int | None, **fields: Any) -> None:
        """Record a done slice (see :func:`store.search_slices.record_done_slice`)."""
        with session_scope(self.factory) as s:
            record_done_slice(s, source_id=source_id, run_id=run_id, **fields)

    def add_many(
        self, arts: list[ArticleIn], near_dup_max_distance: int
    ) -> list[AddResult | Exception]:
        """Store ``arts`` in one transaction; one result per article, in order.

        One commit per batch instead of per article. Should the batch fail, each article is
        retried in its own transaction so that one bad article costs only itself (its
        exception takes the place of its result). A crawl killed before the commit loses the
        batch whole, and the next run fetches those pages again (they are not in the store).
        """
        try:
            with session_scope(self.factory) as s:
                return list(add_articles(s, arts, near_dup_max_distance=near_dup_max_distance))
        except Exception:
            if len(arts) == 1:
                raise
            log.warning("a batch of %d articles failed; storing them one by one", len(arts))
        results: list[AddResult | Exception] = []
        for art in arts:
            try:
                with session_scope(self.factory) as s:
                    results.append(add_article(s, art, near_dup_max_distance=near_dup_max_distance))
            except Exception as e:  # reported per page by the pipeline
                results.append(e)
        return results


def _pid_alive(pid: int) -> bool:
    """Whether a process with this id exists on this host (signal 0 checks, sends nothing)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    return True


def _jsonable(value: Any) -> Any:
    if isinstance(value, tuple | list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    return value
