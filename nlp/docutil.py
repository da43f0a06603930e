"""Fast doc helpers: ``Token.sent`` and ``Doc.sents`` rebuild sentences on every call, and
iterating tokens allocates a Python object per token, so hot paths read numpy arrays instead."""

from __future__ import annotations

import bisect

from spacy.attrs import SENT_START
from spacy.tokens import Doc, Span


def sentence_starts(doc: Doc) -> list[int]:
    """Token indices where sentences start (``[0]`` when the doc has no sentence boundaries)."""
    if not len(doc):
        return []
    if not doc.has_annotation("SENT_START"):
        return [0]
    arr = doc.to_array(SENT_START)
    starts = [int(i) for i in (arr == 1).nonzero()[0]]
    if not starts or starts[0] != 0:
        starts.insert(0, 0)
    return starts


def sentence_of(doc: Doc, starts: list[int], i: int) -> Span:
    """The sentence holding token ``i``, given :func:`sentence_starts`."""
    k = bisect.bisect_right(starts, i) - 1
    end = starts[k + 1] if k + 1 < len(starts) else len(doc)
    return doc[starts[max(k, 0)] : end]


def sentence_index(starts: list[int], i: int) -> int:
    """Index of the sentence holding token ``i``."""
    return max(bisect.bisect_right(starts, i) - 1, 0)


def salient_entity(
    doc: Doc, starts: list[int], i: int, labels: tuple[str, ...], spans: list[Span] | None = None
) -> Span | None:
    """The entity with one of ``labels`` that is a grammatical subject in the sentence of token
    ``i`` (before ``i``) or in one of the two sentences before it, nearest first.

    Writers keep the entity they are talking about in subject position, so this is what "the
    company", "it" or "its" most often refer to. None when the doc has no parse or no such
    subject.
    """
    if not doc.has_annotation("DEP"):
        return None
    k = bisect.bisect_right(starts, i) - 1
    lowest = starts[max(k - 2, 0)] if starts else 0
    for ent in reversed(spans if spans is not None else list(doc.ents)):
        if ent.start >= i or ent.start < lowest:
            continue
        if ent.label_ in labels and ent.root.dep_ in ("nsubj", "nsubjpass"):
            return ent
    return None
