"""Structured evidence a page declares about itself: JSON-LD, OpenGraph and ``<meta>`` tags.

Publishers fill these for search engines and social networks, so they are usually the most
reliable source for headline, publication time, authors and canonical URL. Each reader here is
defensive: JSON-LD in the wild has comments, trailing commas, lists of graphs and authors given
as strings, objects or lists of either.
"""

from __future__ import annotations

import html
import json
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from lxml import html as lxml_html

from crawler.extract.bylines import byline_authors, published_times

logger = logging.getLogger(__name__)

__all__ = ["PageMetadata", "read_metadata"]

# schema.org types whose fields describe the article itself.
_ARTICLE_TYPES = frozenset(
    {
        "article",
        "newsarticle",
        "reportagenewsarticle",
        "analysisnewsarticle",
        "opinionnewsarticle",
        "reviewnewsarticle",
        "backgroundnewsarticle",
        "askpublicnewsarticle",
        "scholarlyarticle",
        "techarticle",
        "blogposting",
        "liveblogposting",
        "socialmediaposting",
        "report",
        "webpage",
    }
)
_NEWS_PRIORITY = ("newsarticle", "reportagenewsarticle", "article", "blogposting")

_TRAILING_COMMA_RE = re.compile(r",\s*([}\]])")


@dataclass
class PageMetadata:
    """What a page declares about itself; every field may be empty."""

    headline: str = ""
    og_title: str = ""
    html_title: str = ""
    h1: str = ""
    published: list[str] = field(default_factory=list)
    """Candidate publication timestamps, best first (JSON-LD, then meta tags, then ``<time>``)."""
    authors: list[str] = field(default_factory=list)
    article_body: str = ""
    language: str = ""
    canonical: str = ""
    og_url: str = ""
    site_name: str = ""
    description: str = ""


def _clean(text: str) -> str:
    # Values are often entity-escaped twice ("&amp;#8216;" in the source, "&#8216;" after the
    # parser), so unescape what is left; whitespace collapses to single spaces.
    if "&" in text:
        text = html.unescape(text)
    return " ".join(text.split())


def _text(value: Any) -> str:
    if isinstance(value, str):
        return _clean(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return ""


def _types(node: dict[str, Any]) -> set[str]:
    value = node.get("@type")
    values = value if isinstance(value, list) else [value]
    return {v.rsplit("/", 1)[-1].lower() for v in values if isinstance(v, str)}


def _walk(data: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    # JSON-LD nests articles in @graph lists, mainEntity, or top-level arrays.
    if depth > 12:
        return
    if isinstance(data, list):
        for item in data:
            yield from _walk(item, depth + 1)
    elif isinstance(data, dict):
        yield data
        for key in ("@graph", "mainEntity", "mainEntityOfPage", "itemListElement"):
            if key in data:
                yield from _walk(data[key], depth + 1)


def _load_json(raw: str) -> Any:
    raw = raw.strip()
    if raw.startswith("<!--"):
        raw = raw.removeprefix("<!--").removesuffix("-->")
    try:
        return json.loads(raw, strict=False)
    except ValueError:
        try:
            return json.loads(_TRAILING_COMMA_RE.sub(r"\1", raw), strict=False)
        except ValueError:
            return None


def _names(value: Any, ids: dict[str, dict[str, Any]], depth: int = 0) -> list[str]:
    """Author-like values: "Ann", {"name": "Ann"}, [{"@type": "Person", "name": "Ann"}, "Bo"],
    or {"@id": "…#ann"} pointing at a Person node elsewhere in the graph."""
    if depth > 4:
        return []
    if isinstance(value, list):
        return [name for item in value for name in _names(item, ids, depth + 1)]
    if isinstance(value, dict):
        if "name" not in value and isinstance(value.get("@id"), str):
            value = ids.get(value["@id"], {})
        return _names(value.get("name"), ids, depth + 1)
    text = _text(value)
    return [text] if text else []


def _jsonld_nodes(doc: lxml_html.HtmlElement) -> list[dict[str, Any]]:
    nodes: list[dict[str, Any]] = []
    for script in doc.iterfind(".//script"):
        if "ld+json" in (script.get("type") or "").lower():
            nodes.extend(_walk(_load_json(script.text or "")))
    return nodes


def _article_nodes(nodes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    nodes = [node for node in nodes if _types(node) & _ARTICLE_TYPES]

    def rank(node: dict[str, Any]) -> int:
        types = _types(node)
        for i, name in enumerate(_NEWS_PRIORITY):
            if name in types:
                return i
        return len(_NEWS_PRIORITY) + (1 if "webpage" in types else 0)

    return sorted(nodes, key=rank)


def _meta_map(doc: lxml_html.HtmlElement) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for meta in doc.iterfind(".//meta"):
        key = meta.get("property") or meta.get("name") or meta.get("itemprop") or ""
        content = meta.get("content")
        if key and content and content.strip():
            found.setdefault(key.strip().lower(), []).append(_clean(content))
    return found


def _first(meta: dict[str, list[str]], *keys: str) -> str:
    for key in keys:
        if meta.get(key):
            return meta[key][0]
    return ""


def _element_text(doc: lxml_html.HtmlElement, path: str) -> str:
    for element in doc.iterfind(path):
        text = _clean(element.text_content())
        if text:
            return text
    return ""


def _looks_like_url(text: str) -> bool:
    return text.startswith(("http://", "https://", "/", "www."))


def read_metadata(doc: lxml_html.HtmlElement) -> PageMetadata:
    """Read JSON-LD, OpenGraph, ``<meta>``, ``<link rel=canonical>`` and basic HTML fields.

    Args:
        doc: The parsed document.

    Returns:
        The collected evidence; fields the page does not declare stay empty.
    """
    meta = _meta_map(doc)
    out = PageMetadata()
    nodes = _jsonld_nodes(doc)
    ids = {node["@id"]: node for node in nodes if isinstance(node.get("@id"), str)}
    for node in _article_nodes(nodes):
        out.headline = out.headline or _text(node.get("headline")) or _text(node.get("name"))
        published = _text(node.get("datePublished")) or _text(node.get("dateCreated"))
        if published:
            out.published.append(published)
        if not out.authors:
            out.authors = _names(node.get("author"), ids) or _names(node.get("creator"), ids)
        body = _text(node.get("articleBody")) if isinstance(node.get("articleBody"), str) else ""
        if len(body) > len(out.article_body):
            out.article_body = node["articleBody"].strip()
        out.language = out.language or _text(node.get("inLanguage"))
        out.description = out.description or _text(node.get("description"))
        if not out.site_name:
            out.site_name = (_names(node.get("publisher"), ids) or [""])[0]
    out.og_title = _first(meta, "og:title", "twitter:title")
    out.html_title = _element_text(doc, ".//title")
    out.h1 = _element_text(doc, ".//h1")
    for key in (
        "article:published_time",
        "og:published_time",
        "datepublished",
        "publishdate",
        "pubdate",
        "date",
        "dc.date.issued",
        "dc.date",
        "sailthru.date",
        "parsely-pub-date",
    ):
        out.published.extend(meta.get(key, []))
    out.published.extend(published_times(doc))
    if not out.authors:
        candidates = meta.get("author", []) + meta.get("article:author", [])
        candidates += meta.get("parsely-author", []) + meta.get("dc.creator", [])
        out.authors = [a for a in candidates if not _looks_like_url(a)]
    if not out.authors:
        out.authors = byline_authors(doc)
    out.language = out.language or (doc.get("lang") or doc.get("xml:lang") or "").strip()
    out.language = out.language or _first(meta, "og:locale", "content-language", "language")
    for link in doc.iterfind(".//link"):
        rel = (link.get("rel") or "").lower().split()
        if "canonical" in rel and (link.get("href") or "").strip():
            out.canonical = (link.get("href") or "").strip()
            break
    out.og_url = _first(meta, "og:url")
    out.site_name = _first(meta, "og:site_name") or out.site_name
    out.site_name = out.site_name or _first(meta, "application-name")
    out.description = _first(meta, "og:description", "description") or out.description
    return out
