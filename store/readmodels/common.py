"""Bulk loaders shared by the report queries: entity names, article refs, claims, quotes.

Every loader takes a set of ids and runs one query per 500 ids (``chunks``), so a page family
costs a handful of queries whatever its size, never one per row.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from store._sql import chunks
from store.models import Article, Claim, Entity, Incident, Quote, Role
from store.readmodels.types import ArticleRef, ClaimView, EntityRef, QuoteView

ARTICLE_COLUMNS = (
    Article.id,
    Article.title,
    Article.url,
    Article.site_name,
    Article.published_at,
    Article.fetched_at,
    Article.byline,
)


# Named columns rather than ORM entities: report queries read thousands of rows, and plain
# rows are several times cheaper than identity-mapped objects.
CLAIM_COLUMNS = (
    Claim.id.label("claim_id"),
    Claim.type,
    Claim.stance,
    Claim.legal_status,
    Claim.accuser_id,
    Claim.accuser_text,
    Claim.accused_id,
    Claim.accused_text,
    Claim.victim_id,
    Claim.victim_text,
    Claim.speaker_id,
    Claim.speaker_text,
    Claim.sentence,
    Claim.cues,
)
#: An incident's own columns that its pages show: the summaries select them (with the score,
#: which ranks briefings), and the site build's change signature hashes them.
INCIDENT_COLUMNS = (
    Incident.id,
    Incident.slug,
    Incident.title,
    Incident.summary,
    Incident.status,
    Incident.legal_status,
    Incident.claim_types,
    Incident.first_seen_at,
    Incident.last_seen_at,
    Incident.updated_at,
)
QUOTE_COLUMNS = (
    Quote.id.label("quote_id"),
    Quote.speaker_id,
    Quote.speaker_text,
    Quote.text.label("quote_text"),
    Quote.is_direct,
)


def article_ref(row: Any) -> ArticleRef:
    """An :class:`ArticleRef` from a row selected with :data:`ARTICLE_COLUMNS`."""
    return ArticleRef(
        id=row.id,
        title=row.title or row.url,
        url=row.url,
        outlet=row.site_name,
        published_at=row.published_at,
        fetched_at=row.fetched_at,
        byline=row.byline,
    )


def article_refs(session: Session, ids: Iterable[int]) -> dict[int, ArticleRef]:
    """Articles by id."""
    out: dict[int, ArticleRef] = {}
    for part in chunks(sorted(set(ids))):
        for row in session.execute(sa.select(*ARTICLE_COLUMNS).where(Article.id.in_(part))):
            out[row.id] = article_ref(row)
    return out


def entity_refs(session: Session, ids: Iterable[str | None]) -> dict[str, EntityRef]:
    """Entities by id (unknown ids are simply absent)."""
    out: dict[str, EntityRef] = {}
    for part in chunks(sorted({i for i in ids if i})):
        for eid, name, type_ in session.execute(
            sa.select(Entity.id, Entity.name, Entity.type).where(Entity.id.in_(part))
        ):
            out[eid] = EntityRef(eid, name, type_)
    return out


def ref(entities: dict[str, EntityRef], eid: str | None, text: str | None) -> EntityRef | None:
    """The stored entity when linked, else the text as written, else ``None``."""
    if eid and eid in entities:
        return entities[eid]
    if text:
        return EntityRef(None, text)
    return None


def article_date(a: ArticleRef) -> Any:
    """The date an article is filed under: published, else fetched."""
    return a.published_at or a.fetched_at


def claims_for(
    session: Session, where: Any, *, limit: int | None = None, newest_first: bool = True
) -> list[ClaimView]:
    """Claims matching ``where`` (an SQL condition on ``Claim``/``Article``), with evidence."""
    order = (
        sa.func.coalesce(Article.published_at, Article.fetched_at).desc()
        if newest_first
        else sa.func.coalesce(Article.published_at, Article.fetched_at)
    )
    stmt = (
        sa.select(*CLAIM_COLUMNS, *ARTICLE_COLUMNS)
        .join(Article, Article.id == Claim.article_id)
        .where(where)
        .order_by(order, Claim.id)
    )
    if limit is not None:
        stmt = stmt.limit(limit)
    rows = session.execute(stmt).all()
    ids: set[str | None] = set()
    for c in rows:
        ids.update((c.accuser_id, c.accused_id, c.victim_id, c.speaker_id))
    ents = entity_refs(session, ids)
    out = []
    for c in rows:
        out.append(
            ClaimView(
                id=c.claim_id,
                type=c.type,
                stance=c.stance,
                legal_status=c.legal_status,
                accuser=ref(ents, c.accuser_id, c.accuser_text),
                accused=ref(ents, c.accused_id, c.accused_text),
                victim=ref(ents, c.victim_id, c.victim_text),
                speaker=ref(ents, c.speaker_id, c.speaker_text),
                sentence=c.sentence,
                cues=tuple(c.cues or ()),
                article=article_ref(c),
            )
        )
    return out


def claims_in_articles(session: Session, article_ids: Iterable[int]) -> list[ClaimView]:
    """Every claim of the given articles, oldest article first."""
    out: list[ClaimView] = []
    for part in chunks(sorted(set(article_ids))):
        out.extend(claims_for(session, Claim.article_id.in_(part), newest_first=False))
    return out


def speaker_titles(session: Session, person_ids: Iterable[str | None]) -> dict[str, str]:
    """The latest stated title of each person (``"general counsel at Acme"``)."""
    out: dict[str, str] = {}
    for part in chunks(sorted({p for p in person_ids if p})):
        rows = session.execute(
            sa.select(Role.person_id, Role.title, Role.org_text, Entity.name)
            .join(Article, Article.id == Role.article_id)
            .outerjoin(Entity, Entity.id == Role.org_id)
            .where(Role.person_id.in_(part))
            .order_by(Article.fetched_at, Role.id)
        )
        for pid, title, org_text, org_name in rows:
            org = org_name or org_text
            if pid is not None:
                out[pid] = f"{title}, {org}" if org else title
    return out


def quotes_for(session: Session, where: Any, *, limit: int | None = None) -> list[QuoteView]:
    """Quotes matching ``where`` (a condition on ``Quote``/``Article``), oldest first."""
    stmt = (
        sa.select(*QUOTE_COLUMNS, *ARTICLE_COLUMNS)
        .join(Article, Article.id == Quote.article_id)
        .where(where)
        .order_by(sa.func.coalesce(Article.published_at, Article.fetched_at), Quote.id)
    )
    if limit is not None:
        stmt = stmt.limit(limit)
    rows = session.execute(stmt).all()
    speakers = {r.speaker_id for r in rows}
    ents = entity_refs(session, speakers)
    titles = speaker_titles(session, speakers)
    return [
        QuoteView(
            id=r.quote_id,
            text=r.quote_text,
            is_direct=bool(r.is_direct),
            speaker=ref(ents, r.speaker_id, r.speaker_text),
            speaker_title=titles.get(r.speaker_id or ""),
            article=article_ref(r),
        )
        for r in rows
    ]


def quotes_in_articles(session: Session, article_ids: Iterable[int]) -> list[QuoteView]:
    """Every quote of the given articles."""
    out: list[QuoteView] = []
    for part in chunks(sorted(set(article_ids))):
        out.extend(quotes_for(session, Quote.article_id.in_(part)))
    return out
