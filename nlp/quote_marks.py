"""Quotation marks and verbs of saying: the lexical layer of :mod:`nlp.quotes`.

**Direct** quotes are found on the characters, block by block: curly marks open and close,
straight marks toggle. News style continues a quote over paragraphs by leaving the paragraph
without a closing mark and opening the next one with a mark; such pieces become one quote.

Verbs of saying come from ``nlp/patterns/speech_verbs.txt``; a verb marked ``direct-only`` there
attributes a quotation but does not introduce reported speech by itself.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources

from nlp.textprep import Block

OPEN = "“„«"
CLOSE = "”»"


@functools.lru_cache(maxsize=1)
def _verb_table() -> dict[str, bool]:
    """Each verb of saying → whether it may introduce reported speech (not "direct-only")."""
    text = (resources.files("nlp") / "patterns" / "speech_verbs.txt").read_text(encoding="utf-8")
    table: dict[str, bool] = {}
    for line in text.splitlines():
        parts = line.split()
        if not parts or parts[0].startswith("#"):
            continue
        table[parts[0].lower()] = "direct-only" not in parts[1:]
    return table


def speech_verbs() -> frozenset[str]:
    """Verbs of saying, every inflected form (``nlp/patterns/speech_verbs.txt``)."""
    return frozenset(_verb_table())


def reporting_verbs() -> frozenset[str]:
    """The verbs of saying that introduce reported speech (those not marked "direct-only")."""
    return frozenset(w for w, indirect in _verb_table().items() if indirect)


@dataclass(slots=True)
class RawQuote:
    start: int  # offset of the first character inside the marks
    end: int  # offset just after the last character inside the marks
    pieces: list[str]


def find_direct(text: str, blocks: list[Block]) -> list[RawQuote]:
    """Quoted passages, merged across paragraphs where a quote continues.

    Args:
        text: The composed text.
        blocks: Its blocks (see :func:`nlp.textprep.split_blocks`).

    Returns:
        The passages in text order, with their character spans.
    """
    out: list[RawQuote] = []
    carry: RawQuote | None = None  # a quote left open at the end of the previous paragraph
    for block in blocks:
        chunk = text[block.start : block.end]
        pos = 0
        if carry is not None and chunk[:1] not in ('"', *OPEN):
            out.append(carry)
            carry = None
        while pos < len(chunk):
            ch = chunk[pos]
            if ch in OPEN or ch == '"':
                close = _find_close(chunk, pos + 1, straight=ch == '"')
                inner_start = block.start + pos + 1
                if close < 0:  # runs to the end of the paragraph
                    piece = chunk[pos + 1 :].strip()
                    if carry is not None:
                        carry.pieces.append(piece)
                        carry.end = block.end
                    else:
                        carry = RawQuote(inner_start, block.end, [piece])
                    break
                piece = chunk[pos + 1 : close].strip()
                if carry is not None:
                    carry.pieces.append(piece)
                    carry.end = block.start + close
                    out.append(carry)
                    carry = None
                else:
                    out.append(RawQuote(inner_start, block.start + close, [piece]))
                pos = close + 1
            else:
                pos += 1
    if carry is not None:
        out.append(carry)
    return out


def _find_close(chunk: str, pos: int, straight: bool) -> int:
    for i in range(pos, len(chunk)):
        c = chunk[i]
        if (straight and c == '"') or (not straight and c in CLOSE):
            return i
        if not straight and c == '"':
            return i
    return -1
