"""Text identity: exact content hash and 64-bit SimHash for near-duplicate detection.

Syndicated copies of a story differ by a dateline, an editor's note or a re-worded first
sentence; an exact hash misses them, SimHash (Charikar 2002; Manku et al. 2007 for web pages)
keeps lightly edited copies within a few bits of each other while unrelated stories land about
32 bits apart.

Threshold: two texts are near duplicates when ``hamming(a, b) <= NEAR_DUPLICATE_BITS`` = 3 of
64 bits, the value Manku et al. found best for 64-bit web-page fingerprints and the most the
store's index supports (four 16-bit bands: by pigeonhole, values within 3 bits share a band).
Measured (``tests/crawler/test_fingerprint.py``, ``bench/extraction_bench.py``): case/spacing
variants and a wire dateline are 0 bits away, a one-word correction of a 500-word story 3;
different stories about the same incident 28, unrelated stories >= 16 (minimum over 16,290
benchmark pairs). The threshold is conservative: a 10-word footer on a 500-word story already
moves 4 bits, and the fixture site's syndicated wire copies (new lead, dropped credit line, an
added local sentence) land 7 to 17 bits away. SimHash therefore catches re-posts and light
corrections; edited syndicated copies need shingle resemblance (``crawler/resemblance.py``).

The fingerprint is returned as a *signed* 64-bit integer so that it fits a SQL ``BIGINT``.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

import numpy as np

__all__ = [
    "NEAR_DUPLICATE_BITS",
    "content_hash",
    "hamming",
    "is_near_duplicate",
    "normalize_text",
    "simhash",
]

NEAR_DUPLICATE_BITS = 3
"""Largest Hamming distance (of 64 bits) at which two texts count as near duplicates."""

SHINGLE_WORDS = 3
"""Words per shingle: 3-word shingles keep word order without making one edit cost too much."""

_WS_RE = re.compile(r"\s+")
_WORD_RE = re.compile(r"\w+")
_MASK64 = (1 << 64) - 1


def normalize_text(text: str) -> str:
    """Normalise text for identity checks: NFKC, case-folded, whitespace collapsed.

    The store hashes exactly this form (:func:`content_hash`), so two articles whose text differs
    only in Unicode compatibility forms, case or spacing are the same content.

    Args:
        text: Any text.

    Returns:
        The normalised text, stripped.
    """
    return _WS_RE.sub(" ", unicodedata.normalize("NFKC", text).casefold()).strip()


def content_hash(text: str) -> str:
    """Return the SHA-256 hex digest of :func:`normalize_text` of ``text``.

    Args:
        text: Article text.

    Returns:
        64 lower-case hex characters.
    """
    return hashlib.sha256(normalize_text(text).encode("utf-8")).hexdigest()


def _feature_hash(feature: str) -> int:
    # blake2b is stable across processes (unlike hash()) and fast; 8 bytes = 64 bits.
    return int.from_bytes(hashlib.blake2b(feature.encode("utf-8"), digest_size=8).digest(), "big")


def _to_signed(value: int) -> int:
    return value - (1 << 64) if value >= (1 << 63) else value


def simhash(text: str) -> int:
    """Compute the 64-bit SimHash of a text over word shingles.

    Words are ``\\w+`` runs of :func:`normalize_text`; features are overlapping
    ``SHINGLE_WORDS``-word shingles, each counted once per occurrence. A text shorter than one
    shingle is a single feature; an empty text hashes to 0. The values equal
    ``store.hashing.simhash`` (same features, hash and bit order), so fingerprints computed here
    and in the store are interchangeable.

    Args:
        text: Article text.

    Returns:
        The fingerprint as a signed 64-bit integer (fits a ``BIGINT`` column).
    """
    words = _WORD_RE.findall(normalize_text(text))
    if not words:
        return 0
    n = min(SHINGLE_WORDS, len(words))
    features = [" ".join(words[i : i + n]) for i in range(len(words) - n + 1)]
    hashes = np.fromiter((_feature_hash(f) for f in features), dtype=">u8", count=len(features))
    # bits[i, j] is bit j (most significant first) of feature i; a bit of the fingerprint is set
    # when more than half of the features have it set.
    bits = np.unpackbits(hashes.view(np.uint8).reshape(-1, 8), axis=1)
    majority = bits.sum(axis=0, dtype=np.int64) * 2 > len(features)
    value = int.from_bytes(np.packbits(majority).tobytes(), "big")
    return _to_signed(value)


def hamming(a: int, b: int) -> int:
    """Count the differing bits of two 64-bit fingerprints (signed or unsigned).

    Args:
        a: First fingerprint.
        b: Second fingerprint.

    Returns:
        A number from 0 to 64.
    """
    return ((a & _MASK64) ^ (b & _MASK64)).bit_count()


def is_near_duplicate(a: int, b: int, max_bits: int = NEAR_DUPLICATE_BITS) -> bool:
    """Tell whether two fingerprints are within the near-duplicate threshold.

    Args:
        a: First fingerprint.
        b: Second fingerprint.
        max_bits: Largest Hamming distance still counted as a near duplicate.

    Returns:
        True when ``hamming(a, b) <= max_bits``.
    """
    return hamming(a, b) <= max_bits
