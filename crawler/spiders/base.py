"""Behaviour shared by every discovery strategy: article requests, failures, validators."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import Any, ClassVar
from urllib.parse import urlsplit

import scrapy
from scrapy.http import Response
from twisted.python.failure import Failure
from w3lib.url import safe_url_string

from crawler.errors import classify_failure
from crawler.items import ArticleItem
from crawler.spec import CrawlOptions, SourceSpec
from crawler.storeio import StoreGateway
from crawler.urls import normalize_url

log = logging.getLogger(__name__)

HTML_TYPES = (b"text/html", b"application/xhtml+xml")


class SourceSpider(scrapy.Spider):
    """Base of the four discovery spiders; one instance crawls one configured source."""

    kind: ClassVar[str] = ""

    def __init__(
        self,
        source: SourceSpec,
        database_url: str,
        options: CrawlOptions | None = None,
        requested: set[str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(name=f"{self.kind}:{source.name}", **kwargs)
        self.source = source
        self.options = options or CrawlOptions()
        self.gateway = StoreGateway(database_url)
        domains = list(source.allowed_domains) or sorted(
            {urlsplit(u).hostname or "" for u in (source.url, *source.urls) if u} - {""}
        )
        self.allowed_domains = domains
        if source.download_delay is not None:
            self.download_delay = source.download_delay
        self.articles_requested = 0
        # Article URLs requested by any spider of this crawl (``crawler.run`` shares one set):
        # sources overlap (a feed and a sitemap of one outlet), one fetch per URL is enough.
        self.requested: set[str] = requested if requested is not None else set()
        self.seen_article_urls: set[str] = set()
        # Validators are saved only when the run finishes cleanly: if the crawl dies, the next
        # run must re-read the feed (a 304 would hide the articles it never fetched).
        self.pending_validators: dict[str, tuple[str | None, str | None, int]] = {}
        self.source_id: int | None = None
        self.run_id: int | None = None
        self.errors: list[str] = []

    # -- discovery helpers -------------------------------------------------------------------
    def conditional_request(self, url: str, callback: Any, **cb_kwargs: Any) -> scrapy.Request:
        """A request for a feed or sitemap carrying If-None-Match / If-Modified-Since."""
        etag, last_modified = self.gateway.validators(url)
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        return scrapy.Request(
            url,
            callback=callback,
            errback=self.on_error,
            headers=headers,
            cb_kwargs=cb_kwargs,
            meta={"handle_httpstatus_list": [304], "ipwire_kind": "index"},
            dont_filter=True,
        )

    def not_modified(self, response: Response) -> bool:
        """Count a 304 and say so; remember fresh validators of a 200."""
        if response.status == 304:
            self.crawler.stats.inc_value("ipwire/not_modified")
            return True
        etag = response.headers.get(b"ETag")
        last_modified = response.headers.get(b"Last-Modified")
        if etag or last_modified:
            self.pending_validators[response.url] = (
                etag.decode("latin-1") if etag else None,
                last_modified.decode("latin-1") if last_modified else None,
                response.status,
            )
        return False

    def article_requests(
        self,
        candidates: Iterable[tuple[str, str | None, datetime | None]],
        site_name: str | None = None,
    ) -> Iterator[scrapy.Request]:
        """Requests for article URLs not stored yet, up to the source's ``max_articles``.

        Args:
            candidates: ``(url, title hint, published hint)`` triples from a feed/sitemap/listing.
            site_name: The outlet's name as the feed gives it (its title), for pages that do
                not name themselves.
        """
        fresh: list[tuple[str, str | None, datetime | None]] = []
        for url, title, published in candidates:
            try:
                norm = normalize_url(url)
                safe_url_string(norm)  # what scrapy.Request will do: refuse it here, counted
            except ValueError as e:  # a host with forbidden code points, a bad port …
                self.crawler.stats.inc_value("ipwire/failed/invalid_url")
                self.errors.append(f"article {url[:300]}: invalid_url ({str(e)[:100]})")
                continue
            if not norm.startswith(("http://", "https://")):
                # file:, ftp:, data:, javascript: … never fetched, and counted (SSRF guard).
                self.crawler.stats.inc_value("ipwire/failed/blocked_address")
                self.errors.append(f"article {url[:300]}: blocked_address")
                continue
            if norm in self.seen_article_urls:
                continue
            self.seen_article_urls.add(norm)
            if norm in self.requested:
                self.crawler.stats.inc_value("ipwire/already_queued")
                continue
            fresh.append((norm, title, published))
        known = self.gateway.known(u for u, _, _ in fresh)
        stats = self.crawler.stats
        for url, title, published in fresh:
            if url in known:
                stats.inc_value("ipwire/already_stored")
                continue
            if self.articles_requested >= self.article_limit():
                stats.inc_value("ipwire/over_max_articles")
                continue
            self.articles_requested += 1
            self.requested.add(url)
            # dont_filter: de-duplication is ours (above and in the store); Scrapy's filter would
            # silently drop the second hop of a redirect loop instead of failing it.
            yield scrapy.Request(
                url,
                callback=self.parse_article,
                errback=self.on_error,
                cb_kwargs={
                    "hint_title": title,
                    "hint_published": published.isoformat() if published else None,
                    "hint_site_name": site_name,
                },
                meta={"ipwire_kind": "article"},
                dont_filter=True,
            )

    def article_limit(self) -> int:
        """Article requests allowed in this run (``max_articles``)."""
        return self.source.max_articles

    # -- article pages -----------------------------------------------------------------------
    def parse_article(
        self,
        response: Response,
        hint_title: str | None = None,
        hint_published: str | None = None,
        hint_site_name: str | None = None,
    ) -> Iterator[ArticleItem]:
        stats = self.crawler.stats
        ctype = (response.headers.get(b"Content-Type") or b"").split(b";")[0].strip().lower()
        if ctype and ctype not in HTML_TYPES:
            stats.inc_value("ipwire/skipped/non_html")
            self.errors.append(f"{response.url}: skipped, content type {ctype.decode('latin-1')}")
            self._no_item(response)
            return
        if not response.body.strip():
            stats.inc_value("ipwire/failed/empty_response")
            self._no_item(response)
            return
        yield ArticleItem(
            source_name=self.source.name,
            url=response.request.url if response.request else response.url,
            final_url=response.url,
            html=response.body,
            content_type=(response.headers.get(b"Content-Type") or b"").decode("latin-1") or None,
            fetched_at=datetime.now(UTC),
            hint_title=hint_title,
            hint_published_at=datetime.fromisoformat(hint_published) if hint_published else None,
            hint_site_name=hint_site_name,
        )

    def _no_item(self, response: Response) -> None:
        """An article page ended without an item (not HTML, or empty): a hook for subclasses."""

    def on_error(self, failure: Failure) -> None:
        """Every failed request ends as a counted failure with a reason, never a crash."""
        reason = classify_failure(failure)
        request = getattr(failure, "request", None)
        url = request.url if request is not None else "?"
        kind = request.meta.get("ipwire_kind", "page") if request is not None else "page"
        bucket = "skipped" if reason == "robots" else "failed"
        self.crawler.stats.inc_value(f"ipwire/{bucket}/{reason}")
        self.errors.append(f"{kind} {url}: {reason}")
        log.info("%s %s: %s (%s)", self.name, url, reason, failure.getErrorMessage())
