"""The generated site (benchmarks, scale trials) served by the fixture server over loopback."""

from __future__ import annotations

import re
import urllib.error
import urllib.request

from crawler.extract import extract_article
from crawler.fixture_site import FixtureSite, GeneratedSite
from crawler.fixture_site.generated import article_path, article_title


def get(site: FixtureSite, path: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(site.url(path), timeout=10) as reply:
            return reply.status, reply.read().decode("utf-8")
    except urllib.error.HTTPError as e:
        return e.code, ""


def locs(xml: str) -> list[str]:
    return re.findall(r"<loc>([^<]+)</loc>", xml)


def test_sitemap_index_and_listings_each_find_every_article() -> None:
    with FixtureSite(GeneratedSite(45, sitemap_chunk=20, overlap=3, per_page=10)) as site:
        status, index = get(site, "/sitemap.xml")
        children = locs(index)
        assert status == 200
        assert len(children) == 3
        by_sitemap: list[str] = []
        for child in children:
            by_sitemap += locs(get(site, child.removeprefix(site.base_url))[1])
        # Each child repeats the first articles of the next one.
        assert len(by_sitemap) == 45 + 2 * 3
        assert set(by_sitemap) == {site.url(article_path(n)) for n in range(45)}

        by_listing: set[str] = set()
        page: str | None = "/list/0"
        while page is not None:
            status, body = get(site, page)
            assert status == 200
            by_listing.update(re.findall(r'class="story" href="([^"]+)"', body))
            more = re.search(r'class="next" href="([^"]+)"', body)
            page = more.group(1) if more else None
        assert by_listing == {article_path(n) for n in range(45)}

        assert get(site, article_path(45))[0] == 404
        assert get(site, "/sitemaps/3.xml")[0] == 404
        assert site.fetch_counts()["/sitemap.xml"] == 1


def test_flat_sitemap_and_article_pages_extract() -> None:
    with FixtureSite(GeneratedSite(5, sitemap_chunk=None)) as site:
        assert len(locs(get(site, "/sitemap.xml")[1])) == 5
        site.warm([article_path(3)])
        assert site.requests_for(article_path(3)) == []
        status, page = get(site, article_path(3))
        assert status == 200
        article = extract_article(page.encode(), site.url(article_path(3)))
        assert article.title == article_title(3)
        assert article.published_at is not None
        assert article.published_at.year == 2026


def test_robots_allows_everything_and_unknown_paths_are_404() -> None:
    with FixtureSite(GeneratedSite(3)) as site:
        assert get(site, "/robots.txt") == (200, "User-agent: *\nAllow: /\n")
        assert get(site, "/a/x.html")[0] == 404
        assert get(site, "/nowhere")[0] == 404
