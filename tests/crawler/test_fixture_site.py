"""The bundled fixture news site: content, discovery documents, faults and HTTP behaviour.

Everything is checked against ``truth.json`` over real loopback HTTP, so the crawler's integration
tests can trust both the server and the truth file. The site is rendered from its sources into a
cache on first use; the build must be deterministic for that cache to be trusted.
"""

from __future__ import annotations

import filecmp
import html
import http.client
import json
import re
import socket
import time
import urllib.robotparser
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import lxml.html
import pytest
from parsel import Selector

from crawler.fixture_site import FixtureSite, built_site, load_manifest, load_truth
from crawler.fixture_site.build import build
from crawler.fixture_site.paths import sources_digest

TRUTH = load_truth()
ARTICLES: dict[str, dict] = TRUTH["articles"]
FAULTS: dict[str, dict] = TRUTH["faults"]
HANG_SECONDS = 1.5
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"


@pytest.fixture(scope="module")
def site() -> Iterator[FixtureSite]:
    with FixtureSite(hang_seconds=HANG_SECONDS) as s:
        yield s


class Reply:
    def __init__(self, status: int, headers: dict[str, str], body: bytes) -> None:
        self.status = status
        self.headers = headers
        self.body = body


def fetch(
    site: FixtureSite,
    path: str,
    headers: dict[str, str] | None = None,
    method: str = "GET",
    timeout: float = 10.0,
) -> Reply:
    """One request, no redirect following, header names lower-cased."""
    conn = http.client.HTTPConnection(site.host, site.port, timeout=timeout)
    try:
        conn.request(method, path, headers=headers or {})
        resp = conn.getresponse()
        body = resp.read()
        return Reply(resp.status, {k.lower(): v for k, v in resp.getheaders()}, body)
    finally:
        conn.close()


def local(url: str) -> str:
    """Site path of an absolute URL (query strings such as utm_* dropped)."""
    return urlsplit(url).path


def visible_text(body: bytes, encoding: str = "utf-8") -> str:
    doc = lxml.html.fromstring(body.decode(encoding, errors="replace"))
    for bad in doc.xpath("//script|//style"):
        bad.drop_tree()
    return re.sub(r"\s+", " ", doc.text_content())


# -- the truth file itself -------------------------------------------------------------------------


def test_truth_meets_the_corpus_brief() -> None:
    incident_articles = [a for a in ARTICLES.values() if a["is_incident"]]
    others = [a for a in ARTICLES.values() if not a["is_incident"]]
    gold = {i for a in ARTICLES.values() for i in a["incident_ids"]}
    assert len(ARTICLES) >= 44
    assert len(incident_articles) >= 28
    assert len(others) >= 12
    assert len(gold) >= 8
    assert gold == {i["id"] for i in TRUTH["incidents"]}
    assert len({a["outlet"] for a in ARTICLES.values()}) >= 4
    assert any(len(a["incident_ids"]) == 2 for a in ARTICLES.values()), "a round-up article"
    copies = [a for a in ARTICLES.values() if a["near_duplicate_of"]]
    assert len(copies) >= 2
    for copy in copies:
        original = ARTICLES[copy["near_duplicate_of"]]
        assert original["incident_ids"] == copy["incident_ids"]
        assert original["outlet"] != copy["outlet"]
    claim_types = {c for a in incident_articles for c in a["claim_types"]}
    assert {
        "distillation",
        "copyright_infringement",
        "trade_secret_theft",
        "tos_violation",
        "leak",
        "scraping",
        "data_theft",
        "unauthorized_access",
        "trademark_or_likeness",
    } <= claim_types
    reported = {st for a in incident_articles for st in a["statuses"]}
    assert {"alleged", "denied", "investigation", "lawsuit", "charged", "settled", "ruling"} <= (
        reported
    )
    dates = sorted(datetime.fromisoformat(a["published_at"]) for a in ARTICLES.values())
    assert all(d.tzinfo is not None for d in dates)
    assert 14 <= (dates[-1] - dates[0]).days <= 28


def test_follow_ups_come_days_after_the_first_report() -> None:
    for incident in TRUTH["incidents"]:
        timeline = sorted(
            (datetime.fromisoformat(a["published_at"]), a["statuses"])
            for a in ARTICLES.values()
            if incident["id"] in a["incident_ids"]
        )
        assert len(timeline) >= 3, incident["id"]
        assert (timeline[-1][0] - timeline[0][0]).days >= 1, incident["id"]
        seen = {st for _, sts in timeline for st in sts}
        assert set(incident["statuses"]) <= seen, incident["id"]


def test_a_fresh_build_equals_the_cached_one(tmp_path: Path) -> None:
    cached = built_site()
    assert cached.root.name == sources_digest()
    build(tmp_path)
    assert (tmp_path / "truth.json").read_text("utf-8") == cached.truth.read_text("utf-8")
    assert (tmp_path / "manifest.json").read_text("utf-8") == cached.manifest.read_text("utf-8")
    built = {p.relative_to(tmp_path / "www") for p in (tmp_path / "www").rglob("*") if p.is_file()}
    served = {p.relative_to(cached.www) for p in cached.www.rglob("*") if p.is_file()}
    assert built == served
    _, mismatch, errors = filecmp.cmpfiles(
        tmp_path / "www", cached.www, [str(p) for p in built], shallow=False
    )
    assert mismatch == []
    assert errors == []


def test_built_on_first_use_into_the_cache_and_reused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("IPWIRE_FIXTURE_SITE_DIR", str(tmp_path / "cache"))
    built_site.cache_clear()
    try:
        fresh = built_site()
        assert fresh.root == tmp_path / "cache" / sources_digest()
        assert json.loads(fresh.truth.read_text("utf-8")) == TRUTH
        stamp = fresh.truth.stat().st_mtime_ns
        built_site.cache_clear()
        assert built_site() == fresh
        assert fresh.truth.stat().st_mtime_ns == stamp
        assert [p.name for p in (tmp_path / "cache").iterdir()] == [fresh.root.name]
    finally:
        built_site.cache_clear()


# -- articles ------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", sorted(ARTICLES))
def test_article_is_served_with_its_key_sentence(site: FixtureSite, path: str) -> None:
    truth = ARTICLES[path]
    reply = fetch(site, path)
    if truth["fault"] == "throttle_once":
        assert reply.status == 429
        reply = fetch(site, path)
    assert reply.status == 200
    assert reply.headers["content-type"] == "text/html; charset=utf-8"
    encoding = "cp1252" if truth["fault"] == "wrong_charset" else "utf-8"
    text = visible_text(reply.body, encoding)
    assert html.unescape(truth["key_sentence"]) in text
    assert truth["title"] in text
    for author in truth["authors"]:
        assert author in text
    assert b"{BASE}" not in reply.body


def test_wrong_charset_article_is_windows_1252_despite_its_declaration(site: FixtureSite) -> None:
    [path] = [p for p, a in ARTICLES.items() if a["fault"] == "wrong_charset"]
    reply = fetch(site, path)
    assert "utf-8" in reply.headers["content-type"]
    assert b'<meta charset="utf-8">' in reply.body
    with pytest.raises(UnicodeDecodeError):
        reply.body.decode("utf-8")
    assert "“" in reply.body.decode("cp1252")
    assert "é" in reply.body.decode("cp1252")


def test_invalid_utf8_and_truncated_articles(site: FixtureSite) -> None:
    [bad] = [p for p, a in ARTICLES.items() if a["fault"] == "invalid_utf8"]
    with pytest.raises(UnicodeDecodeError):
        fetch(site, bad).body.decode("utf-8")
    [cut] = [p for p, a in ARTICLES.items() if a["fault"] == "truncated"]
    body = fetch(site, cut).body
    assert b"</html>" not in body
    assert b"</body>" not in body


def test_throttle_once_rearms_after_clearing_the_log(site: FixtureSite) -> None:
    [path] = [p for p, a in ARTICLES.items() if a["fault"] == "throttle_once"]
    site.clear_access_log()
    first, second = fetch(site, path), fetch(site, path)
    assert (first.status, first.headers["retry-after"], second.status) == (429, "1", 200)
    assert [e.status for e in site.requests_for(path)] == [429, 200]


# -- discovery documents -------------------------------------------------------------------------


def _expected(doc: dict) -> set[str]:
    return set(doc["articles"]) | set(doc["faults"])


@pytest.mark.parametrize(
    "doc", [d for d in TRUTH["discovery"] if d["kind"] == "feed"], ids=lambda d: d["id"]
)
def test_feed_parses_and_lists_what_truth_says(site: FixtureSite, doc: dict) -> None:
    reply = fetch(site, doc["url"])
    assert reply.status == 200
    parsed = feedparser.parse(reply.body)
    links = {local(e.link) for e in parsed.entries if e.get("link")}
    if doc["format"] == "rss2_malformed":
        assert parsed.bozo
        assert _expected(doc) <= links
        with pytest.raises(ET.ParseError):
            ET.fromstring(reply.body)
    else:
        assert not parsed.bozo, parsed.get("bozo_exception")
        assert links == _expected(doc)
        for entry in parsed.entries:
            assert entry.get("published_parsed") or entry.get("updated_parsed")


@pytest.mark.parametrize(
    "doc", [d for d in TRUTH["discovery"] if d["kind"] == "sitemap"], ids=lambda d: d["id"]
)
def test_sitemap_lists_what_truth_says(site: FixtureSite, doc: dict) -> None:
    root = ET.fromstring(fetch(site, doc["url"]).body)
    if doc["format"] == "sitemap_index":
        locs: set[str] = set()
        for child in root.iter(f"{SM}loc"):
            child_root = ET.fromstring(fetch(site, local(child.text or "")).body)
            locs |= {local(e.text or "") for e in child_root.iter(f"{SM}loc")}
    else:
        locs = {local(e.text or "") for e in root.iter(f"{SM}loc")}
    assert locs == _expected(doc)
    if doc["format"] == "news_sitemap":
        for url in root.iter(f"{SM}url"):
            assert datetime.fromisoformat(url.findtext(f".//{NEWS}publication_date") or "")
            assert url.findtext(f".//{NEWS}title")


@pytest.mark.parametrize(
    "source", [s for s in TRUTH["sources"] if s["kind"] == "listing"], ids=lambda s: s["name"]
)
def test_suggested_listing_sources_follow_pagination(site: FixtureSite, source: dict) -> None:
    doc = next(d for d in TRUTH["discovery"] if d["id"] == source["name"])

    def select(sel: Selector, query: str) -> list[str]:
        found = sel.xpath(query) if query.startswith("/") else sel.css(query)
        return found.xpath("@href").getall()

    links: set[str] = set()
    path: str | None = source["url"]
    pages = 0
    while path and pages < source["max_pages"]:
        sel = Selector(text=fetch(site, path).body.decode("utf-8"))
        links |= {local(h) for h in select(sel, source["link_selector"])}
        nxt = select(sel, source["next_selector"])
        path = local(nxt[0]) if nxt else None
        pages += 1
    assert pages == len(doc["pages"]) >= 3
    assert links == _expected(doc)


def test_sources_discover_every_article() -> None:
    found = set()
    for d in TRUTH["discovery"]:
        if d["in_sources"]:
            found |= set(d["articles"])
    assert found == set(ARTICLES)
    assert {d["kind"] for d in TRUTH["discovery"]} == {"feed", "sitemap", "listing"}
    assert {s["kind"] for s in TRUTH["sources"]} == {"feed", "sitemap", "listing"}


def test_robots_txt_disallows_a_path_a_listing_links_to(site: FixtureSite) -> None:
    parser = urllib.robotparser.RobotFileParser()
    parser.parse(fetch(site, "/robots.txt").body.decode().splitlines())
    skipped = [p for p, f in FAULTS.items() if f["expected"]["reason"] == "robots"]
    assert skipped
    for path in skipped:
        assert not parser.can_fetch("ipwire", site.url(path))
        assert any(path in d["faults"] for d in TRUTH["discovery"] if d["in_sources"])
    for path in ARTICLES:
        assert parser.can_fetch("ipwire", site.url(path))


# -- HTTP behaviour ------------------------------------------------------------------------------


def test_conditional_get_answers_304(site: FixtureSite) -> None:
    path = "/herald/feed.xml"
    first = fetch(site, path)
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    assert first.status == 200
    assert etag.startswith('"')
    assert fetch(site, path, {"If-None-Match": etag}).status == 304
    assert fetch(site, path, {"If-Modified-Since": modified}).status == 304
    assert fetch(site, path, {"If-None-Match": '"stale"'}).status == 200
    assert fetch(site, path, {"If-Modified-Since": "Mon, 02 Nov 2026 00:00:00 GMT"}).status == 200
    not_modified = fetch(site, path, {"If-None-Match": etag})
    assert not_modified.body == b""
    assert not_modified.headers["etag"] == etag


def test_every_static_path_has_validators(site: FixtureSite) -> None:
    for path, entry in load_manifest().items():
        if "fault" in entry or entry.get("gate"):
            continue
        reply = fetch(site, path, method="HEAD")
        assert reply.status == 200, path
        assert reply.headers["etag"], path
        assert reply.headers["last-modified"], path
        assert int(reply.headers["content-length"]) > 0


@pytest.mark.parametrize(
    ("reason", "status"), [("http_500", 500), ("http_429", 429), ("http_404", 404)]
)
def test_http_error_faults(site: FixtureSite, reason: str, status: int) -> None:
    paths = [p for p, f in FAULTS.items() if f["expected"]["reason"] == reason]
    assert paths
    for path in paths:
        reply = fetch(site, path)
        assert reply.status == status
        if status == 429:
            assert reply.headers["retry-after"] == "1"
            assert fetch(site, path).status == 429, "always 429, also on retry"


def test_redirect_loop(site: FixtureSite) -> None:
    [path] = [p for p, f in FAULTS.items() if f["kind"] == "redirect_loop"]
    urls = [site.url(path)]
    for _ in range(25):
        reply = fetch(site, urls[-1].removeprefix(site.base_url))
        assert reply.status == 302
        urls.append(reply.headers["location"])
    assert len(set(urls)) == len(urls), "never repeats, so duplicate filters cannot hide it"
    paths = [local(u) for u in urls]
    assert set(paths[::2]) == {path}
    assert len(set(paths[1::2])) == 1
    assert paths[1] != path


def test_hang_outlasts_a_short_client_timeout(site: FixtureSite) -> None:
    [path] = [p for p, f in FAULTS.items() if f["kind"] == "hang"]
    started = time.monotonic()
    with pytest.raises((TimeoutError, socket.timeout)):
        fetch(site, path, timeout=0.3)
    assert time.monotonic() - started < HANG_SECONDS
    reply = fetch(site, path, timeout=HANG_SECONDS + 5)
    assert reply.status == 200
    assert b"took too long" in reply.body


def test_big_page_is_over_20_mb(site: FixtureSite) -> None:
    [path] = [p for p, f in FAULTS.items() if f["kind"] == "big_page"]
    head = fetch(site, path, method="HEAD")
    assert int(head.headers["content-length"]) >= 20 * 1024 * 1024
    reply = fetch(site, path)
    assert len(reply.body) == int(head.headers["content-length"])
    assert reply.body.rstrip().endswith(b"</html>")


def test_pdf_served_as_an_article(site: FixtureSite) -> None:
    [path] = [p for p, f in FAULTS.items() if f["kind"] == "pdf"]
    reply = fetch(site, path)
    assert reply.status == 200
    assert reply.headers["content-type"] == "application/pdf"
    assert reply.body.startswith(b"%PDF-1.4")
    assert reply.body.rstrip().endswith(b"%%EOF")
    xref = int(reply.body.rsplit(b"startxref\n", 1)[1].split()[0])
    assert reply.body[xref:].startswith(b"xref")


def test_unknown_path_is_404_and_directories_redirect(site: FixtureSite) -> None:
    assert fetch(site, "/herald/no-such-story/").status == 404
    reply = fetch(site, "/herald")
    assert reply.status == 301
    assert reply.headers["location"] == site.url("/herald/")


def test_access_log_records_requests(site: FixtureSite) -> None:
    site.clear_access_log()
    fetch(site, "/wire/rss10.rdf?x=1", {"User-Agent": "ipwire-test/1.0", "If-None-Match": '"a"'})
    fetch(site, "/nowhere", method="HEAD")
    first, second = site.access_log
    assert (first.method, first.path, first.status) == ("GET", "/wire/rss10.rdf?x=1", 200)
    assert first.headers["user-agent"] == "ipwire-test/1.0"
    assert first.headers["if-none-match"] == '"a"'
    assert (second.method, second.status) == ("HEAD", 404)
    assert site.requests_for("/wire/rss10.rdf")[0] == first


def test_port_zero_and_restart() -> None:
    with FixtureSite() as a, FixtureSite() as b:
        assert a.port != b.port
        assert a.port > 0
        assert fetch(a, "/robots.txt").status == 200
    with pytest.raises(ConnectionRefusedError):
        fetch(b, "/robots.txt")
