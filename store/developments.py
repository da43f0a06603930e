"""What changed in each incident in a time window: the raw material of the daily briefing.

A development is dated by its article's publication time (its fetch time when unknown), the
same clock as ``claim.published_at``: an article published within ``[since, until)`` brings
its claims, quotes, timeline steps and first-named parties into the window; near-duplicate
copies published in the window are new sources.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased

from store._sql import chunks
from store.models import Article, Claim, Entity, Quote
from store.models.incidents import (
    Incident,
    IncidentArticle,
    IncidentClaim,
    IncidentEvent,
    IncidentParty,
)

__all__ = [
    "ClaimChange",
    "IncidentDevelopment",
    "NewParty",
    "NewQuote",
    "NewSource",
    "StatusChange",
    "developments",
]


@dataclass(frozen=True, slots=True)
class ClaimChange:
    """A claim reported in the window."""

    claim_id: int
    claim_type: str
    stance: str
    legal_status: str | None
    accuser: str | None
    accused: str | None
    sentence: str
    article_id: int
    article_url: str
    published_at: dt.datetime | None


@dataclass(frozen=True, slots=True)
class StatusChange:
    """A timeline step first reported in the window (alleged, denied, lawsuit, …)."""

    status: str
    occurred_at: dt.datetime
    sentence: str
    article_id: int
    article_url: str
    article_title: str | None


@dataclass(frozen=True, slots=True)
class NewParty:
    """An entity first named in the window in this role."""

    entity_id: str
    name: str
    role: str


@dataclass(frozen=True, slots=True)
class NewQuote:
    """A quote from an article of the window."""

    quote_id: int
    speaker: str | None
    text: str
    is_direct: bool
    article_id: int
    article_url: str


@dataclass(frozen=True, slots=True)
class NewSource:
    """An article (or a near-duplicate copy of one) published in the window."""

    article_id: int
    url: str
    title: str | None
    site_name: str | None
    published_at: dt.datetime
    is_near_duplicate: bool


@dataclass(frozen=True)
class IncidentDevelopment:
    """One incident and what changed in it in the window."""

    incident_id: int
    slug: str
    title: str
    summary: str | None
    status: str
    legal_status: str | None
    score: float
    claim_types: list[str]
    first_seen_at: dt.datetime
    last_seen_at: dt.datetime
    #: the incident's first article is in the window
    is_new: bool
    new_claims: list[ClaimChange] = field(default_factory=list)
    status_changes: list[StatusChange] = field(default_factory=list)
    new_parties: list[NewParty] = field(default_factory=list)
    new_quotes: list[NewQuote] = field(default_factory=list)
    new_sources: list[NewSource] = field(default_factory=list)


def _when(a: Any) -> Any:
    """Publication time, else fetch time, of an article table or alias."""
    return sa.func.coalesce(a.published_at, a.fetched_at)


def _sources(
    session: Session, since: dt.datetime, until: dt.datetime
) -> dict[int, list[NewSource]]:
    out: dict[int, list[NewSource]] = defaultdict(list)
    when = _when(Article)
    q = (
        sa.select(
            IncidentArticle.incident_id,
            Article.id,
            Article.url,
            Article.title,
            Article.site_name,
            when,
            Article.is_near_duplicate,
        )
        .join(Article, Article.id == IncidentArticle.article_id)
        .where(when >= since, when < until)
    )
    copy = aliased(Article)
    copy_when = _when(copy)
    q_copies = (
        sa.select(
            IncidentArticle.incident_id,
            copy.id,
            copy.url,
            copy.title,
            copy.site_name,
            copy_when,
            copy.is_near_duplicate,
        )
        .join(copy, copy.near_duplicate_of == IncidentArticle.article_id)
        .where(copy.is_near_duplicate.is_(True), copy_when >= since, copy_when < until)
    )
    for query in (q, q_copies):
        for inc, aid, url, title, site, pub, dup in session.execute(query):
            out[inc].append(NewSource(aid, url, title, site, pub, bool(dup)))
    return out


def developments(
    session: Session, since: dt.datetime, until: dt.datetime
) -> list[IncidentDevelopment]:
    """Per incident, what changed in ``[since, until)``; incidents with no change are left out.

    Args:
        session: an open session.
        since: start of the window (UTC, inclusive).
        until: end of the window (UTC, exclusive).

    Returns:
        Developments, highest ranking score first (then latest news first).
    """
    sources = _sources(session, since, until)
    claims: dict[int, list[ClaimChange]] = defaultdict(list)
    accuser, accused = aliased(Entity), aliased(Entity)
    for inc, c, url, acr, acd in session.execute(
        sa.select(IncidentClaim.incident_id, Claim, Article.url, accuser.name, accused.name)
        .join(Claim, Claim.id == IncidentClaim.claim_id)
        .join(Article, Article.id == Claim.article_id)
        .outerjoin(accuser, accuser.id == Claim.accuser_id)
        .outerjoin(accused, accused.id == Claim.accused_id)
        .where(Claim.published_at >= since, Claim.published_at < until)
        .order_by(Claim.published_at, Claim.id)
    ):
        claims[inc].append(
            ClaimChange(
                c.id,
                c.type,
                c.stance,
                c.legal_status,
                acr or c.accuser_text,
                acd or c.accused_text,
                c.sentence,
                c.article_id,
                url,
                c.published_at,
            )
        )
    steps: dict[int, list[StatusChange]] = defaultdict(list)
    for ev, url, title in session.execute(
        sa.select(IncidentEvent, Article.url, Article.title)
        .join(Article, Article.id == IncidentEvent.article_id)
        .where(IncidentEvent.occurred_at >= since, IncidentEvent.occurred_at < until)
        .order_by(IncidentEvent.occurred_at, IncidentEvent.id)
    ):
        steps[ev.incident_id].append(
            StatusChange(ev.status, ev.occurred_at, ev.sentence, ev.article_id, url, title)
        )
    parties: dict[int, list[NewParty]] = defaultdict(list)
    for inc, eid, name, role in session.execute(
        sa.select(
            IncidentParty.incident_id, IncidentParty.entity_id, Entity.name, IncidentParty.role
        )
        .join(Entity, Entity.id == IncidentParty.entity_id)
        .where(IncidentParty.first_seen_at >= since, IncidentParty.first_seen_at < until)
        .order_by(IncidentParty.role, IncidentParty.entity_id)
    ):
        parties[inc].append(NewParty(eid, name, role))
    quotes = _quotes(session, sources)
    ids = sorted(set(sources) | set(claims) | set(steps) | set(parties))
    out: list[IncidentDevelopment] = []
    for part in chunks(ids, 500):
        for row in session.scalars(sa.select(Incident).where(Incident.id.in_(part))):
            out.append(
                IncidentDevelopment(
                    incident_id=row.id,
                    slug=row.slug,
                    title=row.title,
                    summary=row.summary,
                    status=row.status,
                    legal_status=row.legal_status,
                    score=row.score,
                    claim_types=list(row.claim_types),
                    first_seen_at=row.first_seen_at,
                    last_seen_at=row.last_seen_at,
                    is_new=since <= row.first_seen_at < until,
                    new_claims=claims[row.id],
                    status_changes=steps[row.id],
                    new_parties=parties[row.id],
                    new_quotes=quotes[row.id],
                    new_sources=sorted(
                        sources[row.id], key=lambda s: (s.published_at, s.article_id)
                    ),
                )
            )
    return sorted(out, key=lambda d: (-d.score, -d.last_seen_at.timestamp(), d.incident_id))


def _quotes(session: Session, sources: dict[int, list[NewSource]]) -> dict[int, list[NewQuote]]:
    """Quotes of the window's original articles; in a round-up, only quotes of the parties."""
    out: dict[int, list[NewQuote]] = defaultdict(list)
    by_article: dict[int, set[int]] = defaultdict(set)
    for inc, srcs in sources.items():
        for s in srcs:
            if not s.is_near_duplicate:
                by_article[s.article_id].add(inc)
    if not by_article:
        return out
    parties: dict[int, set[str]] = defaultdict(set)
    incs = sorted({i for v in by_article.values() for i in v})
    for part in chunks(incs, 500):
        for inc, eid in session.execute(
            sa.select(IncidentParty.incident_id, IncidentParty.entity_id).where(
                IncidentParty.incident_id.in_(part)
            )
        ):
            parties[inc].add(eid)
    speaker = aliased(Entity)
    for part in chunks(sorted(by_article), 500):
        for q, url, name in session.execute(
            sa.select(Quote, Article.url, speaker.name)
            .join(Article, Article.id == Quote.article_id)
            .outerjoin(speaker, speaker.id == Quote.speaker_id)
            .where(Quote.article_id.in_(part))
            .order_by(Quote.id)
        ):
            incs_of = by_article[q.article_id]
            for inc in sorted(incs_of):
                if len(incs_of) > 1 and q.speaker_id not in parties[inc]:
                    continue
                out[inc].append(
                    NewQuote(q.id, name or q.speaker_text, q.text, q.is_direct, q.article_id, url)
                )
    return out
