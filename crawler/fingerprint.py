"""Text fingerprints the crawler computes in its extraction workers.

The store decides what is a duplicate (it holds the texts to compare with), so the algorithms
live in :mod:`store.hashing` and are only re-exported here: exact content hash; 64-bit SimHash
(Charikar 2002; Manku et al. 2007), which keeps re-posts and light corrections within
``NEAR_DUPLICATE_BITS`` = 3 bits; and MinHash band keys with word-shingle resemblance (Broder
1997) for edited syndicated copies, which move a SimHash 7 to 17 bits. Computing the keys in
the extraction worker keeps them off the store writer's critical path.
Measured in ``tests/crawler/test_fingerprint.py`` and ``bench/extraction_bench.py``.
"""

from __future__ import annotations

from store.hashing import (
    LSH_BANDS,
    NEAR_DUPLICATE_RESEMBLANCE,
    content_hash,
    hamming,
    minhash,
    near_dup_keys,
    normalize_text,
    resemblance,
    simhash,
)

__all__ = [
    "LSH_BANDS",
    "NEAR_DUPLICATE_BITS",
    "NEAR_DUPLICATE_RESEMBLANCE",
    "content_hash",
    "hamming",
    "is_near_duplicate",
    "minhash",
    "near_dup_keys",
    "normalize_text",
    "resemblance",
    "simhash",
]

NEAR_DUPLICATE_BITS = 3
"""Largest Hamming distance (of 64 bits) at which two SimHashes count as near duplicates."""


def is_near_duplicate(a: int, b: int, max_bits: int = NEAR_DUPLICATE_BITS) -> bool:
    """True when two SimHash fingerprints are within ``max_bits`` of each other."""
    return hamming(a, b) <= max_bits
