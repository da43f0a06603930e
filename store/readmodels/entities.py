"""Entity read models: the list of entities worth a page, and each page's data."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy.orm import Session

from store._sql import chunks
from store.models import Article, Claim, Entity, IncidentParty, Mention, Role
from store.readmodels.claim_groups import group_claims
from store.readmodels.common import ARTICLE_COLUMNS, article_ref, claims_for, entity_refs, ref
from store.readmodels.incidents import incident_summaries
from store.readmodels.types import (
    ClaimView,
    EntityDetail,
    EntityIncident,
    EntityRef,
    EntitySummary,
    RoleView,
)

__all__ = ["TREND_WEEKS", "entity_details", "entity_summaries"]

TREND_WEEKS = 12
CO_OCCURRING = 12
ENTITY_CLAIMS = 12
BULK_IDS = 300  # from this many pages on, read all mention pairs in one pass


def _mention_counts(session: Session, ids: list[str] | None) -> dict[str, tuple[int, int]]:
    stmt = sa.select(
        Mention.entity_id, sa.func.count(), sa.func.count(sa.distinct(Mention.article_id))
    ).group_by(Mention.entity_id)
    out: dict[str, tuple[int, int]] = {}
    parts: list[list[str]] | list[None] = chunks(ids) if ids is not None else [None]
    for part in parts:
        q = stmt if part is None else stmt.where(Mention.entity_id.in_(part))
        for eid, n, n_art in session.execute(q):
            out[eid] = (n, n_art)
    return out


def _incident_counts(session: Session, ids: list[str] | None) -> Counter[str]:
    stmt = sa.select(
        IncidentParty.entity_id, sa.func.count(sa.distinct(IncidentParty.incident_id))
    ).group_by(IncidentParty.entity_id)
    out: Counter[str] = Counter()
    parts: list[list[str]] | list[None] = chunks(ids) if ids is not None else [None]
    for part in parts:
        q = stmt if part is None else stmt.where(IncidentParty.entity_id.in_(part))
        for eid, n in session.execute(q):
            out[eid] = n
    return out


def entity_summaries(session: Session, ids: Iterable[str] | None = None) -> list[EntitySummary]:
    """Entities that have a page: mentioned in an article or party to an incident.

    Sorted by mentions, most first. With ``ids``, only those (and only if they qualify).
    """
    id_list = None if ids is None else sorted(set(ids))
    mentions = _mention_counts(session, id_list)
    incidents = _incident_counts(session, id_list)
    wanted = sorted(set(mentions) | set(incidents))
    out = []
    for part in chunks(wanted):
        for e in session.scalars(sa.select(Entity).where(Entity.id.in_(part))):
            n, n_art = mentions.get(e.id, (0, 0))
            out.append(
                EntitySummary(
                    id=e.id,
                    name=e.name,
                    type=e.type,
                    aliases=tuple(e.aliases or ()),
                    description=e.description,
                    mention_count=n,
                    article_count=n_art,
                    incident_count=incidents[e.id],
                )
            )
    out.sort(key=lambda e: (-e.mention_count, -e.incident_count, e.name.casefold(), e.id))
    return out


def _week(d: dt.date) -> dt.date:
    return d - dt.timedelta(days=d.weekday())


def _roles(session: Session, ids: list[str]) -> dict[str, list[RoleView]]:
    out: dict[str, list[RoleView]] = defaultdict(list)
    for part in chunks(ids):
        rows = session.execute(
            sa.select(Role, *ARTICLE_COLUMNS)
            .join(Article, Article.id == Role.article_id)
            .where(sa.or_(Role.person_id.in_(part), Role.org_id.in_(part)))
            .order_by(sa.func.coalesce(Article.published_at, Article.fetched_at).desc(), Role.id)
        ).all()
        ents = entity_refs(session, [x for r in rows for x in (r[0].person_id, r[0].org_id)])
        for r in rows:
            role = r[0]
            person = ref(ents, role.person_id, role.person_text) or EntityRef(
                None, role.person_text
            )
            view = RoleView(
                person=person,
                title=role.title,
                org=ref(ents, role.org_id, role.org_text),
                sentence=role.sentence,
                article=article_ref(r),
            )
            # One line per (person, title, org): the latest article stating it.
            for eid in {role.person_id, role.org_id} & set(part):
                if eid and not any(
                    (v.person.id, v.title.casefold(), v.org and v.org.name)
                    == (view.person.id, view.title.casefold(), view.org and view.org.name)
                    for v in out[eid]
                ):
                    out[eid].append(view)
    return out


def _cooccurrence_and_trend(
    session: Session, ids: list[str]
) -> tuple[dict[str, Counter[str]], dict[str, Counter[dt.date]]]:
    """Entities sharing articles with each of ``ids``, and each one's weekly article counts."""
    co: dict[str, Counter[str]] = defaultdict(Counter)
    weeks: dict[str, Counter[dt.date]] = defaultdict(Counter)
    wanted = set(ids)
    pairs = sa.select(
        Mention.article_id,
        Mention.entity_id,
        sa.func.coalesce(Article.published_at, Article.fetched_at),
    ).join(Article, Article.id == Mention.article_id)
    # Many pages at once (a full build): one pass over every (article, entity) pair is cheaper
    # than asking, batch after batch, for the articles of each batch's entities.
    if len(ids) >= BULK_IDS:
        queries = [pairs.distinct()]
    else:
        queries = [
            pairs.where(
                Mention.article_id.in_(
                    sa.select(Mention.article_id).where(Mention.entity_id.in_(part))
                )
            ).distinct()
            for part in chunks(ids)
        ]
    by_article: dict[int, set[str]] = defaultdict(set)
    dates: dict[int, dt.date] = {}
    for q in queries:
        for aid, eid, when in session.execute(q):
            by_article[aid].add(eid)
            if aid not in dates:
                when = dt.datetime.fromisoformat(when) if isinstance(when, str) else when
                dates[aid] = when.date()
    for aid, ents in by_article.items():
        for eid in ents & wanted:
            weeks[eid][_week(dates[aid])] += 1
            c = co[eid]
            for other in ents:
                if other != eid:
                    c[other] += 1
    return co, weeks


def _most_common(counts: Counter[str]) -> list[tuple[str, int]]:
    """The ``CO_OCCURRING`` most frequent, ties by id: the same list on every build (a
    Counter's own order follows insertion, which follows the process's string hashing)."""
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:CO_OCCURRING]


def _trend(weeks: Counter[dt.date]) -> tuple[tuple[dt.date, int], ...]:
    """Weekly article counts from the first week with a mention to the last (at most the last
    ``TREND_WEEKS``): no run of empty weeks before the data."""
    if not weeks:
        return ()
    last = max(weeks)
    n = min(TREND_WEEKS, (last - min(weeks)).days // 7 + 1)
    return tuple(
        (last - dt.timedelta(weeks=k), weeks.get(last - dt.timedelta(weeks=k), 0))
        for k in range(n - 1, -1, -1)
    )


def entity_details(session: Session, ids: Iterable[str]) -> list[EntityDetail]:
    """Full page data of the entities with ``ids`` (those without a page are skipped)."""
    summaries = entity_summaries(session, ids)
    id_list = [e.id for e in summaries]
    roles = _roles(session, id_list)
    co, weeks = _cooccurrence_and_trend(session, id_list)
    co_ids = {o for c in co.values() for o, _ in _most_common(c)}
    co_refs = entity_refs(session, co_ids)
    party_rows: dict[str, dict[int, list[str]]] = defaultdict(lambda: defaultdict(list))
    for part in chunks(id_list):
        for eid, iid, role in session.execute(
            sa.select(IncidentParty.entity_id, IncidentParty.incident_id, IncidentParty.role).where(
                IncidentParty.entity_id.in_(part)
            )
        ):
            party_rows[eid][iid].append(role)
    incidents = {
        s.id: s for s in incident_summaries(session, {i for d in party_rows.values() for i in d})
    }
    wikidata: dict[str, str | None] = {}
    for part in chunks(id_list):
        for eid, wd in session.execute(
            sa.select(Entity.id, Entity.wikidata_id).where(Entity.id.in_(part))
        ):
            wikidata[eid] = wd

    claims_by_entity: dict[str, list[ClaimView]] = defaultdict(list)
    for part in chunks(id_list):
        cond = sa.or_(
            Claim.accuser_id.in_(part), Claim.accused_id.in_(part), Claim.victim_id.in_(part)
        )
        for c in claims_for(session, cond):  # newest first
            for party in {c.accuser, c.accused, c.victim}:
                if party is not None and party.id is not None:
                    claims_by_entity[party.id].append(c)
    out = []
    for e in summaries:
        involved = sorted(
            (
                EntityIncident(incidents[iid], tuple(sorted(r)))
                for iid, r in party_rows.get(e.id, {}).items()
                if iid in incidents
            ),
            key=lambda x: (x.incident.last_seen_at, x.incident.id),
            reverse=True,
        )
        claims = group_claims(claims_by_entity.get(e.id, []), newest_first=True)[:ENTITY_CLAIMS]
        out.append(
            EntityDetail(
                entity=e,
                wikidata_id=wikidata.get(e.id),
                roles=tuple(roles.get(e.id, ())),
                incidents=tuple(involved),
                co_occurring=tuple(
                    (co_refs[o], n) for o, n in _most_common(co[e.id]) if o in co_refs
                ),
                trend=_trend(weeks.get(e.id, Counter())),
                claims=tuple(claims),
            )
        )
    return out
