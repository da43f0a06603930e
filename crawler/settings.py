"""Scrapy settings built from a :class:`~crawler.spec.CrawlSpec` (polite by default)."""

from __future__ import annotations

from typing import Any

from crawler.spec import CrawlOptions, SourceSpec


def base_settings(options: CrawlOptions, database_url: str) -> dict[str, Any]:
    """Settings shared by every source of one crawl."""
    settings: dict[str, Any] = {
        "BOT_NAME": "ipwire",
        "USER_AGENT": options.user_agent,
        "ROBOTSTXT_OBEY": options.obey_robots,
        "DOWNLOAD_DELAY": options.download_delay,
        "DOWNLOAD_DELAY_JITTER": 0.5,  # the delay varies by ±50 %, like a reader's clicks
        "CONCURRENT_REQUESTS": 16,
        # Scrapy runs CONCURRENT_ITEMS asyncio tasks for every response's output (default 100)
        # although an article page yields one item: a third of the reactor's time per page in
        # bench/crawl_bench.py. Items still overlap across responses.
        "CONCURRENT_ITEMS": 8,
        "CONCURRENT_REQUESTS_PER_DOMAIN": options.concurrency_per_domain,
        "AUTOTHROTTLE_ENABLED": options.autothrottle,
        "AUTOTHROTTLE_START_DELAY": max(options.download_delay, 0.1),
        "AUTOTHROTTLE_TARGET_CONCURRENCY": float(options.concurrency_per_domain),
        "DOWNLOAD_TIMEOUT": options.timeout_s,
        "DOWNLOAD_MAXSIZE": options.max_page_bytes,
        "DOWNLOAD_WARNSIZE": 0,
        "RETRY_ENABLED": True,
        "RETRY_TIMES": options.retries,
        "REDIRECT_MAX_TIMES": 5,
        "COOKIES_ENABLED": False,
        "TELNETCONSOLE_ENABLED": False,
        "LOG_LEVEL": "WARNING",
        # Middlewares that do nothing for this crawler are off: each one costs every request
        # (bench/crawl_bench.py). HTTP auth is never configured, pages are not followed by
        # depth (listings have their own page limit).
        "DOWNLOADER_MIDDLEWARES": {
            # The SSRF guard first (before robots.txt fetches anything) and last (the peer
            # address of each response, before redirects or the spider see it).
            "crawler.guard_middleware.NetGuardMiddleware": 40,
            "crawler.guard_middleware.ConnectedPeerMiddleware": 990,
            "scrapy.downloadermiddlewares.httpauth.HttpAuthMiddleware": None,
            "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
            "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
            "crawler.middlewares.StrictRobotsTxtMiddleware": 100,
            "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware": None,
            "crawler.middlewares.LeanMetaRefreshMiddleware": 580,
            "crawler.middlewares.BackoffRetryMiddleware": 550,
            "scrapy.downloadermiddlewares.stats.DownloaderStats": None,
            "crawler.middlewares.LeanDownloaderStats": 850,
        },
        "SPIDER_MIDDLEWARES": {
            "scrapy.spidermiddlewares.depth.DepthMiddleware": None,
            "scrapy.spidermiddlewares.metacopy.MetaCopyDetectionMiddleware": None,
        },
        "ITEM_PIPELINES": {"crawler.pipelines.ArticlePipeline": 300},
        "EXTENSIONS": {"crawler.accounting.RunAccounting": 500},
        "IPWIRE_DATABASE_URL": database_url,
        "IPWIRE_NEAR_DUP_MAX_DISTANCE": options.near_dup_max_distance,
        "IPWIRE_MAX_RETRY_AFTER": options.max_retry_after_s,
        # Every connection's addresses come from the guarded resolver; only http(s) is fetched.
        "TWISTED_DNS_RESOLVER": "crawler.guarded_dns.GuardedResolver",
        "DOWNLOAD_HANDLERS": {"file": None, "data": None, "ftp": None, "s3": None},
        "IPWIRE_ALLOW_PRIVATE_NETWORKS": options.allow_private_networks,
        "IPWIRE_ALLOW_NETWORKS": list(options.allow_networks),
        "IPWIRE_ALLOW_PORTS": list(options.allow_ports),
    }
    return settings


def source_overrides(source: SourceSpec) -> dict[str, Any]:
    """Per-source politeness overrides (``download_delay``, ``concurrency``)."""
    out: dict[str, Any] = {}
    if source.download_delay is not None:
        out["DOWNLOAD_DELAY"] = source.download_delay
        out["AUTOTHROTTLE_START_DELAY"] = max(source.download_delay, 0.1)
    if source.concurrency is not None:
        out["CONCURRENT_REQUESTS_PER_DOMAIN"] = source.concurrency
    if source.kind == "search":
        # The search API has a download slot of its own: one request at a time, whatever the
        # politeness of the pages; its pace (GDELT: one every 5 seconds) is kept across the
        # process's search sources by crawler.search.pacing.
        out["DOWNLOAD_SLOTS"] = {api_slot(source.name): {"concurrency": 1, "delay": 0, "jitter": 0}}
    return out


def api_slot(source_name: str) -> str:
    """The download slot of a search source's API requests."""
    return f"search-api:{source_name}"
