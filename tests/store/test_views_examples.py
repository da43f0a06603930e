"""The user views return the expected rows and every README example query runs."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker

from store import add_article, save_annotations, seed_entities
from store.examples import EXAMPLES, ExampleQuery
from store.models import Incident, IncidentArticle, IncidentParty
from tests.store.conftest import article_in
from tests.store.test_annotations import KB, annotations


@pytest.fixture
def filled(factory: sessionmaker[Session]) -> tuple[sessionmaker[Session], int]:
    with factory.begin() as s:
        seed_entities(s, [*KB, {"id": "acme-labs", "name": "Acme Labs", "type": "ORG"}])
        aid = add_article(s, article_in(1)).article_id
        save_annotations(s, aid, annotations(), "1")
        inc = Incident(
            slug="zentrix-v-quillon",
            title="Zentrix v Quillon",
            first_seen_at=dt.datetime(2026, 3, 1, tzinfo=dt.UTC),
            last_seen_at=dt.datetime(2026, 3, 2, tzinfo=dt.UTC),
        )
        s.add(inc)
        s.flush()
        s.add_all(
            [
                IncidentArticle(incident_id=inc.id, article_id=aid),
                IncidentParty(incident_id=inc.id, entity_id="zentrix-labs", role="accuser"),
                IncidentParty(incident_id=inc.id, entity_id="quillon-ai", role="accused"),
            ]
        )
    return factory, aid


def _rows(factory: sessionmaker[Session], sql: str) -> list[dict[str, object]]:
    with factory() as s:
        return [dict(r._mapping) for r in s.execute(sa.text(sql))]


def test_v_claims(filled: tuple[sessionmaker[Session], int]) -> None:
    factory, aid = filled
    (row,) = _rows(factory, "SELECT * FROM v_claims")
    assert row["claim_type"] == "distillation"
    assert row["stance"] == "alleged"
    assert row["legal_status"] == "lawsuit"
    # Names come from the entity table (the KB name), not the surface text.
    assert (row["accuser_name"], row["accused_name"], row["speaker_name"]) == (
        "Zentrix Labs",
        "Quillon AI",
        "Mara Holt",
    )
    assert row["victim_name"] is None
    assert row["article_id"] == aid
    assert row["article_url"] == "https://news.example/story-1?utm_source=x"
    assert row["article_title"] == "Story 1"
    assert row["published_at"] is not None
    assert row["sentence"].startswith("Zentrix alleged")


def test_v_articles_v_entity_mentions_v_incidents(
    filled: tuple[sessionmaker[Session], int],
) -> None:
    factory, aid = filled
    (art,) = _rows(factory, "SELECT * FROM v_articles")
    assert art["article_id"] == aid
    assert art["state"] == "done"
    assert art["source_name"] is None
    mentions = _rows(
        factory,
        "SELECT entity_name, entity_type, mention_text FROM v_entity_mentions ORDER BY start_char",
    )
    assert [(m["entity_name"], m["entity_type"]) for m in mentions] == [
        ("Zentrix Labs", "ORG"),
        ("Quillon AI", "ORG"),
        ("Mara Holt", "PERSON"),
    ]
    (inc,) = _rows(factory, "SELECT * FROM v_incidents")
    assert (inc["slug"], inc["article_count"], inc["accusers"], inc["accused"]) == (
        "zentrix-v-quillon",
        1,
        "Zentrix Labs",
        "Quillon AI",
    )
    parties = _rows(factory, "SELECT role, entity_name FROM v_incident_parties ORDER BY role")
    assert [(p["role"], p["entity_name"]) for p in parties] == [
        ("accused", "Quillon AI"),
        ("accuser", "Zentrix Labs"),
    ]


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: e.name)
def test_example_query_runs(
    filled: tuple[sessionmaker[Session], int], example: ExampleQuery
) -> None:
    factory, _ = filled
    params = {**example.params}
    if "entity_id" in params:
        params["entity_id"] = "quillon-ai"
    with factory() as s:
        rows = s.execute(sa.text(example.sql), params).all()
    # Every example finds the one annotated article of the fixture (entity_mentions/claims_against
    # for Quillon AI; the dated ones because 2026-03-01 >= 2026-01-01).
    assert rows, example.name
    assert example.cli().startswith('ipwire sql "SELECT')


def test_examples_render_for_the_readme() -> None:
    from store.examples import markdown

    text = markdown()
    assert len(EXAMPLES) >= 5
    for ex in EXAMPLES:
        assert ex.name in text
        assert ex.sql in text
