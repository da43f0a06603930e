"""``ipwire run``: the pipeline on its schedule, or once (``--once``)."""

from __future__ import annotations

import click

from ipwire.cli import AppContext
from ipwire.cli.output import emit_json, format_options, output_format, print_sections, quiet
from ipwire.cli.summaries import chain_json, stage_section
from ipwire.jobs import stop
from ipwire.jobs.scheduled import run_chain
from ipwire.jobs.schema import ensure_schema
from ipwire.scheduler import run_forever
from store import StoreError


@click.command()
@click.option("--once", is_flag=True, help="Run crawl → process → cluster → site → briefing once.")
@click.option("--source", "sources", multiple=True, help="With --once: only these sources.")
@click.option(
    "--send/--no-send",
    default=None,
    help="With --once: send the briefing by SMTP (default: when [email] smtp_host is set).",
)
@format_options
@click.pass_obj
def run(app: AppContext, once: bool, sources: tuple[str, ...], send: bool | None) -> None:
    """Run the pipeline on the configured schedule (crawls, processing, site, daily briefing).

    Jobs live in the store's database (APScheduler job store); one job runs at a time.
    SIGINT/SIGTERM stop taking jobs, let the running one finish, and exit.
    With --once the whole chain runs once and the exit code is non-zero if a stage could not
    do its job (a failed stage, no sources to crawl, every source failed), with the stage
    named: what cron users and CI use. On a terminal the summary is a table; in a log it is
    one `key: value` block per stage; --json prints the documented JSON document.

    \b
    Examples:
      ipwire run
      ipwire run --once
      ipwire run --once --source example-feed --no-send
      ipwire run --once -q                 # cron: prints only errors
      ipwire run --once --json > last-run.json
    """
    settings = app.settings
    fmt = output_format()
    try:
        ensure_schema(settings, upgrade=True)
    except StoreError as e:
        if once and fmt == "json":
            emit_json("run", {"error": str(e)}, ok=False, exit_status=1)
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
    error = None if result.ok else f"stage(s) failed: {', '.join(result.failed)}"
    if fmt == "json":
        emit_json(
            "run",
            {**chain_json(result), "error": error},
            ok=result.ok,
            exit_status=int(not result.ok),
        )
    elif not quiet():
        print_sections([stage_section(result, "ipwire run --once")])
    if error:
        raise click.ClickException(error)
