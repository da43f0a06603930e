"""The state of incremental incident clustering: pending articles, facets, leaf links.

``store`` does not know the clustering rules (``nlp/incidents`` does); it keeps what they need
between runs: which articles were clustered with which NLP and rule versions, each article's
facets with their features and component, and the links of leaf facets. ``ipwire.jobs.cluster``
moves the values between the two.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from store._sql import chunks, dialect_name
from store.models import Article, Claim, Entity, Mention, Quote
from store.models.incidents import (
    ArticleCluster,
    Incident,
    IncidentFacet,
    IncidentFacetLink,
)

__all__ = [
    "ArticleData",
    "FacetRow",
    "Pending",
    "add_leaf_links",
    "anchored_components",
    "component_members",
    "load_article_data",
    "load_facets",
    "load_leaf_links",
    "lock_clustering",
    "pending",
    "relabel",
    "reset_clustering",
    "save_facets",
]


@dataclass(frozen=True)
class FacetRow:
    """One stored facet (``features``: prominent keys, claim signatures, word hashes)."""

    id: int
    article_id: int
    component_id: int | None
    is_anchor: bool
    is_leaf: bool
    published_at: dt.datetime
    keys: list[str]
    features: dict[str, Any]


@dataclass(frozen=True)
class ArticleData:
    """What clustering reads about one article, as plain values.

    ``entities``: (id, name, type, mentions); ``mentions``: (entity id, sentence index, start,
    end, text); ``claims``: dicts with the claim columns; ``quotes``: (id, speaker id, speaker,
    text, is_direct, start, end); ``copies``: its near-duplicates as (id, url, site name,
    published).
    """

    article_id: int
    published_at: dt.datetime
    title: str
    text: str
    url: str
    site_name: str | None
    relevance: float
    is_relevant: bool
    nlp_version: str | None = None
    #: False when the page declared no publication time (``published_at`` is the fetch time)
    dated: bool = True
    entities: list[tuple[str, str, str, int]] = field(default_factory=list)
    mentions: list[tuple[str, int, int, int, str]] = field(default_factory=list)
    claims: list[dict[str, Any]] = field(default_factory=list)
    quotes: list[tuple[int, str | None, str | None, str, bool, int, int]] = field(
        default_factory=list
    )
    copies: list[tuple[int, str, str | None, dt.datetime]] = field(default_factory=list)


@dataclass
class Pending:
    """What a clustering run has to do."""

    #: processed, not yet clustered originals
    article_ids: list[int]
    #: new near-duplicate copies (extra sources of their original's incidents)
    copy_ids: list[int]
    #: components whose incidents gain a source through a new copy
    copy_components: set[int]
    #: why the state must be rebuilt (an article re-processed, new rules), else None
    rebuild_reason: str | None = None


#: Key of the PostgreSQL advisory lock that serialises clustering runs ("ipwire-cluster").
_LOCK_KEY = 0x69707769726543


def lock_clustering(session: Session) -> None:
    """Serialise clustering runs until the transaction ends.

    Several ``ipwire process`` workers cluster after their batches; two runs reading the same
    pending articles would both write their facets. PostgreSQL: a transaction-level advisory
    lock. SQLite: a write statement, which takes the database's write lock at once.
    """
    if dialect_name(session) == "postgresql":
        session.execute(sa.select(sa.func.pg_advisory_xact_lock(_LOCK_KEY)))
    else:
        session.execute(
            sa.update(ArticleCluster)
            .where(sa.false())
            .values(cluster_version=ArticleCluster.cluster_version)
        )


def _when() -> Any:
    return sa.func.coalesce(Article.published_at, Article.fetched_at)


def pending(session: Session, cluster_version: str) -> Pending:
    """Articles to cluster: processed originals and near-duplicate copies not seen yet."""
    stale = session.execute(
        sa.select(sa.func.count())
        .select_from(ArticleCluster)
        .join(Article, Article.id == ArticleCluster.article_id)
        .where(
            sa.or_(
                ArticleCluster.cluster_version != cluster_version,
                sa.and_(
                    Article.is_near_duplicate.is_(False),
                    Article.nlp_version.is_distinct_from(ArticleCluster.nlp_version),
                ),
            )
        )
    ).scalar_one()
    seen = sa.select(ArticleCluster.article_id)
    ids = list(
        session.scalars(
            sa.select(Article.id)
            .where(Article.state == "done", Article.is_near_duplicate.is_(False))
            .where(Article.id.not_in(seen))
            .order_by(Article.id)
        )
    )
    copies = session.execute(
        sa.select(Article.id, Article.near_duplicate_of)
        .where(Article.is_near_duplicate.is_(True), Article.near_duplicate_of.is_not(None))
        .where(Article.id.not_in(seen))
        .order_by(Article.id)
    ).all()
    components: set[int] = set()
    originals = [o for _, o in copies]
    for part in chunks(originals, 500):
        components |= set(
            session.scalars(
                sa.select(IncidentFacet.component_id)
                .where(IncidentFacet.article_id.in_(part), IncidentFacet.component_id.is_not(None))
                .distinct()
            )
        )
    reason = f"{stale} article(s) re-processed or clustered by other rules" if stale else None
    return Pending(ids, [c for c, _ in copies], {c for c in components if c is not None}, reason)


def load_article_data(session: Session, ids: Iterable[int]) -> list[ArticleData]:
    """The clustering view of these articles (entities, mentions, claims, quotes, copies)."""
    out: list[ArticleData] = []
    for part in chunks(sorted(set(ids)), 500):
        arts = session.execute(
            sa.select(
                Article.id,
                _when(),
                Article.title,
                Article.text,
                Article.url,
                Article.site_name,
                Article.relevance,
                Article.is_relevant,
                Article.nlp_version,
                Article.published_at.is_not(None),
            ).where(Article.id.in_(part))
        ).all()
        mentions: dict[int, list[tuple[str, int, int, int, str]]] = defaultdict(list)
        counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for aid, eid, sent, start, end, surface in session.execute(
            sa.select(
                Mention.article_id,
                Mention.entity_id,
                Mention.sentence_index,
                Mention.start_char,
                Mention.end_char,
                Mention.text,
            )
            .where(Mention.article_id.in_(part))
            .order_by(Mention.id)
        ):
            mentions[aid].append((eid, sent, start, end, surface))
            counts[aid][eid] += 1
        claims: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for row in session.execute(
            sa.select(Claim).where(Claim.article_id.in_(part)).order_by(Claim.id)
        ).scalars():
            claims[row.article_id].append(
                {c.key: getattr(row, c.key) for c in Claim.__table__.columns}
            )
        quotes: dict[int, list[tuple[int, str | None, str | None, str, bool, int, int]]] = (
            defaultdict(list)
        )
        for q in session.execute(
            sa.select(Quote).where(Quote.article_id.in_(part)).order_by(Quote.id)
        ).scalars():
            quotes[q.article_id].append(
                (q.id, q.speaker_id, q.speaker_text, q.text, q.is_direct, q.start_char, q.end_char)
            )
        wanted = {e for c in counts.values() for e in c}
        for cl in claims.values():
            for c in cl:
                wanted |= {c[k] for k in ("accuser_id", "accused_id", "victim_id") if c[k]}
        ents = {
            e.id: (e.name, e.type)
            for part_ids in chunks(sorted(wanted), 500)
            for e in session.scalars(sa.select(Entity).where(Entity.id.in_(part_ids)))
        }
        copies: dict[int, list[tuple[int, str, str | None, dt.datetime]]] = defaultdict(list)
        for cid, orig, url, site, when in session.execute(
            sa.select(
                Article.id, Article.near_duplicate_of, Article.url, Article.site_name, _when()
            )
            .where(Article.near_duplicate_of.in_(part), Article.is_near_duplicate.is_(True))
            .order_by(Article.id)
        ):
            copies[orig].append((cid, url, site, when))
        for aid, when, title, text, url, site, relevance, is_relevant, version, dated in arts:
            present = dict(counts[aid])
            for c in claims[aid]:
                for k in ("accuser_id", "accused_id", "victim_id"):
                    if c[k] and c[k] not in present:
                        present[c[k]] = 0
            out.append(
                ArticleData(
                    article_id=aid,
                    published_at=when,
                    title=title or "",
                    text=text or "",
                    url=url,
                    site_name=site,
                    relevance=float(relevance or 0.0),
                    is_relevant=bool(is_relevant),
                    nlp_version=version,
                    dated=bool(dated),
                    entities=[(e, *ents[e], n) for e, n in sorted(present.items()) if e in ents],
                    mentions=mentions[aid],
                    claims=claims[aid],
                    quotes=quotes[aid],
                    copies=copies[aid],
                )
            )
    return sorted(out, key=lambda a: a.article_id)


def load_facets(session: Session, since: dt.datetime | None = None) -> list[FacetRow]:
    """Stored facets published at or after ``since`` (all when ``None``)."""
    q = sa.select(IncidentFacet).order_by(IncidentFacet.id)
    if since is not None:
        q = q.where(IncidentFacet.published_at >= since)
    return [
        FacetRow(
            f.id,
            f.article_id,
            f.component_id,
            f.is_anchor,
            f.is_leaf,
            f.published_at,
            list(f.keys),
            dict(f.features),
        )
        for f in session.scalars(q)
    ]


def anchored_components(session: Session, component_ids: Iterable[int]) -> set[int]:
    """Which of these components hold an anchor facet (are incidents)."""
    out: set[int] = set()
    for part in chunks(sorted(set(component_ids)), 500):
        out |= {
            c
            for c in session.scalars(
                sa.select(IncidentFacet.component_id)
                .where(IncidentFacet.component_id.in_(part), IncidentFacet.is_anchor.is_(True))
                .distinct()
            )
            if c is not None
        }
    return out


def load_leaf_links(session: Session, facet_ids: Iterable[int]) -> list[tuple[int, int]]:
    """Stored (leaf, core) links touching these facets."""
    out: set[tuple[int, int]] = set()
    for part in chunks(sorted(set(facet_ids)), 500):
        rows = session.execute(
            sa.select(IncidentFacetLink.leaf_facet_id, IncidentFacetLink.core_facet_id).where(
                sa.or_(
                    IncidentFacetLink.leaf_facet_id.in_(part),
                    IncidentFacetLink.core_facet_id.in_(part),
                )
            )
        ).all()
        out |= {(int(a), int(b)) for a, b in rows}
    return sorted(out)


def save_facets(
    session: Session,
    facets: Iterable[FacetRow],
    versions: Mapping[int, str | None],
    cluster_version: str,
) -> None:
    """Store new facets and mark their articles (``versions``: article → NLP version) seen."""
    rows = [
        {
            "id": f.id,
            "article_id": f.article_id,
            "component_id": f.component_id,
            "is_anchor": f.is_anchor,
            "is_leaf": f.is_leaf,
            "published_at": f.published_at,
            "keys": f.keys,
            "features": f.features,
        }
        for f in facets
    ]
    if rows:
        session.execute(sa.insert(IncidentFacet), rows)
    marks = [
        {"article_id": a, "nlp_version": v, "cluster_version": cluster_version}
        for a, v in sorted(versions.items())
    ]
    if marks:
        session.execute(sa.insert(ArticleCluster), marks)
    session.flush()


def relabel(session: Session, labels: Mapping[int, int]) -> None:
    """Give components a new label: every facet labelled ``old`` becomes ``labels[old]``."""
    for old, new in sorted(labels.items()):
        if old != new:
            session.execute(
                sa.update(IncidentFacet)
                .where(IncidentFacet.component_id == old)
                .values(component_id=new)
            )


def add_leaf_links(session: Session, links: Iterable[tuple[int, int]]) -> None:
    """Store new (leaf, core) links."""
    rows = [{"leaf_facet_id": a, "core_facet_id": b} for a, b in sorted(set(links))]
    if rows:
        session.execute(sa.insert(IncidentFacetLink), rows)


def component_members(session: Session, component_id: int) -> tuple[list[int], list[int], set[str]]:
    """(core article ids, leaf article ids, entity keys of its core facets) of a component."""
    core = session.execute(
        sa.select(IncidentFacet.id, IncidentFacet.article_id, IncidentFacet.keys).where(
            IncidentFacet.component_id == component_id
        )
    ).all()
    keys: set[str] = set()
    for _, _, k in core:
        keys |= set(k)
    leaf_ids: set[int] = set()
    for part in chunks([fid for fid, _, _ in core], 500):
        leaf_ids |= set(
            session.scalars(
                sa.select(IncidentFacet.article_id)
                .join(IncidentFacetLink, IncidentFacetLink.leaf_facet_id == IncidentFacet.id)
                .where(IncidentFacetLink.core_facet_id.in_(part))
            )
        )
    core_ids = sorted({a for _, a, _ in core})
    return core_ids, sorted(leaf_ids - set(core_ids)), keys


def reset_clustering(session: Session) -> None:
    """Forget the clustering state; incidents stay (without component) to keep their slugs."""
    session.execute(sa.delete(IncidentFacetLink))
    session.execute(sa.delete(IncidentFacet))
    session.execute(sa.delete(ArticleCluster))
    session.execute(sa.update(Incident).values(component_id=None))
    session.flush()
