"""The article: one stored news page, its dedup keys and its NLP processing state."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from store.base import Base, IntPK, in_list_check, utcnow
from store.vocab import ARTICLE_STATES


class Article(Base):
    __tablename__ = "article"
    __table_args__ = (
        sa.CheckConstraint(in_list_check("state", ARTICLE_STATES), name="state"),
        # The worker queue: new articles in id order; expired leases; stale NLP versions.
        sa.Index("ix_article_state_id", "state", "id"),
        sa.Index("ix_article_state_lease_expires_at", "state", "lease_expires_at"),
        sa.Index("ix_article_state_nlp_version", "state", "nlp_version"),
        sa.Index("ix_article_published_at", "published_at"),
        sa.Index("ix_article_source_id_fetched_at", "source_id", "fetched_at"),
        sa.Index("ix_article_url", "url"),
        # Near-duplicate lookup: two simhashes within 3 bits share at least one 16-bit band.
        sa.Index("ix_article_simhash_band0", "simhash_band0"),
        sa.Index("ix_article_simhash_band1", "simhash_band1"),
        sa.Index("ix_article_simhash_band2", "simhash_band2"),
        sa.Index("ix_article_simhash_band3", "simhash_band3"),
        # Edited syndicated copies: MinHash band keys find candidates, resemblance decides.
        sa.Index("ix_article_near_dup_key0", "near_dup_key0"),
        sa.Index("ix_article_near_dup_key1", "near_dup_key1"),
        sa.Index("ix_article_near_dup_key2", "near_dup_key2"),
        sa.Index("ix_article_near_dup_key3", "near_dup_key3"),
        sa.Index("ix_article_dup_group_id", "dup_group_id"),
        {
            "comment": "One stored news article: where it came from, its text, its dedup keys and "
            "its NLP processing state."
        },
    )

    id: Mapped[IntPK] = mapped_column(comment="Surrogate key.")
    source_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("source.id", ondelete="SET NULL"),
        comment="The source it was found through (NULL if added by hand or source deleted).",
    )
    canonical_url: Mapped[str] = mapped_column(
        unique=True, comment="Canonical URL (rel=canonical, tracking parameters removed); unique."
    )
    url: Mapped[str] = mapped_column(comment="The URL it was fetched from.")
    content_hash: Mapped[str | None] = mapped_column(
        unique=True,
        comment="SHA-256 (hex) of the normalised text (NFKC, casefolded, whitespace collapsed); "
        "unique; NULL when the text is empty.",
    )
    simhash: Mapped[int | None] = mapped_column(
        sa.BigInteger, comment="64-bit simhash of the text as a signed integer (near-duplicates)."
    )
    simhash_band0: Mapped[int | None] = mapped_column(comment="Bits 0-15 of the simhash.")
    simhash_band1: Mapped[int | None] = mapped_column(comment="Bits 16-31 of the simhash.")
    simhash_band2: Mapped[int | None] = mapped_column(comment="Bits 32-47 of the simhash.")
    simhash_band3: Mapped[int | None] = mapped_column(comment="Bits 48-63 of the simhash.")
    near_dup_key0: Mapped[int | None] = mapped_column(
        comment="MinHash LSH band key 0 of the text (near-duplicate candidates)."
    )
    near_dup_key1: Mapped[int | None] = mapped_column(
        comment="MinHash LSH band key 1 of the text (near-duplicate candidates)."
    )
    near_dup_key2: Mapped[int | None] = mapped_column(
        comment="MinHash LSH band key 2 of the text (near-duplicate candidates)."
    )
    near_dup_key3: Mapped[int | None] = mapped_column(
        comment="MinHash LSH band key 3 of the text (near-duplicate candidates)."
    )
    dup_group_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("article.id", ondelete="SET NULL"),
        comment="Id of the first article of its near-duplicate group (NULL: no near-duplicates).",
    )
    near_duplicate_of: Mapped[int | None] = mapped_column(
        sa.ForeignKey("article.id", ondelete="SET NULL"),
        comment="The earlier article this one nearly duplicates.",
    )
    is_near_duplicate: Mapped[bool] = mapped_column(
        default=False, comment="True when stored as a near-duplicate (not processed by NLP)."
    )
    title: Mapped[str | None] = mapped_column(comment="Headline.")
    byline: Mapped[str | None] = mapped_column(comment="Authors as one line, comma-separated.")
    authors: Mapped[list[str]] = mapped_column(default=list, comment="Author names (JSON list).")
    published_at: Mapped[dt.datetime | None] = mapped_column(
        comment="Publication time stated by the page (UTC); NULL if unknown."
    )
    fetched_at: Mapped[dt.datetime] = mapped_column(
        default=utcnow, comment="When the page was fetched (UTC)."
    )
    language: Mapped[str | None] = mapped_column(comment="Language code, e.g. en.")
    site_name: Mapped[str | None] = mapped_column(comment="Publication name (og:site_name).")
    description: Mapped[str | None] = mapped_column(comment="Summary from the page metadata.")
    text: Mapped[str] = mapped_column(default="", comment="Extracted article body text.")
    relevance: Mapped[float | None] = mapped_column(
        comment="Relevance to AI IP incidents, 0 to 1, set by NLP."
    )
    is_relevant: Mapped[bool | None] = mapped_column(
        comment="NLP's relevance decision; NULL until processed."
    )
    state: Mapped[str] = mapped_column(
        default="new", comment="Processing state: new, processing, done, failed or skipped."
    )
    nlp_version: Mapped[str | None] = mapped_column(
        comment="Version of the NLP pipeline that last processed it."
    )
    processed_at: Mapped[dt.datetime | None] = mapped_column(
        comment="When NLP last finished with it, successfully or not (UTC)."
    )
    lease_owner: Mapped[str | None] = mapped_column(
        comment="Worker id holding it for processing (NULL when not leased)."
    )
    lease_expires_at: Mapped[dt.datetime | None] = mapped_column(
        comment="When the lease lapses and another worker may take it (UTC)."
    )
    attempts: Mapped[int] = mapped_column(default=0, comment="Times a worker has claimed it.")
    error: Mapped[str | None] = mapped_column(comment="Last processing error, if it failed.")
