"""What the claim extractor may know about an article beyond one sentence."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from spacy.tokens import Doc

from nlp.claims.lexicon import default_lexicon
from nlp.kb import load_kb
from nlp.types import Entity

logger = logging.getLogger(__name__)
_EMPTY: Mapping[str, str] = MappingProxyType({})


def owners_from_kb(entities: Mapping[str, Entity]) -> Mapping[str, str]:
    """product id → parent organisation id, from the packaged KB, for the article's products."""
    try:
        kb = load_kb()
    except Exception:  # a broken KB must not stop claim extraction
        logger.warning("knowledge base unavailable; product owners unknown", exc_info=True)
        return _EMPTY
    out: dict[str, str] = {}
    for ent_id in entities:
        rec = kb.entities.get(ent_id)
        parent = getattr(rec, "parent", None)
        if rec is not None and parent:
            out[ent_id] = parent
    return MappingProxyType(out)


def person_org_from_roles(roles: object) -> Mapping[str, str]:
    """person id → org id for roles whose title makes the person speak for the organisation.

    A spokesperson, an executive or counsel speaks for their organisation; an adviser, a
    senator or a judge for themself. The title words are the ``speaks_for_title`` frame of
    ``nlp/patterns/stance.jsonl``.
    """
    words = default_lexicon().frame("speaks_for_title")
    if not isinstance(roles, list | tuple):
        return _EMPTY
    out: dict[str, str] = {}
    for role in roles:
        person = getattr(role, "person_id", None)
        org = getattr(role, "org_id", None)
        title = str(getattr(role, "title", "")).lower().replace("-", " ")
        if person and org and any(w in words for w in title.split()):
            out.setdefault(person, org)
    return MappingProxyType(out)


def bystanders_of(doc: Doc, roles: object) -> frozenset[str]:
    """People titled as judges, lawyers or commentators, by their roles or a title before the name.

    The title words are the ``bystander_title`` frame of ``nlp/patterns/stance.jsonl``; a title
    that makes someone act for a party (``party_title``: "U.S. Attorney", "Attorney General",
    "general counsel") does not count.
    """
    lex = default_lexicon()
    words = lex.frame("bystander_title")
    prosecutors = lex.frame("party_title")

    def bystander(title: str) -> bool:
        text = title.lower().replace("-", " ").replace(".", "")
        return any(w in words for w in text.split()) and not any(p in text for p in prosecutors)

    out: set[str] = set()
    if isinstance(roles, list | tuple):
        for role in roles:
            person = getattr(role, "person_id", None)
            if person and bystander(str(getattr(role, "title", ""))):
                out.add(person)
    for ent in doc.ents:
        if ent.label_ != "PERSON" or not ent.kb_id_:
            continue
        before = doc[max(ent.sent.start, ent.start - 4) : ent.start].text
        if bystander(before):
            out.add(ent.kb_id_)
    return frozenset(out)


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
        bystanders: ids of people whose stated title makes them judges, lawyers or commentators
            of the dispute ("U.S. District Judge X", "X, a lawyer for the authors"): they rule,
            argue or comment, and are never its accuser.
    """

    entities: Mapping[str, Entity] = field(default_factory=dict)
    focus_org: str | None = None
    person_org: Mapping[str, str] = field(default_factory=lambda: _EMPTY)
    owners: Mapping[str, str] = field(default_factory=lambda: _EMPTY)
    paragraph_starts: tuple[int, ...] = ()
    bystanders: frozenset[str] = frozenset()

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

        Reads ``doc._.ipwire_entities``, ``doc._.focus_org``, ``doc._.ipwire_roles`` (people who
        speak for an organisation), ``doc._.ipwire_blocks`` (paragraph starts) and, when
        registered, ``doc._.ipwire_person_org``, ``doc._.ipwire_owners``; missing extensions are
        simply empty.
        """

        def ext(name: str) -> object:
            return getattr(doc._, name) if Doc.has_extension(name) else None

        entities = ext("ipwire_entities")
        focus = ext("focus_org")
        person_org = ext("ipwire_person_org")
        if not isinstance(person_org, Mapping):
            person_org = person_org_from_roles(ext("ipwire_roles"))
        owners = ext("ipwire_owners")
        if not isinstance(owners, Mapping) and isinstance(entities, Mapping):
            owners = owners_from_kb(entities)
        paragraphs = ext("paragraph_starts")
        if not isinstance(paragraphs, list | tuple):
            blocks = ext("ipwire_blocks")
            if isinstance(blocks, list | tuple):
                paragraphs = [b.start for b in blocks if hasattr(b, "start")]
        return cls(
            bystanders=bystanders_of(doc, ext("ipwire_roles")),
            entities=entities if isinstance(entities, Mapping) else {},
            focus_org=focus if isinstance(focus, str) else None,
            person_org=person_org if isinstance(person_org, Mapping) else _EMPTY,
            owners=owners if isinstance(owners, Mapping) else _EMPTY,
            paragraph_starts=tuple(sorted(paragraphs))
            if isinstance(paragraphs, list | tuple)
            else (),
        )
