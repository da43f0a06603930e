"""Render the fixture news site from its hand-written sources.

``content/*.toml`` (outlets, articles, faults) + ``templates/`` → ``www/`` (HTML, feeds,
sitemaps), ``manifest.json`` (what the server serves at each path) and ``truth.json`` (what a
crawl should find). The output is deterministic and not in git:
:func:`crawler.fixture_site.paths.built_site` renders it on first use into a cache keyed by a
hash of the sources, so an edit takes effect on the next run.
``tests/crawler/test_fixture_site.py`` renders twice and compares.

``python -m crawler.fixture_site.build`` prints where the current copy is (building it if
needed); ``--out DIR`` renders into another folder, to read or diff the output.
"""

from __future__ import annotations

import argparse
import json
import logging
import shutil
import tomllib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from crawler.fixture_site.discovery import render_discovery
from crawler.fixture_site.model import (
    Article,
    Outlet,
    apply_copy,
    article_bytes,
    load_articles,
    load_outlets,
)
from crawler.fixture_site.paths import CONTENT_DIR, TEMPLATES_DIR, built_site
from store.vocab import TIMELINE_STATUSES

logger = logging.getLogger(__name__)

FAULT_KINDS = {"http_500", "http_429", "http_404", "hang", "redirect_loop", "big_page", "pdf"}
#: Steps of an incident's timeline an article can report (stance words and legal status).
STATUSES = set(TIMELINE_STATUSES)
SITE_BUILT = "2026-11-28T06:00:00+00:00"


def _toml(name: str) -> dict[str, Any]:
    return tomllib.loads((CONTENT_DIR / name).read_text(encoding="utf-8"))


def _env() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    return env


class Site:
    """Accumulates the files, manifest entries and truth records of one build."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.manifest: dict[str, dict[str, Any]] = {}

    def add_file(
        self, path: str, data: bytes, content_type: str, last_modified: str, **extra: Any
    ) -> None:
        """Write ``data`` for URL ``path`` and register it in the manifest."""
        if path in self.manifest:
            raise ValueError(f"duplicate path {path}")
        rel = path.lstrip("/")
        if rel == "" or rel.endswith("/"):
            rel += "index.html"
        target = self.out / "www" / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        entry: dict[str, Any] = {
            "file": rel,
            "type": content_type,
            "last_modified": last_modified,
        }
        entry.update(extra)
        self.manifest[path] = entry

    def add_fault(self, path: str, **entry: Any) -> None:
        """Register a fault endpoint (no file: the server computes the answer)."""
        if path in self.manifest:
            raise ValueError(f"duplicate path {path}")
        self.manifest[path] = entry


def _related(article: Article, siblings: list[Article]) -> list[Article]:
    others = [a for a in siblings if a.path != article.path]
    others.sort(key=lambda a: (abs((a.published - article.published).total_seconds()), a.path))
    return others[:3]


def build(out: Path) -> dict[str, Any]:
    """Render the whole site into ``out`` (``www/``, ``manifest.json``, ``truth.json``).

    Returns:
        The truth document that was written.

    Raises:
        ValueError: If the content is inconsistent (unknown outlet, key sentence missing from the
            body, a path used twice, an article no source discovers …).
    """
    env = _env()
    outlets = load_outlets(CONTENT_DIR / "outlets.toml")
    articles = load_articles(sorted((CONTENT_DIR / "articles").glob("*.toml")), outlets)
    faults_doc = _toml("faults.toml")
    settings = _toml("site.toml")
    incidents = _toml("incidents.toml")["incident"]
    by_slug = {a.slug: a for a in articles}
    for a in articles:
        apply_copy(a, by_slug)

    www = out / "www"
    if www.exists():
        shutil.rmtree(www)
    site = Site(out)
    comments = settings["comments"]

    for outlet in outlets.values():
        mine = [a for a in articles if a.outlet == outlet.key]
        for article in mine:
            html = env.get_template(f"{outlet.key}/article.html").render(
                a=article,
                o=outlet,
                related=_related(article, mine),
                comments=article.pick_comments(comments),
                jsonld=article.jsonld(outlet),
            )
            data = article_bytes(article, html)
            extra = {"gate": "throttle_once"} if article.fault == "throttle_once" else {}
            site.add_file(
                article.path, data, "text/html; charset=utf-8", article.published_iso, **extra
            )

    fault_truth = _add_faults(site, faults_doc, outlets)
    fault_truth.update(_article_faults(articles))
    discovery = render_discovery(env, site, outlets, articles, faults_doc, SITE_BUILT)
    _add_root(env, site, outlets, settings)

    truth = {
        "about": "Ground truth for the ipwire fixture news site; see README.md for the layout.",
        "base_placeholder": "{BASE}",
        "reference_date": "2026-11-28",
        "suggested_crawl": settings["suggested_crawl"],
        "articles": {a.path: a.truth() for a in articles},
        "faults": fault_truth,
        "discovery": discovery["discovery"],
        "sources": discovery["sources"],
        "incidents": incidents,
    }
    _check(truth)
    (out / "manifest.json").write_text(_dump(dict(sorted(site.manifest.items()))), "utf-8")
    (out / "truth.json").write_text(_dump(truth), "utf-8")
    logger.info("built %d paths, %d articles", len(site.manifest), len(articles))
    return truth


def _add_faults(
    site: Site, doc: dict[str, Any], outlets: dict[str, Outlet]
) -> dict[str, dict[str, Any]]:
    truth: dict[str, dict[str, Any]] = {}
    for f in doc["fault"]:
        kind, path = f["kind"], f["path"]
        if kind == "robots_disallowed":
            page = (
                "<!doctype html><html><head><meta charset='utf-8'><title>"
                f"{f['title']}</title></head><body><h1>{f['title']}</h1>"
                "<p>Sign in to read this members-only story.</p></body></html>\n"
            )
            site.add_file(path, page.encode(), "text/html; charset=utf-8", SITE_BUILT)
        elif kind in FAULT_KINDS:
            entry = {"fault": kind, "title": f["title"]}
            if kind == "redirect_loop":
                entry["target"] = f["target"]
                site.add_fault(f["target"], fault=kind, title=f["title"], target=path)
            site.add_fault(path, **entry)
        else:
            raise ValueError(f"unknown fault kind {kind!r}")
        if f["outlet"] not in outlets:
            raise ValueError(f"fault {path}: unknown outlet {f['outlet']!r}")
        truth[path] = {
            "outlet": f["outlet"],
            "kind": kind,
            "title": f["title"],
            "expected": f["expected"],
            "note": f.get("note", ""),
        }
    return truth


_ARTICLE_FAULT_NOTES = {
    "wrong_charset": "Header and <meta> declare UTF-8 but the bytes are windows-1252 (curly "
    "quotes, accents); a correct crawl decodes them and stores the article.",
    "invalid_utf8": "UTF-8 with a few invalid byte sequences in the last paragraph; a correct "
    "crawl decodes with replacement and stores the article.",
    "truncated": "The HTML stops mid-element shortly after the key sentence; a correct crawl "
    "stores what is there.",
    "throttle_once": "The first request gets 429 with Retry-After; the retry gets the article.",
}


def _article_faults(articles: list[Article]) -> dict[str, dict[str, Any]]:
    out = {}
    for a in articles:
        if not a.fault:
            continue
        if a.fault not in _ARTICLE_FAULT_NOTES:
            raise ValueError(f"{a.slug}: unknown article fault {a.fault!r}")
        out[a.path] = {
            "outlet": a.outlet,
            "kind": a.fault,
            "title": a.title,
            "expected": {"outcome": "stored", "reason": None},
            "note": _ARTICLE_FAULT_NOTES[a.fault],
        }
    return out


def _add_root(
    env: Environment, site: Site, outlets: dict[str, Outlet], doc: dict[str, Any]
) -> None:
    robots = env.get_template("robots.txt").render(
        disallow=doc["robots"]["disallow"], sitemaps=doc["robots"]["sitemaps"]
    )
    site.add_file("/robots.txt", robots.encode(), "text/plain; charset=utf-8", SITE_BUILT)
    index = env.get_template("index.html").render(outlets=list(outlets.values()))
    site.add_file("/", index.encode(), "text/html; charset=utf-8", SITE_BUILT)


def _check(truth: dict[str, Any]) -> None:
    discovered: set[str] = set()
    for d in truth["discovery"]:
        if d["in_sources"]:
            discovered.update(d["articles"])
    missing = sorted(set(truth["articles"]) - discovered)
    if missing:
        raise ValueError(f"articles no suggested source discovers: {missing}")
    ids = {i["id"] for i in truth["incidents"]}
    statuses = {i["id"]: set(i["statuses"]) for i in truth["incidents"]}
    for path, a in truth["articles"].items():
        allowed = set().union(*(statuses.get(i, set()) for i in a["incident_ids"]))
        if not set(a["statuses"]) <= allowed or set(a["statuses"]) - STATUSES:
            raise ValueError(f"{path}: statuses {a['statuses']} not among {sorted(allowed)}")
        if a["is_incident"] and not a["statuses"]:
            raise ValueError(f"{path}: an incident article needs at least one status")
        unknown = set(a["incident_ids"]) - ids
        if unknown:
            raise ValueError(f"{path}: unknown incident ids {sorted(unknown)}")
        if a["is_incident"] != bool(a["incident_ids"]):
            raise ValueError(f"{path}: is_incident disagrees with incident_ids")


def _dump(data: Any) -> str:
    return json.dumps(data, indent=1, ensure_ascii=False) + "\n"


def main(argv: Iterable[str] | None = None) -> None:
    """Command-line entry point: ``python -m crawler.fixture_site.build [--out DIR]``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="render here (default: the cached copy)")
    args = parser.parse_args(list(argv) if argv is not None else None)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(message)s")
    if args.out is None:
        out = built_site().root
        truth = json.loads((out / "truth.json").read_text(encoding="utf-8"))
    else:
        out = args.out
        truth = build(out)
    print(
        f"{len(truth['articles'])} articles, {len(truth['faults'])} faults, "
        f"{len(truth['discovery'])} discovery documents -> {out}"
    )


if __name__ == "__main__":
    main()
