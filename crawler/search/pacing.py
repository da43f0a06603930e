"""One pace per search API across every spider of a crawl process.

GDELT asks for one request every 5 seconds from a client, not from each of its queries: the
search sources of one crawl (one Scrapy crawler each, so no shared download slot) take turns
through this downloader middleware. A request carrying ``ipwire_api_interval`` in its meta
waits until that long after the previous API request to the same host started.
"""

from __future__ import annotations

import asyncio
import time
from typing import ClassVar
from urllib.parse import urlsplit

from scrapy import Request


class ApiPacing:
    """Downloader middleware: spaces the requests to each search API host."""

    _next_at: ClassVar[dict[str, float]] = {}

    async def process_request(self, request: Request, spider: object = None) -> None:
        interval = request.meta.get("ipwire_api_interval")
        if not interval:
            return None
        host = urlsplit(request.url).netloc
        now = time.monotonic()
        at = max(now, ApiPacing._next_at.get(host, 0.0))
        ApiPacing._next_at[host] = at + float(interval)
        if at > now:
            await asyncio.sleep(at - now)
        return None
