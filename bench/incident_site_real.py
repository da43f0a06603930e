"""The real-news set served as a local news site, and the real ``ipwire`` CLI run against it.

Used by :mod:`incident_eval_real`. A loopback HTTP server serves each cached article as one page
(headline in ``<h1>``, a ``<time datetime>`` from the gold date when known, paragraphs, the
outlet as ``og:site_name``) and one RSS feed listing every page. :func:`run_pipeline` writes an
``ipwire.toml`` with that feed as its one source into a temporary folder and runs
``ipwire init``, ``crawl``, ``process`` and ``cluster`` as subprocesses, as a new user would.

The processed database is cached (keyed by the texts and by every pipeline file outside
``nlp/incidents``), so that a change to the clustering only costs an ``ipwire cluster --rebuild``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import json
import logging
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from bench.realnews_data import RealText

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent
#: Pipeline code and data whose change invalidates the cached processed database.
_CACHE_INPUTS = ("crawler", "nlp", "store", "ipwire")
_CACHE_SKIP = ("nlp/incidents", "ipwire/jobs/cluster.py")


@dataclass(frozen=True)
class Page:
    """One served article."""

    id: str
    text: RealText
    date: str | None
    outlet: str

    @property
    def path(self) -> str:
        return f"/news/{self.id}.html"

    def published(self) -> dt.datetime | None:
        """Noon UTC of the gold date; a month-only date is taken as its 15th, a year as July 1."""
        parts = (self.date or "").split("-")
        fill = {1: ["7", "1"], 2: ["15"], 3: []}.get(len(parts), [])
        try:
            y, m, d = (int(x) for x in [*parts, *fill])
            return dt.datetime(y, m, d, 12, tzinfo=dt.UTC)
        except (ValueError, IndexError):
            return None


def render_page(p: Page) -> bytes:
    """The article's HTML page."""
    esc = html.escape
    when = p.published()
    meta = time = ""
    if when:
        iso = when.isoformat()
        meta = f'<meta property="article:published_time" content="{iso}">'
        time = f'<time datetime="{iso}">{when:%B %d, %Y}</time>'
    paras = [" ".join(x.split()) for x in p.text.body().split("\n")]
    body = "\n".join(f"<p>{esc(x)}</p>" for x in paras if x)
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{esc(p.text.title)}</title>{meta}"
        f'<meta property="og:site_name" content="{esc(p.outlet)}">'
        f"</head><body><article><h1>{esc(p.text.title)}</h1>{time}\n{body}</article>"
        "</body></html>"
    ).encode()


def render_feed(pages: list[Page], base: str) -> bytes:
    """One RSS feed listing every page."""
    items = []
    for p in pages:
        when = p.published()
        date = f"<pubDate>{format_datetime(when)}</pubDate>" if when else ""
        items.append(
            f"<item><title>{html.escape(p.text.title)}</title><link>{base}{p.path}</link>"
            f"<guid>{base}{p.path}</guid>{date}</item>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Real news</title><link>{base}/</link><description>eval</description>"
        + "".join(items)
        + "</channel></rss>"
    ).encode()


@contextmanager
def serve(pages: list[Page]) -> Iterator[str]:
    """Serve the pages and the feed on a free 127.0.0.1 port; yields the base URL."""
    by_path = {p.path: p for p in pages}
    state: dict[str, str] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            path = self.path.split("?", 1)[0]
            if path == "/feed.xml":
                body, ctype = render_feed(pages, state["base"]), "application/rss+xml"
            elif path == "/robots.txt":
                body, ctype = b"User-agent: *\nAllow: /\n", "text/plain"
            elif path in by_path:
                body, ctype = render_page(by_path[path]), "text/html; charset=utf-8"
            else:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state["base"] = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state["base"]
    finally:
        server.shutdown()
        server.server_close()


def write_config(folder: Path, base: str, n_pages: int) -> Path:
    """An ``ipwire.toml`` with the feed as its one source (quick, loopback allowed)."""
    from ipwire.config import CrawlSettings

    crawl = [
        "[crawl]",
        "download_delay = 0.0",
        "autothrottle = false",
        "concurrency_per_domain = 8",
        "timeout_s = 20.0",
        "retries = 1",
    ]
    # The SSRF guard (when this checkout has it) refuses loopback unless opted in.
    if "allow_networks" in CrawlSettings.model_fields:
        crawl.append('allow_networks = ["127.0.0.0/8"]')
    elif "allow_private_networks" in CrawlSettings.model_fields:
        crawl.append("allow_private_networks = true")
    lines = [
        'data_dir = "."',
        'timezone = "UTC"',
        "",
        *crawl,
        "",
        "[[sources]]",
        'name = "realnews"',
        'kind = "feed"',
        f"url = {json.dumps(base + '/feed.xml')}",
        'allowed_domains = ["127.0.0.1"]',
        f"max_articles = {max(1, n_pages)}",
        "",
    ]
    path = folder / "ipwire.toml"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def cache_key(pages: list[Page]) -> str:
    """A hash of the served pages and of the pipeline code that processes them."""
    h = hashlib.sha256()
    for p in sorted(pages, key=lambda p: p.id):
        h.update(render_page(p))
    for top in _CACHE_INPUTS:
        for f in sorted((ROOT / top).rglob("*")):
            rel = f.relative_to(ROOT).as_posix()
            if not f.is_file() or rel.startswith(_CACHE_SKIP) or "__pycache__" in rel:
                continue
            if f.suffix in (".py", ".json", ".jsonl", ".toml", ".txt", ".cfg"):
                h.update(rel.encode())
                h.update(f.read_bytes())
    return h.hexdigest()[:16]


def _ipwire(config: Path, *args: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("IPWIRE_")}
    cmd = [sys.executable, "-m", "ipwire", "--config", str(config), *args]
    res = subprocess.run(cmd, cwd=config.parent, env=env, capture_output=True, text=True)
    if res.returncode != 0:
        raise RuntimeError(f"ipwire {' '.join(args)} failed ({res.returncode}):\n{res.stderr}")
    return res.stdout + res.stderr


def run_pipeline(pages: list[Page], work: Path, cache: Path | None) -> tuple[Path, list[str]]:
    """Run the pipeline on the pages into ``work``; returns (the database, the CLI outputs).

    With a cached processed database only ``ipwire cluster --rebuild`` runs.
    """
    work.mkdir(parents=True, exist_ok=True)
    db = work / "ipwire.db"
    cached = cache / f"{cache_key(pages)}.db" if cache else None
    outputs: list[str] = []
    with serve(pages) as base:
        config = write_config(work, base, len(pages))
        if cached and cached.exists():
            shutil.copyfile(cached, db)
            outputs.append(_ipwire(config, "-q", "cluster", "--rebuild"))
            return db, outputs
        outputs.append(_ipwire(config, "init"))
        outputs.append(_ipwire(config, "crawl"))
        outputs.append(_ipwire(config, "process"))
        outputs.append(_ipwire(config, "cluster"))
    if cached:
        cached.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(db, cached)
    return db, outputs
