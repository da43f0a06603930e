"""End to end: crawl the fixture news site over loopback into a real store.

Expectations come from the fixture site's own truth file, never from hard-coded counts.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from crawler.fixture_site import FixtureSite, load_truth
from crawler.spec import CrawlOptions, CrawlSpec, SourceSpec
from crawler.urls import normalize_url
from ipwire.jobs.crawl import run_crawl

TRUTH = load_truth()
INDEX_KINDS = ("feed", "sitemap")


def make_spec(site: FixtureSite, db_url: str) -> CrawlSpec:
    sources = []
    for raw in TRUTH["sources"]:
        d = {k: tuple(v) if isinstance(v, list) else v for k, v in raw.items()}
        d["url"] = site.url(d["url"])
        sources.append(SourceSpec(**d))
    sc = TRUTH["suggested_crawl"]
    options = CrawlOptions(
        timeout_s=max(sc["timeout_s"], 5.0),  # a busy machine must not time out real pages
        retries=sc["retries"],
        download_delay=sc["download_delay"],
        max_page_bytes=sc["max_page_bytes"],
        obey_robots=sc["obey_robots"],
        autothrottle=False,
        concurrency_per_domain=8,
        allow_networks=("127.0.0.0/8",),  # the fixture site is on loopback (SSRF guard opt-in)
    )
    return CrawlSpec(database_url=db_url, sources=tuple(sources), options=options)


def stored(db_url: str) -> dict[str, dict[str, Any]]:
    engine = sa.create_engine(db_url)
    with engine.connect() as conn:
        rows = conn.execute(
            sa.text(
                "SELECT canonical_url, title, text, published_at, is_near_duplicate, "
                "near_duplicate_of FROM article"
            )
        ).mappings()
        out = {r["canonical_url"]: dict(r) for r in rows}
        ids = dict(conn.execute(sa.text("SELECT id, canonical_url FROM article")).all())
    engine.dispose()
    for r in out.values():
        r["near_duplicate_of_url"] = ids.get(r["near_duplicate_of"])
    return out


def as_utc(value: Any) -> datetime:
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    assert isinstance(value, datetime)
    return (
        value
        if value.tzinfo
        else value.replace(tzinfo=datetime.now().astimezone().tzinfo).astimezone()
    )


@pytest.fixture
def site() -> Any:
    with FixtureSite(hang_seconds=7.0) as s:
        yield s


def test_crawl_stores_every_article_once_and_counts_every_fault(
    site: FixtureSite, migrated_sqlite_url: str
) -> None:
    spec = make_spec(site, migrated_sqlite_url)
    first = run_crawl(spec, timeout_s=240)
    rows = stored(migrated_sqlite_url)

    expected = {normalize_url(site.url(p)): a for p, a in TRUTH["articles"].items()}
    assert set(rows) == set(expected), "every truth article stored, nothing else"
    for url, truth in expected.items():
        row = rows[url]
        assert row["title"] == truth["title"], url
        assert truth["key_sentence"] in row["text"], url
        got = as_utc(row["published_at"]).replace(tzinfo=None)
        want = datetime.fromisoformat(truth["published_at"]).astimezone().replace(tzinfo=None)
        want_utc = datetime.fromisoformat(truth["published_at"]).replace(tzinfo=None)
        assert abs((got - want_utc).total_seconds()) < 120 or got == want, url
        if truth["near_duplicate_of"]:
            # One group per story; whichever of the pair was stored second is the marked copy
            # (crawl order is arbitrary), so NLP processes the story once.
            original = rows[normalize_url(site.url(truth["near_duplicate_of"]))]
            pair = {url: row, "original": original}
            marked = [r for r in pair.values() if r["is_near_duplicate"]]
            assert len(marked) == 1, f"{url}: exactly one of the pair is the copy"
            other = original if marked[0] is row else row
            assert marked[0]["near_duplicate_of_url"] == other["canonical_url"]

    failed: Counter[str] = Counter()
    skipped: Counter[str] = Counter()
    for s in first.summaries:
        failed.update(s["failed_by_reason"])
        skipped.update(s["skipped_by_reason"])
    for path, fault in TRUTH["faults"].items():
        reason = fault["expected"]["reason"]
        outcome = fault["expected"]["outcome"]
        if outcome == "failed":
            assert failed[reason] >= 1, f"{path}: expected a counted failure {reason}"
        elif outcome == "skipped":
            assert skipped[reason] >= 1, f"{path}: expected a counted skip {reason}"
    assert sum(s["new"] for s in first.summaries) + sum(
        s["near_duplicate"] for s in first.summaries
    ) == len(expected)

    # Second run: no article page fetched again; feeds and sitemaps answer 304.
    site.clear_access_log()
    second = run_crawl(spec, timeout_s=240)
    article_paths = set(TRUTH["articles"])
    refetched = [e.path for e in site.access_log if e.path in article_paths]
    assert refetched == []
    index_urls = [s.url for s in spec.sources if s.kind in INDEX_KINDS]
    for url in index_urls:
        path = url.removeprefix(site.base_url)
        statuses = [e.status for e in site.requests_for(path)]
        assert statuses, (path, statuses)
        assert all(st == 304 for st in statuses), (path, statuses)
    assert sum(s["new"] for s in second.summaries) == 0
    assert len(stored(migrated_sqlite_url)) == len(expected)


def test_killed_crawl_resumes_to_the_same_article_set(
    site: FixtureSite, migrated_sqlite_url: str, tmp_path: Path
) -> None:
    spec = make_spec(site, migrated_sqlite_url)
    spec_path = tmp_path / "spec.json"
    spec_path.write_text(spec.to_json(), encoding="utf-8")
    proc = subprocess.Popen(
        [sys.executable, "-m", "crawler.run", str(spec_path), "--out", str(tmp_path / "r.json")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=os.environ.copy(),
    )
    article_paths = set(TRUTH["articles"])
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and proc.poll() is None:
        if len(stored(migrated_sqlite_url)) >= 8:  # some stored, most still to come
            break
        time.sleep(0.1)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    partial = stored(migrated_sqlite_url)
    assert 0 < len(partial) < len(article_paths), "killed mid-crawl"

    run_crawl(spec, timeout_s=240)
    rows = stored(migrated_sqlite_url)
    assert set(rows) == {normalize_url(site.url(p)) for p in article_paths}
    # The killed crawl's runs were closed by the rerun, not left "running" for ever.
    engine = sa.create_engine(migrated_sqlite_url)
    with engine.connect() as conn:
        outcomes = Counter(conn.execute(sa.text("SELECT outcome FROM crawl_run")).scalars())
    engine.dispose()
    assert outcomes["running"] == 0, outcomes
    assert outcomes["killed"] >= 1, outcomes
