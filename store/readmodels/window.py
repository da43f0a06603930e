"""Ranked developments of a briefing window, by *arrival*: what the reader has not seen yet.

A change is dated by when its article arrived, not by its publication time: a morning briefing
is about what arrived since the last one (an article published last week and first crawled
today is news to its reader, and the offline demo's fixture articles are all "old").
So an article belongs to the window when it was *fetched* in it, and the clusterer's own
records say what it changed: its timeline steps (``incident_event``), the parties it first
named (``incident_party.article_id``) and the claims assigned to the incident
(``incident_claim``, so a round-up's claims are split between its incidents).

Ranking: new incidents (first article arrived in the window), then status changes (a timeline
step other than "alleged" reported by a new article), then incidents with new claims, then
claims not clustered into any incident; ties by the clusterer's score and claim count.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from store._sql import chunks
from store.models import Article, Claim, Entity, IncidentArticle, IncidentParty
from store.models.incidents import IncidentClaim, IncidentEvent
from store.readmodels.claim_groups import group_claims
from store.readmodels.incidents import incident_summaries, step_name
from store.readmodels.types import STANCE_RANK, ClaimGroup, ClaimView, IncidentSummary

__all__ = ["Development", "window_developments"]

KIND_WEIGHT = {"new_incident": 300, "status_change": 200, "new_claims": 100, "unclustered": 0}


@dataclass(frozen=True, slots=True)
class Development:
    """One ranked item: what kind of change, the incident (if clustered), the evidence."""

    kind: str  # new_incident | status_change | new_claims | unclustered
    headline: str
    incident: IncidentSummary | None
    groups: tuple[ClaimGroup, ...]  # the headline claims, one per distinct claim
    new_claim_count: int  # distinct claims (type, accuser, accused) in the window's articles
    new_mentions: int  # sentences stating them
    steps: tuple[str, ...]  # timeline statuses first reported in the window
    new_parties: tuple[tuple[str, str], ...]  # (name, role) first named in the window
    score: float


def _top_groups(groups: Sequence[ClaimGroup], n: int = 3) -> tuple[ClaimGroup, ...]:
    """The most decisive distinct claims: a confirmation or denial, a legal step, then the rest."""
    ranked = sorted(
        enumerate(groups),
        key=lambda ig: (
            -(STANCE_RANK.get(ig[1].stance, 0) + (2 if ig[1].legal_statuses else 0)),
            ig[0],
        ),
    )
    return tuple(g for _, g in ranked[:n])


def _by_incident(session: Session, stmt: Any, col: Any, ids: list[int]) -> list[Any]:
    """Rows of ``stmt`` for the incidents in ``ids`` (``col IN`` chunks)."""
    rows: list[Any] = []
    for part in chunks(ids):
        rows.extend(session.execute(stmt.where(col.in_(part))))
    return rows


def window_developments(
    session: Session, start: dt.datetime, end: dt.datetime, claims: list[ClaimView]
) -> tuple[list[Development], int, int]:
    """Developments of the articles fetched in ``[start, end)``; also (new, updated) counts.

    Args:
        session: an open session.
        start: window start.
        end: window end.
        claims: the claims of the window's articles (from :func:`claims_for`).
    """
    window = sa.and_(Article.fetched_at >= start, Article.fetched_at < end)
    arrived = set(session.scalars(sa.select(Article.id).where(window)))
    incident_of: dict[int, set[int]] = defaultdict(set)
    for iid, aid in _by_incident(
        session,
        sa.select(IncidentArticle.incident_id, IncidentArticle.article_id),
        IncidentArticle.article_id,
        sorted(arrived),
    ):
        incident_of[iid].add(aid)
    touched = sorted(incident_of)
    first_fetch = {
        iid: first
        for iid, first in _by_incident(
            session,
            sa.select(IncidentArticle.incident_id, sa.func.min(Article.fetched_at))
            .join(Article, Article.id == IncidentArticle.article_id)
            .group_by(IncidentArticle.incident_id),
            IncidentArticle.incident_id,
            touched,
        )
    }
    new_ids = {iid for iid, first in first_fetch.items() if first >= start}
    own: dict[int, set[int]] = defaultdict(set)
    for iid, cid in _by_incident(
        session,
        sa.select(IncidentClaim.incident_id, IncidentClaim.claim_id),
        IncidentClaim.incident_id,
        touched,
    ):
        own[iid].add(cid)
    steps: dict[int, list[str]] = defaultdict(list)
    has_events: set[int] = set()
    for iid, status, aid, legal in _by_incident(
        session,
        sa.select(
            IncidentEvent.incident_id,
            IncidentEvent.status,
            IncidentEvent.article_id,
            Claim.legal_status,
        )
        .outerjoin(Claim, Claim.id == IncidentEvent.claim_id)
        .order_by(IncidentEvent.occurred_at, IncidentEvent.id),
        IncidentEvent.incident_id,
        touched,
    ):
        has_events.add(iid)
        step = step_name(status, legal)
        if aid in arrived and step not in (None, "alleged") and step not in steps[iid]:
            steps[iid].append(step)
    parties: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for iid, name, role, aid in _by_incident(
        session,
        sa.select(
            IncidentParty.incident_id, Entity.name, IncidentParty.role, IncidentParty.article_id
        )
        .join(Entity, Entity.id == IncidentParty.entity_id)
        .order_by(IncidentParty.role, Entity.name),
        IncidentParty.incident_id,
        touched,
    ):
        if aid in arrived:
            parties[iid].append((name, role))
    # Incidents the clusterer gave no timeline: legal statuses not stated before the window.
    earlier: dict[int, set[str]] = defaultdict(set)
    for iid, status in _by_incident(
        session,
        sa.select(IncidentArticle.incident_id, Claim.legal_status)
        .join(Claim, Claim.article_id == IncidentArticle.article_id)
        .join(Article, Article.id == Claim.article_id)
        .where(Claim.legal_status.is_not(None), Article.fetched_at < start)
        .distinct(),
        IncidentArticle.incident_id,
        [i for i in touched if i not in has_events],
    ):
        earlier[iid].add(status)
    by_article: dict[int, list[ClaimView]] = defaultdict(list)
    for c in claims:
        by_article[c.article.id].append(c)
    summaries = {s.id: s for s in incident_summaries(session, touched)}
    out: list[Development] = []
    clustered: set[int] = set()
    for iid in touched:
        s = summaries.get(iid)
        if s is None:
            continue
        mine = [c for aid in sorted(incident_of[iid]) for c in by_article.get(aid, ())]
        if own.get(iid):
            mine = [c for c in mine if c.id in own[iid]]
        clustered |= {c.id for c in mine}
        moved = (
            steps[iid]
            if iid in has_events
            else sorted({c.legal_status for c in mine if c.legal_status} - earlier[iid])
        )
        if iid in new_ids:
            kind, headline = "new_incident", f"New incident: {s.title}"
        elif moved:
            kind, headline = "status_change", f"{s.title}: now {', '.join(moved)}"
        elif mine or parties[iid]:
            n = len(group_claims(mine, one_story=True))
            kind, headline = "new_claims", f"{s.title}: {n} new claim{'' if n == 1 else 's'}"
        else:
            continue
        groups = group_claims(mine, one_story=True)
        if kind == "status_change":
            first = [g for g in groups if set(g.legal_statuses) & set(moved) or g.stance in moved]
            top = _top_groups(first) + _top_groups([g for g in groups if g not in first])
        else:
            top = _top_groups(groups)
        out.append(
            Development(
                kind=kind,
                headline=headline,
                incident=s,
                groups=top[:3],
                new_claim_count=len(groups),
                new_mentions=len(mine),
                steps=tuple(moved),
                new_parties=tuple(parties[iid]) if iid not in new_ids else (),
                score=KIND_WEIGHT[kind] + min(len(groups), 50) + s.score / 100,
            )
        )
    for aid in sorted(arrived & set(by_article)):
        rest = [c for c in by_article[aid] if c.id not in clustered]
        if rest:
            groups = group_claims(rest)
            out.append(
                Development(
                    kind="unclustered",
                    headline=rest[0].article.title,
                    incident=None,
                    groups=_top_groups(groups),
                    new_claim_count=len(groups),
                    new_mentions=len(rest),
                    steps=(),
                    new_parties=(),
                    score=KIND_WEIGHT["unclustered"] + len(groups),
                )
            )
    out.sort(key=lambda d: (-d.score, d.headline))
    return out, len(new_ids), len(set(touched) - new_ids)
