"""HTML listing pages: article links by CSS or XPath selector, with pagination."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import scrapy
from scrapy.http import Response

from .base import SourceSpider


def _select(response: Response, selector: str) -> list[str]:
    """Hrefs matched by a CSS selector, or an XPath expression when it starts with ``/``."""
    if selector.startswith(("/", "(")):
        nodes = response.xpath(selector)
        hrefs = [n.attrib.get("href") if hasattr(n, "attrib") else None for n in nodes]
        hrefs = [h or n.get() for h, n in zip(hrefs, nodes, strict=True)]
    else:
        hrefs = [n.attrib.get("href") or "" for n in response.css(selector)]
    return [h.strip() for h in hrefs if h and h.strip()]


class ListingSpider(SourceSpider):
    """Reads a listing page, follows ``next_selector`` up to ``max_pages``."""

    kind = "listing"

    async def start(self) -> AsyncIterator[scrapy.Request]:
        assert self.source.url
        yield scrapy.Request(
            self.source.url,
            callback=self.parse_listing,
            errback=self.on_error,
            cb_kwargs={"page": 1},
            meta={"ipwire_kind": "listing"},
            dont_filter=True,
        )

    def parse_listing(self, response: Response, page: int = 1) -> Iterator[scrapy.Request]:
        if not hasattr(response, "css"):
            self.crawler.stats.inc_value("ipwire/failed/listing_not_html")
            return
        assert self.source.link_selector
        links = [response.urljoin(h) for h in _select(response, self.source.link_selector)]
        if not links:
            self.errors.append(f"listing {response.url}: no links matched the selector")
        yield from self.article_requests((u, None, None) for u in links)
        if self.source.next_selector and page < self.source.max_pages:
            nxt = _select(response, self.source.next_selector)
            if nxt:
                yield scrapy.Request(
                    response.urljoin(nxt[0]),
                    callback=self.parse_listing,
                    errback=self.on_error,
                    cb_kwargs={"page": page + 1},
                    meta={"ipwire_kind": "listing"},
                )
