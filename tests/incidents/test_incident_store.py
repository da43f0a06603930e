"""Incidents in the store (SQLite and PostgreSQL): incremental runs, rebuilds, merges, slugs,
timeline view, near-duplicate sources, the briefing window's developments."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from incident_stories import NOW, T0, Story, acme_borg, cyra_dunmore, roundup, store_story
from sqlalchemy.orm import Session, sessionmaker

from ipwire.jobs.cluster import cluster_session
from nlp.incidents import load_config
from store import ArticleIn, add_article, session_scope
from store.incidents import resolve_slug
from store.models import Article
from store.models.incidents import Incident, IncidentArticle
from store.readmodels.common import claims_for
from store.readmodels.window import Development, window_developments


def add(factory: sessionmaker[Session], *stories: Story) -> dict[int, int]:
    with session_scope(factory) as s:
        return {st.n: store_story(s, st) for st in stories}


def run(factory: sessionmaker[Session], *, rebuild: bool = False) -> dict[str, object]:
    with session_scope(factory) as s:
        return cluster_session(s, now=NOW, rebuild=rebuild).as_counts()


def developments(s: Session, start: dt.datetime, end: dt.datetime) -> list[Development]:
    """The briefing's developments of the articles fetched in ``[start, end)``."""
    arrived = sa.and_(Article.fetched_at >= start, Article.fetched_at < end)
    return window_developments(s, start, end, claims_for(s, arrived, newest_first=False))[0]


def incidents(factory: sessionmaker[Session]) -> dict[str, frozenset[int]]:
    with session_scope(factory) as s:
        rows = s.execute(
            sa.select(Incident.slug, IncidentArticle.article_id).join(
                IncidentArticle, IncidentArticle.incident_id == Incident.id
            )
        ).all()
    out: dict[str, set[int]] = {}
    for slug, aid in rows:
        out.setdefault(slug, set()).add(aid)
    return {k: frozenset(v) for k, v in out.items()}


def test_incremental_runs_rebuild_and_reruns_agree(factory: sessionmaker[Session]) -> None:
    ids = add(factory, acme_borg(1, 0), cyra_dunmore(2, 1))
    first = run(factory)
    assert first["incidents_new"] == 2
    assert first["articles"] == 2
    ids |= add(factory, acme_borg(3, 2, stance="denied"), cyra_dunmore(4, 3), roundup(5, 4))
    run(factory)
    incremental = incidents(factory)
    assert sorted(incremental.values(), key=min) == [
        frozenset({ids[1], ids[3], ids[5]}),
        frozenset({ids[2], ids[4], ids[5]}),
    ]
    again = run(factory)  # nothing pending: a no-op
    assert again["articles"] == 0
    assert again["incidents_new"] == again["incidents_updated"] == 0
    assert incidents(factory) == incremental
    rebuilt = run(factory, rebuild=True)
    assert rebuilt["rebuilt"] is True
    assert rebuilt["incidents_new"] == 0
    assert incidents(factory) == incremental  # same partition, same slugs


def test_a_merge_keeps_the_old_slug_resolving(factory: sessionmaker[Session]) -> None:
    far = load_config().sig_window_days + 50  # beyond the signature window of each other
    ids = add(factory, acme_borg(1, 0), acme_borg(2, far))
    run(factory)
    slugs = sorted(incidents(factory))
    assert len(slugs) == 2
    ids |= add(factory, acme_borg(3, far / 2))  # links both: one story after all
    counts = run(factory)
    assert counts["merged"] == 1
    (survivor,) = incidents(factory)
    assert incidents(factory)[survivor] == frozenset(ids.values())
    with session_scope(factory) as s:
        for slug in slugs:
            inc = resolve_slug(s, slug)
            assert inc is not None
            assert inc.slug == survivor
        assert resolve_slug(s, "no-such-incident") is None
    run(factory, rebuild=True)  # a rebuild keeps the survivor and the alias
    with session_scope(factory) as s:
        assert all(getattr(resolve_slug(s, slug), "slug", None) == survivor for slug in slugs)


def test_the_timeline_view_shows_a_denial_after_the_allegation(
    factory: sessionmaker[Session],
) -> None:
    add(
        factory, acme_borg(1, 0), acme_borg(2, 2, stance="denied"), acme_borg(3, 6, legal="lawsuit")
    )
    run(factory)
    with session_scope(factory) as s:
        rows = s.execute(
            sa.text(
                "SELECT status, article_url, sentence FROM v_incident_timeline "
                "ORDER BY occurred_at, status"
            )
        ).all()
        view = s.execute(
            sa.text("SELECT title, legal_status, accusers, accused FROM v_incidents")
        ).one()
    assert [r.status for r in rows] == ["alleged", "denied", "lawsuit"]
    assert rows[1].article_url == "https://news.example/2"
    assert "Borg Intelligence" in rows[1].sentence
    assert view.legal_status == "lawsuit"
    assert (view.accusers, view.accused) == ("Acme Labs", "Borg Intelligence")
    assert view.title == "Acme Labs sues Borg Intelligence over distillation"


def test_a_near_duplicate_copy_is_a_source_not_an_article(factory: sessionmaker[Session]) -> None:
    ids = add(factory, acme_borg(1, 0))
    story = acme_borg(1, 0)
    run(factory)
    with session_scope(factory) as s:
        copy = add_article(  # a syndicated copy: same story, one sentence more
            s,
            ArticleIn(
                None,
                "https://wire.example/copy",
                "https://wire.example/copy",
                story.title,
                story.body + " Reporting by the Pacific desk.",
                T0 + dt.timedelta(hours=5),
                T0 + dt.timedelta(hours=5),
                site_name="Wire",
            ),
        )
    assert copy.status == "near_duplicate"
    assert copy.duplicate_of == ids[1]
    counts = run(factory)
    assert counts["copies"] == 1
    assert counts["incidents_updated"] == 1
    with session_scope(factory) as s:
        inc = s.scalars(sa.select(Incident)).one()
        assert (inc.article_count, inc.source_count, inc.outlet_count) == (1, 2, 2)
        arts = s.scalars(sa.select(IncidentArticle.article_id)).all()
        news = developments(s, T0 + dt.timedelta(hours=1), T0 + dt.timedelta(days=1))
    assert arts == [ids[1]]
    # A copy of a story already briefed brings no claim, step or party: it is no development.
    assert news == []


def test_developments_report_what_changed_in_the_window(factory: sessionmaker[Session]) -> None:
    add(factory, acme_borg(1, 0), cyra_dunmore(2, 0.5))
    run(factory)
    add(factory, acme_borg(3, 3, stance="denied"), roundup(4, 3.2))
    run(factory)
    with session_scope(factory) as s:
        window = developments(s, T0 + dt.timedelta(days=3), T0 + dt.timedelta(days=4))
        everything = developments(s, T0 - dt.timedelta(days=1), T0 + dt.timedelta(days=10))
    assert len(window) == 2
    by_slug = {d.incident.slug: d for d in window if d.incident is not None}
    acme = next(d for slug, d in by_slug.items() if "acme" in slug)
    assert acme.kind != "new_incident"
    assert acme.steps == ("denied",)
    assert {a.id for g in acme.groups for a in g.articles} == {3, 4}
    assert {st for g in acme.groups for st in g.stances} == {"denied", "alleged"}
    assert all(g.accused and g.accused.name == "Borg Intelligence" for g in acme.groups)
    cyra = next(d for slug, d in by_slug.items() if "cyra" in slug)
    assert [g.type for g in cyra.groups] == ["copyright_infringement"]
    assert all(d.kind == "new_incident" for d in everything)
    # a new incident's parties are its summary's accusers and accused
    assert all(d.incident and d.incident.accusers and d.incident.accused for d in everything)
    assert [d.score for d in everything] == sorted((d.score for d in everything), reverse=True)


def test_concurrent_runs_are_serialised(factory: sessionmaker[Session]) -> None:
    """Workers cluster after their batches; two runs at once must not both write."""
    import threading

    ids = add(factory, acme_borg(1, 0), acme_borg(2, 1), cyra_dunmore(3, 2))
    errors: list[BaseException] = []

    def one() -> None:
        try:
            run(factory)
        except BaseException as e:  # collected for the assertion below
            errors.append(e)

    threads = [threading.Thread(target=one) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(incidents(factory).values(), key=min) == [
        frozenset({ids[1], ids[2]}),
        frozenset({ids[3]}),
    ]
