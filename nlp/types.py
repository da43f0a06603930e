"""The plain, frozen output of ``nlp/``: no spaCy objects, no ORM objects.

``store/`` and ``reports/`` depend on these shapes (structurally) but never on spaCy.
Character offsets are into the analysed text, which is ``title + "\\n\\n" + body`` when a title is
given (see :func:`nlp.analyze.compose_text`), so a span always points at real characters.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

EntityType = Literal["ORG", "GOV", "PERSON", "PRODUCT", "MEDIA", "GPE"]
Stance = Literal["asserted", "alleged", "suspected", "denied", "confirmed"]
LegalStatus = Literal["investigation", "lawsuit", "charged", "settled", "ruling", "dismissed"]

ENTITY_TYPES: tuple[str, ...] = ("ORG", "GOV", "PERSON", "PRODUCT", "MEDIA", "GPE")
STANCES: tuple[str, ...] = ("asserted", "alleged", "suspected", "denied", "confirmed")
LEGAL_STATUSES: tuple[str, ...] = (
    "investigation",
    "lawsuit",
    "charged",
    "settled",
    "ruling",
    "dismissed",
)


@dataclass(frozen=True, slots=True)
class Entity:
    """One distinct entity found in an article, linked to the KB or given a stable new slug."""

    id: str
    name: str
    type: str
    aliases: tuple[str, ...] = ()
    count: int = 1
    in_kb: bool = False
    wikidata: str | None = None
    description: str | None = None


@dataclass(frozen=True, slots=True)
class Mention:
    """One occurrence of an entity: its character span and sentence index."""

    entity_id: str
    start: int
    end: int
    text: str
    sentence_index: int


@dataclass(frozen=True, slots=True)
class Role:
    """A person holding a title at an organisation, as stated in the text."""

    person_id: str
    person: str
    title: str
    org_id: str | None
    org: str | None
    sentence: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Claim:
    """Who accuses whom of what, how sure, who said it; with the evidence sentence and span."""

    type: str
    accuser_id: str | None
    accuser: str | None
    accused_id: str | None
    accused: str | None
    victim_id: str | None
    victim: str | None
    speaker_id: str | None
    speaker: str | None
    stance: str
    legal_status: str | None
    sentence: str
    start: int
    end: int
    sentence_index: int
    cues: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Quote:
    """A direct or indirect quote with its resolved speaker."""

    speaker_id: str | None
    speaker: str | None
    text: str
    direct: bool
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Annotations:
    """Everything ``nlp/`` says about one article."""

    nlp_version: str
    relevant: bool
    relevance: float
    language: str = "en"
    entities: tuple[Entity, ...] = ()
    mentions: tuple[Mention, ...] = ()
    roles: tuple[Role, ...] = ()
    claims: tuple[Claim, ...] = ()
    quotes: tuple[Quote, ...] = ()
    warnings: tuple[str, ...] = field(default=())
    #: Set when the article could not be analysed (the reason); the other fields are then empty.
    error: str | None = None
