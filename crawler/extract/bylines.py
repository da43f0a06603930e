"""Bylines and visible timestamps in the markup, for pages that declare no structured metadata.

Structured data (JSON-LD, OpenGraph, ``<meta>``) always wins; these readers only fill gaps, and
each is deliberately narrow: a ``<time>`` element must be marked as the publication time, a
visible timestamp must carry a clock time (site headers show *today's* date without one), and
"updated"/"modified" stamps are never publication times.
"""

from __future__ import annotations

import re

from lxml import html as lxml_html

__all__ = ["byline_authors", "credit_line_authors", "published_times"]

_PUBLISHED_MARK_RE = re.compile(r"pub|post|creat", re.I)
_DATE_CLASS_RE = re.compile(r"date|time|posted|published|dateline", re.I)
_NOT_PUBLISHED_RE = re.compile(r"updat|modif|edit|today|current|weather|clock|comment", re.I)
_CLOCK_RE = re.compile(r"\b\d{1,2}[:.]\d{2}\b")
_BYLINE_RE = re.compile(r"byline", re.I)
_AUTHOR_RE = re.compile(r"author|writer|contributor", re.I)
_AUTHOR_BOX_RE = re.compile(r"bio|box|card|avatar|about|comment", re.I)
# "(Reporting by Ann Lee and Bo Chen; Editing by Cy Diaz)": the reporters, not the editors.
_CREDIT_RE = re.compile(r"\((?:additional\s+)?reporting\s+by\s+([^;)]+)", re.I)

_MAX_STAMP_CHARS = 80
_MAX_BYLINE_CHARS = 120
_MAX_AUTHOR_WORDS = 6
_SCAN_ELEMENTS = 4000  # bylines and stamps sit near the top; bound the walk on huge pages


def _marks(element: lxml_html.HtmlElement) -> str:
    return " ".join(element.get(a) or "" for a in ("class", "id", "itemprop", "rel"))


def _text(element: lxml_html.HtmlElement) -> str:
    # itertext keeps a gap between adjacent elements ("Ann Lee</a><span>Associated Press").
    return " ".join(" ".join(element.itertext()).split())


def _elements(doc: lxml_html.HtmlElement) -> list[lxml_html.HtmlElement]:
    found = []
    for i, element in enumerate(doc.iter()):
        if i >= _SCAN_ELEMENTS:
            break
        if isinstance(element.tag, str) and element.tag not in ("script", "style", "noscript"):
            found.append(element)
    return found


def published_times(doc: lxml_html.HtmlElement) -> list[str]:
    """Publication timestamps shown in the markup, best first.

    First ``<time datetime>`` elements marked as publication (``itemprop="datePublished"``,
    ``class="posted"`` …), then visible timestamps with a clock time in elements whose class or
    id names a date (``<div class="timestamp">November 5, 2026 9:40 PM GMT</div>``).

    Args:
        doc: The parsed page.

    Returns:
        Raw timestamp strings, for :func:`crawler.extract.fields.parse_datetime`.
    """
    stamps: list[str] = []
    elements = _elements(doc)
    for element in elements:
        value = (element.get("datetime") or "").strip()
        marks = _marks(element)
        published = _PUBLISHED_MARK_RE.search(marks) and not _NOT_PUBLISHED_RE.search(marks)
        if element.tag == "time" and value and published:
            stamps.append(value)
    for element in elements:
        marks = _marks(element)
        if not _DATE_CLASS_RE.search(marks) or _NOT_PUBLISHED_RE.search(marks):
            continue
        text = _text(element)
        if len(text) <= _MAX_STAMP_CHARS and _CLOCK_RE.search(text):
            stamps.append(text)
    return stamps


def byline_authors(doc: lxml_html.HtmlElement) -> list[str]:
    """Author names from the visible byline.

    ``<a rel="author">`` links first; then the first element whose class or id says "byline";
    then short elements whose class says "author" (not author bio boxes). Text after a ``|``
    is an affiliation ("By Ann Lee | Pacific Wire Service") and is dropped.

    Args:
        doc: The parsed page.

    Returns:
        Raw byline strings, for :func:`crawler.extract.fields.clean_authors`.
    """
    elements = _elements(doc)
    linked = [_text(e) for e in elements if e.tag == "a" and "author" in (e.get("rel") or "")]
    linked = [name for name in linked if name]
    if linked:
        return linked
    for element in elements:
        if _BYLINE_RE.search(_marks(element)):
            text = _text(element)
            if 0 < len(text) <= _MAX_BYLINE_CHARS:
                return [text.split("|")[0]]
    names = []
    for element in elements:
        marks = _marks(element)
        if _AUTHOR_RE.search(marks) and not _AUTHOR_BOX_RE.search(marks):
            text = _text(element)
            if text and len(text.split()) <= _MAX_AUTHOR_WORDS:
                names.append(text.split("|")[0])
    return names


def credit_line_authors(text: str) -> list[str]:
    """Reporters named in an agency credit line at the end of the body.

    Args:
        text: The extracted article body.

    Returns:
        The "Reporting by" names (editors excluded), or an empty list.
    """
    tail = "\n".join(text.splitlines()[-3:])
    match = _CREDIT_RE.search(tail)
    return [match.group(1)] if match else []
