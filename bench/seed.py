"""Store generated articles through the store API (the worker trials and the NLP benchmark).

The articles are those of the generated fixture site (``crawler.fixture_site.generated``): distinct
texts, no near-duplicates, two claim sentences each.
"""

from __future__ import annotations

from datetime import UTC, datetime

from crawler.fixture_site.generated import article_text, article_title, published
from store import ArticleIn, add_article, make_engine, make_session_factory, session_scope


def seed_articles(db_url: str, n: int, *, paragraphs: int = 1, offset: int = 0) -> None:
    """Store ``n`` generated articles (distinct texts, no near-duplicates) through the store API."""
    engine = make_engine(db_url)
    factory = make_session_factory(engine)
    now = datetime.now(UTC)
    for lo in range(offset, offset + n, 500):
        with session_scope(factory) as s:
            for i in range(lo, min(lo + 500, offset + n)):
                url = f"https://scale.example/a/{i}.html"
                add_article(
                    s,
                    ArticleIn(
                        source_id=None,
                        url=url,
                        canonical_url=url,
                        title=article_title(i),
                        text=article_text(i, paragraphs=paragraphs),
                        published_at=published(i),
                        fetched_at=now,
                    ),
                )
    engine.dispose()
