"""The incident record: title, summary, parties, status timeline and ranking score.

Everything is derived from the member articles' claims and entities, so the record can be
rebuilt at any time (an article joining an incident simply rebuilds its record).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property

from nlp.incidents.config import STATUS_ORDER, ClusterConfig
from nlp.incidents.explain import MergeReason, explain_merges
from nlp.incidents.features import ArticleKeys, ArticleRecord, ClaimRef, Facet, entity_key
from nlp.kb.index import slugify as kb_slugify

__all__ = [
    "IncidentRecord",
    "Party",
    "SummarySentence",
    "TimelineStep",
    "build_record",
    "rank_score",
    "slugify",
]

#: Stances as timeline steps: a suspicion is an allegation, an assertion too.
_STANCE_STEP = {"asserted": "alleged", "alleged": "alleged", "suspected": "alleged"}
_STANCE_STEP |= {"denied": "denied", "confirmed": "confirmed"}
_FINAL = frozenset({"settled", "ruling", "dismissed"})


@dataclass(frozen=True, slots=True)
class Party:
    """An entity in an incident and its role, first named by ``article_id``."""

    entity_id: str
    name: str
    role: str
    first_seen_at: dt.datetime
    article_id: int


@dataclass(frozen=True, slots=True)
class TimelineStep:
    """A status the coverage reached, dated and linked by the article that first reported it."""

    status: str
    occurred_at: dt.datetime
    article_id: int
    url: str
    sentence: str
    claim_id: int | None = None


@dataclass(frozen=True, slots=True)
class SummarySentence:
    """One sentence of the extractive summary and where it comes from."""

    text: str
    article_id: int
    url: str
    outlet: str | None


@dataclass(frozen=True)
class IncidentRecord:
    """Everything shown about an incident."""

    title: str
    slug_base: str
    summary: tuple[SummarySentence, ...]
    parties: tuple[Party, ...]
    claim_types: tuple[str, ...]
    timeline: tuple[TimelineStep, ...]
    first_seen_at: dt.datetime
    last_seen_at: dt.datetime
    article_ids: tuple[int, ...]
    claim_ids: tuple[int, ...]
    article_count: int
    source_count: int
    outlet_count: int
    legal_status: str | None
    status: str
    score: float
    #: why its articles are one story: the link that joined each one (see ``explain.py``)
    merges: tuple[MergeReason, ...] = ()


def slugify(text: str, limit: int = 80) -> str:
    """An incident slug: :func:`nlp.kb.index.slugify` cut to ``limit`` (``"incident"`` if empty)."""
    return kb_slugify(text, limit) or "incident"


def rank_score(
    *,
    last_seen_at: dt.datetime,
    now: dt.datetime,
    source_count: int,
    outlet_count: int,
    severity: int,
    legal_weight: int,
) -> float:
    """The ranking score of an incident (higher first), 0 to about 100.

    ``100 × recency × coverage × severity × legal``, where

    * recency = 0.5 ** (days since the latest article / 14): a two-week half-life, so news of
      today outranks a bigger story that went quiet a month ago;
    * coverage = (1 + ln(1 + outlets + 0.5 × extra sources)) / (1 + ln 11): distinct outlets
      count fully, more articles or syndicated copies from the same outlets half; saturates
      around ten outlets (1.0);
    * severity = max claim-type severity (1–3, ``nlp/patterns/claim_types.jsonl``) / 3;
    * legal = (2 + weight of the most advanced status, 1–5 in ``incidents.toml``) / 7: a
      lawsuit or a charge weighs more than an allegation.
    """
    age = max(0.0, (now - last_seen_at).total_seconds() / 86400)
    recency: float = 0.5 ** (age / 14)  # float ** float is typed Any (it may be complex)
    extra = max(0, source_count - outlet_count)
    coverage = min(1.0, (1 + math.log1p(outlet_count + 0.5 * extra)) / (1 + math.log(11)))
    return round(100 * recency * coverage * (severity / 3) * ((2 + legal_weight) / 7), 3)


class _Builder:
    def __init__(self, articles: Sequence[ArticleRecord], keys: frozenset[str], cfg: ClusterConfig):
        self.cfg = cfg
        self.articles = sorted(articles, key=lambda a: (a.published_at, a.article_id))
        self.keys = keys
        self.akeys = {a.article_id: ArticleKeys(a, cfg) for a in self.articles}
        # Display names and representative entity ids by key, weighted by mention counts.
        # A name is weighed by the number of articles using it (then by mentions): a garbled
        # span from one headline ("Zhenhe Intelligence Denies Halcyon") loses to the real name.
        self.names: dict[str, Counter[tuple[int, int, str]]] = defaultdict(Counter)
        self.ids: dict[str, Counter[str]] = defaultdict(Counter)
        self.etype: dict[str, str] = {}
        self.id_name: dict[str, str] = {}
        df: Counter[tuple[str, str]] = Counter()
        mentions: Counter[tuple[str, str]] = Counter()
        for a in self.articles:
            for e in a.entities:
                k = entity_key(e.id, e.name, cfg, e.type)
                if k:
                    df[(k, e.name)] += 1
                    mentions[(k, e.name)] += e.count
                    self.ids[k][e.id] += e.count
                    self.etype.setdefault(e.id, e.type)
                    self.id_name.setdefault(e.id, e.name)
        for (k, name), n in df.items():
            self.names[k][(n, mentions[(k, name)], name)] = 1
        self.claims = [(a, c) for a in self.articles for c in a.claims if self._mine(a, c)]
        self.officer_ids = {i for k in self.akeys.values() for i in k.officers}
        # Keys of products, and the keys the incident names at all (family roots included).
        self.products = {
            k for k, ids in self.ids.items() if any(self.etype.get(i) == "PRODUCT" for i in ids)
        }
        self.named = set(self.ids)

    @cached_property
    def article_makers(self) -> dict[str, str]:
        """Product key -> the organisation most articles name as its owner."""
        return self._vote(lambda ak: ak.makers)

    @cached_property
    def article_employers(self) -> dict[str, str]:
        """Person key -> the organisation most articles name them an officer of."""
        return self._vote(lambda ak: ak.employers)

    def _vote(self, of: Callable[[ArticleKeys], dict[str, str]]) -> dict[str, str]:
        votes: dict[str, Counter[str]] = defaultdict(Counter)
        for ak in self.akeys.values():
            for k, v in of(ak).items():
                votes[k][v] += 1
        return {k: max(c.items(), key=lambda kv: (kv[1], kv[0]))[0] for k, c in votes.items()}

    def key(self, a: ArticleRecord, entity_id: str | None, name: str | None) -> str | None:
        return self.akeys[a.article_id].of(entity_id, name)

    def side(self, a: ArticleRecord, entity_id: str | None, name: str | None) -> str | None:
        """A claim side's key; none for a public officer or a side's speaker (see ArticleKeys)."""
        return self.akeys[a.article_id].side(entity_id, name)

    def officer(self, a: ArticleRecord, entity_id: str | None) -> bool:
        return entity_id in self.akeys[a.article_id].officers

    def _mine(self, a: ArticleRecord, c: ClaimRef) -> bool:
        accused = self.key(a, c.accused_id, c.accused)
        if accused is not None:
            return accused in self.keys
        left = self.key(a, c.accuser_id, c.accuser) or self.key(a, c.victim_id, c.victim)
        return left is None or left in self.keys

    def name(self, k: str) -> str:
        counts = self.names.get(k)
        if not counts:
            return k
        # The longest name used by at least 60% as many articles as the commonest: "Halcyon
        # Labs" over "Halcyon", but not a garbled span from one headline.
        top = max(t[0] for t in counts)
        return max((t for t in counts if t[0] >= 0.6 * top), key=lambda t: (len(t[2]), t))[2]

    def entity_id(self, k: str) -> str | None:
        """The entity standing for a key: one named like :meth:`name`, else the commonest."""
        counts = self.ids.get(k)
        if not counts:
            return None
        wanted = self.name(k)
        named = {i: n for i, n in counts.items() if self.id_name.get(i) == wanted}
        pool = named or counts
        return max(pool.items(), key=lambda kv: (kv[1], not kv[0].startswith("new:"), kv[0]))[0]

    # -- parts ------------------------------------------------------------------------------
    def dominant(self) -> tuple[str | None, str | None, str | None]:
        """(accuser key, accused key, claim type) of the dominant claim.

        The accused is voted first: each article votes once for each party its claims accuse,
        and once more for the one its first claim accuses (its lead is the story it reports;
        later paragraphs give background, such as other suits against the same company). Then
        the accuser (or victim) most often named against that accused, the lead's counting
        twice. An accused named by many
        articles is not outvoted by one article's claim that happens to name both sides. Denials
        vote only when nothing else does (the extraction often flips their roles).
        """
        accused_votes: Counter[str | None] = Counter()
        left_votes: dict[str | None, Counter[str]] = defaultdict(Counter)
        types: dict[str, float] = defaultdict(float)
        claims = [ac for ac in self.claims if ac[1].stance != "denied"] or self.claims
        voted: dict[int, set[str | None]] = defaultdict(set)
        lefts_voted: dict[int, set[tuple[str | None, str]]] = defaultdict(set)
        for a, c in sorted(claims, key=lambda ac: (ac[0].article_id, ac[1].sentence_index)):
            keys = self.akeys[a.article_id]
            accused = keys.accused(c) or keys.suspect(c)
            if (
                accused is None
                and self.side(a, c.accused_id, c.accused) is None
                and (c.accused_id or c.accused)
            ):
                continue  # an officer or a speaker put in the accused's place
            # A prosecutor brings the charges but is no side of the dispute: the victim is.
            left = next(
                (
                    k
                    for eid, name in ((c.accuser_id, c.accuser), (c.victim_id, c.victim))
                    if not self._agency(eid, name) and (k := self.side(a, eid, name))
                ),
                None,
            )
            left, accused = self._org(left, side=True), self._org(accused)
            if left and accused and self.cfg.family_of(left) == self.cfg.family_of(accused):
                left = None  # a company is not its own accuser (a product named as the victim)
            mine, lead = voted[a.article_id], not voted[a.article_id]
            if accused not in mine:
                accused_votes[accused] += 2 if lead else 1
                mine.add(accused)
            if left and (accused, left) not in lefts_voted[a.article_id]:
                left_votes[accused][left] += 2 if lead else 1
                lefts_voted[a.article_id].add((accused, left))
            types[c.type] += 1 + self.cfg.type_severity.get(c.type, 1) / 10
        if not accused_votes:
            return None, None, None
        # A named accused over none; then the most votes.
        accused = max(accused_votes.items(), key=lambda kv: (kv[0] is not None, kv[1], str(kv[0])))[
            0
        ]
        lefts = left_votes.get(accused) or Counter()
        if not lefts and accused is None:
            lefts = sum(left_votes.values(), Counter())
        left = max(lefts.items(), key=lambda kv: (kv[1], kv[0]))[0] if lefts else None
        ctype = max(types.items(), key=lambda kv: (kv[1], kv[0]))[0]
        return left, accused, ctype

    def _org(self, k: str | None, *, side: bool = False) -> str | None:
        """The party a key stands for in the incident: a person who works for an organisation
        named in it stands for that organisation, and so does a product it makes.

        "OpenAI sued" and "Sam Altman sued" (its chief executive) are one side, and "Lumo
        copies lyrics" (Brightwave's chatbot) accuses Brightwave; the title names the
        organisation over its officers and its products. With ``side`` (an accuser or a
        victim), an officer the articles name by title ("Tarn Books president Olu Bisi")
        stands for the organisation too; an accused person is never folded into a company by
        the articles' words (an engineer accused of taking his employer's files).
        """
        if k is None:
            return None
        org = self.cfg.person_org.get(k)
        if org and org in self.keys:
            return org
        if side:
            org = self.article_employers.get(k)
            if org and org in self.named:
                return org
        return self.maker(k)

    def maker(self, k: str) -> str:
        """The organisation a product key belongs to when the incident names it, else the key.

        From the knowledge base (a product's ``parent``) or from the articles ("Brightwave's
        Lumo chatbot"); an organisation's own units stay themselves.
        """
        if k not in self.products:
            return k
        root = self.cfg.family_of(k)
        if root != k and root in self.named:
            return root
        return self.article_makers.get(k, k)

    def _agency(self, entity_id: str | None, name: str | None) -> bool:
        """Whether a claim party is a prosecutor, an agency or a court (never a victim)."""
        if entity_id and entity_id in self.officer_ids:
            return True
        if entity_id and self.etype.get(entity_id) == "GOV":
            return True
        words = set(re.findall(r"[a-z]+", (name or self.id_name.get(entity_id or "", "")).lower()))
        return bool(words & (self.cfg.agency_words | self.cfg.court_words))

    def victim(self, accused: str | None) -> str | None:
        """The commonest victim named against the accused: whose secrets were taken.

        A prosecutor or a court that the extraction put in the victim's (or accuser's) place is
        skipped: "charged with stealing trade secrets from <the U.S. attorney>" is wrong.
        """
        counts: Counter[str] = Counter()
        for a, c in self.claims:
            if c.stance == "denied" or self._org(self.side(a, c.accused_id, c.accused)) != accused:
                continue
            for eid, name in ((c.victim_id, c.victim), (c.accuser_id, c.accuser)):
                k = self._org(self.side(a, eid, name), side=True)
                if k and k != accused and not self._agency(eid, name):
                    counts[k] += 1
                    break
        return max(counts.items(), key=lambda kv: (kv[1], kv[0]))[0] if counts else None

    def title(self, status: str | None, reached: frozenset[str] = frozenset()) -> str:
        """The incident's parties and type, in the words of its most telling stage.

        A criminal case (charged at some stage) is "<accused> charged with <…> from <victim>",
        even after a ruling; a suit is "<accuser> sues <accused> over <…>"; an accusation
        "<accuser> accuses <accused> of <…>".
        """
        left, accused, ctype = self.dominant()
        if ctype is None:
            lead = max(self.articles, key=lambda a: (a.is_relevant, a.relevance, -a.article_id))
            return lead.title or "Untitled incident"
        phrase = self.cfg.title_phrases.get(ctype, {})
        accuser_name = self.name(left) if left else None
        accused_name = self.name(accused) if accused else None
        if (status == "charged" or "charged" in reached) and accused_name:
            # Whose secrets were taken; else the side the incident's claims name against the
            # accused (the dominant accuser, never an agency: see dominant()).
            victim = self.victim(accused) or left
            whom = f" from {self.name(victim)}" if victim else ""
            return f"{accused_name} charged with {phrase.get('charged', ctype)}{whom}"
        if accuser_name and accused_name:
            if status in ("lawsuit", "ruling", "settled", "dismissed"):
                return f"{accuser_name} sues {accused_name} over {phrase.get('over', ctype)}"
            return f"{accuser_name} accuses {accused_name} of {phrase.get('accuse', ctype)}"
        label = self.cfg.type_label.get(ctype, ctype)
        who = accused_name or accuser_name
        if who and "alone" in phrase:
            whose = f"{who}'" if who.endswith("s") else f"{who}'s"
            return phrase["alone"].format(who=who, whose=whose)
        return f"{label} involving {who}" if who else label

    def parties(self) -> list[Party]:
        roles: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
        first: dict[str, tuple[dt.datetime, int]] = {}
        # Denials often flip the roles (the denier parsed as accuser): they name parties only
        # when nothing else does.
        claims = [ac for ac in self.claims if ac[1].stance != "denied"] or self.claims
        for a, c in claims:
            weight = 1.0
            sides = (
                (c.accuser_id, c.accuser, "accuser"),
                (c.accused_id, c.accused, "accused"),
                (c.victim_id, c.victim, "victim"),
            )
            for eid, name, role in sides:
                # A prosecutor or judge named in a side's place investigates or rules; a side's
                # lawyer or spokesperson is no party of its own.
                k = self.side(a, eid, name)
                if role == "accused" and k and k == self.side(a, c.victim_id, c.victim):
                    continue  # "X was hacked": X is the victim, named below
                if k is None and self.officer(a, eid):
                    k, role = self.key(a, eid, name), "investigator"
                elif k is not None and role == "accused":
                    k = self.maker(k)  # a product named for its maker
                elif k is not None:
                    k = self._org(k, side=True)  # an officer or a product for the organisation
                if k and self.entity_id(k):
                    roles[k][role] += weight
                    first.setdefault(k, (a.published_at, a.article_id))
            suspect = self.akeys[a.article_id].suspect(c)
            if suspect and self.entity_id(self.maker(suspect)):
                # The one party the sentence of a claim naming no culprit points at.
                roles[self.maker(suspect)]["accused"] += weight
                first.setdefault(self.maker(suspect), (a.published_at, a.article_id))
        out: list[Party] = []
        seen: set[str] = set()
        for k, counts in roles.items():
            role = max(counts.items(), key=lambda kv: (kv[1], kv[0]))[0]
            if role == "victim" and counts.get("accuser"):
                role = "accuser"
            eid = self.entity_id(k)
            assert eid is not None
            if role in ("victim", "accuser") and self._agency(eid, self.name(k)):
                role = "investigator"  # a prosecutor or a court is never a side's victim
            seen.add(k)
            out.append(Party(eid, self.name(k), role, *first[k]))
        out.extend(self._bystanders(seen))
        return sorted(out, key=lambda p: (p.role, p.first_seen_at, p.entity_id))

    def _bystanders(self, seen: set[str]) -> list[Party]:
        """Investigators (agencies named in two articles, or with an investigation) and courts."""
        counts: Counter[str] = Counter()
        types: dict[str, str] = {}
        first: dict[str, tuple[dt.datetime, int]] = {}
        for a in self.articles:
            for e in a.entities:
                if e.type not in self.cfg.party_types:
                    continue
                words = set(re.findall(r"[a-z]+", e.name.lower()))
                kind = (
                    "other"
                    if words & self.cfg.court_words
                    else "investigator"
                    if words & self.cfg.agency_words or e.type == "GOV"
                    else None
                )
                if kind is None:
                    continue
                counts[f"{kind}|{e.id}"] += 1
                types[e.id] = e.type
                first.setdefault(f"{kind}|{e.id}", (a.published_at, a.article_id))
        out = []
        names = {e.id: e.name for a in self.articles for e in a.entities}
        for tag, n in sorted(counts.items()):
            kind, eid = tag.split("|", 1)
            if (n >= 2 or len(self.articles) == 1) and entity_key(
                eid, names[eid], self.cfg, types[eid]
            ) not in seen:
                out.append(Party(eid, names[eid], kind, *first[tag]))
        return out

    def timeline(self) -> list[TimelineStep]:
        steps: list[TimelineStep] = []
        reached: set[str] = set()
        for a, c in self.claims:
            for status in (_STANCE_STEP.get(c.stance), c.legal_status):
                if status and status not in reached:
                    reached.add(status)
                    steps.append(
                        TimelineStep(
                            status,
                            a.published_at,
                            a.article_id,
                            a.url,
                            c.sentence.strip(),
                            c.claim_id,
                        )
                    )
        return sorted(
            steps,
            key=lambda s: (
                s.occurred_at,
                STATUS_ORDER.index(s.status) if s.status in STATUS_ORDER else 99,
            ),
        )

    def summary(self, limit: int = 3) -> list[SummarySentence]:
        """The first claim sentence of each new step, then other early claim sentences."""
        picked: list[SummarySentence] = []
        seen_text: set[str] = set()
        ranked = sorted(
            self.claims,
            key=lambda ac: (ac[1].stance == "denied", ac[1].sentence_index, ac[0].published_at),
        )
        steps = {s.sentence for s in self.timeline()}
        ordered = [ac for ac in self.claims if ac[1].sentence.strip() in steps] + ranked
        for a, c in ordered:
            text = " ".join(c.sentence.split())
            if not text or text.lower() in seen_text or len(text) < 30:
                continue
            seen_text.add(text.lower())
            picked.append(SummarySentence(text, a.article_id, a.url, a.outlet))
            if len(picked) >= limit:
                break
        if not picked and self.articles:
            a = self.articles[0]
            first = re.split(r"(?<=[.!?])\s+", a.text.strip(), maxsplit=1)[0]
            picked.append(SummarySentence(first or a.title, a.article_id, a.url, a.outlet))
        return picked


def build_record(
    articles: Sequence[ArticleRecord],
    keys: frozenset[str],
    cfg: ClusterConfig,
    now: dt.datetime,
    *,
    dormant_days: float = 30.0,
    facets: Sequence[Facet] = (),
) -> IncidentRecord:
    """Build the record of one incident from its member articles.

    Args:
        articles: the member articles (originals; their near-duplicate copies in ``copies``).
        keys: the entity keys of the incident's facets (claims about others are not its own:
            a round-up article tells several stories).
        cfg: the clustering configuration.
        now: the reference time for recency and dormancy.
        dormant_days: no article for this long makes an open incident dormant.
        facets: the incident's facets, to explain its merges (none: no explanation).
    """
    b = _Builder(articles, keys, cfg)
    timeline = b.timeline()
    legal = [s.status for s in timeline if s.status not in ("alleged", "denied", "confirmed")]
    legal_status = max(legal, key=STATUS_ORDER.index) if legal else None
    first_seen = b.articles[0].published_at
    last_seen = max(
        [a.published_at for a in b.articles]
        + [c.published_at for a in b.articles for c in a.copies]
    )
    outlets = {a.outlet or a.url for a in b.articles} | {
        c.outlet or c.url for a in b.articles for c in a.copies
    }
    sources = len(b.articles) + sum(len(a.copies) for a in b.articles)
    claim_types = sorted({c.type for _, c in b.claims})
    severity = max((cfg.type_severity.get(t, 1) for t in claim_types), default=1)
    weight = max((cfg.status_weight.get(s.status, 1) for s in timeline), default=1)
    status = (
        "closed"
        if legal_status in _FINAL
        else "dormant"
        if (now - last_seen).total_seconds() > dormant_days * 86400
        else "open"
    )
    left, accused, ctype = b.dominant()
    slug_words = [b.name(k) for k in (left, accused) if k] or [b.articles[0].title]
    slug_base = slugify(f"{first_seen:%Y-%m} {' '.join(slug_words)} {ctype or ''}", 70)
    return IncidentRecord(
        title=b.title(legal_status, frozenset(s.status for s in timeline)),
        slug_base=slug_base,
        summary=tuple(b.summary()),
        parties=tuple(b.parties()),
        claim_types=tuple(claim_types),
        timeline=tuple(timeline),
        first_seen_at=first_seen,
        last_seen_at=last_seen,
        article_ids=tuple(a.article_id for a in b.articles),
        claim_ids=tuple(c.claim_id for _, c in b.claims if c.claim_id is not None),
        article_count=len(b.articles),
        source_count=sources,
        outlet_count=len(outlets),
        legal_status=legal_status,
        status=status,
        score=rank_score(
            last_seen_at=last_seen,
            now=now,
            source_count=sources,
            outlet_count=len(outlets),
            severity=severity,
            legal_weight=weight,
        ),
        merges=tuple(explain_merges(facets, cfg, b.name)),
    )
