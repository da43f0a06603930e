"""Operational records: the scheduler's job runs and the daily briefings."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from store.base import utcnow
from store.errors import InvalidData, NotFound
from store.models import Briefing, JobRun

__all__ = [
    "finish_job_run",
    "get_briefing",
    "mark_briefing_failed",
    "mark_briefing_sent",
    "save_briefing",
    "start_job_run",
]

log = logging.getLogger(__name__)


def start_job_run(session: Session, job: str) -> JobRun:
    """Record that ``job`` started (``outcome='running'``)."""
    run = JobRun(job=job, started_at=utcnow())
    session.add(run)
    session.flush()
    return run


def finish_job_run(
    session: Session,
    run_id: int,
    *,
    outcome: str,
    counts: Mapping[str, Any] | None = None,
    error: str | None = None,
) -> JobRun:
    """Record how a job run ended: ``outcome`` (e.g. ``ok``, ``failed``), counters, error."""
    run = session.get(JobRun, run_id)
    if run is None:
        raise NotFound(f"no job run with id {run_id}")
    run.outcome = outcome
    run.counts = dict(counts or {})
    run.error = error
    run.finished_at = utcnow()
    session.flush()
    return run


def get_briefing(session: Session, briefing_date: dt.date, audience: str) -> Briefing | None:
    """The briefing of ``briefing_date`` for ``audience``, if one was rendered."""
    return session.scalars(
        sa.select(Briefing).where(
            Briefing.briefing_date == briefing_date, Briefing.audience == audience
        )
    ).one_or_none()


def save_briefing(
    session: Session,
    *,
    briefing_date: dt.date,
    audience: str,
    window_start_at: dt.datetime,
    window_end_at: dt.datetime,
    subject: str,
    html: str,
    text: str,
) -> Briefing:
    """Store a rendered briefing, or re-render one that was not sent yet.

    A briefing already sent is returned unchanged: sending stays idempotent (one email per date
    and audience), whatever the caller does.
    """
    if window_end_at < window_start_at:
        raise InvalidData("briefing window ends before it starts")
    b = get_briefing(session, briefing_date, audience)
    if b is None:
        b = Briefing(briefing_date=briefing_date, audience=audience)
        session.add(b)
    elif b.status == "sent":
        log.info("briefing %s/%s was already sent; not re-rendered", briefing_date, audience)
        return b
    b.window_start_at, b.window_end_at = window_start_at, window_end_at
    b.subject, b.html, b.text = subject, html, text
    b.status = "rendered"
    session.flush()
    return b


def _briefing(session: Session, briefing_id: int) -> Briefing:
    b = session.get(Briefing, briefing_id)
    if b is None:
        raise NotFound(f"no briefing with id {briefing_id}")
    return b


def mark_briefing_sent(
    session: Session, briefing_id: int, message_id: str, sent_at: dt.datetime | None = None
) -> Briefing:
    """Record that the briefing went out with ``message_id``."""
    b = _briefing(session, briefing_id)
    b.status = "sent"
    b.message_id = message_id
    b.sent_at = sent_at or utcnow()
    b.error = None
    session.flush()
    return b


def mark_briefing_failed(session: Session, briefing_id: int, error: str) -> Briefing:
    """Record a failed sending attempt (it may be retried; ``attempts`` counts them)."""
    b = _briefing(session, briefing_id)
    if b.status == "sent":
        raise InvalidData(f"briefing {briefing_id} was already sent")
    b.status = "failed"
    b.error = error[:10_000]
    b.attempts += 1
    session.flush()
    return b
