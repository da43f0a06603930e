"""Fuzzing the crawler's input handling: extraction, feed parsing, URL normalisation."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import scrapy
from hypothesis import given
from hypothesis import strategies as st
from scrapy.http import Request, TextResponse
from scrapy.utils.test import get_crawler
from strategies import documents, feeds, fuzz_settings, urls

from crawler.extract.article import ExtractedArticle, extract_article
from crawler.spec import SourceSpec
from crawler.spiders.feed import FeedSpider
from crawler.urls import normalize_url
from tests.support.databases import copy_sqlite_template


@fuzz_settings(150)
@given(
    html=documents,
    url=st.one_of(urls(), st.text(max_size=50)),
    charset=st.sampled_from([None, "utf-8", "latin-1", "utf-16", "shift_jis", "klingon", ""]),
)
def test_extract_article_never_raises(inputs: Any, html: Any, url: str, charset: Any) -> None:
    inputs.record("extract_article", (html, url, charset))
    art = extract_article(html, url, declared_charset=charset)
    assert isinstance(art, ExtractedArticle)
    assert isinstance(art.text, str)
    assert isinstance(art.canonical_url, str)


@fuzz_settings(300)
@given(url=st.one_of(urls(), st.text(max_size=80)))
def test_normalize_url_is_total_and_idempotent(inputs: Any, url: str) -> None:
    inputs.record("normalize_url", url)
    once = normalize_url(url)
    assert isinstance(once, str)
    assert normalize_url(once) == once


@pytest.fixture(scope="module")
def feed_spider(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path) -> FeedSpider:
    """A feed spider on a real (empty) store, as ``crawler.run`` builds it."""
    url = copy_sqlite_template(sqlite_template, tmp_path_factory.mktemp("fuzz-feed") / "ipwire.db")
    source = SourceSpec(name="fuzz", kind="feed", url="https://example.com/feed.xml")
    crawler = get_crawler(FeedSpider)
    spider = FeedSpider.from_crawler(crawler, source=source, database_url=url)
    crawler.spider = spider
    crawler.stats.open_spider()
    return spider


@fuzz_settings(150)
@given(
    body=feeds(),
    ctype=st.sampled_from(
        [b"application/rss+xml", b"text/xml; charset=utf-16", b"text/html", b"", b"\xff\xfe"]
    ),
)
def test_feed_parse_path_never_raises(
    inputs: Any, feed_spider: FeedSpider, body: bytes, ctype: bytes
) -> None:
    inputs.record("FeedSpider.parse_feed", (body, ctype))
    request = Request("https://example.com/feed.xml")
    headers = {b"Content-Type": ctype} if ctype else {}
    response = TextResponse(
        "https://example.com/feed.xml", body=body, headers=headers, request=request
    )
    out = list(feed_spider.parse_feed(response))
    assert all(isinstance(r, scrapy.Request) for r in out)
    assert all(r.url.startswith(("http://", "https://")) for r in out)


def test_inputs_log_is_written(inputs: Any) -> None:
    inputs.record("self-check", "log")
    inputs._file.flush()
    assert Path(inputs.path).stat().st_size > 0


def test_a_feed_link_with_a_forbidden_host_is_counted_not_raised(feed_spider: FeedSpider) -> None:
    """Found by the fuzzer: a host with code points no URL may hold made Request() raise."""
    body = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
        b"<item><title>bad</title><link>http://\xc3\xb1\xc3\xb1>\xc3\xbe.example/x</link></item>"
        b"<item><title>good</title><link>https://news.example.org/a.html</link></item>"
        b"</channel></rss>"
    )
    request = Request("https://example.com/feed.xml")
    response = TextResponse(
        "https://example.com/feed.xml",
        body=body,
        headers={b"Content-Type": b"application/rss+xml"},
        request=request,
    )
    out = list(feed_spider.parse_feed(response))
    assert [r.url for r in out] == ["https://news.example.org/a.html"]
    assert any("invalid_url" in e for e in feed_spider.errors)
