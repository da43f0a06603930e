"""Downloader middlewares: retries with backoff that honour ``Retry-After`` without blocking the
reactor, a robots.txt check that never lets a request through unchecked, and meta refresh
without decoding every page."""

from __future__ import annotations

import asyncio
import email.utils
import logging
from datetime import UTC, datetime

from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.downloadermiddlewares.stats import DownloaderStats
from scrapy.http import HtmlResponse, Request, Response
from scrapy.robotstxt import RobotParser
from scrapy.utils.httpobj import urlparse_cached
from scrapy.utils.response import response_status_message
from twisted.internet.defer import Deferred

log = logging.getLogger(__name__)


def retry_after_seconds(value: bytes | None, now: datetime | None = None) -> float | None:
    """Parse a ``Retry-After`` header: delta-seconds or an HTTP date. None if absent/invalid."""
    if not value:
        return None
    text = value.decode("latin-1").strip()
    if text.isdigit():
        return float(text)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class BackoffRetryMiddleware(RetryMiddleware):
    """Scrapy's retry policy, plus a wait before each retry.

    The wait is ``Retry-After`` when the server sends one (capped by ``IPWIRE_MAX_RETRY_AFTER``;
    beyond the cap the response is given up on and counted), else exponential backoff
    ``IPWIRE_BACKOFF_BASE * 2**attempt`` seconds.
    """

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler.settings)
        self.crawler = crawler
        self.max_retry_after = crawler.settings.getfloat("IPWIRE_MAX_RETRY_AFTER", 60.0)
        self.backoff_base = crawler.settings.getfloat("IPWIRE_BACKOFF_BASE", 0.5)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> BackoffRetryMiddleware:
        return cls(crawler)

    async def process_response(  # type: ignore[override]
        self, request: Request, response: Response
    ) -> Request | Response:
        if request.meta.get("dont_retry", False) or response.status not in self.retry_http_codes:
            return response
        attempt = request.meta.get("retry_times", 0)
        delay = retry_after_seconds(response.headers.get(b"Retry-After"))
        if delay is None:
            delay = self.backoff_base * (2**attempt)
        elif delay > self.max_retry_after:
            log.info("%s asks to retry after %.0fs: giving up for this run", request.url, delay)
            return response
        retry = self._retry(request, response_status_message(response.status))
        if retry is None:
            return response
        await asyncio.sleep(delay)
        return retry


class StrictRobotsTxtMiddleware(RobotsTxtMiddleware):
    """Scrapy's robots.txt middleware, without letting requests through while robots.txt loads.

    In Scrapy 2.19 every request for a host whose robots.txt is still being fetched awaits one
    shared Deferred; only the first awaiter receives the parser, the others get ``None`` and are
    let through (a disallowed page was fetched in a concurrent crawl of the fixture site). Here
    the later requests wait until the parser is stored, then check against it.
    """

    async def robot_parser(self, request: Request) -> RobotParser | None:
        netloc = urlparse_cached(request).netloc
        if isinstance(self._parsers.get(netloc), Deferred):
            while isinstance(self._parsers.get(netloc), Deferred):
                await asyncio.sleep(0.02)
            return self._parsers[netloc]  # type: ignore[return-value]
        return await super().robot_parser(request)


# Scrapy looks for a refresh in the first 4,096 characters: at most 4 bytes each in UTF-8.
_REFRESH_SCAN_BYTES = 4 * 4096


def declares_no_refresh(body: bytes) -> bool:
    """True when ``body`` certainly has no ``<meta http-equiv="refresh">`` where Scrapy looks.

    Only for ASCII-compatible encodings: UTF-16/32 text (a BOM, or NUL bytes) is not ruled out.
    """
    head = body[:_REFRESH_SCAN_BYTES]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in head[:1024]:
        return False
    return b"refresh" not in head.lower()


class LeanMetaRefreshMiddleware(MetaRefreshMiddleware):
    """Scrapy's meta-refresh redirects, without decoding pages that declare no refresh.

    Scrapy's check decodes each HTML body to text; almost no article declares a refresh, and
    the crawl process otherwise never decodes a page (the page workers do). A page whose first
    bytes do not contain "refresh" is passed on; any other goes through Scrapy's own check.
    """

    def process_response(
        self, request: Request, response: Response, spider: object = None
    ) -> Request | Response:
        if isinstance(response, HtmlResponse) and declares_no_refresh(response.body):
            return response
        return super().process_response(request, response)


class LeanDownloaderStats(DownloaderStats):
    """Scrapy's downloader counters without ``downloader/request_bytes``.

    Measuring a request's size renders the whole request as HTTP text, for every request; no
    report of ours uses it. Request, method, response, status and exception counts and the
    response bytes are kept.
    """

    def process_request(self, request: Request, spider: object = None) -> None:
        self.stats.inc_value("downloader/request_count")
        self.stats.inc_value(f"downloader/request_method_count/{request.method}")
