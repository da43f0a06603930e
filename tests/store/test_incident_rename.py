"""An incident's slug follows its record; the old slug stays an alias, so links keep resolving.

A batch of articles may found an incident before the rest of its story is clustered: its first
slug names the parties known then. When the record's parties give another slug, the incident is
renamed, so the stored slug does not depend on the order the articles were clustered in.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session, sessionmaker

from store.incidents import IncidentData, resolve_slug, upsert_incident
from store.models import IncidentAlias

T = dt.datetime(2026, 11, 6, 9, 0, tzinfo=dt.UTC)


def _data(slug_base: str) -> IncidentData:
    return IncidentData(
        title="Kelby Motion accuses a former engineer",
        slug_base=slug_base,
        summary="A robotics start-up says a departing engineer took design files.",
        status="open",
        legal_status=None,
        score=1.0,
        claim_types=["trade_secret_theft"],
        first_seen_at=T,
        last_seen_at=T,
        article_count=0,
        source_count=0,
        outlet_count=0,
    )


def test_a_slug_follows_the_parties_and_old_links_resolve(
    factory: sessionmaker[Session],
) -> None:
    with factory.begin() as s:
        first = upsert_incident(s, 7, _data("2026-11-kelby-motion-trade-secret-theft")).id
    with factory.begin() as s:
        renamed = upsert_incident(
            s, 7, _data("2026-11-kelby-motion-dorian-pask-trade-secret-theft")
        )
        assert renamed.id == first
        assert renamed.slug == "2026-11-kelby-motion-dorian-pask-trade-secret-theft"
    with factory() as s:
        old = resolve_slug(s, "2026-11-kelby-motion-trade-secret-theft")
        assert old is not None
        assert old.id == first


def test_the_same_record_keeps_its_slug_and_a_return_drops_the_alias(
    factory: sessionmaker[Session],
) -> None:
    a, b = "2026-11-kelby-a", "2026-11-kelby-b"
    with factory.begin() as s:
        upsert_incident(s, 3, _data(a))
        assert upsert_incident(s, 3, _data(a)).slug == a  # unchanged: no alias
        assert s.get(IncidentAlias, a) is None
        assert upsert_incident(s, 3, _data(b)).slug == b
        back = upsert_incident(s, 3, _data(a))
        assert back.slug == a  # its own former name, not "a-2"
        assert s.get(IncidentAlias, a) is None
        alias_b = s.get(IncidentAlias, b)
        assert alias_b is not None
        assert alias_b.incident_id == back.id


def test_a_clash_keeps_its_number(factory: sessionmaker[Session]) -> None:
    with factory.begin() as s:
        upsert_incident(s, 1, _data("2026-11-kelby"))
        second = upsert_incident(s, 2, _data("2026-11-kelby"))
        assert second.slug == "2026-11-kelby-2"
        assert upsert_incident(s, 2, _data("2026-11-kelby")).slug == "2026-11-kelby-2"
