"""Dedup keys: normalisation, content hash, simhash bands (pigeonhole property)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from store.hashing import bands, content_hash, hamming, normalize_text, simhash, to_signed64


def test_normalisation_ignores_case_width_and_whitespace() -> None:
    assert normalize_text("  Ｚentrix\u00a0LABS\n\tsued ") == "zentrix labs sued"
    assert content_hash("Zentrix  sued.") == content_hash("ZENTRIX sued.")
    assert content_hash("Zentrix sued.") != content_hash("Zentrix sues.")
    assert content_hash(" \n ") is None


def test_simhash_separates_unrelated_texts() -> None:
    a = "Zentrix Labs accused Quillon AI of distilling its model through the API. " * 5
    b = "Velda Corp reported quarterly revenue growth in its cloud division today. " * 5
    assert hamming(simhash(a), simhash(b)) > 10
    assert -(2**63) <= simhash(a) < 2**63
    assert simhash("") == 0


@given(st.integers(0, 2**64 - 1), st.sets(st.integers(0, 63), max_size=3))
def test_values_within_three_bits_share_a_band(value: int, flips: set[int]) -> None:
    other = value
    for bit in flips:
        other ^= 1 << bit
    assert hamming(to_signed64(value), other) == len(flips)
    assert any(x == y for x, y in zip(bands(value), bands(to_signed64(other)), strict=True))
