"""Sitemaps: sitemap indexes, plain urlsets and Google News sitemaps."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import datetime

import scrapy
from lxml import etree
from scrapy.http import Response

from .base import SourceSpider

MAX_DEPTH = 3


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _parse_date(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return value if value.tzinfo else None


class SitemapSpider(SourceSpider):
    """Follows a sitemap index down to its urlsets, reading ``news:`` title and date hints."""

    kind = "sitemap"

    async def start(self) -> AsyncIterator[scrapy.Request]:
        assert self.source.url
        yield self.conditional_request(self.source.url, self.parse_sitemap, depth=0)

    def parse_sitemap(self, response: Response, depth: int = 0) -> Iterator[scrapy.Request]:
        if self.not_modified(response):
            return
        parser = etree.XMLParser(
            recover=True, resolve_entities=False, no_network=True, huge_tree=False
        )
        try:
            root = etree.fromstring(response.body, parser=parser)
        except etree.XMLSyntaxError:
            root = None
        if root is None:
            self.crawler.stats.inc_value("ipwire/failed/malformed_sitemap")
            self.errors.append(f"sitemap {response.url}: malformed_sitemap")
            return
        if _local(root.tag) == "sitemapindex":
            if depth >= MAX_DEPTH:
                return
            for loc in root.iter("{*}loc"):
                if (
                    loc.text
                    and loc.getparent() is not None
                    and _local(loc.getparent().tag) == "sitemap"
                ):
                    yield self.conditional_request(
                        response.urljoin(loc.text.strip()), self.parse_sitemap, depth=depth + 1
                    )
            return
        candidates = []
        for url_el in root.iter("{*}url"):
            loc = url_el.find("{*}loc")
            if loc is None or not loc.text:
                continue
            title = url_el.findtext(".//{*}news/{*}title")
            published = _parse_date(
                url_el.findtext(".//{*}news/{*}publication_date") or url_el.findtext("{*}lastmod")
            )
            candidates.append((response.urljoin(loc.text.strip()), title, published))
        yield from self.article_requests(candidates)
