"""Work that must not block the reactor: CPU-bound extraction and blocking store writes.

Extraction (trafilatura, lxml) is CPU-bound: it runs in a process pool so that downloading,
parsing responses and writing to the store overlap with it and use the other cores. Store
writes are blocking I/O: they run in one dedicated thread, which also keeps them serialised
(one writer, as SQLite wants).
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
from dataclasses import dataclass

from crawler.extract import ExtractedArticle, extract_article
from store.hashing import fingerprints

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Extraction:
    """What the extraction worker sends back: the article and its text fingerprints."""

    article: ExtractedArticle
    simhash: int
    near_dup_keys: tuple[int, ...] | None


def extract_with_fingerprint(html: bytes, url: str) -> Extraction:
    """Run in a worker process: extraction plus the dedup fingerprints (one pass over the text)."""
    art = extract_article(html, url)
    if not art.text:
        return Extraction(art, 0, None)
    _, sh, keys = fingerprints(art.text)
    return Extraction(art, sh, keys)


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


def extraction_pool(workers: int | None = None) -> Executor:
    """A process pool for extraction (``workers``: default one per CPU but one, at least one).

    One core stays for the reactor and the store thread: oversubscribing made a 2-core crawl
    twice as slow in ``bench/crawl_bench.py``.

    Workers are forked when that is safe: before the reactor runs, while this process has one
    thread (the crawl's pipelines are created then). A forked worker starts in milliseconds
    with every library already imported; a spawned one re-imports the crawl's main module and
    the extraction libraries, which took 3 to 5 s of a 500-page crawl. Forking a process that
    runs the Twisted/asyncio reactor or other threads is unsafe, so otherwise: ``spawn``.
    """
    n = workers if workers is not None else max(1, (os.cpu_count() or 1) - 1)
    if n <= 0:
        return ThreadPoolExecutor(max_workers=1)  # in-process, for debugging
    method = "fork" if _fork_is_safe() else "spawn"
    log.debug("extraction pool: %d %s workers", n, method)
    return ProcessPoolExecutor(
        max_workers=n,
        mp_context=multiprocessing.get_context(method),
        initializer=_worker_init,
    )


def _fork_is_safe() -> bool:
    if "fork" not in multiprocessing.get_all_start_methods() or threading.active_count() > 1:
        return False
    # Not ``import``: importing twisted.internet.reactor would install one.
    reactor = sys.modules.get("twisted.internet.reactor")
    return not getattr(reactor, "running", False)


def _worker_init() -> None:
    """A forked worker behaves like a spawned one: Python's signal handlers, not the crawl's
    shutdown handlers, and warnings only (Scrapy leaves the root logger at NOTSET, which made a
    forked worker format trafilatura's debug messages for every page). And it dies with the
    crawl: a crawl killed with SIGKILL must not leave its workers sleeping for ever (they hold
    the pool's pipes open, so they never see end-of-file)."""
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


def store_thread() -> ThreadPoolExecutor:
    """The single thread that performs every store write of the crawl."""
    return ThreadPoolExecutor(max_workers=1, thread_name_prefix="ipwire-store")
