"""Relevance: is the article *about* an AI intellectual-property incident?

The answer follows from what the article reports, not from keyword density. A logistic score
over a few explainable features, with its weights, cue lists and threshold as data
(``nlp/patterns/relevance.json``, fitted on the real-news ``dev`` split by
``bench/realnews/train_relevance.py``):

* **claims** found by :mod:`nlp.claims`: in the headline or the lead they weigh a lot (the story is
  the accusation), further down less (a passing mention);
* **IP wrongs named in the text** (:func:`reports_ip_wrong`): a word that names a wrong by itself
  (stole, infringed, pirated, leaked, without permission), or an IP subject or technique
  (copyright, patent, distillation, scraping, source code, terms of service, copied a model)
  with an accusation, a denial or a legal step in the same sentence. Counted in the headline, in
  the lead (with an accusation word), and whether they recur in at least two sentences of the
  article. These carry the decision when claim extraction misses: the weights are fitted with a
  copy of every training article whose claims are hidden, so that these features keep a weight
  of their own rather than being explained away by the claims;
* **other legal matters** (wrongful death, antitrust, defamation, privacy, securities, fraud and
  scams, a customer data breach, labour disputes) in the headline or the lead: a lawsuit or probe
  is an IP incident only when what is claimed is an IP wrong;
* **genre cues** (launch, funding round, hire, benchmark, licensing deal, explainer, opinion,
  policy consultation) in the headline or first paragraph with no accusation in the headline:
  such articles mention suits in passing;
* **AI in the headline or lead** (AI vocabulary, AI labs and products).

The headline and the lead are read as a news reader sees them: a headline cut short with an
ellipsis is completed from the paragraph that repeats it, repeated paragraphs count once, and
the lead is the first two paragraphs of prose (a stray "Featured" or a photo credit is not).

``score = sigmoid(w · features + bias)``, multiplied by ``no_ai_factor`` when the article names
no AI at all (a music-label or vaccine patent suit is not AI-IP news); relevant when
``score >= threshold``.
"""

from __future__ import annotations

import functools
import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

from nlp.textprep import Block
from nlp.types import Claim

#: The features, in the order of the weight vector in ``relevance.json``.
FEATURES: tuple[str, ...] = (
    "claims_head",
    "claims_lead",
    "claims_body",
    "ip_accuse_lead",
    "ip_head",
    "ip_recurs",
    "other_legal",
    "genre",
    "ai_lead",
)
#: A paragraph of fewer words is not prose ("Featured", "Recommended articles", a photo credit).
LEAD_MIN_WORDS = 6


@dataclass(frozen=True, slots=True)
class RelevanceModel:
    """Compiled cue patterns, weights, bias and threshold."""

    ip: re.Pattern[str]  # a word that names an IP wrong by itself ("stole", "pirated")
    ip_topic: re.Pattern[str]  # an IP subject or technique ("copyright", "distillation")
    accuse: re.Pattern[str]
    other_legal: re.Pattern[str]
    genre: re.Pattern[str]
    ai: re.Pattern[str]
    weights: dict[str, float]
    caps: dict[str, float]
    bias: float
    threshold: float
    no_ai_factor: float


def _compile(words: Sequence[str]) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(words) + r")\b", re.IGNORECASE)


def model_from_dict(raw: dict[str, Any]) -> RelevanceModel:
    """Build a model from the JSON document (raises ``KeyError`` on a missing part)."""
    weights = {name: float(raw["weights"][name]) for name in FEATURES}
    return RelevanceModel(
        ip=_compile(raw["ip"]),
        ip_topic=_compile(raw["ip_topic"]),
        accuse=_compile(raw["accuse"]),
        other_legal=_compile(raw["other_legal"]),
        genre=_compile(raw["genre"]),
        ai=_compile(raw["ai"]),
        weights=weights,
        caps={name: float(raw["caps"].get(name, 1)) for name in FEATURES},
        bias=float(raw["bias"]),
        threshold=float(raw["threshold"]),
        no_ai_factor=float(raw["no_ai_factor"]),
    )


@functools.lru_cache(maxsize=1)
def load_model() -> RelevanceModel:
    """Load ``nlp/patterns/relevance.json`` (cached)."""
    raw = json.loads(
        (resources.files("nlp") / "patterns" / "relevance.json").read_text(encoding="utf-8")
    )
    return model_from_dict(raw)


def _distinct(pattern: re.Pattern[str], text: str) -> int:
    return len({m.group(0).lower() for m in pattern.finditer(text)})


@dataclass(frozen=True, slots=True)
class Layout:
    """The parts of an article a news reader weighs: headline, lead, every paragraph."""

    head: str
    head_end: int  # claims starting before this offset are in the headline
    lead: str  # the first two paragraphs of prose
    lead_end: int  # claims starting before this offset (and after the headline) are in the lead
    first: str  # the first paragraph of prose
    paragraphs: tuple[str, ...]  # every distinct paragraph, the lead included


_ELLIPSIS = re.compile(r"\s*(?:\u2026|\.\.\.)\s*$")


def _fold(text: str) -> str:
    return " ".join(text.casefold().split())


def layout(text: str, blocks: Sequence[Block]) -> Layout:
    """Find the headline, the lead and the distinct paragraphs of an article.

    A headline cut short with an ellipsis ("Huawei accused of …") is completed from one of the
    first paragraphs when that paragraph repeats it; a paragraph repeated word for word counts
    once; the lead skips paragraphs too short to be prose.
    """
    head_blocks = [b for b in blocks if b.kind == "headline"]
    paragraphs = [b for b in blocks if b.kind == "paragraph"]
    if not head_blocks and paragraphs:
        head_blocks, paragraphs = paragraphs[:1], paragraphs[1:]
    head = " ".join(text[b.start : b.end] for b in head_blocks)
    head_end = head_blocks[-1].end if head_blocks else 0
    stem = _fold(_ELLIPSIS.sub("", head)) if _ELLIPSIS.search(head) else ""
    if stem:
        for k, b in enumerate(paragraphs[:3]):
            full = text[b.start : b.end]
            if _fold(full).startswith(stem) and len(full) < 3 * len(head) + 100:
                head, head_end = full, max(head_end, b.end)
                paragraphs = paragraphs[:k] + paragraphs[k + 1 :]
                break
    seen = {_fold(head)}
    distinct = []
    for b in paragraphs:
        key = _fold(text[b.start : b.end])
        if key not in seen:
            seen.add(key)
            distinct.append(b)
    prose = [b for b in distinct if len(text[b.start : b.end].split()) >= LEAD_MIN_WORDS]
    lead_blocks = prose[:2]
    return Layout(
        head=head,
        head_end=head_end,
        lead=" ".join(text[b.start : b.end] for b in lead_blocks),
        lead_end=lead_blocks[-1].end if lead_blocks else head_end,
        first=text[lead_blocks[0].start : lead_blocks[0].end] if lead_blocks else "",
        paragraphs=tuple(text[b.start : b.end] for b in distinct),
    )


def reports_ip_wrong(sentence: str, model: RelevanceModel) -> bool:
    """Whether a sentence (or a headline) speaks of an IP wrong.

    A word like "stole", "pirated" or "without permission" says so by itself; a subject or a
    technique ("copyright", "distillation", "source code", "terms of service") only with an
    accusation, a denial or a legal step in the same sentence ("sued over copyright", "denies
    distilling"): "a small model distilled from its flagship" and "copyright law was not written
    for machines" report no wrong.
    """
    if model.ip.search(sentence):
        return True
    return bool(model.ip_topic.search(sentence) and model.accuse.search(sentence))


def features(
    text: str, blocks: Sequence[Block], claims: Sequence[Claim], model: RelevanceModel
) -> dict[str, float]:
    """The raw (uncapped) feature values of one article."""
    parts = layout(text, blocks)
    head_end, lead_end = parts.head_end, parts.lead_end
    lead_sents = _sentences(parts.lead)
    all_sents = [s for p in parts.paragraphs for s in _sentences(p)]

    def ip(sentence: str) -> bool:
        return reports_ip_wrong(sentence, model)

    def accuse(sentence: str) -> bool:
        return model.accuse.search(sentence) is not None

    def other_legal(sentence: str) -> bool:
        return model.other_legal.search(sentence) is not None

    ip_words = _distinct(model.ip, parts.head) + _distinct(model.ip_topic, parts.head)
    genre = model.genre.search(parts.head) or model.genre.search(parts.first)
    return {
        "claims_head": float(sum(1 for c in claims if c.start < head_end)),
        "claims_lead": float(sum(1 for c in claims if head_end <= c.start < lead_end)),
        "claims_body": float(sum(1 for c in claims if c.start >= lead_end)),
        "ip_accuse_lead": float(sum(ip(s) and accuse(s) for s in lead_sents)),
        "ip_head": float(ip_words if ip(parts.head) else 0),
        "ip_recurs": float(sum(map(ip, all_sents)) >= 2),
        "other_legal": float(sum(map(other_legal, [parts.head, *lead_sents]))),
        "genre": float(bool(genre) and not accuse(parts.head)),
        "ai_lead": float(_distinct(model.ai, f"{parts.head} {parts.lead}")),
    }


_SENTENCE_END = re.compile(r"(?<=[.!?])[\"\u201d']?\s+(?=[\"\u201c'(]?[A-Z0-9])")


def _sentences(text: str) -> list[str]:
    """A cheap sentence split (the cue features need no parse)."""
    return [s for s in _SENTENCE_END.split(text) if s.strip()]


def mentions_ai(text: str, model: RelevanceModel) -> bool:
    """Whether the article names AI at all (systems, companies, training data)."""
    return model.ai.search(text) is not None


def vector(feats: dict[str, float], model: RelevanceModel) -> list[float]:
    """The capped feature vector in :data:`FEATURES` order (what the weights multiply)."""
    return [min(feats[name], model.caps[name]) for name in FEATURES]


def score_relevance(
    text: str, blocks: Sequence[Block], claims: Sequence[Claim]
) -> tuple[float, bool]:
    """Score one article.

    Args:
        text: The composed text.
        blocks: Its blocks (headline, captions, paragraphs).
        claims: Claims found in it.

    Returns:
        The score in [0, 1] and whether it reaches the model's threshold.
    """
    if not text.strip():
        return 0.0, False
    model = load_model()
    x = vector(features(text, blocks, claims, model), model)
    z = model.bias + sum(model.weights[n] * v for n, v in zip(FEATURES, x, strict=True))
    score = 1.0 / (1.0 + math.exp(-z))
    if not mentions_ai(text, model):
        score *= model.no_ai_factor  # an IP fight with no AI in it is not this project's news
    score = round(score, 3)
    return score, score >= model.threshold
