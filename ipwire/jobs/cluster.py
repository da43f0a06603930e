"""The cluster stage: processed articles → incidents, incrementally.

Glue between ``store`` (the clustering state, incidents) and ``nlp.incidents`` (the rules):

1. ask the store what is pending (processed articles and near-duplicate copies not seen yet);
2. split the new articles into facets and load the stored facets within the linking window
   (no link reaches further back, so history outside it is never read);
3. link them (``IncidentGraph.add``), store the new facets, component labels and leaf links;
4. merge the incidents whose components merged (old slugs become aliases), and rebuild the
   record (title, parties, timeline, summary, score) of every incident that changed.

The partition does not depend on the order in which articles arrive, so the incremental runs
and ``--rebuild`` agree. A run with nothing pending changes nothing (idempotent). When an
article was re-processed by a newer NLP version, or the rules' ``CLUSTER_VERSION`` changed, the
state is rebuilt from scratch (a re-processed article may *remove* a link, which a union-find
cannot undo); incidents keep their slugs across rebuilds by article overlap.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy.orm import Session

from ipwire.config import Settings
from nlp.incidents import (
    CLUSTER_VERSION,
    ArticleRecord,
    ClusterConfig,
    Facet,
    IncidentGraph,
    IncidentRecord,
    SourceRef,
    build_facets,
    build_record,
    load_config,
)
from nlp.incidents.adapt import record_from_annotations
from nlp.incidents.features import ClaimPair, VictimClaim
from nlp.types import Annotations, Claim, Entity, Mention, Quote
from store import make_engine, make_session_factory, session_scope
from store.cluster_state import (
    ArticleData,
    FacetRow,
    add_leaf_links,
    anchored_components,
    component_members,
    load_article_data,
    load_facets,
    load_leaf_links,
    lock_clustering,
    pending,
    relabel,
    reset_clustering,
    save_facets,
)
from store.incidents import (
    IncidentData,
    absorb_incident,
    adopt_orphans,
    claim_orphan,
    incident_for_component,
    upsert_incident,
)

__all__ = ["ClusterResult", "cluster_pending", "cluster_session"]

log = logging.getLogger(__name__)


@dataclass
class ClusterResult:
    """What one clustering run did."""

    articles: int = 0
    copies: int = 0
    facets: int = 0
    incidents_new: int = 0
    incidents_updated: int = 0
    merged: int = 0
    rebuilt: bool = False
    seconds: float = 0.0

    def as_counts(self) -> dict[str, Any]:
        """The counts as a plain dict (the scheduler records it in ``job_run``)."""
        return asdict(self)


# -- conversions between the store's rows and nlp.incidents' records -----------------------------
def claim_from_row(c: Mapping[str, Any]) -> Claim:
    """A ``claim`` row (its columns by name) as the :class:`~nlp.types.Claim` it was saved from."""
    return Claim(
        type=c["type"],
        accuser_id=c["accuser_id"],
        accuser=c["accuser_text"],
        accused_id=c["accused_id"],
        accused=c["accused_text"],
        victim_id=c["victim_id"],
        victim=c["victim_text"],
        speaker_id=c["speaker_id"],
        speaker=c["speaker_text"],
        stance=c["stance"],
        legal_status=c["legal_status"],
        sentence=c["sentence"],
        start=c["start_char"],
        end=c["end_char"],
        sentence_index=c["sentence_index"],
        cues=tuple(c["cues"] or ()),
    )


def to_annotations(d: ArticleData) -> Annotations:
    """A stored article's analysis back as the :class:`~nlp.types.Annotations` it was saved from."""
    return Annotations(
        nlp_version=d.nlp_version or "",
        relevant=d.is_relevant,
        relevance=d.relevance,
        entities=tuple(Entity(eid, name, etype, count=n) for eid, name, etype, n in d.entities),
        mentions=tuple(
            Mention(eid, start, end, surface, sent) for eid, sent, start, end, surface in d.mentions
        ),
        claims=tuple(claim_from_row(c) for c in d.claims),
        quotes=tuple(
            Quote(speaker_id, speaker, text, direct, start, end)
            for _id, speaker_id, speaker, text, direct, start, end in d.quotes
        ),
    )


def to_record(d: ArticleData) -> ArticleRecord:
    """The clustering view of a stored article (through the one adapter, ``nlp.incidents``)."""
    return record_from_annotations(
        d.article_id,
        to_annotations(d),
        title=d.title,
        text=d.text,
        published_at=d.published_at,
        url=d.url,
        outlet=d.site_name,
        copies=[SourceRef(*c) for c in d.copies],
        dated=d.dated,
        claim_ids=[c["id"] for c in d.claims],
        quote_ids=[q[0] for q in d.quotes],
    )


def facet_to_row(f: Facet, component_id: int | None) -> FacetRow:
    """A facet as the store keeps it."""
    features: dict[str, Any] = {
        "prominent": sorted(f.prominent),
        "pairs": [[p.left, p.accused, sorted(p.groups), p.denied] for p in f.pairs],
        "words": sorted(f.words),
    }
    if not f.dated:
        features["undated"] = True
    if f.victims:
        features["victims"] = [[v.victim, sorted(v.groups)] for v in f.victims]
    return FacetRow(
        f.id,
        f.article_id,
        component_id,
        f.is_anchor,
        f.is_leaf,
        f.published_at,
        sorted(f.keys),
        features,
    )


def row_to_facet(r: FacetRow) -> Facet:
    """A stored facet back as a facet."""
    pairs = tuple(
        ClaimPair(left, acc, frozenset(g), bool(denied))
        for left, acc, g, denied in r.features["pairs"]
    )
    return Facet(
        id=r.id,
        article_id=r.article_id,
        published_at=r.published_at,
        keys=frozenset(r.keys),
        prominent=frozenset(r.features["prominent"]),
        pairs=pairs,
        words=frozenset(r.features["words"]),
        is_anchor=r.is_anchor,
        is_leaf=r.is_leaf,
        dated=not r.features.get("undated", False),
        victims=tuple(
            VictimClaim(victim, frozenset(g)) for victim, g in r.features.get("victims", ())
        ),
    )


def to_incident_data(rec: IncidentRecord, scores: dict[int, float]) -> IncidentData:
    """An incident record as the store writes it."""
    return IncidentData(
        title=rec.title,
        slug_base=rec.slug_base,
        summary=" ".join(s.text for s in rec.summary),
        status=rec.status,
        legal_status=rec.legal_status,
        score=rec.score,
        claim_types=list(rec.claim_types),
        first_seen_at=rec.first_seen_at,
        last_seen_at=rec.last_seen_at,
        article_count=rec.article_count,
        source_count=rec.source_count,
        outlet_count=rec.outlet_count,
        articles=[(a, scores.get(a)) for a in rec.article_ids],
        parties=[(p.entity_id, p.role, p.first_seen_at, p.article_id) for p in rec.parties],
        events=[
            (s.status, s.occurred_at, s.article_id, s.claim_id, s.sentence) for s in rec.timeline
        ],
        claim_ids=list(rec.claim_ids),
        summary_sources=[
            {"text": s.text, "article_id": s.article_id, "url": s.url, "outlet": s.outlet}
            for s in rec.summary
        ],
        merge_reasons=[
            {"article_id": m.article_id, "joined": m.joined_article_id, "reason": m.reason}
            for m in rec.merges
        ],
    )


# -- the run -------------------------------------------------------------------------------------
def _refresh(
    session: Session, label: int, cfg: ClusterConfig, now: dt.datetime, scores: dict[int, float]
) -> bool:
    """Rebuild one incident's record from its articles; True when the incident is new."""
    core, leaves, keys = component_members(session, label)
    if not core:
        return False
    records = [to_record(d) for d in load_article_data(session, core + leaves)]
    # Facets are disjoint groups of an article's keys: the component's are those within its keys
    # (a leaf article's, those sharing one).
    mine = set(core)
    facets = [
        f
        for r in records
        for f in build_facets(r, cfg)
        if (f.keys <= keys if f.article_id in mine else f.keys & keys)
    ]
    rec = build_record(records, frozenset(keys), cfg, now, facets=facets)
    is_new = incident_for_component(session, label) is None
    upsert_incident(session, label, to_incident_data(rec, scores))
    return is_new


def cluster_session(
    session: Session,
    *,
    rebuild: bool = False,
    now: dt.datetime | None = None,
    cfg: ClusterConfig | None = None,
) -> ClusterResult:
    """Cluster what is pending in the store, in the caller's transaction.

    Args:
        session: an open session (the caller commits).
        rebuild: forget the clustering state and cluster every article again.
        now: reference time for recency and dormancy (default: the current time).
        cfg: clustering configuration (default: the packaged one).
    """
    t0 = time.monotonic()
    cfg = cfg or load_config()
    now = now or dt.datetime.now(dt.UTC)
    result = ClusterResult()
    lock_clustering(session)
    todo = pending(session, CLUSTER_VERSION)
    if rebuild or todo.rebuild_reason:
        log.info("rebuilding the incident clustering: %s", todo.rebuild_reason or "requested")
        reset_clustering(session)
        result.rebuilt = True
        todo = pending(session, CLUSTER_VERSION)
    data = load_article_data(session, todo.article_ids)
    records = [to_record(d) for d in data]
    new = [f for r in records for f in build_facets(r, cfg)]
    graph = IncidentGraph(cfg)
    if new and not result.rebuilt:
        since = min(f.published_at for f in new) - dt.timedelta(days=cfg.sig_window_days)
        stored = load_facets(session, since)
        labels = {f.id: f.component_id for f in stored if f.component_id is not None}
        graph.restore(
            (row_to_facet(r) for r in stored),
            labels,
            load_leaf_links(session, [r.id for r in stored]),
            anchored_components(session, set(labels.values())),
        )
    delta = graph.add(new)
    save_facets(
        session,
        [facet_to_row(f, None if f.is_leaf else delta.relabelled[f.id]) for f in new],
        {d.article_id: d.nlp_version for d in data} | dict.fromkeys(todo.copy_ids),
        CLUSTER_VERSION,
    )
    relabel(session, delta.unions)
    add_leaf_links(session, delta.leaf_links)
    for old, survivor in sorted(delta.merged.items()):
        if absorb_incident(session, old, survivor):
            result.merged += 1
    scores: dict[int, float] = {}
    for f in new:
        best = delta.scores.get(f.id, 0.0)
        if best > scores.get(f.article_id, 0.0):
            scores[f.article_id] = best
    touched = set(delta.touched)
    for label in todo.copy_components:
        touched.add(delta.unions.get(label, label))
    for label in sorted(touched):
        if result.rebuilt:
            core, leaves, _ = component_members(session, label)
            claim_orphan(session, label, core + leaves)
        if _refresh(session, label, cfg, now, scores):
            result.incidents_new += 1
        else:
            result.incidents_updated += 1
    if result.rebuilt:
        adopt_orphans(session)
    result.articles, result.copies, result.facets = len(data), len(todo.copy_ids), len(new)
    result.seconds = round(time.monotonic() - t0, 3)
    return result


def cluster_pending(settings: Settings, *, rebuild: bool = False) -> ClusterResult:
    """Cluster the processed articles that are not in an incident yet (the scheduler's stage).

    Args:
        settings: the loaded settings (the database URL).
        rebuild: forget the clustering state and cluster every article again (slugs survive).

    Returns:
        The counts of the run.
    """
    factory = make_session_factory(make_engine(settings.database_url))
    with session_scope(factory) as session:
        result = cluster_session(session, rebuild=rebuild)
    log.info(
        "clustered %d article(s) and %d copies: %d new incident(s), %d updated, %d merged",
        result.articles,
        result.copies,
        result.incidents_new,
        result.incidents_updated,
        result.merged,
    )
    return result
