"""``ipwire demo``: the whole pipeline offline, on the bundled fixture news site."""

from __future__ import annotations

import logging
import time
from contextlib import nullcontext
from pathlib import Path
from typing import Any

import click

from ipwire.cli.output import (
    emit_json,
    format_options,
    make_console,
    output_format,
    print_kv,
    print_sections,
    quiet,
    show_progress,
)
from ipwire.cli.site_cmd import port_option
from ipwire.cli.summaries import chain_json, stage_section
from ipwire.demo import DemoError, ignored_environment, run_demo, summary_rows, try_command
from ipwire.serve import serve_until_interrupted

log = logging.getLogger(__name__)


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
@port_option("Port for --serve (0: any free port).")
@format_options
def demo(out: Path, serve: bool, port: int) -> None:
    """Run ipwire end to end on the bundled offline news site.

    Serves the fixture site (five fictional outlets, 47 articles, feeds, sitemaps, listings
    and fault pages) on a free 127.0.0.1 port, writes a fresh data dir and config in --out,
    crawls every source, processes, clusters, builds the report site and writes a briefing
    (.eml, .html, .txt). Nothing leaves this machine.

    The demo always uses its own SQLite file, --out/ipwire.db: IPWIRE_DATABASE_URL and the
    other IPWIRE_* variables are ignored (it says so when one is set), and the command it
    suggests queries that file.

    \b
    Examples:
      ipwire demo
      ipwire demo --out /tmp/ipwire-demo --serve --port 8765
      ipwire demo --json
    """
    fmt = output_format()
    ignored = ignored_environment()
    if ignored:
        log.warning(
            "the demo always uses its own SQLite database in %s; ignoring %s",
            out,
            ", ".join(ignored),
        )
    console = make_console(stderr=True)
    spinner = show_progress()
    t0 = time.monotonic()
    try:
        with (
            console.status("running the demo (crawl → process → cluster → briefing → site)…")
            if spinner
            else nullcontext()
        ):
            result = run_demo(out)
    except DemoError as e:
        if fmt == "json":
            emit_json("demo", {"error": str(e)}, ok=False, exit_status=1)
        raise click.ClickException(str(e)) from None

    facts = summary_rows(result.settings)
    db_file = result.settings.data_dir / "ipwire.db"
    error = None if result.chain.ok else f"stage(s) failed: {', '.join(result.chain.failed)}"
    if fmt == "json":
        payload: dict[str, Any] = {
            **chain_json(result.chain),
            "seconds": round(time.monotonic() - t0, 3),
            "database": {"url": result.settings.database_url, "file": str(db_file)},
            "ignored_environment": ignored,
            "out_dir": str(result.out_dir),
            "config": str(result.out_dir / "ipwire.toml"),
            "site": str(result.site_dir / "index.html"),
            "briefing_files": [str(f) for f in result.briefing_files],
            "found": {
                "articles": facts["articles"],
                "relevant": facts["relevant"],
                "incidents": facts["incidents"],
                "claims_by_type": {str(t): int(n) for t, n in facts["claims_by_type"]},
                "top_incident": facts.get("top_incident"),
            },
            "try": try_command(db_file),
            "error": error,
        }
        emit_json("demo", payload, ok=result.chain.ok, exit_status=int(not result.chain.ok))
    elif not quiet():
        print_sections([stage_section(result.chain, "pipeline")])
        found: list[tuple[str, object]] = [
            ("articles stored", facts["articles"]),
            ("relevant (AI-IP incidents)", facts["relevant"]),
            ("incidents", facts["incidents"]),
        ]
        found += [(f"claims: {t}", n) for t, n in facts["claims_by_type"]]
        if facts.get("top_incident"):
            found.append(("top incident", facts["top_incident"]))
        click.echo("")
        print_kv("what the demo found", found)
        click.echo("")
        files: list[tuple[str, object]] = [
            ("data dir", result.out_dir),
            ("database", f"{db_file} (the demo's own SQLite file)"),
            ("config", result.out_dir / "ipwire.toml"),
            ("site", result.site_dir / "index.html"),
        ]
        files += [("briefing", f) for f in result.briefing_files]
        files.append(("try", try_command(db_file)))
        print_kv("", files)
    if error:
        raise click.ClickException(error)
    if serve:
        serve_until_interrupted(result.site_dir, port)
