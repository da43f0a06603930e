"""Decode HTML bytes to text when the declared charset may be wrong.

Order of evidence: a byte-order mark; then UTF-8 when the bytes *are* valid UTF-8 (non-ASCII
bytes that happen to form valid UTF-8 are almost never anything else, so this overrides a wrong
``iso-8859-1`` declaration); then the declared charsets (HTTP header, then ``<meta>``) when they
decode without error; then charset_normalizer's guess. Pages that are mostly UTF-8 with a few
broken bytes decode as UTF-8 with U+FFFD replacements. Decoding never raises.
"""

from __future__ import annotations

import codecs
import logging
import re
import unicodedata

from charset_normalizer import from_bytes

logger = logging.getLogger(__name__)

__all__ = ["declared_charset", "decode_html", "decode_with_encoding", "normalize_encoding_name"]

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# <meta charset="x"> or <meta http-equiv="Content-Type" content="text/html; charset=x">
_META_RE = re.compile(rb"""<meta[^>]{0,512}?charset\s*=\s*["']?\s*([a-zA-Z0-9_.:\-]{1,40})""", re.I)
_HEADER_RE = re.compile(r"""charset\s*=\s*["']?\s*([a-zA-Z0-9_.:\-]{1,40})""", re.I)

# WHATWG: browsers treat these labels as windows-1252, a superset that maps 0x80-0x9F to
# printable characters instead of C1 controls.
_WINDOWS_1252_ALIASES = {"iso8859-1", "latin-1", "ascii", "cp819"}

# How much of the document charset_normalizer looks at: enough to be sure, bounded in time.
_SNIFF_BYTES = 64 * 1024


def normalize_encoding_name(label: str | None) -> str | None:
    """Map a charset label to a Python codec name, or None when Python does not know it.

    Args:
        label: A label as found in a header or ``<meta>`` (``"UTF8"``, ``"latin1"`` …).

    Returns:
        The codec's canonical name (``"utf-8"``, ``"cp1252"`` …) or None.
    """
    if not label:
        return None
    try:
        name = codecs.lookup(label.strip().strip("\"'")).name
    except (LookupError, ValueError):
        return None
    return "cp1252" if name in _WINDOWS_1252_ALIASES else name


def declared_charset(data: bytes) -> str | None:
    """Find the charset a document declares in its first ``<meta>`` tags.

    Args:
        data: The document bytes.

    Returns:
        The normalised codec name, or None when nothing usable is declared.
    """
    match = _META_RE.search(data[:4096])
    if not match:
        return None
    return normalize_encoding_name(match.group(1).decode("ascii", "ignore"))


def _try_decode(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _mostly_utf8(data: bytes) -> bool:
    # At least as many valid multi-byte sequences as broken bytes: a UTF-8 page with a few
    # bad bytes, not a single-byte page (where almost every non-ASCII byte is an error).
    decoded = data.decode("utf-8", errors="replace")
    errors = decoded.count("\ufffd") - data.count(b"\xef\xbf\xbd")
    multibyte = sum(1 for ch in decoded if ord(ch) > 0x7F and ch != "\ufffd")
    return multibyte > 0 and multibyte >= errors


def _is_latin_single_byte(data: bytes, encoding: str) -> bool:
    try:
        if codecs.lookup(encoding).name.startswith(("utf", "cp65")):
            return False
        sample = data[:_SNIFF_BYTES]
        text = sample.decode(encoding, errors="replace")
        sample.decode("cp1252")
    except (LookupError, UnicodeDecodeError):
        return False
    letters = [ch for ch in text if ord(ch) > 0x7F and ch.isalpha()]
    if not letters or len(text) != len(sample):  # multi-byte codecs change the length
        return False
    latin = sum(1 for ch in letters if unicodedata.name(ch, "").startswith("LATIN"))
    return latin >= 0.9 * len(letters)


def decode_html(data: bytes, declared: str | None = None) -> str:
    """Decode HTML bytes to text, surviving wrong or missing charset declarations.

    Args:
        data: The raw document.
        declared: The charset from the HTTP ``Content-Type`` header (a bare label such as
            ``"utf-8"`` or the whole header value), if any.

    Returns:
        The decoded text; undecodable bytes become U+FFFD. Never raises.
    """
    return decode_with_encoding(data, declared)[0]


def decode_with_encoding(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Like :func:`decode_html`, and also say which encoding was used.

    Args:
        data: The raw document (HTML or plain text).
        declared: A declared charset, as for :func:`decode_html`.

    Returns:
        ``(text, encoding)``; the encoding is a Python codec name (``"utf-8"``, ``"cp1252"``,
        ``"utf-16-le"`` for a UTF-16 byte-order mark…). Never raises.
    """
    try:
        return _decode(data, declared)
    except Exception:  # never raise: the caller extracts what it can
        logger.debug("charset detection failed", exc_info=True)
        return bytes(data).decode("utf-8", errors="replace"), "utf-8"


def _decode(data: bytes, declared: str | None) -> tuple[str, str]:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding, errors="replace"), encoding
    text = _try_decode(data, "utf-8")
    if text is not None:
        return text, "utf-8"
    candidates: list[str] = []
    if declared:
        match = _HEADER_RE.search(declared)
        header = normalize_encoding_name(match.group(1) if match else declared)
        if header:
            candidates.append(header)
    meta = declared_charset(data)
    if meta:
        candidates.append(meta)
    for encoding in candidates:
        # UTF-8 already failed strictly; a UTF-8 declaration is still right for a page with a
        # few broken bytes.
        if encoding == "utf-8":
            if _mostly_utf8(data):
                return data.decode("utf-8", errors="replace"), "utf-8"
            continue
        text = _try_decode(data, encoding)
        if text is not None:
            return text, encoding
    if _mostly_utf8(data):
        return data.decode("utf-8", errors="replace"), "utf-8"
    best = from_bytes(data[:_SNIFF_BYTES]).best()
    guess = normalize_encoding_name(best.encoding) if best is not None else None
    encoding = guess or "cp1252"
    if encoding != "cp1252" and _is_latin_single_byte(data, encoding):
        # charset_normalizer cannot tell the Latin code pages apart on a short text (it often
        # says cp1250 for French); windows-1252 is by far the most common one on the web.
        encoding = "cp1252"
    logger.debug("charset guessed as %s (declared %s, meta %s)", encoding, declared, meta)
    return data.decode(encoding, errors="replace"), encoding
