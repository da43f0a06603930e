"""Run accounting: each run of each source opens and closes one ``crawl_run`` row."""

from __future__ import annotations

import logging
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler

from crawler.spiders.base import SourceSpider

log = logging.getLogger(__name__)

# Summaries of the runs finished in this process, in order (read by crawler.run).
FINISHED: list[dict[str, Any]] = []

COUNTERS = (
    "new",
    "duplicate",
    "near_duplicate",
    "not_modified",
    "already_stored",
    "already_queued",
    "feed_malformed_partial",
)


def summarize(stats: dict[str, Any]) -> dict[str, Any]:
    """The ``crawl_run`` figures from Scrapy's stats of one spider."""
    failed = {
        k.removeprefix("ipwire/failed/"): int(v)
        for k, v in stats.items()
        if k.startswith("ipwire/failed/")
    }
    skipped = {
        k.removeprefix("ipwire/skipped/"): int(v)
        for k, v in stats.items()
        if k.startswith("ipwire/skipped/")
    }
    out: dict[str, Any] = {
        "pages_fetched": int(stats.get("downloader/response_count", 0)),
        **{c: int(stats.get(f"ipwire/{c}", 0)) for c in COUNTERS},
        "robots_skipped": skipped.get("robots", 0),
        "skipped": sum(skipped.values()),
        "skipped_by_reason": skipped,
        "failed": sum(failed.values()),
        "failed_by_reason": failed,
        "retries": int(stats.get("retry/count", 0)),
    }
    return out


class RunAccounting:
    """Scrapy extension: registers the source, opens the run, and closes it with its figures.

    Feed/sitemap validators (ETag, Last-Modified) are saved only when the run finished cleanly.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RunAccounting:
        return cls(crawler)

    def spider_opened(self, spider: SourceSpider) -> None:
        try:
            spider.source_id, spider.run_id = spider.gateway.start_run(spider.source)
        except Exception as e:  # the store is unreachable: every page will fail, visibly
            message = f"cannot register the crawl run: {type(e).__name__}: {e}".splitlines()[0]
            log.error("%s: %s", spider.source.name, message)
            spider.errors.append(message)

    def spider_closed(self, spider: SourceSpider, reason: str) -> None:
        assert self.crawler.stats is not None
        figures = summarize(self.crawler.stats.get_stats())
        if spider.run_id is None:
            FINISHED.append(
                {"source": spider.source.name, "run_id": None, "outcome": "failed", **figures}
            )
            log.error("crawl of %s failed: %s", spider.source.name, spider.errors[:1])
            return
        outcome = "ok" if reason == "finished" else reason
        if figures["failed"] and outcome == "ok":
            outcome = "partial"
        if reason == "finished" and spider.pending_validators:
            spider.gateway.save_validators(spider.pending_validators)
        errors = spider.errors[-200:]
        spider.gateway.finish_run(spider.run_id, stats=figures, errors=errors, outcome=outcome)
        FINISHED.append(
            {"source": spider.source.name, "run_id": spider.run_id, "outcome": outcome, **figures}
        )
        log.info("crawl of %s: %s %s", spider.source.name, outcome, figures)
