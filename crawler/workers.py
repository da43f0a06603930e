"""Work that must not block the reactor: CPU-bound extraction and blocking store writes.

Extraction (trafilatura, lxml) is CPU-bound: it runs in a process pool so that downloading,
parsing responses and writing to the store overlap with it and use the other cores. Store
writes are blocking I/O: they run in one dedicated thread, which also keeps them serialised
(one writer, as SQLite wants).
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass

from crawler.extract import ExtractedArticle, extract_article
from store.hashing import fingerprints


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


def extraction_pool(workers: int | None = None) -> Executor:
    """A process pool for extraction (``workers``: default one per CPU but one, at least one).

    One core stays for the reactor and the store thread: oversubscribing made a 2-core crawl
    twice as slow in ``bench/crawl_bench.py``.

    ``spawn`` children: forking a process that runs the Twisted/asyncio reactor is unsafe.
    """
    n = workers if workers is not None else max(1, (os.cpu_count() or 1) - 1)
    if n <= 0:
        return ThreadPoolExecutor(max_workers=1)  # in-process, for debugging
    return ProcessPoolExecutor(max_workers=n, mp_context=multiprocessing.get_context("spawn"))


def store_thread() -> ThreadPoolExecutor:
    """The single thread that performs every store write of the crawl."""
    return ThreadPoolExecutor(max_workers=1, thread_name_prefix="ipwire-store")
