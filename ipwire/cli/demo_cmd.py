"""``ipwire demo``: the whole pipeline offline, on the bundled fixture news site."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from ipwire.cli.run_cmd import stage_table
from ipwire.demo import DemoError, run_demo, summary_rows


@click.command()
@click.option(
    "--out",
    "out",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("ipwire-demo"),
    show_default=True,
    help="Fresh folder for the demo's database, site and briefing.",
)
@click.option("--serve", is_flag=True, help="Then serve the site on 127.0.0.1 until Ctrl-C.")
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8000,
    show_default=True,
    help="Port for --serve (0: any free port).",
)
def demo(out: Path, serve: bool, port: int) -> None:
    """Run ipwire end to end on the bundled offline news site.

    Serves the fixture site (five fictional outlets, 47 articles, feeds, sitemaps, listings
    and fault pages) on a free 127.0.0.1 port, writes a fresh data dir and config in --out,
    crawls every source, processes, clusters, builds the report site and writes a briefing
    (.eml, .html, .txt). Nothing leaves this machine.

    \b
    Examples:
      ipwire demo
      ipwire demo --out /tmp/ipwire-demo --serve --port 8765
    """
    console = Console()
    try:
        with console.status("running the demo (crawl → process → cluster → site → briefing)…"):
            result = run_demo(out)
    except DemoError as e:
        raise click.ClickException(str(e)) from None

    console.print(stage_table(result.chain, "pipeline"))

    facts = summary_rows(result.settings)
    summary = Table(title="what the demo found")
    summary.add_column("")
    summary.add_column("", justify="right")
    summary.add_row("articles stored", str(facts["articles"]))
    summary.add_row("relevant (AI-IP incidents)", str(facts["relevant"]))
    summary.add_row("incidents", str(facts["incidents"]))
    for claim_type, n in facts["claims_by_type"]:
        summary.add_row(f"claims: {claim_type}", str(n))
    if facts.get("top_incident"):
        summary.add_row("top incident", str(facts["top_incident"]))
    console.print(summary)

    console.print(f"data dir:  {result.out_dir}")
    console.print(f"config:    {result.out_dir / 'ipwire.toml'}")
    console.print(f"site:      {result.site_dir / 'index.html'}")
    for f in result.briefing_files:
        console.print(f"briefing:  {f}")
    console.print(
        f"try:       ipwire --config {result.out_dir / 'ipwire.toml'} sql "
        '"SELECT claim_type, accuser_name, accused_name, stance FROM v_claims LIMIT 10"'
    )
    if not result.chain.ok:
        raise click.ClickException(f"stage(s) failed: {', '.join(result.chain.failed)}")
    if serve:
        from ipwire.serve import serve_folder

        serve_folder(result.site_dir, port=port)
