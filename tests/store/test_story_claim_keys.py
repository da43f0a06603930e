"""Within one incident, a claim mention that leaves a party unnamed joins the one party the
incident names in its place; where the incident names two or more, it stays its own line."""

from __future__ import annotations

import datetime as dt

from store.readmodels.claim_groups import group_claims
from store.readmodels.types import ArticleRef, ClaimView, EntityRef

_ARTICLE = ArticleRef(
    id=1,
    title="Former Orrin engineer charged",
    url="http://127.0.0.1/a",
    outlet="Wire",
    published_at=dt.datetime(2026, 11, 2, tzinfo=dt.UTC),
    fetched_at=dt.datetime(2026, 11, 2, tzinfo=dt.UTC),
)


def _claim(
    cid: int, accuser: str | None, accused: str | None, kind: str = "data_theft"
) -> ClaimView:
    def ref(name: str | None) -> EntityRef | None:
        return EntityRef(name.lower().replace(" ", "-"), name) if name else None

    return ClaimView(
        id=cid,
        type=kind,
        stance="alleged",
        legal_status="charged",
        accuser=ref(accuser),
        accused=ref(accused),
        victim=None,
        speaker=None,
        sentence=f"Sentence {cid}.",
        cues=(),
        article=_ARTICLE,
    )


def _lines(claims: list[ClaimView], one_story: bool) -> set[tuple[str, str | None, str | None]]:
    return {
        (g.type, g.accuser.name if g.accuser else None, g.accused.name if g.accused else None)
        for g in group_claims(claims, one_story=one_story)
    }


def test_unnamed_accuser_and_accused_join_the_one_named_party() -> None:
    claims = [
        _claim(1, "Orrin Labs", "Jo Vance"),
        _claim(2, None, "Jo Vance"),  # "prosecutors say she copied the files"
        _claim(3, None, None),  # "the engineer charged on Friday…"
    ]
    assert _lines(claims, one_story=True) == {("data_theft", "Orrin Labs", "Jo Vance")}
    groups = group_claims(claims, one_story=True)
    assert groups[0].mentions == 3
    # Outside one story (a claim type's page), each mention keeps its own parties.
    assert len(_lines(claims, one_story=False)) == 3


def test_an_unnamed_party_stays_apart_where_the_story_names_two() -> None:
    claims = [
        _claim(1, "Orrin Labs", "Jo Vance"),
        _claim(2, "Westmark Prosecutors", "Jo Vance"),
        _claim(3, None, "Jo Vance"),
        _claim(4, "Orrin Labs", "Dana Pike", kind="leak"),
    ]
    assert _lines(claims, one_story=True) == {
        ("data_theft", "Orrin Labs", "Jo Vance"),
        ("data_theft", "Westmark Prosecutors", "Jo Vance"),
        ("data_theft", None, "Jo Vance"),
        ("leak", "Orrin Labs", "Dana Pike"),
    }
