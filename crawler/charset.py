"""Decode HTML bytes to text the way Scrapy does, plus one rule of ours: valid UTF-8 wins.

The evidence and the encoding aliases are w3lib's (``w3lib.encoding``, the code behind Scrapy's
``TextResponse``): a byte-order mark; then the HTTP ``Content-Type`` charset; then the ``<meta>``
or XML declaration; then a guess from the bytes (and the URL's top-level domain), as browsers
make it. Labels resolve as the WHATWG Encoding Standard says, so ``gb2312`` is decoded as GBK
(朱镕基 survives), ``Shift_JIS`` as cp932, ``euc-kr`` as cp949 and ``latin-1`` as windows-1252.

Our own rule on top: bytes that *are* valid UTF-8 are UTF-8 whatever the page declares (non-ASCII
bytes that happen to form valid UTF-8 are almost never anything else, and a stale ``iso-8859-1``
header is common), and a UTF-8 declaration on bytes that are not UTF-8 is not believed unless
they are mostly UTF-8 with a few broken bytes (those decode as UTF-8 with U+FFFD). Decoding
never raises.
"""

from __future__ import annotations

import codecs
import logging

from frostwork.encoding import autodetect_encoding
from w3lib.encoding import (
    html_body_declared_encoding,
    http_content_type_encoding,
    read_bom,
    resolve_encoding,
    to_unicode,
)

logger = logging.getLogger(__name__)

__all__ = ["declared_charset", "decode_html", "decode_with_encoding", "normalize_encoding_name"]


def normalize_encoding_name(label: str | None) -> str | None:
    """Map a charset label to the Python codec a browser would decode it with.

    Args:
        label: A label as found in a header or ``<meta>`` (``"UTF8"``, ``"gb2312"`` …).

    Returns:
        The codec name (``"utf-8"``, ``"cp1252"`` for ``latin-1``, ``"gbk"`` for ``gb2312``) or
        None when the label names no encoding.
    """
    if not label:
        return None
    try:
        return resolve_encoding(label.strip().strip("\"'"))
    except (LookupError, ValueError):
        return None


def declared_charset(data: bytes) -> str | None:
    """Find the charset a document declares in a ``<meta>`` tag or an XML declaration.

    Args:
        data: The document bytes.

    Returns:
        The resolved codec name, or None when nothing usable is declared.
    """
    try:
        return html_body_declared_encoding(data)
    except (LookupError, ValueError):
        return None


def _header_charset(declared: str | None) -> str | None:
    """The charset of a ``Content-Type`` value, or of a bare label such as ``"utf-8"``."""
    if not declared:
        return None
    if "charset" in declared.lower():
        return http_content_type_encoding(declared)
    if "/" in declared:  # a media type without a charset
        return None
    return normalize_encoding_name(declared)


def _mostly_utf8(data: bytes) -> bool:
    # At least as many valid multi-byte sequences as broken bytes: a UTF-8 page with a few
    # bad bytes, not a single-byte page (where almost every non-ASCII byte is an error).
    decoded = data.decode("utf-8", errors="replace")
    errors = decoded.count("\ufffd") - data.count(b"\xef\xbf\xbd")
    multibyte = sum(1 for ch in decoded if ord(ch) > 0x7F and ch != "\ufffd")
    return multibyte > 0 and multibyte >= errors


def decode_html(data: bytes, declared: str | None = None, *, url: str | None = None) -> str:
    """Decode HTML bytes to text, surviving wrong or missing charset declarations.

    Args:
        data: The raw document.
        declared: The HTTP ``Content-Type`` header (the whole value, or a bare charset label
            such as ``"utf-8"``), if any.
        url: The document's URL: its top-level domain helps guess an undeclared encoding.

    Returns:
        The decoded text; undecodable bytes become U+FFFD. Never raises.
    """
    return decode_with_encoding(data, declared, url=url)[0]


def decode_with_encoding(
    data: bytes, declared: str | None = None, *, url: str | None = None
) -> tuple[str, str]:
    """Like :func:`decode_html`, and also say which encoding was used.

    Returns:
        ``(text, encoding)``; the encoding is a Python codec name (``"utf-8"``, ``"cp1252"``,
        ``"utf-16-le"`` for a UTF-16 byte-order mark…). Never raises.
    """
    try:
        return _decode(bytes(data), declared, url)
    except Exception:  # never raise: the caller extracts what it can
        logger.debug("charset detection failed", exc_info=True)
        return bytes(data).decode("utf-8", errors="replace"), "utf-8"


def _oddities(data: bytes, encoding: str) -> int:
    """Non-ASCII symbols next to a letter: what a wrong single-byte code page leaves in words."""
    text = data.decode(encoding, errors="replace")
    return sum(
        1
        for i, ch in enumerate(text)
        if ord(ch) > 0x7F
        and not ch.isalpha()
        and any(0 <= j < len(text) and text[j].isalpha() for j in (i - 1, i + 1))
    )


_OTHER_LATIN = frozenset({"cp1250", "iso8859-2", "cp1257", "iso8859-4", "iso8859-13", "iso8859-16"})


def _decode(data: bytes, declared: str | None, url: str | None) -> tuple[str, str]:
    # Browsers read a UTF-32 byte-order mark as UTF-16 (WHATWG); a document that starts with
    # one is UTF-32 all the same, and decoding it as UTF-16 gives one NUL every other character.
    for mark32, name in ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be")):
        if data.startswith(mark32):
            return data.decode("utf-32", errors="replace"), name
    bom, mark = read_bom(data)
    if bom is not None and mark is not None:
        return to_unicode(data[len(mark) :], bom), bom
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    for encoding in (_header_charset(declared), declared_charset(data)):
        if encoding is None:
            continue
        if encoding != "utf-8":
            return to_unicode(data, encoding), encoding
        if _mostly_utf8(data):  # UTF-8 with a few broken bytes
            return data.decode("utf-8", errors="replace"), "utf-8"
        # A UTF-8 declaration on bytes that are not UTF-8: look at the next evidence.
    if _mostly_utf8(data):
        return data.decode("utf-8", errors="replace"), "utf-8"
    encoding = resolve_encoding(autodetect_encoding(data, url=url)) or "cp1252"
    if (
        url is None
        and encoding in _OTHER_LATIN
        and _oddities(data, "cp1252") <= _oddities(data, encoding)
    ):
        # With no declaration and no country domain to go on, the detector's Central European
        # guess on a few accented letters is a coin toss ("Genève" read as cp1250 is "Genčve").
        # Keep browsers' default, windows-1252, unless it puts symbols inside words ("³" for ł).
        encoding = "cp1252"
    logger.debug("charset guessed as %s (declared %s)", encoding, declared)
    return to_unicode(data, encoding), encoding
