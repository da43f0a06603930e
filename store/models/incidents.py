"""Incidents: clusters of articles about one story, the parties involved, and merged slugs.

The repository functions for incidents live in ``store/incidents.py``.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from store.base import Base, IntPK, in_list_check, utcnow
from store.vocab import INCIDENT_STATUSES, PARTY_ROLES


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
