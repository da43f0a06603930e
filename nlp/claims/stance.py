"""How sure a claim is (stance) and how far it has gone in the legal system (legal status).

Stance cues only count when they sit on the claim's own path through the parse (the trigger, its
ancestors and their direct dependents), so "DeepSeek did not respond to a request for comment" in
the same sentence does not turn an accusation into a denial. Negation counts only on the action
itself ("did not distil"), never on a reporting verb ("OpenAI did not say how…").
"""

from __future__ import annotations

from spacy.tokens import Span

from nlp.claims.frames import Frame
from nlp.claims.lexicon import CueMatch, Lexicon

# A hedge outranks an attribution; a denial outranks everything said in the same breath.
STANCE_PRIORITY = ("denied", "suspected", "confirmed", "alleged")
# When nothing on the path sets the stance, the legal stage implies it.
LEGAL_IMPLIED_STANCE = {
    "investigation": "suspected",
    "lawsuit": "alleged",
    "charged": "alleged",
    "settled": "alleged",
    "dismissed": "alleged",
    "ruling": "confirmed",
}


def scope_of(frame: Frame) -> set[int]:
    """Token indices where a stance cue is about this claim: the path and its direct dependents."""
    scope: set[int] = set()
    for tok in frame.path:
        scope.add(tok.i)
        scope.update(c.i for c in tok.children)
    return scope


def _in_scope(match: CueMatch, scope: set[int]) -> bool:
    # Proper nouns are names ("May", "Claim Corp"), never hedges.
    return any(t.i in scope and t.pos_ != "PROPN" for t in match.tokens)


def stance_of(
    frame: Frame, sent: Span, lex: Lexicon, legal_status: str | None
) -> tuple[str, tuple[str, ...]]:
    """The stance of a claim and the cue words that set it.

    Args:
        frame: the claim's argument frame.
        sent: its sentence.
        lex: the lexicon.
        legal_status: the sentence's legal status, used when no cue sets the stance.

    Returns:
        ``(stance, cues)``; ``asserted`` with no cues for a plain statement in the article's voice.
    """
    scope = scope_of(frame)
    found: dict[str, list[str]] = {}
    for m in lex.stance_cues.find(sent):
        if _in_scope(m, scope):
            found.setdefault(m.cue.label, []).append(m.text)
    chain = {t.i for t in frame.action_chain}
    for m in lex.negation.find(sent):
        if any(t.head.i in chain or t.i in chain for t in m.tokens):
            found.setdefault("denied", []).append(m.text)
    for stance in STANCE_PRIORITY:
        if stance in found:
            return stance, tuple(found[stance])
    if frame.attributed or frame.speakers:
        return "alleged", ()
    if legal_status is not None:
        return LEGAL_IMPLIED_STANCE[legal_status], ()
    return "asserted", ()


def legal_status_of(sent: Span, lex: Lexicon) -> tuple[str | None, tuple[str, ...]]:
    """The most advanced legal stage the sentence states, with its cue words."""
    best: str | None = None
    cues: list[str] = []
    for m in lex.legal_cues.find(sent):
        cues.append(m.text)
        if best is None or lex.legal_rank[m.cue.label] > lex.legal_rank[best]:
            best = m.cue.label
    return best, tuple(cues)
