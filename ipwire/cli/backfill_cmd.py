"""``ipwire backfill``: build incident history from a news-search API over a past window."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import click
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

from crawler.search.gdelt import INDEX_LAG
from crawler.spec import CrawlSpec
from ipwire.cli import AppContext
from ipwire.jobs.backfill import Progress as BackfillProgress
from ipwire.jobs.backfill import backfill_spec, parse_moment, run_backfill
from ipwire.jobs.crawl import CrawlFailed, CrawlResult
from ipwire.jobs.schema import SchemaOutdated, ensure_schema
from store import StoreError


def _moment(ctx: click.Context, param: click.Parameter, value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        return parse_moment(value)
    except ValueError as e:
        raise click.BadParameter(str(e)) from None


@click.command()
@click.option(
    "--since", required=True, callback=_moment, help="Start: YYYY-MM-DD or ISO date-time (UTC)."
)
@click.option(
    "--until",
    default=None,
    callback=_moment,
    help="End, exclusive (default: now, less the API's 20-minute indexing lag).",
)
@click.option("--source", "sources", multiple=True, help="Only this search source (repeatable).")
@click.option("--timeout", "timeout_s", type=float, default=None, help="Give up after N seconds.")
@click.pass_obj
def backfill(
    app: AppContext,
    since: datetime,
    until: datetime | None,
    sources: tuple[str, ...],
    timeout_s: float | None,
) -> None:
    """Fetch the articles that the search sources' queries find in a past window.

    Walks the window slice by slice through the ordinary crawl (robots.txt, politeness,
    dedup, extraction), at the API's pace (GDELT: one request every 5 seconds). A slice
    counts as done once all its articles are stored or failed; killed or interrupted, the
    same command resumes where it stopped, asking nothing twice and fetching nothing stored.
    Then run `ipwire process` to analyse what came in.

    \b
    Examples:
      ipwire backfill --since 2024-01-01                 # two years of history, one command
      ipwire backfill --since 2025-06-01 --until 2025-07-01 --source gdelt-distillation
    """
    settings = app.settings
    end = until or datetime.now(UTC).replace(microsecond=0) - INDEX_LAG
    try:
        ensure_schema(settings)
        spec = backfill_spec(settings, since, end, list(sources) or None)
    except (CrawlFailed, SchemaOutdated, StoreError) as e:
        raise click.ClickException(str(e)) from None
    console = Console(stderr=True)
    names = ", ".join(s.name for s in spec.sources)
    console.print(f"backfill {since:%Y-%m-%d %H:%M} → {end:%Y-%m-%d %H:%M} UTC: {names}")
    try:
        if console.is_terminal:
            result = _with_bar(console, spec, timeout_s)
        else:
            result = run_backfill(spec, _PlainReporter(), timeout_s=timeout_s)
    except (CrawlFailed, StoreError) as e:
        raise click.ClickException(str(e)) from None
    for s in result.summaries:
        click.echo(
            f"{s['source']}: {s['outcome']}, {s.get('new', 0)} new, "
            f"{s.get('duplicate', 0) + s.get('near_duplicate', 0)} duplicate, "
            f"{s.get('already_stored', 0)} already stored, {s.get('failed', 0)} failed"
        )
    if any(s["outcome"] not in ("ok", "partial") for s in result.summaries) or any(
        s.get("failed_by_reason", {}).keys() & {"api_malformed", "api_timeout", "api_rate_limited"}
        for s in result.summaries
    ):
        click.echo("some slices are not done: run the same command again to resume", err=True)


def _with_bar(console: Console, spec: CrawlSpec, timeout_s: float | None) -> CrawlResult:
    columns = (
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        TextColumn("{task.percentage:>5.1f}%"),
        TextColumn("{task.fields[slices]} slices"),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=console) as bar:
        task = bar.add_task("backfill", total=None, slices=0)

        def show(p: BackfillProgress) -> None:
            bar.update(task, total=p.total_s, completed=p.done_s, slices=p.slices_done)

        return run_backfill(spec, show, timeout_s=timeout_s)


class _PlainReporter:
    """Progress as lines on stderr when it is not a terminal: every 10 % or minute, with an ETA."""

    def __init__(self) -> None:
        self.started = time.monotonic()
        self.first: float | None = None  # a resumed backfill starts part done
        self.shown = -1
        self.at = self.started

    def __call__(self, p: BackfillProgress) -> None:
        now = time.monotonic()
        if self.first is None:
            self.first = p.fraction
        step = int(p.fraction * 10)
        if step == self.shown and now - self.at < 60:
            return
        self.shown, self.at = step, now
        gained = p.fraction - self.first
        eta = (now - self.started) * (1 - p.fraction) / gained if gained > 0 else None
        click.echo(
            f"backfill: {100 * p.fraction:.0f}% of the window done ({p.slices_done} slices)"
            + (f", ETA {eta:.0f}s" if eta is not None else ""),
            err=True,
        )
