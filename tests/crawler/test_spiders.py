"""Spiders on fixture responses, offline: discovery, conditional GET, caps, failures."""

from __future__ import annotations

import gzip
from typing import Any

import pytest
import scrapy
from scrapy.http import HtmlResponse, Request, TextResponse, XmlResponse
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.test import get_crawler
from twisted.internet import error as twisted_errors
from twisted.python.failure import Failure

from crawler.errors import classify_failure
from crawler.fixture_site import built_site
from crawler.middlewares import retry_after_seconds
from crawler.spec import SourceSpec
from crawler.spiders import FeedSpider, ListingSpider, SitemapSpider, UrlListSpider
from crawler.storeio import StoreGateway
from store import ArticleIn, add_article, make_engine, make_session_factory, session_scope

WWW = built_site().www
BASE = "http://127.0.0.1:8765"


def fixture_body(rel: str) -> bytes:
    return (WWW / rel).read_bytes().replace(b"{BASE}", BASE.encode())


@pytest.fixture
def db(migrated_sqlite_url: str) -> str:
    """The store the spiders read and write (SQLite, at head)."""
    return migrated_sqlite_url


def make(spider_cls: type[Any], db: str, **source: Any) -> Any:
    spec = SourceSpec(**{"name": "t", "kind": spider_cls.kind, **source})
    crawler = get_crawler(spider_cls)
    spider = spider_cls(source=spec, database_url=db)
    spider.crawler = crawler
    crawler.spider = spider
    crawler.stats.open_spider()
    return spider


def requests(out: Any) -> list[scrapy.Request]:
    return [r for r in out if isinstance(r, scrapy.Request)]


def response(cls: type[Any], url: str, body: bytes, **headers: str) -> Any:
    return cls(url=url, body=body, headers=headers, request=Request(url), encoding="utf-8")


@pytest.mark.parametrize(
    "feed", ["herald/feed.xml", "techledger/atom.xml", "wire/rss10.rdf", "courier/rss/tech.xml"]
)
def test_feed_entries_become_article_requests(db: str, feed: str) -> None:
    url = f"{BASE}/{feed}"
    spider = make(FeedSpider, db, url=url)
    body = fixture_body(feed)
    reqs = requests(
        spider.parse_feed(response(XmlResponse, url, body, **{"Content-Type": "application/xml"}))
    )
    assert reqs, feed
    assert all(r.url.startswith(BASE) and r.meta["ipwire_kind"] == "article" for r in reqs)
    assert all(r.callback == spider.parse_article for r in reqs)
    assert len({r.url for r in reqs}) == len(reqs)
    # The feed's title names the outlet for pages that do not name themselves.
    assert all(r.cb_kwargs["hint_site_name"] for r in reqs)


def test_malformed_feed_keeps_what_it_can_read(db: str) -> None:
    url = f"{BASE}/policy/feeds/briefs.xml"
    spider = make(FeedSpider, db, url=url)
    reqs = requests(
        spider.parse_feed(response(XmlResponse, url, fixture_body("policy/feeds/briefs.xml")))
    )
    assert len(reqs) >= 1
    assert spider.crawler.stats.get_value("ipwire/feed_malformed_partial") == 1


def test_garbage_feed_is_a_counted_failure(db: str) -> None:
    url = f"{BASE}/x.xml"
    spider = make(FeedSpider, db, url=url)
    reqs = requests(spider.parse_feed(response(TextResponse, url, b"\x00\x01 not a feed <<<")))
    assert reqs == []
    assert spider.crawler.stats.get_value("ipwire/failed/malformed_feed") == 1


def test_conditional_get_and_304(db: str) -> None:
    url = f"{BASE}/herald/feed.xml"
    spider = make(FeedSpider, db, url=url)
    first = spider.conditional_request(url, spider.parse_feed)
    assert b"If-None-Match" not in first.headers
    ok = response(XmlResponse, url, fixture_body("herald/feed.xml"), ETag='"v1"')
    list(spider.parse_feed(ok))
    assert spider.pending_validators[url][0] == '"v1"'
    StoreGateway(db).save_validators(spider.pending_validators)
    again = make(FeedSpider, db, url=url).conditional_request(url, spider.parse_feed)
    assert again.headers[b"If-None-Match"] == b'"v1"'
    not_modified = XmlResponse(url=url, status=304, body=b"", request=again)
    assert requests(spider.parse_feed(not_modified)) == []
    assert spider.crawler.stats.get_value("ipwire/not_modified") == 1


def test_stored_articles_are_not_requested_and_max_articles_caps(db: str) -> None:
    url = f"{BASE}/herald/feed.xml"
    spider = make(FeedSpider, db, url=url, max_articles=3)
    body = fixture_body("herald/feed.xml")
    all_reqs = requests(make(FeedSpider, db, url=url).parse_feed(response(XmlResponse, url, body)))
    known = all_reqs[0].url
    factory = make_session_factory(make_engine(db))
    with session_scope(factory) as s:
        add_article(
            s,
            ArticleIn(
                source_id=None,
                url=known,
                canonical_url=known,
                title="t",
                text="Stored already, a distinct text of its own.",
                published_at=None,
                fetched_at=__import__("datetime").datetime.now(__import__("datetime").UTC),
            ),
        )
    reqs = requests(spider.parse_feed(response(XmlResponse, url, body)))
    assert known not in {r.url for r in reqs}
    assert len(reqs) == 3
    stats = spider.crawler.stats
    assert stats.get_value("ipwire/already_stored") == 1
    assert stats.get_value("ipwire/over_max_articles") == len(all_reqs) - 1 - 3


def test_sitemap_index_and_news_sitemap(db: str) -> None:
    url = f"{BASE}/herald/sitemap-index.xml"
    spider = make(SitemapSpider, db, url=url)
    children = requests(
        spider.parse_sitemap(response(XmlResponse, url, fixture_body("herald/sitemap-index.xml")))
    )
    assert children
    assert all(r.meta["ipwire_kind"] == "index" for r in children)
    news_url = f"{BASE}/herald/sitemaps/news.xml"
    reqs = requests(
        spider.parse_sitemap(
            response(XmlResponse, news_url, fixture_body("herald/sitemaps/news.xml")), depth=1
        )
    )
    assert reqs
    assert all(r.cb_kwargs["hint_title"] for r in reqs)
    assert all(r.cb_kwargs["hint_published"] for r in reqs)


def _gzip_sitemap_spider(db: str, url: str, maxsize: int = 0) -> Any:
    spec = SourceSpec(name="t", kind="sitemap", url=url)
    crawler = get_crawler(SitemapSpider, settings_dict={"DOWNLOAD_MAXSIZE": maxsize})
    spider = SitemapSpider(source=spec, database_url=db)
    spider.crawler = crawler
    crawler.spider = spider
    crawler.stats.open_spider()
    return spider


def test_gzipped_sitemap_file_and_gzip_index_without_content_encoding(db: str) -> None:
    index_url = f"{BASE}/herald/sitemap-index.xml"
    spider = _gzip_sitemap_spider(db, index_url)
    # A gzip body served as XML without Content-Encoding (the middleware left it alone).
    index = gzip.compress(fixture_body("herald/sitemap-index.xml"))
    children = requests(spider.parse_sitemap(response(XmlResponse, index_url, index)))
    assert children
    assert all(r.meta["ipwire_kind"] == "index" for r in children)
    # A sitemap.xml.gz served as application/x-gzip.
    gz_url = f"{BASE}/herald/sitemaps/news.xml.gz"
    body = gzip.compress(fixture_body("herald/sitemaps/news.xml"))
    gz_response = scrapy.http.Response(
        url=gz_url,
        body=body,
        headers={"Content-Type": "application/x-gzip"},
        request=Request(gz_url),
    )
    reqs = requests(spider.parse_sitemap(gz_response, depth=1))
    assert reqs
    assert all(r.cb_kwargs["hint_title"] for r in reqs)
    stats = spider.crawler.stats
    assert stats.get_value("ipwire/failed/malformed_sitemap") is None
    assert spider.errors == []


def test_gzip_bomb_sitemap_stops_at_the_cap(db: str) -> None:
    url = f"{BASE}/bomb/sitemap.xml.gz"
    spider = _gzip_sitemap_spider(db, url, maxsize=1_000_000)
    assert spider.max_sitemap_bytes() == 1_000_000
    head = b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
    bomb = gzip.compress(head + b" " * 20_000_000, compresslevel=9)
    assert len(bomb) < 100_000
    assert requests(spider.parse_sitemap(response(XmlResponse, url, bomb))) == []
    assert spider.crawler.stats.get_value("ipwire/failed/sitemap_too_large") == 1
    assert spider.errors == [
        f"sitemap {url}: sitemap_too_large (more than 1000000 bytes once decompressed)"
    ]


def test_sitemap_cap_defaults_to_the_protocol_limit(db: str) -> None:
    spider = _gzip_sitemap_spider(db, f"{BASE}/s.xml.gz", maxsize=0)
    assert spider.max_sitemap_bytes() == 50 * 1024 * 1024


def test_broken_gzip_sitemap_is_malformed(db: str) -> None:
    url = f"{BASE}/broken/sitemap.xml.gz"
    spider = _gzip_sitemap_spider(db, url)
    broken = b"\x1f\x8b\x08" + b"not really gzip at all" * 10
    assert requests(spider.parse_sitemap(response(XmlResponse, url, broken))) == []
    assert spider.crawler.stats.get_value("ipwire/failed/malformed_sitemap") == 1
    assert "bad gzip" in spider.errors[0]


def test_listing_css_xpath_and_pagination(db: str) -> None:
    url = f"{BASE}/techledger/latest/"
    spider = make(
        ListingSpider,
        db,
        url=url,
        link_selector="article.card h2 > a",
        next_selector="nav.pager a[rel=next]",
        max_pages=2,
    )
    out = list(
        spider.parse_listing(
            response(HtmlResponse, url, fixture_body("techledger/latest/index.html"))
        )
    )
    articles = [r for r in requests(out) if r.meta["ipwire_kind"] == "article"]
    pages = [r for r in requests(out) if r.meta["ipwire_kind"] == "listing"]
    assert articles
    assert len(pages) == 1
    assert pages[0].cb_kwargs == {"page": 2}
    last = list(
        spider.parse_listing(
            response(HtmlResponse, url, fixture_body("techledger/latest/index.html")), page=2
        )
    )
    assert not [r for r in requests(last) if r.meta["ipwire_kind"] == "listing"]  # max_pages

    xurl = f"{BASE}/policy/topics/ai/"
    xspider = make(
        ListingSpider,
        db,
        url=xurl,
        link_selector="//div[@class='river']//h3/a",
        next_selector="//a[contains(@class, 'next')]",
    )
    xout = requests(
        xspider.parse_listing(
            response(HtmlResponse, xurl, fixture_body("policy/topics/ai/index.html"))
        )
    )
    assert [r for r in xout if r.meta["ipwire_kind"] == "article"]


def test_url_list_spider_requests_each_url_once(db: str) -> None:
    import asyncio

    spider = make(
        UrlListSpider, db, urls=(f"{BASE}/a.html", f"{BASE}/a.html#frag", f"{BASE}/b.html")
    )

    async def collect() -> list[scrapy.Request]:
        return [r async for r in spider.start()]

    reqs = asyncio.run(collect())
    assert [r.url for r in reqs] == [f"{BASE}/a.html", f"{BASE}/b.html"]


def test_non_html_article_is_skipped(db: str) -> None:
    spider = make(UrlListSpider, db, urls=(f"{BASE}/a.pdf",))
    pdf = TextResponse(
        url=f"{BASE}/a.pdf",
        body=b"%PDF-1.4",
        headers={"Content-Type": "application/pdf"},
        request=Request(f"{BASE}/a.pdf"),
    )
    assert list(spider.parse_article(pdf)) == []
    assert spider.crawler.stats.get_value("ipwire/skipped/non_html") == 1


@pytest.mark.parametrize(
    ("exc", "reason"),
    [
        (twisted_errors.TimeoutError(), "timeout"),
        (twisted_errors.DNSLookupError(), "dns"),
        (twisted_errors.ConnectionRefusedError(), "connection"),
        (scrapy.exceptions.IgnoreRequest("Forbidden by robots.txt"), "robots"),
        (scrapy.exceptions.IgnoreRequest("max redirections reached"), "redirect_loop"),
        (
            scrapy.exceptions.IgnoreRequest(
                "Ignored response <200 x> because its body (40 B compressed, 1000 B decompressed"
                " so far) exceeded DOWNLOAD_MAXSIZE (10 B) during decompression."
            ),
            "too_large",
        ),
    ],
)
def test_failures_are_classified(exc: Exception, reason: str) -> None:
    assert classify_failure(Failure(exc)) == reason


def test_http_errors_are_classified() -> None:
    resp = HtmlResponse(url=f"{BASE}/x", status=503, body=b"", request=Request(f"{BASE}/x"))
    assert classify_failure(Failure(HttpError(resp))) == "http_503"


def test_retry_after_parsing() -> None:
    import datetime as dt

    now = dt.datetime(2026, 11, 28, 12, 0, tzinfo=dt.UTC)
    assert retry_after_seconds(b"3") == 3.0
    assert retry_after_seconds(b"Sat, 28 Nov 2026 12:00:30 GMT", now) == 30.0
    assert retry_after_seconds(b"Sat, 28 Nov 2026 11:00:00 GMT", now) == 0.0
    assert retry_after_seconds(b"soon") is None
    assert retry_after_seconds(None) is None
