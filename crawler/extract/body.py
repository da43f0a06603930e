"""Article body: trafilatura's extraction, checked against the page's own JSON-LD ``articleBody``.

Choices, each kept because it raised F1 on the article-extraction benchmark over plain
``trafilatura.extract`` or the step before it (``bench/extraction_bench.py`` prints the scores):

* ``favor_precision=True, include_comments=False`` (``--variants`` prints the other settings):
  reader comments are never the article, and precision mode drops most related-link lists and
  teasers at a small recall cost. Tables stay (dropping them lost recall).
* Precision mode sometimes discards the whole article and keeps a caption or a teaser; when its
  output is short (< 100 words) and default mode finds at least five times as much, the default
  output is used instead. Default mode only runs in that case, so most pages cost one pass.
* Lines before the first prose paragraph that repeat the headline (the ``<h1>``, ``og:title``,
  ``<title>`` or JSON-LD headline, compared as word sets) are removed: the headline is a
  separate field. Standfirsts are kept: removing lines that match the description lowered F1,
  since publishers' own bodies start with them.
* Bodies split over sibling containers get their other chunks back (``chunks.py``).
* The JSON-LD ``articleBody`` (HTML in it converted to text) replaces the extraction when it
  agrees with it (contains most of its shingles) and is substantially longer; when it is the
  same text with more paragraph breaks; or when the extraction is a placeholder ("Loading…").
  Many publishers truncate it to a teaser, so it is evidence, not truth. It barely moves the
  benchmark (where it is complete, trafilatura already has the text); it rescues
  script-rendered pages whose markup holds no body.
"""

from __future__ import annotations

import html
import logging
import re

import trafilatura
from lxml import html as lxml_html

from crawler.extract.chunks import add_sibling_chunks

logger = logging.getLogger(__name__)

__all__ = ["extract_body"]

_WORD_RE = re.compile(r"\w+")
_TAG_RE = re.compile(r"<[a-zA-Z/!][^<>]{0,2000}>")
_BLOCK_TAG_RE = re.compile(
    r"<\s*/?\s*(?:p|div|br|h[1-6]|li|ul|ol|blockquote|tr|table|section|figure|figcaption)\b[^<>]*>",
    re.I,
)

# Fraction of trafilatura's 4-word shingles the JSON-LD body must contain to count as agreeing,
# and how much longer it must be to be worth preferring.
_JSONLD_AGREEMENT = 0.6
_JSONLD_GAIN = 1.15
_MIN_JSONLD_WORDS = 40
_JSONLD_SAME = 0.95

# Precision-mode output shorter than this many words is checked against default mode, which
# replaces it when it finds at least _FALLBACK_GAIN times as many words.
_SHORT_WORDS = 100
_FALLBACK_GAIN = 5

# A "prose" line: enough words and sentence-final punctuation (closing quotes included).
_PROSE_WORDS = 10
_SENTENCE_END = tuple(".!?\"”’')…")
_TITLE_SIMILARITY = 0.8


def _shingles(text: str, n: int = 4) -> set[tuple[str, ...]]:
    words = _WORD_RE.findall(text.casefold())
    return {tuple(words[i : i + n]) for i in range(max(1, len(words) - n + 1))}


def _words(text: str) -> list[str]:
    return _WORD_RE.findall(text.casefold())


def _trafilatura_text(doc: lxml_html.HtmlElement, url: str, *, precision: bool) -> str:
    try:
        text = trafilatura.extract(
            doc,
            url=url or None,
            favor_precision=precision,
            include_comments=False,
            include_tables=True,
            deduplicate=False,
            with_metadata=False,
        )
    except Exception:  # trafilatura on hostile markup: fall back to the other evidence
        logger.debug("trafilatura failed on %s", url, exc_info=True)
        return ""
    return text or ""


def _is_prose(line: str) -> bool:
    return len(_WORD_RE.findall(line)) >= _PROSE_WORDS and line.rstrip().endswith(_SENTENCE_END)


def _same_words(line: str, title: str) -> bool:
    a, b = set(_words(line)), set(_words(title))
    if not a or not b:
        return False
    return len(a & b) >= _TITLE_SIMILARITY * len(a | b) or (a <= b and len(a) >= 3)


def _drop_leading_titles(text: str, titles: tuple[str, ...]) -> str:
    titles = tuple(t for t in titles if t)
    if not titles:
        return text
    lines = text.split("\n")
    kept: list[str] = []
    for i, line in enumerate(lines):
        if _is_prose(line):
            kept.extend(lines[i:])
            break
        if not any(_same_words(line, title) for title in titles):
            kept.append(line)
    return "\n".join(kept).strip()


def _markup_to_text(body: str) -> str:
    """JSON-LD bodies sometimes carry (escaped) HTML: keep paragraph breaks, drop the tags."""
    if "&lt;" in body or "&gt;" in body:
        body = html.unescape(body)
    if "<" in body and _TAG_RE.search(body):
        body = _BLOCK_TAG_RE.sub("\n", body)
        body = html.unescape(_TAG_RE.sub("", body))
    lines = (" ".join(line.split()) for line in body.splitlines())
    return "\n".join(line for line in lines if line)


def _jsonld_wins(jsonld: str, extracted: str) -> bool:
    jsonld_words = len(_WORD_RE.findall(jsonld))
    if jsonld_words < _MIN_JSONLD_WORDS:
        return False
    extracted_words = len(_WORD_RE.findall(extracted))
    if extracted_words < _MIN_JSONLD_WORDS and jsonld_words >= 3 * extracted_words:
        return True  # a placeholder ("Loading…"): nothing to agree with
    ours = _shingles(extracted)
    shared = len(ours & _shingles(jsonld))
    if jsonld_words >= _JSONLD_GAIN * extracted_words:
        return shared >= _JSONLD_AGREEMENT * len(ours)
    # The same text, with the publisher's own paragraph breaks (the extraction may have run
    # the JSON-LD together into one line, or lost paragraph breaks).
    if jsonld.count("\n") <= extracted.count("\n") or jsonld_words < extracted_words:
        return False
    return shared >= _JSONLD_SAME * len(ours)


def _main_text(doc: lxml_html.HtmlElement, url: str) -> str:
    text = _trafilatura_text(doc, url, precision=True)
    words = len(_WORD_RE.findall(text))
    if words < _SHORT_WORDS:
        fuller = _trafilatura_text(doc, url, precision=False)
        if len(_WORD_RE.findall(fuller)) >= _FALLBACK_GAIN * max(words, 1):
            return fuller
    return text


def extract_body(
    doc: lxml_html.HtmlElement, url: str, jsonld_body: str, titles: tuple[str, ...]
) -> str:
    """Extract the article text from a parsed page.

    Args:
        doc: The page, parsed by ``trafilatura.utils.load_html`` (not modified).
        url: The page URL.
        jsonld_body: The JSON-LD ``articleBody``, or ``""``.
        titles: Headline variants (cleaned title, ``<h1>``, ``og:title``, ``<title>``); lines
            before the first paragraph that repeat one of them are dropped.

    Returns:
        Plain text, paragraphs separated by newlines; ``""`` when nothing was found.
    """
    text = add_sibling_chunks(_main_text(doc, url), doc)
    jsonld_text = _markup_to_text(jsonld_body) if jsonld_body else ""
    if jsonld_text and _jsonld_wins(jsonld_text, text):
        text = jsonld_text
    return _drop_leading_titles(text.strip(), titles)
