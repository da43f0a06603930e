"""Relevance: is the article *about* an AI intellectual-property incident?

A logistic score over a handful of features, so the decision is explainable in one line:

* **claims** found by :mod:`nlp.claims`: in the headline or the first two paragraphs they weigh a
  lot (the story is the accusation), further down little (a passing mention);
* **incident cues** (``nlp/patterns/relevance.json``: accuse, sue, distil, trade secret, leak …):
  the fallback when claim extraction misses, counted per distinct cue in the headline, the lead
  and, weakly, the rest;
* **genre cues** in the headline or first paragraph (launch, funding round, hire, benchmark,
  licensing deal) with no incident cue in the headline push the score down: such articles mention
  lawsuits or distillation in passing but are not about them;
* with no AI vocabulary at all the score is damped (a music-label lawsuit is not AI-IP news).

``score = sigmoid(w · features + bias)``; relevant when ``score >= 0.5``. The weights were set on
the dev set and kept round on purpose.
"""

from __future__ import annotations

import functools
import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources

from nlp.textprep import Block
from nlp.types import Claim

THRESHOLD = 0.5
W_CLAIM_LEAD = 1.6
W_CLAIM_BODY = 0.35
W_CUE_HEAD = 1.1
W_CUE_LEAD = 0.5
W_CUE_BODY = 0.12
W_GENRE = -2.2
BIAS = -2.6
NO_AI_FACTOR = 0.3


@dataclass(frozen=True, slots=True)
class Cues:
    """Compiled cue patterns."""

    incident: re.Pattern[str]
    genre: re.Pattern[str]
    ai: re.Pattern[str]


@functools.lru_cache(maxsize=1)
def load_cues() -> Cues:
    """Compile ``nlp/patterns/relevance.json`` (cached)."""
    raw = json.loads(
        (resources.files("nlp") / "patterns" / "relevance.json").read_text(encoding="utf-8")
    )

    def compile_(key: str) -> re.Pattern[str]:
        return re.compile(r"\b(?:" + "|".join(raw[key]) + r")\b", re.IGNORECASE)

    return Cues(compile_("incident"), compile_("genre"), compile_("ai"))


def _distinct(pattern: re.Pattern[str], text: str) -> int:
    return len({m.group(0).lower() for m in pattern.finditer(text)})


def score_relevance(
    text: str, blocks: Sequence[Block], claims: Sequence[Claim]
) -> tuple[float, bool]:
    """Score one article.

    Args:
        text: The composed text.
        blocks: Its blocks (headline, captions, paragraphs).
        claims: Claims found in it.

    Returns:
        The score in [0, 1] and whether it reaches :data:`THRESHOLD`.
    """
    if not text.strip():
        return 0.0, False
    cues = load_cues()
    head_blocks = [b for b in blocks if b.kind == "headline"]
    paragraphs = [b for b in blocks if b.kind == "paragraph"]
    if not head_blocks and paragraphs:
        head_blocks, paragraphs = paragraphs[:1], paragraphs[1:]
    lead_blocks = paragraphs[:2]
    head = " ".join(text[b.start : b.end] for b in head_blocks)
    lead = " ".join(text[b.start : b.end] for b in lead_blocks)
    lead_end = lead_blocks[-1].end if lead_blocks else (head_blocks[-1].end if head_blocks else 0)
    rest = text[lead_end:]

    claims_lead = sum(1 for c in claims if c.start < lead_end and c.stance != "denied")
    claims_body = sum(1 for c in claims if c.start >= lead_end)
    cue_head = _distinct(cues.incident, head)
    cue_lead = _distinct(cues.incident, lead)
    cue_body = _distinct(cues.incident, rest)
    first = text[lead_blocks[0].start : lead_blocks[0].end] if lead_blocks else ""
    genre = 1 if (cues.genre.search(head) or cues.genre.search(first)) and cue_head == 0 else 0

    x = (
        BIAS
        + W_CLAIM_LEAD * min(claims_lead, 2)
        + W_CLAIM_BODY * min(claims_body, 4)
        + W_CUE_HEAD * min(cue_head, 3)
        + W_CUE_LEAD * min(cue_lead, 5)
        + W_CUE_BODY * min(cue_body, 8)
        + W_GENRE * genre
    )
    score = 1.0 / (1.0 + math.exp(-x))
    if not cues.ai.search(text):
        score *= NO_AI_FACTOR
    score = round(score, 3)
    return score, score >= THRESHOLD
