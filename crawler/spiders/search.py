"""Query-based discovery: ask a news-search API about a time window, crawl what it lists.

One run asks GDELT's DOC 2.0 API (``crawler.search.gdelt``) about a window, slice by slice
(``slice_hours`` long, split further where a slice hits the API's cap of 250 results), one API
request at a time in a download slot of its own (``api_interval_s`` apart). The articles a slice
lists go through the ordinary article path: robots.txt, politeness, the store's dedup (URLs
already stored are not fetched), extraction and the page workers.

A slice is *done*, and recorded in ``search_slice``, only when every article it listed was
stored or failed: a run killed at any moment leaves its unfinished slices unrecorded, and the
next run asks about them again (URLs stored meanwhile are not fetched again). The window:

* a backfill (``since`` set): ``[since, until)``;
* a scheduled run: from the end of the last scheduled run whose window was complete (else
  ``lookback_hours`` back) to now less :data:`INDEX_LAG`;

and of that window only the parts no done slice covers are asked about: a rerun never asks twice.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import scrapy
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.http import Response
from twisted.python.failure import Failure

from crawler.errors import classify_failure
from crawler.search.gdelt import (
    DEFAULT_API_URL,
    INDEX_LAG,
    MAX_RECORDS,
    ApiError,
    RateLimited,
    build_query,
    parse_artlist,
    request_url,
)
from crawler.search.slices import Span, cut, gaps, split_at_cap
from crawler.settings import api_slot

from .base import SourceSpider

log = logging.getLogger(__name__)


def _moment(text: str) -> datetime:
    value = datetime.fromisoformat(text)
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC)


@dataclass
class _Slice:
    span: Span
    results: int
    capped: bool
    pending: set[str] = field(default_factory=set)
    requested: int = 0


class SearchSpider(SourceSpider):
    """Asks the search API about the run's window and follows the articles it lists."""

    kind = "search"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        source = self.source
        if source.provider != "gdelt":
            raise ValueError(f"unknown search provider {source.provider!r} (known: gdelt)")
        self.allowed_domains = []  # results are on any site
        self.api_url = source.api_url or DEFAULT_API_URL
        self.api_query = build_query(
            source.query or "",
            languages=source.languages,
            countries=source.countries,
            domains=source.domains,
        )
        self.queue: deque[Span] = deque()
        self.open_slices: dict[int, _Slice] = {}
        self._next_key = 0
        self.window_complete = True  # until a slice fails or the run stops early

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> SearchSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        assert isinstance(spider, SearchSpider)
        crawler.signals.connect(spider._item_settled, signal=signals.item_scraped)
        crawler.signals.connect(spider._item_settled, signal=signals.item_dropped)
        crawler.signals.connect(spider._item_settled, signal=signals.item_error)
        crawler.signals.connect(spider._closed, signal=signals.spider_closed)
        return spider

    def article_limit(self) -> int:
        # Every article of a slice is requested, or the slice could not be done: the run's
        # ``max_articles`` is applied between slices instead (see _next_api_request).
        return 1 << 62

    # -- the window ----------------------------------------------------------------------------
    def window(self, now: datetime | None = None) -> Span:
        """The run's window: ``[since, until)`` as configured, else as scheduled."""
        src = self.source
        if src.until:
            end = _moment(src.until)
        else:
            end = ((now or datetime.now(UTC)) - INDEX_LAG).replace(microsecond=0)
        if src.since:
            return _moment(src.since), end
        assert self.source_id is not None
        last = self.gateway.last_complete_window_end(self.source_id)
        return (last if last is not None else end - timedelta(hours=src.lookback_hours)), end

    async def start(self) -> AsyncIterator[scrapy.Request]:
        if self.source_id is None or self.run_id is None:
            self.window_complete = False
            return  # RunAccounting could not register the run and said why
        start, end = self.window()
        self.gateway.set_search_window(self.run_id, start, end, is_backfill=bool(self.source.since))
        if start >= end:
            return
        step = timedelta(hours=self.source.slice_hours)
        for gap in gaps(start, end, self.gateway.done_spans(self.source_id, start, end)):
            self.queue.extend(cut(*gap, step))
        self.crawler.stats.set_value("ipwire/search/slices_planned", len(self.queue))
        log.info("%s: %d slice(s) to ask about in %s..%s", self.name, len(self.queue), start, end)
        request = self._next_api_request()
        if request is not None:
            yield request

    # -- API requests --------------------------------------------------------------------------
    def _next_api_request(
        self, span: Span | None = None, attempt: int = 0
    ) -> scrapy.Request | None:
        if span is None:
            if not self.queue:
                return None
            if self.articles_requested >= self.source.max_articles:
                self.crawler.stats.inc_value("ipwire/search/stopped_at_max_articles")
                self.window_complete = False  # the rest of the window is left to the next run
                return None
            span = self.queue.popleft()
        return scrapy.Request(
            request_url(self.api_url, self.api_query, span[0], span[1]),
            callback=self.parse_api,
            errback=self.api_error,
            cb_kwargs={"span": span, "attempt": attempt},
            meta={
                "ipwire_kind": "search_api",
                "download_slot": api_slot(self.source.name),
                "autothrottle_dont_adjust_delay": True,
                "ipwire_api_interval": self.source.api_interval_s,
                # An API, not a page of a site: its terms (one request every 5 s) are kept
                # by the slot above.
                "dont_obey_robotstxt": True,
            },
            dont_filter=True,
        )

    def parse_api(self, response: Response, span: Span, attempt: int) -> Iterator[scrapy.Request]:
        stats = self.crawler.stats
        stats.inc_value("ipwire/search/api_requests")
        try:
            hits = parse_artlist(response.body)
        except RateLimited:
            stats.inc_value("ipwire/search/rate_limited")
            if attempt < self.options.retries:
                retry = self._next_api_request(span, attempt + 1)
                assert retry is not None
                yield retry
                return
            self._slice_failed(span, "api_rate_limited", "rate limited after retries")
            yield from self._continue()
            return
        except ApiError as e:
            self._slice_failed(span, "api_malformed", str(e))
            yield from self._continue()
            return
        start, end = span
        done: Span | None = span
        capped = False
        if len(hits) >= MAX_RECORDS:
            split = split_at_cap(start, end, hits)
            stats.inc_value("ipwire/search/capped")
            self.queue.extendleft(reversed(split.rest))
            done, hits, capped = split.done, split.kept, split.capped
            if capped:
                self.errors.append(
                    f"search {start.isoformat()}..{end.isoformat()}: more than "
                    f"{MAX_RECORDS} results in a slice too short to split; some are missing"
                )
        if done is not None:
            yield from self._open_slice(done, hits, capped)
        yield from self._continue()

    def _open_slice(self, span: Span, hits: list[Any], capped: bool) -> Iterator[scrapy.Request]:
        key = self._next_key
        self._next_key += 1
        track = _Slice(span=span, results=len(hits), capped=capped)
        self.crawler.stats.inc_value("ipwire/search/results", len(hits))
        requests = list(self.article_requests((h.url, h.title, None) for h in hits))
        for request in requests:
            request.meta["ipwire_slice"] = key
            request.meta["ipwire_slice_url"] = request.url
            track.pending.add(request.url)
        track.requested = len(requests)
        self.open_slices[key] = track
        yield from requests
        if not track.pending:
            self._finish_slice(key)

    def _continue(self) -> Iterator[scrapy.Request]:
        request = self._next_api_request()
        if request is not None:
            yield request

    def api_error(self, failure: Failure) -> Iterator[scrapy.Request]:
        request = failure.request  # type: ignore[attr-defined]
        span: Span = request.cb_kwargs["span"]
        self.crawler.stats.inc_value("ipwire/search/api_requests")
        self._slice_failed(span, f"api_{classify_failure(failure)}", failure.getErrorMessage())
        yield from self._continue()

    def _slice_failed(self, span: Span, reason: str, detail: str) -> None:
        self.window_complete = False
        self.crawler.stats.inc_value(f"ipwire/failed/{reason}")
        message = f"search {span[0].isoformat()}..{span[1].isoformat()}: {reason} ({detail})"
        self.errors.append(message[:500])
        log.warning("%s: %s", self.name, message)

    # -- articles of a slice -------------------------------------------------------------------
    def _no_item(self, response: Response) -> None:
        # Skipped (not HTML) or empty: no item signal will come, so it is settled here.
        self._article_settled(response.request)

    def on_error(self, failure: Failure) -> None:
        super().on_error(failure)
        self._article_settled(getattr(failure, "request", None))

    def _item_settled(self, response: Response | None = None) -> None:
        if response is not None:
            self._article_settled(response.request)

    def _article_settled(self, request: scrapy.Request | None) -> None:
        if request is None or "ipwire_slice" not in request.meta:
            return
        key = request.meta["ipwire_slice"]
        track = self.open_slices.get(key)
        if track is None:
            return
        track.pending.discard(request.meta["ipwire_slice_url"])
        if not track.pending:
            self._finish_slice(key)

    def _finish_slice(self, key: int) -> None:
        track = self.open_slices.pop(key)
        assert self.source_id is not None
        self.gateway.slice_done(
            self.source_id,
            self.run_id,
            start=track.span[0],
            end=track.span[1],
            results=track.results,
            articles_requested=track.requested,
            is_capped=track.capped,
        )
        self.crawler.stats.inc_value("ipwire/search/slices_done")

    def _closed(self, spider: scrapy.Spider, reason: str) -> None:
        if spider is not self or self.run_id is None:
            return
        complete = (
            reason == "finished"
            and self.window_complete
            and not self.queue
            and not self.open_slices
        )
        self.gateway.close_search_window(self.run_id, complete=complete)
