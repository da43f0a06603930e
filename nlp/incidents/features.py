"""What clustering knows about an article, and the *facets* (stories) it is split into.

The input records are plain dataclasses filled by the caller (``ipwire`` from the store, the
evaluation from :class:`nlp.types.Annotations`); nothing here touches a database.

A **facet** is one story inside an article: the entity keys that occur together (in one
sentence, or as the two sides of a claim), the claims about them, and the article's words.
An ordinary article has one facet; a round-up ("the week in AI enforcement") has one per story,
so that it can join several incidents without gluing them together.

Entity **keys** make the NLP's naming noise harmless: a new organisation may be ``new:halcyon-labs``
in one article and ``new:halcyon`` in the next, ``new:quillmark-a-i`` here and
``new:quillmark-ai`` there. Its key is the first distinctive word of its name (``halcyon``,
``quillmark``); knowledge-base entities keep their id.
"""

from __future__ import annotations

import datetime as dt
import re
import zlib
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from nlp.incidents.config import ClusterConfig, ascii_words, distinctive_word

__all__ = [
    "ArticleKeys",
    "ArticleRecord",
    "ClaimPair",
    "ClaimRef",
    "EntityRef",
    "Facet",
    "MentionRef",
    "QuoteRef",
    "SourceRef",
    "VictimClaim",
    "article_of",
    "build_facets",
    "content_words",
    "entity_key",
    "facet_id",
]

# Function and newsroom words that say nothing about which story an article tells.
_STOP = frozenset(
    line.strip()
    for line in (Path(__file__).resolve().parent / "data" / "stopwords.txt")
    .read_text()
    .splitlines()
    if line.strip() and not line.startswith("#")
)


@dataclass(frozen=True, slots=True)
class EntityRef:
    """An entity found in the article (``count`` mentions)."""

    id: str
    name: str
    type: str
    count: int = 1


@dataclass(frozen=True, slots=True)
class MentionRef:
    """One mention: which entity, in which sentence, and whether it is in the headline."""

    entity_id: str
    sentence_index: int
    in_title: bool = False


@dataclass(frozen=True, slots=True)
class ClaimRef:
    """A claim as stored (``claim_id`` is the store's id, ``None`` outside the store)."""

    type: str
    stance: str
    legal_status: str | None
    sentence: str
    sentence_index: int = 0
    accuser_id: str | None = None
    accuser: str | None = None
    accused_id: str | None = None
    accused: str | None = None
    victim_id: str | None = None
    victim: str | None = None
    speaker_id: str | None = None
    speaker: str | None = None
    claim_id: int | None = None


@dataclass(frozen=True, slots=True)
class QuoteRef:
    """A quote and its speaker."""

    text: str
    speaker_id: str | None = None
    speaker: str | None = None
    is_direct: bool = True
    quote_id: int | None = None


@dataclass(frozen=True, slots=True)
class SourceRef:
    """A near-duplicate (syndicated) copy of the article: one more source, not one more article."""

    article_id: int
    url: str
    outlet: str | None
    published_at: dt.datetime


@dataclass(frozen=True)
class ArticleRecord:
    """Everything clustering and the incident record use about one processed article."""

    article_id: int
    published_at: dt.datetime
    title: str
    text: str
    relevance: float
    is_relevant: bool
    url: str = ""
    outlet: str | None = None
    entities: tuple[EntityRef, ...] = ()
    mentions: tuple[MentionRef, ...] = ()
    claims: tuple[ClaimRef, ...] = ()
    quotes: tuple[QuoteRef, ...] = ()
    copies: tuple[SourceRef, ...] = ()
    #: False when the page declared no publication time (``published_at`` stands in for it)
    dated: bool = True


@dataclass(frozen=True, slots=True)
class ClaimPair:
    """The signature of a claim: who (or whose IP) against whom, and the claim's family groups."""

    left: str | None  # accuser's key, else the victim's
    accused: str
    groups: frozenset[int]
    #: from a denial, whose roles the extraction often flips: never used to tell stories apart
    denied: bool = False


@dataclass(frozen=True, slots=True)
class VictimClaim:
    """A claim that names no culprit: whose systems were entered or whose model leaked (the
    victim's key, else the complaining accuser's) and the claim's family groups."""

    victim: str
    groups: frozenset[int]


@dataclass(frozen=True)
class Facet:
    """One story in one article; the unit that is linked and clustered."""

    id: int
    article_id: int
    published_at: dt.datetime
    keys: frozenset[str]
    prominent: frozenset[str]
    pairs: tuple[ClaimPair, ...]
    words: frozenset[int] = field(repr=False)
    #: may found an incident (a relevant article's story with a claim, or a strongly relevant one)
    is_anchor: bool = False
    #: attaches to incidents but never links two of them (a non-relevant article)
    is_leaf: bool = False
    #: False when the article declared no date: its time is no evidence (see ``graph.py``)
    dated: bool = True
    #: its claims that name no accused (a hack or a leak told by its victim)
    victims: tuple[VictimClaim, ...] = ()


#: An article yields at most this many facets (its biggest stories; smaller ones are dropped).
MAX_FACETS_PER_ARTICLE = 63
#: Facet ids of one article are ``article_id * FACET_ID_STRIDE + n``, n < MAX_FACETS_PER_ARTICLE.
#: Stored (``incident_facet.id``): changing it would renumber every saved facet.
FACET_ID_STRIDE = MAX_FACETS_PER_ARTICLE + 1


def facet_id(article_id: int, n: int) -> int:
    """A facet's id: its article's id and its number in the article, in one integer."""
    return article_id * FACET_ID_STRIDE + n


def article_of(facet_id: int) -> int:
    """The id of the article a facet belongs to (the inverse of :func:`facet_id`)."""
    return facet_id // FACET_ID_STRIDE


def _ascii_words(text: str) -> list[str]:
    return ascii_words(text)


def entity_key(entity_id: str, name: str, cfg: ClusterConfig, type_: str = "ORG") -> str | None:
    """The matching key of an entity: its KB id, or the distinctive word of a new name.

    Organisations and products are known by their first distinctive word, people by their last
    (``Marcus Teoh`` and ``Teoh`` → ``teoh``; two Marcuses in two stories must not match).

    Examples: ``new:halcyon-labs`` and ``new:halcyon`` → ``halcyon``; ``new:quillmark-a-i`` →
    ``quillmark``; ``openai`` (a KB id) → ``openai``; ``new:media-group`` → ``None``.
    """
    if not entity_id.startswith("new:"):
        return entity_id
    person = type_ == "PERSON"
    word = distinctive_word(name if ascii_words(name) else entity_id[4:], cfg.generic_words, person)
    if word is None:
        return None
    # A new name whose key only one knowledge-base entity has is that entity ("Ding", or a
    # "Linwei Ding" the linker missed, is ``linwei-ding``).
    return cfg.kb_keys.get(("PERSON" if person else "ORG", word), word)


def content_words(text: str) -> frozenset[int]:
    """The article's distinctive words as stable 32-bit hashes (text similarity by Jaccard)."""
    return frozenset(
        zlib.crc32(w.encode()) for w in _ascii_words(text) if len(w) > 3 and w not in _STOP
    )


_TITLE_WORDS = re.compile(r"[A-Za-z]+")
_APPOSITION = frozenset({"the", "a", "an", "then", "former", "now", "chief", "lead", "assistant"})
_ACT = frozenset(
    {"by", "who", "whose", "which", "that", "was", "is", "has", "had", "says", "said"}
    | {"announced", "added", "told", "wrote", "argued", "noted", "stated", "claimed", "sued"}
)
#: An apposition names a title within its first words ("Hal Brenner, U.S. Attorney for ...").
_TITLE_REACH = 4


def _titled(text: str, name: str, words: frozenset[str]) -> bool:
    """Whether ``name`` occurs in ``text`` with one of the title ``words`` just before it
    ("U.S. Attorney Craig Lane") or in the apposition right after it ("Craig Lane, the judge")."""
    if not name or not words:
        return False
    for m in re.finditer(rf"\b{re.escape(name)}\b", text):
        # The word right before the name, with nothing but a space between them.
        before = re.search(r"([A-Za-z]+) $", text[max(0, m.start() - 30) : m.start()])
        if before and before.group(1).casefold() in words:
            return True
        # Initials keep their clause whole ("U.S. Attorney" is not cut at "U.").
        after = re.sub(r"\b([A-Z])\.", r"\1", text[m.end() : m.end() + 60])
        if after.startswith(","):
            clause = _TITLE_WORDS.findall(re.split(r"[,.;:()\n]", after[1:], maxsplit=1)[0])
            # An apposition names a title ("the district judge"), not an act ("who was charged
            # by prosecutors").
            folded = [w.casefold() for w in clause]
            # Either after an article or a modifier ("the district judge") or at once ("U.S.
            # Attorney for the district", "special agent in charge of the field office").
            if (
                folded
                and not _ACT & set(folded)
                and (
                    (folded[0] in _APPOSITION and any(w in words for w in folded[:5]))
                    or any(w in words for w in folded[:_TITLE_REACH])
                )
            ):
                return True
    return False


class ArticleKeys:
    """Entity id → key for one article, restricted to the types that can be story keys.

    Also which people the article names as public officers (a prosecutor, a judge) and as
    speakers for a side (a lawyer, a spokesperson): neither is a side of the dispute; and the
    maker of each product it names as an organisation's own ("Brightwave's Lumo chatbot").
    """

    def __init__(self, art: ArticleRecord, cfg: ClusterConfig) -> None:
        self.by_id: dict[str, str] = {}
        self.count: dict[str, int] = {}
        self.types = {e.id: e.type for e in art.entities}
        self.officers: set[str] = set()
        self.speakers: set[str] = set()
        # Only the people a claim names as a side need a look at their titles.
        sides = {i for c in art.claims for i in (c.accuser_id, c.accused_id, c.victim_id) if i}
        body = f"{art.title}\n{art.text}" if sides else ""
        for e in art.entities:
            if e.type != "PERSON" or e.id not in sides:
                continue
            # The full name, else the first and last names apart ("Craig H. Lane" for Craig Lane).
            parts = e.name.split()
            forms = [e.name] + ([parts[0], parts[-1]] if len(parts) > 1 else [])
            if any(_titled(body, f, cfg.officer_words) for f in forms):
                self.officers.add(e.id)
            elif any(_titled(body, f, cfg.speaker_words) for f in forms):
                self.speakers.add(e.id)
        # An outlet is no party (it reports), unless a claim names it as the accuser whose own
        # works were taken (a newspaper suing over its articles).
        suing = {c.accuser_id for c in art.claims if c.accuser_id and c.accuser_id == c.victim_id}
        for e in art.entities:
            if e.type not in cfg.key_types and not (e.type == "MEDIA" and e.id in suing):
                continue
            key = entity_key(e.id, e.name, cfg, e.type)
            if key:
                self.by_id[e.id] = key
                self.count[key] = self.count.get(key, 0) + e.count
        for short, long in _short_forms(art, self.by_id, cfg).items():
            # "the Lantern" after "the Daily Lantern": one party under the full name's key.
            self.count[long] = self.count.get(long, 0) + self.count.pop(self.by_id[short], 0)
            self.by_id[short] = long
        self.cfg = cfg
        self._art = art

    @cached_property
    def makers(self) -> dict[str, str]:
        """Product key -> the key of the organisation the article says owns it."""
        return _makers(self._art, self.by_id)

    @cached_property
    def employers(self) -> dict[str, str]:
        """Person key -> the key of the organisation the article names them an officer of."""
        return _employers(self._art, self.by_id, self.cfg)

    def side(self, entity_id: str | None, name: str | None) -> str | None:
        """The key of a claim's side (accuser, victim, accused): none for officers and speakers."""
        if entity_id in self.officers or entity_id in self.speakers:
            return None
        return self.of(entity_id, name)

    def accused(self, c: ClaimRef) -> str | None:
        """The key of a claim's accused; none when the accused is also its victim ("X was
        hacked" read as a claim against X): such a claim names no culprit."""
        accused = self.side(c.accused_id, c.accused)
        if accused is not None and accused == self.side(c.victim_id, c.victim):
            return None
        return accused

    def suspect(self, c: ClaimRef) -> str | None:
        """The party a claim that names no culprit points at, if one stands out.

        The extraction often misses a culprit named inside a phrase ("probing whether a group
        linked to Kestrel took its data"): the one organisation or person that the claim's
        sentence and the headline both name, other than the claim's own sides (and their
        products), a public officer or a side's speaker.
        """
        if self.accused(c) is not None:
            return None
        if (c.accused_id or c.accused) and self.side(c.accused_id, c.accused) != self.side(
            c.victim_id, c.victim
        ):
            return None  # someone not a party (an officer, a country) in the accused's place
        fam = self.cfg.family_of
        sides = {
            fam(k)
            for k in (self.side(c.victim_id, c.victim), self.side(c.accuser_id, c.accuser))
            if k
        }
        if not sides:
            return None
        art = self._art
        headline = {m.entity_id for m in art.mentions if m.in_title}
        found: set[str] = set()
        for m in art.mentions:
            key = self.by_id.get(m.entity_id)
            if (
                m.sentence_index != c.sentence_index
                or key is None
                or m.entity_id not in headline
                or self.types.get(m.entity_id) not in ("ORG", "PERSON")
                or fam(key) in sides
            ):
                continue
            if self.types.get(m.entity_id) == "PERSON" and self._officer_or_speaker(m.entity_id):
                continue
            found.add(key)
        return next(iter(found)) if len(found) == 1 else None

    def _officer_or_speaker(self, entity_id: str) -> bool:
        """Whether a person is named with an officer's or a speaker's title."""
        if entity_id in self.officers or entity_id in self.speakers:
            return True
        name = next((e.name for e in self._art.entities if e.id == entity_id), "")
        parts = name.split()
        forms = [name] + ([parts[0], parts[-1]] if len(parts) > 1 else [])
        body = f"{self._art.title}\n{self._art.text}"
        words = self.cfg.officer_words | self.cfg.speaker_words
        return any(_titled(body, f, words) for f in forms)

    def of(self, entity_id: str | None, name: str | None) -> str | None:
        if entity_id in self.by_id:
            return self.by_id[entity_id]
        if entity_id and self.types.get(entity_id, "ORG") not in self.cfg.key_types:
            return None  # a place or an outlet named as accuser: an extraction artefact
        if entity_id or name:
            type_ = self.types.get(entity_id or "", "ORG")
            return entity_key(entity_id or "new:", name or "", self.cfg, type_)
        return None


#: Words between an owner's possessive and its product's name ("Brightwave's new Lumo chatbot"
#: allows two).
_MAKER_GAP = 3


def _short_forms(art: ArticleRecord, by_id: dict[str, str], cfg: ClusterConfig) -> dict[str, str]:
    """New organisation id -> the key of the longer name it shortens in the same article.

    "Lantern" and "Disney" shorten "Daily Lantern" and "The Walt Disney Company": every
    distinctive word of the short name is in the long one, which has more. A short form that
    two longer names share ("Lantern" with "Daily Lantern" and "Lantern Books") is left alone;
    people are matched by their surname already (see :func:`entity_key`).
    """
    orgs = [e for e in art.entities if e.id in by_id and e.type != "PERSON"]
    if len(orgs) < 2:
        return {}

    def words(name: str) -> frozenset[str]:
        return frozenset(w for w in ascii_words(name) if w not in cfg.generic_words)

    folded = {e.id: e.name.casefold() for e in orgs}
    out: dict[str, str] = {}
    for e in orgs:
        if not e.id.startswith("new:"):
            continue
        # Cheap first: the short name must be inside the longer one.
        inside = [
            o
            for o in orgs
            if o.id != e.id and len(o.name) > len(e.name) and folded[e.id] in folded[o.id]
        ]
        if not inside or any(by_id[o.id] == by_id[e.id] for o in inside):
            continue  # nothing longer, or a longer name it already shares a key with
        mine = words(e.name)
        if not mine:
            continue
        longer = {by_id[o.id] for o in inside if mine < words(o.name)}
        if len(longer) == 1 and by_id[e.id] not in longer:
            out[e.id] = next(iter(longer))
    return out


def _lines(art: ArticleRecord) -> str:
    """The headline and the body, spaces normalised within each line: a headline and the first
    paragraph are not one phrase."""
    return "\n".join(" ".join(line.split()) for line in f"{art.title}\n{art.text}".splitlines())


def _makers(art: ArticleRecord, by_id: dict[str, str]) -> dict[str, str]:
    """Product key -> the key of the organisation the article names as its owner.

    "<Org>'s <Product>", with up to :data:`_MAKER_GAP` lower-case words between them ("Veyra's
    humanoid robot Orla"), or the organisation's name right before the product's ("Veyra
    Orla"); a product two organisations are said to own has no maker here.
    """
    # Read lazily (see _Builder.maker): only for incidents whose claims name a product as a
    # side; the owner may be named in another article than the claim ("Tesla Optimus").
    products = [e for e in art.entities if e.type == "PRODUCT" and e.id in by_id]
    orgs = [e for e in art.entities if e.type == "ORG" and e.id in by_id]
    if not products or not orgs:
        return {}
    text = _lines(art)
    found: dict[str, set[str]] = {}
    gap = rf"(?:[a-z][\w-]* ){{0,{_MAKER_GAP}}}"
    for org in orgs:
        for prod in products:
            if by_id[org.id] == by_id[prod.id]:
                continue
            owner = rf"\b{re.escape(org.name)}(?:['’]s? {gap}| )"
            pattern = rf"{owner}{re.escape(prod.name)}\b"
            if re.search(pattern, text):
                found.setdefault(by_id[prod.id], set()).add(by_id[org.id])
    return {p: next(iter(m)) for p, m in found.items() if len(m) == 1}


def _employers(art: ArticleRecord, by_id: dict[str, str], cfg: ClusterConfig) -> dict[str, str]:
    """Person key -> the key of the organisation the article names them a (current) officer of.

    "<Org>['s] <title> <Person>" ("Tarn Books president Olu Bisi") or "<Person>, [the|its]
    <title> of|at <Org>" ("Jana Holm, the chief executive of Kestrel Audio"), the title one of
    ``executive_words``; a "former" officer, or one named for two organisations, has none here.
    """
    # Only the people a claim names as its accuser or victim need an organisation.
    sides = {i for c in art.claims for i in (c.accuser_id, c.victim_id) if i}
    people = [e for e in art.entities if e.type == "PERSON" and e.id in by_id and e.id in sides]
    orgs = [e for e in art.entities if e.type == "ORG" and e.id in by_id]
    if not people or not orgs or not cfg.executive_words:
        return {}
    text = _lines(art)
    titles = "|".join(re.escape(t) for t in sorted(cfg.executive_words, key=len, reverse=True))
    former = "|".join(re.escape(w) for w in sorted(cfg.former_words)) or "(?!)"
    # Up to two words qualify the title ("chief executive", "co-founder and chief"), never a
    # "former".
    qual = rf"(?:(?!(?:{former})\b)[\w-]+ ){{0,2}}?"
    found: dict[str, set[str]] = {}
    for person in people:
        parts = person.name.split()
        forms = [person.name] + ([parts[-1]] if len(parts) > 1 else [])
        names = "|".join(re.escape(f) for f in forms)
        for org in orgs:
            o = re.escape(org.name)
            before = rf"\b{o}(?:['’]s?)? {qual}(?:{titles}) (?:{names})\b"
            after = rf"\b(?:{names}), (?:the |its |a )?{qual}(?:{titles}) (?:of|at) {o}\b"
            if re.search(before, text, re.IGNORECASE) or re.search(after, text, re.IGNORECASE):
                found.setdefault(by_id[person.id], set()).add(by_id[org.id])
    return {p: next(iter(o)) for p, o in found.items() if len(o) == 1}


def _claim_pairs(art: ArticleRecord, keys: ArticleKeys, cfg: ClusterConfig) -> list[ClaimPair]:
    pairs: list[ClaimPair] = []
    for c in art.claims:
        accused = keys.accused(c)
        if accused is None:
            continue
        left = keys.side(c.accuser_id, c.accuser) or keys.side(c.victim_id, c.victim)
        if left == accused:
            left = None
        pair = ClaimPair(left, accused, cfg.groups_of(c.type), c.stance == "denied")
        if pair not in pairs:
            pairs.append(pair)
    return pairs


def build_facets(art: ArticleRecord, cfg: ClusterConfig) -> list[Facet]:
    """Split an article into its stories (facets); none for an article below ``min_relevance``.

    Keys that occur in one sentence, or on the two sides of a claim, belong to one story; the
    connected groups of that graph are the facets. Groups of a single key that carry no claim
    are folded into the largest facet (a name mentioned alone is context, not a story). A claim
    naming no accused (a leak, a breach) makes its victim's or accuser's facet an anchor.
    """
    if art.relevance < cfg.min_relevance or not (art.is_relevant or cfg.leaves):
        return []
    keys = ArticleKeys(art, cfg)
    pairs = _claim_pairs(art, keys, cfg)
    parent: dict[str, str] = {k: k for k in keys.count}

    def find(k: str) -> str:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    def union(a: str, b: str) -> None:
        parent.setdefault(a, a)
        parent.setdefault(b, b)
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    by_sentence: dict[int, list[str]] = {}
    in_title: set[str] = set()
    for m in art.mentions:
        k = keys.by_id.get(m.entity_id)
        if k is None:
            continue
        by_sentence.setdefault(m.sentence_index, []).append(k)
        if m.in_title:
            in_title.add(k)
    for ks in by_sentence.values():
        for k in ks[1:]:
            union(ks[0], k)
    for p in pairs:
        parent.setdefault(p.accused, p.accused)
        if p.left:
            union(p.left, p.accused)
    groups: dict[str, set[str]] = {}
    for k in sorted(parent):
        groups.setdefault(find(k), set()).add(k)
    claimed = {p.accused for p in pairs} | {p.left for p in pairs if p.left}
    claimed |= {
        k
        for c in art.claims
        if keys.accused(c) is None
        for k in (keys.side(c.victim_id, c.victim), keys.side(c.accuser_id, c.accuser))
        if k
    }
    # Groups of several names are stories of their own even without a claim: in a round-up a
    # story whose claim the extraction missed must not be glued to its neighbour.
    stories = [g for g in groups.values() if len(g) > 1 or g & claimed]
    loose = [g for g in groups.values() if not (len(g) > 1 or g & claimed)]
    if not stories:
        stories = [set().union(*loose)] if loose else []
    elif loose:
        biggest = max(stories, key=lambda g: (sum(keys.count.get(k, 1) for k in g), sorted(g)))
        for g in loose:
            biggest |= g
    stories.sort(key=lambda g: (-sum(keys.count.get(k, 1) for k in g), sorted(g)))
    stories = stories[:MAX_FACETS_PER_ARTICLE]
    prominent = {k for k, n in keys.count.items() if n >= 2} | in_title | claimed
    words = content_words(f"{art.title}\n{art.text}")
    has_claims = bool(art.claims)
    # A claim that names no accused but names whose model leaked or whose data was taken (or
    # who complains) is still a claim: the story of that party may found an incident. It links
    # by names and words only, never by a signature.
    sided = {
        k
        for c in art.claims
        if keys.accused(c) is None
        for k in (keys.side(c.victim_id, c.victim), keys.side(c.accuser_id, c.accuser))
        if k
    }
    harmed = _victim_claims(art, keys, cfg)
    facets: list[Facet] = []
    for n, g in enumerate(stories):
        mine = tuple(p for p in pairs if p.accused in g)
        if art.is_relevant:
            # Claims that name no accused (a leak whose culprit is unknown, told by its victim)
            # still say an incident happened: the story of their victim or accuser founds one.
            anchor = (
                bool(mine)
                or bool(g & sided)
                or (
                    not has_claims
                    and n == 0
                    and art.relevance >= cfg.anchor_relevance_without_claims
                )
            )
            # Background: a later story of the article that only names hubs, accused by nobody
            # it names ("similar suits are pending against <two big labs>"), founds nothing;
            # it still joins the incident it links to. The article's main story may found one.
            if n > 0 and all(cfg.is_hub(k) for k in g) and not (g & sided):
                anchor = anchor and any(p.left for p in mine)
        else:
            anchor = False
        facets.append(
            Facet(
                id=facet_id(art.article_id, n),
                article_id=art.article_id,
                published_at=art.published_at,
                keys=frozenset(g),
                prominent=frozenset(g & prominent),
                pairs=mine,
                words=words,
                is_anchor=anchor,
                is_leaf=not art.is_relevant,
                dated=art.dated,
                victims=tuple(v for v in harmed if v.victim in g),
            )
        )
    return facets


def _victim_claims(art: ArticleRecord, keys: ArticleKeys, cfg: ClusterConfig) -> list[VictimClaim]:
    """The claims naming no accused, by their victim (else their accuser), once each."""
    out: list[VictimClaim] = []
    for c in art.claims:
        if keys.accused(c) is not None:
            continue
        if keys.side(c.accused_id, c.accused) is None and (c.accused_id or c.accused):
            continue  # someone not a party (an officer, a country) in the accused's place
        victim = keys.side(c.victim_id, c.victim) or keys.side(c.accuser_id, c.accuser)
        if victim is None:
            continue
        v = VictimClaim(victim, cfg.groups_of(c.type))
        if v not in out:
            out.append(v)
    return out
