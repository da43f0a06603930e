"""Bodies generated at request time for the fault endpoints (never stored in git)."""

from __future__ import annotations

from collections.abc import Iterator

_HEAD = (
    b"<!doctype html><html lang='en'><head><meta charset='utf-8'>"
    b"<title>Interactive: every AI model release tracked</title></head><body><main><h1>"
    b"Interactive: every AI model release tracked</h1>\n"
)
_ROW = b"<div class='row'><span class='cell'>model</span><span class='cell'>0.00</span></div>\n"
_TAIL = b"</main></body></html>\n"
_CHUNK_ROWS = 1024


def _rows(target: int) -> int:
    # Round up so the page is never smaller than asked for.
    return max(0, -(-(target - len(_HEAD) - len(_TAIL)) // len(_ROW)))


def big_page_length(target: int) -> int:
    """Exact byte length of the page :func:`big_page_chunks` yields for ``target``."""
    rows = _rows(target)
    return len(_HEAD) + rows * len(_ROW) + len(_TAIL)


def big_page_chunks(target: int) -> Iterator[bytes]:
    """Yield an HTML page of at least ``target`` bytes in ~80 KB chunks (valid HTML when whole)."""
    rows = _rows(target)
    yield _HEAD
    while rows > 0:
        n = min(rows, _CHUNK_ROWS)
        yield _ROW * n
        rows -= n
    yield _TAIL


def pdf_bytes(title: str) -> bytes:
    """A minimal, structurally valid one-page PDF whose page shows ``title``.

    The cross-reference offsets are computed, so PDF readers open it without repair.
    """
    safe = title.encode("latin-1", "replace").replace(b"\\", b"").replace(b"(", b"[")
    safe = safe.replace(b")", b"]")
    stream = b"BT /F1 14 Tf 72 720 Td (" + safe + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += str(number).encode() + b" 0 obj\n" + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 " + str(len(objects) + 1).encode() + b"\n0000000000 65535 f \n"
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += b"trailer\n<< /Size " + str(len(objects) + 1).encode() + b" /Root 1 0 R >>\n"
    out += b"startxref\n" + str(xref).encode() + b"\n%%EOF\n"
    return bytes(out)
