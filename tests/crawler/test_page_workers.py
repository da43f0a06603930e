"""The page workers: extract → filter → store in worker processes, and surviving a dead worker."""

from __future__ import annotations

import asyncio
import os
import signal
from datetime import UTC, datetime
from multiprocessing.connection import wait as mp_wait
from pathlib import Path
from types import SimpleNamespace

import sqlalchemy as sa
from scrapy.exceptions import DropItem
from scrapy.utils.test import get_crawler

from crawler.items import ArticleItem
from crawler.pipelines import ArticlePipeline
from crawler.workers import PageIn, _configure, process_pages
from store import make_engine, make_session_factory, session_scope, upsert_source


def _page(n: int, words: str = "") -> bytes:
    body = " ".join(
        f"Sentence {n}.{k} about the lab that accused a rival of distilling its model {words}."
        for k in range(12)
    )
    return (
        f"<html><head><title>Story {n}</title></head><body><article><h1>Story {n}</h1>"
        f"<p>{body}</p></article></body></html>"
    ).encode()


def _source_id(url: str) -> int:
    engine = make_engine(url)
    try:
        with session_scope(make_session_factory(engine)) as s:
            return upsert_source(s, name="t", kind="urls", url=None, config={}).id
    finally:
        engine.dispose()


def _count(url: str) -> int:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(sa.text("SELECT count(*) FROM article")).scalar_one())
    finally:
        engine.dispose()


def test_process_pages_outcomes(migrated_sqlite_url: str) -> None:
    sid = _source_id(migrated_sqlite_url)
    _configure(migrated_sqlite_url, 3, None)
    now = datetime.now(UTC)
    pages = [
        PageIn(sid, "https://e.example/1", "https://e.example/1", _page(1), now),
        # The same text under another URL: a duplicate by content.
        PageIn(sid, "https://e.example/2", "https://e.example/2", _page(1), now),
        PageIn(sid, "https://e.example/3", "https://e.example/3", b"<html>tiny</html>", now),
        PageIn(
            sid, "https://e.example/4", "https://e.example/4", _page(4), now, keywords=("chips",)
        ),
        PageIn(sid, "https://e.example/5", "https://e.example/5", b"\x00\xff" * 500, now),
    ]
    out = process_pages(pages)
    assert [(o.kind, o.reason) for o in out] == [
        ("new", None),
        ("duplicate", None),
        ("failed", "no_article_text"),
        ("skipped", "keyword_filter"),
        ("failed", "no_article_text"),
    ]
    assert out[0].article_id is not None
    assert out[1].article_id == out[0].article_id
    assert _count(migrated_sqlite_url) == 1


def test_a_killed_page_worker_costs_its_batch_only(migrated_sqlite_url: str) -> None:
    """A worker killed mid-crawl (out of memory, say) fails its pages, visibly; a new pool takes
    the next ones, and they are stored."""
    sid = _source_id(migrated_sqlite_url)
    crawler = get_crawler(
        settings_dict={
            "IPWIRE_DATABASE_URL": migrated_sqlite_url,
            "IPWIRE_PAGE_WORKERS": 2,
            "IPWIRE_PAGE_BATCH": 1,
        }
    )
    crawler.stats.open_spider()
    ArticlePipeline._pool = None
    pipeline = ArticlePipeline.from_crawler(crawler)
    crawler.spider = SimpleNamespace(source_id=sid, source=None, errors=[])  # type: ignore[assignment]

    def item(n: int) -> ArticleItem:
        url = f"https://e.example/{n}"
        return ArticleItem("t", url, url, _page(n, words=f"w{n}"), datetime.now(UTC))

    async def run() -> list[str]:
        first = await pipeline.process_item(item(1))
        pool = ArticlePipeline._pool
        assert pool is not None
        workers = list(pool._processes.values())  # type: ignore[attr-defined]
        for proc in workers:
            os.kill(proc.pid, signal.SIGKILL)
        for proc in workers:  # gone: a process's sentinel becomes ready when it ends
            assert mp_wait([proc.sentinel], timeout=10), proc.pid
        outcomes = [first.status or ""]
        for n in (2, 3, 4):
            try:
                done = await pipeline.process_item(item(n))
                outcomes.append(done.status or "")
            except DropItem:
                outcomes.append("dropped")
        return outcomes

    try:
        outcomes = asyncio.run(run())
    finally:
        if ArticlePipeline._pool is not None:
            ArticlePipeline._pool.shutdown(wait=True, cancel_futures=True)
            ArticlePipeline._pool = None
    assert outcomes[0] == "new"
    # At most the batch in flight when the workers died is lost; the crawl goes on.
    assert outcomes[1] in ("new", "dropped")
    assert outcomes[2:] == ["new", "new"]
    failed = crawler.stats.get_value("ipwire/failed/worker_died", 0)
    assert failed == outcomes.count("dropped")
    assert _count(migrated_sqlite_url) == outcomes.count("new")


def test_a_store_that_cannot_be_written_is_a_store_error(tmp_path: Path) -> None:
    """The store as a whole failing (here: never migrated) is each page's ``store_error``, with
    the reason, not a crash of the worker or a misleading extraction error."""
    url = f"sqlite:///{(tmp_path / 'empty.db').as_posix()}"
    _configure(url, 3, None)
    now = datetime.now(UTC)
    out = process_pages([PageIn(1, "https://e.example/1", "https://e.example/1", _page(1), now)])
    assert [(o.kind, o.reason) for o in out] == [("failed", "store_error")]
    assert out[0].detail is not None
    assert "no such table" in out[0].detail


def test_keyword_filter_is_whole_words_and_page_charset_comes_from_the_header(
    migrated_sqlite_url: str,
) -> None:
    sid = _source_id(migrated_sqlite_url)
    _configure(migrated_sqlite_url, 3, None)
    now = datetime.now(UTC)
    said = " ".join(f"Sentence {k}: the spokesperson said it again and again." for k in range(12))
    chinese = "".join(
        f"第{k}段：泽维克斯公司表示，朱镕基研究院的张喆没有复制人工智能模型。" for k in range(12)
    )
    pages = [
        PageIn(
            sid,
            "https://e.example/said",
            "https://e.example/said",
            f"<html><body><article><p>{said}</p></article></body></html>".encode(),
            now,
            keywords=("AI",),
        ),
        PageIn(
            sid,
            "https://e.example/gbk",
            "https://e.example/gbk",
            f"<html><body><article><p>{chinese}</p></article></body></html>".encode("gbk"),
            now,
            keywords=("人工智能",),
            content_type="text/html; charset=gb2312",
        ),
    ]
    out = process_pages(pages)
    assert [(o.kind, o.reason) for o in out] == [("skipped", "keyword_filter"), ("new", None)]
    engine = sa.create_engine(migrated_sqlite_url)
    try:
        with engine.connect() as conn:
            text = conn.execute(sa.text("SELECT text FROM article")).scalar_one()
    finally:
        engine.dispose()
    assert "朱镕基研究院的张喆" in text
