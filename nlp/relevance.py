"""Relevance: is the article *about* an AI intellectual-property incident?

The answer follows from what the article reports, not from keyword density. A logistic score
over a few explainable features, with its weights, cue lists and threshold as data
(``nlp/patterns/relevance.json``, fitted on the real-news ``dev`` split by
``bench/realnews/train_relevance.py``):

* **claims** found by :mod:`nlp.claims`: in the headline or the lead they weigh a lot (the story is
  the accusation), further down little (a passing mention); a claim with a named accuser or a
  legal status (a suit, a charge, a ruling) is an incident, a bare cue is not;
* **IP cues** (copyright, trade secret, distil, scrape, leaked weights, terms of service, voice
  likeness …) in the headline and the lead: the fallback when claim extraction misses;
* **other legal matters** (wrongful death, antitrust, defamation, privacy, securities, a customer
  data breach) in the headline or the lead: a lawsuit or probe is an IP incident only when what
  is claimed is an IP wrong;
* **genre cues** (launch, funding round, hire, benchmark, licensing deal, explainer, opinion) in the
  headline or first paragraph with no accusation in the headline: such articles mention suits in
  passing;
* **AI in the headline or lead** (AI vocabulary, AI labs and products).

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
    "other_legal",
    "genre",
    "ai_lead",
)


@dataclass(frozen=True, slots=True)
class RelevanceModel:
    """Compiled cue patterns, weights, bias and threshold."""

    ip: re.Pattern[str]
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


def features(
    text: str, blocks: Sequence[Block], claims: Sequence[Claim], model: RelevanceModel
) -> dict[str, float]:
    """The raw (uncapped) feature values of one article."""
    head_blocks = [b for b in blocks if b.kind == "headline"]
    paragraphs = [b for b in blocks if b.kind == "paragraph"]
    if not head_blocks and paragraphs:
        head_blocks, paragraphs = paragraphs[:1], paragraphs[1:]
    lead_blocks = paragraphs[:2]
    head = " ".join(text[b.start : b.end] for b in head_blocks)
    lead = " ".join(text[b.start : b.end] for b in lead_blocks)
    lead_end = lead_blocks[-1].end if lead_blocks else (head_blocks[-1].end if head_blocks else 0)
    first = text[lead_blocks[0].start : lead_blocks[0].end] if lead_blocks else ""

    head_end = head_blocks[-1].end if head_blocks else 0
    ip_head = _distinct(model.ip, head)
    genre = bool(model.genre.search(head) or model.genre.search(first)) and not model.accuse.search(
        head
    )
    lead_sents = _sentences(lead)

    def ip_accuse(sentence: str) -> bool:
        return bool(model.ip.search(sentence) and model.accuse.search(sentence))

    def other_legal(sentence: str) -> bool:
        return bool(model.other_legal.search(sentence) and not model.ip.search(sentence))

    return {
        "claims_head": float(sum(1 for c in claims if c.start < head_end)),
        "claims_lead": float(sum(1 for c in claims if head_end <= c.start < lead_end)),
        "claims_body": float(sum(1 for c in claims if c.start >= lead_end)),
        "ip_accuse_lead": float(sum(map(ip_accuse, lead_sents))),
        "ip_head": float(ip_head),
        "other_legal": float(sum(map(other_legal, [head, *lead_sents]))),
        "genre": float(genre),
        "ai_lead": float(_distinct(model.ai, f"{head} {lead}")),
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
