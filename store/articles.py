"""Adding articles: idempotent, race-safe, with exact and near-duplicate detection."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal, cast

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from store._sql import chunks
from store.hashing import (
    NEAR_DUPLICATE_BITS,
    NEAR_DUPLICATE_RESEMBLANCE,
    bands,
    content_hash,
    hamming,
    near_dup_keys,
    resemblance,
    simhash,
    to_signed64,
)
from store.models import Article

#: Articles sharing a MinHash key with a new one that are compared with it exactly.
MAX_CANDIDATES = 20

__all__ = ["AddResult", "AddStatus", "ArticleIn", "add_article", "add_articles", "known_urls"]

log = logging.getLogger(__name__)

AddStatus = Literal["new", "duplicate_url", "duplicate_content", "near_duplicate"]


@dataclass
class ArticleIn:
    """An article as the crawler hands it to the store."""

    source_id: int | None
    url: str
    canonical_url: str
    title: str | None
    text: str
    published_at: dt.datetime | None
    fetched_at: dt.datetime
    authors: list[str] = field(default_factory=list)
    language: str | None = None
    site_name: str | None = None
    description: str | None = None
    simhash: int | None = None  # signed or unsigned 64-bit; computed from ``text`` when None
    # MinHash band keys (``store.hashing.near_dup_keys``); computed from ``text`` when None.
    # The crawler computes them in its extraction workers, off the writer's critical path.
    near_dup_keys: tuple[int, ...] | None = None
    # ``store.hashing.content_hash(text)``; computed from ``text`` when None (the crawler's
    # workers compute it with the other fingerprints, in the same pass over the text).
    content_hash: str | None = None


@dataclass(frozen=True, slots=True)
class AddResult:
    """What :func:`add_article` did.

    ``article_id`` is the stored row: the new one, or the existing one for a duplicate.
    ``duplicate_of`` names the earlier article for duplicates and near-duplicates.
    """

    article_id: int
    status: AddStatus
    duplicate_of: int | None = None


# The lookups are built once with bind parameters: building the expressions anew for every
# article cost about a fifth of an insert (measured with py-spy in bench/crawl_bench.py).
_EXISTING = (
    sa.select(Article.id, Article.canonical_url, Article.url, Article.content_hash)
    .where(
        sa.or_(
            Article.canonical_url == sa.bindparam("canonical"),
            Article.url == sa.bindparam("url"),
            # ``= NULL`` matches nothing: a text without words has no content hash.
            Article.content_hash == sa.bindparam("chash"),
        )
    )
    .order_by(Article.id)
)
_BANDS = (
    Article.simhash_band0,
    Article.simhash_band1,
    Article.simhash_band2,
    Article.simhash_band3,
)
_NEAREST = sa.select(Article.id, Article.simhash, Article.dup_group_id).where(
    sa.or_(*(c == sa.bindparam(f"b{i}") for i, c in enumerate(_BANDS)))
)
_KEYS = (
    Article.near_dup_key0,
    Article.near_dup_key1,
    Article.near_dup_key2,
    Article.near_dup_key3,
)
# No ORDER BY … LIMIT in SQL: with it, PostgreSQL may walk the primary key backwards and
# filter every row (21 ms per insert at 28,500 articles, growing with the table, in
# bench/scale_bench.py) instead of OR-ing the four key indexes. Candidates are few; the newest
# are chosen here, and only their texts are read.
_CANDIDATES = sa.select(Article.id, Article.dup_group_id).where(
    sa.or_(*(c == sa.bindparam(f"k{i}") for i, c in enumerate(_KEYS))),
    Article.is_near_duplicate.is_(False),
)
_TEXTS = sa.select(Article.id, Article.text).where(
    Article.id.in_(sa.bindparam("ids", expanding=True))
)
_TABLE = cast(sa.Table, Article.__table__)
_INSERT = sa.insert(_TABLE)
# INSERT … ON CONFLICT DO NOTHING RETURNING id where the dialect has it: a lost race on a
# unique key returns no row instead of an error, without a SAVEPOINT per article.
_INSERT_IF_ABSENT = {
    "sqlite": sqlite_insert(_TABLE).on_conflict_do_nothing().returning(_TABLE.c.id),
    "postgresql": pg_insert(_TABLE).on_conflict_do_nothing().returning(_TABLE.c.id),
}
_START_GROUP = (
    sa.update(_TABLE)
    .where(_TABLE.c.id == sa.bindparam("head"), _TABLE.c.dup_group_id.is_(None))
    .values(dup_group_id=sa.bindparam("head"))
)


def _insert(conn: sa.Connection, row: dict[str, Any]) -> int | None:
    """Insert ``row``; its id, or None when a unique key (URL, content hash) already exists."""
    statement = _INSERT_IF_ABSENT.get(conn.dialect.name)
    if statement is not None:
        return conn.execute(statement, row).scalar_one_or_none()
    try:
        with conn.begin_nested():
            key = cast(sa.CursorResult[Any], conn.execute(_INSERT, row)).inserted_primary_key
    except IntegrityError:
        return None
    assert key is not None
    return int(key[0])


def _existing(conn: sa.Connection, art: ArticleIn, chash: str | None) -> AddResult | None:
    """The stored article this one duplicates, if any (one indexed query for all three keys)."""
    rows = conn.execute(
        _EXISTING, {"canonical": art.canonical_url, "url": art.url, "chash": chash}
    ).all()
    for rid, canonical, url, _ in rows:
        if canonical == art.canonical_url or url == art.url:
            return AddResult(rid, "duplicate_url", rid)
    for rid, _, _, h in rows:
        if chash is not None and h == chash:
            return AddResult(rid, "duplicate_content", rid)
    return None


def _nearest(conn: sa.Connection, value: int, max_distance: int) -> tuple[int, int | None] | None:
    """(id, dup_group_id) of the closest stored article within ``max_distance`` bits."""
    params = {f"b{i}": band for i, band in enumerate(bands(value))}
    rows = conn.execute(_NEAREST, params).all()
    best: tuple[int, int, int | None] | None = None
    for aid, other, group in rows:
        if other is None:
            continue
        d = hamming(value, other)
        if d <= max_distance and (best is None or (d, aid) < (best[0], best[1])):
            best = (d, aid, group)
    return None if best is None else (best[1], best[2])


def _resembling(
    conn: sa.Connection, text: str, keys: tuple[int, ...], threshold: float
) -> tuple[int, int | None] | None:
    """(id, dup_group_id) of the stored article most resembling ``text``, if >= ``threshold``.

    Candidates share a MinHash band key (indexed equality on four columns); at most
    ``MAX_CANDIDATES`` of them, the newest first, are compared exactly.
    """
    params = {f"k{i}": key for i, key in enumerate(keys)}
    newest = sorted(conn.execute(_CANDIDATES, params).all(), reverse=True)[:MAX_CANDIDATES]
    if not newest:
        return None
    texts = dict(conn.execute(_TEXTS, {"ids": [aid for aid, _ in newest]}).all())
    best: tuple[float, int, int | None] | None = None
    for aid, group in newest:
        score = resemblance(text, texts.get(aid) or "")
        if score >= threshold and (best is None or (score, -aid) > (best[0], -best[1])):
            best = (score, aid, group)
    return None if best is None else (best[1], best[2])


def add_article(
    session: Session,
    art: ArticleIn,
    *,
    near_dup_max_distance: int = NEAR_DUPLICATE_BITS,
    near_dup_resemblance: float = NEAR_DUPLICATE_RESEMBLANCE,
) -> AddResult:
    """Store an article unless it is already there.

    A duplicate canonical URL (or an already stored original URL) returns the existing row with
    ``duplicate_url``; the same normalised text returns it with ``duplicate_content``; nothing
    is written in either case. A near-duplicate — simhash within ``near_dup_max_distance`` bits
    (at most 3, so that the band index finds every candidate), or word-shingle resemblance of at
    least ``near_dup_resemblance`` with an article sharing a MinHash key (edited syndicated
    copies; see :mod:`store.hashing`) — is stored, linked to its group, marked
    ``is_near_duplicate`` and ``state='skipped'`` so NLP does not process it twice.

    Concurrent writers are safe: the insert is ``INSERT … ON CONFLICT DO NOTHING`` (SQLite,
    PostgreSQL; a SAVEPOINT elsewhere), and when a unique key says another writer won, the
    winner is returned as a duplicate.

    Returns:
        An :class:`AddResult`. The caller commits.
    """
    if not 0 <= near_dup_max_distance <= NEAR_DUPLICATE_BITS:
        raise ValueError(
            f"near_dup_max_distance must be between 0 and {NEAR_DUPLICATE_BITS} (four 16-bit bands)"
        )
    # Core statements on the session's connection: the ORM layer cost more than the queries.
    conn = session.connection()
    chash = art.content_hash if art.content_hash is not None else content_hash(art.text)
    found = _existing(conn, art, chash)
    if found is not None:
        return found
    sh: int | None = None
    if chash is not None:
        sh = to_signed64(art.simhash) if art.simhash is not None else simhash(art.text)
    keys = art.near_dup_keys if art.near_dup_keys is not None else near_dup_keys(art.text)
    near = None
    if keys is not None:
        near = _resembling(conn, art.text, keys, near_dup_resemblance)
    if near is None and sh is not None:
        # Light edits resemble their original far above the threshold, so MinHash nearly always
        # finds them first (a candidate with probability >= 0.998 at J = 0.9); the simhash
        # bands are the second chance.
        near = _nearest(conn, sh, near_dup_max_distance)
    b = bands(sh) if sh is not None else (None, None, None, None)
    k = keys if keys is not None else (None, None, None, None)
    row = {
        "source_id": art.source_id,
        "url": art.url,
        "canonical_url": art.canonical_url,
        "content_hash": chash,
        "simhash": sh,
        "simhash_band0": b[0],
        "simhash_band1": b[1],
        "simhash_band2": b[2],
        "simhash_band3": b[3],
        "near_dup_key0": k[0],
        "near_dup_key1": k[1],
        "near_dup_key2": k[2],
        "near_dup_key3": k[3],
        "title": art.title,
        "byline": ", ".join(art.authors) or None,
        "authors": list(art.authors),
        "published_at": art.published_at,
        "fetched_at": art.fetched_at,
        "language": art.language,
        "site_name": art.site_name,
        "description": art.description,
        "text": art.text,
        "state": "new",
    }
    promoted = False
    if near is not None:
        near = (_original_of(conn, near[0]), near[1])
        near_id, group = near
        row["dup_group_id"] = group if group is not None else near_id
        promoted = _preferred_over(conn, art, near_id)
        if not promoted:
            row["near_duplicate_of"] = near_id
            row["is_near_duplicate"] = True
            row["state"] = "skipped"
    new_id = _insert(conn, row)
    if new_id is None:  # another writer stored this URL or text first
        winner = _existing(conn, art, chash)
        if winner is None:
            raise RuntimeError(f"article {art.canonical_url} conflicted with no stored article")
        log.debug("lost an insert race for %s to article %s", art.canonical_url, winner.article_id)
        return winner
    if near is not None and near[1] is None:
        # The first near-duplicate makes its original the head of a group.
        conn.execute(_START_GROUP, {"head": near[0]})
    if near is not None and promoted:
        head = _promote(conn, new_id, near[0])
        if head == new_id:
            return AddResult(new_id, "new", None)
        return AddResult(new_id, "near_duplicate", head)
    if near is not None:
        return AddResult(new_id, "near_duplicate", near[0])
    return AddResult(new_id, "new", None)


def _original_of(conn: sa.Connection, article_id: int) -> int:
    """The original a stored article copies (itself when it is one)."""
    row = conn.execute(
        sa.select(_TABLE.c.near_duplicate_of, _TABLE.c.is_near_duplicate).where(
            _TABLE.c.id == article_id
        )
    ).one()
    if row.is_near_duplicate and row.near_duplicate_of is not None:
        return int(row.near_duplicate_of)
    return article_id


def _order_key(published: dt.datetime | None, canonical_url: str) -> tuple[int, str, str]:
    """Which copy of a story is its original: the earliest published, then the first URL.

    A total order over the copies, so that the stored original (the one NLP reads) is the
    same whatever order a crawl fetches them in.
    """
    if published is None:
        return (1, "", canonical_url)
    if published.tzinfo is not None:
        published = published.astimezone(dt.UTC).replace(tzinfo=None)
    return (0, published.isoformat(), canonical_url)


def _preferred_over(conn: sa.Connection, art: ArticleIn, head_id: int) -> bool:
    """True when ``art`` should be its group's original instead of the stored ``head_id``.

    Only a head that NLP has not read yet gives way: an analysed original keeps its place (its
    claims and incidents stand), so a copy fetched a run later changes nothing stored.
    """
    head = conn.execute(
        sa.select(Article.published_at, Article.canonical_url, Article.state).where(
            Article.id == head_id
        )
    ).one_or_none()
    if head is None or head.state != "new":
        return False
    mine = _order_key(art.published_at, art.canonical_url)
    return mine < _order_key(head.published_at, head.canonical_url)


def _promote(conn: sa.Connection, new_id: int, old_head: int) -> int:
    """Make ``new_id`` its group's original in place of ``old_head``; returns the original.

    The old head and its copies become near-duplicates of the new one. When another writer
    demoted the old head first, the new article joins that writer's original instead.
    """
    demoted = conn.execute(
        sa.update(_TABLE)
        .where(
            _TABLE.c.id == old_head,
            _TABLE.c.is_near_duplicate.is_(False),
            _TABLE.c.state == "new",
        )
        .values(is_near_duplicate=True, near_duplicate_of=new_id, state="skipped")
    ).rowcount
    if demoted:
        conn.execute(
            sa.update(_TABLE)
            .where(_TABLE.c.near_duplicate_of == old_head, _TABLE.c.id != new_id)
            .values(near_duplicate_of=new_id)
        )
        return new_id
    head = conn.execute(
        sa.select(_TABLE.c.near_duplicate_of, _TABLE.c.is_near_duplicate).where(
            _TABLE.c.id == old_head
        )
    ).one()
    original = head.near_duplicate_of if head.is_near_duplicate else old_head
    conn.execute(
        sa.update(_TABLE)
        .where(_TABLE.c.id == new_id)
        .values(is_near_duplicate=True, near_duplicate_of=original, state="skipped")
    )
    return int(original)


def add_articles(
    session: Session,
    arts: Iterable[ArticleIn],
    *,
    near_dup_max_distance: int = NEAR_DUPLICATE_BITS,
    near_dup_resemblance: float = NEAR_DUPLICATE_RESEMBLANCE,
) -> list[AddResult]:
    """:func:`add_article` for each article, in order, in the caller's transaction.

    One commit for a batch instead of one per article is what makes a crawl's writes cheap; an
    article later in the batch sees the earlier ones (duplicates within the batch are found).

    Returns:
        One :class:`AddResult` per article, in order. The caller commits.
    """
    return [
        add_article(
            session,
            art,
            near_dup_max_distance=near_dup_max_distance,
            near_dup_resemblance=near_dup_resemblance,
        )
        for art in arts
    ]


def known_urls(session: Session, urls: Iterable[str]) -> set[str]:
    """The subset of ``urls`` already stored, as a canonical or an original article URL."""
    wanted = list(dict.fromkeys(urls))
    found: set[str] = set()
    for part in chunks(wanted):
        rows = session.execute(
            sa.select(Article.canonical_url, Article.url).where(
                sa.or_(Article.canonical_url.in_(part), Article.url.in_(part))
            )
        ).all()
        for canonical, original in rows:
            found.add(canonical)
            found.add(original)
    return found.intersection(wanted)
