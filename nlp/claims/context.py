"""What the claim extractor may know about an article beyond one sentence."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from spacy.tokens import Doc

from nlp.types import Entity

_EMPTY: Mapping[str, str] = MappingProxyType({})


@dataclass(frozen=True)
class ClaimContext:
    """Article-level facts for resolving claim arguments.

    Attributes:
        entities: linked entities by id (``doc._.ipwire_entities`` when the pipeline set it).
        focus_org: id of the organisation the article is about; "the company said" resolves to it.
        person_org: person id → id of the organisation the person speaks for (spokespeople,
            executives, lawyers, as found by the roles component); a person's claim is then the
            organisation's accusation.
        owners: product id → id of the organisation that owns it, so that "distilled GPT-4o" can
            tell a lab distilling its own model from one distilling a rival's.
        paragraph_starts: character offsets where paragraphs start; pronouns are not resolved
            across a paragraph boundary to an entity from an earlier paragraph.
    """

    entities: Mapping[str, Entity] = field(default_factory=dict)
    focus_org: str | None = None
    person_org: Mapping[str, str] = field(default_factory=lambda: _EMPTY)
    owners: Mapping[str, str] = field(default_factory=lambda: _EMPTY)
    paragraph_starts: tuple[int, ...] = ()

    def entity(self, entity_id: str) -> Entity | None:
        """The entity with this id, or None."""
        return self.entities.get(entity_id)

    def name(self, entity_id: str, fallback: str) -> str:
        """The canonical name of an entity, or ``fallback`` (the surface text) when unknown."""
        ent = self.entities.get(entity_id)
        return ent.name if ent is not None else fallback

    def type_of(self, entity_id: str, fallback: str) -> str:
        """The entity's type from the KB/linker, or ``fallback`` (the span label)."""
        ent = self.entities.get(entity_id)
        return ent.type if ent is not None else fallback

    def owner(self, entity_id: str) -> str:
        """The owning organisation of a product, or the id itself when not a known product."""
        return self.owners.get(entity_id, entity_id)

    def paragraph_start(self, char: int) -> int:
        """Offset where the paragraph holding ``char`` starts (0 when unknown)."""
        best = 0
        for start in self.paragraph_starts:
            if start <= char:
                best = start
            else:
                break
        return best

    @classmethod
    def from_doc(cls, doc: Doc) -> ClaimContext:
        """Build a context from the custom attributes the ipwire pipeline sets on a Doc.

        Reads ``doc._.ipwire_entities``, ``doc._.focus_org``, and, when registered,
        ``doc._.ipwire_person_org``, ``doc._.ipwire_owners`` and ``doc._.paragraph_starts``;
        missing extensions are simply empty.
        """

        def ext(name: str) -> object:
            return getattr(doc._, name) if Doc.has_extension(name) else None

        entities = ext("ipwire_entities")
        focus = ext("focus_org")
        person_org = ext("ipwire_person_org")
        owners = ext("ipwire_owners")
        paragraphs = ext("paragraph_starts")
        return cls(
            entities=entities if isinstance(entities, Mapping) else {},
            focus_org=focus if isinstance(focus, str) else None,
            person_org=person_org if isinstance(person_org, Mapping) else _EMPTY,
            owners=owners if isinstance(owners, Mapping) else _EMPTY,
            paragraph_starts=tuple(sorted(paragraphs))
            if isinstance(paragraphs, list | tuple)
            else (),
        )
