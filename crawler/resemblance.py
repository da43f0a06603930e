"""Shingle resemblance (Jaccard) and MinHash LSH bands for syndicated near-copies.

Why next to SimHash (``crawler/fingerprint.py``): a wire story republished by another outlet
typically gets a new dateline and lead, loses the agency credit line and gains a local
sentence. On a 200-word story that is a quarter of its shingles, which moves a 64-bit SimHash by
7 to 17 bits (measured on the fixture site's three syndicated copies), far beyond the 3 bits a
SimHash index can search, and overlapping the >= 16 bits that separate unrelated stories.
Resemblance (Broder 1997: Jaccard similarity of the word-shingle sets) separates them
cleanly: the copies score 0.72 to 0.76, every other pair of fixture articles at most 0.05; on
the article-extraction benchmark (``bench/extraction_bench.py``) different stories reach at most
0.17 over 16,290 pairs (several outlets covering the same event), while an extracted body and
its expected text have a median of 0.99. Hence ``NEAR_DUPLICATE_RESEMBLANCE = 0.5``.

Finding candidates without comparing against every stored text uses MinHash locality-sensitive
hashing: ``LSH_BANDS`` bands of ``LSH_ROWS`` MinHash values each, every band hashed to 16 bits
(the shape of the store's four indexed 16-bit band columns). Two texts share at least one band
with probability ``1 - (1 - J**LSH_ROWS)**LSH_BANDS``: 0.95 at J = 0.72, 0.01 at J = 0.05; a
candidate is then confirmed with the exact :func:`resemblance` >= ``NEAR_DUPLICATE_RESEMBLANCE``.
"""

from __future__ import annotations

import hashlib
import re

import numpy as np

from crawler.fingerprint import normalize_text

__all__ = [
    "LSH_BANDS",
    "LSH_ROWS",
    "NEAR_DUPLICATE_RESEMBLANCE",
    "lsh_bands",
    "minhash",
    "resemblance",
    "shingle_hashes",
]

SHINGLE_WORDS = 3
LSH_BANDS = 4
LSH_ROWS = 2
NEAR_DUPLICATE_RESEMBLANCE = 0.5
"""Jaccard similarity of word 3-shingle sets at or above which two texts are near copies."""

_WORD_RE = re.compile(r"\w+")
# Fixed, seeded permutation parameters: signatures must be comparable across processes and
# releases. Odd multipliers make x -> a*x + b a bijection on 64-bit integers.
_RNG = np.random.default_rng(20261128)
_MULTIPLIERS = _RNG.integers(1, 2**63, size=LSH_BANDS * LSH_ROWS, dtype=np.uint64) * np.uint64(
    2
) + np.uint64(1)
_OFFSETS = _RNG.integers(0, 2**63, size=LSH_BANDS * LSH_ROWS, dtype=np.uint64)


def shingle_hashes(text: str) -> np.ndarray:
    """Distinct 64-bit hashes of the word 3-shingles of the normalised text.

    Args:
        text: Article text.

    Returns:
        A sorted ``uint64`` array (empty for a text without words).
    """
    words = _WORD_RE.findall(normalize_text(text))
    if not words:
        return np.zeros(0, dtype=np.uint64)
    n = min(SHINGLE_WORDS, len(words))
    digests = (
        hashlib.blake2b(" ".join(words[i : i + n]).encode("utf-8"), digest_size=8).digest()
        for i in range(len(words) - n + 1)
    )
    hashes = np.fromiter(
        (int.from_bytes(d, "big") for d in digests), dtype=np.uint64, count=len(words) - n + 1
    )
    return np.unique(hashes)


def resemblance(a: str, b: str) -> float:
    """Jaccard similarity of the two texts' word 3-shingle sets.

    Args:
        a: First text.
        b: Second text.

    Returns:
        0.0 (nothing shared, or a text without words) to 1.0 (the same shingles).
    """
    sa, sb = shingle_hashes(a), shingle_hashes(b)
    if not len(sa) or not len(sb):
        return 0.0
    shared = len(np.intersect1d(sa, sb, assume_unique=True))
    return shared / (len(sa) + len(sb) - shared)


def minhash(text: str) -> tuple[int, ...]:
    """MinHash signature: for each of ``LSH_BANDS * LSH_ROWS`` permutations, the minimum.

    Args:
        text: Article text.

    Returns:
        The signature (unsigned 64-bit values); all zeros for a text without words.
    """
    hashes = shingle_hashes(text)
    if not len(hashes):
        return (0,) * (LSH_BANDS * LSH_ROWS)
    with np.errstate(over="ignore"):  # arithmetic modulo 2**64 is the point
        permuted = hashes[None, :] * _MULTIPLIERS[:, None] + _OFFSETS[:, None]
    return tuple(int(v) for v in permuted.min(axis=1))


def lsh_bands(text: str) -> tuple[int, ...]:
    """The ``LSH_BANDS`` 16-bit band keys of a text's MinHash signature.

    Two texts sharing any band key are near-copy candidates; confirm with :func:`resemblance`.

    Args:
        text: Article text.

    Returns:
        ``LSH_BANDS`` integers in 0 … 65535; all zeros for a text without words.
    """
    signature = minhash(text)
    if not any(signature):
        return (0,) * LSH_BANDS
    keys = []
    for band in range(LSH_BANDS):
        rows = signature[band * LSH_ROWS : (band + 1) * LSH_ROWS]
        # The band index is part of the key so that equal rows in different bands differ.
        data = band.to_bytes(1, "big") + b"".join(v.to_bytes(8, "big") for v in rows)
        keys.append(int.from_bytes(hashlib.blake2b(data, digest_size=2).digest(), "big"))
    return tuple(keys)
