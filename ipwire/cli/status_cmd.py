"""``ipwire status``: what the pipeline did last and what it will do next."""

from __future__ import annotations

from datetime import UTC, datetime

import click
from rich.console import Console
from rich.table import Table

from ipwire.cli import AppContext
from ipwire.scheduler import next_fire_times
from store import make_engine, make_session_factory, session_scope
from store.errors import StoreError
from store.status import pipeline_status


def _when(value: datetime | None, tz: object) -> str:
    if value is None:
        return "—"
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(tz).strftime("%Y-%m-%d %H:%M %Z")  # type: ignore[arg-type]


@click.command()
@click.pass_obj
def status(app: AppContext) -> None:
    """Show next fire times, the last run of each job, totals, errors and failing sources.

    \b
    Examples:
      ipwire status
      ipwire --config /etc/ipwire.toml status
    """
    settings = app.settings
    console = Console()
    try:
        factory = make_session_factory(make_engine(settings.database_url, create=False))
        with session_scope(factory) as s:
            report = pipeline_status(s)
    except StoreError as e:
        raise click.ClickException(str(e)) from None

    totals = Table(title="totals")
    for key in report.totals:
        totals.add_column(key.replace("_", " "), justify="right")
    totals.add_row(*(str(v) for v in report.totals.values()))
    console.print(totals)

    schedule = Table(title=f"schedule ({settings.timezone})")
    schedule.add_column("job")
    schedule.add_column("next run")
    for job, when in next_fire_times(settings, datetime.now(UTC)).items():
        schedule.add_row(job, _when(when, settings.tz))
    console.print(schedule)

    runs = Table(title="last run of each job")
    for col in ("job", "started", "finished", "outcome", "counts", "error"):
        runs.add_column(col)
    for r in report.last_runs:
        counts = ", ".join(f"{k}={v}" for k, v in r.counts.items() if not isinstance(v, dict))
        runs.add_row(
            r.job,
            _when(r.started_at, settings.tz),
            _when(r.finished_at, settings.tz),
            r.outcome,
            counts,
            (r.error or "")[:120],
        )
    console.print(runs)

    if report.recent_errors:
        errs = Table(title="recent failures")
        for col in ("job", "started", "error"):
            errs.add_column(col)
        for r in report.recent_errors:
            errs.add_row(r.job, _when(r.started_at, settings.tz), (r.error or "")[:200])
        console.print(errs)
    if report.failing_sources:
        bad = Table(title="sources failing repeatedly")
        for col in ("source", "failed runs", "last outcome", "last error"):
            bad.add_column(col)
        for f in report.failing_sources:
            bad.add_row(f.name, str(f.failed_runs), f.last_outcome, (f.last_error or "")[:160])
        console.print(bad)
