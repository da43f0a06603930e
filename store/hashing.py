"""Dedup keys computed by the store: content hash, simhash bands, MinHash resemblance keys.

Exact duplicates share :func:`content_hash` (the text after NFKC, casefolding and whitespace
collapsing). Lightly edited copies (a different footer, a corrected typo) have simhashes a few
bits apart: two 64-bit values within 3 bits agree on at least one of their four 16-bit bands
(pigeonhole), so an indexed equality lookup on the bands finds them and :func:`hamming` decides.

Syndicated copies are edited more: a new dateline and lead, the agency credit dropped, a local
sentence added. That is a quarter of a short story's shingles and moves its simhash far beyond
the 3 bits the band index searches, too close to the distance between different stories for a
safe threshold (``tests/crawler/test_extract_fixture_site.py`` shows it on the fixture site's
syndicated copies). Resemblance (Broder 1997: Jaccard similarity of word-3-shingle sets)
separates them cleanly: copies score well above ``NEAR_DUPLICATE_RESEMBLANCE = 0.5``, different
stories well below it (the fixture site's pairs in the tests, the article-extraction
benchmark's in ``bench/extraction_bench.py``). Candidates come from MinHash locality-sensitive
hashing: ``LSH_BANDS`` bands of ``LSH_ROWS`` MinHash values, each band hashed to a 31-bit key
stored in an indexed column; two texts share a key with probability ``1 - (1 - J**2)**4`` (0.95
at J = 0.72, 0.01 at J = 0.05: arithmetic, not a measurement), and :func:`resemblance` confirms.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

import numpy as np

__all__ = [
    "LSH_BANDS",
    "NEAR_DUPLICATE_BITS",
    "NEAR_DUPLICATE_RESEMBLANCE",
    "bands",
    "content_hash",
    "fingerprints",
    "hamming",
    "is_near_duplicate",
    "minhash",
    "near_dup_keys",
    "normalize_text",
    "resemblance",
    "shingle_hashes",
    "simhash",
    "to_signed64",
]

SHINGLE_WORDS = 3
LSH_BANDS = 4
LSH_ROWS = 2
NEAR_DUPLICATE_BITS = 3
"""Largest Hamming distance (of 64 bits) at which two SimHashes count as near duplicates; also the
largest the four-band index can search (pigeonhole)."""
NEAR_DUPLICATE_RESEMBLANCE = 0.5
"""Jaccard similarity of word 3-shingle sets at or above which two texts are near copies."""

# Fixed, seeded permutation parameters: signatures must be comparable across processes and
# releases. Odd multipliers make x -> a*x + b a bijection on 64-bit integers.
_RNG = np.random.default_rng(20261128)
_MULTIPLIERS = _RNG.integers(1, 2**63, size=LSH_BANDS * LSH_ROWS, dtype=np.uint64) * np.uint64(
    2
) + np.uint64(1)
_OFFSETS = _RNG.integers(0, 2**63, size=LSH_BANDS * LSH_ROWS, dtype=np.uint64)

_WORD = re.compile(r"\w+")
_MASK64 = (1 << 64) - 1


def normalize_text(text: str) -> str:
    """NFKC-normalise, casefold and collapse whitespace (the form that is hashed)."""
    # NFKC leaves ASCII as it is, and casefolding ASCII is lower-casing: most English text
    # takes the cheap path.
    folded = text.lower() if text.isascii() else unicodedata.normalize("NFKC", text).casefold()
    return " ".join(folded.split())  # str.split() and re's \s agree on Unicode whitespace


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

    A bit of the fingerprint is set when more than half of the shingle hashes have it set.

    Args:
        text: the article text.
        shingle: words per feature; 3 keeps unrelated texts on the same topic far apart.

    Returns:
        A signed 64-bit integer (0 for text without words).
    """
    return _simhash_of(_shingle_digests(normalize_text(text), shingle))


# Word hashes are remembered across texts: news vocabulary repeats, and hashing every shingle
# with BLAKE2b was two thirds of a page worker's fingerprint time. Bounded, so memory stays flat.
_WORD_HASHES: dict[str, int] = {}
_WORD_CACHE_MAX = 200_000
# Shingle hash: a polynomial over the words' hashes (order matters: "a b c" is not "c b a"),
# finished with SplitMix64's mixer so that every output bit depends on every input bit.
_SHINGLE_BASE = np.uint64(0x9E3779B97F4A7C15)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)


def _word_hashes(words: list[str]) -> np.ndarray:
    cache = _WORD_HASHES
    try:  # usually every word is known
        return np.fromiter(map(cache.__getitem__, words), dtype=np.uint64, count=len(words))
    except KeyError:
        pass
    missing = {w for w in words if w not in cache}
    if missing:
        if len(cache) + len(missing) > _WORD_CACHE_MAX:
            cache.clear()
        blake = hashlib.blake2b
        for w in missing:
            cache[w] = int.from_bytes(blake(w.encode("utf-8"), digest_size=8).digest(), "big")
    return np.fromiter(map(cache.__getitem__, words), dtype=np.uint64, count=len(words))


def _shingle_digests(norm: str, shingle: int = SHINGLE_WORDS) -> np.ndarray:
    """64-bit hashes of the word shingles (fewer words: the whole text) of normalised text.

    Stored fingerprints depend on this function: changing it needs a migration that recomputes
    them (see ``alembic/versions/0004_shingle_hash.py``).
    """
    words = _WORD.findall(norm)
    if not words:
        return np.zeros(0, dtype=np.uint64)
    w = _word_hashes(words)
    n = max(1, min(shingle, len(words)))
    m = len(words) - n + 1
    with np.errstate(over="ignore"):  # arithmetic modulo 2**64 is the point
        z = w[:m].copy()
        for j in range(1, n):
            z = z * _SHINGLE_BASE + w[j : j + m]
        z ^= z >> np.uint64(30)
        z *= _MIX1
        z ^= z >> np.uint64(27)
        z *= _MIX2
        z ^= z >> np.uint64(31)
    return z


def _simhash_of(hashes: np.ndarray) -> int:
    if not len(hashes):
        return 0
    # bits[i, j] is bit j (most significant first) of feature i.
    bits = np.unpackbits(hashes.astype(">u8").view(np.uint8).reshape(-1, 8), axis=1)
    majority = bits.sum(axis=0, dtype=np.int64) * 2 > len(hashes)
    return to_signed64(int.from_bytes(np.packbits(majority).tobytes(), "big"))


def bands(value: int) -> tuple[int, int, int, int]:
    """The four 16-bit bands (low to high) of a 64-bit value given signed or unsigned."""
    u = value & _MASK64
    return (u & 0xFFFF, (u >> 16) & 0xFFFF, (u >> 32) & 0xFFFF, (u >> 48) & 0xFFFF)


def hamming(a: int, b: int) -> int:
    """Number of differing bits between two 64-bit values (signed or unsigned)."""
    return ((a ^ b) & _MASK64).bit_count()


def is_near_duplicate(a: int, b: int, max_bits: int = NEAR_DUPLICATE_BITS) -> bool:
    """True when two SimHash fingerprints are within ``max_bits`` of each other."""
    return hamming(a, b) <= max_bits


def shingle_hashes(text: str) -> np.ndarray:
    """Distinct 64-bit hashes of the word 3-shingles of the normalised text (sorted uint64)."""
    return np.unique(_shingle_digests(normalize_text(text)))


def resemblance(a: str, b: str) -> float:
    """Jaccard similarity (0.0 to 1.0) of the two texts' word 3-shingle sets."""
    sa, sb = shingle_hashes(a), shingle_hashes(b)
    if not len(sa) or not len(sb):
        return 0.0
    shared = len(np.intersect1d(sa, sb, assume_unique=True))
    return shared / (len(sa) + len(sb) - shared)


def minhash(text: str) -> tuple[int, ...]:
    """MinHash signature: the minimum of each of ``LSH_BANDS * LSH_ROWS`` permutations.

    All zeros for a text without words.
    """
    return _minhash_of(shingle_hashes(text))


def _minhash_of(hashes: np.ndarray) -> tuple[int, ...]:
    if not len(hashes):
        return (0,) * (LSH_BANDS * LSH_ROWS)
    with np.errstate(over="ignore"):  # arithmetic modulo 2**64 is the point
        permuted = hashes[None, :] * _MULTIPLIERS[:, None] + _OFFSETS[:, None]
    return tuple(int(v) for v in permuted.min(axis=1))


def near_dup_keys(text: str) -> tuple[int, ...] | None:
    """The ``LSH_BANDS`` 31-bit band keys of a text's MinHash signature (None without words).

    Two texts sharing any key are near-copy candidates; :func:`resemblance` decides. 31 bits fit
    a signed 32-bit INTEGER column and make chance collisions negligible at millions of rows.
    """
    return _band_keys(minhash(text))


def _band_keys(signature: tuple[int, ...]) -> tuple[int, ...] | None:
    if not any(signature):
        return None
    keys = []
    for band in range(LSH_BANDS):
        rows = signature[band * LSH_ROWS : (band + 1) * LSH_ROWS]
        # The band index is part of the key so that equal rows in different bands differ.
        data = band.to_bytes(1, "big") + b"".join(v.to_bytes(8, "big") for v in rows)
        digest = hashlib.blake2b(data, digest_size=4).digest()
        keys.append(int.from_bytes(digest, "big") & 0x7FFFFFFF)
    return tuple(keys)


def fingerprints(text: str) -> tuple[str | None, int, tuple[int, ...] | None]:
    """``(content_hash(text), simhash(text), near_dup_keys(text))`` in one pass over the text.

    The three share the normalisation and the shingle hashes, so this costs about a third of
    calling them one by one (the crawler's extraction workers call it for every page).
    """
    norm = normalize_text(text)
    if not norm:
        return None, 0, None
    digest = hashlib.sha256(norm.encode("utf-8")).hexdigest()
    hashes = _shingle_digests(norm)
    keys = _band_keys(_minhash_of(np.unique(hashes)))
    return digest, _simhash_of(hashes), keys
