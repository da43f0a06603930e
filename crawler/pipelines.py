"""Item pipelines, one responsibility each: extract → filter → persist (through ``store``)."""

from __future__ import annotations

import logging
from typing import Any

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from crawler.extract import extract_article
from crawler.fingerprint import simhash
from crawler.items import ArticleItem
from crawler.storeio import StoreGateway
from crawler.urls import normalize_url

log = logging.getLogger(__name__)

MIN_TEXT_CHARS = 200


class _WithCrawler:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Any:
        return cls(crawler)

    def count(self, key: str) -> None:
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value(f"ipwire/{key}")


class ExtractPipeline(_WithCrawler):
    """Body, title, date, authors and canonical URL from the page (``crawler.extract``)."""

    def process_item(self, item: ArticleItem) -> ArticleItem:
        art = extract_article(item.html, item.final_url)
        if len(art.text) < MIN_TEXT_CHARS:
            self.count("failed/no_article_text")
            spider = self.crawler.spider
            if spider is not None and hasattr(spider, "errors"):
                spider.errors.append(f"article {item.url}: no_article_text")
            raise DropItem(f"no article text extracted from {item.url}")
        adapter = ItemAdapter(item)
        adapter.update(
            {
                "canonical_url": normalize_url(art.canonical_url or item.final_url),
                "title": art.title or item.hint_title or "",
                "text": art.text,
                "published_at": art.published_at or item.hint_published_at,
                "authors": list(art.authors),
                "language": art.language,
                "site_name": art.site_name,
                "description": art.description,
                "simhash": simhash(art.text),
            }
        )
        item.html = b""  # the page is no longer needed; keep memory flat on long crawls
        return item


class KeywordFilterPipeline(_WithCrawler):
    """Drops articles matching none of the source's ``keywords`` (when it has any)."""

    def process_item(self, item: ArticleItem) -> ArticleItem:
        spider = self.crawler.spider
        keywords = getattr(getattr(spider, "source", None), "keywords", ())
        if keywords:
            haystack = f"{item.title}\n{item.text}".casefold()
            if not any(k.casefold() in haystack for k in keywords):
                self.count("skipped/keyword_filter")
                raise DropItem(f"no keyword of the source in {item.url}")
        return item


class PersistPipeline(_WithCrawler):
    """Stores the article; the store decides new / duplicate / near-duplicate."""

    def process_item(self, item: ArticleItem) -> ArticleItem:
        spider = self.crawler.spider
        settings = self.crawler.settings
        gateway = StoreGateway(settings["IPWIRE_DATABASE_URL"])
        source_id = getattr(spider, "source_id", None)
        assert source_id is not None, "RunAccounting opens the crawl run before items flow"
        result = gateway.add(source_id, item, settings.getint("IPWIRE_NEAR_DUP_MAX_DISTANCE", 3))
        key = {
            "new": "new",
            "duplicate_url": "duplicate",
            "duplicate_content": "duplicate",
            "near_duplicate": "near_duplicate",
        }[result.status]
        self.count(key)
        log.debug("%s → article %s (%s)", item.url, result.article_id, result.status)
        return item
