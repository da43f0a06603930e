"""save_annotations replaces, never duplicates; KB entities keep their data."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker

from nlp.types import Annotations, Claim, Entity, Mention, Quote, Role
from store import InvalidData, NotFound, add_article, save_annotations, seed_entities
from store import models as m
from tests.store.conftest import article_in

KB = [
    {
        "id": "zentrix-labs",
        "name": "Zentrix Labs",
        "type": "ORG",
        "aliases": ["Zentrix"],
        "wikidata": None,
        "description": "A fictional AI lab.",
    },
    {"id": "quillon-ai", "name": "Quillon AI", "type": "ORG", "aliases": []},
]


def annotations(version: str = "1") -> Annotations:
    return Annotations(
        nlp_version=version,
        relevant=True,
        relevance=0.87,
        entities=(
            Entity(id="zentrix-labs", name="ZENTRIX (text form)", type="ORG", in_kb=True),
            Entity(id="quillon-ai", name="Quillon AI", type="ORG", in_kb=True),
            Entity(id="mara-holt", name="Mara Holt", type="PERSON"),
        ),
        mentions=(
            Mention("zentrix-labs", 0, 7, "Zentrix", 0),
            Mention("quillon-ai", 20, 30, "Quillon AI", 0),
            Mention("mara-holt", 40, 49, "Mara Holt", 1),
        ),
        roles=(
            Role(
                "mara-holt",
                "Mara Holt",
                "general counsel",
                "zentrix-labs",
                "Zentrix",
                "Mara Holt, Zentrix's general counsel, said…",
                40,
                80,
            ),
        ),
        claims=(
            Claim(
                type="distillation",
                accuser_id="zentrix-labs",
                accuser="Zentrix",
                accused_id="quillon-ai",
                accused="Quillon AI",
                victim_id=None,
                victim=None,
                speaker_id="mara-holt",
                speaker="Mara Holt",
                stance="alleged",
                legal_status="lawsuit",
                sentence="Zentrix alleged that Quillon AI …",
                start=0,
                end=35,
                sentence_index=0,
                cues=("alleged", "distilled"),
            ),
        ),
        quotes=(Quote("mara-holt", "Mara Holt", "They copied us.", True, 50, 66),),
    )


def _counts(s: Session) -> dict[str, int]:
    return {
        model.__tablename__: int(s.scalar(sa.select(sa.func.count()).select_from(model)) or 0)
        for model in (m.Mention, m.Role, m.Claim, m.Quote, m.Entity)
    }


def test_save_twice_replaces(factory: sessionmaker[Session]) -> None:
    with factory.begin() as s:
        assert seed_entities(s, KB) == 2
        aid = add_article(s, article_in(1)).article_id
    for version in ("1", "2"):
        with factory.begin() as s:
            save_annotations(s, aid, annotations(version), version)
    with factory() as s:
        assert _counts(s) == {"mention": 3, "role": 1, "claim": 1, "quote": 1, "entity": 3}
        art = s.get(m.Article, aid)
        assert art is not None
        assert (art.state, art.nlp_version, art.is_relevant) == ("done", "2", True)
        assert art.relevance == pytest.approx(0.87)
        assert art.lease_owner is None
        assert art.processed_at is not None
        kb = s.get(m.Entity, "zentrix-labs")
        assert kb is not None
        assert kb.name == "Zentrix Labs"
        assert kb.is_kb
        new = s.get(m.Entity, "mara-holt")
        assert new is not None
        assert new.type == "PERSON"
        assert not new.is_kb
        claim = s.scalars(sa.select(m.Claim)).one()
        assert (claim.accused_id, claim.speaker_id, claim.cues) == (
            "quillon-ai",
            "mara-holt",
            ["alleged", "distilled"],
        )


def test_empty_annotations_clear_earlier_ones(factory: sessionmaker[Session]) -> None:
    with factory.begin() as s:
        aid = add_article(s, article_in(1)).article_id
        save_annotations(s, aid, annotations(), "1")
    with factory.begin() as s:
        save_annotations(s, aid, Annotations(nlp_version="2", relevant=False, relevance=0.1), "2")
    with factory() as s:
        counts = _counts(s)
        assert counts["mention"] == counts["claim"] == counts["quote"] == counts["role"] == 0
        assert counts["entity"] == 3  # entities outlive the article's annotations


def test_unknown_entity_reference_is_refused_atomically(factory: sessionmaker[Session]) -> None:
    with factory.begin() as s:
        aid = add_article(s, article_in(1)).article_id
        save_annotations(s, aid, annotations(), "1")
    bad = Annotations(
        nlp_version="2",
        relevant=True,
        relevance=1.0,
        mentions=(Mention("ghost", 0, 5, "Ghost", 0),),
    )
    with factory() as s, pytest.raises(InvalidData, match="ghost"):
        save_annotations(s, aid, bad, "2")
    with factory() as s:
        assert _counts(s)["mention"] == 3  # nothing changed
    with factory() as s, pytest.raises(NotFound):
        save_annotations(s, 12345, annotations(), "1")


def test_seed_entities_updates_kb_rows(factory: sessionmaker[Session]) -> None:
    with factory.begin() as s:
        seed_entities(s, KB)
        seed_entities(s, [{**KB[0], "name": "Zentrix Laboratories", "wikidata": "Q1"}])
    with factory() as s:
        e = s.get(m.Entity, "zentrix-labs")
        assert e is not None
        assert (e.name, e.wikidata_id, e.is_kb) == (
            "Zentrix Laboratories",
            "Q1",
            True,
        )
    with factory() as s, pytest.raises(InvalidData):
        seed_entities(s, [{"id": "x", "name": "X", "type": "COMPANY"}])


def test_claims_and_mentions_carry_the_article_date(factory: sessionmaker[Session]) -> None:
    with factory.begin() as s:
        dated = add_article(s, article_in(1)).article_id
        undated = add_article(s, article_in(2, published_at=None)).article_id
        for aid in (dated, undated):
            save_annotations(s, aid, annotations(), "1")
    with factory() as s:
        for aid in (dated, undated):
            art = s.get(m.Article, aid)
            assert art is not None
            want = art.published_at or art.fetched_at
            claim_dates = s.scalars(
                sa.select(m.Claim.published_at).where(m.Claim.article_id == aid)
            )
            mention_dates = s.scalars(
                sa.select(m.Mention.published_at).where(m.Mention.article_id == aid)
            )
            assert set(claim_dates) == set(mention_dates) == {want}
