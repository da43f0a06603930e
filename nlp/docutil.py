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
