"""``ipwire process``: run the NLP pipeline over new articles."""

from __future__ import annotations

import click
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from ipwire.cli import AppContext
from ipwire.jobs.process import DatabaseLost, ProcessResult, WorkerDied, process_pending
from ipwire.jobs.schema import SchemaOutdated, ensure_schema
from store import StoreError


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
    """
    settings = app.settings
    try:
        ensure_schema(settings)
    except (SchemaOutdated, StoreError) as e:
        raise click.ClickException(str(e)) from None
    console = Console(stderr=True)
    with Progress(
        TextColumn("processing"),
        BarColumn(),
        TextColumn("{task.completed} articles"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,
    ) as progress:
        task = progress.add_task("process", total=limit)

        def on_batch(step: ProcessResult) -> None:
            progress.advance(task, step.processed + step.failed)

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
            raise click.ClickException(
                f"{e} — nothing half-saved; run `ipwire process` again to continue"
            ) from None
    click.echo(
        f"processed {result.processed} article(s), {result.relevant} relevant, "
        f"{result.failed} failed, in {result.seconds:.1f}s"
    )
