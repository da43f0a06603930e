"""``ipwire run``: the pipeline on its schedule, or once (``--once``)."""

from __future__ import annotations

import click
from rich.console import Console
from rich.table import Table

from ipwire.cli import AppContext
from ipwire.jobs import stop
from ipwire.jobs.scheduled import ChainResult, run_chain
from ipwire.jobs.schema import ensure_schema
from ipwire.scheduler import run_forever
from store import StoreError


def stage_table(result: ChainResult, title: str) -> Table:
    """One row per stage of a chain run: outcome, seconds, counts or the error."""
    table = Table(title=title)
    for col in ("stage", "outcome", "seconds", "counts / error"):
        table.add_column(col)
    for o in result.stages:
        detail = o.error or ", ".join(
            f"{k}={v}" for k, v in o.counts.items() if not isinstance(v, dict | list)
        )
        table.add_row(o.stage, "ok" if o.ok else "FAILED", f"{o.seconds:.1f}", detail[:200])
    return table


@click.command()
@click.option("--once", is_flag=True, help="Run crawl → process → cluster → site → briefing once.")
@click.option("--source", "sources", multiple=True, help="With --once: only these sources.")
@click.option(
    "--send/--no-send",
    default=None,
    help="With --once: send the briefing by SMTP (default: when [email] smtp_host is set).",
)
@click.pass_obj
def run(app: AppContext, once: bool, sources: tuple[str, ...], send: bool | None) -> None:
    """Run the pipeline on the configured schedule (crawls, processing, site, daily briefing).

    Jobs live in the store's database (APScheduler job store); one job runs at a time.
    SIGINT/SIGTERM stop taking jobs, let the running one finish, and exit.
    With --once the whole chain runs once and the exit code is non-zero if a stage failed,
    with the stage named (what cron users and CI use).

    \b
    Examples:
      ipwire run
      ipwire run --once
      ipwire run --once --source example-feed --no-send
    """
    settings = app.settings
    try:
        ensure_schema(settings, upgrade=True)
    except StoreError as e:
        raise click.ClickException(str(e)) from None
    if not once:
        if sources:
            raise click.UsageError("--source only applies with --once")
        run_forever(settings)
        return
    send_briefing = bool(settings.email.smtp_host) if send is None else send
    # SIGTERM/SIGINT stop the chain at its next safe point (see ipwire.jobs.stop): the running
    # stage is recorded as interrupted, leased articles go back to the pool and the crawl child
    # is killed, not orphaned.
    stop.install()
    result = run_chain(settings, sources=list(sources) or None, send_briefing=send_briefing)
    Console().print(stage_table(result, "ipwire run --once"))
    if not result.ok:
        raise click.ClickException(f"stage(s) failed: {', '.join(result.failed)}")
