"""The ``search`` source end to end: a loopback DOC API, result pages on loopback, a real store."""

from __future__ import annotations

import dataclasses
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from crawler.search.loopback import FakeDocApi, article_page, fake_doc_api, loopback_crawl
from crawler.spec import CrawlOptions, CrawlSpec, SourceSpec
from ipwire.jobs.crawl import run_crawl

DAY0 = datetime(2025, 3, 1, tzinfo=UTC)


def stamp(moment: datetime) -> str:
    return moment.strftime("%Y%m%d%H%M%S")


def add_articles(api: FakeDocApi, first: int, count: int, start: datetime, step: timedelta) -> None:
    """``count`` articles numbered from ``first``, seen every ``step`` from ``start``."""
    entries = []
    for n in range(first, first + count):
        path = f"/a/{n}.html"
        api.pages[path] = article_page(n)
        entries.append((api.base + path, start + (n - first) * step, f"Fictional report {n}"))
    api.add(entries)


def spec_for(api: FakeDocApi, db_url: str, **source: Any) -> CrawlSpec:
    fields: dict[str, Any] = {
        "name": "search-test",
        "kind": "search",
        "query": '"trade secrets" (Fictional OR Report)',
        "api_url": api.api_url,
        "api_interval_s": 0.0,
        "slice_hours": 24.0,
        "max_articles": 10_000,
    }
    fields.update(source)
    return CrawlSpec(
        database_url=db_url,
        sources=(SourceSpec(**fields),),
        options=CrawlOptions(**loopback_crawl()),
    )


def rows(db_url: str, sql: str) -> list[Any]:
    engine = sa.create_engine(db_url)
    try:
        with engine.connect() as conn:
            return list(conn.execute(sa.text(sql)).all())
    finally:
        engine.dispose()


def as_utc(value: Any) -> datetime:
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def done_spans(db_url: str) -> list[tuple[datetime, datetime]]:
    found = rows(db_url, "SELECT start_at, end_at FROM search_slice ORDER BY start_at")
    return [(as_utc(s), as_utc(e)) for s, e in found]


def covers(spans: list[tuple[datetime, datetime]], start: datetime, end: datetime) -> bool:
    cursor = start
    for s, e in sorted(spans):
        if s > cursor:
            return False
        cursor = max(cursor, e)
    return cursor >= end


def test_windows_are_tracked_and_nothing_is_asked_or_fetched_twice(
    migrated_sqlite_url: str,
) -> None:
    with fake_doc_api(FakeDocApi(min_interval_s=0.3)) as api:
        add_articles(api, 0, 30, DAY0 + timedelta(hours=1), timedelta(hours=2))  # 2.5 days
        first = spec_for(api, migrated_sqlite_url, until=(DAY0 + timedelta(days=3)).isoformat())
        first = dataclasses.replace(
            first,
            sources=(
                dataclasses.replace(first.sources[0], lookback_hours=72.0, api_interval_s=0.5),
            ),
        )
        summary = run_crawl(first, timeout_s=180).summaries[0]
        assert summary["outcome"] == "ok", summary
        assert summary["new"] == 30
        # The API's pace was kept: it never had to refuse a request.
        assert [c.status for c in api.calls] == [200, 200, 200]
        assert [c.start for c in api.calls] == [stamp(DAY0 + timedelta(days=d)) for d in range(3)]
        window = rows(
            migrated_sqlite_url,
            "SELECT window_start_at, window_end_at, is_window_complete, is_backfill FROM crawl_run",
        )
        assert [(as_utc(a), as_utc(b), bool(c), bool(d)) for a, b, c, d in window] == [
            (DAY0, DAY0 + timedelta(days=3), True, False)
        ]

        # A day later: the next run asks only about the new day, and fetches only its articles.
        add_articles(api, 30, 10, DAY0 + timedelta(days=3, minutes=30), timedelta(hours=1))
        api.calls.clear()
        second = spec_for(api, migrated_sqlite_url, until=(DAY0 + timedelta(days=4)).isoformat())
        summary = run_crawl(second, timeout_s=180).summaries[0]
        assert summary["new"] == 10
        assert [(c.start, c.end) for c in api.calls] == [
            (stamp(DAY0 + timedelta(days=3)), stamp(DAY0 + timedelta(days=4)))
        ]
        # The same window again: nothing to ask.
        api.calls.clear()
        summary = run_crawl(second, timeout_s=180).summaries[0]
        assert api.calls == []
        assert summary["new"] == 0

    fetched = Counter(p for p in api.page_log if p.startswith("/a/"))
    assert len(fetched) == 40, "every page fetched exactly once"
    assert set(fetched.values()) == {1}, "every page fetched exactly once"
    assert covers(done_spans(migrated_sqlite_url), DAY0, DAY0 + timedelta(days=4))


def test_a_slice_at_the_cap_is_split_and_nothing_is_lost(migrated_sqlite_url: str) -> None:
    with fake_doc_api() as api:
        # 600 articles in one day: more than two article lists' worth.
        add_articles(api, 0, 600, DAY0, timedelta(minutes=2))
        spec = spec_for(
            api,
            migrated_sqlite_url,
            since=DAY0.isoformat(),
            until=(DAY0 + timedelta(days=1)).isoformat(),
        )
        summary = run_crawl(spec, timeout_s=240).summaries[0]
    assert summary["new"] == 600, summary
    assert len(api.calls) == 3
    assert [c.results for c in api.calls] == [250, 250, 102]  # split where each list stopped
    spans = done_spans(migrated_sqlite_url)
    assert covers(spans, DAY0, DAY0 + timedelta(days=1))
    assert len(spans) == 3
    assert rows(migrated_sqlite_url, "SELECT count(*) FROM search_slice WHERE is_capped")[0][0] == 0
    assert bool(rows(migrated_sqlite_url, "SELECT is_backfill FROM crawl_run")[0][0])


def test_api_faults_leave_their_slices_for_the_next_run(migrated_sqlite_url: str) -> None:
    days = [DAY0 + timedelta(days=d) for d in range(5)]
    with fake_doc_api(FakeDocApi(hang_s=4.0)) as api:
        for d in (0, 2, 3):  # day 1 is empty
            add_articles(api, 10 * d, 5, days[d] + timedelta(hours=3), timedelta(hours=1))
        api.text_rate_limit_next = 1  # the first answer asks to slow down: asked again
        api.malformed_starts = {stamp(days[2])}
        api.hang_starts = {stamp(days[3])}
        spec = spec_for(
            api, migrated_sqlite_url, since=days[0].isoformat(), until=days[4].isoformat()
        )
        spec = dataclasses.replace(
            spec, options=CrawlOptions(**loopback_crawl(timeout_s=1.5, retries=1))
        )
        summary = run_crawl(spec, timeout_s=180).summaries[0]
        assert summary["outcome"] == "partial"
        assert summary["new"] == 5  # day 0 only
        assert set(summary["failed_by_reason"]) == {"api_malformed", "api_timeout"}
        assert [c.status for c in api.calls if c.start == stamp(days[3])] == [0, 0]  # 1 retry
        assert covers(done_spans(migrated_sqlite_url), days[0], days[2])
        assert not covers(done_spans(migrated_sqlite_url), days[2], days[3])
        complete = rows(migrated_sqlite_url, "SELECT is_window_complete FROM crawl_run")
        assert [bool(c) for (c,) in complete] == [False]

        api.malformed_starts, api.hang_starts = set(), set()
        api.calls.clear()
        summary = run_crawl(spec, timeout_s=180).summaries[0]
        assert summary["outcome"] == "ok"
        assert summary["new"] == 10
        assert sorted(c.start for c in api.calls) == [stamp(days[2]), stamp(days[3])]
    assert covers(done_spans(migrated_sqlite_url), days[0], days[4])
    fetched = Counter(p for p in api.page_log if p.startswith("/a/"))
    assert len(fetched) == 15
    assert set(fetched.values()) == {1}


def test_search_sources_of_one_crawl_share_the_api_pace(migrated_sqlite_url: str) -> None:
    with fake_doc_api(FakeDocApi(min_interval_s=0.3)) as api:
        spec = spec_for(
            api,
            migrated_sqlite_url,
            since=DAY0.isoformat(),
            until=(DAY0 + timedelta(days=3)).isoformat(),
            api_interval_s=0.6,
        )
        other = dataclasses.replace(spec.sources[0], name="search-test-2", query="distillation")
        summaries = run_crawl(
            dataclasses.replace(spec, sources=(spec.sources[0], other)), timeout_s=180
        ).summaries
    assert {s["outcome"] for s in summaries} == {"ok"}
    assert [c.status for c in api.calls] == [200] * 6, api.calls
