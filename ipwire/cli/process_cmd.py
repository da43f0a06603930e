"""``ipwire process``: run the NLP pipeline over new articles."""

from __future__ import annotations

import logging
from typing import NoReturn

import click
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from ipwire.cli import AppContext
from ipwire.cli.output import (
    emit_json,
    format_options,
    make_console,
    output_format,
    quiet,
    show_progress,
)
from ipwire.jobs.process import DatabaseLost, ProcessResult, WorkerDied, process_pending
from ipwire.jobs.schema import SchemaOutdated, ensure_schema
from store import StoreError

log = logging.getLogger(__name__)


@click.command()
@click.option("--limit", type=click.IntRange(min=1), help="Stop after about N articles.")
@click.option("--batch-size", type=click.IntRange(min=1), help="Articles per leased batch.")
@click.option(
    "--workers",
    type=click.IntRange(min=1, max=64),
    default=1,
    show_default=True,
    help="Worker processes (each claims its own leased batches).",
)
@click.option("--reprocess", is_flag=True, help="Also retry articles whose processing failed.")
@format_options
@click.pass_obj
def process(
    app: AppContext, limit: int | None, batch_size: int | None, workers: int, reprocess: bool
) -> None:
    """Extract entities, roles, claims, quotes and relevance from unprocessed articles.

    Articles never processed, or processed by an older NLP version, are claimed in leased
    batches; results replace earlier ones (re-processing never duplicates). A failure on one
    article is recorded on it and does not stop the batch. More workers can run on other
    machines against the same PostgreSQL.

    \b
    Examples:
      ipwire process
      ipwire process --workers 2 --batch-size 64
      ipwire process --limit 100 --reprocess
      ipwire process --json
    """
    settings = app.settings
    fmt = output_format()
    try:
        ensure_schema(settings)
    except (SchemaOutdated, StoreError) as e:
        _fail(fmt, str(e))
    console = make_console(stderr=True)
    bar = show_progress()
    with Progress(
        TextColumn("processing"),
        BarColumn(),
        TextColumn("{task.completed} articles"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=not bar,
    ) as progress:
        task = progress.add_task("process", total=limit)
        done = [0]

        def on_batch(step: ProcessResult) -> None:
            progress.advance(task, step.processed + step.failed)
            done[0] += step.processed + step.failed
            if not bar:  # a plain, timestamped line per batch instead of a bar
                log.info(
                    "batch: %d processed, %d failed (%d so far)",
                    step.processed,
                    step.failed,
                    done[0],
                )

        try:
            result = process_pending(
                settings,
                limit=limit,
                batch_size=batch_size,
                workers=workers,
                reprocess=reprocess,
                on_batch=on_batch,
            )
        except (DatabaseLost, WorkerDied) as e:  # other database errors: see ipwire.cli
            _fail(fmt, f"{e} — nothing half-saved; run `ipwire process` again to continue")
    if fmt == "json":
        emit_json("process", result.as_counts())
    elif not quiet():
        click.echo(
            f"processed {result.processed} article(s), {result.relevant} relevant, "
            f"{result.failed} failed, in {result.seconds:.1f}s; clustered {result.clustered}: "
            f"{result.incidents_new} new incident(s), {result.incidents_updated} updated"
        )


def _fail(fmt: str, message: str) -> NoReturn:
    if fmt == "json":
        emit_json("process", {"error": message}, ok=False, exit_status=1)
    raise click.ClickException(message)
