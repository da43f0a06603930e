"""add_article: new, duplicate URL, duplicate content, near-duplicate; URLs, fetch state, runs."""

from __future__ import annotations

import os

import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker

from store import (
    add_article,
    finish_crawl_run,
    get_fetch_state,
    known_urls,
    session_scope,
    set_fetch_state,
    start_crawl_run,
    upsert_source,
)
from store.hashing import content_hash, hamming, simhash, to_signed64
from store.models import Article, CrawlRun, Source
from tests.store.conftest import article_in


def _count(s: Session) -> int:
    return int(s.scalar(sa.select(sa.func.count()).select_from(Article)) or 0)


def test_same_url_twice_returns_the_existing_row(factory: sessionmaker[Session]) -> None:
    with factory.begin() as s:
        first = add_article(s, article_in(1))
    assert first.status == "new"
    assert first.duplicate_of is None
    with factory.begin() as s:
        again = add_article(s, article_in(1))
        other_url = add_article(s, article_in(1, canonical_url="https://news.example/moved"))
        assert _count(s) == 1
    assert (again.status, again.article_id, again.duplicate_of) == (
        "duplicate_url",
        first.article_id,
        first.article_id,
    )
    # Same original URL with a different canonical URL is still the same page.
    assert other_url.status == "duplicate_url"


def test_same_content_under_another_url(factory: sessionmaker[Session]) -> None:
    text = "Quillon  AI denied the claims.\nA spokesperson said so."
    with factory.begin() as s:
        a = add_article(s, article_in(1, text=text))
        # Same text modulo case, width and whitespace: an exact duplicate.
        b = add_article(
            s, article_in(2, text="QUILLON AI denied the claims. A spokesperson said so.")
        )
        assert _count(s) == 1
    assert b.status == "duplicate_content"
    assert b.article_id == a.article_id


def test_near_duplicate_is_stored_skipped_and_grouped(factory: sessionmaker[Session]) -> None:
    with factory.begin() as s:
        a = add_article(s, article_in(1, simhash=0b1011))
        b = add_article(s, article_in(2, simhash=0b1011 ^ 0b111))  # 3 bits away
        c = add_article(s, article_in(3, simhash=0b1011 ^ (1 << 63)))  # 1 bit away, sign bit
        d = add_article(s, article_in(4, simhash=0b1011 ^ 0xF0))  # 4+ bits from all: not near
    assert (b.status, b.duplicate_of) == ("near_duplicate", a.article_id)
    assert (c.status, c.duplicate_of) == ("near_duplicate", a.article_id)
    assert d.status == "new"
    with factory() as s:
        rows = {r.id: r for r in s.scalars(sa.select(Article))}
    assert rows[b.article_id].state == "skipped"
    assert rows[b.article_id].is_near_duplicate
    assert rows[b.article_id].dup_group_id == a.article_id == rows[a.article_id].dup_group_id
    assert rows[c.article_id].dup_group_id == a.article_id
    assert rows[a.article_id].state == "new"
    assert not rows[a.article_id].is_near_duplicate
    assert rows[d.article_id].dup_group_id is None
    assert rows[c.article_id].simhash == to_signed64(0b1011 ^ (1 << 63))  # stored signed


def test_simhash_is_computed_when_missing(factory: sessionmaker[Session]) -> None:
    base = " ".join(f"Paragraph about the fictional Zentrix suit, item {i}." for i in range(60))
    edited = base.replace("item 59.", "item fifty-nine.")
    assert hamming(simhash(base), simhash(edited)) <= 3
    with factory.begin() as s:
        a = add_article(s, article_in(1, text=base))
        b = add_article(s, article_in(2, text=edited))
        row = s.get(Article, a.article_id)
        assert row is not None
        assert row.content_hash == content_hash(base)
    assert (b.status, b.duplicate_of) == ("near_duplicate", a.article_id)


def test_articles_without_text_are_not_duplicates_of_each_other(
    factory: sessionmaker[Session],
) -> None:
    with factory.begin() as s:
        a = add_article(s, article_in(1, text=""))
        b = add_article(s, article_in(2, text="   "))
    assert a.status == b.status == "new"


def test_known_urls(factory: sessionmaker[Session]) -> None:
    with factory.begin() as s:
        add_article(s, article_in(1))
    with factory() as s:
        got = known_urls(
            s,
            [
                "https://news.example/story-1",
                "https://news.example/story-1?utm_source=x",
                "https://news.example/story-2",
            ],
        )
    assert got == {"https://news.example/story-1", "https://news.example/story-1?utm_source=x"}


def test_fetch_state_upsert(factory: sessionmaker[Session]) -> None:
    url = "https://news.example/feed.xml"
    with factory.begin() as s:
        assert get_fetch_state(s, url) is None
        set_fetch_state(s, url, etag='"v1"', last_modified=None, status=200)
    with factory.begin() as s:
        set_fetch_state(
            s, url, etag='"v2"', last_modified="Sun, 01 Mar 2026 09:00:00 GMT", status=304
        )
        state = get_fetch_state(s, url)
        assert state is not None
        assert (state.etag, state.last_status) == ('"v2"', 304)
        assert state.fetched_at.tzinfo is not None


def test_sources_and_crawl_runs(factory: sessionmaker[Session]) -> None:
    with factory.begin() as s:
        src = upsert_source(s, name="wire", kind="feed", url="https://w.example/f", config={})
        same = upsert_source(
            s, name="wire", kind="feed", url="https://w.example/g", config={"max_pages": 2}
        )
        assert same.id == src.id
        run = start_crawl_run(s, src.id)
        assert run.outcome == "running"
        assert run.finished_at is None
        finish_crawl_run(
            s,
            run.id,
            stats={
                "pages_fetched": 7,
                "new": 3,
                "duplicate": 2,
                "near_duplicate": 1,
                "not_modified": 1,
                "robots_skipped": 0,
                "failed": 1,
                "failed_by_reason": {"http_404": 1},
            },
            errors=["https://w.example/x: HTTP 404"],
            outcome="partial",
        )
    with factory() as s:
        got = s.scalars(sa.select(CrawlRun)).one()
        assert (got.pages_fetched, got.articles_new, got.articles_near_duplicate) == (7, 3, 1)
        assert got.failed_by_reason == {"http_404": 1}
        assert got.errors == ["https://w.example/x: HTTP 404"]
        assert got.outcome == "partial"
        assert got.finished_at is not None
        assert s.scalars(sa.select(Source.config)).one() == {"max_pages": 2}


def test_upsert_source_race_takes_the_winners_row(migrated_pg_url: str) -> None:
    """Two crawler processes register one source at once: the loser gets the winner's row.

    PostgreSQL only (SQLite has one writer at a time, so the race cannot happen there), and
    deterministic: the winner's insert is still uncommitted when the loser looks (it sees no
    row) and inserts, which waits on the unique key until the winner commits.
    """
    import threading

    from store import make_engine, make_session_factory

    engine = make_engine(migrated_pg_url)
    factory = make_session_factory(engine)

    winner = factory()
    won = upsert_source(winner, name="wire", kind="feed", url="https://w.example/f", config={})
    result: dict[str, object] = {}

    def loser() -> None:
        try:
            with session_scope(factory) as s:
                src = upsert_source(
                    s, name="wire", kind="feed", url="https://w.example/f", config={}
                )
                result["id"] = src.id
        except Exception as e:  # reported by the assertion below
            result["error"] = e

    thread = threading.Thread(target=loser)
    thread.start()
    thread.join(timeout=1.0)
    assert thread.is_alive(), "the loser should be waiting on the winner's uncommitted key"
    winner.commit()
    thread.join(timeout=10)
    winner.close()
    engine.dispose()
    assert result == {"id": won.id}


def test_dead_crawl_runs_are_closed(factory: sessionmaker[Session]) -> None:
    """A crawl killed with SIGKILL leaves its run "running"; the next crawl closes it."""
    import datetime as dt
    import subprocess
    import sys

    from store import close_dead_crawl_runs

    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    with factory.begin() as s:
        src = upsert_source(s, name="wire", kind="feed", url="https://w.example/f", config={})
        dead = start_crawl_run(s, src.id, owner=f"here:{gone.pid}")
        live = start_crawl_run(s, src.id, owner=f"here:{os.getpid()}")
        elsewhere = start_crawl_run(s, src.id, owner="there:1")
        ancient = start_crawl_run(s, src.id, owner="there:2")
        ancient.started_at = dt.datetime.now(dt.UTC) - dt.timedelta(days=2)
        ids = (dead.id, live.id, elsewhere.id, ancient.id)
    alive = {os.getpid()}.__contains__
    with factory.begin() as s:
        closed = close_dead_crawl_runs(s, host="here", alive=alive)
    assert sorted(closed) == sorted([ids[0], ids[3]])
    with factory.begin() as s:
        runs = {r.id: r for r in s.scalars(sa.select(CrawlRun))}
        assert [runs[i].outcome for i in ids] == ["killed", "running", "running", "abandoned"]
        assert runs[ids[0]].finished_at is not None
        assert "died before finishing" in runs[ids[0]].errors[-1]
        finish_crawl_run(s, ids[1], stats={"new": 1}, errors=[], outcome="ok")
    with factory.begin() as s:
        assert close_dead_crawl_runs(s, host="here", alive=alive) == []
        finished = s.get(CrawlRun, ids[1])
        assert finished is not None
        assert finished.stats == {"owner": f"here:{os.getpid()}", "new": 1}
