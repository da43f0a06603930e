"""``ipwire demo``: the whole pipeline, offline, on the bundled fixture news site.

It serves the fixture site on a free 127.0.0.1 port, writes a fresh data dir with an
``ipwire.toml`` pointing at it, then crawls, processes, clusters, builds the site and writes a
briefing covering the corpus — the same code paths as ``ipwire run --once``.

The demo always uses its own SQLite file in that folder: ``IPWIRE_*`` variables (a PostgreSQL
``IPWIRE_DATABASE_URL`` included) are ignored, so a demo never writes fixture news into a real
database. The commands it suggests name that file with ``--db``.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from crawler.fixture_site import FixtureSite, load_truth
from ipwire.config import Settings, load_settings
from ipwire.jobs.scheduled import ChainResult, run_chain

MARKER = ".ipwire-demo"


class DemoError(RuntimeError):
    """The demo cannot run (for example the output folder belongs to something else)."""


@dataclass
class DemoResult:
    out_dir: Path
    settings: Settings
    chain: ChainResult
    briefing_files: list[Path]
    site_dir: Path


def _toml_str(value: str) -> str:
    return json.dumps(value)  # a JSON string is a valid TOML basic string


#: Page timeout of the demo crawl, and how long the fixture's "hang" page stalls (longer, so it
#: fails as a timeout). Generous enough that a busy two-core machine never times out a real page.
DEMO_TIMEOUT_S = 5.0
DEMO_HANG_S = 7.0


def demo_config(base_url: str, timeout_s: float = DEMO_TIMEOUT_S) -> str:
    """The ``ipwire.toml`` of a demo run: every suggested fixture source, polite but quick."""
    truth = load_truth()
    crawl = truth["suggested_crawl"]
    lines = [
        "# Written by `ipwire demo`: the bundled fixture news site, served on 127.0.0.1.",
        'data_dir = "."',
        'timezone = "UTC"',
        "",
        "[crawl]",
        f"timeout_s = {float(timeout_s)}",
        f"retries = {int(crawl['retries'])}",
        f"download_delay = {float(crawl['download_delay'])}",
        f"max_page_bytes = {int(crawl['max_page_bytes'])}",
        "concurrency_per_domain = 8",
        "autothrottle = false",
        "",
        "[watchlist]",
        'entities = ["Halcyon Labs", "Zhenhe Intelligence"]',
        'keywords = ["distillation", "trade secrets"]',
        "",
    ]
    for src in truth["sources"]:
        lines += [
            "[[sources]]",
            f"name = {_toml_str(src['name'])}",
            f"kind = {_toml_str(src['kind'])}",
        ]
        lines.append(f"url = {_toml_str(base_url + src['url'])}")
        lines.append(f"allowed_domains = {json.dumps(src.get('allowed_domains', []))}")
        for key in ("link_selector", "next_selector"):
            if src.get(key):
                lines.append(f"{key} = {_toml_str(src[key])}")
        if src.get("max_pages"):
            lines.append(f"max_pages = {int(src['max_pages'])}")
        lines.append("")
    return "\n".join(lines)


def prepare_out_dir(out: Path) -> None:
    """A fresh folder: created, or emptied when an earlier demo made it; never anything else."""
    if out.exists():
        if not out.is_dir():
            raise DemoError(f"{out} exists and is not a folder")
        if any(out.iterdir()):
            if not (out / MARKER).exists():
                raise DemoError(
                    f"{out} is not empty and was not made by `ipwire demo`; choose another --out"
                )
            shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)
    (out / MARKER).write_text("made by ipwire demo; safe to delete\n", encoding="utf-8")


def run_demo(out: Path, *, hang_seconds: float = DEMO_HANG_S) -> DemoResult:
    """Run the whole demo into ``out`` (see the module docstring)."""
    from store import migrate

    out = out.resolve()
    prepare_out_dir(out)
    with FixtureSite(hang_seconds=hang_seconds) as site:
        config = out / "ipwire.toml"
        config.write_text(demo_config(site.base_url), encoding="utf-8")
        settings = load_settings(config, env={})
        migrate.upgrade(settings.database_url)
        # The corpus spans November 2026: brief on all of it so the demo shows a full briefing.
        truth = load_truth()
        first = min(datetime.fromisoformat(a["published_at"]) for a in truth["articles"].values())
        since = (first - timedelta(days=1)).astimezone(UTC)
        chain = run_chain(settings, briefing_options={"since": since, "out": out / "briefing"})
    files = sorted((out / "briefing").glob("*")) if (out / "briefing").exists() else []
    return DemoResult(out, settings, chain, files, settings.site_dir)


def ignored_environment(environ: Mapping[str, str] | None = None) -> list[str]:
    """The ``IPWIRE_*`` variables that are set, and that the demo ignores (sorted)."""
    env = os.environ if environ is None else environ
    return sorted(
        k for k, v in env.items() if k.startswith("IPWIRE_") and k != "IPWIRE_CONFIG" and v
    )


#: The query the demo suggests; it returns rows on the demo's database (a test runs it).
TRY_QUERY = "SELECT claim_type, accuser_name, accused_name, stance FROM v_claims LIMIT 10"


def try_command(db_file: Path, query: str = TRY_QUERY) -> str:
    """An ``ipwire sql`` command line on the demo's own database, whatever the environment says."""
    return f"ipwire sql --db {shlex.quote(str(db_file))} {shlex.quote(query)}"


def summary_rows(settings: Settings) -> dict[str, Any]:
    """Articles, incidents, claims by type and the top incident, read through ``ipwire sql``."""
    from store.readonly import run_readonly_query

    def one(sql: str) -> list[tuple[Any, ...]]:
        return run_readonly_query(settings.database_url, sql, {}).rows

    return {
        "articles": one("SELECT count(*) FROM article")[0][0],
        "relevant": one("SELECT count(*) FROM article WHERE is_relevant")[0][0],
        "incidents": one("SELECT count(*) FROM incident")[0][0],
        "top_incident": next(
            iter(one("SELECT title FROM v_incidents ORDER BY score DESC, incident_id LIMIT 1")),
            (None,),
        )[0],
        "claims_by_type": one(
            "SELECT claim_type, count(*) FROM v_claims GROUP BY claim_type ORDER BY 2 DESC"
        ),
    }
