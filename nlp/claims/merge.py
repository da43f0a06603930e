"""Article-level consistency for sentence-level claims.

A news story states the accusation once and then goes on: "The indictment says he uploaded…",
"The complaint also claims…". Those later sentences name the accused but not the accuser, so the
facts of the story (accuser, victim, legal stage) are shared across the claims about the same
(type, accused) pair, and an unnamed culprit ("a former engineer") takes the name the article
gives them elsewhere. Speaker and stance stay per sentence: they describe that sentence.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

from spacy.tokens import Doc, Token

from nlp.claims.frames import (
    active_subject,
    agent,
    implicit_subject,
    is_passive,
    prep_objects,
)
from nlp.claims.lexicon import Lexicon
from nlp.claims.resolve import Resolver
from nlp.types import LEGAL_STATUSES, Claim

_RANK = {status: rank for rank, status in enumerate(LEGAL_STATUSES)}


def _named_culprits(claims: list[Claim]) -> dict[str, tuple[str, str]]:
    """Per claim type, the one party accused by name, if exactly one is."""
    named: dict[str, dict[str, str]] = {}
    for c in claims:
        if c.accused_id is not None and c.accused is not None:
            named.setdefault(c.type, {})[c.accused_id] = c.accused
    return {t: next(iter(p.items())) for t, p in named.items() if len(p) == 1}


def _sufferers(claims: list[Claim], intrusions: frozenset[str]) -> frozenset[str]:
    """Parties the article names as the victim of an intrusion (someone else did it)."""
    return frozenset(
        c.victim_id
        for c in claims
        if c.type in intrusions and c.victim_id and c.victim_id != c.accused_id
    )


def _victims_not_culprits(claims: list[Claim], intrusions: frozenset[str]) -> list[Claim]:
    """The company that suffered a breach or leak is its victim, not its culprit.

    "OpenAI was hacked … they did not breach the system where it keeps its models": a pronoun
    or description that the sentence alone resolves to the company, in a claim that nobody
    makes against it, names the victim the article already told of. Such a claim's culprit is
    unknown; it is kept with no accused.
    """
    sufferers = _sufferers(claims, intrusions)
    if not sufferers:
        return claims
    return [
        replace(c, accused_id=None, accused=None)
        if c.type in intrusions
        and c.accuser_id is None
        and c.accused_id in sufferers
        and c.legal_status is None
        else c
        for c in claims
    ]


def _most_common(values: list[tuple[str, str]]) -> tuple[str, str] | None:
    return Counter(values).most_common(1)[0][0] if values else None


_FILING_VERBS = frozenset(
    {"file", "bring", "lodge", "launch", "release", "publish", "issue", "commence", "institute"}
    | {"post"}
)
# Nouns for a suit or accusation whose "by" names who brings it.
_SUIT_NOUNS = frozenset({"lawsuit", "suit", "complaint", "case", "allegation", "accusation"})
# What a court awards only to the party that sued.
_AWARDS = frozenset({"verdict", "damages", "damage", "compensation"})
_SUING_VERBS = frozenset({"sue", "countersue", "file"})
# "a legal battle", "a copyright fight": nouns that are a suit only with such a modifier.
_BATTLE_NOUNS = frozenset({"battle", "fight", "challenge", "war", "action"})
_BATTLE_MODIFIERS = frozenset(
    {"legal", "court", "copyright", "patent", "trademark", "antitrust", "lawsuit", "courtroom"}
)
_UNNAMED = "?"
_VERSUS = frozenset({"v", "v.", "vs", "vs.", "versus"})


def _by_phrase(verb: Token) -> Token | None:
    """A "by X" the parser attached lower down: "filed in the District of Maine by X"."""
    for t in verb.subtree:
        if t.lower_ == "by" and t.dep_ in ("prep", "agent"):
            for pobj in t.children:
                if pobj.dep_ == "pobj":
                    return pobj
    return None


def _is_suit(tok: Token, legal_nouns: frozenset[str]) -> bool:
    lemma = tok.lemma_.lower()
    if tok.pos_ != "NOUN":
        return False
    if lemma in legal_nouns:
        return True
    return lemma in _BATTLE_NOUNS and any(
        c.lemma_.lower() in _BATTLE_MODIFIERS
        for c in tok.children
        if c.dep_ in ("amod", "compound")
    )


def _plaintiff_token(
    tok: Token, legal_nouns: frozenset[str], answers: frozenset[str] = frozenset()
) -> Token | None:
    """The party a token's phrase says brings a suit, if it says so.

    ``answers``: verbs of a reply ("deny"): "X issued a statement denying…" brings nothing.
    """
    if _is_suit(tok, legal_nouns):
        if any(c.dep_ in ("acl", "relcl") and c.lemma_.lower() in answers for c in tok.children):
            return None
        verb = tok.head
        if tok.dep_ == "nsubjpass" and verb.lemma_.lower() in _FILING_VERBS:
            return agent(verb) or _by_phrase(verb)  # "the lawsuit was filed by X"
        if tok.dep_ == "dobj" and (
            verb.lemma_.lower() in _FILING_VERBS
            or (verb.lemma_.lower() == "take" and tok.lemma_.lower() == "action")
        ):
            # "X filed the suit", "X launched a legal battle", "X took legal action…, filing a
            # lawsuit": a participle's subject is its clause's
            return active_subject(verb) or implicit_subject(verb)
        if tok.lemma_.lower() in _SUIT_NOUNS:
            # "a copyright case by 13 writers"; the parser may hang the "by" on the verb
            # ("tossing out a case by 13 writers")
            holders = [tok, verb] if tok.dep_ == "dobj" and not is_passive(verb) else [tok]
            for holder in holders:
                for pobj in prep_objects(holder, frozenset({"by"})):
                    return pobj
        for c in tok.children:  # "a report released by X"
            if c.dep_ == "acl" and c.lemma_.lower() in _FILING_VERBS:
                return agent(c)
        return None
    if tok.lemma_.lower() == "award" and tok.pos_ == "VERB":
        # "the jury awarded a $300 million verdict to X": damages go to the party that sued
        if any(
            c.dep_ == "dobj"
            and (c.lemma_.lower() in _AWARDS or any(g.text == "$" for g in c.subtree))
            for c in tok.children
        ):
            winners = [
                g
                for h in (tok, *(c for c in tok.children if c.dep_ == "dobj"))
                for c in h.children
                if c.dep_ in ("prep", "dative") and c.lower_ == "to"
                for g in c.children
                if g.dep_ == "pobj"
            ]
            return winners[0] if winners else None
        return None
    if tok.lemma_.lower() in _SUING_VERBS and tok.pos_ == "VERB":
        # "X sued Y", "X filed against Y for copyright infringement"
        against = tok.lemma_.lower() != "file" or any(
            c.dep_ == "prep" and c.lower_ == "against" for c in tok.children
        )
        return active_subject(tok) if against else None
    return None


def _negated(tok: Token) -> bool:
    """True when the suit is said not to exist: "had not filed suit", "did not sue"."""
    verb = tok if tok.pos_ in ("VERB", "AUX") else tok.head
    return any(c.dep_ == "neg" for c in verb.children)


def _defendants(tok: Token, res: Resolver) -> frozenset[str]:
    """Who the suit that ``tok`` names is against ("sued Y and Z", "a suit against Y")."""
    targets: list[Token] = []
    if tok.pos_ == "VERB":
        targets += [c for c in tok.children if c.dep_ == "dobj"]
        targets += prep_objects(tok, frozenset({"against"}))
    else:
        targets += prep_objects(tok, frozenset({"against"}))
        if tok.dep_ == "dobj":
            targets += prep_objects(tok.head, frozenset({"against"}))
    ids: set[str] = set()
    for t in targets:
        ids.update(r.id for r in res.refs(t, "accused"))
    if targets and not ids:
        return frozenset({_UNNAMED})  # "sued a former engineer": someone, but not a party named
    return frozenset(ids)


def _case_names(doc: Doc, res: Resolver) -> list[Plaintiff]:
    """Plaintiffs named by case names: "Thomson Reuters v. Ross", "Getty Images vs Stability"."""
    found: list[Plaintiff] = []
    for tok in doc:
        if tok.lower_ not in _VERSUS or tok.i == 0 or tok.i + 1 >= len(doc):
            continue
        before, after = res.ent_at.get(tok.i - 1), res.ent_at.get(tok.i + 1)
        if before is None or after is None or before.end != tok.i:
            continue
        ref, other = res.ref(before), res.ref(after)
        if ref.type not in ("GPE", "PRODUCT") and ref.id != other.id:
            found.append((ref.id, ref.name, frozenset({other.id})))
    return found


#: (id, name, ids of the parties sued — empty when the text does not say)
Plaintiff = tuple[str, str, frozenset[str]]


def find_plaintiffs(doc: Doc, res: Resolver, lex: Lexicon) -> list[Plaintiff]:
    """Who brings the article's suit or report, wherever the article says so.

    "Jane Roe filed the suit in…", "The lawsuit was filed … by Acme", "a report released by the
    committee", "Acme launched a legal battle against…", "Acme sued…", and case names ("Acme v.
    Brightline"). Parties found by a sentence come first, case names after them.
    """
    legal_nouns = lex.frame("legal_noun")
    answers = lex.frame("respond")
    found: list[Plaintiff] = []
    for tok in doc:
        who = _plaintiff_token(tok, legal_nouns, answers)
        if who is None or _negated(tok):
            continue
        ref = res.one(who, "accuser")
        if (
            ref is not None
            and ref.type not in ("GPE", "PRODUCT")
            and ref.id not in res.ctx.bystanders
        ):
            ref = res.publisher_of(res.org_of_speaker(ref, who))
            # damages are awarded against whoever the article says lost; the award names none
            against = frozenset() if tok.lemma_.lower() == "award" else _defendants(tok, res)
            found.append((ref.id, ref.name, against))
    return found + [(i, n, d) for i, n, d in _case_names(doc, res)]


def merge_article(
    claims: list[Claim],
    definite_suits: set[int] | None = None,
    doc_plaintiffs: list[Plaintiff] | None = None,
    mentions: set[tuple[int, str, str | None]] | None = None,
    intrusion_types: frozenset[str] = frozenset(),
) -> list[Claim]:
    """Name unnamed culprits and share accuser, victim and legal stage within each story.

    Args:
        claims: sentence-level claims in text order.
        definite_suits: indices of sentences that speak of "the suit/complaint/indictment":
            their accuser, when unsaid, is the party already suing in this article.
        doc_plaintiffs: parties the article says brought a suit or report (:func:`find_plaintiffs`);
            a story with no accuser in any of its claims takes the first of them.
        mentions: (sentence index, type, accused id) of claims that only mention a suit
            ("suits against X"): they are not the article's story and keep their own accuser.
        intrusion_types: acts done to a company by someone often unnamed (a breach, a theft,
            a leak of its data: the claim types marked ``anonymous_ok``); the company that
            suffered one is its victim, never its culprit.

    Returns:
        The claims, same order, with gaps filled; a sentence that now repeats a (type, accused)
        pair already claimed in that sentence is dropped.
    """
    claims = _victims_not_culprits(claims, intrusion_types)
    people = _named_culprits(claims)
    sufferers = _sufferers(claims, intrusion_types)
    named: list[Claim] = []
    for c in claims:
        if c.accused_id is None and c.type in people:
            pid, pname = people[c.type]
            if pid != c.accuser_id and pid not in sufferers:
                # A victim's own account of an incident "confirms" it while the culprit is
                # unknown; once the culprit is named, the claim against them is what the
                # naming sentence says (usually an allegation).
                stance = c.stance
                if stance == "confirmed":
                    stance = next(
                        (g.stance for g in claims if g.type == c.type and g.accused_id == pid),
                        stance,
                    )
                c = replace(c, accused_id=pid, accused=pname, stance=stance)
        named.append(c)

    groups: dict[tuple[str, str | None], list[Claim]] = {}
    for c in named:
        groups.setdefault((c.type, c.accused_id), []).append(c)
    # "The suit accuses X and Y of…": the suit is the article's, filed by its plaintiff.
    plaintiffs: dict[str, list[tuple[str, str]]] = {}
    against: dict[str | None, list[tuple[str, str]]] = {}
    for c in named:
        if c.legal_status and c.accuser_id and c.accuser:
            plaintiffs.setdefault(c.type, []).append((c.accuser_id, c.accuser))
            against.setdefault(c.accused_id, []).append((c.accuser_id, c.accuser))

    out: list[Claim] = []
    seen: set[tuple[int, str, str | None]] = set()
    for c in named:
        key = (c.sentence_index, c.type, c.accused_id)
        if key in seen:
            continue
        seen.add(key)
        group = groups[(c.type, c.accused_id)]
        accusers = [
            (g.accuser_id, g.accuser)
            for g in group
            if g.accuser_id and g.accuser and g.accuser_id != c.accused_id
        ]
        victims = [
            (g.victim_id, g.victim)
            for g in group
            if g.victim_id and g.victim and g.victim_id != c.accused_id
        ]
        stages = [g.legal_status for g in group if g.legal_status]
        changes: dict[str, object] = {}
        mention = key in (mentions or set())
        if c.accuser_id is None and not accusers and c.sentence_index in (definite_suits or ()):
            accusers = [p for p in plaintiffs.get(c.type, []) if p[0] != c.accused_id]
            if not accusers and c.accused_id is not None:
                # "The complaint also says X scraped…": the party suing X in this article
                accusers = [p for p in against.get(c.accused_id, []) if p[0] != c.accused_id]
        if c.accuser_id is None and not accusers and not mention:
            # the first party suing this accused, or suing without saying whom
            accusers = [
                (p[0], p[1])
                for p in doc_plaintiffs or []
                if p[0] != c.accused_id and (not p[2] or c.accused_id in p[2])
            ][:1]
        if c.accuser_id is None and (acc := _most_common(accusers)) is not None:
            changes.update(accuser_id=acc[0], accuser=acc[1])
        if c.victim_id is None and (vic := _most_common(victims)) is not None:
            changes.update(victim_id=vic[0], victim=vic[1])
        if c.legal_status is None and stages:
            changes["legal_status"] = max(stages, key=lambda s: _RANK.get(s, -1))
        out.append(replace(c, **changes) if changes else c)  # type: ignore[arg-type]
    return out
