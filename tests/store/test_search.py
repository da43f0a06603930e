"""search_articles on SQLite FTS5 and PostgreSQL tsvector; hostile query text is harmless."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker

from store import add_article, search_articles
from store.models import Article
from tests.store.conftest import article_in

TEXTS = {
    1: (
        "Zentrix sues Quillon",
        "Zentrix Labs filed a lawsuit claiming Quillon AI distilled "
        "its flagship model through the public API.",
    ),
    2: (
        "Harbor Ledger weights leak",
        "Model weights of the Orrin model leaked on a forum, the Harbor Ledger reported.",
    ),
    3: ("Quarterly results", "Velda Corp reported higher revenue and said nothing about AI."),
}


@pytest.fixture
def filled(factory: sessionmaker[Session]) -> sessionmaker[Session]:
    with factory.begin() as s:
        for n, (title, text) in TEXTS.items():
            add_article(s, article_in(n, text=text, title=title))
    return factory


def test_finds_by_stemmed_words_best_first(filled: sessionmaker[Session]) -> None:
    with filled() as s:
        hits = search_articles(s, "distilling model")
        assert [h.title for h in hits] == ["Zentrix sues Quillon"]
        assert "«" in hits[0].snippet
        assert hits[0].url.endswith("story-1?utm_source=x")
        leak = search_articles(s, "weights")
        assert [h.title for h in leak] == ["Harbor Ledger weights leak"]
        model = search_articles(s, "model")
        assert {h.title for h in model} == {"Zentrix sues Quillon", "Harbor Ledger weights leak"}
        assert model[0].rank >= model[-1].rank
        assert search_articles(s, "model", limit=1)[0].article_id in {h.article_id for h in model}


@pytest.mark.parametrize(
    "query",
    ['"', "AND(", "model AND", "NEAR(a b)", "* OR -", "title:zentrix", "'; DROP TABLE x", ""],
)
def test_odd_input_never_errors(filled: sessionmaker[Session], query: str) -> None:
    with filled() as s:
        hits = search_articles(s, query)
    assert isinstance(hits, list)
    if query == "title:zentrix":  # operators are plain words: title AND zentrix
        assert [h.title for h in hits] == []


def test_index_follows_updates_and_deletes(filled: sessionmaker[Session]) -> None:
    with filled.begin() as s:
        s.execute(
            sa.update(Article)
            .where(Article.title == "Quarterly results")
            .values(text="Velda Corp now accuses a rival of scraping its archive.")
        )
        s.execute(sa.delete(Article).where(Article.title == "Harbor Ledger weights leak"))
    with filled() as s:
        assert [h.title for h in search_articles(s, "scraping")] == ["Quarterly results"]
        assert search_articles(s, "revenue") == []
        assert search_articles(s, "weights") == []
