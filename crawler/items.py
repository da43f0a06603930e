"""Items that travel from spiders through the item pipelines (typed dataclasses)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass
class ArticleItem:
    """A fetched article page, filled in step by step by the pipelines.

    The spider sets the fetch facts; ``ArticlePipeline`` hands the page to a worker (which
    extracts and stores it) and records what became of it.
    """

    source_name: str
    url: str
    final_url: str
    html: bytes
    fetched_at: datetime
    hint_title: str | None = None
    hint_published_at: datetime | None = None
    hint_site_name: str | None = None  # the title of the feed that linked the page
    content_type: str | None = None  # the response's Content-Type header (its charset counts)
    # Set by ArticlePipeline from the page worker's outcome:
    status: str | None = None  # new, duplicate, near_duplicate
    article_id: int | None = None
