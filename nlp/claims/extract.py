"""Claim extraction: who accuses whom of what, how sure, who said it.

Per sentence: find claim-type cues (cheap phrase lookup); only sentences with a cue get the
dependency analysis (:mod:`nlp.claims.frames`), entity resolution (:mod:`nlp.claims.resolve`) and
stance/legal status (:mod:`nlp.claims.stance`). One claim per accused party ("sued A and B" gives
two). Filters keep precision: a claim needs an accused entity (an unnamed leaker or insider is
allowed for leak/theft types when the victim is known), the accused is never its own accuser or
victim, and distillation narrated in the article's own voice with no other party's model is a
technique, not an accusation.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import replace

from spacy.tokens import Doc, Span, Token

from nlp.claims.context import ClaimContext
from nlp.claims.cues import Candidate, candidates, doc_type_votes, sentence_matches
from nlp.claims.denials import answered_denials
from nlp.claims.frames import (
    LEGAL_TARGET_PREPS,
    POSS_PRONOUNS,
    Frame,
    agent,
    is_event_noun,
    is_verb,
    legal_noun_targets,
    passive_subject,
    prep_objects,
    read_frame,
)
from nlp.claims.lexicon import CueMatch, Lexicon, default_lexicon
from nlp.claims.merge import find_plaintiffs, merge_article
from nlp.claims.parties import find_accuser, find_speaker, victim_tokens
from nlp.claims.resolve import FIRST_PLURAL, NEUTER, PERSONAL, Ref, Resolver
from nlp.claims.stance import SentenceCues, stance_of
from nlp.types import Claim

logger = logging.getLogger(__name__)

# "sued X over / for / about <reason>": the reason, if it named an incident type, was a cue.
_REASON_PREPS = frozenset({"over", "for", "about"})
# Verbs that give an unnamed group its name: "which X tracks as Y", "dubbed Y".
_NAMING_VERBS = frozenset({"track", "call", "dub", "name", "label", "know", "identify"})
# Words that join a list of parties ("X, Y, as well as Z", "namely", "plus").
_LIST_GLUE = frozenset({"and", "as", "well", "namely", "plus", "including", "also", "both"})
_MODIFIER_DEPS = frozenset({"compound", "poss", "nmod", "amod"})
_HYPHENS = frozenset({"-", "\u2010", "\u2011"})
_LIST_STOP = frozenset({"the", "court", "judge", "lawsuit", "suit", "complaint", "case"})
# Stands for the defendant of the article's suit until the article's claims name it.
_SUIT_DEFENDANT = Ref("?suit-defendant", "", "ORG")
# An accuser that is a victim of the act; prosecutors and officials are not.
VICTIM_TYPES = frozenset({"ORG", "MEDIA"})


def _past_hyphen(tok: Token) -> Token:
    """The word a parser-chosen hyphen stands for: "ex - employee" heads on "-" at times."""
    if tok.text in ("-", "\u2010", "\u2011") and tok.i + 1 < len(tok.doc):
        nxt = tok.doc[tok.i + 1]
        if nxt.pos_ in ("NOUN", "PROPN"):
            return nxt
    return tok


def _describes_next(span: Span) -> bool:
    """A name that modifies a later noun: "a former Acme engineer", "Acme's design studio"."""
    root = span.root
    if root.dep_ not in _MODIFIER_DEPS or root.head.i < span.end:
        return False
    # "Oxylabs UAB": a name part the entity left out is still the name
    return root.dep_ == "poss" or root.head.pos_ != "PROPN"


def _before_noun(tok: Token) -> bool:
    """A participle used as an adjective: "scraping firms", "licensed data"."""
    nxt = tok.doc[tok.i + 1] if tok.i + 1 < len(tok.doc) else None
    return tok.dep_ in _MODIFIER_DEPS or (nxt is not None and nxt.pos_ == "NOUN")


def _owner_sues(claim: Claim, res: Resolver) -> Claim:
    """A suit over a title is brought by the company the article says owns it."""
    if claim.legal_status != "lawsuit" or claim.accuser_id is None:
        return claim
    owner = res.publisher_of(Ref(claim.accuser_id, claim.accuser or "", "MEDIA"))
    if owner.id in (claim.accuser_id, claim.accused_id):
        return claim
    return replace(claim, accuser_id=owner.id, accuser=owner.name)


class _Extractor:
    def __init__(self, doc: Doc, ctx: ClaimContext, lex: Lexicon) -> None:
        self.doc = doc
        self.ctx = ctx
        self.lex = lex
        self.res = Resolver(doc, ctx, lex)
        # (type, accused id) -> accuser, so that a later denial names the earlier accuser.
        self.memory: dict[tuple[str, str | None], Ref] = {}
        # The party most recently accused: "the practice" / "the activity" refers to its act.
        self.last_accused: Ref | None = None
        # Claims that only mention a suit: (sentence index, type, accused id).
        self.mentions: set[tuple[int, str, str | None]] = set()
        # Sentences that refer back to the article's suit: "The complaint says…".
        self.definite_suits: set[int] = set()
        self._accusing: dict[str, bool] = {}

    def sentence(self, sent: Span, index: int, cands: list[Candidate]) -> list[Claim]:
        if not cands:
            return []
        legal_nouns = self.lex.frame("legal_noun")
        if any(
            t.lemma_.lower() in legal_nouns
            and t.tag_ != "NNS"
            and any(c.lower_ in ("the", "this", "that", "its") for c in t.children)
            for t in sent
        ):
            self.definite_suits.add(index)
        cues = SentenceCues.of(sent, self.lex)
        claims: list[Claim] = []
        seen: set[tuple[str, str | None]] = set()
        doers: dict[int, Ref] = {}  # trigger index -> the accused its claim named
        for cand in sorted(cands, key=lambda c: c.trigger.i):
            made = self.candidate(cand, sent, index, cues)
            last = self.last_accused
            if last is not None and any(c.accused_id == last.id for c in made):
                doers[cand.trigger.i] = last
            if not made:
                # "the activity violated its terms and involved unauthorized access to its API":
                # an act with no doer of its own, governed by an act whose doer is named, is
                # done by that doer.
                governing = [doers[a.i] for a in cand.trigger.ancestors if a.i in doers]
                if governing:
                    made = self.candidate(cand, sent, index, cues, inherited=governing[0])
            for claim in made:
                key = (claim.type, claim.accused_id)
                if key not in seen:
                    seen.add(key)
                    claims.append(claim)
        return claims

    def candidate(
        self,
        cand: Candidate,
        sent: Span,
        index: int,
        cues: SentenceCues,
        inherited: Ref | None = None,
    ) -> list[Claim]:
        res = self.res
        frame = read_frame(cand.trigger, sent, self.lex)
        if frame.prevented:
            return []
        mention = cand.match.cue.fallback
        frame.accused_alts = [
            ([_past_hyphen(t) for t in toks], src) for toks, src in frame.accused_alts
        ]
        first_accuser = find_accuser(frame, res, set(), mention)
        exclude: frozenset[str] = frozenset()
        if first_accuser is not None and not frame.accused_from_respond:
            # "X cut off access, saying it broke the rules": "it" is not X.
            exclude = frozenset({first_accuser.id})
        if mention:
            if any(c.dep_ == "prep" and c.lower_ in _REASON_PREPS for c in cand.trigger.children):
                return []  # "suing X over its shift away from…": a suit about something else
            # A bare mention names the accused only through the suit itself.
            frame.accused_alts = [
                a for a in frame.accused_alts if a[1] in ("legal", "accuse", "undergo")
            ]
        # "LLaMA's weights leaked": the subject of an intransitive act named by the cue itself
        # is what was taken, not who took it.
        cue_words = {t.i for t in cand.match.tokens}
        taken = [
            a
            for a in frame.accused_alts
            if self.lex.types[cand.type].subject_may_be_taken
            and any(t.i in cue_words for t in a[0])
        ]
        if taken:
            frame.accused_alts = [a for a in frame.accused_alts if a not in taken]
        victim_confirms = (
            frame.confirmer is not None
            and frame.accused_from_respond
            and self.lex.types[cand.type].anonymous_ok
        )
        if victim_confirms:
            # "Tessellate confirms leak of its weights": who confirms a leak or breach suffered
            # it; whoever did it is not named here.
            frame.accused_alts = [a for a in frame.accused_alts if a[1] != "respond"]
            frame.accused_from_respond = False
        accused, unnamed = self._accused(frame, exclude)
        if not accused and not frame.accused_alts and inherited is not None:
            accused = [inherited]
        if not accused and self.lex.types[cand.type].anonymous_ok:
            # "The investigation into the leak is focused on an account issued through X"
            suspect = self._investigated(cand.trigger, exclude)
            accused = [suspect] if suspect is not None else accused
        unnamed = unnamed or victim_confirms
        outsiders = self.lex.frame("outsider_noun")
        by_outsider = self.lex.types[cand.type].by_outsider
        if by_outsider is not None and any(
            t.lemma_.lower() in outsiders for toks, _ in frame.accused_alts for t in toks
        ):
            # Trade secrets are taken by insiders; intruders copying the same files steal data.
            cand = Candidate(by_outsider, cand.match, cand.trigger)
        unnamed = unnamed or (bool(taken) and not frame.accused_alts)
        if not accused and not frame.accused_alts and not unnamed:
            adjacent = self._adjacent_doer(cand.match, exclude)
            accused = [adjacent] if adjacent is not None else []
        if not accused and not unnamed and not mention:
            # "The suit is one of dozens filed against firms like X and Y, all challenging the
            # training on copyrighted works": the act has no doer of its own; the sentence's
            # suit names whom it is brought against.
            accused = self._suit_targets(sent, exclude)
        if not accused and not unnamed and not mention and self._names_suit(cand):
            # "An accompanying trademark claim said…", "Getty succeeded on limited trademark
            # claims": a claim of the article's suit, against its defendant (named afterwards)
            accused = [_SUIT_DEFENDANT]
        if (
            not accused
            and not frame.accused_alts
            and self.lex.types[cand.type].anonymous_ok
            and is_event_noun(cand.trigger)
        ):
            unnamed = True  # "failed to disclose a hack of its systems": by someone unnamed
        if not accused and unnamed and self.lex.types[cand.type].anonymous_ok:
            # "A former engineer was indicted … Jane Roe, 38, was arrested": news names the
            # insider in the next sentences.
            later = self._named_later(frame, sent, exclude)
            accused = [later] if later is not None else []
        # Courts, agencies and ministries judge, investigate and speak; they are not accused.
        accused = [r for r in accused if r.type != "GOV"]
        accused_ids = {r.id for r in accused}
        stance, stance_cues = stance_of(frame, cues)
        # A denial's speakers answer the accusation ("fair use", "meritless"): they never make it.
        accuser = find_accuser(frame, res, accused_ids, mention, speakers=stance != "denied")
        if accuser is not None and accuser.id in self.ctx.bystanders:
            accuser = None  # a judge rules and a lawyer argues; neither is the accuser
        if accuser is not None and res.org_of_person(accuser) in accused_ids:
            # "The chief executive of X denied that his company…": X's officer answers for X
            accuser = None
        speaker = find_speaker(frame, res)
        if frame.accused_from_respond and speaker is None and accused:
            speaker = accused[0]
        victim: Ref | None
        if frame.sanction and accuser is not None:
            victim, own = accuser, False
        else:
            victim, own = self._victim(
                frame, cand.match, accuser, accused_ids, self.lex.types[cand.type].also_a_technique
            )
        if victim is None and accuser is not None and accuser.type in VICTIM_TYPES:
            victim = accuser
        if victim is None and unnamed and self.lex.types[cand.type].anonymous_ok:
            victim = self._passive_sufferer(frame)
        if (
            stance == "confirmed"
            and frame.confirm_verb is not None
            and not self._proves(frame, accused, accuser)
        ):
            stance, stance_cues = stance_of(frame, cues, frozenset({frame.confirm_verb.i}))
        # "Z denies taking X's data": X, whose data it is, made the accusation Z denies, when
        # the article has X accusing at all ("X said…", "accusations by X"); a victim that
        # declined to comment accused no one.
        denied_by = (
            victim
            if stance == "denied"
            and victim is not None
            and victim.id not in accused_ids
            and victim.type in VICTIM_TYPES | {"PERSON"}
            and self._accuses_somewhere(victim.id)
            else None
        )
        if (
            stance in ("alleged", "asserted")
            and speaker is not None
            and accused
            and not frame.accused_from_respond
            and cues.legal_status is None  # "they sued X": a suit is no admission
            and any(res.is_named(t) for t in frame.speakers)
            and any(speaker.id == a.id or res.org_of_person(speaker) == a.id for a in accused)
        ):
            # "Kestrel's founder said in court that Kestrel had distilled…": an admission
            stance = "confirmed"
        legal, legal_cues = cues.legal_status, cues.legal_cues
        if mention:
            # "suits against X" states that X is being sued, whatever else the sentence says,
            # unless it says what became of that suit ("settled her lawsuit")
            legal, legal_cues = cues.stage_over(cand.trigger) or "lawsuit", (cand.match.text,)
        if not accused:
            if not (self.lex.types[cand.type].anonymous_ok and unnamed and (victim or accuser)):
                return []
            accused_or_none: list[Ref | None] = [None]
            if (
                stance == "alleged"
                and accuser is not None
                and victim == accuser
                and frame.accuser is None  # no suit, no accusation: an account of an incident
                and legal is None
            ):
                # A company telling of a breach or leak it suffered, culprit unknown, confirms it.
                stance = "confirmed"
        else:
            accused_or_none = list(accused)
            for more in self._listed_after(accused, sent):
                if more not in accused_or_none and more.id not in {
                    getattr(accuser, "id", None),
                    getattr(victim, "id", None),
                }:
                    accused_or_none.append(more)
        if self.lex.types[cand.type].also_a_technique and self._is_technique(
            frame, stance, legal, victim, own
        ):
            return []
        if self._licensed(sent, frame, stance, legal, accuser):
            return []
        # The sentence without the paragraph break the tokenizer keeps at its end.
        raw = sent.text
        text = raw.strip()
        start = sent.start_char + (len(raw) - len(raw.lstrip()))
        out: list[Claim] = []
        for acc in accused_or_none:
            acc_id = acc.id if acc else None
            if acc is not None and victim is not None and res.owner(victim).id == acc.id:
                continue  # a lab's own model or data
            the_accuser = accuser
            if the_accuser is None or the_accuser.id == acc_id:
                the_accuser = self.memory.get((cand.type, acc_id)) or denied_by
            elif acc_id is not None and acc is not _SUIT_DEFENDANT:
                self.memory.setdefault((cand.type, acc_id), the_accuser)
            the_victim = victim if victim is None or victim.id != acc_id else None
            if acc is not None and not mention and acc is not _SUIT_DEFENDANT:
                self.last_accused = acc
            if mention:
                self.mentions.add((index, cand.type, acc_id))
            out.append(
                Claim(
                    type=cand.type,
                    accuser_id=the_accuser.id if the_accuser else None,
                    accuser=the_accuser.name if the_accuser else None,
                    accused_id=acc_id,
                    accused=acc.name if acc else None,
                    victim_id=the_victim.id if the_victim else None,
                    victim=the_victim.name if the_victim else None,
                    speaker_id=speaker.id if speaker else None,
                    speaker=speaker.name if speaker else None,
                    stance=stance,
                    legal_status=legal,
                    sentence=text,
                    start=start,
                    end=start + len(text),
                    sentence_index=index,
                    cues=tuple(dict.fromkeys((cand.match.text, *stance_cues, *legal_cues))),
                )
            )
        return out

    def _investigated(self, trigger: Token, exclude: frozenset[str]) -> Ref | None:
        """The party an investigation of the act centres on: "the investigation into the leak
        is focused on an account issued through X", "the leak probe centers on X"."""
        inquiries = self.lex.frame("inquiry_noun")
        focus = self.lex.frame("focus_verb")
        probe: Token | None = None
        if trigger.dep_ == "compound" and trigger.head.lemma_.lower() in inquiries:
            probe = trigger.head  # "the leak probe"
        elif trigger.dep_ == "pobj" and trigger.head.lower_ in ("into", "of"):
            noun = trigger.head.head
            probe = noun if noun.lemma_.lower() in inquiries else None
        if probe is None or probe.dep_ not in ("nsubj", "nsubjpass"):
            return None
        verb = probe.head
        if verb.lemma_.lower() not in focus:
            return None
        targets = prep_objects(verb, frozenset({"on", "upon"})) + [
            c for c in verb.children if c.dep_ == "dobj"
        ]
        for target in targets:
            for tok in target.subtree:  # "an account issued through X": the named party
                span = self.res.ent_at.get(tok.i)
                if span is None:
                    continue
                ref = self.res.owner(self.res.ref(span))
                if ref.type in ("ORG", "PERSON") and ref.id not in exclude:
                    return ref
        return None

    def _accuses_somewhere(self, ent_id: str) -> bool:
        """Whether the article has this party accusing or telling: the subject of an accuse or
        report verb, or the possessor or ``by`` object of a legal noun ("accusations by X")."""
        if ent_id not in self._accusing:
            verbs = self.lex.frame("accuse") | self.lex.frame("report")
            legal = self.lex.frame("legal_noun")
            found = False
            for span in self.res.ents:
                if self.res.ref(span).id != ent_id:
                    continue
                root, head = span.root, span.root.head
                if (
                    (root.dep_ == "nsubj" and head.lemma_.lower() in verbs)
                    or (root.dep_ == "poss" and head.lemma_.lower() in legal)
                    or (
                        root.dep_ == "pobj"
                        and head.lower_ == "by"
                        and head.head.lemma_.lower() in legal
                    )
                ):
                    found = True
                    break
            self._accusing[ent_id] = found
        return self._accusing[ent_id]

    def _proves(self, frame: Frame, accused: list[Ref], accuser: Ref | None) -> bool:
        """Whether a "confirmed" proves the act: said by the accused (or its people), or by a
        victim telling of an act whose culprit is not named. An agency confirming its inquiry
        or an accuser confirming its own sanction proves nothing."""
        if frame.confirmer is None or frame.confirm_verb is None:
            return True
        who = self.res.one(frame.confirmer, "speaker")
        if who is None:
            return True
        ids = {who.id, self.res.org_of_speaker(who, frame.confirmer).id}
        if any(a.id in ids for a in accused):
            return True
        return not accused and who.type != "GOV" and accuser is not None and accuser.id in ids

    def _listed_after(self, accused: list[Ref], sent: Span) -> list[Ref]:
        """Parties listed right after an accused one: "against X, Y and Z", "X as well as three
        firms, namely Y, Z and W". The small model parses long lists badly, so the list is read
        from the surface: names joined by commas, "and", "as well as", "namely", "plus" and a
        few words describing them, up to the end of the list."""
        spans = [s for s in self.res.ents if sent.start <= s.start and s.end <= sent.end]
        ids = {r.id for r in accused}
        last = next((s for s in reversed(spans) if self.res.ref(s).id in ids), None)
        if last is None or _describes_next(last):
            return []  # "a deal Acme's chief called…": the accused only describes a noun
        out: list[Ref] = []
        i, gap = last.end, 0
        while i < sent.end:
            span = self.res.ent_at.get(i)
            if span is not None and span.start == i:
                if _describes_next(span):
                    # "a former Acme engineer", "Ive's design studio X": a name that only
                    # describes the next noun is no party of the list
                    i, gap = span.end, gap + 1
                    if i < sent.end and self.doc[i].tag_ == "POS":
                        i += 1
                    continue
                ref = self.res.ref(span)
                if ref.type not in ("ORG", "PERSON", "MEDIA"):
                    break
                out.append(ref)
                i, gap = span.end, 0
                continue
            tok = self.doc[i]
            if tok.lower_ in _LIST_GLUE or tok.text == ",":
                if tok.text == ",":
                    gap = 0  # each item of the list gets its few describing words
                i += 1
                continue
            if tok.text in _HYPHENS and not tok.whitespace_ and i > last.end:
                i += 1  # "data-scraping": one word split in three, counted once
                continue
            if (
                gap < 5
                and (
                    tok.pos_ in ("NUM", "ADJ", "NOUN", "DET", "PROPN")
                    # "data-scraping firms", not "…, saying that": a participle before its noun
                    or (tok.tag_ in ("VBG", "VBN") and _before_noun(tok))
                )
                and tok.lower_ not in _LIST_STOP
            ):
                gap += 1  # "three data scraping firms"
                i += 1
                continue
            break
        return out

    def _passive_sufferer(self, frame: Frame) -> Ref | None:
        """ "Acme got hacked", "Acme was breached": the company a passive intrusion befell
        when no one is said to have done it."""
        act = frame.action
        if act is None or not is_verb(act) or agent(act) is not None:
            return None
        for c in act.children:
            if c.dep_ == "nsubjpass":
                ref = self.res.one(c, "victim")
                if ref is not None and ref.type in VICTIM_TYPES | {"PERSON"}:
                    return ref
        return None

    def _names_suit(self, cand: Candidate) -> bool:
        """A cue that names a kind of suit or claim ("trademark claims", "a copyright
        infringement lawsuit") rather than an act."""
        legal_nouns = self.lex.frame("legal_noun")
        trig = cand.trigger
        if cand.match.cue.fallback or not (
            trig.lemma_.lower() in legal_nouns
            or (trig.dep_ == "compound" and trig.head.lemma_.lower() in legal_nouns)
        ):
            return False
        # "dismissed the copyright claims", "lacked standing to bring its copyright claims": a
        # claim thrown out or never standing names no act of the suit's defendant
        dropped = self.lex.frame("claim_dropped")
        return not any(is_verb(t) and t.lemma_.lower() in dropped for t in trig.ancestors)

    def _suit_targets(self, sent: Span, exclude: frozenset[str]) -> list[Ref]:
        """The parties a suit in the sentence is against: "a lawsuit against X", "filed
        against X", "disputes between rights holders and AI firms, including X"."""
        legal_nouns = self.lex.frame("legal_noun")
        filing = self.lex.frame("file_legal")
        alts: list[tuple[list[Token], str]] = []
        for tok in sent:
            lemma = tok.lemma_.lower()
            if tok.pos_ == "NOUN" and lemma in legal_nouns:
                targets, _ = legal_noun_targets(tok, self.lex)
            elif lemma in filing and is_verb(tok):
                targets = prep_objects(tok, LEGAL_TARGET_PREPS)
            else:
                continue
            if targets:
                alts.append((targets, "legal"))
        if not alts:
            return []
        suit = Frame(trigger=sent.root, path=[], accused_alts=alts)
        accused, _ = self._accused(suit, exclude)
        return [r for r in accused if r.type in ("ORG", "PERSON", "MEDIA")]

    def _licensed(
        self, sent: Span, frame: Frame, stance: str, legal: str | None, accuser: Ref | None
    ) -> bool:
        """An act told in the article's voice under a licence or an open-source release.

        "X uses Y's technology to build Z under a licensing deal", "X published the code of its
        model under an open-source licence": business as usual, unless someone accuses.
        """
        if stance != "asserted" or legal is not None or accuser is not None or frame.attributed:
            return False
        words = self.lex.frame("licensed_use")
        return any(t.lemma_.lower() in words or t.lower_ in words for t in sent)

    def _adjacent_doer(self, match: CueMatch, exclude: frozenset[str]) -> Ref | None:
        """A name right before an act word the parser did not take for a verb.

        The small model tags rare verbs ("torrented", "distilled" in headlines) as adjectives
        and hangs them off the next noun, so "Acme torrented pirated books" has no subject.
        When the cue's first word looks like a past verb but is not parsed as a verb with a
        subject, and an organisation or person name ends right before it (not a possessive),
        that name is the doer.
        """
        first = match.tokens[0]
        if first.i == 0 or not first.lower_.endswith("ed"):
            return None
        if is_verb(first) and any(c.dep_ in ("nsubj", "nsubjpass") for c in first.children):
            return None
        span = self.res.ent_at.get(first.i - 1)
        if span is None or span.end != first.i:
            return None
        before = self.doc[span.start - 1] if span.start > first.sent.start else None
        if before is not None and before.pos_ in ("DET", "ADP", "PART"):
            return None  # "the Acme pirated books", "of Acme…"
        ref = self.res.ref(span)
        if ref.type not in ("ORG", "PERSON") or ref.id in exclude:
            return None
        return ref

    def _named_later(self, frame: Frame, sent: Span, exclude: frozenset[str]) -> Ref | None:
        """The party an unnamed culprit turns out to be.

        News names the culprit right after introducing them: "A former engineer was indicted…
        Jane Roe, 38, was arrested…"; "sued a former contractor… The suit accuses Acme of…".
        The first person (or, for a firm, organisation) that is the subject of a verb other than
        a reporting one, or the object of an accusing one, in the next two sentences.
        """
        individual = self.lex.frame("individual_noun")
        firms = self.lex.frame("firm_noun")
        words = [t for toks, _ in frame.accused_alts for t in toks]
        if any(t.lemma_.lower() in individual or t.lower_ in PERSONAL for t in words):
            wanted = frozenset({"PERSON"})
        elif any(t.lemma_.lower() in firms for t in words):
            wanted = frozenset({"ORG"})
        else:
            return None
        speaking = self.lex.frame("report") | self.lex.frame("respond") | self.lex.frame("source")
        accusing = self.lex.frame("accuse")
        later_sents = 0
        for tok in self.doc[sent.end :]:
            if tok.is_sent_start and len(tok.sent) > 4:
                # a dateline or wire credit split off as a "sentence" does not count
                later_sents += 1
                if later_sents > 2:
                    break
            span = self.res.ent_at.get(tok.i)
            if span is None or tok.i != span.root.i:
                continue
            ref = self.res.ref(span)
            if tok.dep_ == "appos":
                tok = tok.head  # "a former employee, Jane Roe, had published…"
            elif tok.dep_ == "compound" and ref.type == "ORG" and tok.head.tag_ == "NNS":
                tok = tok.head  # "Acme employees copied…": the firm acts through its staff
            elif (
                tok.dep_ in ("pobj", "oprd")
                and (verb := tok.head if tok.dep_ == "oprd" else tok.head.head).dep_
                in ("relcl", "acl")
                and verb.lemma_.lower() in _NAMING_VERBS
            ):
                tok = verb.head  # 'The group, which researchers track as "Copper Kite", stole…'
            head = tok.head.lemma_.lower()
            if (
                ref.type in wanted
                and ref.id not in exclude
                and (
                    (tok.dep_ in ("nsubj", "nsubjpass") and head not in speaking)
                    or (tok.dep_ == "dobj" and (head in accusing or head == "name"))
                )
            ):
                return ref
        return None

    def _accused(self, frame: Frame, exclude: frozenset[str]) -> tuple[list[Ref], bool]:
        """The accused entities, and whether an unnamed culprit ("a former engineer") was said.

        Candidates are tried in path order; one that names an organisation or person outright
        beats one reached through a pronoun or "the company" (which needs guessing) or one that
        only names a product ("saying Claude reproduces lyrics" under "sue Anthropic").
        """
        fallback: list[Ref] = []
        unnamed = False
        person_nouns = self.lex.frame("person_noun")
        acts = self.lex.frame("act_anaphor")
        for tokens, source in frame.accused_alts:
            if source == "patient":
                continue
            if source == "respond" and unnamed and frame.confirmer is not None:
                continue  # "X confirmed that hackers broke into its network": X suffered it
            if (
                self.last_accused is not None
                and self.last_accused.id not in exclude
                and any(t.lemma_.lower() in acts and t.i not in self.res.ent_at for t in tokens)
            ):
                # "Brightwater said the activity breached its terms": the act already reported
                return [self.last_accused], False
            if unnamed and not any(self.res.is_named(t) for t in tokens):
                continue  # "sued a former engineer, accusing him": him is that engineer
            refs: list[Ref] = []
            direct = False
            for tok in tokens:
                named = self.res.is_named(tok)
                found = [
                    self.res.owner(r)
                    for r in self.res.refs(tok, "accused", exclude)
                    if named or r.id not in exclude  # exclusion only steers guesses
                ]
                if not found and (tok.lemma_.lower() in person_nouns or tok.lower_ in PERSONAL):
                    unnamed = True  # "a former engineer", "intruders"
                direct = direct or (bool(found) and named)
                refs += [r for r in found if r not in refs]
            if refs and direct and any(r.type != "PRODUCT" for r in refs):
                return refs, unnamed
            if refs and not fallback:
                fallback = refs
        if not frame.accused_alts and frame.action is not None and is_verb(frame.action):
            # "the weights were posted online": a passive act with no agent
            unnamed = passive_subject(frame.action) is not None and agent(frame.action) is None
        return fallback, unnamed and not fallback

    def _victim(
        self,
        frame: Frame,
        match: CueMatch,
        accuser: Ref | None,
        accused_ids: set[str],
        technique: bool,
    ) -> tuple[Ref | None, bool]:
        tokens, own = victim_tokens(frame, match, self.lex.frame("person_noun"))
        doers = {t.i for t in frame.accused}
        person_nouns = self.lex.frame("person_noun")
        for tok in tokens:
            if tok.i in doers:
                continue  # "DeepSeek's distillation": the possessor did it
            if (
                tok.dep_ in ("poss", "compound")
                and tok.head.i in doers
                and tok.head.lemma_.lower() not in person_nouns
            ):
                # "an OpenAI chatbot voice sounds like hers": the thing's owner is the doer
                # ("a former Halvard engineer" still names the victim: staff are individuals)
                continue
            pronoun = tok.lower_ in POSS_PRONOUNS | NEUTER | FIRST_PLURAL
            if pronoun and accuser is not None and accuser.id not in accused_ids:
                return accuser, own  # "its models" in an accuser's mouth are the accuser's
            if (
                tok.lower_ in ("their", "our")
                and accuser is None
                and frame.accuser is not None
                and frame.accuser.tag_ in ("NNS", "NNPS")
            ):
                # "AI companies accused X of distilling their models": the accusers' models,
                # though no accuser is named
                return None, False
            # "the paper's archive": an anaphor never means the accused itself
            ref = self.res.one(tok, "victim", frozenset() if pronoun else frozenset(accused_ids))
            if ref is None:
                continue
            ref = self.res.owner(ref)
            if ref.id in accused_ids:
                # "distilled its models" with no one else speaking: the lab's own models. For
                # other acts a bare "its" is too weak to call the act harmless.
                if pronoun and not own and not technique:
                    return None, False
                return ref, True
            return ref, own
        return None, own

    @staticmethod
    def _is_technique(
        frame: Frame, stance: str, legal: str | None, victim: Ref | None, own: bool
    ) -> bool:
        """An act that also names a technique (distillation), told in the article's voice about no
        one else's model, is the technique."""
        if own:
            return True
        if frame.attributed or frame.speakers or legal is not None or stance != "asserted":
            return False
        if victim is None or victim.type == "PRODUCT":
            return True
        action = frame.action
        return action is not None and bool(prep_objects(action, frozenset({"into"})))


def extract_claims(
    doc: Doc, ctx: ClaimContext | None = None, lexicon: Lexicon | None = None
) -> list[Claim]:
    """Extract claims from a parsed, entity-linked spaCy Doc.

    Args:
        doc: a Doc with a dependency parse whose ``doc.ents`` carry entity types as labels and
            entity ids as ``kb_id_``.
        ctx: article context (entities, focus organisation, roles); built from the Doc's custom
            attributes when omitted.
        lexicon: cue lexicon; the packaged ``nlp/patterns`` files when omitted.

    Returns:
        Claims in text order, at most one per (type, accused) per sentence.
    """
    if not doc.has_annotation("DEP"):
        logger.warning("extract_claims needs a dependency parse; no claims extracted")
        return []
    lex = lexicon or default_lexicon()
    ctx = ctx or ClaimContext.from_doc(doc)
    sents = list(doc.sents)
    # Pass 1 is the cheap phrase lookup; only sentences with a cue get the parse analysis.
    matches = [sentence_matches(sent, lex) for sent in sents]
    if not any(matches):
        return []
    votes = doc_type_votes(matches)
    ext = _Extractor(doc, ctx, lex)
    claims: list[Claim] = []
    for index, (sent, found) in enumerate(zip(sents, matches, strict=True)):
        if found:
            claims += ext.sentence(sent, index, candidates(found, lex, votes))
    denials = answered_denials(doc, sents, claims, ext.res, lex)
    if denials:
        claims = sorted(claims + denials, key=lambda c: (c.sentence_index, c.start))
    claims = _suit_defendant(claims, ext.mentions)
    plaintiffs = find_plaintiffs(doc, ext.res, lex) if claims else []
    intrusions = frozenset(t for t, ct in lex.types.items() if ct.anonymous_ok)
    merged = merge_article(claims, ext.definite_suits, plaintiffs, ext.mentions, intrusions)
    # Only an article that reports a charge needs its prosecuting office looked up.
    charged = any(c.legal_status == "charged" and c.accuser_id is None for c in merged)
    prosecutor = _prosecutor(ext.res, lex) if charged else None
    out = [_charged_by(_owner_sues(c, ext.res), prosecutor) for c in merged]
    # "X and Y settle the lawsuit": the plaintiff settling beside the defendant is no accused;
    # a claim of the same type that it brings in the article says which side it is on.
    suing = {(c.type, c.accuser_id) for c in out if c.accuser_id is not None}
    return [c for c in out if c.accuser_id is not None or (c.type, c.accused_id) not in suing]


def _suit_defendant(claims: list[Claim], mentions: set[tuple[int, str, str | None]]) -> list[Claim]:
    """Claims that name only a kind of suit ("the trademark claims") are against the party
    the article's suits are most often against; dropped when no one party is."""
    if not any(c.accused_id == _SUIT_DEFENDANT.id for c in claims):
        return claims
    sued = Counter(
        (c.accused_id, c.accused)
        for c in claims
        if (c.legal_status is not None or c.accuser_id is not None)
        and c.accused_id not in (None, _SUIT_DEFENDANT.id)
        and (c.sentence_index, c.type, c.accused_id) not in mentions
    ).most_common(2)
    top = sued[0][0] if sued and (len(sued) == 1 or sued[0][1] > sued[1][1]) else None
    suing = Counter(
        (c.accuser_id, c.accuser)
        for c in claims
        if top is not None and c.accused_id == top[0] and c.accuser_id is not None
    ).most_common(1)
    out: list[Claim] = []
    for c in claims:
        if c.accused_id != _SUIT_DEFENDANT.id:
            out.append(c)
        elif top is not None and top[0] != c.accuser_id:
            c = replace(c, accused_id=top[0], accused=top[1])
            if c.accuser_id is None and suing:
                (acc_id, acc), _ = suing[0]
                c = replace(
                    c,
                    accuser_id=acc_id,
                    accuser=acc,
                    victim_id=c.victim_id or acc_id,
                    victim=c.victim or acc,
                )
            out.append(c)
    return out


def _prosecutor(res: Resolver, lex: Lexicon) -> Ref | None:
    """The prosecuting office the article names ("the U.S. Attorney's Office for …", "the
    Justice Department"), the earliest named; None when the article names none."""
    words = lex.frame("prosecutor_name")
    for span in res.ents:
        ref = res.ref(span)
        lowered = {t.lower_ for t in span}
        if ref.type == "GOV" and lowered & words and "court" not in lowered:
            return ref
    return None


def _charged_by(claim: Claim, prosecutor: Ref | None) -> Claim:
    """A criminal charge is brought by the prosecutor: "X was charged with stealing…" names
    no accuser in its sentence, but the office the article names is the one charging."""
    if claim.legal_status != "charged" or claim.accuser_id is not None or prosecutor is None:
        return claim
    if prosecutor.id == claim.accused_id:
        return claim
    return replace(claim, accuser_id=prosecutor.id, accuser=prosecutor.name)
