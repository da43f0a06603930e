"""Scoring predictions against the real-news gold (pure: no spaCy, no ipwire imports).

It reuses the fiction set's matching rules (:mod:`nlp_scoring`: name normalisation, aliases,
claims grouped per type and accused, fuzzy role titles) and adds what real gold needs:

* **acceptable entities**: a prediction that names one is no false positive, and missing one is
  no false negative (borderline mentions, genuinely ambiguous types);
* **alternative claim types**: a claim predicted with a gold claim's ``alt_types`` matches it;
* **quote speakers** instead of quote texts (the gold holds no sentences): recall of the gold
  speakers among the predicted quotes' speakers;
* **relevance** split into incident recall, incident precision and negatives rejected, and the
  false-alarm rate over the stream sample.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz

from bench.nlp_scoring import (
    PRF,
    TITLE_FUZZ_THRESHOLD,
    Accuracy,
    ArticleScore,
    NameIndex,
    Totals,
    _match,
    _variants,
    match_claims,
    normalise_name,
    same_entity,
)

_Obj = Mapping[str, Any]

# The goals for the real-news test split, by metric key.
REAL_TARGETS: dict[str, float] = {
    "relevance.accuracy": 0.95,
    "incident_recall": 0.97,
    "false_alarm_rate": 0.02,  # at most
    "claims.f1": 0.85,
    "accuser.accuracy": 0.90,
    "entities.f1": 0.95,
    "roles.recall": 0.85,
    "quote_speaker.recall": 0.85,
}
AT_MOST = {"false_alarm_rate"}


def _names_match(p: _Obj, g: _Obj) -> bool:
    p_name, g_name = normalise_name(p.get("name")), normalise_name(g.get("name"))
    return p_name in _variants(g, None) or g_name in _variants(p, None)


def _type_ok(p: _Obj, g: _Obj) -> bool:
    return p.get("type") == g.get("type") or p.get("type") in (g.get("alt_types") or ())


def score_entities(gold: _Obj, pred: _Obj, score: ArticleScore) -> None:
    """Entity P/R/F1 on (name, type) and on name only, with acceptable entities neutral."""
    required = list(gold.get("entities") or ())
    acceptable = list(gold.get("acceptable") or ())
    predicted = list(pred.get("entities") or ())

    def exact(p: _Obj, g: _Obj) -> bool:
        return normalise_name(p.get("name")) == normalise_name(g.get("name"))

    for label, typed in (("entities", True), ("entities_name_only", False)):
        rest_g, rest_p, tp = required, predicted, 0
        for rule in (exact, _names_match):

            def ok(p: _Obj, g: _Obj, rule: Any = rule, typed: bool = typed) -> bool:
                return rule(p, g) and (not typed or _type_ok(p, g))

            pairs, rest_g, rest_p = _match(rest_g, rest_p, ok)
            tp += len(pairs)
        # A leftover prediction is neutral when it names an acceptable entity (any type). A
        # second entity for a required one ("Sacks" beside "David Sacks") stays an error: the
        # store would split that party's claims.
        spurious = [p for p in rest_p if not any(_names_match(p, a) for a in acceptable)]
        score.prf[label] = PRF(tp=tp, fp=len(spurious), fn=len(rest_g))
        if typed:
            score.errors += [f"entity missed: {g['name']} ({g.get('type')})" for g in rest_g]
            score.errors += [f"entity spurious: {p['name']} ({p.get('type')})" for p in spurious]


def score_roles(gold: _Obj, pred: _Obj, gi: NameIndex, pi: NameIndex, score: ArticleScore) -> None:
    """Role recall (and precision): person and org match, title fuzzy-matches."""
    g_roles = list(gold.get("roles") or ())
    p_roles = list(pred.get("roles") or ())

    def titled(p: _Obj, g: _Obj) -> bool:
        ratio = fuzz.token_set_ratio((p.get("title") or "").lower(), (g.get("title") or "").lower())
        return (
            same_entity(p.get("person"), g.get("person"), pi, gi)
            and same_entity(p.get("org"), g.get("org"), pi, gi)
            and ratio >= TITLE_FUZZ_THRESHOLD
        )

    pairs, missed, spurious = _match(g_roles, p_roles, titled)
    score.prf["roles"] = PRF(tp=len(pairs), fp=len(spurious), fn=len(missed))
    score.errors += [
        f"role missed: {g['person']} / {g.get('title')} / {g.get('org')}" for g in missed
    ]


def score_quote_speakers(
    gold: _Obj, pred: _Obj, gi: NameIndex, pi: NameIndex, score: ArticleScore
) -> None:
    """Recall of the gold quote speakers among the predicted quotes' speakers."""
    speakers = [q.get("speaker") for q in pred.get("quotes") or () if q.get("speaker")]
    prf = PRF()
    for s in gold.get("quote_speakers") or ():
        hit = any(same_entity(p, s, pi, gi) for p in speakers)
        prf.tp += hit
        prf.fn += not hit
        if not hit:
            score.errors.append(f"quote speaker missed: {s}")
    score.prf["quote_speaker"] = prf


def score_core_article(name: str, gold: _Obj, pred: _Obj) -> ArticleScore:
    """Score one core article (gold in the shape of ``realnews_data.to_scorer_gold``)."""
    score = ArticleScore(name)
    gi = NameIndex([*(gold.get("entities") or ()), *(gold.get("acceptable") or ())])
    pi = NameIndex(pred.get("entities") or ())
    score_entities(gold, pred, score)
    match_claims(gold, pred, gi, pi, score, ("accuser", "stance", "legal_status", "victim"))
    score_roles(gold, pred, gi, pi, score)
    score_quote_speakers(gold, pred, gi, pi, score)
    ok = bool(pred.get("relevant")) == bool(gold.get("relevant"))
    score.acc["relevance"] = Accuracy(correct=int(ok), total=1)
    if not ok:
        score.errors.append(
            f"relevance wrong: got {bool(pred.get('relevant'))} ({pred.get('relevance')}), "
            f"gold {gold.get('relevant')}"
        )
    return score


@dataclass
class RealReport(Totals):
    """Micro-averaged totals for one split: core articles and the stream sample."""

    relevance: PRF = field(default_factory=PRF)  # positive class = incident, core articles
    negatives: Accuracy = field(default_factory=Accuracy)  # core negatives rejected
    stream_negatives: Accuracy = field(default_factory=Accuracy)  # stream non-incidents flagged
    stream_incidents: Accuracy = field(default_factory=Accuracy)  # stream incidents found
    stream_errors: list[str] = field(default_factory=list)

    def add_core(self, art: ArticleScore, gold_relevant: bool, pred_relevant: bool) -> None:
        self.add(art)
        if gold_relevant:
            self.relevance.tp += pred_relevant
            self.relevance.fn += not pred_relevant
        else:
            self.relevance.fp += pred_relevant
            self.negatives.total += 1
            self.negatives.correct += not pred_relevant

    def add_stream(self, name: str, gold_relevant: bool, pred: _Obj) -> None:
        flagged = bool(pred.get("relevant"))
        if gold_relevant:
            self.stream_incidents.total += 1
            self.stream_incidents.correct += flagged
        else:
            self.stream_negatives.total += 1
            self.stream_negatives.correct += flagged
        if flagged != gold_relevant:
            self.stream_errors.append(
                f"{name}: stream relevance got {flagged} ({pred.get('relevance')}), "
                f"gold {gold_relevant}"
            )

    def metric(self, key: str) -> float | None:
        """A metric by key (see :data:`REAL_TARGETS`); ``None`` when nothing was scored."""
        if key == "incident_recall":
            n = self.relevance.tp + self.relevance.fn
            return self.relevance.recall if n else None
        if key == "false_alarm_rate":
            return self.stream_negatives.value if self.stream_negatives.total else None
        group, stat = key.split(".")
        if stat == "accuracy":
            acc = self.acc.get(group)
            return acc.value if acc and acc.total else None
        prf = self.prf.get(group)
        return float(getattr(prf, stat)) if prf is not None else None

    def as_dict(self) -> dict[str, Any]:
        """Everything, for ``--json``."""
        targets = {}
        for k, t in REAL_TARGETS.items():
            v = self.metric(k)
            met = None if v is None else (v <= t if k in AT_MOST else v >= t)
            targets[k] = {"target": t, "value": None if v is None else round(v, 4), "met": met}
        return {
            "core_articles": len(self.articles),
            "prf": {k: v.as_dict() for k, v in self.prf.items()},
            "accuracy": {k: v.as_dict() for k, v in self.acc.items()},
            "relevance": {
                "incident_recall": self.relevance.as_dict()["recall"],
                "incident_precision": self.relevance.as_dict()["precision"],
                "negatives_rejected": self.negatives.as_dict(),
            },
            "stream": {
                "false_alarms": self.stream_negatives.as_dict(),
                "incidents_found": self.stream_incidents.as_dict(),
            },
            "claims_by_type": {k: v.as_dict() for k, v in sorted(self.claims_by_type.items())},
            "targets": targets,
            "errors": {a.name: a.errors for a in self.articles if a.errors},
            "stream_errors": self.stream_errors,
        }


def score_split(items: Iterable[tuple[str, str, _Obj, _Obj]]) -> RealReport:
    """Score ``(name, set, gold, prediction)`` items of one split.

    ``set`` is ``"core"`` (gold as ``to_scorer_gold`` gives it) or ``"stream"`` (only
    ``relevant`` is read from the gold).
    """
    report = RealReport()
    for name, kind, gold, pred in items:
        if kind == "stream":
            report.add_stream(name, bool(gold.get("relevant")), pred)
        else:
            art = score_core_article(name, gold, pred)
            report.add_core(art, bool(gold.get("relevant")), bool(pred.get("relevant")))
    return report
