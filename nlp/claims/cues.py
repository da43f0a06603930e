"""Choosing claim candidates from cue matches: one type per trigger word, specific over generic."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from spacy.tokens import Span, Token

from nlp.claims.frames import is_verb
from nlp.claims.lexicon import CueMatch, Lexicon


@dataclass(frozen=True)
class Candidate:
    """A claim type proposed by a cue, with the token its arguments are read from."""

    type: str
    match: CueMatch
    trigger: Token


def trigger_of(match: CueMatch) -> Token:
    """The syntactic head of a cue match: its first verb, else the token heading the others."""
    if match.cue.head is not None and match.cue.head < len(match.segment_starts):
        return match.segment_starts[match.cue.head]
    toks = match.tokens
    for t in toks:
        if is_verb(t) and t.lemma_.lower() not in ("be", "have"):
            return t
    idx = {t.i for t in toks}
    for t in toks:
        if t.head.i not in idx or t.head.i == t.i:
            return t
    return toks[0]


def _countered(match: CueMatch, lex: Lexicon) -> bool:
    """ "anti-scraping measures", "non-infringing": the cue word names the remedy, not the act."""
    first = match.tokens[0]
    prefixes = lex.frame("counter_prefix")
    if any(first.lower_.startswith(p + "-") for p in prefixes):
        return True
    doc = first.doc
    if first.i >= 2 and doc[first.i - 1].text == "-" and doc[first.i - 2].lower_ in prefixes:
        return True
    if match.cue.fallback and first.dep_ == "pobj" and first.head.lower_ == "in":
        # "in some cases", "in many cases": an idiom, not a lawsuit
        quantifiers = lex.frame("idiom_quantifier")
        return any(c.lower_ in quantifiers for c in first.children if c.dep_ in ("det", "amod"))
    return False


def _indirect(match: CueMatch) -> bool:
    """ "taking precautions to safeguard data": for a cue whose last word must be what its first
    word acts on, the last word hangs from another verb on its way up to the first."""
    if not match.cue.direct or len(match.segment_starts) < 2:
        return False
    first, last = match.tokens[0], match.tokens[-1]
    for anc in last.ancestors:
        if anc.i == first.i:
            return False
        if is_verb(anc) and not (anc.dep_ == "acl" and anc.tag_ in ("VBN", "VBG")):
            return True  # (a participle describing a noun, "information related to", is no clause)
    return False


def sentence_matches(sent: Span, lex: Lexicon) -> list[CueMatch]:
    """Type-cue matches in a sentence, countered or indirect ones dropped."""
    return [m for m in lex.type_cues.find(sent) if not _countered(m, lex) and not _indirect(m)]


def doc_type_votes(all_matches: list[list[CueMatch]]) -> Counter[str]:
    """How often each type is cued by a phrase that names it outright (for bare words)."""
    votes: Counter[str] = Counter()
    for matches in all_matches:
        for m in matches:
            if not m.cue.doc_types and not m.cue.fallback:
                votes[m.cue.label] += 1
    return votes


def candidates(matches: list[CueMatch], lex: Lexicon, votes: Counter[str]) -> list[Candidate]:
    """Candidates of one sentence: per trigger the longest cue's type; generic only when alone.

    Args:
        matches: the sentence's cue matches.
        lex: the lexicon.
        votes: article-wide type counts; a bare "infringement" takes the best-voted of its
            ``doc_types`` (its own type when none is voted).
    """
    if not matches:
        return []
    named = [m for m in matches if not m.cue.fallback]
    if named:
        matches = named
    elif not any(votes.values()):
        return []  # "a wave of lawsuits" in an article that names no kind of incident
    specific = [m for m in matches if not lex.types[m.cue.label].generic]
    if specific:
        matches = specific
    by_trigger: dict[int, list[CueMatch]] = {}
    for m in matches:
        by_trigger.setdefault(trigger_of(m).i, []).append(m)
    out: list[Candidate] = []
    doc = matches[0].tokens[0].doc
    for i, ms in by_trigger.items():
        longest = max(len(m.tokens) for m in ms)
        seen: set[str] = set()
        for m in ms:
            if len(m.tokens) != longest:
                continue
            label = m.cue.label
            if m.cue.doc_types:
                voted = [(votes[t], t) for t in m.cue.doc_types if votes[t]]
                if not voted and m.cue.fallback:
                    continue
                label = max(voted)[1] if voted else label
            if label not in seen:
                seen.add(label)
                out.append(Candidate(label, m, doc[i]))
    return out
