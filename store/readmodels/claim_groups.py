"""Distinct claims: one per (type, accuser, accused), with every sentence and source behind it.

The claim table holds one row per *mention*: each sentence that repeats "Moreau says Vocalis
copied her voice" is its own row, and a syndicated copy repeats them all again. A reader wants
one line per claim and the evidence under it, so pages, the briefing and ``v_incident_claims``
group mentions here (``v_claims`` and the claim exports keep every mention).

Two mentions are the same claim when their type is the same and their accuser and accused are
the same entity (or, for a party never linked to an entity, the same text, case-folded).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from store.readmodels.common import article_date
from store.readmodels.types import ArticleRef, ClaimGroup, ClaimView, EntityRef

__all__ = ["ClaimGroup", "claim_key", "group_claims", "party_key", "story_keys"]


def party_key(ref: EntityRef | None) -> str:
    """The identity of a party: its entity id, else its text case-folded, else ``""``."""
    if ref is None:
        return ""
    return ref.id or " ".join(ref.name.split()).casefold()


def claim_key(c: ClaimView) -> tuple[str, str, str]:
    """``(type, accuser, accused)``: what makes two mentions the same claim."""
    return (c.type, party_key(c.accuser), party_key(c.accused))


def _sentence_key(c: ClaimView) -> str:
    return " ".join(c.sentence.split()).casefold()


def story_keys(claims: Iterable[ClaimView]) -> dict[int, tuple[str, str, str]]:
    """Claim keys within one story (an incident), where a party left unnamed in a sentence is
    the one party the story names in that place.

    "Prosecutors say he uploaded the files" names no accuser; when every named mention of the
    incident's (type, accused) has the same accuser, it is that claim, not a second one. The
    accused is filled the same way per type, then the accuser per (type, accused). Where the
    story names two or more, an unnamed party stays its own line: it cannot be told which.
    """
    keys = {c.id: claim_key(c) for c in claims}
    accused: dict[str, set[str]] = {}
    for t, _, d in keys.values():
        if d:
            accused.setdefault(t, set()).add(d)
    for cid, (t, r, d) in keys.items():
        if not d and len(accused.get(t, ())) == 1:
            keys[cid] = (t, r, next(iter(accused[t])))
    accusers: dict[tuple[str, str], set[str]] = {}
    for t, r, d in keys.values():
        if r:
            accusers.setdefault((t, d), set()).add(r)
    for cid, (t, r, d) in keys.items():
        if not r and len(accusers.get((t, d), ())) == 1:
            keys[cid] = (t, next(iter(accusers[(t, d)])), d)
    return keys


def group_claims(
    claims: Iterable[ClaimView], *, newest_first: bool = False, one_story: bool = False
) -> list[ClaimGroup]:
    """Group mentions into distinct claims, ordered by their first (or latest) mention.

    ``one_story``: the mentions are one incident's, and an unnamed party joins the one party
    the incident names in its place (:func:`story_keys`).
    """
    ordered = sorted(claims, key=lambda c: (article_date(c.article), c.id))
    keys = story_keys(ordered) if one_story else {c.id: claim_key(c) for c in ordered}
    buckets: dict[tuple[str, str, str], list[ClaimView]] = {}
    for c in ordered:
        buckets.setdefault(keys[c.id], []).append(c)
    out = [_group(ms) for ms in buckets.values()]
    if newest_first:
        out.sort(key=lambda g: (article_date(g.articles[-1]), g.evidence[-1].id), reverse=True)
    return out


def _group(mentions: Sequence[ClaimView]) -> ClaimGroup:
    first = mentions[0]
    # The best-named party: a linked entity beats text as written.
    accuser = next(
        (m.accuser for m in mentions if m.accuser and m.accuser.id),
        next((m.accuser for m in mentions if m.accuser), None),
    )
    accused = next(
        (m.accused for m in mentions if m.accused and m.accused.id),
        next((m.accused for m in mentions if m.accused), None),
    )
    stances: dict[str, None] = {}
    legal: dict[str, None] = {}
    sentences: dict[str, ClaimView] = {}
    articles: dict[int, ArticleRef] = {}
    for m in mentions:
        stances.setdefault(m.stance)
        if m.legal_status:
            legal.setdefault(m.legal_status)
        sentences.setdefault(_sentence_key(m), m)
        articles.setdefault(m.article.id, m.article)
    return ClaimGroup(
        type=first.type,
        accuser=accuser,
        accused=accused,
        stances=tuple(stances),
        legal_statuses=tuple(legal),
        evidence=tuple(sentences.values()),
        articles=tuple(articles.values()),
        mentions=len(mentions),
    )
