"""Item pipelines, one responsibility each: extract → filter → persist (through ``store``).

Extraction runs in a process pool and store writes in one dedicated thread (see
``crawler.workers``): the reactor only schedules, so downloads continue while pages are parsed.
"""

from __future__ import annotations

import asyncio
import logging
import os
from concurrent.futures import Executor
from typing import Any

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from crawler.items import ArticleItem
from crawler.storeio import StoreGateway
from crawler.urls import normalize_url
from crawler.workers import extract_with_fingerprint, extraction_pool, store_thread, warm_up
from store import AddResult

log = logging.getLogger(__name__)

MIN_TEXT_CHARS = 200


class _WithCrawler:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Any:
        return cls(crawler)

    def count(self, key: str) -> None:
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value(f"ipwire/{key}")

    def note(self, message: str) -> None:
        spider = self.crawler.spider
        if spider is not None and hasattr(spider, "errors"):
            spider.errors.append(message)


class ExtractPipeline(_WithCrawler):
    """Body, title, date, authors and canonical URL from the page (``crawler.extract``)."""

    _pool: Executor | None = None  # one pool per crawl process, shared by every spider

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.pool(crawler)  # workers start while the spider fetches its robots.txt and feed

    @classmethod
    def pool(cls, crawler: Crawler) -> Executor:
        if cls._pool is None:
            workers = crawler.settings.getint("IPWIRE_EXTRACT_WORKERS", -1)
            n = workers if workers >= 0 else max(1, (os.cpu_count() or 1) - 1)
            cls._pool = extraction_pool(n)
            warm_up(cls._pool, n)
        return cls._pool

    async def process_item(self, item: ArticleItem) -> ArticleItem:
        loop = asyncio.get_running_loop()
        try:
            result = await loop.run_in_executor(
                self.pool(self.crawler), extract_with_fingerprint, item.html, item.final_url
            )
        except Exception as e:  # a crashed worker is this page's failure, not the crawl's
            self.count("failed/extraction_error")
            self.note(f"article {item.url}: extraction_error ({type(e).__name__})")
            raise DropItem(f"extraction failed for {item.url}: {e!r}") from None
        art = result.article
        if len(art.text) < MIN_TEXT_CHARS:
            self.count("failed/no_article_text")
            self.note(f"article {item.url}: no_article_text")
            raise DropItem(f"no article text extracted from {item.url}")
        ItemAdapter(item).update(
            {
                "canonical_url": normalize_url(art.canonical_url or item.final_url),
                "title": art.title or item.hint_title or "",
                "text": art.text,
                "published_at": art.published_at or item.hint_published_at,
                "authors": list(art.authors),
                "language": art.language,
                "site_name": art.site_name,
                "description": art.description,
                "simhash": result.simhash,
                "near_dup_keys": result.near_dup_keys,
            }
        )
        item.html = b""  # the page is no longer needed; keep memory flat on long crawls
        return item


class KeywordFilterPipeline(_WithCrawler):
    """Drops articles matching none of the source's ``keywords`` (when it has any)."""

    def process_item(self, item: ArticleItem) -> ArticleItem:
        spider = self.crawler.spider
        keywords = getattr(getattr(spider, "source", None), "keywords", ())
        if keywords:
            haystack = f"{item.title}\n{item.text}".casefold()
            if not any(k.casefold() in haystack for k in keywords):
                self.count("skipped/keyword_filter")
                raise DropItem(f"no keyword of the source in {item.url}")
        return item


class PersistPipeline(_WithCrawler):
    """Stores the article; the store decides new / duplicate / near-duplicate.

    Articles are written in batches: an item waits at most ``IPWIRE_STORE_BATCH_WAIT_S``
    (0.2 s) or until ``IPWIRE_STORE_BATCH`` (50) items are waiting, and the batch is one
    transaction. One commit per article cost as much as the insert itself. Crash safety is
    unchanged: an article whose batch was not committed is not in the store, so the next run
    fetches it again.
    """

    _thread: Executor | None = None

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        settings = crawler.settings
        self.gateway = StoreGateway(settings["IPWIRE_DATABASE_URL"])
        self.max_distance = settings.getint("IPWIRE_NEAR_DUP_MAX_DISTANCE", 3)
        self.batch_size = max(1, settings.getint("IPWIRE_STORE_BATCH", 50))
        self.batch_wait = settings.getfloat("IPWIRE_STORE_BATCH_WAIT_S", 0.2)
        self._pending: list[tuple[int, ArticleItem, asyncio.Future[AddResult]]] = []
        self._timer: asyncio.TimerHandle | None = None

    @classmethod
    def thread(cls) -> Executor:
        if cls._thread is None:
            cls._thread = store_thread()
        return cls._thread

    async def process_item(self, item: ArticleItem) -> ArticleItem:
        source_id = getattr(self.crawler.spider, "source_id", None)
        assert source_id is not None, "RunAccounting opens the crawl run before items flow"
        loop = asyncio.get_running_loop()
        done: asyncio.Future[AddResult] = loop.create_future()
        self._pending.append((source_id, item, done))
        if len(self._pending) >= self.batch_size:
            self._flush()
        elif self._timer is None:
            self._timer = loop.call_later(self.batch_wait, self._flush)
        result = await done
        key = {
            "new": "new",
            "duplicate_url": "duplicate",
            "duplicate_content": "duplicate",
            "near_duplicate": "near_duplicate",
        }[result.status]
        self.count(key)
        log.debug("%s → article %s (%s)", item.url, result.article_id, result.status)
        return item

    def _flush(self) -> None:
        """Hand the waiting items to the store thread as one batch."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        batch, self._pending = self._pending, []
        if not batch:
            return
        pairs = [(source_id, item) for source_id, item, _ in batch]
        futures = [done for _, _, done in batch]
        written = asyncio.get_running_loop().run_in_executor(
            self.thread(), self.gateway.add_many, pairs, self.max_distance
        )

        def settle(f: asyncio.Future[list[AddResult | Exception]]) -> None:
            error = f.exception()
            for i, done in enumerate(futures):
                if done.done():
                    continue
                outcome = error if error is not None else f.result()[i]
                if isinstance(outcome, BaseException):
                    done.set_exception(outcome)
                else:
                    done.set_result(outcome)

        written.add_done_callback(settle)
