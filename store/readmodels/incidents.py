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
from store.readmodels.claim_groups import group_claims
from store.readmodels.common import (
    ARTICLE_COLUMNS,
    INCIDENT_COLUMNS,
    article_date,
    article_ref,
    claims_in_articles,
    quotes_in_articles,
)
from store.readmodels.types import (
    ArticleRef,
    ClaimView,
    EntityRef,
    IncidentDetail,
    IncidentSummary,
    PartyView,
    TimelineEvent,
)
from store.vocab import LEGAL_STATUSES, STANCES

__all__ = ["incident_details", "incident_summaries"]

# Timeline steps are named with the claim vocabulary itself (``nlp/types.py``: the stances, then
# the legal statuses), never a paraphrase: an inquiry is an "investigation", not "confirmed".
STEP_NAMES: tuple[str, ...] = (*STANCES, *LEGAL_STATUSES)
#: The usual order of steps reported on the same day: the clusterer's ``STATUS_ORDER`` (store
#: never imports nlp; tests/store/test_models.py keeps the two in step).
STEP_ORDER: tuple[str, ...] = (
    "alleged",
    "denied",
    "confirmed",
    "investigation",
    "lawsuit",
    "charged",
    "dismissed",
    "settled",
    "ruling",
)
#: A stance as a timeline step: a suspicion or an assertion is an allegation (as the clusterer).
STANCE_STEP = {"asserted": "alleged", "alleged": "alleged", "suspected": "alleged"}
STANCE_STEP |= {"denied": "denied", "confirmed": "confirmed"}

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


def _text_key(eid: str | None, text: str | None) -> str:
    return eid or " ".join((text or "").split()).casefold()


def _counts(session: Session, ids: list[int]) -> tuple[Counter[int], Counter[int], Counter[int]]:
    """Articles, distinct claims and claim mentions of each incident.

    An incident's claims are those the clusterer assigned to it (``incident_claim``: a round-up's
    claims are split between its incidents); an incident without such rows has every claim of
    its articles. Distinct claims are distinct (type, accuser, accused), see
    :mod:`store.readmodels.claim_groups`.
    """
    articles: Counter[int] = Counter()
    mentions: Counter[int] = Counter()
    keys: dict[int, set[tuple[str, str, str]]] = defaultdict(set)
    cols = (Claim.type, Claim.accuser_id, Claim.accuser_text, Claim.accused_id, Claim.accused_text)
    for part in chunks(ids):
        for iid, n in session.execute(
            sa.select(IncidentArticle.incident_id, sa.func.count())
            .where(IncidentArticle.incident_id.in_(part))
            .group_by(IncidentArticle.incident_id)
        ):
            articles[iid] = n
        assigned = list(
            session.execute(
                sa.select(IncidentClaim.incident_id, *cols)
                .join(Claim, Claim.id == IncidentClaim.claim_id)
                .where(IncidentClaim.incident_id.in_(part))
            )
        )
        with_rows = {r[0] for r in assigned}
        rest = [i for i in part if i not in with_rows]
        by_article = (
            list(
                session.execute(
                    sa.select(IncidentArticle.incident_id, *cols)
                    .join(Claim, Claim.article_id == IncidentArticle.article_id)
                    .where(IncidentArticle.incident_id.in_(rest))
                )
            )
            if rest
            else []
        )
        for iid, type_, a_id, a_text, d_id, d_text in assigned + by_article:
            mentions[iid] += 1
            keys[iid].add((type_, _text_key(a_id, a_text), _text_key(d_id, d_text)))
    return articles, Counter({i: len(k) for i, k in keys.items()}), mentions


def incident_summaries(session: Session, ids: Iterable[int] | None = None) -> list[IncidentSummary]:
    """Incidents (all, or those with ``ids``), most recently active first."""
    # Named columns, not the entity: the page needs only these, and the clusterer's own
    # bookkeeping columns stay out of the reports' way.
    stmt = sa.select(*INCIDENT_COLUMNS, Incident.score).order_by(
        Incident.last_seen_at.desc(), Incident.id.desc()
    )
    rows: list[Any] = []
    if ids is None:
        rows = list(session.execute(stmt))
    else:
        for part in chunks(sorted(set(ids))):
            rows.extend(session.execute(stmt.where(Incident.id.in_(part))))
        rows.sort(key=lambda i: (i.last_seen_at, i.id), reverse=True)
    id_list = [i.id for i in rows]
    parties = _parties(session, id_list)
    n_articles, n_claims, n_mentions = _counts(session, id_list)
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
            mention_count=n_mentions[i.id],
            accusers=tuple(p.entity for p in parties.get(i.id, ()) if p.role == "accuser"),
            accused=tuple(p.entity for p in parties.get(i.id, ()) if p.role == "accused"),
        )
        for i in rows
    ]


#: Legal steps that pursue an accusation without establishing it. A "confirmed" stated by the
#: same sentence confirms the step ("the office confirmed it has opened an inquiry"), not the
#: accusation, so it is that step, never a "confirmed" one.
PENDING_LEGAL = frozenset({"investigation", "lawsuit", "charged"})


def step_name(status: str, claim_legal_status: str | None) -> str | None:
    """The timeline step a status is, named in the claim vocabulary; ``None``: no step."""
    if status == "confirmed" and claim_legal_status in PENDING_LEGAL:
        return None
    return status


def _first_report(articles: Iterable[ArticleRef]) -> TimelineEvent:
    first = min(articles, key=lambda a: (article_date(a), a.id))
    return TimelineEvent(
        article_date(first), f"First reported by {first.outlet or 'a source'}", first
    )


def timeline(
    summary: IncidentSummary, articles: list[ArticleRef], claims: list[ClaimView]
) -> list[TimelineEvent]:
    """Dated steps (no clusterer timeline): first report, each step when first stated."""
    events: list[TimelineEvent] = [_first_report(articles)] if articles else []
    seen: set[str] = set()
    for c in sorted(claims, key=lambda c: (article_date(c.article), c.id)):
        for status in (STANCE_STEP.get(c.stance), c.legal_status):
            step = step_name(status, c.legal_status) if status else None
            if step and step not in seen:
                seen.add(step)
                events.append(
                    TimelineEvent(article_date(c.article), step, c.article, c.sentence, step)
                )
    if summary.status != "open":
        events.append(TimelineEvent(summary.updated_at, f"Marked {summary.status}", None))
    events.sort(key=lambda e: (e.at, _step_order(e)))
    return events


def _step_order(e: TimelineEvent) -> int:
    if e.step is None:
        return -1 if e.article is not None else 99
    return STEP_ORDER.index(e.step) if e.step in STEP_ORDER else 50


def _events(session: Session, ids: list[int]) -> dict[int, list[tuple[Any, ...]]]:
    """The clusterer's timeline steps: (step, occurred_at, article_id, sentence).

    A "confirmed" that only confirms a pending legal step is left out (:func:`step_name`).
    """
    out: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    for part in chunks(ids):
        for iid, status, when, aid, sentence, legal in session.execute(
            sa.select(
                IncidentEvent.incident_id,
                IncidentEvent.status,
                IncidentEvent.occurred_at,
                IncidentEvent.article_id,
                IncidentEvent.sentence,
                Claim.legal_status,
            )
            .outerjoin(Claim, Claim.id == IncidentEvent.claim_id)
            .where(IncidentEvent.incident_id.in_(part))
            .order_by(IncidentEvent.occurred_at, IncidentEvent.id)
        ):
            step = step_name(status, legal)
            if step is not None:
                out[iid].append((step, when, aid, sentence))
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
        TimelineEvent(when, step, articles.get(aid), sentence or None, step)
        for step, when, aid, sentence in events
    ]
    if articles:
        out.append(_first_report(articles.values()))
    if summary.status != "open":
        out.append(TimelineEvent(summary.updated_at, f"Marked {summary.status}", None))
    out.sort(key=lambda e: (e.at, _step_order(e)))
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
                claim_groups=tuple(group_claims(claims, one_story=True)),
                quotes=tuple(quotes),
                articles=tuple(arts),
                outlets=tuple(sorted(outlets.items(), key=lambda kv: (-kv[1], kv[0]))),
            )
        )
    return out
