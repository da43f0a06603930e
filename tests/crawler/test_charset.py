"""Charset detection that survives wrong declarations (crawler/charset.py)."""

from __future__ import annotations

import codecs

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
        ("gb2312", "gbk"),
        ("Shift_JIS", "cp932"),
        ("euc-kr", "cp949"),
        ("latin-1", "cp1252"),
        ("x-nonsense", None),
        ("", None),
        (None, None),
    ],
)
def test_normalize_encoding_name(label: str | None, expected: str | None) -> None:
    assert normalize_encoding_name(label) == expected


def test_declared_charset_from_meta_tags() -> None:
    assert declared_charset(b'<meta charset="Shift_JIS">') == "cp932"
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


# One short paragraph per script, written for these tests, with the codec that encodes it.
_PAGES = {
    "gbk": ("gb2312", "总理朱镕基的侄子张喆说，泽维克斯公司的模型没有复制任何数据。"),
    "big5": ("big5", "臺北的研究團隊表示，新模型的權重將於明年公開，供學術界使用。"),
    "shift_jis": ("Shift_JIS", "東京の研究所は、新しい言語モデルの重みを来年公開すると発表した。"),
    "euc-kr": ("euc-kr", "서울의 연구소는 새로운 언어 모델의 가중치를 내년에 공개한다고 밝혔다."),
    "koi8-r": ("koi8-r", "Компания Зорвекс заявила, что её модель обучена только на своих данных."),
    "cp1251": (
        "windows-1251",
        "Компания Зорвекс заявила, что её модель обучена только на своих данных.",
    ),
    "iso8859-2": (
        "iso-8859-2",
        "Spółka Zorvex z Łodzi oświadczyła, że żadne dane nie zostały skradzione.",
    ),
}


def _page(charset: str, text: str) -> str:
    return (
        f"<html><head><meta charset='{charset}'><title>Zorvex</title></head>"
        f"<body><article><p>{text}</p></article></body></html>"
    )


@pytest.mark.parametrize("codec", sorted(_PAGES))
def test_declared_legacy_encoding_in_meta(codec: str) -> None:
    label, text = _PAGES[codec]
    page = _page(label, text)
    assert decode_html(page.encode(codec)) == page


@pytest.mark.parametrize("codec", sorted(_PAGES))
def test_declared_legacy_encoding_in_header(codec: str) -> None:
    label, text = _PAGES[codec]
    page = f"<html><body><p>{text}</p></body></html>"
    assert decode_html(page.encode(codec), f"text/html; charset={label}") == page


@pytest.mark.parametrize("codec", sorted(_PAGES))
def test_undeclared_legacy_encoding_is_guessed(codec: str) -> None:
    _, text = _PAGES[codec]
    page = f"<html><body><p>{text} {text}</p></body></html>"
    assert decode_html(page.encode(codec)) == page


def test_gb2312_label_with_gbk_only_characters() -> None:
    # 镕 and 喆 are in GBK but not in GB 2312: browsers (and w3lib) decode gb2312 as GBK.
    page = _page("gb2312", _PAGES["gbk"][1])
    decoded = decode_html(page.encode("gbk"), "text/html")
    assert "朱镕基" in decoded
    assert "张喆" in decoded


def test_header_charset_wins_over_a_contradicting_meta_tag() -> None:
    page = _page("iso-8859-1", _PAGES["cp1251"][1])
    assert decode_html(page.encode("cp1251"), "text/html; charset=windows-1251") == page


def test_utf16_with_byte_order_mark_and_no_declaration() -> None:
    page = "<html><body><p>" + _PAGES["gbk"][1] + "</p></body></html>"
    assert decode_html(page.encode("utf-16")) == page
    assert decode_html(codecs.BOM_UTF16_BE + page.encode("utf-16-be")) == page


def test_no_declaration_at_all_on_latin_text() -> None:
    page = FRENCH.replace("<meta charset='{charset}'>", "")
    assert decode_html(page.encode("cp1252")) == page
    assert decode_html(page.encode("utf-8")) == page


def test_undeclared_short_text_keeps_western_unless_words_break() -> None:
    """A file with a few Western accents stays windows-1252; Polish text is not forced into it."""
    from crawler.charset import decode_with_encoding

    western = "The suit was filed in Genève by René Dupont.".encode("latin-1")
    assert decode_with_encoding(western) == (western.decode("cp1252"), "cp1252")
    polish = "Zażółć gęślą jaźń, powiedział prezes spółki w czwartek.".encode("cp1250")
    text, encoding = decode_with_encoding(polish)
    assert text == polish.decode("cp1250")
    assert encoding == "cp1250"
