"""Charset detection that survives wrong declarations (crawler/charset.py)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crawler.charset import declared_charset, decode_html, normalize_encoding_name

FRENCH = (
    "<html><head><meta charset='{charset}'><title>Zorvex répond</title></head><body>"
    "<p>Le développeur a déclaré que l'entreprise « n'a rien copié » : les poids du modèle "
    "étaient déjà publics, selon lui. Über naïve coöpération.</p></body></html>"
)
RUSSIAN = (
    "<html><head><meta charset='{charset}'></head><body><p>Компания Зорвекс заявила, что модель "
    "была обучена на её собственных данных без нарушения условий.</p></body></html>"
)


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("UTF8", "utf-8"),
        ("latin1", "cp1252"),
        ("ISO-8859-1", "cp1252"),
        ("us-ascii", "cp1252"),
        ("windows-1251", "cp1251"),
        ("x-nonsense", None),
        ("", None),
        (None, None),
    ],
)
def test_normalize_encoding_name(label: str | None, expected: str | None) -> None:
    assert normalize_encoding_name(label) == expected


def test_declared_charset_from_meta_tags() -> None:
    assert declared_charset(b'<meta charset="Shift_JIS">') == "shift_jis"
    assert (
        declared_charset(
            b'<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">'
        )
        == "cp1252"
    )
    assert declared_charset(b"<p>no meta</p>") is None


@pytest.mark.parametrize("bom", ["utf-8-sig", "utf-16", "utf-32"])
def test_byte_order_mark_wins(bom: str) -> None:
    text = FRENCH.format(charset="iso-8859-1")
    assert decode_html(text.encode(bom), "windows-1251").lstrip("\ufeff") == text


def test_windows_1252_bytes_declared_utf8() -> None:
    text = FRENCH.format(charset="utf-8")
    assert decode_html(text.encode("cp1252"), "text/html; charset=UTF-8") == text


def test_utf8_bytes_declared_latin1() -> None:
    text = FRENCH.format(charset="iso-8859-1")
    assert decode_html(text.encode("utf-8"), "iso-8859-1") == text


def test_correct_non_latin_declaration_is_used() -> None:
    text = RUSSIAN.format(charset="windows-1251")
    assert decode_html(text.encode("cp1251")) == text


def test_wrong_declaration_on_non_latin_text_is_detected() -> None:
    text = RUSSIAN.format(charset="utf-8")
    assert "Компания Зорвекс" in decode_html(text.encode("cp1251"), "utf-8")


def test_mostly_utf8_with_broken_bytes_is_replaced() -> None:
    raw = FRENCH.format(charset="utf-8").encode("utf-8").replace(b"copi", b"copi\xff")
    decoded = decode_html(raw)
    assert "copi\ufffd" in decoded
    assert "développeur" in decoded


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2000), st.one_of(st.none(), st.text(max_size=30)))
def test_decode_never_raises(raw: bytes, declared: str | None) -> None:
    assert isinstance(decode_html(raw, declared), str)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=500))
def test_valid_utf8_round_trips(text: str) -> None:
    text = text.lstrip("\ufeff")  # a leading BOM is consumed by design
    assert decode_html(text.encode("utf-8"), "iso-8859-1") == text
