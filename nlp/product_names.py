"""Versioned product names the NER misses: "Quill-5", "Aster 2.1", "Tern-3 Mini", "Quill-5V".

A small NER model knows the products it was trained on, not the model released last week; but
a capitalised name fused with a version number, or followed by a dotted version, is a product
in news prose:

* a **hyphen chain** with a digit in it: "Quill-5", "Lumen-Coder-7B", "Aster-2.1-mini" (the
  tokenizer splits "MiniCPM-Llama3-V" at its hyphens; a word fused with a number, "Llama3",
  needs three letters before the digit, so that a postcode such as "EC4Y" is no product);
* capitalised words and a **dotted version**: "Aster 2.1", "Nimbus Lumen 3.5" (also after a
  known organisation: "Mistral Small 3.2");
* either one followed by **variant words**: "Tern-3 Mini", "Aster 2.1 Pro".

References that look alike ("Section 2.1", "Figure 3.2", "COVID-19") are listed in
``product_names`` in ``entity_rules.json``; a number followed by "million" or "%" is an amount.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span, Token

from nlp.lexicon import Lexicon

# One token fused with a number: "Llama3", "GPT4o" (three letters before the digit), or
# hyphenated: "Quill-5", "Aster-2.1", "Lumen-Coder-7B" (two letters before the hyphen).
_FUSED = re.compile(r"^(?:[A-Za-z]{3,}|[A-Za-z]{2,}[A-Za-z.]*-[A-Za-z.-]*)\d[\w.-]*$")
_PIECE = re.compile(r"^[A-Za-z0-9][\w.-]*$")  # a piece after a hyphen: "V", "7B", "Coder-7B"
# A dotted version after a name: "2.1", "3.5", "v2.0".
_DOTTED = re.compile(r"^v?\d+(?:\.\d+)+[A-Za-z]?$")
# NER labels of names that a version may continue: "Gemini" + "2.5 Pro", "Velt Small" + "3.2".
_NAMED = frozenset({"PRODUCT", "ORG", "FAC", "WORK_OF_ART"})
# Words after a number that make it an amount: "2.5 million", "3.5 %".
_AMOUNTS = frozenset({"million", "billion", "trillion", "%", "percent", "per", "cents", "times"})


def versioned_names(doc: Doc, taken: list[Span], lex: Lexicon) -> list[Span]:
    """PRODUCT spans for the versioned names of the module docstring outside ``taken``, and
    for the products in ``taken`` that a variant word or a version continues ("Tern-3" of
    "Tern-3 Mini"); the caller drops the spans these overlap."""
    n = len(doc)
    free = [True] * n
    for span in taken:
        free[span.start : span.end] = [False] * (span.end - span.start)
    out: list[Span] = []
    for span in taken:
        if span.end < n and free[span.end] and _glued(doc, span.end):
            end = _chain(doc, span.start, free, lex, head=span.end)  # "NanoQX" + "-Tern3-V"
            if end > span.end:
                end = _tail(doc, end, free, lex)
                out.append(Span(doc, span.start, end, label="PRODUCT"))
                free[span.end : end] = [False] * (end - span.end)
                continue
        if span.label_ in _NAMED and span.end < n and free[span.end]:
            end = _tail(doc, span.end, free, lex, strict=span.label_ != "PRODUCT")
            if end > span.end:  # "Gemini" + "2.5 Pro"; "Mistral" + "Small 3.2"
                out.append(Span(doc, span.start, end, label="PRODUCT"))
                free[span.end : end] = [False] * (end - span.end)
    i = 0
    while i < n:
        end = _chain(doc, i, free, lex) or _dotted_name(doc, i, free, lex)
        if end <= i:
            i += 1
            continue
        end = _tail(doc, end, free, lex)
        out.append(Span(doc, i, end, label="PRODUCT"))
        i = end
    return sorted(out, key=lambda sp: sp.start)


def _chain(doc: Doc, i: int, free: list[bool], lex: Lexicon, head: int = 0) -> int:
    """The end of the hyphen chain with a digit starting at token ``i``, else 0; ``head``: the
    end of a name found before, which the chain continues."""
    tok = doc[i]
    if not ((head or free[i]) and tok.text[:1].isupper()) or (i > 0 and _glued(doc, i - 1)):
        return 0
    if tok.lower_ in lex.not_products:
        return 0
    end = head or i + 1
    while end + 1 < len(doc) and free[end + 1] and _glued(doc, end):
        if not _PIECE.match(doc[end + 1].text):
            break
        end += 2
    text = doc[i:end].text
    if not any(ch.isdigit() for ch in text) or _not_name(text, lex):
        return 0
    if end == i + 1:
        return end if _FUSED.match(text) else 0
    first_letters = sum(ch.isalpha() for ch in tok.text)
    return end if first_letters >= 2 else 0  # "Quill-5", but "F-35"


def _not_name(text: str, lex: Lexicon) -> bool:
    """Whether a hyphen chain starts with a versioned term that is no product ("COVID-19")."""
    low = text.lower()
    return any(low == t or low.startswith(t + "-") for t in lex.not_product_names)


def _dotted_name(doc: Doc, i: int, free: list[bool], lex: Lexicon) -> int:
    """The end of "Aster 2.1" (capitalised words, then a dotted version) at token ``i``, else 0."""
    tok = doc[i]
    if (
        not free[i]
        or not (tok.is_title or tok.is_upper)
        or not tok.is_alpha
        or tok.is_stop  # "The Aster 2.1 model"
        or tok.lower_ in lex.not_products
        or (i > 0 and not free[i - 1] and doc[i - 1].text[:1].isupper())  # a longer name's tail
        or (i > 0 and _glued(doc, i - 1))  # a hyphenated name's tail
    ):
        return 0
    j = i
    while j < len(doc) and free[j] and doc[j].is_alpha and (doc[j].is_title or doc[j].is_upper):
        j += 1
        if j - i > 3:
            return 0
    return j + 1 if _version_at(doc, j, free) else 0


def _version_at(doc: Doc, j: int, free: list[bool]) -> bool:
    """Whether token ``j`` is a dotted version, not an amount ("2.5 million")."""
    return (
        j < len(doc)
        and free[j]
        and bool(doc[j - 1].whitespace_)
        and bool(_DOTTED.match(doc[j].text))
        and not (j + 1 < len(doc) and doc[j + 1].lower_ in _AMOUNTS)
    )


def _tail(doc: Doc, end: int, free: list[bool], lex: Lexicon, strict: bool = False) -> int:
    """The end of a product name whose known part ends before token ``end``: its glued suffix
    ("Aster-2.1-mini"), variant words ("Tern-3 Mini") and dotted version ("Gemini 2.5 Pro").
    ``strict`` (after an organisation's name): only capitalised words and a version."""
    n = len(doc)
    if strict:
        j = end
        while j < n and j - end < 2 and free[j] and doc[j].is_alpha and doc[j].is_title:
            j += 1
        if not _version_at(doc, j, free):
            return end
        end = j + 1  # "Mistral" + "Small 3.2"
    while True:
        start = end
        while end + 1 < n and free[end + 1] and _glued(doc, end) and doc[end + 1].is_alpha:
            end += 2  # "Aster-2.1-mini"
        while end < n and free[end] and _variant(doc[end], lex):
            end += 1  # "Tern-3 Mini"
        if _version_at(doc, end, free):
            end += 1  # "Lumen Coder 2.5", "Gemini 2.5"
        if end == start:
            return end


def _glued(doc: Doc, k: int) -> bool:
    """Whether token ``k`` is a hyphen with no space on either side."""
    return k > 0 and doc[k].text == "-" and not doc[k].whitespace_ and not doc[k - 1].whitespace_


def _variant(tok: Token, lex: Lexicon) -> bool:
    return tok.text[:1].isupper() and tok.lower_ in lex.product_variants
