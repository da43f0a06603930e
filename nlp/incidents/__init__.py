"""Incident clustering: group articles into incidents, incrementally, and describe each one.

Pure logic (no database): the caller turns stored articles into :class:`ArticleRecord` values,
splits them into facets (:func:`build_facets`), adds them to an :class:`IncidentGraph` (whose
components are the incidents) and builds each touched incident's :class:`IncidentRecord`.
See ``graph.py`` for the linking rules and ``record.py`` for titles, timelines and the score.
"""

from nlp.incidents.config import STATUS_ORDER, ClusterConfig, load_config
from nlp.incidents.explain import MergeReason, explain_merges, link_reason
from nlp.incidents.features import (
    ArticleRecord,
    ClaimRef,
    EntityRef,
    Facet,
    MentionRef,
    QuoteRef,
    SourceRef,
    build_facets,
    entity_key,
)
from nlp.incidents.graph import GraphDelta, IncidentGraph, link_score
from nlp.incidents.record import (
    IncidentRecord,
    Party,
    SummarySentence,
    TimelineStep,
    build_record,
    rank_score,
    slugify,
)

#: Bumped when a change to the rules changes partitions; the store then rebuilds.
CLUSTER_VERSION = "5"

__all__ = [
    "CLUSTER_VERSION",
    "STATUS_ORDER",
    "ArticleRecord",
    "ClaimRef",
    "ClusterConfig",
    "EntityRef",
    "Facet",
    "GraphDelta",
    "IncidentGraph",
    "IncidentRecord",
    "MentionRef",
    "MergeReason",
    "Party",
    "QuoteRef",
    "SourceRef",
    "SummarySentence",
    "TimelineStep",
    "build_facets",
    "build_record",
    "entity_key",
    "explain_merges",
    "link_reason",
    "link_score",
    "load_config",
    "rank_score",
    "slugify",
]
