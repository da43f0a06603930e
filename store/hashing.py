"""Dedup keys computed by the store: exact content hash and 64-bit simhash with 16-bit bands.

Exact duplicates share :func:`content_hash` (the text after NFKC, casefolding and whitespace
collapsing). Near-duplicates (syndicated copies with a different footer, a corrected typo) have
simhashes a few bits apart. Two 64-bit values within 3 bits of each other agree on at least one
of their four 16-bit bands (pigeonhole), so an indexed equality lookup on the bands finds every
candidate and :func:`hamming` decides.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

__all__ = ["bands", "content_hash", "hamming", "normalize_text", "simhash", "to_signed64"]

_WS = re.compile(r"\s+")
_WORD = re.compile(r"\w+")
_MASK64 = (1 << 64) - 1


def normalize_text(text: str) -> str:
    """NFKC-normalise, casefold and collapse whitespace (the form that is hashed)."""
    return _WS.sub(" ", unicodedata.normalize("NFKC", text).casefold()).strip()


def content_hash(text: str) -> str | None:
    """SHA-256 hex digest of the normalised text; ``None`` when there is no text to hash."""
    norm = normalize_text(text)
    if not norm:
        return None
    return hashlib.sha256(norm.encode("utf-8")).hexdigest()


def to_signed64(value: int) -> int:
    """Map an unsigned 64-bit value to the signed range of a SQL BIGINT."""
    value &= _MASK64
    return value - (1 << 64) if value >= 1 << 63 else value


def simhash(text: str, shingle: int = 3) -> int:
    """64-bit simhash of word shingles of the normalised text, as a signed integer.

    Args:
        text: the article text.
        shingle: words per feature; 3 keeps unrelated texts on the same topic far apart.

    Returns:
        A signed 64-bit integer (0 for text without words).
    """
    words = _WORD.findall(normalize_text(text))
    if not words:
        return 0
    n = min(shingle, len(words))
    counts = [0] * 64
    for i in range(len(words) - n + 1):
        feature = " ".join(words[i : i + n]).encode("utf-8")
        h = int.from_bytes(hashlib.blake2b(feature, digest_size=8).digest(), "big")
        # Bit i of h is character 63 - i of its binary form.
        for bit, ch in enumerate(reversed(f"{h:064b}")):
            counts[bit] += 1 if ch == "1" else -1
    value = 0
    for bit, c in enumerate(counts):
        if c > 0:
            value |= 1 << bit
    return to_signed64(value)


def bands(value: int) -> tuple[int, int, int, int]:
    """The four 16-bit bands (low to high) of a 64-bit value given signed or unsigned."""
    u = value & _MASK64
    return (u & 0xFFFF, (u >> 16) & 0xFFFF, (u >> 32) & 0xFFFF, (u >> 48) & 0xFFFF)


def hamming(a: int, b: int) -> int:
    """Number of differing bits between two 64-bit values (signed or unsigned)."""
    return ((a ^ b) & _MASK64).bit_count()
