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

from nlp.claims.frames import active_subject, agent
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


def _most_common(values: list[tuple[str, str]]) -> tuple[str, str] | None:
    return Counter(values).most_common(1)[0][0] if values else None


_FILING_VERBS = frozenset({"file", "bring", "lodge", "launch", "release", "publish", "issue"})


def _by_phrase(verb: Token) -> Token | None:
    """A "by X" the parser attached lower down: "filed in the District of Maine by X"."""
    for t in verb.subtree:
        if t.lower_ == "by" and t.dep_ in ("prep", "agent"):
            for pobj in t.children:
                if pobj.dep_ == "pobj":
                    return pobj
    return None


def find_plaintiffs(doc: Doc, res: Resolver, lex: Lexicon) -> list[tuple[str, str]]:
    """Who brings the article's suit or report, wherever the article says so.

    "Jane Roe filed the suit in…", "The lawsuit was filed … by Acme", "a report released by the
    committee". Only sentences with a legal noun are parsed for this.
    """
    legal_nouns = lex.frame("legal_noun")
    found: list[tuple[str, str]] = []
    for tok in doc:
        lemma = tok.lemma_.lower()
        who: Token | None = None
        if lemma in legal_nouns and tok.pos_ == "NOUN":
            verb = tok.head
            if tok.dep_ == "nsubjpass" and verb.lemma_.lower() in _FILING_VERBS:
                who = agent(verb) or _by_phrase(verb)  # "the lawsuit was filed by X"
            elif tok.dep_ == "dobj" and verb.lemma_.lower() in _FILING_VERBS:
                who = active_subject(verb)  # "X filed the suit"
            else:
                for c in tok.children:  # "a report released by X"
                    if c.dep_ == "acl" and c.lemma_.lower() in _FILING_VERBS:
                        who = agent(c)
        if who is None:
            continue
        ref = res.one(who, "accuser")
        if ref is not None and ref.type != "GPE":
            ref = res.org_of_speaker(ref, who)
            found.append((ref.id, ref.name))
    return found


def merge_article(
    claims: list[Claim],
    definite_suits: set[int] | None = None,
    doc_plaintiffs: list[tuple[str, str]] | None = None,
    mentions: set[tuple[int, str, str | None]] | None = None,
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

    Returns:
        The claims, same order, with gaps filled; a sentence that now repeats a (type, accused)
        pair already claimed in that sentence is dropped.
    """
    people = _named_culprits(claims)
    named: list[Claim] = []
    for c in claims:
        if c.accused_id is None and c.type in people:
            pid, pname = people[c.type]
            if pid != c.accuser_id:
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
            accusers = [p for p in (doc_plaintiffs or [])[:1] if p[0] != c.accused_id]
        if c.accuser_id is None and (acc := _most_common(accusers)) is not None:
            changes.update(accuser_id=acc[0], accuser=acc[1])
        if c.victim_id is None and (vic := _most_common(victims)) is not None:
            changes.update(victim_id=vic[0], victim=vic[1])
        if c.legal_status is None and stages:
            changes["legal_status"] = max(stages, key=lambda s: _RANK.get(s, -1))
        out.append(replace(c, **changes) if changes else c)  # type: ignore[arg-type]
    return out
