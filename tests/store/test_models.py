"""Models: round trips on both databases, UTC timestamps, constraints, vocabularies."""

from __future__ import annotations

import dataclasses
import datetime as dt
import zoneinfo
from collections.abc import Callable

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

import nlp.types
from store import models as m
from store import vocab
from store.base import Base


def test_vocabularies_match_nlp() -> None:
    assert vocab.ENTITY_TYPES == nlp.types.ENTITY_TYPES
    assert vocab.STANCES == nlp.types.STANCES
    assert vocab.LEGAL_STATUSES == nlp.types.LEGAL_STATUSES


def test_timeline_step_order_matches_the_clusterer() -> None:
    # The read model mirrors the clusterer's order (store never imports nlp): kept in step here.
    from nlp.incidents import STATUS_ORDER
    from store.readmodels.incidents import STEP_ORDER

    assert STEP_ORDER == STATUS_ORDER


def test_every_table_and_column_is_described() -> None:
    for table in Base.metadata.tables.values():
        assert table.comment, table.name
        for col in table.columns:
            assert col.comment, f"{table.name}.{col.name}"


def test_round_trip_of_every_model(factory: sessionmaker[Session]) -> None:
    berlin = zoneinfo.ZoneInfo("Europe/Berlin")
    local = dt.datetime(2026, 3, 1, 10, 30, tzinfo=berlin)
    with factory.begin() as s:
        src = m.Source(name="wire", kind="feed", url="https://wire.example/feed", config={"a": 1})
        s.add(src)
        s.flush()
        art = m.Article(
            source_id=src.id,
            canonical_url="https://wire.example/a",
            url="https://wire.example/a?x=1",
            text="Body.",
            published_at=local,
            authors=["R. Vale"],
        )
        s.add_all([art, m.Entity(id="zentrix", name="Zentrix Labs", type="ORG", aliases=["ZL"])])
        s.flush()
        s.add_all(
            [
                m.Mention(
                    article_id=art.id,
                    entity_id="zentrix",
                    text="Zentrix",
                    start_char=0,
                    end_char=7,
                    sentence_index=0,
                ),
                m.Claim(
                    article_id=art.id,
                    type="distillation",
                    accuser_id="zentrix",
                    stance="alleged",
                    cues=["accused"],
                    sentence="S.",
                    start_char=0,
                    end_char=2,
                    sentence_index=0,
                ),
                m.Quote(
                    article_id=art.id,
                    speaker_id="zentrix",
                    text="We know.",
                    is_direct=True,
                    start_char=0,
                    end_char=8,
                ),
                m.Role(
                    article_id=art.id,
                    person_id=None,
                    person_text="R. Vale",
                    title="CEO",
                    org_id="zentrix",
                    org_text="Zentrix",
                    sentence="S.",
                    start_char=0,
                    end_char=2,
                ),
                m.CrawlRun(source_id=src.id),
                m.FetchState(url="https://wire.example/feed", etag='"x"', last_status=200),
                m.JobRun(job="process", counts={"n": 1}),
            ]
        )
        inc = m.Incident(
            slug="zentrix-distillation", title="T", first_seen_at=local, last_seen_at=local
        )
        s.add(inc)
        s.flush()
        s.add_all(
            [
                m.IncidentArticle(incident_id=inc.id, article_id=art.id, score=0.9),
                m.IncidentParty(incident_id=inc.id, entity_id="zentrix", role="accuser"),
                m.IncidentAlias(old_slug="old-slug", incident_id=inc.id),
                m.Briefing(
                    briefing_date=dt.date(2026, 3, 2),
                    audience="default",
                    window_start_at=local,
                    window_end_at=local,
                    subject="S",
                    html="<p>",
                    text="t",
                ),
            ]
        )
    with factory() as s:
        got = s.scalars(sa.select(m.Article)).one()
        assert got.published_at == local
        assert got.published_at.tzinfo is dt.UTC
        assert got.published_at.hour == 9  # 10:30 in Berlin (CET) is 09:30 UTC
        assert got.fetched_at.tzinfo is dt.UTC
        assert got.authors == ["R. Vale"]
        assert got.state == "new"
        assert got.is_near_duplicate is False
        assert s.get(m.Entity, "zentrix").aliases == ["ZL"]  # type: ignore[union-attr]
        assert s.scalars(sa.select(m.Claim.cues)).one() == ["accused"]
        for model in (
            m.Mention,
            m.Quote,
            m.Role,
            m.CrawlRun,
            m.JobRun,
            m.IncidentParty,
            m.IncidentArticle,
            m.IncidentAlias,
            m.Briefing,
            m.FetchState,
            m.Source,
        ):
            assert s.scalar(sa.select(sa.func.count()).select_from(model)) == 1, model
    # Deleting the article removes its evidence rows (ON DELETE CASCADE).
    with factory.begin() as s:
        s.execute(sa.delete(m.Article))
    with factory() as s:
        for model in (m.Mention, m.Claim, m.Quote, m.Role, m.IncidentArticle):
            assert s.scalar(sa.select(sa.func.count()).select_from(model)) == 0, model


@pytest.mark.parametrize(
    "row",
    [
        lambda: m.Entity(id="x", name="X", type="COMPANY"),
        lambda: m.Source(name="s", kind="podcast", url=None),
        lambda: m.Article(canonical_url="u", url="u", text="t", state="lost"),
    ],
)
def test_check_constraints_reject_unknown_values(
    factory: sessionmaker[Session], row: Callable[[], Base]
) -> None:
    with factory() as s:
        s.add(row())
        with pytest.raises(IntegrityError):
            s.flush()


def test_claim_stance_and_legal_status_are_checked(factory: sessionmaker[Session]) -> None:
    with factory.begin() as s:
        s.add(m.Article(id=1, canonical_url="u", url="u", text="t"))
    base = {
        "article_id": 1,
        "type": "leak",
        "sentence": "S",
        "start_char": 0,
        "end_char": 1,
        "sentence_index": 0,
    }
    for bad in ({"stance": "rumoured"}, {"stance": "alleged", "legal_status": "appeal"}):
        with factory() as s:
            s.add(m.Claim(**base, **bad))
            with pytest.raises(IntegrityError):
                s.flush()
    with factory.begin() as s:
        s.add(m.Claim(**base, stance="alleged", legal_status=None))


def test_unique_canonical_url_and_foreign_keys(factory: sessionmaker[Session]) -> None:
    with factory.begin() as s:
        s.add(m.Article(canonical_url="u", url="u", text="t"))
    with factory() as s:
        s.add(m.Article(canonical_url="u", url="v", text="t2"))
        with pytest.raises(IntegrityError):
            s.flush()
    with factory() as s:
        s.add(
            m.Mention(
                article_id=999,
                entity_id="nobody",
                text="x",
                start_char=0,
                end_char=1,
                sentence_index=0,
            )
        )
        with pytest.raises(IntegrityError):  # foreign keys are enforced on SQLite too
            s.flush()


def test_nlp_annotations_fit_the_store_protocol() -> None:
    from store.protocols import AnnotationsLike

    ann: AnnotationsLike = nlp.types.Annotations(nlp_version="1", relevant=True, relevance=0.5)
    fields = {f.name for f in dataclasses.fields(nlp.types.Annotations)}
    assert {"entities", "mentions", "roles", "claims", "quotes", "relevance"} <= fields
    assert ann.relevance == 0.5
