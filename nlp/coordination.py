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
    it); -1 for a side that is no list join. A comma alone joins only in the middle of a list
    (a comma on both sides): "Jo Roe, Ohio's attorney general" is an apposition."""
    n = len(doc)
    left = start - 1
    left_and = left >= 0 and doc[left].lower_ in _JOINS
    left -= left_and
    left_comma = left >= 0 and doc[left].text == ","
    left -= left_comma
    right = end
    right_comma = right < n and doc[right].text == ","
    right += right_comma
    right_and = right < n and doc[right].lower_ in _JOINS
    right += right_and
    middle = (left_and or left_comma) and (right_and or right_comma)
    # a comma also joins when the list goes on past the neighbour: "such as Time, Fortune and"
    left_list = left_comma and _joined(doc, left, -1)
    right_list = right_comma and _joined(doc, right, 1)
    before = left + 1 if left_and or (left_comma and (middle or left_list)) else -1
    after = right if right_and or (right_comma and (middle or right_list)) else -1
    return before, after


def _joined(doc: Doc, k: int, step: int) -> bool:
    """Whether the name at token ``k`` (its last token going left, its first going right) is
    joined on its far side to one more name: a comma or "and" after its capitalised words."""
    n = len(doc)
    i = k
    while 0 <= i < n and (doc[i].text[:1].isupper() or doc[i].is_digit):
        i += step
        if abs(i - k) > 5:
            return False
    return i != k and 0 <= i < n and (doc[i].text == "," or doc[i].lower_ in _JOINS)


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
