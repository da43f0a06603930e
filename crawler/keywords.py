"""The per-source keyword prefilter: whole words and phrases, not substrings.

A substring test made the keyword "AI" match "said" and "again", so it kept every page. Here a
keyword matches a run of whole words of the text, compared case-insensitively (Unicode case
folding). Both sides are reduced to the same word sequence first:

* words are runs of Unicode letters and digits (``\\w``), so "AI" is not found in "Thailand";
* dotted abbreviations lose their dots: "A.I." and "U.S." read as "AI" and "US";
* hyphens and dashes separate words: "AI-generated" contains "AI", and the keyword
  "machine-learning" matches "machine learning" (and the other way round);
* an apostrophe's ``'s`` is its own word, so "Zorvex's" contains "Zorvex";
* scripts written without spaces between words (Chinese, Japanese, Thai …) have no word
  boundaries to match on, so a keyword with such characters matches anywhere ("人工智能").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

__all__ = ["KeywordMatcher", "keyword_matcher", "words"]

# "A.I.", "U.S.", "e.g." — two or more single letters each followed by a dot.
_DOTTED_RE = re.compile(r"\b(?:\w\.){2,}(?!\w)")
_WORD_RE = re.compile(r"\w+")
# Hiragana, Katakana, Han, Thai, Lao, Myanmar, Khmer (Korean puts spaces between words).
_UNSPACED_RE = re.compile(
    "[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff]"
)


def _undot(match: re.Match[str]) -> str:
    return match.group(0).replace(".", "")


def words(text: str) -> list[str]:
    """The case-folded word sequence a keyword is matched against.

    Args:
        text: Any text.

    Returns:
        Its words, case-folded, with dotted abbreviations joined ("A.I." → "ai").
    """
    return _WORD_RE.findall(_DOTTED_RE.sub(_undot, text).casefold())


class KeywordMatcher:
    """Says whether a text names any of a fixed set of keywords or phrases."""

    def __init__(self, keywords: Iterable[str]) -> None:
        """Compile the keywords once.

        Args:
            keywords: Words or phrases; ones without any word character are ignored.
        """
        phrases = {" ".join(words(k)) for k in keywords}
        self.phrases = tuple(sorted(p for p in phrases if p))
        # One alternation over the normalised text: " ai " must sit between word separators.
        spaced = [re.escape(f" {p} ") for p in self.phrases if not _UNSPACED_RE.search(p)]
        unspaced = [re.escape(p) for p in self.phrases if _UNSPACED_RE.search(p)]
        alternation = "|".join(sorted(spaced + unspaced, key=len, reverse=True))
        self._pattern = re.compile(alternation) if alternation else None

    def __bool__(self) -> bool:
        return self._pattern is not None

    def matches(self, text: str) -> bool:
        """True when ``text`` contains one of the keywords as whole words.

        Args:
            text: The title and body of a page.

        Returns:
            Whether any keyword occurs; False when there are no keywords.
        """
        if self._pattern is None:
            return False
        return self._pattern.search(f" {' '.join(words(text))} ") is not None


@lru_cache(maxsize=64)
def keyword_matcher(keywords: tuple[str, ...]) -> KeywordMatcher:
    """A compiled matcher for one source's keywords (cached: a worker sees few sources)."""
    return KeywordMatcher(keywords)
