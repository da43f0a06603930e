"""Pure scoring of NLP predictions against gold annotations (no spaCy, no ipwire imports).

Both sides are plain dicts in the ``ipwire extract`` JSON schema: ``relevant``, ``entities``
(``name``, ``type``, ``aliases``), ``claims`` (``type``, ``accuser``, ``accused``, ``victim``,
``speaker``, ``stance``, ``legal_status``), ``roles`` (``person``, ``title``, ``org``) and
``quotes`` (``speaker``, ``text``, ``direct``). The matching rules are the ones written down in
``tests/data/nlp_dev/README.md``; keep the two in step.

Names are compared after :func:`normalise_name`, and a predicted name also matches a gold entity
through any of the gold entity's aliases (surface variants that occur in the article), so that
"the Times" or "Sacks" count as the entity they refer to. Every count is micro-averaged over
articles.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz

from nlp.types import ENTITY_TYPES as ENTITY_TYPES  # re-exported for callers

# A role title matches when rapidfuzz's token_set_ratio reaches this: "chief legal officer" vs
# "legal chief" pass, "spokesperson" vs "chief executive" do not.
TITLE_FUZZ_THRESHOLD = 60.0
# Two quote texts are the same quote when this share of the shorter one's words is in the other
# (quotes spanning paragraphs may come back as two pieces; each piece still matches).
QUOTE_OVERLAP_THRESHOLD = 0.6

_SUFFIXES = {"inc", "corp", "corporation", "ltd", "llc", "plc", "co", "gmbh", "ag", "sa", "limited"}
_Obj = Mapping[str, Any]


def normalise_name(name: str | None) -> str:
    """Fold a name for comparison: case, curly quotes, possessive, leading "the", suffixes.

    Args:
        name: an entity name or surface form (``None`` gives ``""``).

    Returns:
        Lower-case words separated by single spaces, e.g. ``"The New York Times's"`` ->
        ``"new york times"`` and ``"Acme Corp."`` -> ``"acme"``.
    """
    if not name:
        return ""
    text = unicodedata.normalize("NFKC", name).replace("\u2019", "'").lower().strip()
    text = re.sub(r"'s?$", "", text)
    text = re.sub(r"[^\w]+", " ", text).strip()
    words = text.split()
    if words and words[0] == "the" and len(words) > 1:
        words = words[1:]
    while len(words) > 1 and words[-1] in _SUFFIXES:
        words = words[:-1]
    return " ".join(words)


def _variants(obj: _Obj | None, name: str | None) -> set[str]:
    out = {normalise_name(name)}
    if obj is not None:
        out.add(normalise_name(obj.get("name")))
        out.update(normalise_name(a) for a in obj.get("aliases") or ())
    out.discard("")
    return out


class NameIndex:
    """Resolves names in claims/roles/quotes to the entity objects of one side of an article."""

    def __init__(self, entities: Iterable[_Obj]) -> None:
        self._by_name: dict[str, _Obj] = {}
        for ent in entities:
            self._by_name.setdefault(normalise_name(ent.get("name")), ent)

    def canonical(self, name: str) -> str:
        """The normalised canonical name of the entity called ``name`` (or ``name`` itself)."""
        ent = self._by_name.get(normalise_name(name))
        return normalise_name(ent.get("name")) if ent is not None else normalise_name(name)

    def variants(self, name: str | None) -> set[str]:
        """All normalised names the entity called ``name`` goes by (just ``name`` if unknown)."""
        if not name:
            return set()
        return _variants(self._by_name.get(normalise_name(name)), name)


def same_entity(
    pred: str | None, gold: str | None, pred_index: NameIndex, gold_index: NameIndex
) -> bool:
    """Whether a predicted name denotes the gold entity (both ``None`` also counts as a match).

    A match is: the predicted name is one of the gold entity's names or aliases, or the gold
    canonical name is one of the predicted entity's names or aliases.
    """
    if not pred or not gold:
        return not pred and not gold
    if normalise_name(pred) in gold_index.variants(gold):
        return True
    return normalise_name(gold) in pred_index.variants(pred)


@dataclass
class PRF:
    """True positives, false positives and false negatives of one category."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: PRF) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    def as_dict(self) -> dict[str, float | int]:
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
        }


@dataclass
class Accuracy:
    """Correct out of total for an attribute judged on matched items."""

    correct: int = 0
    total: int = 0

    @property
    def value(self) -> float:
        return self.correct / self.total if self.total else 0.0

    def add(self, other: Accuracy) -> None:
        self.correct += other.correct
        self.total += other.total

    def as_dict(self) -> dict[str, float | int]:
        return {"correct": self.correct, "total": self.total, "accuracy": round(self.value, 4)}


@dataclass
class ArticleScore:
    """Counts for one article and a human-readable list of its errors."""

    name: str
    prf: dict[str, PRF] = field(default_factory=dict)
    acc: dict[str, Accuracy] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    claims_by_type: dict[str, PRF] = field(default_factory=dict)


def _match(
    gold: Sequence[_Obj], pred: Sequence[_Obj], same: Any
) -> tuple[list[tuple[_Obj, _Obj]], list[_Obj], list[_Obj]]:
    """One-to-one greedy matching in gold order; returns pairs, unmatched gold, unmatched pred."""
    free = list(pred)
    pairs: list[tuple[_Obj, _Obj]] = []
    missed: list[_Obj] = []
    for g in gold:
        hit = next((p for p in free if same(p, g)), None)
        if hit is None:
            missed.append(g)
        else:
            free.remove(hit)
            pairs.append((g, hit))
    return pairs, missed, free


def _entities(gold: _Obj, pred: _Obj, score: ArticleScore) -> None:
    g_ents = list(gold.get("entities") or ())
    p_ents = list(pred.get("entities") or ())

    def same_named(p: _Obj, g: _Obj) -> bool:
        p_name, g_name = normalise_name(p.get("name")), normalise_name(g.get("name"))
        return p_name in _variants(g, None) or g_name in _variants(p, None)

    # Exact-name pairs first, so that an alias match cannot steal the entity a better one names.
    def exact(p: _Obj, g: _Obj) -> bool:
        return normalise_name(p.get("name")) == normalise_name(g.get("name"))

    for label, typed in (("entities", True), ("entities_name_only", False)):
        prf = PRF()
        rest_g, rest_p = g_ents, p_ents
        all_pairs = []
        for rule in (exact, same_named):

            def ok(p: _Obj, g: _Obj, rule: Any = rule, typed: bool = typed) -> bool:
                return rule(p, g) and (not typed or p.get("type") == g.get("type"))

            pairs, rest_g, rest_p = _match(rest_g, rest_p, ok)
            all_pairs += pairs
        prf.tp, prf.fn, prf.fp = len(all_pairs), len(rest_g), len(rest_p)
        score.prf[label] = prf
        if typed:
            score.errors += [f"entity missed: {g['name']} ({g.get('type')})" for g in rest_g]
            score.errors += [f"entity spurious: {p['name']} ({p.get('type')})" for p in rest_p]


def _dominant(values: Iterable[str | None]) -> str | None:
    """The most frequent non-null value, earliest first on ties; ``None`` when all are null."""
    counts = Counter(v for v in values if v)
    return counts.most_common(1)[0][0] if counts else None


def _group_claims(claims: Iterable[_Obj], index: NameIndex) -> list[dict[str, Any]]:
    """Collapse sentence-level claims into one per (type, accused entity) with dominant fields."""
    groups: dict[tuple[str, str], list[_Obj]] = {}
    for c in claims:
        accused = c.get("accused")
        key = (str(c.get("type")), index.canonical(accused) if accused else "")
        groups.setdefault(key, []).append(c)
    out = []
    for items in groups.values():
        merged: dict[str, Any] = {"type": items[0].get("type"), "accused": items[0].get("accused")}
        for attr in ("accuser", "victim", "speaker", "stance", "legal_status"):
            merged[attr] = _dominant(c.get(attr) for c in items)
        out.append(merged)
    return out


def match_claims(
    gold: _Obj,
    pred: _Obj,
    gi: NameIndex,
    pi: NameIndex,
    score: Any,
    attrs: Sequence[str] = ("accuser", "victim", "speaker", "stance", "legal_status"),
) -> None:
    """Claims matched on (type, accused), attributes judged on the matches; fills ``score``.

    A gold claim may list ``alt_types`` (other types a careful reader could defend): exact types
    are matched first, so that an alternative cannot take a claim another one names exactly.
    ``score`` is anything with ``prf``, ``acc``, ``claims_by_type`` and ``errors``.
    """
    g_claims = list(gold.get("claims") or ())
    p_claims = _group_claims(pred.get("claims") or (), pi)

    def exact(p: _Obj, g: _Obj) -> bool:
        return p["type"] == g.get("type") and same_entity(p["accused"], g.get("accused"), pi, gi)

    def alternative(p: _Obj, g: _Obj) -> bool:
        return p["type"] in (g.get("alt_types") or ()) and same_entity(
            p["accused"], g.get("accused"), pi, gi
        )

    pairs, rest_g, rest_p = _match(g_claims, p_claims, exact)
    more, missed, spurious = _match(rest_g, rest_p, alternative)
    pairs += more
    score.prf["claims"] = PRF(tp=len(pairs), fp=len(spurious), fn=len(missed))
    for items, slot in ((pairs, "tp"), (spurious, "fp"), (missed, "fn")):
        for item in items:
            ctype = str((item[0] if isinstance(item, tuple) else item).get("type"))
            prf = score.claims_by_type.setdefault(ctype, PRF())
            setattr(prf, slot, getattr(prf, slot) + 1)
    score.errors += [
        f"claim missed: {g['type']} accused={g.get('accused')}"
        + (f" accuser={g.get('accuser')}" if "alt_types" in g else "")
        for g in missed
    ]
    score.errors += [
        f"claim spurious: {p['type']} accused={p['accused']} accuser={p['accuser']}"
        for p in spurious
    ]
    for attr in attrs:
        acc = Accuracy()
        for g, p in pairs:
            if attr in ("stance", "legal_status"):
                ok = p[attr] == g.get(attr)
            else:
                ok = same_entity(p[attr], g.get(attr), pi, gi)
            acc.total += 1
            acc.correct += ok
            if not ok:
                score.errors.append(
                    f"claim {attr} wrong: {g['type']}/{g.get('accused')}: "
                    f"got {p[attr]!r}, gold {g.get(attr)!r}"
                )
        score.acc[attr] = acc


def _roles(gold: _Obj, pred: _Obj, gi: NameIndex, pi: NameIndex, score: ArticleScore) -> None:
    g_roles = list(gold.get("roles") or ())
    p_roles = list(pred.get("roles") or ())

    def holder(p: _Obj, g: _Obj) -> bool:
        return same_entity(p.get("person"), g.get("person"), pi, gi) and same_entity(
            p.get("org"), g.get("org"), pi, gi
        )

    def titled(p: _Obj, g: _Obj) -> bool:
        ratio = fuzz.token_set_ratio((p.get("title") or "").lower(), (g.get("title") or "").lower())
        return holder(p, g) and ratio >= TITLE_FUZZ_THRESHOLD

    pairs, missed, spurious = _match(g_roles, p_roles, titled)
    score.prf["roles"] = PRF(tp=len(pairs), fp=len(spurious), fn=len(missed))
    loose, _, _ = _match(g_roles, p_roles, holder)
    score.prf["roles_person_org"] = PRF(
        tp=len(loose), fp=len(p_roles) - len(loose), fn=len(g_roles) - len(loose)
    )
    score.errors += [
        f"role missed: {g['person']} / {g.get('title')} / {g.get('org')}" for g in missed
    ]
    score.errors += [
        f"role spurious: {p.get('person')} / {p.get('title')} / {p.get('org')}" for p in spurious
    ]


def _words(text: str | None) -> set[str]:
    return set(re.findall(r"\w+", unicodedata.normalize("NFKC", text or "").lower()))


def quote_overlap(a: str | None, b: str | None) -> float:
    """Share of the shorter text's distinct words that also occur in the other text."""
    wa, wb = _words(a), _words(b)
    if not wa or not wb:
        return 0.0
    return len(wa & wb) / min(len(wa), len(wb))


def _quotes(gold: _Obj, pred: _Obj, gi: NameIndex, pi: NameIndex, score: ArticleScore) -> None:
    g_quotes = list(gold.get("quotes") or ())
    p_quotes = list(pred.get("quotes") or ())
    found, speaker, direct, direct_speaker = PRF(), PRF(), PRF(), PRF()
    for g in g_quotes:
        hits = [
            p
            for p in p_quotes
            if quote_overlap(p.get("text"), g.get("text")) >= QUOTE_OVERLAP_THRESHOLD
        ]
        right = any(same_entity(p.get("speaker"), g.get("speaker"), pi, gi) for p in hits)
        found.tp += bool(hits)
        found.fn += not hits
        speaker.tp += right
        speaker.fn += not right
        if g.get("direct"):
            direct.tp += bool(hits)
            direct.fn += not hits
            direct_speaker.tp += right
            direct_speaker.fn += not right
        if not right:
            got = sorted({str(p.get("speaker")) for p in hits}) if hits else "no quote found"
            score.errors.append(
                f"quote speaker missed: gold {g.get('speaker')!r}, got {got}: "
                f"{g.get('text', '')[:60]!r}"
            )
    # Predicted quotes that overlap no gold quote: a precision signal only, since indirect
    # speech is annotated selectively (README), so this is not part of the headline numbers.
    found.fp = sum(
        not any(
            quote_overlap(p.get("text"), g.get("text")) >= QUOTE_OVERLAP_THRESHOLD for g in g_quotes
        )
        for p in p_quotes
    )
    score.prf.update(
        quotes=found,
        quote_speaker=speaker,
        quotes_direct=direct,
        quote_speaker_direct=direct_speaker,
    )


def score_article(name: str, gold: _Obj, pred: _Obj) -> ArticleScore:
    """Score one article's prediction against its gold annotation.

    Args:
        name: the article's file stem, used in error messages.
        gold: the gold dict (dev-set schema).
        pred: the prediction dict (``ipwire extract`` schema).

    Returns:
        The article's per-category counts and its error list.
    """
    score = ArticleScore(name)
    gi = NameIndex(gold.get("entities") or ())
    pi = NameIndex(pred.get("entities") or ())
    _entities(gold, pred, score)
    match_claims(gold, pred, gi, pi, score)
    _roles(gold, pred, gi, pi, score)
    _quotes(gold, pred, gi, pi, score)
    ok = bool(pred.get("relevant")) == bool(gold.get("relevant"))
    score.acc["relevance"] = Accuracy(correct=int(ok), total=1)
    rel = PRF()
    if gold.get("relevant"):
        rel.tp, rel.fn = int(ok), int(not ok)
    else:
        rel.fp = int(not ok)
    score.prf["relevance"] = rel
    if not ok:
        score.errors.append(
            f"relevance wrong: got {bool(pred.get('relevant'))} ({pred.get('relevance')}), "
            f"gold {gold.get('relevant')}"
        )
    return score


# The acceptance targets, by dotted metric key.
TARGETS: dict[str, float] = {
    "entities.f1": 0.95,
    "claims.f1": 0.85,
    "accuser.accuracy": 0.90,
    "roles.recall": 0.85,
    "quote_speaker.recall": 0.85,
    "relevance.accuracy": 0.95,
}


@dataclass
class Totals:
    """Micro-averaged totals: each article's counts summed per category, and the articles."""

    prf: dict[str, PRF] = field(default_factory=dict)
    acc: dict[str, Accuracy] = field(default_factory=dict)
    claims_by_type: dict[str, PRF] = field(default_factory=dict)
    articles: list[ArticleScore] = field(default_factory=list)

    def add(self, art: ArticleScore) -> None:
        """Count one scored article in."""
        self.articles.append(art)
        for k, prf in art.prf.items():
            self.prf.setdefault(k, PRF()).add(prf)
        for k, acc in art.acc.items():
            self.acc.setdefault(k, Accuracy()).add(acc)
        for k, prf in art.claims_by_type.items():
            self.claims_by_type.setdefault(k, PRF()).add(prf)


@dataclass
class Report(Totals):
    """Micro-averaged totals over all scored articles, plus each article's score."""

    def metric(self, key: str) -> float:
        """A metric by dotted key, e.g. ``"claims.f1"`` or ``"accuser.accuracy"``."""
        group, stat = key.split(".")
        if stat == "accuracy":
            return self.acc[group].value if group in self.acc else 0.0
        return float(getattr(self.prf[group], stat)) if group in self.prf else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "articles": len(self.articles),
            "prf": {k: v.as_dict() for k, v in self.prf.items()},
            "accuracy": {k: v.as_dict() for k, v in self.acc.items()},
            "claims_by_type": {k: v.as_dict() for k, v in sorted(self.claims_by_type.items())},
            "targets": {
                k: {"target": t, "value": round(self.metric(k), 4), "met": self.metric(k) >= t}
                for k, t in TARGETS.items()
            },
            "errors": {a.name: a.errors for a in self.articles if a.errors},
        }


def score_corpus(pairs: Iterable[tuple[str, _Obj, _Obj]]) -> Report:
    """Score ``(name, gold, prediction)`` triples and sum their counts (micro-average)."""
    report = Report()
    for name, gold, pred in pairs:
        report.add(score_article(name, gold, pred))
    return report
