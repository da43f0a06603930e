"""Full-text search over article titles and text, on SQLite and PostgreSQL alike.

SQLite: the FTS5 table ``article_fts`` (external content, Porter stemming) kept in sync with
``article`` by triggers. PostgreSQL: the stored generated column ``article.search_vector``
(English configuration) with a GIN index. Both are created by the initial migration; neither
is an ORM column, because each exists on one dialect only.

The user's text is never passed to the FTS query language: it is reduced to its words, each
searched for as a quoted term (all must match), so ``"``, ``AND(`` or ``NEAR`` can never cause
a syntax error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from store._sql import dialect_name

__all__ = ["SearchHit", "search_articles", "search_terms"]

_WORD = re.compile(r"\w+")
MAX_TERMS = 32
HIGHLIGHT = ("«", "»")


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One matching article; ``rank`` is higher for better matches; ``snippet`` is plain text
    with the matched words between « and »."""

    article_id: int
    title: str | None
    url: str
    snippet: str
    rank: float


def search_terms(query: str) -> list[str]:
    """The words of a user query, as searched (at most 32)."""
    return _WORD.findall(query)[:MAX_TERMS]


_SQLITE = sa.text(
    """
    SELECT a.id, a.title, a.url,
           snippet(article_fts, 1, :hl_start, :hl_end, '…', 16) AS snippet,
           -bm25(article_fts, 2.0, 1.0) AS rank
    FROM article_fts JOIN article AS a ON a.id = article_fts.rowid
    WHERE article_fts MATCH :match AND a.is_near_duplicate = 0
    ORDER BY bm25(article_fts, 2.0, 1.0)
    LIMIT :limit
    """
)

_POSTGRES = sa.text(
    """
    SELECT hit.id, hit.title, hit.url,
           ts_headline('english', hit.text, hit.q,
                       'StartSel=«, StopSel=», MaxWords=30, MinWords=12') AS snippet,
           hit.rank
    FROM (
        SELECT a.id, a.title, a.url, a.text, q.q, ts_rank(a.search_vector, q.q) AS rank
        FROM article AS a, plainto_tsquery('english', :terms) AS q(q)
        WHERE a.search_vector @@ q.q AND NOT a.is_near_duplicate
        ORDER BY rank DESC, a.id
        LIMIT :limit
    ) AS hit
    ORDER BY hit.rank DESC, hit.id
    """
)


def search_articles(session: Session, query: str, limit: int = 20) -> list[SearchHit]:
    """Articles whose title or text contain every word of ``query``, best first.

    Args:
        session: the session.
        query: free text from a user; punctuation and FTS operators are ignored.
        limit: the most hits returned.

    Returns:
        Hits, best first; empty when the query has no words.

    Example:
        >>> search_articles(session, "distillation API")  # doctest: +SKIP
        [SearchHit(article_id=12, title='…', url='…', snippet='… «distillation» …', rank=…)]
    """
    terms = search_terms(query)
    if not terms or limit < 1:
        return []
    if dialect_name(session) == "postgresql":
        rows = session.execute(_POSTGRES, {"terms": " ".join(terms), "limit": limit}).all()
    else:
        match = " ".join('"' + t.replace('"', '""') + '"' for t in terms)
        rows = session.execute(
            _SQLITE,
            {"match": match, "limit": limit, "hl_start": HIGHLIGHT[0], "hl_end": HIGHLIGHT[1]},
        ).all()
    return [SearchHit(r.id, r.title, r.url, r.snippet or "", float(r.rank)) for r in rows]
