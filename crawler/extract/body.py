"""Article body: trafilatura's extraction, checked against the page's own JSON-LD ``articleBody``.

Choices (measured with ``bench/extraction_bench.py`` on the article-extraction benchmark):

* ``favor_precision=True, include_comments=False``: reader comments are never the article, and
  precision mode drops most related-link lists and teasers at a small recall cost.
* The JSON-LD ``articleBody`` is used only when it agrees with trafilatura (it contains most of
  trafilatura's shingles) and is substantially longer: many publishers truncate it to a teaser,
  so it is evidence, not truth.
* A first line repeating the headline is removed: the headline is a separate field.
"""

from __future__ import annotations

import logging
import re

import trafilatura
from lxml import html as lxml_html

logger = logging.getLogger(__name__)

__all__ = ["extract_body"]

_WORD_RE = re.compile(r"\w+")

# Fraction of trafilatura's 4-word shingles the JSON-LD body must contain to count as agreeing,
# and how much longer it must be to be worth preferring.
_JSONLD_AGREEMENT = 0.6
_JSONLD_GAIN = 1.15
_MIN_JSONLD_WORDS = 40


def _shingles(text: str, n: int = 4) -> set[tuple[str, ...]]:
    words = _WORD_RE.findall(text.casefold())
    return {tuple(words[i : i + n]) for i in range(max(1, len(words) - n + 1))}


def _trafilatura_text(doc: lxml_html.HtmlElement, url: str) -> str:
    try:
        text = trafilatura.extract(
            doc,
            url=url or None,
            favor_precision=True,
            include_comments=False,
            include_tables=True,
            deduplicate=False,
            with_metadata=False,
        )
    except Exception:  # trafilatura on hostile markup: fall back to the other evidence
        logger.debug("trafilatura failed on %s", url, exc_info=True)
        return ""
    return text or ""


def _drop_title_line(text: str, title: str) -> str:
    if not title:
        return text
    first, sep, rest = text.partition("\n")
    if sep and _WORD_RE.findall(first.casefold()) == _WORD_RE.findall(title.casefold()):
        return rest.lstrip("\n")
    return text


def _jsonld_wins(jsonld: str, extracted: str) -> bool:
    jsonld_words = len(_WORD_RE.findall(jsonld))
    if jsonld_words < _MIN_JSONLD_WORDS:
        return False
    if not extracted.strip():
        return True
    if jsonld_words < _JSONLD_GAIN * len(_WORD_RE.findall(extracted)):
        return False
    ours = _shingles(extracted)
    return len(ours & _shingles(jsonld)) >= _JSONLD_AGREEMENT * len(ours)


def extract_body(doc: lxml_html.HtmlElement, url: str, jsonld_body: str, title: str) -> str:
    """Extract the article text from a parsed page.

    Args:
        doc: The page, parsed by ``trafilatura.utils.load_html`` (not modified).
        url: The page URL.
        jsonld_body: The JSON-LD ``articleBody``, or ``""``.
        title: The article title, removed when the body repeats it as its first line.

    Returns:
        Plain text, paragraphs separated by newlines; ``""`` when nothing was found.
    """
    text = _trafilatura_text(doc, url)
    if jsonld_body and _jsonld_wins(jsonld_body, text):
        text = jsonld_body
    return _drop_title_line(text.strip(), title)
