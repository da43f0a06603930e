"""Synthetic article corpora with known incidents, for the clustering benchmark and tests.

Deterministic for a seed. The shape imitates the news: a few hub organisations (big labs) are
parties to many incidents and are named in passing everywhere; each incident has its own
accuser, accused, people and vocabulary and is covered by several articles over weeks; some
articles are round-ups of two incidents; non-relevant articles mention the hubs and the
incidents' companies; names vary between articles the way the NLP's do (``Acme Labs`` /
``Acme``, ``Acme A.I.`` / ``Acme AI``).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from nlp.incidents.features import ArticleRecord, ClaimRef, EntityRef, MentionRef

__all__ = ["SyntheticCorpus", "make_corpus"]

_TYPES = ("distillation", "copyright_infringement", "trade_secret_theft", "tos_violation",
          "leak", "scraping", "data_theft")  # fmt: skip
_SYL = ("ka", "lo", "mi", "ra", "ven", "dor", "sel", "tri", "qua", "zen", "bor", "lux", "ner",
        "pha", "tor", "vik", "mar", "sol", "gri", "fen", "hal", "cy", "on", "quil")  # fmt: skip
_SUFFIX = ("Labs", "AI", "Intelligence", "Media Group", "Data", "Systems")


@dataclass(frozen=True)
class _Incident:
    id: str
    accuser: str
    accused: str
    person: str
    product: str
    type: str
    words: list[str]
    t0: dt.datetime
    size: int


@dataclass(frozen=True)
class SyntheticCorpus:
    """Articles in publication order and the gold incident ids of each article."""

    articles: list[ArticleRecord]
    gold: dict[int, set[str]]


def _name(rng: random.Random, used: set[str]) -> str:
    while True:
        word = "".join(rng.choice(_SYL) for _ in range(rng.randint(2, 4))).capitalize()
        if word not in used:
            used.add(word)
            return word


def _word(rng: random.Random) -> str:
    """A vocabulary word (words may repeat across incidents, as in real text)."""
    return "".join(rng.choice(_SYL) for _ in range(rng.randint(3, 4)))


def _org(rng: random.Random, used: set[str]) -> str:
    return f"{_name(rng, used)} {rng.choice(_SUFFIX)}"


def _slug(name: str) -> str:
    return "new:" + "-".join(name.lower().replace(".", "").split())


def make_corpus(
    n_articles: int, *, seed: int = 7, days: int = 365, start: dt.datetime | None = None
) -> SyntheticCorpus:
    """A corpus of about ``n_articles`` articles (≈ 80% about incidents).

    Args:
        n_articles: how many articles.
        seed: random seed (same seed, same corpus).
        days: the time span the incidents start in.
        start: the first day (default 2026-01-01 UTC).
    """
    rng = random.Random(seed)
    start = start or dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    used: set[str] = set()
    hubs = [_name(rng, used) + " " + rng.choice(_SUFFIX) for _ in range(12)]
    common = sorted({_word(rng) for _ in range(3000)})
    articles: list[ArticleRecord] = []
    gold: dict[int, set[str]] = {}
    incidents: list[_Incident] = []
    n_incident_articles = int(n_articles * 0.8)
    while sum(i.size for i in incidents) < n_incident_articles:
        accuser = rng.choice(hubs) if rng.random() < 0.3 else _org(rng, used)
        accused = rng.choice(hubs) if rng.random() < 0.4 else _org(rng, used)
        if accused == accuser:
            continue
        incidents.append(
            _Incident(
                id=f"inc{len(incidents)}",
                accuser=accuser,
                accused=accused,
                person=f"{_name(rng, used)} {_name(rng, used)}",
                product=f"{_name(rng, used)}-{rng.randint(2, 9)}",
                type=rng.choice(_TYPES),
                words=[_word(rng) for _ in range(40)],
                t0=start + dt.timedelta(days=rng.uniform(0, days)),
                size=rng.randint(3, 15),
            )
        )
    specs: list[tuple[dt.datetime, list[_Incident], bool]] = []
    for inc in incidents:
        for k in range(inc.size):
            later = dt.timedelta(days=rng.expovariate(1 / 6)) if k else dt.timedelta()
            specs.append((inc.t0 + later, [inc], True))
    for _ in range(n_articles // 50):  # round-ups of two incidents of the same weeks
        a = rng.choice(incidents)
        near = [i for i in incidents if i is not a and abs((i.t0 - a.t0).days) < 20]
        if near:
            specs.append((a.t0 + dt.timedelta(days=3), [a, rng.choice(near)], True))
    while len(specs) < n_articles:  # non-relevant: hubs, a company in passing, common words
        inc = rng.choice(incidents)
        specs.append((inc.t0 + dt.timedelta(days=rng.uniform(-30, 30)), [inc], False))
    specs.sort(key=lambda s: (s[0], [i.id for i in s[1]]))
    for n, (when, incs, relevant) in enumerate(specs, start=1):
        articles.append(_article(rng, n, when, incs, relevant, hubs, common))
        gold[n] = {i.id for i in incs} if relevant else set()
    return SyntheticCorpus(articles, gold)


def _variant(rng: random.Random, name: str) -> str:
    """How the NLP may name an organisation in one article."""
    first, *rest = name.split()
    roll = rng.random()
    if roll < 0.25:
        return first
    if roll < 0.35 and rest == ["AI"]:
        return f"{first} A.I."
    return name


def _article(
    rng: random.Random,
    n: int,
    when: dt.datetime,
    incs: list[_Incident],
    relevant: bool,
    hubs: list[str],
    common: list[str],
) -> ArticleRecord:
    entities: dict[str, EntityRef] = {}
    mentions: list[MentionRef] = []
    claims: list[ClaimRef] = []
    words = rng.sample(common, 60)
    sentence = 1

    def add(name: str, type_: str, count: int, in_title: bool = False) -> str:
        nonlocal sentence
        eid = _slug(name)
        entities[eid] = EntityRef(
            eid, name, type_, entities.get(eid, EntityRef(eid, name, type_, 0)).count + count
        )
        if in_title:
            mentions.append(MentionRef(eid, 0, True))
        return eid

    for inc in incs:
        accuser = _variant(rng, inc.accuser)
        accused = _variant(rng, inc.accused)
        if not relevant:  # a passing mention of one company
            add(accused, "ORG", 1)
            mentions.append(MentionRef(_slug(accused), sentence, False))
            sentence += 1
            continue
        a_id = add(accuser, "ORG", rng.randint(1, 4), in_title=len(incs) == 1)
        d_id = add(accused, "ORG", rng.randint(1, 4), in_title=len(incs) == 1)
        p_id = add(inc.person, "PERSON", rng.randint(1, 2))
        add(inc.product, "PRODUCT", 1)
        for group in ((a_id, d_id), (p_id, a_id), (_slug(inc.product), d_id)):
            for eid in group:
                mentions.append(MentionRef(eid, sentence, False))
            sentence += 1
        words += rng.sample(inc.words, 25)
        if rng.random() < 0.85:
            stance = rng.choice(("alleged", "alleged", "denied", "confirmed"))
            legal = rng.choice((None, None, "lawsuit", "investigation"))
            claims.append(
                ClaimRef(
                    type=inc.type, stance=stance, legal_status=legal,
                    sentence=f"{accuser} said {accused} broke the rules.",
                    sentence_index=sentence - 3, accuser_id=a_id, accuser=accuser,
                    accused_id=d_id, accused=accused,
                )
            )  # fmt: skip
    for hub in rng.sample(hubs, 2):  # hubs named in passing, one sentence each
        add(hub, "ORG", 1)
        mentions.append(MentionRef(_slug(hub), sentence, False))
        sentence += 1
    title = " ".join(w.capitalize() for w in words[:8])
    return ArticleRecord(
        article_id=n,
        published_at=when,
        title=title,
        text=" ".join(words),
        relevance=rng.uniform(0.6, 1.0) if relevant else rng.uniform(0.0, 0.3),
        is_relevant=relevant,
        url=f"https://news.example/{n}",
        outlet=f"outlet{rng.randint(1, 30)}",
        entities=tuple(entities.values()),
        mentions=tuple(mentions),
        claims=tuple(claims),
    )
