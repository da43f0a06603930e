"""Cheap change signatures for the incremental site build.

A signature is a short hash of everything a page shows, computed from a few aggregate queries
(no evidence text is read). The site builder compares them with the previous build's manifest
and renders only the pages whose signature moved. What invalidates what:

* an incident page: its row (``updated_at`` moves when the clusterer touches it), its articles
  (count, ids, latest processing time: re-processing replaces the claims and quotes) and parties;
* an entity page: its row, its mentions and roles (count, article ids, highest row id: NLP
  replaces them when it re-processes an article), the incidents it is party to (their
  ``updated_at``);
* the list pages (families): a hash over the signatures they summarise.

A rename of an *other* entity shown on a page (a co-occurring name) does not move that page's
signature; ``ipwire site build --full`` re-renders everything.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from store.models import (
    Article,
    Briefing,
    Claim,
    CrawlRun,
    Entity,
    Incident,
    IncidentAlias,
    IncidentArticle,
    IncidentParty,
    Mention,
    Role,
    Source,
)
from store.models.incidents import IncidentClaim, IncidentEvent
from store.readmodels.common import INCIDENT_COLUMNS

__all__ = ["SiteSignatures", "site_signatures"]


def _h(*parts: Any) -> str:
    return hashlib.blake2b(repr(parts).encode(), digest_size=12).hexdigest()


def _aggregate(session: Session, *columns: Any) -> tuple[Any, ...]:
    """The one row of an aggregate query over whole tables (counts, maxima, sums)."""
    return tuple(session.execute(sa.select(*columns)).one())


@dataclass(frozen=True, slots=True)
class SiteSignatures:
    """Signatures of every page family and of each incident and entity page."""

    incidents: dict[int, tuple[str, str]]  # id -> (slug, signature)
    entities: dict[str, str]  # id -> signature (entities that have a page)
    families: dict[str, str]  # "incidents", "entities", "claims", "ops", "home" -> signature


def _incident_sigs(session: Session) -> dict[int, tuple[str, str]]:
    arts = {
        iid: (n, s, str(p), str(a))
        for iid, n, s, p, a in session.execute(
            sa.select(
                IncidentArticle.incident_id,
                sa.func.count(),
                sa.func.sum(IncidentArticle.article_id),
                sa.func.max(Article.processed_at),
                sa.func.max(IncidentArticle.added_at),
            )
            .join(Article, Article.id == IncidentArticle.article_id)
            .group_by(IncidentArticle.incident_id)
        )
    }
    parties: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for iid, eid, role in session.execute(
        sa.select(IncidentParty.incident_id, IncidentParty.entity_id, IncidentParty.role)
    ):
        parties[iid].append((eid, role))
    # The clusterer replaces timeline and claim rows on every refresh: sign their content.
    events: dict[int, list[Any]] = defaultdict(list)
    for iid, status, when, aid in session.execute(
        sa.select(
            IncidentEvent.incident_id,
            IncidentEvent.status,
            IncidentEvent.occurred_at,
            IncidentEvent.article_id,
        )
    ):
        events[iid].append((status, str(when), aid))
    own = {
        iid: (n, total)
        for iid, n, total in session.execute(
            sa.select(
                IncidentClaim.incident_id, sa.func.count(), sa.func.sum(IncidentClaim.claim_id)
            ).group_by(IncidentClaim.incident_id)
        )
    }
    out = {}
    for row in session.execute(sa.select(*INCIDENT_COLUMNS)):
        out[row.id] = (
            row.slug,
            _h(
                tuple(row),
                arts.get(row.id),
                sorted(parties.get(row.id, ())),
                sorted(events.get(row.id, ())),
                own.get(row.id),
            ),
        )
    return out


def _entity_sigs(session: Session) -> dict[str, str]:
    # Re-processing an article replaces its mentions and roles with new rows, so the highest
    # row id moves for every entity it names: no join with ``article`` needed.
    mentions = {
        eid: (n, s, m)
        for eid, n, s, m in session.execute(
            sa.select(
                Mention.entity_id,
                sa.func.count(),
                sa.func.sum(Mention.article_id),
                sa.func.max(Mention.id),
            ).group_by(Mention.entity_id)
        )
    }
    roles: dict[str, list[Any]] = defaultdict(list)
    for col in (Role.person_id, Role.org_id):
        for eid, n, m in session.execute(
            sa.select(col, sa.func.count(), sa.func.max(Role.id))
            .where(col.is_not(None))
            .group_by(col)
        ):
            if eid is not None:
                roles[eid].append((n, m))
    parties: dict[str, list[Any]] = defaultdict(list)
    for eid, iid, role, updated in session.execute(
        sa.select(
            IncidentParty.entity_id,
            IncidentParty.incident_id,
            IncidentParty.role,
            Incident.updated_at,
        ).join(Incident, Incident.id == IncidentParty.incident_id)
    ):
        parties[eid].append((iid, role, str(updated)))
    wanted = set(mentions) | set(parties)
    out = {}
    for row in session.execute(
        sa.select(
            Entity.id,
            Entity.name,
            Entity.type,
            Entity.aliases,
            Entity.description,
            Entity.wikidata_id,
        )
    ):
        if row.id in wanted:
            out[row.id] = _h(
                tuple(row), mentions.get(row.id), roles.get(row.id), sorted(parties.get(row.id, ()))
            )
    return out


def site_signatures(session: Session) -> SiteSignatures:
    """Signatures of everything the site shows (a few aggregate queries)."""
    incidents = _incident_sigs(session)
    entities = _entity_sigs(session)
    aliases = sorted(
        session.execute(sa.select(IncidentAlias.old_slug, IncidentAlias.incident_id)).all()
    )
    claims = _aggregate(
        session, sa.func.count(Claim.id), sa.func.max(Claim.id), sa.func.sum(Claim.id)
    )
    articles = _aggregate(
        session,
        sa.func.count(Article.id),
        sa.func.max(Article.id),
        sa.func.max(Article.processed_at),
    )
    links = _aggregate(
        session,
        sa.func.count(),
        sa.func.sum(IncidentArticle.incident_id * IncidentArticle.article_id),
        sa.func.sum(IncidentArticle.incident_id),
    )
    runs = _aggregate(
        session,
        sa.func.count(CrawlRun.id),
        sa.func.max(CrawlRun.id),
        sa.func.max(CrawlRun.finished_at),
    )
    sources = _aggregate(session, sa.func.count(Source.id), sa.func.max(Source.updated_at))
    briefings = sorted(
        session.execute(
            sa.select(
                Briefing.id,
                Briefing.status,
                Briefing.created_at,
                Briefing.sent_at,
                Briefing.subject,
            )
        ).all()
    )
    fam = {
        "incidents": _h(sorted(incidents.items()), aliases),
        "entities": _h(sorted(entities.items())),
        # Claim-type pages count incidents per type: membership moves them, titles do not.
        "claims": _h(claims, articles, links),
        "ops": _h(runs, sources, briefings, articles),
    }
    fam["home"] = _h(sorted(fam.items()))
    return SiteSignatures(incidents=incidents, entities=entities, families=fam)
