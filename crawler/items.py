"""Items that travel from spiders through the item pipelines (typed dataclasses)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass
class ArticleItem:
    """A fetched article page, filled in step by step by the pipelines.

    The spider sets the fetch facts; ``ExtractPipeline`` sets the extracted fields.
    """

    source_name: str
    url: str
    final_url: str
    html: bytes
    fetched_at: datetime
    encoding_hint: str | None = None
    hint_title: str | None = None
    hint_published_at: datetime | None = None
    # Filled by ExtractPipeline:
    canonical_url: str | None = None
    title: str | None = None
    text: str | None = None
    published_at: datetime | None = None
    authors: list[str] = field(default_factory=list)
    language: str | None = None
    site_name: str | None = None
    description: str | None = None
    simhash: int | None = None
    near_dup_keys: tuple[int, ...] | None = None
