"""RSS 0.9x/1.0/2.0 and Atom feeds, parsed by feedparser (robust to malformed XML)."""

from __future__ import annotations

import calendar
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from typing import Any

import feedparser
import scrapy
from scrapy.http import Response

from .base import SourceSpider


def _entry_date(entry: Any) -> datetime | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if value:
            try:
                return datetime.fromtimestamp(calendar.timegm(value), tz=UTC)
            except (OverflowError, ValueError, TypeError):
                continue
    return None


class FeedSpider(SourceSpider):
    """Reads one feed with a conditional GET and follows its entries' links."""

    kind = "feed"

    async def start(self) -> AsyncIterator[scrapy.Request]:
        assert self.source.url
        yield self.conditional_request(self.source.url, self.parse_feed)

    def parse_feed(self, response: Response) -> Iterator[scrapy.Request]:
        if self.not_modified(response):
            return
        headers = {"content-location": response.url}
        ctype = response.headers.get(b"Content-Type")
        if ctype:
            headers["content-type"] = ctype.decode("latin-1")
        parsed = feedparser.parse(response.body, response_headers=headers)
        entries = parsed.get("entries") or []
        if parsed.get("bozo"):
            problem = str(parsed.get("bozo_exception", "malformed feed"))[:200]
            if entries:
                self.crawler.stats.inc_value("ipwire/feed_malformed_partial")
                self.errors.append(f"feed {response.url}: malformed but readable ({problem})")
            else:
                self.crawler.stats.inc_value("ipwire/failed/malformed_feed")
                self.errors.append(f"feed {response.url}: malformed_feed ({problem})")
                return
        candidates = []
        for entry in entries:
            link = entry.get("link") or entry.get("id")
            if not link:
                continue
            candidates.append((response.urljoin(link), entry.get("title"), _entry_date(entry)))
        feed_title = " ".join(str((parsed.get("feed") or {}).get("title") or "").split())
        yield from self.article_requests(candidates, site_name=feed_title or None)
