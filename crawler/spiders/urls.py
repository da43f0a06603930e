"""An explicit list of article URLs."""

from __future__ import annotations

from collections.abc import AsyncIterator

import scrapy

from .base import SourceSpider


class UrlListSpider(SourceSpider):
    """Fetches the configured ``urls`` that are not stored yet."""

    kind = "urls"

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for request in self.article_requests((u, None, None) for u in self.source.urls):
            yield request
