"""Names in a list share a type: "Disney, Marlow, Vantapix and Universal" are studios, "GPT-4,
Tern and Claude" models.

A small NER model skips or mistypes the unknown member of a list ("Marlow" left out, "Claude"
read as a person); its neighbours, joined by a comma, "and" or "or", tell what it is. Used by
:mod:`nlp.mentions` (finding the names the NER missed) and :mod:`nlp.linking` (typing unknown
names by their known neighbours).
"""

from __future__ import annotations

from spacy.tokens import Doc

_JOINS = frozenset({"and", "or", "&"})


def neighbour_ends(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Where a list neighbour of ``doc[start:end]`` would end (before it) and start (after
    it): (-1, -1) for a side with no comma, "and" or "or" between."""
    left = start - 1
    if left >= 0 and doc[left].lower_ in _JOINS:
        left -= 1
    if left >= 0 and doc[left].text == ",":
        left -= 1
    right = end
    if right < len(doc) and doc[right].text == ",":
        right += 1
    if right < len(doc) and doc[right].lower_ in _JOINS:
        right += 1
    before = left + 1 if left < start - 1 else -1
    after = right if right > end else -1
    return before, after


def coordinated_type(
    doc: Doc,
    start: int,
    end: int,
    by_end: dict[int, str],
    by_start: dict[int, str],
    both: bool = False,
) -> str:
    """The type the list neighbours of ``doc[start:end]`` agree on ("" when none or they
    differ), given the types of the known names by their end and start token; with ``both``,
    a neighbour on each side must have it (a name in the middle of a list)."""
    before, after = neighbour_ends(doc, start, end)
    sides = [by_end.get(before, ""), by_start.get(after, "")]
    types = {t for t in sides if t}
    if len(types) != 1 or (both and not all(sides)):
        return ""
    return types.pop()
