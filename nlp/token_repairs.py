"""Token repairs before linking: tokens the tokenizer leaves glued to a name.

* a possessive typed with an accent or a backtick: "Huang´s" -> "Huang" + "´s";
* a full stop glued to a versioned name at the end of a sentence, which the tokenizer keeps as
  it would an initial ("Quill-5V." -> "Quill-5V" + "."), so that the name does not run into
  the next sentence ("Quill-5V. However").

The pieces get tags and dependency labels of their kind, so that the rules downstream read them.
"""

from __future__ import annotations

import re
from typing import Any

from spacy.tokens import Doc, Token

# A possessive typed with an accent or a backtick, which the tokenizer leaves on the name:
# "Huang´s".
_ODD_POSSESSIVE = re.compile(r"^([A-Z][A-Za-z-]*[a-z])([´`]s)$")
# A name or name piece with a stop glued on: "Quill-5V.", "V." of "Tern3-V."
_GLUED_STOP = re.compile(r"^([A-Za-z0-9][\w.-]*?)(\.)$")


def repair_tokens(doc: Doc) -> None:
    """Split the glued tokens of the module docstring off their names, in place."""
    found: list[tuple[Token, re.Match[str], tuple[str, str], tuple[str, str], str]] = []
    n = len(doc)
    odd = "´" in doc.text or "`" in doc.text
    for t in doc:
        if odd and (m := _ODD_POSSESSIVE.match(t.text)):
            found.append((t, m, ("NNP", "POS"), ("PROPN", "PART"), "poss"))
        elif (
            t.text[-1] == "."
            and len(t.text) > 1
            and (m := _GLUED_STOP.match(t.text))
            and _versioned(doc, t.i, m.group(1))
            and (t.i + 1 == n or doc[t.i + 1].text[:1].isupper() or "\n" in t.whitespace_)
        ):
            found.append((t, m, ("NNP", "."), ("PROPN", "PUNCT"), t.dep_))
    if not found:
        return
    for value in ("NNP", "POS", ".", "PROPN", "PART", "PUNCT", "poss", "case", "punct"):
        doc.vocab.strings.add(value)  # the attrs below are set by string
    tagged, parsed = doc.has_annotation("TAG"), doc.has_annotation("DEP")
    with doc.retokenize() as retok:
        for tok, m, tags, pos, dep in found:
            attrs: dict[str | int, list[Any]] = {}
            if tagged:
                attrs["TAG"] = list(tags)
                attrs["POS"] = list(pos)
            if parsed:
                attrs["DEP"] = [dep, "case" if dep == "poss" else "punct"]  # name, then mark
            retok.split(
                tok,
                [m.group(1), m.group(2)],
                heads=[tok.head if tok.head.i != tok.i else (tok, 0), (tok, 0)],
                attrs=attrs,
            )


def _versioned(doc: Doc, i: int, name: str) -> bool:
    """Whether token ``i`` (``name`` without its stop) ends a versioned name: it holds a digit
    ("Quill-5V.") or is glued by a hyphen to a piece that does ("Tern3" + "-" + "V.")."""
    if any(c.isdigit() for c in name) and any(c.isalpha() for c in name):
        return name[:1].isalpha()
    return (
        i >= 2
        and doc[i - 1].text == "-"
        and not doc[i - 1].whitespace_
        and not doc[i - 2].whitespace_
        and any(c.isdigit() for c in doc[i - 2].text)
    )
