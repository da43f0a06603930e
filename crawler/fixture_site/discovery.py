"""Render the documents crawlers discover articles from: feeds, sitemaps and listing pages.

Which documents an outlet publishes is data (``[[outlet.discovery]]`` in ``outlets.toml``); which
fault endpoints a document links to is data too (``listed_in`` in ``faults.toml``). This module
turns both into files plus the truth records saying exactly what each document lists.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from jinja2 import Environment
from markupsafe import escape

from crawler.fixture_site.model import Article, Outlet

if TYPE_CHECKING:
    from crawler.fixture_site.build import Site

_CONTENT_TYPES = {
    "rss2": "application/rss+xml; charset=utf-8",
    "rss2_malformed": "application/rss+xml; charset=utf-8",
    "atom": "application/atom+xml; charset=utf-8",
    "rdf": "application/rdf+xml; charset=utf-8",
    "news_sitemap": "application/xml; charset=utf-8",
    "urlset": "application/xml; charset=utf-8",
    "sitemap_index": "application/xml; charset=utf-8",
    "listing": "text/html; charset=utf-8",
}
_IPWIRE_KIND = {
    "rss2": "feed",
    "rss2_malformed": "feed",
    "atom": "feed",
    "rdf": "feed",
    "news_sitemap": "sitemap",
    "urlset": "sitemap",
    "sitemap_index": "sitemap",
    "listing": "listing",
}


@dataclass
class Entry:
    """One item a discovery document lists: an article or a fault endpoint."""

    path: str
    title: str
    published: datetime
    summary: str
    authors: list[str]
    is_fault: bool
    date_text: str = ""

    @property
    def url(self) -> str:
        """Absolute (templated) URL."""
        return "{BASE}" + self.path

    @property
    def rfc822(self) -> str:
        """RSS 2.0 ``pubDate``."""
        return format_datetime(self.published)

    @property
    def iso(self) -> str:
        """Atom / W3C date-time."""
        return self.published.isoformat()


def _article_entry(a: Article, outlet: Outlet) -> Entry:
    summary = a.dek or a.paragraphs[0].text
    return Entry(
        a.path, a.title, a.published, summary, a.authors, False, a.date_display(outlet.date_style)
    )


def _fault_entry(f: dict[str, Any], outlet: Outlet) -> Entry:
    published = datetime.fromisoformat(f["published"]).replace(tzinfo=ZoneInfo(outlet.tz))
    return Entry(f["path"], f["title"], published, f.get("summary", f["title"]), [], True)


def render_discovery(
    env: Environment,
    site: Site,
    outlets: dict[str, Outlet],
    articles: list[Article],
    faults_doc: dict[str, Any],
    built: str,
) -> dict[str, Any]:
    """Render every outlet's discovery documents into ``site``.

    Returns:
        ``{"discovery": [...], "sources": [...]}`` for the truth file.
    """
    discovery: list[dict[str, Any]] = []
    sources: list[dict[str, Any]] = []
    listed: dict[str, list[str]] = {}
    for outlet in outlets.values():
        docs = {d["id"]: d for d in outlet.discovery}
        entries = sorted(
            (_article_entry(a, outlet) for a in articles if a.outlet == outlet.key),
            key=lambda e: (e.published, e.path),
            reverse=True,
        )
        for doc in outlet.discovery:
            if doc["kind"] == "sitemap_index":
                continue
            faults = [
                _fault_entry(f, outlet)
                for f in faults_doc["fault"]
                if doc["id"] in f.get("listed_in", [])
            ]
            limit = doc.get("limit", 0)
            items = entries[:limit] if limit else list(entries)
            items = sorted(items + faults, key=lambda e: (e.published, e.path), reverse=True)
            truth = _render_doc(env, site, outlet, doc, items, built)
            listed[doc["id"]] = truth["articles"]
            discovery.append(truth)
        for doc in outlet.discovery:
            if doc["kind"] != "sitemap_index":
                continue
            children = [docs[c] for c in doc["children"]]
            xml = env.get_template("feeds/sitemap_index.xml").render(children=children, built=built)
            site.add_file(doc["path"], xml.encode(), _CONTENT_TYPES["sitemap_index"], built)
            covered = sorted({p for c in doc["children"] for p in listed[c]})
            fault_paths = sorted(
                {p for d in discovery if d["id"] in doc["children"] for p in d["faults"]}
            )
            discovery.append(_truth(doc, covered, fault_paths, []))
        for doc in outlet.discovery:
            if doc.get("source", True):
                sources.append(_source(doc))
    return {"discovery": discovery, "sources": sources}


def _render_doc(
    env: Environment,
    site: Site,
    outlet: Outlet,
    doc: dict[str, Any],
    items: list[Entry],
    built: str,
) -> dict[str, Any]:
    kind = doc["kind"]
    newest = max((e.published for e in items), default=None)
    modified = newest.isoformat() if newest else built
    query = doc.get("link_query", "")
    ctype = _CONTENT_TYPES[kind]
    if kind == "listing":
        pages = _render_listing(env, site, outlet, doc, items, modified)
        return _truth(
            doc,
            [e.path for e in items if not e.is_fault],
            [e.path for e in items if e.is_fault],
            pages,
        )
    template = "rss2" if kind == "rss2_malformed" else kind
    xml = env.get_template(f"feeds/{template}.xml").render(
        o=outlet,
        doc=doc,
        items=items,
        query=query,
        updated=modified,
        updated_rfc=format_datetime(datetime.fromisoformat(modified)),
    )
    recovered = items
    if kind == "rss2_malformed":
        xml, recovered = _corrupt(xml, items)
    site.add_file(doc["path"], xml.encode("utf-8"), ctype, modified)
    return _truth(
        doc,
        [e.path for e in recovered if not e.is_fault],
        [e.path for e in recovered if e.is_fault],
        [],
    )


def _render_listing(
    env: Environment,
    site: Site,
    outlet: Outlet,
    doc: dict[str, Any],
    items: list[Entry],
    modified: str,
) -> list[str]:
    per_page = doc["per_page"]
    chunks = [items[i : i + per_page] for i in range(0, len(items), per_page)] or [[]]
    paths = [doc["path"]] + [f"{doc['path']}page/{n}/" for n in range(2, len(chunks) + 1)]
    popular = [e for e in items if not e.is_fault][:4]
    for n, (path, chunk) in enumerate(zip(paths, chunks, strict=True), start=1):
        html = env.get_template(f"{outlet.key}/listing.html").render(
            o=outlet,
            doc=doc,
            items=chunk,
            page=n,
            pages=len(chunks),
            next_url="{BASE}" + paths[n] if n < len(chunks) else None,
            prev_url="{BASE}" + paths[n - 2] if n > 1 else None,
            popular=popular,
        )
        site.add_file(path, html.encode("utf-8"), _CONTENT_TYPES["listing"], modified)
    return paths


def _corrupt(xml: str, items: list[Entry]) -> tuple[str, list[Entry]]:
    """Break a well-formed RSS document the way real feeds break.

    A bare ``&`` and an unclosed ``<b>`` go into the second-to-last item's title, and the document
    stops in the middle of the last item (no closing tags). Everything before the last item stays
    recoverable by a forgiving parser; the last item is lost.
    """
    if len(items) < 3:
        raise ValueError("the malformed feed needs at least three items")
    victim, last = items[-2], items[-1]
    escaped = str(escape(victim.title))
    xml = xml.replace(f"<title>{escaped}</title>", f"<title><b>R&D: {escaped}</title>", 1)
    cut = xml.index(f"<title>{escape(last.title)}</title>")
    return xml[:cut] + "<title>" + last.title[:18], items[:-1]


def _truth(
    doc: dict[str, Any], articles: list[str], faults: list[str], pages: list[str]
) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": doc["id"],
        "kind": _IPWIRE_KIND[doc["kind"]],
        "format": doc["kind"],
        "url": doc["path"],
        "in_sources": doc.get("source", True),
        "articles": articles,
        "faults": faults,
    }
    if pages:
        record["pages"] = pages
    if doc["kind"] == "rss2_malformed":
        record["note"] = (
            "Not well-formed XML; the listed articles are those a forgiving parser keeps."
        )
    return record


def _source(doc: dict[str, Any]) -> dict[str, Any]:
    src: dict[str, Any] = {
        "name": doc["id"],
        "kind": _IPWIRE_KIND[doc["kind"]],
        "url": doc["path"],
        "allowed_domains": ["127.0.0.1"],
    }
    if doc["kind"] == "listing":
        src["link_selector"] = doc["link_selector"]
        src["next_selector"] = doc["next_selector"]
        src["max_pages"] = doc.get("max_pages", 5)
    return src
