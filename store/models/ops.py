"""Operations: daily briefings (sent at most once) and the scheduler's job history."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from store.base import Base, IntPK, in_list_check, utcnow
from store.vocab import BRIEFING_STATUSES


class Briefing(Base):
    __tablename__ = "briefing"
    __table_args__ = (
        sa.UniqueConstraint("briefing_date", "audience"),
        sa.CheckConstraint(in_list_check("status", BRIEFING_STATUSES), name="status"),
        {"comment": "One daily briefing per date and audience; sending is idempotent."},
    )

    id: Mapped[IntPK] = mapped_column(comment="Surrogate key.")
    briefing_date: Mapped[dt.date] = mapped_column(comment="The date it covers (local date).")
    audience: Mapped[str] = mapped_column(comment="Audience name from the email settings.")
    window_start_at: Mapped[dt.datetime] = mapped_column(comment="Start of the news window (UTC).")
    window_end_at: Mapped[dt.datetime] = mapped_column(comment="End of the news window (UTC).")
    subject: Mapped[str] = mapped_column(comment="Email subject.")
    html: Mapped[str] = mapped_column(comment="Rendered HTML body.")
    text: Mapped[str] = mapped_column(comment="Rendered plain-text body.")
    status: Mapped[str] = mapped_column(
        default="rendered", comment="rendered (not sent yet), sent or failed."
    )
    created_at: Mapped[dt.datetime] = mapped_column(
        default=utcnow, comment="When it was rendered (UTC)."
    )
    sent_at: Mapped[dt.datetime | None] = mapped_column(comment="When it was sent (UTC).")
    message_id: Mapped[str | None] = mapped_column(comment="Message-ID header of the email sent.")
    attempts: Mapped[int] = mapped_column(default=0, comment="Failed sending attempts.")
    error: Mapped[str | None] = mapped_column(comment="Last sending error.")


class JobRun(Base):
    __tablename__ = "job_run"
    __table_args__ = (
        sa.Index("ix_job_run_job_started_at", "job", "started_at"),
        {"comment": "Scheduler history: one row per job execution."},
    )

    id: Mapped[IntPK] = mapped_column(comment="Surrogate key.")
    job: Mapped[str] = mapped_column(comment="Job name, e.g. crawl:example-feed, process, publish.")
    started_at: Mapped[dt.datetime] = mapped_column(default=utcnow, comment="Start (UTC).")
    finished_at: Mapped[dt.datetime | None] = mapped_column(comment="End (UTC); NULL if running.")
    outcome: Mapped[str] = mapped_column(
        default="running", comment="running, then what the job reported (e.g. ok, failed)."
    )
    counts: Mapped[dict[str, Any]] = mapped_column(
        default=dict, comment="What the job did, as counters (JSON)."
    )
    error: Mapped[str | None] = mapped_column(comment="Error message when it failed.")
