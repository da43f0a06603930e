"""``ipwire_roles``: sets ``doc._.ipwire_roles`` (see :mod:`nlp.roles`). Runs after the linker."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from nlp.lexicon import load_lexicon
from nlp.roles import RoleExtractor


class RolesComponent:
    """Wraps :class:`nlp.roles.RoleExtractor`."""

    def __init__(self) -> None:
        self.extract = RoleExtractor(load_lexicon())

    def __call__(self, doc: Doc) -> Doc:
        doc._.ipwire_roles = self.extract(doc, doc._.ipwire_entities or {})
        return doc


@Language.factory("ipwire_roles")
def make_roles(nlp: Language, name: str) -> RolesComponent:
    """Factory for :class:`RolesComponent`."""
    return RolesComponent()
