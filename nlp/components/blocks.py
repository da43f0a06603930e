"""``ipwire_blocks``: headline/caption/paragraph blocks and a sentence start at each of them.

Runs before the parser (which keeps preset sentence starts) or after the sentencizer of the
blank fallback, so a headline without a full stop never runs into the first paragraph.
"""

from __future__ import annotations

import re

import numpy as np
from spacy.attrs import IDX
from spacy.language import Language
from spacy.tokens import Doc

from nlp.textprep import split_blocks

# A first line that reads like a headline: short, no final full stop, a blank line after it.
_HEADLINE = re.compile(r"\A[^\n]{1,200}[^.\n]\n\s*\n")


class BlockSplitter:
    """Sets ``doc._.ipwire_blocks`` and marks each block's first token as a sentence start."""

    def __call__(self, doc: Doc) -> Doc:
        has_title = doc._.has_title
        if has_title is None:
            has_title = bool(_HEADLINE.match(doc.text))
        blocks = split_blocks(doc.text, has_title)
        doc._.ipwire_blocks = blocks
        if not len(doc):
            return doc
        if doc.has_annotation("DEP"):
            return doc  # too late to set boundaries (the parse would contradict them)
        offsets = doc.to_array(IDX)
        for b in blocks[1:]:
            i = int(np.searchsorted(offsets, b.start))
            if 0 < i < len(doc) and offsets[i] == b.start:
                doc[i].is_sent_start = True
        return doc


@Language.factory("ipwire_blocks")
def make_blocks(nlp: Language, name: str) -> BlockSplitter:
    """Factory for :class:`BlockSplitter`."""
    return BlockSplitter()
