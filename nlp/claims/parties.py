"""Who accused, who spoke, who was harmed: the parties of a claim other than the accused.

Each function reads a :class:`~nlp.claims.frames.Frame` and resolves tokens through the
document's :class:`~nlp.claims.resolve.Resolver`.
"""

from __future__ import annotations

from spacy.tokens import Token

from nlp.claims.frames import Frame, is_verb, objects, passive_subject, prep_objects
from nlp.claims.lexicon import CueMatch
from nlp.claims.resolve import FIRST_PLURAL, Ref, Resolver

_OF = frozenset({"of"})
# Verbs whose object is what the accused built, not what it took ("to train its model").
_BUILD_VERBS = frozenset({"train", "build", "develop", "create", "improve", "power", "launch"})


def victim_tokens(
    frame: Frame, match: CueMatch, person_nouns: frozenset[str]
) -> tuple[list[Token], bool]:
    """Tokens that may name the victim, best first, and whether "its own" was said.

    Best: the object of "from" ("stole files from X"); then the possessor or "of" object of the
    cue's own words ("X's trade secrets", "outputs of X"); then those of the action's objects
    ("distilled X's models"); then an object that is itself a name ("hacked X").
    """
    cue_nodes: list[Token] = [*match.tokens, frame.trigger]
    verbs = [t for t in cue_nodes if is_verb(t)]
    if frame.action is not None and is_verb(frame.action):
        verbs.append(frame.action)
    # Purpose and participle clauses hang the victim off a side verb: "bypassed paywalls to
    # collect articles from X".
    verbs += [c for v in list(verbs) for c in v.children if c.dep_ in ("xcomp", "advcl")]
    obj_nodes: list[Token] = []
    for v in verbs:
        if v.lemma_.lower() in _BUILD_VERBS:
            continue
        obj_nodes += objects(v)
        if v.dep_ == "amod":
            obj_nodes.append(v.head)  # "distilled knowledge out of X's models"
        ps = passive_subject(v)
        if ps is not None:
            obj_nodes.append(ps)
    ranked: list[tuple[int, Token]] = []
    own = False
    for rank, nodes in ((1, cue_nodes), (2, obj_nodes)):
        for n in nodes:
            sources = prep_objects(n, frozenset({"from"}))
            if n.lemma_.lower() == "access":
                sources += prep_objects(n, frozenset({"to"}))  # "access to X's models"
            # "distilled knowledge out of OpenAI's models"
            sources += [p for o in n.children if o.lower_ == "out" for p in prep_objects(o, _OF)]
            for p in sources:
                ranked.append((0, p))
                ranked += [(0, c) for c in p.children if c.dep_ in ("poss", "compound")]
            for c in n.children:
                if c.dep_ == "poss" or (c.dep_ == "compound" and c.pos_ == "PROPN"):
                    ranked.append((rank, c))
                if c.lower_ == "own":
                    own = True
            for p in prep_objects(n, frozenset({"of"})):
                ranked.append((rank, p))
                ranked += [(rank, c) for c in p.children if c.dep_ == "poss"]
    for v in verbs:
        for p in prep_objects(v, frozenset({"from"})):
            ranked.append((0, p))
            ranked += [(0, c) for c in p.children if c.dep_ in ("poss", "compound")]
    # An unnamed insider's employer is the victim: "a former Google engineer", "employees at X".
    for tokens, _ in frame.accused_alts:
        for t in tokens:
            if t.lemma_.lower() in person_nouns:
                ranked += [(1, p) for p in prep_objects(t, frozenset({"at", "of", "from"}))]
                ranked += [(1, c) for c in t.children if c.dep_ in ("compound", "poss")]
    ranked += [(3, o) for o in obj_nodes if o.pos_ == "PROPN"]
    ranked.sort(key=lambda pair: pair[0])
    return [t for _, t in ranked], own


def find_accuser(
    frame: Frame,
    res: Resolver,
    accused_ids: set[str],
    mention_only: bool = False,
    speakers: bool = True,
) -> Ref | None:
    """The accuser: accuse/sanction subject, else a reporting subject, else "according to".

    ``mention_only``: the sentence only mentions an accusation ("courts weighing suits against
    X", Bibas noted): whoever notes it is not the accuser. ``speakers=False``: the speakers
    deny the act ("fair use", "meritless"), so none of them accuses.
    A party that denies or pleads ("Z denied…", '"We reject the claim…," Z said') never accuses,
    whichever of its words or people says so.
    """
    heads: list[Token] = []
    if frame.accuser is not None:
        heads.append(frame.accuser)
    if not mention_only and speakers:
        heads += [s for s in frame.speakers if s not in frame.defendants]
    denying = set()
    for d in frame.defendants:
        ref = res.one(d, "accuser")
        if ref is not None:
            denying.add(res.org_of_speaker(ref, d).id)
    for tok in heads:
        ref = res.one(tok, "accuser")
        if ref is not None and ref.id in accused_ids and tok.lower_ in FIRST_PLURAL:
            # "We see Acme hiding its crawler" in a rival's blog post the article quotes: "we"
            # is the nearest other organisation the article names before it
            ref = res.previous_org(tok, frozenset(accused_ids))
        if ref is None:
            continue
        ref = res.org_of_speaker(ref, tok)
        if ref.id not in accused_ids and ref.id not in denying:
            return ref
    if frame.according_to is not None:
        ref = res.one(frame.according_to, "accuser")
        # "according to Bloomberg" cites a source; "according to a complaint filed by the Times"
        # names a party.
        direct_media = ref is not None and ref.type == "MEDIA" and res.is_named(frame.according_to)
        if ref is not None and not direct_media and ref.id not in accused_ids:
            return res.org_of_speaker(ref, frame.according_to)
    return None


def find_speaker(frame: Frame, res: Resolver) -> Ref | None:
    for tok in frame.speakers:
        ref = res.one(tok, "speaker")
        if ref is not None:
            return ref
    if frame.according_to is not None:
        ref = res.one(frame.according_to, "speaker")
        if ref is not None and ref.type != "MEDIA":
            return ref
    return None
