"""Incidents: create or refresh an incident from its record, merge two, resolve old slugs.

An incident row stands for one clustering component (``incident.component_id``). Its record
(title, summary, parties, timeline, counts) is rebuilt whenever its articles change and written
here in one go. When two components merge, the absorbed incident's slug — and every slug that
already pointed to it — becomes an ``incident_alias`` of the surviving one, so old links resolve.
What changed in a briefing window is read in ``store/readmodels/window.py``.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from store.models.incidents import (
    Incident,
    IncidentAlias,
    IncidentArticle,
    IncidentClaim,
    IncidentEvent,
    IncidentParty,
)

__all__ = [
    "IncidentData",
    "absorb_incident",
    "adopt_orphans",
    "claim_orphan",
    "delete_incident",
    "incident_for_component",
    "resolve_slug",
    "upsert_incident",
]

log = logging.getLogger(__name__)


@dataclass
class IncidentData:
    """An incident record as the store writes it (filled from ``nlp.incidents`` by the job).

    ``articles``: (article id, link score or ``None`` to keep the stored one); ``parties``:
    (entity id, role, first seen, article id); ``events``: (status, occurred at, article id,
    claim id, sentence); ``summary_sources``: dicts with text, article_id, url and outlet;
    ``merge_reasons``: dicts with article_id, joined (article id) and reason.
    """

    title: str
    slug_base: str
    summary: str
    status: str
    legal_status: str | None
    score: float
    claim_types: list[str]
    first_seen_at: dt.datetime
    last_seen_at: dt.datetime
    article_count: int
    source_count: int
    outlet_count: int
    articles: list[tuple[int, float | None]] = field(default_factory=list)
    parties: list[tuple[str, str, dt.datetime | None, int | None]] = field(default_factory=list)
    events: list[tuple[str, dt.datetime, int, int | None, str]] = field(default_factory=list)
    claim_ids: list[int] = field(default_factory=list)
    summary_sources: list[dict[str, Any]] = field(default_factory=list)
    merge_reasons: list[dict[str, Any]] = field(default_factory=list)


def _slug_taken(session: Session, slug: str) -> bool:
    return (
        session.scalar(sa.select(Incident.id).where(Incident.slug == slug)) is not None
        or session.get(IncidentAlias, slug) is not None
    )


def _unique_slug(session: Session, base: str) -> str:
    slug, n = base, 2
    while _slug_taken(session, slug):
        slug, n = f"{base}-{n}", n + 1
    return slug


def incident_for_component(session: Session, component_id: int) -> Incident | None:
    """The incident standing for a clustering component, if any."""
    return session.scalar(sa.select(Incident).where(Incident.component_id == component_id))


def upsert_incident(session: Session, component_id: int, data: IncidentData) -> Incident:
    """Create the component's incident, or refresh it.

    Its slug follows its record: when the record's parties give another slug (a batch founded
    the incident before its other articles came in), the incident is renamed and the old slug
    stays an alias, so every link to it still resolves. The stored slug is then the same
    whatever order the articles were clustered in.

    Articles keep the time they joined; parties, timeline and claims are replaced by the
    record's (they are derived from the articles, so replacing is idempotent).
    """
    inc = incident_for_component(session, component_id)
    if inc is None:
        inc = Incident(slug=_unique_slug(session, data.slug_base), component_id=component_id)
        session.add(inc)
    elif not _slug_fits(inc.slug, data.slug_base):
        _rename(session, inc, data.slug_base)
    for attr in (
        "title",
        "summary",
        "status",
        "legal_status",
        "score",
        "first_seen_at",
        "last_seen_at",
        "article_count",
        "source_count",
        "outlet_count",
        "summary_sources",
        "merge_reasons",
    ):
        setattr(inc, attr, getattr(data, attr))
    inc.claim_types = list(data.claim_types)
    session.flush()
    scores = dict(data.articles)
    have = dict(
        session.execute(
            sa.select(IncidentArticle.article_id, IncidentArticle.score).where(
                IncidentArticle.incident_id == inc.id
            )
        ).all()
    )
    gone = set(have) - set(scores)
    if gone:
        session.execute(
            sa.delete(IncidentArticle).where(
                IncidentArticle.incident_id == inc.id, IncidentArticle.article_id.in_(gone)
            )
        )
    for aid, score in sorted(scores.items()):
        if aid not in have:
            session.add(IncidentArticle(incident_id=inc.id, article_id=aid, score=score))
        elif score is not None and have[aid] != score:
            session.execute(
                sa.update(IncidentArticle)
                .where(IncidentArticle.incident_id == inc.id, IncidentArticle.article_id == aid)
                .values(score=score)
            )
    for model in (IncidentParty, IncidentEvent, IncidentClaim):
        session.execute(sa.delete(model).where(model.incident_id == inc.id))
    seen: set[tuple[str, str]] = set()
    for eid, role, first, art in data.parties:
        if (eid, role) not in seen:
            seen.add((eid, role))
            session.add(
                IncidentParty(
                    incident_id=inc.id,
                    entity_id=eid,
                    role=role,
                    first_seen_at=first,
                    article_id=art,
                )
            )
    for status, when, art, claim_id, sentence in data.events:
        ev = IncidentEvent(incident_id=inc.id, status=status, occurred_at=when, article_id=art)
        ev.claim_id, ev.sentence = claim_id, sentence
        session.add(ev)
    for claim_id in sorted(set(data.claim_ids)):
        session.add(IncidentClaim(incident_id=inc.id, claim_id=claim_id))
    session.flush()
    return inc


def _slug_fits(slug: str, base: str) -> bool:
    """Whether ``slug`` is ``base`` or ``base`` with a number a clash added ("base-2")."""
    if slug == base:
        return True
    head, _, tail = slug.rpartition("-")
    return head == base and tail.isdigit()


def _rename(session: Session, inc: Incident, base: str) -> None:
    """Give ``inc`` the slug ``base`` now derives; its old slug becomes an alias of it."""
    own = session.get(IncidentAlias, base)
    if own is not None and own.incident_id == inc.id:
        session.delete(own)  # back to a name it had before
        session.flush()
    new = _unique_slug(session, base)
    log.info("incident %s renamed %s", inc.slug, new)
    session.add(IncidentAlias(old_slug=inc.slug, incident_id=inc.id))
    inc.slug = new
    session.flush()


def _alias_into(session: Session, old: Incident, target: Incident) -> None:
    """Point ``old``'s slug and aliases at ``target`` (``old`` is then deleted by the caller)."""
    session.execute(
        sa.update(IncidentAlias)
        .where(IncidentAlias.incident_id == old.id)
        .values(incident_id=target.id)
    )
    session.add(IncidentAlias(old_slug=old.slug, incident_id=target.id))
    session.flush()


def absorb_incident(session: Session, old_component: int, new_component: int) -> str | None:
    """Component ``old_component`` was merged into ``new_component``: merge their incidents.

    When the surviving component has no incident yet, the absorbed incident simply takes the
    new component (it keeps its slug). Otherwise the absorbed one is deleted and its slug (and
    the slugs that pointed to it) resolve to the survivor.

    Returns:
        The slug that became an alias, if any.
    """
    old = incident_for_component(session, old_component)
    if old is None or old_component == new_component:
        return None
    target = incident_for_component(session, new_component)
    if target is None:
        old.component_id = new_component
        session.flush()
        return None
    slug = old.slug
    _alias_into(session, old, target)
    session.delete(old)
    session.flush()
    log.info("incident %s merged into %s", slug, target.slug)
    return slug


def delete_incident(session: Session, component_id: int) -> None:
    """Delete a component's incident (it lost its anchor); its slug stops resolving."""
    inc = incident_for_component(session, component_id)
    if inc is not None:
        session.delete(inc)
        session.flush()


def _overlaps(session: Session, article_ids: Sequence[int]) -> list[tuple[int, int]]:
    """(incident id, shared articles) for orphan incidents (no component), best first."""
    if not article_ids:
        return []
    rows = session.execute(
        sa.select(IncidentArticle.incident_id, sa.func.count())
        .join(Incident, Incident.id == IncidentArticle.incident_id)
        .where(Incident.component_id.is_(None), IncidentArticle.article_id.in_(article_ids))
        .group_by(IncidentArticle.incident_id)
    ).all()
    return sorted(((int(i), int(n)) for i, n in rows), key=lambda r: (-r[1], r[0]))


def claim_orphan(session: Session, component_id: int, article_ids: Sequence[int]) -> None:
    """After a rebuild: give the component the old incident sharing most of its articles.

    Slugs survive a rebuild this way (a rebuild forgets the components, not the incidents).
    """
    if incident_for_component(session, component_id) is not None:
        return
    best = _overlaps(session, list(article_ids)[:5000])
    if best:
        inc = session.get(Incident, best[0][0])
        assert inc is not None
        inc.component_id = component_id
        session.flush()


def adopt_orphans(session: Session) -> int:
    """After a rebuild: old incidents that no component claimed become aliases (or go).

    Each becomes an alias of the incident holding most of its articles; one sharing no article
    with any incident is deleted. Returns the number of incidents removed.
    """
    orphans = list(session.scalars(sa.select(Incident).where(Incident.component_id.is_(None))))
    for inc in orphans:
        arts = sa.select(IncidentArticle.article_id).where(IncidentArticle.incident_id == inc.id)
        best = session.execute(
            sa.select(IncidentArticle.incident_id, sa.func.count())
            .join(Incident, Incident.id == IncidentArticle.incident_id)
            .where(Incident.component_id.is_not(None), IncidentArticle.article_id.in_(arts))
            .group_by(IncidentArticle.incident_id)
            .order_by(sa.func.count().desc(), IncidentArticle.incident_id)
            .limit(1)
        ).first()
        if best is not None:
            target = session.get(Incident, best[0])
            assert target is not None
            _alias_into(session, inc, target)
        session.delete(inc)
    session.flush()
    return len(orphans)


def resolve_slug(session: Session, slug: str) -> Incident | None:
    """The incident a slug names: its own slug, or an old slug of a merged incident."""
    inc = session.scalar(sa.select(Incident).where(Incident.slug == slug))
    if inc is not None:
        return inc
    alias = session.get(IncidentAlias, slug)
    return session.get(Incident, alias.incident_id) if alias is not None else None
