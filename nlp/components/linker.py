"""``ipwire_linker``: after ``ner``, replace ``doc.ents`` by cleaned, typed, linked entities.

See :mod:`nlp.linking` for the rules. ``ent.label_`` becomes one of ORG, GOV, PERSON, PRODUCT,
MEDIA, GPE and ``ent.kb_id_`` the entity id (KB slug or ``new:<slug>``).
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from nlp.components import DEFAULT_KB, get_kb_index
from nlp.lexicon import load_lexicon
from nlp.linking import Linker
from nlp.textprep import split_blocks


class LinkerComponent:
    """Runs :class:`nlp.linking.Linker` and stores its result on the doc."""

    def __init__(self, kb: str) -> None:
        self.linker = Linker(get_kb_index(kb), load_lexicon())

    def __call__(self, doc: Doc) -> Doc:
        blocks = doc._.ipwire_blocks
        if blocks is None:
            blocks = split_blocks(doc.text, bool(doc._.has_title))
        result = self.linker.link(doc, blocks)
        doc.ents = result.spans
        doc._.ipwire_entities = result.entities
        doc._.ipwire_mentions = result.mentions
        doc._.focus_org = result.focus_org
        return doc


@Language.factory("ipwire_linker", default_config={"kb": DEFAULT_KB})
def make_linker(nlp: Language, name: str, kb: str) -> LinkerComponent:
    """Factory for :class:`LinkerComponent`."""
    return LinkerComponent(kb)
