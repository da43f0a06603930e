"""What ``ipwire status`` shows: totals, the last run of each job, errors, failing sources."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from store.models import Article, Claim, CrawlRun, Incident, JobRun, Source


@dataclass(frozen=True)
class JobSummary:
    job: str
    started_at: dt.datetime
    finished_at: dt.datetime | None
    outcome: str
    counts: dict[str, object]
    error: str | None


@dataclass(frozen=True)
class FailingSource:
    name: str
    failed_runs: int
    last_outcome: str
    last_error: str | None


@dataclass(frozen=True)
class PipelineStatus:
    totals: dict[str, int]
    last_runs: list[JobSummary]
    recent_errors: list[JobSummary]
    failing_sources: list[FailingSource]


def _summary(run: JobRun) -> JobSummary:
    return JobSummary(
        run.job, run.started_at, run.finished_at, run.outcome, dict(run.counts or {}), run.error
    )


def _run_failed(run: CrawlRun) -> bool:
    """A run that got nothing: an error outcome, no response at all, or only failures."""
    if run.outcome not in ("ok", "partial"):
        return True
    if run.pages_fetched == 0:
        return True
    return run.articles_failed > 0 and run.articles_new == 0 and run.not_modified == 0


def pipeline_status(session: Session, *, errors: int = 5, failing_after: int = 3) -> PipelineStatus:
    """Totals, the latest run of every job, the last failures, and sources failing repeatedly.

    Args:
        session: an open session.
        errors: how many recent failed job runs to list.
        failing_after: a source whose last N crawl runs all failed (or were partial with no new
            article) is listed as failing.
    """
    totals = {
        "articles": session.scalar(sa.select(sa.func.count()).select_from(Article)) or 0,
        "articles_processed": session.scalar(
            sa.select(sa.func.count()).select_from(Article).where(Article.state == "done")
        )
        or 0,
        "articles_relevant": session.scalar(
            sa.select(sa.func.count()).select_from(Article).where(Article.is_relevant.is_(True))
        )
        or 0,
        "claims": session.scalar(sa.select(sa.func.count()).select_from(Claim)) or 0,
        "incidents": session.scalar(sa.select(sa.func.count()).select_from(Incident)) or 0,
    }
    latest = (
        sa.select(JobRun.job, sa.func.max(JobRun.id).label("id")).group_by(JobRun.job).subquery()
    )
    last_runs = [
        _summary(r)
        for r in session.scalars(
            sa.select(JobRun).join(latest, JobRun.id == latest.c.id).order_by(JobRun.job)
        )
    ]
    recent_errors = [
        _summary(r)
        for r in session.scalars(
            sa.select(JobRun)
            .where(JobRun.outcome.in_(("failed", "interrupted")))
            .order_by(JobRun.id.desc())
            .limit(errors)
        )
    ]
    failing: list[FailingSource] = []
    for source in session.scalars(sa.select(Source).order_by(Source.name)):
        runs = list(
            session.scalars(
                sa.select(CrawlRun)
                .where(CrawlRun.source_id == source.id, CrawlRun.finished_at.is_not(None))
                .order_by(CrawlRun.id.desc())
                .limit(failing_after)
            )
        )
        bad = [r for r in runs if _run_failed(r)]
        if len(runs) == failing_after and len(bad) == failing_after:
            last = runs[0]
            last_error = last.errors[-1] if last.errors else None
            failing.append(FailingSource(source.name, len(bad), last.outcome, last_error))
    return PipelineStatus(totals, last_runs, recent_errors, failing)
