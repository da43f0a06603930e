"""Helpers to fill a store (the migrated databases and ``factory`` are in tests/conftest.py)."""

from __future__ import annotations

import datetime as dt
import random

from store import ArticleIn

T0 = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)


_WORD_TEXT = (
    "lab model court filing engineer weights cloud partner license archive dataset startup "
    "regulator agency lawsuit settlement outputs benchmark chatbot publisher contract chips "
    "investor memo leak contractor account policy review hearing judge ruling appeal"
)
_WORDS = _WORD_TEXT.split()


def _distinct_story(n: int) -> str:
    """A short story about article ``n`` whose words differ from every other ``n``'s.

    Word choice is seeded by ``n``, so two stories share few word 3-shingles and are never
    near-duplicates of each other (the store compares resemblance, not just the numbers).
    """
    rng = random.Random(n)
    words = " ".join(rng.choice(_WORDS) for _ in range(40))
    return f"Story {n}: Zentrix Labs accused Quillon AI of copying model number {n}. {words}."


def article_in(n: int, text: str | None = None, **kw: object) -> ArticleIn:
    """A distinct fictional article number ``n``."""
    body = text if text is not None else _distinct_story(n)
    fields: dict[str, object] = {
        "source_id": None,
        "url": f"https://news.example/story-{n}?utm_source=x",
        "canonical_url": f"https://news.example/story-{n}",
        "title": f"Story {n}",
        "text": body,
        "published_at": T0 + dt.timedelta(hours=n),
        "fetched_at": T0 + dt.timedelta(hours=n, minutes=5),
    }
    fields.update(kw)
    return ArticleIn(**fields)  # type: ignore[arg-type]
