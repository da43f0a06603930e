"""Work that must not run in the reactor's process: extraction, fingerprints and store writes.

The crawl process only downloads: every article page goes, in small batches, to a pool of
worker processes, and each worker runs the page's stages in order — extract (trafilatura,
lxml), keyword filter, fingerprints, store — and sends back one small :class:`Outcome` per
page. Extraction is CPU-bound and the store writes are blocking Python (SQLAlchemy): in the
reactor's process they competed with downloading for one interpreter lock, and the reactor's
process was the crawl's bottleneck (``bench/crawl_bench.py``).

Store writes from the workers of one crawl are serialised by one lock (one writer at a time,
as SQLite wants), so that a near-copy never races its original past the near-duplicate check.
Crawls in other processes or on other machines are kept apart by the store itself (unique
keys, a savepoint around each insert).
"""

from __future__ import annotations

import ctypes
import logging
import multiprocessing
import os
import signal
import sys
import threading
import time
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from crawler.extract import ExtractedArticle, extract_article
from crawler.keywords import keyword_matcher
from crawler.storeio import StoreGateway, forget_engines
from crawler.urls import normalize_url
from store import ArticleIn
from store.hashing import fingerprints

log = logging.getLogger(__name__)

#: An extracted body shorter than this is not an article (a paywall stub, an index page).
MIN_TEXT_CHARS = 200


@dataclass(frozen=True)
class Extraction:
    """An extracted article and its text fingerprints."""

    article: ExtractedArticle
    content_hash: str | None
    simhash: int
    near_dup_keys: tuple[int, ...] | None


def extract_with_fingerprint(
    html: bytes, url: str, content_type: str | None = None, site_name_hint: str | None = None
) -> Extraction:
    """Extraction plus the dedup fingerprints (one pass over the text).

    Args:
        html: The page as fetched.
        url: The page's final URL.
        content_type: The response's ``Content-Type`` header (its charset decodes the page).
        site_name_hint: The outlet's name from the feed, for pages that do not name themselves.
    """
    art = extract_article(html, url, declared_charset=content_type, site_name_hint=site_name_hint)
    if not art.text:
        return Extraction(art, None, 0, None)
    chash, sh, keys = fingerprints(art.text)
    return Extraction(art, chash, sh, keys)


@dataclass(frozen=True)
class PageIn:
    """A fetched article page as the crawl process hands it to a worker."""

    source_id: int
    url: str
    final_url: str
    html: bytes
    fetched_at: datetime
    hint_title: str | None = None
    hint_published_at: datetime | None = None
    keywords: tuple[str, ...] = field(default=())
    hint_site_name: str | None = None
    content_type: str | None = None


OutcomeKind = Literal["new", "duplicate", "near_duplicate", "failed", "skipped"]

_STORE_STATUS: dict[str, OutcomeKind] = {
    "new": "new",
    "duplicate_url": "duplicate",
    "duplicate_content": "duplicate",
    "near_duplicate": "near_duplicate",
}


@dataclass(frozen=True)
class Outcome:
    """What became of one page: stored (``new`` …) with its article id, or why not."""

    kind: OutcomeKind
    reason: str | None = None  # for failed/skipped: the counter's name, e.g. no_article_text
    article_id: int | None = None
    detail: str | None = None


@dataclass
class _WorkerState:
    database_url: str | None = None
    near_dup_max_distance: int = 3
    store_lock: Any = None  # a multiprocessing lock shared by the crawl's workers


_STATE = _WorkerState()


def process_pages(pages: list[PageIn]) -> list[Outcome]:
    """Run in a worker: extract → keyword filter → fingerprints → store, for each page.

    The pages that survive the filters are stored in one transaction (see
    ``StoreGateway.add_many``). Never raises for one page's sake: a page that cannot be
    extracted or stored gets a ``failed`` outcome with its reason.
    """
    outcomes: list[Outcome | None] = [None] * len(pages)
    keep: list[tuple[int, ArticleIn]] = []
    for i, page in enumerate(pages):
        try:
            result = extract_with_fingerprint(
                page.html, page.final_url, page.content_type, page.hint_site_name
            )
        except Exception as e:  # extract_article does not raise; a bug must cost one page only
            outcomes[i] = Outcome("failed", "extraction_error", detail=f"{type(e).__name__}: {e}")
            continue
        art = result.article
        if len(art.text) < MIN_TEXT_CHARS:
            outcomes[i] = Outcome("failed", "no_article_text")
            continue
        title = art.title or page.hint_title or ""
        matcher = keyword_matcher(page.keywords) if page.keywords else None
        if matcher and not matcher.matches(f"{title}\n{art.text}"):
            outcomes[i] = Outcome("skipped", "keyword_filter")
            continue
        keep.append(
            (
                i,
                ArticleIn(
                    source_id=page.source_id,
                    url=page.url,
                    canonical_url=normalize_url(art.canonical_url or page.final_url),
                    title=title,
                    text=art.text,
                    published_at=art.published_at or page.hint_published_at,
                    fetched_at=page.fetched_at,
                    authors=list(art.authors),
                    language=art.language,
                    site_name=art.site_name,
                    description=art.description,
                    simhash=result.simhash,
                    near_dup_keys=result.near_dup_keys,
                    content_hash=result.content_hash,
                ),
            )
        )
    if keep:
        try:
            results = _store([a for _, a in keep])
        except Exception as e:  # the store as a whole: unreachable, not migrated, …
            results = [e] * len(keep)
        for (i, _), stored in zip(keep, results, strict=True):
            if isinstance(stored, BaseException):
                detail = f"{type(stored).__name__}: {stored}".splitlines()[0][:300]
                outcomes[i] = Outcome("failed", "store_error", detail=detail)
            else:
                outcomes[i] = Outcome(_STORE_STATUS[stored.status], article_id=stored.article_id)
    return [o if o is not None else Outcome("failed", "extraction_error") for o in outcomes]


def _store(arts: list[ArticleIn]) -> list[Any]:
    if _STATE.database_url is None:
        raise RuntimeError("the worker was not told which database to write to")
    gateway = StoreGateway(_STATE.database_url)
    lock = _STATE.store_lock
    if lock is None:
        return gateway.add_many(arts, _STATE.near_dup_max_distance)
    with lock:
        return gateway.add_many(arts, _STATE.near_dup_max_distance)


_WARM_UP_PAGE = (
    b"<html><head><title>Warm-up</title></head><body><article><p>"
    + b"A short paragraph that loads the extraction libraries. " * 8
    + b"</p></article></body></html>"
)


def warm_up(pool: Executor, workers: int) -> None:
    """Start every worker of ``pool`` now and have it import the extraction libraries.

    A spawned worker imports the crawl's main module, trafilatura, lxml and friends: seconds.
    Doing it while the reactor starts and fetches robots.txt and the feed, instead of when the
    first article arrives, takes that time off the crawl (``bench/crawl_bench.py``).
    """
    for _ in range(max(1, workers)):
        pool.submit(extract_with_fingerprint, _WARM_UP_PAGE, "http://warm-up.invalid/")


def extraction_pool(
    workers: int | None = None, *, database_url: str | None = None, near_dup_max_distance: int = 3
) -> Executor:
    """The pool of page workers (``workers``: default one per CPU, at least one).

    ``workers=0`` runs the pages in one thread of this process (for debugging).

    Workers are forked when that is safe: before the reactor runs, while this process has one
    thread (the crawl's pipelines are created then). A forked worker starts in milliseconds
    with every library already imported; a spawned one re-imports the crawl's main module and
    the extraction libraries, which took 3 to 5 s of a 500-page crawl. Forking a process that
    runs the Twisted/asyncio reactor or other threads is unsafe, so otherwise: ``spawn``.
    """
    n = workers if workers is not None else max(1, os.cpu_count() or 1)
    if n <= 0:
        _configure(database_url, near_dup_max_distance, None)
        return ThreadPoolExecutor(max_workers=1)  # in-process, for debugging
    method = "fork" if _fork_is_safe() else "spawn"
    context = multiprocessing.get_context(method)
    log.debug("page pool: %d %s workers", n, method)
    return ProcessPoolExecutor(
        max_workers=n,
        mp_context=context,
        initializer=_worker_init,
        initargs=(database_url, near_dup_max_distance, context.Lock()),
    )


def _configure(database_url: str | None, near_dup_max_distance: int, lock: Any) -> None:
    _STATE.database_url = database_url
    _STATE.near_dup_max_distance = near_dup_max_distance
    _STATE.store_lock = lock


def _fork_is_safe() -> bool:
    if "fork" not in multiprocessing.get_all_start_methods() or threading.active_count() > 1:
        return False
    # Not ``import``: importing twisted.internet.reactor would install one.
    reactor = sys.modules.get("twisted.internet.reactor")
    return not getattr(reactor, "running", False)


def _worker_init(database_url: str | None, near_dup_max_distance: int, lock: Any) -> None:
    """A forked worker behaves like a spawned one: Python's signal handlers, not the crawl's
    shutdown handlers, and warnings only (Scrapy leaves the root logger at NOTSET, which made a
    forked worker format trafilatura's debug messages for every page). And it dies with the
    crawl: a crawl killed with SIGKILL must not leave its workers sleeping for ever (they hold
    the pool's pipes open, so they never see end-of-file). Engines made by the parent before
    the fork are forgotten: a database connection must not be shared between processes."""
    forget_engines()
    _configure(database_url, near_dup_max_distance, lock)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    logging.getLogger().setLevel(logging.WARNING)
    _die_with_parent()


PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    """Exit when the crawl process dies: the kernel's parent-death signal, else a watcher."""
    parent = os.getppid()
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL) == 0:
                if os.getppid() != parent:  # the parent died before the call took effect
                    os._exit(1)
                return
        except (OSError, AttributeError):
            pass  # no prctl here: watch instead

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(1)

    threading.Thread(target=watch, daemon=True, name="ipwire-parent-watch").start()
