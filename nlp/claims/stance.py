"""How sure a claim is (stance) and how far it has gone in the legal system (legal status).

Stance cues only count when they sit on the claim's own path through the parse (the trigger, its
ancestors and their direct dependents), so "DeepSeek did not respond to a request for comment" in
the same sentence does not turn an accusation into a denial. Negation counts only on the action
itself ("did not distil"), never on a reporting verb ("OpenAI did not say how…").
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Span, Token

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


def _under_inquiry(match: CueMatch, inquiries: frozenset[int]) -> bool:
    """An allegation an inquiry looks into: "opened an inquiry into allegations that…",
    "a probe of the claims"."""
    for tok in match.tokens:
        noun = tok.head if tok.dep_ == "amod" else tok  # "an inquiry into alleged copying"
        prep = noun.head
        if noun.dep_ != "pobj" or prep.lower_ not in ("into", "of", "over"):
            continue
        # the parser hangs "into" on the noun or on its verb ("opened an inquiry into")
        holders = [prep.head, *(c for c in prep.head.children if c.dep_ == "dobj")]
        if any(h.i in inquiries for h in holders):
            return True
    return False


_CONTRAST = frozenset({"instead", "rather"})


def _contrasted(match: CueMatch, chain: set[int]) -> bool:
    """ "was not trained from scratch but instead copied": the negation is on the alternative the
    accuser rules out; the act itself is the contrasted conjunct, asserted."""
    for tok in match.tokens:
        verb = tok.head
        for conj in verb.children:
            if conj.dep_ != "conj" or conj.i not in chain:
                continue
            if any(c.dep_ == "cc" and c.lower_ == "but" for c in verb.children) or any(
                c.lower_ in _CONTRAST for c in conj.children
            ):
                return True
    return False


def _promise(match: CueMatch, commitments: frozenset[str]) -> bool:
    """A negated act promised for the future denies nothing: "under the settlement, X will no
    longer use her voice", "X agreed not to sell the data"."""
    for tok in match.tokens:
        verb = tok.head
        if any(c.dep_ == "aux" and c.lower_ in commitments for c in verb.children):
            return True
        if verb.dep_ == "xcomp" and verb.head.lemma_.lower() in commitments:
            return True
    return False


def _in_scope(match: CueMatch, scope: set[int]) -> bool:
    # Proper nouns are names ("May", "Claim Corp"), never hedges.
    return any(t.i in scope and t.pos_ != "PROPN" for t in match.tokens)


@dataclass(frozen=True)
class SentenceCues:
    """Stance, negation and legal cues of one sentence, found once for all its claims."""

    stance: list[CueMatch]
    negation: list[CueMatch]
    legal_status: str | None
    legal_cues: tuple[str, ...]
    # Words that make a negated act a promise about the future ("will no longer use"): the
    # ``commitment`` frame of stance.jsonl.
    commitments: frozenset[str] = frozenset()
    # Token indices of investigation cues ("inquiry", "probe"): an allegation they look into
    # is suspected, not alleged.
    inquiries: frozenset[int] = frozenset()
    # (token index, legal status) of every legal cue word.
    stages: tuple[tuple[int, str], ...] = ()
    # Nouns for a court ("jury", "judge", "tribunal"): a ruling they give is a finding.
    courts: frozenset[str] = frozenset()

    def stage_over(self, noun: Token) -> str | None:
        """The legal stage of a verb that acts on a suit noun: "settled her lawsuit" is settled,
        "dismissed the suit" dismissed; None when no legal cue governs the noun."""
        head = noun.head
        for i, status in self.stages:
            if i == head.i and noun.dep_ in ("dobj", "nsubjpass"):
                return status
        return None

    @classmethod
    def of(cls, sent: Span, lex: Lexicon) -> SentenceCues:
        """Scan a sentence for stance, negation and legal-status cues."""
        status, cues = legal_status_of(sent, lex)
        legal = lex.legal_cues.find(sent)
        inquiries = frozenset(
            t.i for m in legal if m.cue.label == "investigation" for t in m.tokens
        )
        stages = tuple((t.i, m.cue.label) for m in legal for t in m.tokens)
        return cls(
            lex.stance_cues.find(sent),
            lex.negation.find(sent),
            status,
            cues,
            lex.frame("commitment"),
            inquiries,
            stages,
            lex.frame("court_noun"),
        )


def stance_of(
    frame: Frame, cues: SentenceCues, ignore: frozenset[int] = frozenset()
) -> tuple[str, tuple[str, ...]]:
    """The stance of a claim and the cue words that set it.

    Args:
        frame: the claim's argument frame.
        cues: its sentence's cues; the legal status sets the stance when no cue does.
        ignore: token indices whose cues do not count (a "confirmed" that proves nothing).

    Returns:
        ``(stance, cues)``; ``asserted`` with no cues for a plain statement in the article's voice.
    """
    scope = scope_of(frame)
    found: dict[str, list[str]] = {}
    for m in cues.stance:
        if _in_scope(m, scope) and not any(t.i in ignore for t in m.tokens):
            label = m.cue.label
            if label == "alleged" and _under_inquiry(m, cues.inquiries):
                label = "suspected"
            found.setdefault(label, []).append(m.text)
    chain = {t.i for t in frame.action_chain}
    for m in cues.negation:
        if (
            any(t.head.i in chain or t.i in chain for t in m.tokens)
            and not _promise(m, cues.commitments)
            and not _contrasted(m, chain)
        ):
            found.setdefault("denied", []).append(m.text)
    for stance in STANCE_PRIORITY:
        if stance in found:
            return stance, tuple(found[stance])
    if cues.legal_status == "ruling" and any(
        w is not None and w.lemma_.lower() in cues.courts for w in (frame.accuser, *frame.speakers)
    ):
        # "A jury found X liable for …": a court's finding, not an allegation
        return "confirmed", ()
    if frame.attributed or frame.speakers:
        return "alleged", ()
    if cues.legal_status is not None:
        return LEGAL_IMPLIED_STANCE[cues.legal_status], ()
    return "asserted", ()


def legal_status_of(sent: Span, lex: Lexicon) -> tuple[str | None, tuple[str, ...]]:
    """The most advanced legal stage the sentence states, with its cue words."""
    best: str | None = None
    cues: list[str] = []
    refusals = lex.frame("refuse_verb")
    for m in lex.legal_cues.find(sent):
        cues.append(m.text)
        label = m.cue.label
        if label == "dismissed" and _refused(m.tokens[-1], refusals):
            # "the judge refused to throw out the claims", "denied a motion to dismiss": the
            # court ruled, and the case goes on
            label = "ruling"
        if best is None or lex.legal_rank[label] > lex.legal_rank[best]:
            best = label
    return best, tuple(cues)


def _refused(word: Token, refusals: frozenset[str]) -> bool:
    """True when the dismissal word is refused or negated on its way up to its clause's head:
    "refused to dismiss", "denied a motion to dismiss", "did not throw out"."""
    for tok in (word, *word.ancestors):
        if any(c.dep_ == "neg" for c in tok.children):
            return True
        if tok.lemma_.lower() in refusals and tok.i != word.i:
            return True
        clause_head = tok.dep_ in ("ROOT", "ccomp", "relcl", "advcl", "conj")
        if clause_head and tok.pos_ in ("VERB", "AUX") and tok.i != word.i:
            return False  # the clause ends here, and its head refuses nothing
    return False
