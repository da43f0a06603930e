"""Where articles come from: configured sources, crawl runs, and HTTP validators per URL."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from store.base import Base, IntPK, in_list_check, utcnow
from store.vocab import SOURCE_KINDS


class Source(Base):
    __tablename__ = "source"
    __table_args__ = (
        sa.CheckConstraint(in_list_check("kind", SOURCE_KINDS), name="kind"),
        {"comment": "A configured feed, sitemap, listing page or URL list (from ipwire.toml)."},
    )

    id: Mapped[IntPK] = mapped_column(comment="Surrogate key.")
    name: Mapped[str] = mapped_column(unique=True, comment="Unique source name from the config.")
    kind: Mapped[str] = mapped_column(
        comment="Discovery strategy: feed, sitemap, listing, urls or search (a news-search API)."
    )
    url: Mapped[str | None] = mapped_column(comment="Feed, sitemap or listing URL (NULL for urls).")
    config: Mapped[dict[str, Any]] = mapped_column(
        default=dict, comment="The source's settings as configured (politeness, selectors; JSON)."
    )
    created_at: Mapped[dt.datetime] = mapped_column(
        default=utcnow, comment="When the source was first registered (UTC)."
    )
    updated_at: Mapped[dt.datetime] = mapped_column(
        default=utcnow, onupdate=utcnow, comment="When its configuration last changed (UTC)."
    )


class CrawlRun(Base):
    __tablename__ = "crawl_run"
    __table_args__ = (
        sa.Index("ix_crawl_run_source_id_started_at", "source_id", "started_at"),
        {"comment": "One crawl of one source: when, what was fetched, what was new, what failed."},
    )

    id: Mapped[IntPK] = mapped_column(comment="Surrogate key.")
    source_id: Mapped[int] = mapped_column(
        sa.ForeignKey("source.id", ondelete="CASCADE"), comment="The source crawled."
    )
    started_at: Mapped[dt.datetime] = mapped_column(
        default=utcnow, comment="When the run started (UTC)."
    )
    finished_at: Mapped[dt.datetime | None] = mapped_column(
        comment="When the run finished (UTC); NULL while running or if it died."
    )
    outcome: Mapped[str] = mapped_column(
        default="running",
        comment="running while in progress, then what the crawler reported "
        "(for example ok, partial, failed).",
    )
    pages_fetched: Mapped[int] = mapped_column(default=0, comment="HTTP responses received.")
    articles_new: Mapped[int] = mapped_column(default=0, comment="New articles stored.")
    articles_duplicate: Mapped[int] = mapped_column(
        default=0, comment="Articles already stored (same canonical URL or same content)."
    )
    articles_near_duplicate: Mapped[int] = mapped_column(
        default=0, comment="Near-duplicates stored as skipped (simhash within the threshold)."
    )
    not_modified: Mapped[int] = mapped_column(
        default=0, comment="Responses 304 Not Modified (conditional GET)."
    )
    robots_skipped: Mapped[int] = mapped_column(default=0, comment="URLs refused by robots.txt.")
    articles_failed: Mapped[int] = mapped_column(
        default=0, comment="Pages that failed (HTTP errors, timeouts, extraction failures)."
    )
    failed_by_reason: Mapped[dict[str, Any]] = mapped_column(
        default=dict, comment='Failure counts by reason, e.g. {"http_404": 2} (JSON).'
    )
    stats: Mapped[dict[str, Any]] = mapped_column(
        default=dict, comment="Every counter the crawler reported (JSON)."
    )
    errors: Mapped[list[str]] = mapped_column(
        default=list, comment="Error messages of the run, most important first (JSON list)."
    )
    window_start_at: Mapped[dt.datetime | None] = mapped_column(
        comment="Search sources: start of the time window the run asked the API about (UTC)."
    )
    window_end_at: Mapped[dt.datetime | None] = mapped_column(
        comment="Search sources: end (exclusive) of the run's time window (UTC)."
    )
    is_window_complete: Mapped[bool] = mapped_column(
        default=False,
        server_default=sa.false(),
        comment="Search sources: every slice of the window was done when the run finished.",
    )
    is_backfill: Mapped[bool] = mapped_column(
        default=False,
        server_default=sa.false(),
        comment="Search sources: the run was an `ipwire backfill` of a chosen window.",
    )


class FetchState(Base):
    __tablename__ = "fetch_state"
    __table_args__ = (
        {
            "comment": "HTTP validators of the last fetch of a URL, for conditional GET "
            "(If-None-Match / If-Modified-Since)."
        },
    )

    url: Mapped[str] = mapped_column(primary_key=True, comment="The URL requested.")
    etag: Mapped[str | None] = mapped_column(comment="ETag response header of the last fetch.")
    last_modified: Mapped[str | None] = mapped_column(
        comment="Last-Modified response header of the last fetch, verbatim."
    )
    last_status: Mapped[int | None] = mapped_column(comment="HTTP status of the last fetch.")
    fetched_at: Mapped[dt.datetime] = mapped_column(
        default=utcnow, comment="When the URL was last fetched (UTC)."
    )


class SearchSlice(Base):
    __tablename__ = "search_slice"
    __table_args__ = (
        sa.Index("ix_search_slice_source_id_start_at", "source_id", "start_at"),
        {
            "comment": "A time slice of a search source's query that is done: the API was asked "
            "and every article it listed was stored or failed. Never asked again."
        },
    )

    id: Mapped[IntPK] = mapped_column(comment="Surrogate key.")
    source_id: Mapped[int] = mapped_column(
        sa.ForeignKey("source.id", ondelete="CASCADE"), comment="The search source."
    )
    crawl_run_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("crawl_run.id", ondelete="SET NULL"), comment="The run that did it."
    )
    start_at: Mapped[dt.datetime] = mapped_column(comment="Start of the slice (UTC).")
    end_at: Mapped[dt.datetime] = mapped_column(comment="End of the slice, exclusive (UTC).")
    results: Mapped[int] = mapped_column(default=0, comment="Articles the API listed.")
    articles_requested: Mapped[int] = mapped_column(
        default=0, comment="Of those, articles fetched (the rest were stored already)."
    )
    is_capped: Mapped[bool] = mapped_column(
        default=False,
        comment="The API's result cap was hit on a slice too short to split: some results "
        "may be missing.",
    )
    done_at: Mapped[dt.datetime] = mapped_column(
        default=utcnow, comment="When the slice was done (UTC)."
    )
