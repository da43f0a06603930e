"""Spiders by discovery strategy; :data:`SPIDERS` maps a source ``kind`` to its spider."""

from .base import SourceSpider
from .feed import FeedSpider
from .listing import ListingSpider
from .search import SearchSpider
from .sitemap import SitemapSpider
from .urls import UrlListSpider

SPIDERS: dict[str, type[SourceSpider]] = {
    cls.kind: cls for cls in (FeedSpider, SitemapSpider, ListingSpider, UrlListSpider, SearchSpider)
}

__all__ = [
    "SPIDERS",
    "FeedSpider",
    "ListingSpider",
    "SearchSpider",
    "SitemapSpider",
    "SourceSpider",
    "UrlListSpider",
]
