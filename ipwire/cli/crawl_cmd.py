"""``ipwire crawl``: fetch new articles from the configured sources."""

from __future__ import annotations

import click
from rich.console import Console
from rich.table import Table

from ipwire.cli import AppContext
from ipwire.jobs.crawl import CrawlFailed, crawl_spec, run_crawl
from ipwire.jobs.schema import SchemaOutdated, ensure_schema
from store import StoreError

COLUMNS = (
    ("pages_fetched", "pages"),
    ("new", "new"),
    ("duplicate", "dup"),
    ("near_duplicate", "near-dup"),
    ("not_modified", "304"),
    ("already_stored", "known"),
    ("robots_skipped", "robots"),
    ("skipped", "skipped"),
    ("failed", "failed"),
)


def summary_table(summaries: list[dict[str, object]]) -> Table:
    """The end-of-crawl table: one row per source, failures by reason."""
    table = Table(title="crawl summary")
    table.add_column("source")
    table.add_column("outcome")
    for _, label in COLUMNS:
        table.add_column(label, justify="right")
    table.add_column("failures by reason")
    for s in summaries:
        reasons = dict(s.get("failed_by_reason") or {})  # type: ignore[call-overload]
        reasons.update({f"skip:{k}": v for k, v in dict(s.get("skipped_by_reason") or {}).items()})  # type: ignore[call-overload]
        table.add_row(
            str(s["source"]),
            str(s["outcome"]),
            *(str(s.get(key, 0)) for key, _ in COLUMNS),
            ", ".join(f"{k}={v}" for k, v in sorted(reasons.items())),
        )
    return table


@click.command()
@click.option("--source", "sources", multiple=True, help="Only this source (repeatable).")
@click.option("--timeout", "timeout_s", type=float, default=None, help="Give up after N seconds.")
@click.option(
    "--distributed/--local",
    default=None,
    help="Share the crawl frontier in Redis ([crawl] redis_url) with crawlers on other machines "
    "(default: [crawl] distributed).",
)
@click.pass_obj
def crawl(
    app: AppContext, sources: tuple[str, ...], timeout_s: float | None, distributed: bool | None
) -> None:
    """Crawl the configured sources once and store new articles.

    Each run of each source is recorded in ``crawl_run`` (pages fetched, new, duplicate,
    near-duplicate, not modified, robots skips, failures by reason).

    With --distributed, any number of `ipwire crawl --distributed` processes, on any machines
    with the same database and Redis, share one queue and one dupefilter: the first seeds each
    source, all fetch, none fetches a page another already took.

    \b
    Examples:
      ipwire crawl
      ipwire crawl --source example-feed --source picked
      ipwire crawl --distributed
    """
    settings = app.settings
    console = Console(stderr=True)
    try:
        ensure_schema(settings)
        spec = crawl_spec(settings, list(sources) or None, distributed=distributed)
        if not spec.sources:
            raise click.ClickException("no sources configured: add [[sources]] to ipwire.toml")
        with console.status(f"crawling {len(spec.sources)} source(s)…"):
            result = run_crawl(spec, timeout_s=timeout_s)
    except (CrawlFailed, SchemaOutdated, StoreError) as e:
        raise click.ClickException(str(e)) from None
    Console().print(summary_table(result.summaries))
