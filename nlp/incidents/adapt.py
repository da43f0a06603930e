"""Build :class:`ArticleRecord` values from :class:`nlp.types.Annotations` (no store needed)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from nlp.incidents.config import ClusterConfig, load_config
from nlp.incidents.features import (
    ArticleRecord,
    ClaimRef,
    EntityRef,
    MentionRef,
    QuoteRef,
    SourceRef,
    build_facets,
)
from nlp.incidents.graph import IncidentGraph
from nlp.incidents.record import IncidentRecord, build_record
from nlp.types import Annotations

__all__ = ["cluster_records", "record_from_annotations"]


def record_from_annotations(
    article_id: int,
    ann: Annotations,
    *,
    title: str,
    text: str,
    published_at: dt.datetime,
    url: str = "",
    outlet: str | None = None,
    copies: Sequence[SourceRef] = (),
    dated: bool = True,
    claim_ids: Sequence[int | None] = (),
    quote_ids: Sequence[int | None] = (),
) -> ArticleRecord:
    """The clustering view of an analysed article (mentions before the body are in the title).

    The one way an :class:`ArticleRecord` is made: from fresh analyses (evaluation, benchmarks)
    and from stored articles (the cluster job turns the store's rows back into
    :class:`~nlp.types.Annotations`).

    Args:
        dated: False when the page declared no publication time (``published_at`` stands in).
        claim_ids: The store's id of each of ``ann.claims``, in order (empty outside the store).
        quote_ids: The store's id of each of ``ann.quotes``, in order (empty outside the store).
    """
    title_end = len(title) if title else 0
    claim_id_of = list(claim_ids) or [None] * len(ann.claims)
    quote_id_of = list(quote_ids) or [None] * len(ann.quotes)
    return ArticleRecord(
        article_id=article_id,
        published_at=published_at,
        title=title,
        text=text,
        relevance=ann.relevance,
        is_relevant=ann.relevant,
        url=url,
        outlet=outlet,
        entities=tuple(EntityRef(e.id, e.name, e.type, e.count) for e in ann.entities),
        mentions=tuple(
            MentionRef(m.entity_id, m.sentence_index, m.start < title_end) for m in ann.mentions
        ),
        claims=tuple(
            ClaimRef(
                type=c.type,
                stance=c.stance,
                legal_status=c.legal_status,
                sentence=c.sentence,
                sentence_index=c.sentence_index,
                accuser_id=c.accuser_id,
                accuser=c.accuser,
                accused_id=c.accused_id,
                accused=c.accused,
                victim_id=c.victim_id,
                victim=c.victim,
                speaker_id=c.speaker_id,
                speaker=c.speaker,
                claim_id=cid,
            )
            for c, cid in zip(ann.claims, claim_id_of, strict=True)
        ),
        quotes=tuple(
            QuoteRef(q.text, q.speaker_id, q.speaker, q.direct, qid)
            for q, qid in zip(ann.quotes, quote_id_of, strict=True)
        ),
        copies=tuple(copies),
        dated=dated,
    )


def cluster_records(
    records: Iterable[ArticleRecord], now: dt.datetime, cfg: ClusterConfig | None = None
) -> tuple[IncidentGraph, dict[int, IncidentRecord]]:
    """Cluster articles in memory (evaluation, benchmarks) and build every incident's record."""
    cfg = cfg or load_config()
    by_id = {r.article_id: r for r in records}
    graph = IncidentGraph(cfg)
    graph.add(f for r in by_id.values() for f in build_facets(r, cfg))
    out: dict[int, IncidentRecord] = {}
    for label, article_ids in graph.incidents().items():
        core, leaves = graph.members(label)
        keys = frozenset().union(*(graph.facets[f].keys for f in core))
        facets = [graph.facets[f] for f in sorted(core | leaves)]
        out[label] = build_record(
            [by_id[a] for a in sorted(article_ids)], keys, cfg, now, facets=facets
        )
    return graph, out
