"""What NLP found in an article: entities, mentions, roles, claims and quotes.

Every row keeps its provenance: the article (deleted with it) and the character span into the
analysed text (``title + "\\n\\n" + text``) or the sentence.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from store.base import Base, IntPK, in_list_check, utcnow
from store.vocab import ENTITY_TYPES, LEGAL_STATUSES, STANCES


def _article_fk() -> sa.ForeignKey:
    return sa.ForeignKey("article.id", ondelete="CASCADE")


# An entity that is referenced by evidence should not vanish silently: deleting an entity nulls
# the references in claims/quotes/roles (the text stays) and removes its mentions.
def _entity_set_null() -> sa.ForeignKey:
    return sa.ForeignKey("entity.id", ondelete="SET NULL", onupdate="CASCADE")


def _entity_cascade() -> sa.ForeignKey:
    return sa.ForeignKey("entity.id", ondelete="CASCADE", onupdate="CASCADE")


class _Span:
    """The character span of the analysed text a row was read from (its provenance).

    A mixin: its columns come after the table's own (those of a mixin named first, first).
    """

    start_char: Mapped[int] = mapped_column(comment="Start offset in the analysed text.")
    end_char: Mapped[int] = mapped_column(comment="End offset (exclusive).")


class _DatedSentence:
    """The index of the sentence a row was read from, and its article's date (a mixin).

    Claims and mentions carry their article's date so that "since <date>" and "newest first"
    queries are answered by an index range on the claim/mention itself. Joining to article for
    the date made them read every claim of a busy entity (cost grew with the store's age).
    """

    sentence_index: Mapped[int] = mapped_column(comment="Index of the sentence, from 0.")
    published_at: Mapped[dt.datetime | None] = mapped_column(
        comment="Publication time of the article (its fetch time when unknown), UTC; copied from "
        "the article so that time-window queries use an index."
    )


class Entity(Base):
    __tablename__ = "entity"
    __table_args__ = (
        sa.CheckConstraint(in_list_check("type", ENTITY_TYPES), name="type"),
        sa.Index("ix_entity_name", "name"),
        sa.Index("ix_entity_type", "type"),
        {
            "comment": "A company, lab, agency, court, person, model/product, news outlet or "
            "place; seeded from the knowledge base (nlp/kb) and grown from the text."
        },
    )

    id: Mapped[str] = mapped_column(primary_key=True, comment="Stable slug, e.g. acme-labs.")
    name: Mapped[str] = mapped_column(comment="Display name.")
    type: Mapped[str] = mapped_column(comment="ORG, GOV, PERSON, PRODUCT, MEDIA or GPE.")
    aliases: Mapped[list[str]] = mapped_column(
        default=list, comment="Other names it goes by (JSON list)."
    )
    wikidata_id: Mapped[str | None] = mapped_column(comment="Wikidata id (Q…), if known.")
    description: Mapped[str | None] = mapped_column(comment="One-line description.")
    is_kb: Mapped[bool] = mapped_column(
        default=False, comment="True when it comes from the curated knowledge base."
    )
    first_seen_at: Mapped[dt.datetime] = mapped_column(
        default=utcnow, comment="When the store first recorded it (UTC)."
    )


class Mention(_Span, _DatedSentence, Base):
    __tablename__ = "mention"
    __table_args__ = (
        sa.Index("ix_mention_article_id", "article_id"),
        sa.Index("ix_mention_entity_id_published_at", "entity_id", "published_at"),
        {"comment": "One occurrence of an entity in an article."},
    )

    id: Mapped[IntPK] = mapped_column(comment="Surrogate key.")
    article_id: Mapped[int] = mapped_column(_article_fk(), comment="The article.")
    entity_id: Mapped[str] = mapped_column(_entity_cascade(), comment="The entity mentioned.")
    text: Mapped[str] = mapped_column(comment="The surface text as written.")


class Role(_Span, Base):
    __tablename__ = "role"
    __table_args__ = (
        sa.Index("ix_role_article_id", "article_id"),
        sa.Index("ix_role_person_id", "person_id"),
        sa.Index("ix_role_org_id", "org_id"),
        {
            "comment": "A person holding a title at an organisation, as an article states it; the "
            "article's date dates the statement."
        },
    )

    id: Mapped[IntPK] = mapped_column(comment="Surrogate key.")
    article_id: Mapped[int] = mapped_column(_article_fk(), comment="The article stating it.")
    person_id: Mapped[str | None] = mapped_column(_entity_set_null(), comment="The person.")
    person_text: Mapped[str] = mapped_column(comment="The person's name as written.")
    title: Mapped[str] = mapped_column(comment="The title or position, e.g. chief scientist.")
    org_id: Mapped[str | None] = mapped_column(_entity_set_null(), comment="The organisation.")
    org_text: Mapped[str | None] = mapped_column(comment="The organisation as written.")
    sentence: Mapped[str] = mapped_column(comment="The sentence stating the role.")


class Claim(_Span, _DatedSentence, Base):
    __tablename__ = "claim"
    __table_args__ = (
        sa.CheckConstraint(in_list_check("stance", STANCES), name="stance"),
        sa.CheckConstraint(
            "legal_status IS NULL OR " + in_list_check("legal_status", LEGAL_STATUSES),
            name="legal_status",
        ),
        sa.Index("ix_claim_article_id", "article_id"),
        sa.Index("ix_claim_published_at", "published_at"),
        sa.Index("ix_claim_type_published_at", "type", "published_at"),
        sa.Index("ix_claim_accuser_id_published_at", "accuser_id", "published_at"),
        sa.Index("ix_claim_accused_id_published_at", "accused_id", "published_at"),
        sa.Index("ix_claim_victim_id", "victim_id"),
        sa.Index("ix_claim_speaker_id", "speaker_id"),
        {
            "comment": "Who accuses whom of what, how sure, who said it: one claim in one sentence "
            "of one article."
        },
    )

    id: Mapped[IntPK] = mapped_column(comment="Surrogate key.")
    article_id: Mapped[int] = mapped_column(_article_fk(), comment="The article.")
    type: Mapped[str] = mapped_column(
        comment="Claim type, e.g. distillation, copyright_infringement (see nlp/patterns)."
    )
    accuser_id: Mapped[str | None] = mapped_column(_entity_set_null(), comment="Who accuses.")
    accuser_text: Mapped[str | None] = mapped_column(comment="The accuser as written.")
    accused_id: Mapped[str | None] = mapped_column(_entity_set_null(), comment="Who is accused.")
    accused_text: Mapped[str | None] = mapped_column(comment="The accused as written.")
    victim_id: Mapped[str | None] = mapped_column(
        _entity_set_null(), comment="Whose IP was taken, when not the accuser."
    )
    victim_text: Mapped[str | None] = mapped_column(comment="The victim as written.")
    speaker_id: Mapped[str | None] = mapped_column(
        _entity_set_null(), comment="Who the claim is attributed to (said, according to)."
    )
    speaker_text: Mapped[str | None] = mapped_column(comment="The speaker as written.")
    stance: Mapped[str] = mapped_column(
        comment="How sure: asserted, alleged, suspected, denied or confirmed."
    )
    legal_status: Mapped[str | None] = mapped_column(
        comment="Legal status when stated: investigation, lawsuit, charged, settled, ruling, "
        "dismissed."
    )
    cues: Mapped[list[str]] = mapped_column(
        default=list, comment="Cue words that set the stance and type (JSON list)."
    )
    sentence: Mapped[str] = mapped_column(comment="The evidence sentence.")


class Quote(_Span, Base):
    __tablename__ = "quote"
    __table_args__ = (
        sa.Index("ix_quote_article_id", "article_id"),
        sa.Index("ix_quote_speaker_id", "speaker_id"),
        {"comment": "A direct or indirect quote in an article, with its resolved speaker."},
    )

    id: Mapped[IntPK] = mapped_column(comment="Surrogate key.")
    article_id: Mapped[int] = mapped_column(_article_fk(), comment="The article.")
    speaker_id: Mapped[str | None] = mapped_column(_entity_set_null(), comment="Who said it.")
    speaker_text: Mapped[str | None] = mapped_column(comment="The speaker as written.")
    text: Mapped[str] = mapped_column(comment="What was said.")
    is_direct: Mapped[bool] = mapped_column(comment="True for a direct (quotation-mark) quote.")
