"""Briefing content and safety, rendered from a seeded store (no SMTP)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from jinja2 import StrictUndefined, UndefinedError
from sqlalchemy.orm import Session, sessionmaker

from ipwire.config import Settings
from ipwire.jobs.publish import make_briefing
from reports.env import clean_text, http_url, make_env
from store import make_engine, make_session_factory, mark_briefing_sent, session_scope
from store.readmodels import briefing_data
from tests.reports.htmlaudit import audit, is_http
from tests.reports.seed import HOSTILE, HOSTILE_URLS, World, seed_world


def test_templates_render_with_strict_undefined() -> None:
    env = make_env()
    assert env.undefined is StrictUndefined
    with pytest.raises(UndefinedError):
        env.get_template("email/subject.txt").render(title="x")
    with pytest.raises(UndefinedError):
        env.get_template("site/entities.html").render(entities=[])


@pytest.mark.parametrize("url", HOSTILE_URLS)
def test_only_http_urls_survive(url: str) -> None:
    assert http_url(url) == ""


def test_http_urls_pass_and_disguises_are_stripped() -> None:
    assert http_url("https://a.example/x?y=1") == "https://a.example/x?y=1"
    assert http_url("HTTP://A.example/") == "HTTP://A.example/"
    assert http_url("https:///no-host") == ""
    assert http_url("https://a.example/\"><x y='1'> ü") == (
        "https://a.example/%22%3E%3Cx%20y=%271%27%3E%20%C3%BC"
    )
    assert clean_text("a\u202eb\u200bc\ufeffd\u2066e") == "abcde"
    assert clean_text("zwj\u200dkept") == "zwj\u200dkept"


def test_briefing_ranks_developments_and_collects_sections(
    tmp_path: Path, settings: Settings, world: World
) -> None:
    result = make_briefing(settings, out=tmp_path / "out")
    assert result.status == "rendered"
    assert not result.is_empty
    text = (tmp_path / "out" / f"briefing-{result.date}-default.txt").read_text()
    devs = text.split("TOP DEVELOPMENTS", 1)[1].split("KEY QUOTES", 1)[0]
    # New incidents first (the two created in the window), then the status change.
    assert devs.index("New incident: Harbor Ledger v. Orbis Models") < devs.index(
        "Zentrix Labs accuses Quillon AI of distillation: now lawsuit, denied, investigation"
    )
    assert '"Zentrix Labs accused Quillon AI of distilling its flagship model."' in devs
    quotes = text.split("KEY QUOTES", 1)[1].split("WATCHLIST", 1)[0]
    assert "Marla Voss (general counsel, Zentrix Labs)" in quotes
    assert "Federal Trade Office" in quotes
    watch = text.split("WATCHLIST", 1)[1].split("NEWLY SEEN", 1)[0]
    assert "Quillon AI (entity): 2 articles" in watch
    assert "training data (keyword): 1 article" in watch
    new = text.split("NEWLY SEEN", 1)[1].split("SOURCES", 1)[0]
    assert "Orbis Models (ORG" in new
    assert "Zentrix Labs" not in new
    assert "(link withheld)" in text.split("SOURCES", 1)[1]


def test_briefing_html_escapes_every_payload(
    tmp_path: Path, settings: Settings, world: World
) -> None:
    result = make_briefing(settings, out=tmp_path / "out")
    html = (tmp_path / "out" / f"briefing-{result.date}-default.html").read_text()
    a = audit(html)
    assert not a.scripts
    assert not a.event_attrs
    assert all(is_http(u) for u in a.links())
    assert [src[:22] for tag, attr, src in a.urls if tag == "img"] == ["data:image/png;base64,"]
    for payload in (HOSTILE["script"], HOSTILE["img"], HOSTILE["svg"], HOSTILE["iframe"]):
        assert payload not in html
    assert "&lt;svg onload=alert(1)&gt;" in html
    body_tags = a.tags[a.tags.index("body") :]
    assert not {"iframe", "svg", "textarea", "script", "object"} & set(body_tags)
    assert "{{ 7*7 }}" in html  # template syntax in data is printed, never evaluated


def test_empty_window_gives_a_short_nothing_new_briefing(
    tmp_path: Path, settings: Settings, store_url: str
) -> None:
    result = make_briefing(settings, out=tmp_path / "out")
    assert result.is_empty
    assert result.developments == 0
    assert "nothing new" in result.subject
    text = (tmp_path / "out" / f"briefing-{result.date}-default.txt").read_text()
    assert "Nothing new since the last briefing" in text
    eml = (tmp_path / "out" / f"briefing-{result.date}-default.eml").read_bytes()
    assert b"image/png" not in eml


def test_window_starts_where_the_last_sent_briefing_ended(
    tmp_path: Path, settings: Settings, world: World, factory: sessionmaker[Session]
) -> None:
    tz = settings.tz
    today = world.now.astimezone(tz).date()
    yesterday = today - dt.timedelta(days=1)
    first = make_briefing(settings, date=yesterday)
    with session_scope(factory) as s:
        from store import get_briefing

        b = get_briefing(s, yesterday, "default")
        assert b is not None
        mark_briefing_sent(s, b.id, "<x@example>")
    second = make_briefing(settings, date=today)
    assert second.window_start == first.window_end
    # Without a sent briefing the window is the last 24 hours.
    assert first.window_end - first.window_start == dt.timedelta(hours=24)


def test_briefing_data_counts_days_in_the_configured_timezone(
    settings: Settings, factory: sessionmaker[Session], store_url: str
) -> None:
    # At noon, Berlin's day and the latest article's day are the same: seeded at the real time,
    # the test failed while it was just past midnight in Berlin (the latest article was
    # published the evening before).
    world = seed_world(factory, now=dt.datetime(2026, 12, 7, 12, 0, tzinfo=dt.UTC))
    engine = make_engine(store_url)
    try:
        with session_scope(make_session_factory(engine, readonly=True)) as s:
            end = world.now + dt.timedelta(seconds=1)
            data = briefing_data(s, end - dt.timedelta(days=1), end, tz=settings.tz)
    finally:
        engine.dispose()
    # The chart counts the window's articles by publication day, over the days they cover (at
    # least a week), ending with the latest; the 9-day-old article arrived earlier: not in it.
    assert len(data.daily) == 7
    assert data.trend.period == "day"
    assert data.trend.left_out == 0
    assert data.daily[-1].day == end.astimezone(settings.tz).date()
    assert sum(d.articles for d in data.daily) == data.articles
    assert data.claim_mentions == sum(d.claims for d in data.daily)
    assert data.claims <= data.claim_mentions


def test_entity_details_are_the_same_read_in_bulk_or_by_batch(
    world: World, store_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from store.readmodels import entities as ent

    engine = make_engine(store_url)
    try:
        with session_scope(make_session_factory(engine, readonly=True)) as s:
            ids = [e.id for e in ent.entity_summaries(s)]
            batched = ent.entity_details(s, ids)
            monkeypatch.setattr(ent, "BULK_IDS", 1)
            bulk = ent.entity_details(s, ids)
    finally:
        engine.dispose()
    assert bulk == batched
    zentrix = next(d for d in bulk if d.entity.id == "zentrix-labs")
    assert dict((r.id, n) for r, n in zentrix.co_occurring)["quillon-ai"] == 3
    assert sum(n for _, n in zentrix.trend) == zentrix.entity.article_count


def test_co_occurring_entities_with_equal_counts_are_listed_by_id(
    world: World, store_url: str
) -> None:
    """Two builds of one store list an entity page's co-occurring entities in one order: ties
    in the count are broken by entity id, never by the process's string hashing."""
    from store.readmodels import entities as ent

    engine = make_engine(store_url)
    try:
        with session_scope(make_session_factory(engine, readonly=True)) as s:
            details = ent.entity_details(s, [e.id for e in ent.entity_summaries(s)])
    finally:
        engine.dispose()
    tied = 0
    for d in details:
        counts = [(-n, r.id) for r, n in d.co_occurring]
        assert counts == sorted(counts), d.entity.id
        tied += len(counts) - len({n for n, _ in counts})
    assert tied, "the seeded world has entities whose co-occurrence counts tie"
