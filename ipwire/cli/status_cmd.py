"""``ipwire status``: what the pipeline did last and what it will do next."""

from __future__ import annotations

from datetime import UTC, datetime

import click

from ipwire.cli import AppContext
from ipwire.cli.output import (
    Section,
    emit_json,
    format_options,
    output_format,
    print_sections,
    quiet,
)
from ipwire.scheduler import next_fire_times
from store import make_engine, make_session_factory, session_scope
from store.errors import StoreError
from store.status import JobSummary, PipelineStatus, pipeline_status


def _when(value: datetime | None, tz: object) -> str:
    if value is None:
        return "—"
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(tz).strftime("%Y-%m-%d %H:%M %Z")  # type: ignore[arg-type]


def _iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat()


def _one_line(text: str | None) -> str:
    return " ".join((text or "").split())


def _counts(counts: dict[str, object]) -> str:
    return ", ".join(
        f"{k}={round(v, 2) if isinstance(v, float) else v}"
        for k, v in counts.items()
        if not isinstance(v, dict | list)
    )


def _run_json(r: JobSummary) -> dict[str, object]:
    return {
        "job": r.job,
        "started_at": _iso(r.started_at),
        "finished_at": _iso(r.finished_at),
        "outcome": r.outcome,
        "counts": r.counts,
        "error": r.error,
    }


def status_json(report: PipelineStatus, schedule: dict[str, datetime | None]) -> dict[str, object]:
    """The status as JSON (times in UTC, ISO 8601)."""
    return {
        "totals": report.totals,
        "schedule": [{"job": job, "next_run_at": _iso(when)} for job, when in schedule.items()],
        "last_runs": [_run_json(r) for r in report.last_runs],
        "recent_errors": [_run_json(r) for r in report.recent_errors],
        "failing_sources": [
            {
                "source": f.name,
                "failed_runs": f.failed_runs,
                "last_outcome": f.last_outcome,
                "last_error": f.last_error,
            }
            for f in report.failing_sources
        ],
    }


def status_sections(
    report: PipelineStatus, schedule: dict[str, datetime | None], tz: object, tz_name: str
) -> list[Section]:
    """Totals, schedule, last runs, then recent failures and failing sources when there are any."""
    totals = Section(
        "totals",
        [k.replace("_", " ") for k in report.totals],
        [[str(v) for v in report.totals.values()]],
        numeric=frozenset(k.replace("_", " ") for k in report.totals),
    )
    sections = [
        totals,
        Section(
            f"schedule ({tz_name})",
            ("job", "next run"),
            [(job, _when(when, tz)) for job, when in schedule.items()],
            noun="jobs",
        ),
        Section(
            "last run of each job",
            ("job", "started", "finished", "outcome", "counts", "error"),
            [
                (
                    r.job,
                    _when(r.started_at, tz),
                    _when(r.finished_at, tz),
                    r.outcome,
                    _counts(r.counts),
                    _one_line(r.error),
                )
                for r in report.last_runs
            ],
            noun="jobs",
        ),
    ]
    if report.recent_errors:
        sections.append(
            Section(
                "recent failures",
                ("job", "started", "error"),
                [
                    (r.job, _when(r.started_at, tz), _one_line(r.error))
                    for r in report.recent_errors
                ],
            )
        )
    if report.failing_sources:
        sections.append(
            Section(
                "sources failing repeatedly",
                ("source", "failed runs", "last outcome", "last error"),
                [
                    (f.name, str(f.failed_runs), f.last_outcome, _one_line(f.last_error))
                    for f in report.failing_sources
                ],
                numeric=frozenset({"failed runs"}),
            )
        )
    return sections


@click.command()
@format_options
@click.pass_obj
def status(app: AppContext) -> None:
    """Show next fire times, the last run of each job, totals, errors and failing sources.

    \b
    Examples:
      ipwire status
      ipwire --config /etc/ipwire.toml status
      ipwire status --json | jq '.last_runs[] | select(.outcome != "ok")'
    """
    settings = app.settings
    fmt = output_format()
    try:
        factory = make_session_factory(make_engine(settings.database_url, create=False))
        with session_scope(factory) as s:
            report = pipeline_status(s)
    except StoreError as e:
        if fmt == "json":
            emit_json("status", {"error": str(e)}, ok=False, exit_status=1)
        raise click.ClickException(str(e)) from None
    schedule = next_fire_times(settings, datetime.now(UTC))
    if fmt == "json":
        emit_json("status", status_json(report, schedule))
    elif not quiet():
        print_sections(status_sections(report, schedule, settings.tz, settings.timezone))
