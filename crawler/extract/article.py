"""``extract_article``: one call from HTML (text or bytes) to a clean article record."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from lxml import html as lxml_html
from trafilatura.utils import load_html

from crawler.charset import decode_html
from crawler.extract.body import extract_body
from crawler.extract.bylines import credit_line_authors
from crawler.extract.fields import clean_authors, clean_language, clean_title, pick_published
from crawler.extract.metadata import PageMetadata, read_metadata
from crawler.urls import canonical_url as choose_canonical
from crawler.urls import normalize_url, registrable_domain

logger = logging.getLogger(__name__)

__all__ = ["MAX_HTML_CHARS", "ExtractedArticle", "extract_article"]

MAX_HTML_CHARS = 5_000_000
"""Longer documents are cut: no article needs more, and parsing cost grows with size."""


@dataclass(frozen=True, slots=True)
class ExtractedArticle:
    """An article as extracted from one page. Text fields are ``""`` when unknown.

    Attributes:
        title: Headline without the site-name suffix.
        text: Body text, paragraphs separated by newlines; ``""`` when no article was found.
        published_at: Publication time as an aware datetime in the offset the page declared
            (so that its ``.date()`` is the page's own day), or None.
        authors: Author names in byline order.
        language: ISO 639 code such as ``"en"``, or ``""``.
        canonical_url: Normalised canonical URL (the declared one only when on the same site).
        site_name: The outlet's name as the page declares it (``og:site_name``, JSON-LD
            publisher, ``application-name``), else the caller's hint (a feed's title), else the
            registrable domain or host.
        description: The page's summary (``og:description``/``description``).
    """

    title: str = ""
    text: str = ""
    published_at: datetime | None = None
    authors: tuple[str, ...] = ()
    language: str = ""
    canonical_url: str = ""
    site_name: str = ""
    description: str = ""


def _to_text(html: str | bytes, declared_charset: str | None, url: str) -> str:
    if isinstance(html, (bytes, bytearray, memoryview)):
        text = decode_html(bytes(html), declared_charset, url=url or None)
    else:
        text = str(html)
    # NUL characters make lxml refuse the document; they are never meaningful in HTML.
    return text[:MAX_HTML_CHARS].replace("\x00", "")


def _parse(text: str) -> lxml_html.HtmlElement | None:
    if not text.strip():
        return None
    try:
        doc = load_html(text)
    except Exception:
        logger.debug("cannot parse document", exc_info=True)
        return None
    return doc if isinstance(doc, lxml_html.HtmlElement) else None


def _build(
    doc: lxml_html.HtmlElement, url: str, text: str, site_name_hint: str | None
) -> ExtractedArticle:
    meta: PageMetadata = read_metadata(doc)
    site_name = meta.site_name
    if not site_name or "://" in site_name or site_name.startswith("www."):
        site_name = " ".join((site_name_hint or "").split()) or registrable_domain(url) or site_name
    title = clean_title(meta.headline, meta.og_title, meta.h1, meta.html_title, site_name, url)
    titles = (title, meta.headline, meta.og_title, meta.h1, meta.html_title)
    body = extract_body(doc, url, meta.article_body, titles)
    return ExtractedArticle(
        title=title,
        text=body,
        published_at=pick_published(meta.published, text, url),
        authors=clean_authors(meta.authors or credit_line_authors(body), site_name),
        language=clean_language(meta.language),
        canonical_url=choose_canonical(url, meta.canonical or meta.og_url) if url else "",
        site_name=site_name,
        description=meta.description,
    )


def extract_article(
    html: str | bytes,
    url: str,
    *,
    declared_charset: str | None = None,
    site_name_hint: str | None = None,
) -> ExtractedArticle:
    """Extract an article's text and metadata from a page. Never raises.

    The body comes from trafilatura (cross-checked with the JSON-LD ``articleBody``); the title,
    date, authors, language and site name from JSON-LD, OpenGraph and ``<meta>`` tags, then the
    visible byline and timestamp; htmldate's date checks the declared one (``pick_published``).
    Bytes are decoded by :func:`crawler.charset.decode_html` (Content-Type, BOM, ``<meta>``).

    Args:
        html: The page as text, or as raw bytes.
        url: The URL the page was fetched from (resolves a relative canonical, dates in paths).
        declared_charset: The ``Content-Type`` header (or its charset), when ``html`` is bytes.
        site_name_hint: The outlet's name from elsewhere (the title of the feed that linked
            the page), used when the page does not declare its own.

    Returns:
        The extracted article; on unusable input an article whose ``text`` is ``""`` (with
        ``canonical_url`` still set from ``url``).

    Example:
        >>> extract_article(b"<html><body></body></html>", "https://example.com/a").text
        ''
    """
    try:
        text = _to_text(html, declared_charset, url)
        doc = _parse(text)
        if doc is not None:
            return _build(doc, url, text, site_name_hint)
    except Exception:  # the contract is "never raises": log and return an empty article
        logger.warning("extraction failed for %s", url, exc_info=True)
    try:
        fallback_url = normalize_url(url) if url else ""
    except Exception:
        fallback_url = ""
    return ExtractedArticle(canonical_url=fallback_url)
