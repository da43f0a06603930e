"""``ipwire crawl``: fetch new articles from the configured sources."""

from __future__ import annotations

import logging
import time
from contextlib import nullcontext

import click

from ipwire.cli import AppContext
from ipwire.cli.output import (
    emit_json,
    format_options,
    make_console,
    output_format,
    print_sections,
    quiet,
    show_progress,
)
from ipwire.cli.summaries import crawl_json, crawl_section
from ipwire.jobs.crawl import (
    CrawlFailed,
    check_crawl,
    crawl_spec,
    crawl_totals,
    require_sources,
    run_crawl,
)
from ipwire.jobs.schema import SchemaOutdated, ensure_schema
from store import StoreError

log = logging.getLogger(__name__)


@click.command()
@click.option("--source", "sources", multiple=True, help="Only this source (repeatable).")
@click.option("--timeout", "timeout_s", type=float, default=None, help="Give up after N seconds.")
@click.option(
    "--distributed/--local",
    default=None,
    help="Share the crawl frontier in Redis ([crawl] redis_url) with crawlers on other machines "
    "(default: [crawl] distributed).",
)
@format_options
@click.pass_obj
def crawl(
    app: AppContext, sources: tuple[str, ...], timeout_s: float | None, distributed: bool | None
) -> None:
    """Crawl the configured sources once and store new articles.

    Each run of each source is recorded in ``crawl_run`` (pages fetched, new, duplicate,
    near-duplicate, not modified, robots skips, failures by reason). Exits 1 when there is
    nothing to crawl or every source failed.

    With --distributed, any number of `ipwire crawl --distributed` processes, on any machines
    with the same database and Redis, share one queue and one dupefilter: the first seeds each
    source, all fetch, none fetches a page another already took.

    \b
    Examples:
      ipwire crawl
      ipwire crawl --source example-feed --source picked
      ipwire crawl --distributed
      ipwire crawl --json | jq .totals.new
    """
    settings = app.settings
    fmt = output_format()
    t0 = time.monotonic()
    try:
        ensure_schema(settings)
        spec = crawl_spec(settings, list(sources) or None, distributed=distributed)
        require_sources(spec)
        console = make_console(stderr=True)
        spinner = show_progress()
        with (
            console.status(f"crawling {len(spec.sources)} source(s)…") if spinner else nullcontext()
        ):
            result = run_crawl(spec, timeout_s=timeout_s)
    except (CrawlFailed, SchemaOutdated, StoreError) as e:
        if fmt == "json":
            emit_json("crawl", {"error": str(e)}, ok=False, exit_status=1)
        raise click.ClickException(str(e)) from None
    totals = crawl_totals(result.summaries)
    try:
        check_crawl(result)
        error = None
    except CrawlFailed as e:
        error = str(e)
    if fmt == "json":
        payload = crawl_json(result.summaries, totals, time.monotonic() - t0)
        emit_json(
            "crawl", {**payload, "error": error}, ok=error is None, exit_status=int(bool(error))
        )
    elif not quiet():
        print_sections([crawl_section(result.summaries)])
    if error:
        raise click.ClickException(error)
