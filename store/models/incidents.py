"""Incidents: clusters of articles about one story, the parties involved, and merged slugs.

Also the state of incremental clustering (``incident_facet``, ``incident_facet_link``,
``article_cluster``): what each article contributed, so that a new article is linked against
stored facets instead of re-clustering history. The repository functions for incidents live in
``store/incidents.py``; the clustering logic in ``nlp/incidents``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from store.base import Base, IntPK, in_list_check, utcnow
from store.vocab import INCIDENT_STATUSES, PARTY_ROLES, TIMELINE_STATUSES


def _incident_fk() -> sa.ForeignKey:
    return sa.ForeignKey("incident.id", ondelete="CASCADE")


class Incident(Base):
    __tablename__ = "incident"
    __table_args__ = (
        sa.CheckConstraint(in_list_check("status", INCIDENT_STATUSES), name="status"),
        sa.Index("ix_incident_last_seen_at", "last_seen_at"),
        sa.Index("ix_incident_first_seen_at", "first_seen_at"),
        {"comment": "One story: a cluster of articles about the same accusation, suit or leak."},
    )

    id: Mapped[IntPK] = mapped_column(comment="Surrogate key.")
    slug: Mapped[str] = mapped_column(
        unique=True, comment="Stable URL slug, e.g. 2026-acme-labs-distillation."
    )
    title: Mapped[str] = mapped_column(comment="Headline of the incident.")
    summary: Mapped[str | None] = mapped_column(comment="Short summary.")
    status: Mapped[str] = mapped_column(
        default="open", comment="open (recent news), dormant (no news lately) or closed."
    )
    claim_types: Mapped[list[str]] = mapped_column(
        default=list, comment="Claim types seen in its articles (JSON list)."
    )
    first_seen_at: Mapped[dt.datetime] = mapped_column(
        comment="Publication time of its earliest article (UTC)."
    )
    last_seen_at: Mapped[dt.datetime] = mapped_column(
        comment="Publication time of its latest article (UTC)."
    )
    created_at: Mapped[dt.datetime] = mapped_column(
        default=utcnow, comment="When the row was created (UTC)."
    )
    updated_at: Mapped[dt.datetime] = mapped_column(
        default=utcnow, onupdate=utcnow, comment="When the incident last changed (UTC)."
    )
    component_id: Mapped[int | None] = mapped_column(
        sa.BigInteger,
        unique=True,
        comment="Clustering component it stands for (id of its smallest incident_facet).",
    )
    legal_status: Mapped[str | None] = mapped_column(
        comment="Most advanced legal status reported: investigation, lawsuit, charged, settled, "
        "ruling or dismissed (NULL: allegations only)."
    )
    score: Mapped[float] = mapped_column(
        default=0.0,
        server_default=sa.text("0"),
        comment="Ranking score, 0 to about 100: recency, sources, claim severity, legal status "
        "(nlp.incidents.record.rank_score).",
    )
    article_count: Mapped[int] = mapped_column(
        default=0,
        server_default=sa.text("0"),
        comment="Articles in the incident (near-duplicate copies not counted).",
    )
    source_count: Mapped[int] = mapped_column(
        default=0,
        server_default=sa.text("0"),
        comment="Articles plus their near-duplicate (syndicated) copies.",
    )
    outlet_count: Mapped[int] = mapped_column(
        default=0, server_default=sa.text("0"), comment="Distinct outlets among the sources."
    )
    summary_sources: Mapped[list[dict[str, Any]]] = mapped_column(
        sa.JSON,
        default=list,
        server_default=sa.text("'[]'"),
        comment="The summary sentences with their source: JSON list of {text, article_id, url, "
        "outlet}.",
    )
    merge_reasons: Mapped[list[dict[str, Any]]] = mapped_column(
        sa.JSON,
        default=list,
        server_default=sa.text("'[]'"),
        comment="Why its articles are one story: JSON list of {article_id, joined, reason}, the "
        "link (same dispute, shared parties) that joined each article to an earlier one.",
    )


class IncidentArticle(Base):
    __tablename__ = "incident_article"
    __table_args__ = (
        sa.Index("ix_incident_article_article_id", "article_id"),
        {"comment": "Which articles belong to which incident."},
    )

    incident_id: Mapped[int] = mapped_column(
        _incident_fk(), primary_key=True, comment="The incident."
    )
    article_id: Mapped[int] = mapped_column(
        sa.ForeignKey("article.id", ondelete="CASCADE"), primary_key=True, comment="The article."
    )
    score: Mapped[float | None] = mapped_column(comment="Clustering similarity, 0 to 1.")
    added_at: Mapped[dt.datetime] = mapped_column(
        default=utcnow, comment="When the article joined the incident (UTC)."
    )


class IncidentParty(Base):
    __tablename__ = "incident_party"
    __table_args__ = (
        sa.CheckConstraint(in_list_check("role", PARTY_ROLES), name="role"),
        sa.Index("ix_incident_party_entity_id", "entity_id"),
        {"comment": "An entity involved in an incident and its role."},
    )

    incident_id: Mapped[int] = mapped_column(
        _incident_fk(), primary_key=True, comment="The incident."
    )
    entity_id: Mapped[str] = mapped_column(
        sa.ForeignKey("entity.id", ondelete="CASCADE", onupdate="CASCADE"),
        primary_key=True,
        comment="The entity.",
    )
    role: Mapped[str] = mapped_column(
        primary_key=True, comment="accuser, accused, victim, investigator or other."
    )
    first_seen_at: Mapped[dt.datetime | None] = mapped_column(
        comment="Publication time of the first article naming it in this role (UTC)."
    )
    article_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("article.id", ondelete="SET NULL"),
        comment="The first article naming it in this role.",
    )


class IncidentAlias(Base):
    __tablename__ = "incident_alias"
    __table_args__ = (
        sa.Index("ix_incident_alias_incident_id", "incident_id"),
        {"comment": "Old slugs of incidents that were merged or renamed, so old links resolve."},
    )

    old_slug: Mapped[str] = mapped_column(primary_key=True, comment="The former slug.")
    incident_id: Mapped[int] = mapped_column(_incident_fk(), comment="The incident it now names.")
    created_at: Mapped[dt.datetime] = mapped_column(
        default=utcnow, comment="When the alias was recorded (UTC)."
    )


class IncidentClaim(Base):
    __tablename__ = "incident_claim"
    __table_args__ = (
        sa.Index("ix_incident_claim_claim_id", "claim_id"),
        {"comment": "The claims that belong to an incident (a round-up's claims are split)."},
    )

    incident_id: Mapped[int] = mapped_column(
        _incident_fk(), primary_key=True, comment="The incident."
    )
    claim_id: Mapped[int] = mapped_column(
        sa.ForeignKey("claim.id", ondelete="CASCADE"), primary_key=True, comment="The claim."
    )


class IncidentEvent(Base):
    __tablename__ = "incident_event"
    __table_args__ = (
        sa.CheckConstraint(in_list_check("status", TIMELINE_STATUSES), name="status"),
        sa.Index("ix_incident_event_incident_id_occurred_at", "incident_id", "occurred_at"),
        sa.Index("ix_incident_event_occurred_at", "occurred_at"),
        {
            "comment": "The status timeline of an incident: each step (alleged, denied, "
            "investigation, lawsuit, …) dated by the article that first reported it."
        },
    )

    id: Mapped[IntPK] = mapped_column(comment="Surrogate key.")
    incident_id: Mapped[int] = mapped_column(_incident_fk(), comment="The incident.")
    status: Mapped[str] = mapped_column(
        comment="alleged, denied, confirmed, investigation, lawsuit, charged, settled, ruling or "
        "dismissed."
    )
    occurred_at: Mapped[dt.datetime] = mapped_column(
        comment="Publication time of the article that first reported it (UTC)."
    )
    article_id: Mapped[int] = mapped_column(
        sa.ForeignKey("article.id", ondelete="CASCADE"), comment="The reporting article."
    )
    claim_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("claim.id", ondelete="SET NULL"), comment="The claim that reported it."
    )
    sentence: Mapped[str] = mapped_column(comment="The evidence sentence.")


class IncidentFacet(Base):
    __tablename__ = "incident_facet"
    __table_args__ = (
        sa.Index("ix_incident_facet_article_id", "article_id"),
        sa.Index("ix_incident_facet_component_id", "component_id"),
        sa.Index("ix_incident_facet_published_at", "published_at"),
        {
            "comment": "Clustering state: one story (facet) of one article, with the features "
            "it is linked by; a round-up article has several."
        },
    )

    id: Mapped[int] = mapped_column(
        sa.BigInteger,
        primary_key=True,
        autoincrement=False,
        comment="article_id * 64 + the facet's number in its article.",
    )
    article_id: Mapped[int] = mapped_column(
        sa.ForeignKey("article.id", ondelete="CASCADE"), comment="The article."
    )
    component_id: Mapped[int | None] = mapped_column(
        sa.BigInteger, comment="Its connected component (NULL for a leaf facet)."
    )
    is_anchor: Mapped[bool] = mapped_column(comment="May found an incident.")
    is_leaf: Mapped[bool] = mapped_column(
        comment="From a non-relevant article: joins incidents, never links two."
    )
    published_at: Mapped[dt.datetime] = mapped_column(comment="Its article's date (UTC).")
    keys: Mapped[list[str]] = mapped_column(comment="Entity keys (JSON list).")
    features: Mapped[dict[str, Any]] = mapped_column(
        comment="Prominent keys, claim signatures and word hashes (JSON)."
    )


class IncidentFacetLink(Base):
    __tablename__ = "incident_facet_link"
    __table_args__ = (
        sa.Index("ix_incident_facet_link_core_facet_id", "core_facet_id"),
        {"comment": "Clustering state: a leaf facet linked to a core facet."},
    )

    leaf_facet_id: Mapped[int] = mapped_column(
        sa.BigInteger,
        sa.ForeignKey("incident_facet.id", ondelete="CASCADE"),
        primary_key=True,
        comment="The leaf facet.",
    )
    core_facet_id: Mapped[int] = mapped_column(
        sa.BigInteger,
        sa.ForeignKey("incident_facet.id", ondelete="CASCADE"),
        primary_key=True,
        comment="The core facet it links to.",
    )


class ArticleCluster(Base):
    __tablename__ = "article_cluster"
    __table_args__ = ({"comment": "Clustering state: which articles clustering has seen."},)

    article_id: Mapped[int] = mapped_column(
        sa.ForeignKey("article.id", ondelete="CASCADE"), primary_key=True, comment="The article."
    )
    nlp_version: Mapped[str | None] = mapped_column(
        comment="NLP version of the annotations it was clustered with."
    )
    cluster_version: Mapped[str] = mapped_column(comment="Version of the clustering rules.")
    clustered_at: Mapped[dt.datetime] = mapped_column(
        default=utcnow, comment="When it was clustered (UTC)."
    )
