"""Title words: the lexical layer of :mod:`nlp.roles` (marks, offices, title text)."""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

POSSESSIVE = frozenset({"'s", "’s", "'", "’"})
# Offices named after their court, department or portfolio ("Treasury Secretary", "Digital
# Minister"), which is then no organisation of the role.
BENCH_OFFICES = frozenset({"judge", "justice", "magistrate", "secretary", "minister"})
# A nation before a federal office is part of its name ("U.S. Attorney"); a state is its org.
NATIONS = frozenset({"u.s.", "us", "u.s", "united states", "america", "federal"})
QUOTE_MARKS = frozenset({'"', "“", "”", "‘"})
# Words between the article and the organisation of an apposition: "a former Apple executive".
# Prepositions a title cannot end with.
_TRAILING = frozenset({"of", "at", "for", "to", "with", "in"})
PRE_ORG = frozenset({"former", "now", "then", "longtime", "now-former", "onetime", "ex"})


def ent_index(doc: Doc) -> list[Span | None]:
    index: list[Span | None] = [None] * len(doc)
    for ent in doc.ents:
        for i in range(ent.start, ent.end):
            index[i] = ent
    return index


def bracket_open(doc: Doc, close: int, width: int = 4) -> int | None:
    """The "(" of a short bracketed aside closed at token ``close`` ("(U.S.)"), if any."""
    for k in range(close - 1, max(close - width - 2, -1), -1):
        if doc[k].text == "(":
            return k
        if doc[k].text in (")", ",", ";") or "\n" in doc[k].whitespace_:
            return None
    return None


def title_text(span: Span | list[Token], abbreviations: dict[str, str] | None = None) -> str:
    """The title as written, lower-cased except acronyms ("CEO") and place names; a bracketed
    aside is left out and an abbreviation written in full ("Sen." -> "senator")."""
    words = []
    toks = list(span)
    depth = 0
    for k, t in enumerate(toks):
        depth += (t.text == "(") - (t.text == ")")
        if t.text in POSSESSIVE or t.text in QUOTE_MARKS or t.text in ("(", ")") or depth:
            continue
        if abbreviations and t.lower_ in abbreviations:
            words.append(abbreviations[t.lower_])
            continue
        if t.ent_type_ == "GPE" and k + 2 < len(toks) and toks[k + 2].lower_ == "based":
            toks[k + 1 : k + 3] = []  # "Zurich-based researchers": the place is no title
            continue
        words.append(t.text if t.is_upper or t.ent_type_ == "GPE" else t.lower_)
    while words and words[-1] in _TRAILING:
        words.pop()  # "legal representative of" when the org that follows is no entity
    return " ".join(words).replace(" - ", "-").strip()
