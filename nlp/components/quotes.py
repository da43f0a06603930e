"""``ipwire_quotes``: sets ``doc._.ipwire_quotes`` (see :mod:`nlp.quotes`); after the linker."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from nlp.lexicon import load_lexicon
from nlp.quotes import QuoteExtractor
from nlp.textprep import split_blocks


class QuotesComponent:
    """Wraps :class:`nlp.quotes.QuoteExtractor`."""

    def __init__(self) -> None:
        self.extract = QuoteExtractor(load_lexicon())

    def __call__(self, doc: Doc) -> Doc:
        blocks = doc._.ipwire_blocks
        if blocks is None:
            blocks = split_blocks(doc.text, bool(doc._.has_title))
        doc._.ipwire_quotes = self.extract(
            doc, doc._.ipwire_entities or {}, blocks, doc._.focus_org
        )
        return doc


@Language.factory("ipwire_quotes")
def make_quotes(nlp: Language, name: str) -> QuotesComponent:
    """Factory for :class:`QuotesComponent`."""
    return QuotesComponent()
