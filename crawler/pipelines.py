"""The item pipeline: hands each fetched article page to the page workers and counts the outcome.

The page's stages — extract, keyword filter, fingerprints, store — run in a worker process
(``crawler.workers.process_pages``); the crawl process only downloads and schedules. Pages go
in small batches: an item waits at most ``IPWIRE_PAGE_BATCH_WAIT_S`` (0.1 s) or until
``IPWIRE_PAGE_BATCH`` (16) pages are waiting, and each batch is stored in one transaction (one
commit per article cost as much as the insert itself). Crash safety: an article whose batch was
not committed is not in the store, so the next run fetches it again.
"""

from __future__ import annotations

import asyncio
import logging
import os
from concurrent.futures import Executor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from crawler.items import ArticleItem
from crawler.workers import Outcome, PageIn, extraction_pool, process_pages, warm_up

log = logging.getLogger(__name__)


class ArticlePipeline:
    """Extract, filter and store every article page (in the page workers)."""

    # One pool per crawl process, shared by every spider (sources) of the crawl.
    _pool: Executor | None = None

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        settings = crawler.settings
        self.batch_size = max(1, settings.getint("IPWIRE_PAGE_BATCH", 16))
        self.batch_wait = settings.getfloat("IPWIRE_PAGE_BATCH_WAIT_S", 0.1)
        self._pending: list[tuple[PageIn, asyncio.Future[Outcome]]] = []
        self._timer: asyncio.TimerHandle | None = None
        self.pool()  # workers start while the spider fetches its robots.txt and feed

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArticlePipeline:
        return cls(crawler)

    def pool(self) -> Executor:
        cls = type(self)
        if cls._pool is None:
            settings = self.crawler.settings
            workers = settings.getint("IPWIRE_PAGE_WORKERS", -1)
            n = workers if workers >= 0 else max(1, os.cpu_count() or 1)
            cls._pool = extraction_pool(
                n,
                database_url=settings["IPWIRE_DATABASE_URL"],
                near_dup_max_distance=settings.getint("IPWIRE_NEAR_DUP_MAX_DISTANCE", 3),
            )
            warm_up(cls._pool, n)
        return cls._pool

    async def process_item(self, item: ArticleItem) -> ArticleItem:
        spider = self.crawler.spider
        source_id = getattr(spider, "source_id", None)
        if source_id is None:  # the run could not be registered (RunAccounting logged why)
            self._count("failed/no_crawl_run")
            raise DropItem(f"{item.url}: the source has no crawl run; not stored")
        source = getattr(spider, "source", None)
        page = PageIn(
            source_id=source_id,
            url=item.url,
            final_url=item.final_url,
            html=item.html,
            fetched_at=item.fetched_at,
            hint_title=item.hint_title,
            hint_published_at=item.hint_published_at,
            hint_site_name=item.hint_site_name,
            content_type=item.content_type,
            keywords=tuple(getattr(source, "keywords", ()) or ()),
        )
        item.html = b""  # the worker has the page now; keep this process's memory flat
        loop = asyncio.get_running_loop()
        done: asyncio.Future[Outcome] = loop.create_future()
        self._pending.append((page, done))
        if len(self._pending) >= self.batch_size:
            self._flush()
        elif self._timer is None:
            self._timer = loop.call_later(self.batch_wait, self._flush)
        outcome = await done
        item.status = outcome.kind
        item.article_id = outcome.article_id
        if outcome.kind in ("failed", "skipped"):
            self._count(f"{outcome.kind}/{outcome.reason}")
            if outcome.kind == "failed":
                detail = f" ({outcome.detail})" if outcome.detail else ""
                self._note(f"article {item.url}: {outcome.reason}{detail}")
            raise DropItem(f"{item.url}: {outcome.kind}, {outcome.reason}")
        self._count(outcome.kind)
        return item

    def _count(self, key: str) -> None:
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value(f"ipwire/{key}")

    def _note(self, message: str) -> None:
        spider = self.crawler.spider
        if spider is not None and hasattr(spider, "errors"):
            spider.errors.append(message)

    def _flush(self) -> None:
        """Send the waiting pages to a worker as one batch."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        batch, self._pending = self._pending, []
        if not batch:
            return
        pages = [page for page, _ in batch]
        futures = [done for _, done in batch]
        try:
            work = asyncio.get_running_loop().run_in_executor(self.pool(), process_pages, pages)
        except BrokenProcessPool as e:
            self._replace_broken_pool()
            self._settle(futures, e)
            return

        def settle(f: asyncio.Future[list[Outcome]]) -> None:
            error = f.exception()
            if isinstance(error, BrokenProcessPool):
                self._replace_broken_pool()
            self._settle(futures, error if error is not None else f.result())

        work.add_done_callback(settle)

    @staticmethod
    def _settle(futures: list[asyncio.Future[Outcome]], result: Any) -> None:
        for i, done in enumerate(futures):
            if done.done():
                continue
            if isinstance(result, BaseException):
                # A worker died (killed, out of memory) or failed as a whole: its pages failed,
                # the crawl goes on.
                reason = "worker_died" if isinstance(result, BrokenProcessPool) else "worker_error"
                detail = f"{type(result).__name__}: {result}".splitlines()[0][:300]
                done.set_result(Outcome("failed", reason, detail=detail))
            else:
                done.set_result(result[i])

    def _replace_broken_pool(self) -> None:
        """A worker died and took the pool with it: the next batch gets a new pool."""
        cls = type(self)
        if cls._pool is not None:
            log.warning("a page worker died; starting a new pool")
            cls._pool.shutdown(wait=False, cancel_futures=True)
            cls._pool = None
