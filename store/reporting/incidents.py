"""Incident read models: summaries for lists, full details for one page each."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from store._sql import chunks
from store.models import Article, Claim, Entity, Incident, IncidentArticle, IncidentParty
from store.models.incidents import IncidentClaim, IncidentEvent
from store.reporting.common import (
    ARTICLE_COLUMNS,
    article_date,
    article_ref,
    claims_in_articles,
    quotes_in_articles,
)
from store.reporting.types import (
    ArticleRef,
    ClaimView,
    EntityRef,
    IncidentDetail,
    IncidentSummary,
    PartyView,
    TimelineEvent,
)

__all__ = ["incident_details", "incident_summaries"]

# How the clusterer's timeline statuses read on a page.
STATUS_LABELS = {
    "alleged": "Alleged",
    "denied": "Denied",
    "confirmed": "Confirmed",
    "investigation": "Investigation opened",
    "lawsuit": "Lawsuit filed",
    "charged": "Charges filed",
    "settled": "Settled",
    "ruling": "Ruling",
    "dismissed": "Dismissed",
}

# Party roles in the order a reader wants them.
ROLE_ORDER = {"accuser": 0, "accused": 1, "victim": 2, "investigator": 3, "other": 4}


def _parties(session: Session, ids: list[int]) -> dict[int, list[PartyView]]:
    out: dict[int, list[PartyView]] = defaultdict(list)
    for part in chunks(ids):
        rows = session.execute(
            sa.select(
                IncidentParty.incident_id, IncidentParty.role, Entity.id, Entity.name, Entity.type
            )
            .join(Entity, Entity.id == IncidentParty.entity_id)
            .where(IncidentParty.incident_id.in_(part))
        )
        for iid, role, eid, name, type_ in rows:
            out[iid].append(PartyView(EntityRef(eid, name, type_), role))
    for parties in out.values():
        parties.sort(key=lambda p: (ROLE_ORDER.get(p.role, 9), p.entity.name.casefold()))
    return out


def _counts(session: Session, ids: list[int]) -> tuple[Counter[int], Counter[int]]:
    articles: Counter[int] = Counter()
    claims: Counter[int] = Counter()
    for part in chunks(ids):
        for iid, n in session.execute(
            sa.select(IncidentArticle.incident_id, sa.func.count())
            .where(IncidentArticle.incident_id.in_(part))
            .group_by(IncidentArticle.incident_id)
        ):
            articles[iid] = n
        for iid, n in session.execute(
            sa.select(IncidentArticle.incident_id, sa.func.count(Claim.id))
            .join(Claim, Claim.article_id == IncidentArticle.article_id)
            .where(IncidentArticle.incident_id.in_(part))
            .group_by(IncidentArticle.incident_id)
        ):
            claims[iid] = n
    return articles, claims


def incident_summaries(session: Session, ids: Iterable[int] | None = None) -> list[IncidentSummary]:
    """Incidents (all, or those with ``ids``), most recently active first."""
    # Named columns, not the entity: the page needs only these, and the clusterer's own
    # bookkeeping columns stay out of the reports' way.
    stmt = sa.select(
        Incident.id,
        Incident.slug,
        Incident.title,
        Incident.summary,
        Incident.status,
        Incident.legal_status,
        Incident.score,
        Incident.claim_types,
        Incident.first_seen_at,
        Incident.last_seen_at,
        Incident.updated_at,
    ).order_by(Incident.last_seen_at.desc(), Incident.id.desc())
    rows: list[Any] = []
    if ids is None:
        rows = list(session.execute(stmt))
    else:
        for part in chunks(sorted(set(ids))):
            rows.extend(session.execute(stmt.where(Incident.id.in_(part))))
        rows.sort(key=lambda i: (i.last_seen_at, i.id), reverse=True)
    id_list = [i.id for i in rows]
    parties = _parties(session, id_list)
    n_articles, n_claims = _counts(session, id_list)
    return [
        IncidentSummary(
            id=i.id,
            slug=i.slug,
            title=i.title,
            summary=i.summary,
            status=i.status,
            legal_status=i.legal_status,
            score=float(i.score or 0.0),
            claim_types=tuple(i.claim_types or ()),
            first_seen_at=i.first_seen_at,
            last_seen_at=i.last_seen_at,
            updated_at=i.updated_at,
            article_count=n_articles[i.id],
            claim_count=n_claims[i.id],
            accusers=tuple(p.entity for p in parties.get(i.id, ()) if p.role == "accuser"),
            accused=tuple(p.entity for p in parties.get(i.id, ()) if p.role == "accused"),
        )
        for i in rows
    ]


def timeline(
    summary: IncidentSummary, articles: list[ArticleRef], claims: list[ClaimView]
) -> list[TimelineEvent]:
    """Dated steps: first report, each legal status and decisive stance when first stated."""
    events: list[TimelineEvent] = []
    if articles:
        first = min(articles, key=lambda a: (article_date(a), a.id))
        events.append(
            TimelineEvent(
                article_date(first), f"First reported by {first.outlet or 'a source'}", first
            )
        )
    seen: set[str] = set()
    for c in sorted(claims, key=lambda c: (article_date(c.article), c.id)):
        keys = []
        if c.legal_status:
            keys.append((f"legal:{c.legal_status}", c.legal_status.capitalize()))
        if c.stance in ("denied", "confirmed"):
            who = c.speaker or c.accused if c.stance == "denied" else c.speaker or c.accuser
            name = f" by {who.name}" if who else ""
            keys.append(
                (f"stance:{c.stance}:{who.name if who else ''}", f"{c.stance.capitalize()}{name}")
            )
        for key, label in keys:
            if key not in seen:
                seen.add(key)
                events.append(TimelineEvent(article_date(c.article), label, c.article))
    if summary.status != "open":
        events.append(TimelineEvent(summary.updated_at, f"Marked {summary.status}", None))
    events.sort(key=lambda e: e.at)
    return events


def _events(session: Session, ids: list[int]) -> dict[int, list[tuple[Any, ...]]]:
    """The clusterer's timeline steps: (status, occurred_at, article_id, sentence)."""
    out: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    for part in chunks(ids):
        for iid, status, when, aid, sentence in session.execute(
            sa.select(
                IncidentEvent.incident_id,
                IncidentEvent.status,
                IncidentEvent.occurred_at,
                IncidentEvent.article_id,
                IncidentEvent.sentence,
            )
            .where(IncidentEvent.incident_id.in_(part))
            .order_by(IncidentEvent.occurred_at, IncidentEvent.id)
        ):
            out[iid].append((status, when, aid, sentence))
    return out


def _own_claims(session: Session, ids: list[int]) -> dict[int, set[int]]:
    """Claim ids the clusterer assigned to each incident (a round-up's claims are split)."""
    out: dict[int, set[int]] = defaultdict(set)
    for part in chunks(ids):
        for iid, cid in session.execute(
            sa.select(IncidentClaim.incident_id, IncidentClaim.claim_id).where(
                IncidentClaim.incident_id.in_(part)
            )
        ):
            out[iid].add(cid)
    return out


def _event_timeline(
    summary: IncidentSummary, events: list[tuple[Any, ...]], articles: dict[int, ArticleRef]
) -> list[TimelineEvent]:
    out = [
        TimelineEvent(
            when,
            STATUS_LABELS.get(status, status.capitalize()),
            articles.get(aid),
            sentence or None,
        )
        for status, when, aid, sentence in events
    ]
    if articles:
        first = min(articles.values(), key=lambda a: (article_date(a), a.id))
        out.insert(
            0,
            TimelineEvent(
                article_date(first), f"First reported by {first.outlet or 'a source'}", first
            ),
        )
    if summary.status != "open":
        out.append(TimelineEvent(summary.updated_at, f"Marked {summary.status}", None))
    out.sort(key=lambda e: e.at)
    return out


def incident_details(session: Session, ids: Iterable[int]) -> list[IncidentDetail]:
    """Full page data of the incidents with ``ids`` (unknown ids are skipped)."""
    summaries = incident_summaries(session, ids)
    id_list = [s.id for s in summaries]
    parties = _parties(session, id_list)
    links: dict[int, list[ArticleRef]] = defaultdict(list)
    for part in chunks(id_list):
        rows = session.execute(
            sa.select(IncidentArticle.incident_id, *ARTICLE_COLUMNS)
            .join(Article, Article.id == IncidentArticle.article_id)
            .where(IncidentArticle.incident_id.in_(part))
        )
        for row in rows:
            links[row.incident_id].append(article_ref(row))
    all_articles = {a.id for arts in links.values() for a in arts}
    by_article_claims: dict[int, list[ClaimView]] = defaultdict(list)
    for c in claims_in_articles(session, all_articles):
        by_article_claims[c.article.id].append(c)
    by_article_quotes = defaultdict(list)
    for q in quotes_in_articles(session, all_articles):
        by_article_quotes[q.article.id].append(q)
    events = _events(session, id_list)
    own = _own_claims(session, id_list)
    out = []
    for s in summaries:
        arts = sorted(links.get(s.id, []), key=lambda a: (article_date(a), a.id))
        claims = [c for a in arts for c in by_article_claims.get(a.id, ())]
        if own.get(s.id):
            claims = [c for c in claims if c.id in own[s.id]]
        quotes = [q for a in arts for q in by_article_quotes.get(a.id, ())]
        outlets = Counter(a.outlet or "unknown outlet" for a in arts)
        out.append(
            IncidentDetail(
                summary=s,
                parties=tuple(parties.get(s.id, ())),
                timeline=tuple(
                    _event_timeline(s, events[s.id], {a.id: a for a in arts})
                    if events.get(s.id)
                    else timeline(s, arts, claims)
                ),
                claims=tuple(claims),
                quotes=tuple(quotes),
                articles=tuple(arts),
                outlets=tuple(sorted(outlets.items(), key=lambda kv: (-kv[1], kv[0]))),
            )
        )
    return out
