"""Reading a claim's argument structure off the dependency parse.

From the cue's trigger token we walk up its ancestors (the *path*) and read each word's frame:

* an **action** word (distil, steal, scrape, infringement…): its subject or passive agent is the
  accused; its possessor or ``from``/``of`` object is the victim;
* an **accuse** verb (accuse, sue, charge, investigate…): its object, or passive subject, is the
  accused and its subject, or passive agent, the accuser;
* a **sanction** verb (cut off, revoke, ban…): its subject is the provider (accuser), the holder of
  the access or accounts is the accused;
* a **respond** verb (deny, admit, confirm, plead): its subject speaks; when the action has no
  subject of its own ("DeepSeek denied distilling…") the subject is also the accused;
* a **report** verb (say, tell, claim, allege, believe, find…): its subject is the speaker and, when
  not the accused, the accuser; a **source** verb (report, cite) only attributes to a news outlet.

Only token positions are returned here; :mod:`nlp.claims.resolve` turns them into entities.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Span, Token

from nlp.claims.lexicon import Lexicon

VERB_POS = frozenset({"VERB", "AUX"})
SUBJ_DEPS = frozenset({"nsubj", "csubj"})
OBJ_DEPS = frozenset({"dobj", "obj", "dative"})
RELATIVE = frozenset({"which", "who", "whom", "that"})
# Nouns whose possessor or "by" phrase names the one who did the act: "DeepSeek's distillation".
NOUN_AGENT_PREPS = frozenset({"by"})
LEGAL_TARGET_PREPS = frozenset({"against", "into"})
# A noun in one of these slots is an argument of its verb, not an adjunct ("in violation of").
# Conditions make the act hypothetical, not claimed.
_HYPOTHETICAL = frozenset({"if", "unless"})
# Verbs whose passive subject is a model its owner made: "X's model was trained on…".
_BUILT_BY_OWNER = frozenset({"train", "fine-tune", "finetune", "build", "develop", "create"})
# "The company confirmed the leak": a victim may confirm; only these are said by the accused.
_NEUTRAL_RESPONSES = frozenset({"confirm"})
_ARGUMENT_DEPS = frozenset({"dobj", "nsubj", "nsubjpass", "attr", "oprd", "dative", "csubj"})
POSS_PRONOUNS = frozenset({"its", "their", "our", "his", "her", "my", "your"})
_EVENT_SUFFIXES = ("tion", "sion", "ment", "ing", "age", "ance", "ery")
_EVENT_NOUNS = frozenset(
    {"theft", "breach", "leak", "hack", "misuse", "abuse", "espionage", "piracy"}
)

# Things whose names end like acts ("image", "document", "information"): their possessor owns
# them, it did nothing.
_THING_NOUNS = frozenset(
    {
        "image",
        "page",
        "message",
        "language",
        "footage",
        "document",
        "equipment",
        "department",
        "government",
        "information",
        "publication",
        "station",
        "nation",
    }
)


_CLAUSE_DEPS = frozenset({"acl", "ccomp", "relcl", "advcl", "xcomp"})
_VERBAL_CHILDREN = frozenset({"nsubj", "nsubjpass", "aux", "auxpass", "neg", "dobj"})


def is_verb(tok: Token) -> bool:
    """True for verbs, including ones the tagger mislabels ("did not distil" as PROPN).

    A word with an auxiliary, a negation, a subject or a direct object is used as a verb.
    """
    if tok.pos_ in VERB_POS or tok.tag_.startswith("VB"):
        return True
    if tok.pos_ == "NOUN":
        # "evidence that DeepSeek distilled knowledge…" parsed with "knowledge" as the clause
        # head: a noun heading a clause with its own subject is standing in for the verb.
        return tok.dep_ in _CLAUSE_DEPS and any(c.dep_ == "nsubj" for c in tok.children)
    return any(c.dep_ in _VERBAL_CHILDREN for c in tok.children)


def is_event_noun(tok: Token) -> bool:
    """Nominalised acts ("distillation", "theft", "scraping"), whose possessor is the doer."""
    lemma = tok.lemma_.lower()
    if lemma in _THING_NOUNS:
        return False  # "Acme's images": the possessor owns them
    return lemma in _EVENT_NOUNS or lemma.endswith(_EVENT_SUFFIXES)


def is_passive(verb: Token) -> bool:
    """True when the verb has a passive subject or passive auxiliary."""
    return any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children)


def relative_antecedent(tok: Token) -> Token:
    """Map a relative pronoun ("which", "who") to the noun its clause modifies."""
    if tok.lower_ in RELATIVE and tok.tag_ in ("WDT", "WP", "WP$"):
        verb = tok.head
        while verb.dep_ not in ("relcl", "acl") and verb.head.i != verb.i:
            if verb.dep_ == "ROOT":
                return tok
            verb = verb.head
        if verb.dep_ in ("relcl", "acl"):
            return verb.head
    return tok


def active_subject(verb: Token) -> Token | None:
    """The nsubj of an active verb (relative pronouns mapped to their antecedent).

    With two subjects ("NEW YORK — The Times sued…", a dateline parsed as a subject) the one
    nearest before the verb wins.
    """
    subjects = [c for c in verb.children if c.dep_ in SUBJ_DEPS]
    if not subjects:
        return None
    before = [c for c in subjects if c.i < verb.i]
    return relative_antecedent(before[-1] if before else subjects[0])


def implicit_subject(verb: Token) -> Token | None:
    """The understood subject of a participle clause: "X cut off access, saying …" → X."""
    if verb.dep_ in ("advcl", "xcomp", "conj") and is_verb(verb.head):
        return active_subject(verb.head)
    return None


def agent(verb: Token) -> Token | None:
    """The ``by`` agent of a passive verb."""
    for c in verb.children:
        if c.dep_ == "agent":
            for g in c.children:
                if g.dep_ == "pobj":
                    return g
    return None


def passive_subject(verb: Token) -> Token | None:
    """The nsubjpass of a passive verb (relative pronouns mapped to their antecedent)."""
    for c in verb.children:
        if c.dep_ == "nsubjpass":
            return relative_antecedent(c)
    return None


def doer(verb: Token) -> Token | None:
    """Who did the act: the active subject, or the agent of a passive verb."""
    if is_passive(verb):
        return agent(verb)
    return active_subject(verb)


def objects(verb: Token) -> list[Token]:
    """Direct objects of a verb (and ``into``/``against`` targets of probe-like verbs)."""
    out = [relative_antecedent(c) for c in verb.children if c.dep_ in OBJ_DEPS]
    if out:
        # "accused it and Stability AI of…" is sometimes parsed with the second object
        # conjoined to the verb.
        out += [c for c in verb.children if c.dep_ == "conj" and c.pos_ == "PROPN"]
    if not out:
        for c in verb.children:
            if c.dep_ == "prep" and c.lower_ in LEGAL_TARGET_PREPS:
                out += [g for g in c.children if g.dep_ == "pobj"]
    return out


def prep_objects(tok: Token, preps: frozenset[str]) -> list[Token]:
    """Objects of the given prepositions attached to ``tok``."""
    return [
        g
        for c in tok.children
        if c.dep_ == "prep" and c.lower_ in preps
        for g in c.children
        if g.dep_ == "pobj"
    ]


@dataclass
class Frame:
    """Token-level argument structure of one claim trigger."""

    trigger: Token
    path: list[Token]
    action_chain: list[Token] = field(default_factory=list)
    action: Token | None = None
    accused_alts: list[tuple[list[Token], str]] = field(default_factory=list)
    accused_from_respond: bool = False
    # The act is prevented or hypothetical ("to keep them from copying", "if … were used"):
    # no claim.
    prevented: bool = False
    # Subjects of deny/admit/plead: they answer an accusation, they never make it.
    defendants: list[Token] = field(default_factory=list)
    accuser: Token | None = None
    speakers: list[Token] = field(default_factory=list)
    sources: list[Token] = field(default_factory=list)
    according_to: Token | None = None
    sanction: bool = False
    attributed: bool = False
    respond_lemma: str | None = None
    # Who said "confirmed", and the verb: a confirmation is the allegation proven only in the
    # accused's mouth (or a victim's telling of an act with no named culprit), never when an
    # agency confirms its inquiry or an accuser its own sanction.
    confirmer: Token | None = None
    confirm_verb: Token | None = None

    @property
    def accused(self) -> list[Token]:
        """The first accused candidate (tokens), or an empty list."""
        return self.accused_alts[0][0] if self.accused_alts else []

    def add_accused(self, tokens: list[Token], source: str) -> None:
        """Record an accused candidate; candidates found earlier on the path come first."""
        if tokens and all(tokens != alt for alt, _ in self.accused_alts):
            self.accused_alts.append((tokens, source))


def legal_noun_targets(noun: Token, lex: Lexicon) -> tuple[list[Token], Token | None]:
    """For "a lawsuit against X filed by Y": ([X], Y); "defendants including X": ([X], None)."""
    targets = prep_objects(noun, LEGAL_TARGET_PREPS)
    if noun.lemma_.lower() == "defendant":
        targets += [c for c in noun.children if c.dep_ == "appos"]
        targets += prep_objects(noun, frozenset({"including", "like"}))
    filer: Token | None = None
    for c in noun.children:
        if c.dep_ == "poss":
            filer = c
        elif c.dep_ == "acl" and is_verb(c):
            filer = filer or agent(c)
            if not targets and c.lemma_.lower() in lex.frame("file_legal"):
                # "a suit filed by a group of authors against X": the parser hangs "against X"
                # on the verb, or on the filer's phrase
                targets = _against_in(c)
    if not targets:
        targets, first = between_parties(noun)
        if first is not None and first.pos_ == "PROPN":
            filer = filer or first  # "a dispute between Acme and Brightline": Acme's
    if filer is None and noun.head.lemma_.lower() in lex.frame("face_legal"):
        # "X faces a lawsuit from Y": Y brings it
        filer = next(iter(prep_objects(noun, frozenset({"from"}))), None)
    return targets, filer


def _against_in(verb: Token) -> list[Token]:
    """The first "against X" in a filing verb's phrase (not inside a nested clause)."""
    for t in verb.subtree:
        if t.dep_ == "prep" and t.lower_ in LEGAL_TARGET_PREPS:
            if any(a.dep_ in _CLAUSE_DEPS for a in t.ancestors if a.i > verb.i):
                continue
            pobjs = [g for g in t.children if g.dep_ == "pobj"]
            # "against the U.S. startup" parsed as two objects: the noun is the last
            return pobjs[-1:]
    return []


def between_parties(noun: Token) -> tuple[list[Token], Token | None]:
    """ "disputes between rights holders and AI firms, including X and Y": the side named
    second is the one the claim is against (with the members the sentence lists for either
    side's phrase); the first side brings it. ([], None) without such a phrase."""
    for side in prep_objects(noun, frozenset({"between"})):
        conj = side.conjuncts
        if not conj:
            continue
        second = conj[0]
        members = [
            p
            for t in (side, *conj)
            for p in prep_objects(t, frozenset({"including", "like", "as"}))
            if p.i > second.i
        ]
        return [*members, second], side
    return [], None


def read_frame(trigger: Token, sent: Span, lex: Lexicon) -> Frame:
    """Walk from ``trigger`` to the sentence root and collect argument positions.

    Accused candidates are kept in the order found (``Frame.accused_alts``): the resolver takes
    the first that names an entity, so "sued A and its partner, B, alleging that the companies
    copied…" falls back from the anaphor "the companies" to the sued parties.

    Args:
        trigger: the head token of a claim-type cue.
        sent: the sentence holding it.
        lex: the lexicon (frames of verbs and nouns).

    Returns:
        A :class:`Frame` with token positions; nothing is resolved to entities yet.
    """
    path = [trigger, *trigger.ancestors]
    frame = Frame(trigger=trigger, path=path)
    accuse = lex.frame("accuse")
    report = lex.frame("report")
    respond = lex.frame("respond")
    sanction = lex.frame("sanction")
    source = lex.frame("source")
    prevent = lex.frame("prevent")
    perpetrate = lex.frame("perpetrate")
    legal_nouns = lex.frame("legal_noun")
    chain_open = True
    prev: Token | None = None
    for tok in path:
        lemma = tok.lemma_.lower()
        child, prev = prev, tok
        if not is_verb(tok):
            if chain_open:
                frame.action_chain.append(tok)
            if tok.pos_ not in ("NOUN", "PROPN"):
                continue
            if lemma in legal_nouns:
                targets, filer = legal_noun_targets(tok, lex)
                frame.add_accused(targets, "legal")
                frame.accuser = frame.accuser or filer
                if targets or filer is not None:
                    frame.attributed = True
                if targets:
                    chain_open = False
            elif chain_open and (
                is_event_noun(tok)
                or (
                    child is trigger
                    and child.dep_ == "compound"
                    and lemma in lex.frame("act_anaphor") | lex.frame("act_head")
                )
            ):
                # "DeepSeek's distillation of…", "infringement by X", "distillation attacks
                # by X" (the act's noun names the kind of attack, campaign or operation)
                doers = [
                    c for c in tok.children if c.dep_ == "poss" and c.lower_ not in POSS_PRONOUNS
                ]
                doers = doers or prep_objects(tok, NOUN_AGENT_PREPS)
                if doers and frame.action is None:
                    frame.action = tok
                frame.add_accused(doers, "action")
            continue
        if (
            child is not None
            and child.dep_ == "xcomp"
            and is_passive(tok)
            and not any(src in ("action", "undergo") for _, src in frame.accused_alts)
        ):
            # "Ross was found to have infringed", "X is alleged to have copied": the passive
            # subject did the act.
            ps = passive_subject(tok)
            if ps is not None:
                frame.add_accused([ps], "action")
        if any(c.dep_ == "mark" and c.lower_ in _HYPOTHETICAL for c in tok.children):
            frame.prevented = True  # "if a developer wants evidence that its outputs were used"
        if (
            child is trigger
            and child.dep_ in OBJ_DEPS
            and lemma in lex.frame("possess")
            and not is_event_noun(trigger)
        ):
            # "trade secrets that they keep from hackers", "it has trade secrets": the holder
            # owns the thing; no one is said to take it
            frame.prevented = True
        if chain_open and lemma in prevent:
            # "guardrails to keep them from reproducing…", "measures to prevent scraping"
            frame.prevented = True
        if lemma in accuse:
            chain_open = False
            frame.attributed = True
            pas = passive_subject(tok) if is_passive(tok) else None
            objs = [pas] if pas is not None else objects(tok)
            if not objs and tok.dep_ == "acl" and tok.tag_ == "VBN" and tok.head.tag_ != "NNS":
                # a headline's reduced passive: "Former engineer Jane Roe charged with…" (not
                # "reports of engineers charged with…", which names no case)
                objs = [tok.head]
            if objs and all(o.pos_ == "PRON" for o in objs) and tok.dep_ in ("advcl", "conj"):
                # "sued a former engineer, accusing him of…": him is the one sued.
                frame.add_accused(objects(tok.head), "accuse")
            frame.add_accused(objs, "accuse")
            who = agent(tok) if is_passive(tok) else active_subject(tok)
            if (
                not objs
                and who is not None
                and tok.tag_ in ("VBD", "VBN")
                and any(c.dep_ == "prep" and c.lower_ in ("with", "of") for c in tok.children)
            ):
                # a headline's dropped "was": "Jane Roe charged with stealing…" has no one
                # charged but its subject
                frame.add_accused([who], "accuse")
                who = None
            if who is not None:
                frame.accuser = frame.accuser or who
                frame.speakers.append(who)
        elif lemma in sanction and chain_open:
            chain_open = False
            frame.sanction = True
            frame.attributed = True
            who = active_subject(tok)
            if who is not None:
                frame.accuser = frame.accuser or who
            frame.add_accused(_sanction_targets(tok), "sanction")
        elif lemma in respond:
            chain_open = False
            who = active_subject(tok)
            if who is not None:
                frame.speakers.append(who)
                neutral = lemma in _NEUTRAL_RESPONSES
                if neutral:
                    frame.confirmer = frame.confirmer or who
                    frame.confirm_verb = frame.confirm_verb or tok
                else:
                    frame.defendants.append(who)
                frame.respond_lemma = frame.respond_lemma or lemma
                if neutral and (frame.accuser is not None or frame.sanction):
                    # "Quillmark confirmed that it had suspended the account": the one who
                    # acted confirms its own action; it is not the accused.
                    continue
                if not frame.accused_alts:
                    frame.accused_from_respond = True
                frame.add_accused([who], "respond")
        elif lemma in report:
            chain_open = False
            frame.attributed = True
            who = active_subject(tok) or implicit_subject(tok)
            if who is not None:
                frame.speakers.append(who)
            of_act = any(
                c.dep_ == "prep" and c.lower_ == "of" and any(g.dep_ == "pcomp" for g in c.children)
                for c in tok.children
            )
            if of_act and objects(tok):
                # "which it suspects of using its answers": the object is accused of the act
                frame.add_accused(objects(tok), "accuse")
                frame.accuser = frame.accuser or who
        elif lemma in source and tok is not trigger:
            # "published the source code online" is the act itself, not a news source
            chain_open = False
            who = active_subject(tok)
            if who is not None:
                frame.sources.append(who)
        else:
            if _other_verb(frame, tok, child, chain_open, lex, perpetrate, legal_nouns):
                chain_open = False
    _attach_attribution(frame, sent, lex)
    return frame


def _other_verb(
    frame: Frame,
    tok: Token,
    child: Token | None,
    chain_open: bool,
    lex: Lexicon,
    perpetrate: frozenset[str],
    legal_nouns: frozenset[str],
) -> bool:
    """A verb that is no accusation frame: the act itself, or a verb governing the act's noun.

    Returns True when the verb turned out to frame an accusation ("filed a lawsuit against X").
    """
    lemma = tok.lemma_.lower()
    if chain_open:
        frame.action_chain.append(tok)
        if frame.action is None:
            frame.action = tok
    filing = lemma in lex.frame("file_legal")
    legal_objs = [o for o in objects(tok) if o.lemma_.lower() in legal_nouns]
    filed = _filed_legal_subject(tok, legal_nouns) if filing else None
    if filing and (legal_objs or filed is not None):
        # "The FTC opened an investigation into…", "filed a lawsuit against X": the opener
        # or filer accuses; "dozens of suits have been filed against X by Y": Y does.
        who = agent(tok) if filed is not None else active_subject(tok)
        frame.accuser = frame.accuser or who
        frame.attributed = frame.attributed or who is not None
        targets, _ = legal_noun_targets(filed or legal_objs[0], lex)
        # the parser hangs "against X" on the verb as often as on the noun
        targets = targets or prep_objects(tok, LEGAL_TARGET_PREPS)
        frame.add_accused(targets, "legal")
        # Whoever brings the suit accuses; nobody above it in the sentence did the act.
        return True
    if not chain_open:
        return False
    # A nominalised act ("the theft", "copyright infringement", "a copyright lawsuit") is only
    # done by the subject of a verb of doing ("committed", "engaged in", "faces"): "X will not
    # tolerate the theft" accuses no X.
    # Likewise when the act's noun hangs from the verb through a preposition: "not aware of any
    # breach", "complained about scraping" (but "engaged in scraping").
    nominal = frame.trigger.i != tok.i and not any(
        is_verb(t) for t in frame.path[: frame.path.index(tok)]
    )
    trigger_is_act = is_event_noun(frame.trigger) or frame.trigger.lemma_.lower() in legal_nouns
    argument = (
        child is not None
        and child.dep_ in _ARGUMENT_DEPS
        and (is_event_noun(child) or child.lemma_.lower() in legal_nouns)
    )
    if (
        child is not None
        and not is_verb(child)
        and (argument or (nominal and trigger_is_act and frame.trigger.pos_ == "NOUN"))
        and lemma not in perpetrate
    ):
        # "X failed to disclose a hack of its systems": when the act's noun is this verb's
        # argument, neither its subject nor any above it did the act ("…, raising concerns over
        # infringement" still leaves the clause above to say who did it; "X failed to dismiss
        # the claims": the one above a suit is its defendant)
        return argument and child.i == frame.trigger.i and child.lemma_.lower() not in legal_nouns
    if any(source in ("action", "undergo", "patient") for _, source in frame.accused_alts):
        return False  # the act already has its doer; "We know that X is working to…"
    who = doer(tok)
    if who is None and is_passive(tok) and lemma in _BUILT_BY_OWNER:
        # "DeepSeek's R1 model was trained on OpenAI outputs": the model's owner trained it.
        patient = passive_subject(tok)
        if patient is not None:
            frame.add_accused([patient], "action")
            frame.action = tok
            return False
    if who is None and tok.dep_ == "acl":
        # "a group using stolen keys": the noun does it; "generators trained on scraped
        # pictures": the noun undergoes it, and whoever did it is not named here.
        frame.add_accused([tok.head], "patient" if tok.tag_ == "VBN" else "action")
        return False
    if who is not None:
        frame.add_accused([who], "undergo" if lemma in perpetrate else "action")
        frame.action = tok
    return False


def _filed_legal_subject(verb: Token, legal_nouns: frozenset[str]) -> Token | None:
    """The suit a passive filing verb is about: "suits were filed against X", "dozens of
    lawsuits have been brought against X" (the count's ``of`` object is the suit)."""
    if not is_passive(verb):
        return None
    subj = passive_subject(verb)
    if subj is None:
        return None
    for tok in (subj, *prep_objects(subj, frozenset({"of"}))):
        if tok.lemma_.lower() in legal_nouns:
            return tok
    return None


_HOLDER_PREPS = frozenset({"for", "from", "by", "of", "with"})
_LINK_WORDS = frozenset({"linked", "tied", "associated", "belonging", "connected", "used", "run"})


def _sanction_targets(verb: Token) -> list[Token]:
    """Who lost access: "cut off X's access", "banned accounts linked to X", "blocked X".

    The thing accessed ("access to Claude") is the provider's, never the target.
    """
    out: list[Token] = []
    for obj in objects(verb):
        out += [c for c in obj.children if c.dep_ == "poss" and c.lower_ not in POSS_PRONOUNS]
        out += prep_objects(obj, _HOLDER_PREPS)
        for c in obj.children:
            if c.dep_ in ("acl", "amod") and c.lower_ in _LINK_WORDS:
                out += prep_objects(c, frozenset({"to", "with", "by"}))
        if not out and obj.pos_ == "PROPN":
            out.append(obj)
    out += prep_objects(verb, _HOLDER_PREPS)
    return out[:1]  # the holder; later names are what it owns ("ByteDance, owner of TikTok")


def _attach_attribution(frame: Frame, sent: Span, lex: Lexicon) -> None:
    """ "according to X" anywhere in the sentence; "…, X said" parsed as a side clause."""
    for tok in sent:
        if tok.lower_ == "according":
            for to in tok.children:
                for pobj in to.children:
                    if pobj.dep_ == "pobj":
                        frame.according_to = pobj
                        frame.attributed = True
            if frame.according_to is None and tok.i + 2 < sent.end:
                nxt = tok.doc[tok.i + 1]
                if nxt.lower_ == "to":
                    frame.according_to = next((c for c in nxt.children if c.dep_ == "pobj"), None)
                    frame.attributed = frame.attributed or frame.according_to is not None
    if frame.speakers:
        return
    report = lex.frame("report") | lex.frame("respond")
    on_path = set(t.i for t in frame.path)
    for tok in sent:
        if (
            tok.i not in on_path
            and tok.dep_ in ("parataxis", "ccomp", "advcl", "conj")
            and tok.head.i in on_path
            and tok.lemma_.lower() in report
            and is_verb(tok)
            and not any(c.i == frame.trigger.i for c in tok.subtree)
        ):
            who = active_subject(tok) or implicit_subject(tok)
            if who is not None:
                frame.speakers.append(who)
                frame.attributed = True
                if tok.lemma_.lower() in _NEUTRAL_RESPONSES:
                    frame.confirmer, frame.confirm_verb = who, tok  # "…, the agency confirmed"
                return
