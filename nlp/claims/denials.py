"""Denials that name no act: "Brightline rejected the accusation", "X denied wrongdoing".

A party answering an accusation often does not repeat it: the sentence has no claim-type cue,
so the per-sentence extractor finds nothing there, and the analyst never sees the denial. Such
a sentence answers the claims the article makes against the party who speaks: it gives each
of them a ``denied`` mention, with the accuser and victim of the claim it answers.
"""

from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Doc, Span, Token

from nlp.claims.frames import active_subject, is_verb
from nlp.claims.lexicon import Lexicon
from nlp.claims.resolve import FIRST_PLURAL, Ref, Resolver
from nlp.types import Claim


def _denier(verb: Token, res: Resolver) -> Ref | None:
    """Who denies: the verb's subject, a spokesperson standing for their organisation."""
    subj = active_subject(verb)
    if subj is None:
        return None
    ref = res.one(subj, "speaker")
    if ref is None:
        return None
    ref = res.org_of_speaker(ref, subj)
    if subj.lower_ in FIRST_PLURAL and ref.type == "PERSON":
        return None
    return ref


def _denials(sent: Span, lex: Lexicon) -> list[tuple[Token, str]]:
    """(verb, cue text) of each denial in the sentence that answers an accusation it does not
    name: "denied the allegations", "rejected the accusation", "denied any wrongdoing", "we did
    nothing wrong"."""
    deny = lex.frame("deny_verb")
    charges = lex.frame("charge_noun")
    wrongs = lex.frame("wrong_word")
    out: list[tuple[Token, str]] = []
    for tok in sent:
        if not is_verb(tok):
            continue
        lemma = tok.lemma_.lower()
        if lemma in deny:
            for obj in tok.children:
                if obj.dep_ in ("dobj", "ccomp") and obj.lemma_.lower() in charges:
                    out.append((tok, f"{tok.text} {obj.text}"))
                    break
        elif lemma == "do" and not any(c.dep_ == "neg" for c in tok.children):
            # "we did nothing wrong", "it has done nothing wrong"
            wrong_said = any(w.lower_ in wrongs for w in tok.subtree)
            if wrong_said and any(o.dep_ == "dobj" and o.lower_ == "nothing" for o in tok.children):
                out.append((tok, f"{tok.text} nothing wrong"))
    return out


def answered_denials(
    doc: Doc, sents: list[Span], claims: list[Claim], res: Resolver, lex: Lexicon
) -> list[Claim]:
    """Denied mentions for the claims each act-less denial of the article answers.

    Args:
        doc: the parsed article.
        sents: its sentences, as the extractor indexed them.
        claims: the claims already found, in text order.
        res: the article's resolver.
        lex: the lexicon (frames ``deny_verb``, ``charge_noun``, ``wrong_word``).

    Returns:
        New claims (stance ``denied``), one per distinct (type, accuser) the article gives
        against the denying party; none where that party is accused of nothing.
    """
    if not any(c.accused_id is not None for c in claims):
        return []
    taken = {c.sentence_index for c in claims}
    out: list[Claim] = []
    for index, sent in enumerate(sents):
        if index in taken:
            continue  # a sentence with a claim of its own says what is denied
        # A denial answers what the article has said so far, never a claim it reports later.
        against: dict[str, dict[tuple[str, str | None], Claim]] = {}
        for c in claims:
            if c.sentence_index < index and c.accused_id is not None and c.stance != "denied":
                against.setdefault(c.accused_id, {}).setdefault((c.type, c.accuser_id), c)
        for verb, cue in _denials(sent, lex):
            denier = _denier(verb, res)
            if denier is None:
                continue
            answered = against.get(res.owner(denier).id) or against.get(denier.id)
            if not answered:
                continue
            raw = sent.text
            text = raw.strip()
            start = sent.start_char + (len(raw) - len(raw.lstrip()))
            for claim in answered.values():
                out.append(
                    replace(
                        claim,
                        speaker_id=denier.id,
                        speaker=denier.name,
                        stance="denied",
                        # the stage is the answered claim's (shared in the article's merge), not
                        # a legal-sounding word of the reply ("keep reviewing datasets")
                        legal_status=None,
                        sentence=text,
                        start=start,
                        end=start + len(text),
                        sentence_index=index,
                        cues=(cue,),
                    )
                )
            break
    return out
