"""Text preparation: compose title and body, sanitise, split into blocks.

Offsets everywhere in ``nlp/`` point into :func:`compose_text` ``(title, body)``, so the text is
never rewritten in a way that changes its length: control characters become spaces one for one.

Blocks (headline, captions, paragraphs) matter because news text is not prose: a headline has no
final full stop and a photo caption is not part of the story, so sentence splitting must start a
new sentence at every block, and quotes/relevance treat the kinds differently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

TITLE_SEPARATOR = "\n\n"

# Everything below U+0020 except tab and newline, plus DEL and the C1 controls: binary garbage and
# stray form feeds that would otherwise become odd tokens.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff]")
_BLOCK = re.compile(r"[^\n]+")
_BYLINE = re.compile(r"^(?:By|BY)\s+[A-Z][a-z]+ [A-Z]")
# A caption is a short line crediting or describing a photo, e.g. "Photo: Jane Roe/Reuters"
# or "A sign at the company's offices in Paris. (Getty Images)".
_CAPTION = re.compile(
    r"^\s*(?:photo|image|picture|file photo|illustration|video|caption|credit)\s*[:|]"
    r"|(?:getty images|reuters|afp|ap photo|bloomberg|shutterstock|file photo)\)?\s*$"
    r"|^\s*\(?(?:photo|image|illustration)(?: by)?\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Block:
    """A headline, caption or paragraph: ``text[start:end]`` with surrounding spaces removed."""

    start: int
    end: int
    kind: str  # "headline" | "byline" | "caption" | "paragraph"


def compose_text(title: str | None, body: str) -> str:
    """Return the text that ``nlp/`` analyses and that all offsets point into.

    Args:
        title: The headline, or ``None``/empty when there is none.
        body: The article body as plain text, paragraphs separated by newlines.

    Returns:
        ``title + "\\n\\n" + body`` when a title is given, else ``body``.
    """
    if title and title.strip():
        return title.strip() + TITLE_SEPARATOR + body
    return body


def sanitize(text: str) -> tuple[str, list[str]]:
    """Replace control characters by spaces, one for one, so no offset moves.

    Args:
        text: The composed text.

    Returns:
        The cleaned text and human-readable warnings about what was changed.
    """
    cleaned, n = _CONTROL.subn(" ", text)
    return cleaned, ([f"{n} control characters replaced by spaces"] if n else [])


def letter_share(text: str) -> float:
    """Share of letters among the non-space characters (binary garbage scores low)."""
    stripped = "".join(text.split())
    if not stripped:
        return 0.0
    return sum(ch.isalpha() for ch in stripped) / len(stripped)


def split_blocks(text: str, has_title: bool) -> list[Block]:
    """Split composed text into headline, byline, caption and paragraph blocks.

    Every non-empty line is a block: extracted article text has one paragraph per line, and
    blank lines only separate them further.

    Args:
        text: The composed text (see :func:`compose_text`).
        has_title: Whether the first block is the headline.

    Returns:
        The blocks in text order.
    """
    blocks: list[Block] = []
    for m in _BLOCK.finditer(text):
        raw = m.group(0)
        stripped = raw.strip()
        if not stripped:
            continue
        start = m.start() + (len(raw) - len(raw.lstrip()))
        end = start + len(stripped)
        if has_title and not blocks:
            kind = "headline"
        elif _looks_like_caption(stripped):
            kind = "caption"
        elif _BYLINE.match(stripped) and len(stripped.split()) <= 14:
            kind = "byline"
        else:
            kind = "paragraph"
        blocks.append(Block(start, end, kind))
    return blocks


def _looks_like_caption(line: str) -> bool:
    if _CAPTION.search(line):
        return len(line.split()) <= 40
    return False


def block_at(blocks: list[Block], offset: int) -> int:
    """Return the index of the block containing ``offset`` (the previous block if between)."""
    lo, hi = 0, len(blocks) - 1
    best = 0
    while lo <= hi:
        mid = (lo + hi) // 2
        if blocks[mid].start <= offset:
            best = mid
            lo = mid + 1
        else:
            hi = mid - 1
    return best
