"""Sitemaps: sitemap indexes, plain urlsets and Google News sitemaps, gzipped or not.

Large news sites publish ``sitemap.xml.gz`` files and gzip-encoded indexes. A response with
``Content-Encoding: gzip`` is already decompressed by Scrapy's HttpCompressionMiddleware (capped
at ``DOWNLOAD_MAXSIZE``); a body that is still gzip (a ``.gz`` file served as
``application/x-gzip``, or compressed twice) is decompressed here with Scrapy's own ``gunzip``,
capped like Scrapy's SitemapSpider caps it, and never beyond the sitemap protocol's 50 MiB of
uncompressed XML: a gzip bomb stops at the cap and is counted ``sitemap_too_large``.
"""

from __future__ import annotations

import struct
from collections.abc import AsyncIterator, Iterator
from datetime import datetime

import scrapy
from lxml import etree
from scrapy.http import Response
from scrapy.utils.gz import gunzip, gzip_magic_number

from .base import SourceSpider

MAX_DEPTH = 3
#: The sitemap protocol's limit on one uncompressed sitemap file.
MAX_SITEMAP_BYTES = 50 * 1024 * 1024


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
        body = self._sitemap_body(response)
        if body is None:
            return
        parser = etree.XMLParser(
            recover=True, resolve_entities=False, no_network=True, huge_tree=False
        )
        try:
            root = etree.fromstring(body, parser=parser)
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

    def max_sitemap_bytes(self) -> int:
        """The decompression cap: ``DOWNLOAD_MAXSIZE`` when set and smaller, else 50 MiB."""
        limit = self.crawler.settings.getint("DOWNLOAD_MAXSIZE") if self.crawler else 0
        return min(limit, MAX_SITEMAP_BYTES) if limit > 0 else MAX_SITEMAP_BYTES

    def _sitemap_body(self, response: Response) -> bytes | None:
        """The sitemap's XML, gunzipped when the body is gzip; None (counted) when unusable."""
        if not gzip_magic_number(response):
            return response.body
        cap = self.max_sitemap_bytes()
        try:
            return gunzip(response.body, max_size=cap)
        except ValueError:  # scrapy's "decompressed more than max_size" error is a ValueError
            reason, detail = "sitemap_too_large", f"more than {cap} bytes once decompressed"
        except (OSError, EOFError, struct.error) as e:  # not gzip after all, or truncated
            reason, detail = "malformed_sitemap", f"bad gzip: {e}"
        self.crawler.stats.inc_value(f"ipwire/failed/{reason}")
        self.errors.append(f"sitemap {response.url}: {reason} ({detail})")
        return None
