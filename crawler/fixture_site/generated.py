"""A generated news site of N article pages, for benchmarks and scale trials.

Served by the same :class:`~crawler.fixture_site.server.FixtureSite` as the hand-written site::

    with FixtureSite(GeneratedSite(2000)) as site:
        site.url("/sitemap.xml")

Paths:

* ``/a/N.html`` — article N: a realistic page (nav, byline, ``<time>``, JSON-LD, paragraphs,
  related links, footer). Texts are deterministic (seeded by N) and drawn from a synthetic
  vocabulary large enough that no two articles are near-duplicates; two paragraphs carry claim
  sentences about fictional organisations.
* ``/sitemap.xml`` — a sitemap index of ``/sitemaps/K.xml`` children of ``sitemap_chunk`` articles
  each, every child also listing the first ``overlap`` articles of the next one (the same article
  found by two index pages that different crawler processes may parse); with
  ``sitemap_chunk=None``, one flat urlset of every article.
* ``/list/P`` — listing pages of ``per_page`` articles (``a.story``) with a "next" link
  (``a.next``); each also links the last articles of the previous page.
* ``/robots.txt`` (allows everything) and ``/`` (links the first listing page and the sitemap).

The article model (:func:`article_title`, :func:`article_text`, :func:`published`) is also what
the worker trials store directly, without HTML.
"""

from __future__ import annotations

import html
import json
import random
from dataclasses import KW_ONLY, dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

_SYLLABLES: tuple[str, ...] = ("ka", "lo", "mi", "ren", "tus", "var", "del", "pho", "qui", "zan")
_SYLLABLES += ("bri", "cor", "este", "fal", "gun", "hal", "ith", "jor", "kel")
# Fictional organisations and people (never real ones); sentences shaped like the news ipwire reads.
ORGS = ("Brightline Labs", "Corvane AI", "Delphic Systems", "Esterly Media", "Fenwick Data")
PEOPLE = ("Mara Quillon", "Tobias Renk", "Ilse Varda", "Owen Castel", "Priya Sotel")
CLAIMS = (
    "{a} accused {b} of distilling its model through the API, according to a filing.",
    "{b} denied that it had copied any training data from {a}.",
    "{a} said {b} may have scraped its archive without permission.",
    "{p}, a spokesperson for {a}, said the company was reviewing its options.",
    "Investigators suspect {b} of taking confidential model weights from {a}.",
)
#: Paragraphs of an article page (a few hundred words, like a short news story).
PAGE_PARAGRAPHS = 6
_EPOCH = datetime(2026, 1, 1, tzinfo=UTC)
_HTML = "text/html; charset=utf-8"
_XML = "application/xml"


def _vocabulary(size: int = 4000) -> list[str]:
    rng = random.Random(7)
    words: set[str] = set()
    while len(words) < size:
        words.add("".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4))))
    return sorted(words)


VOCAB = _vocabulary()


def article_title(n: int) -> str:
    """The headline of article ``n``."""
    rng = random.Random(n)
    return f"{rng.choice(ORGS)} report {n}: {rng.choice(VOCAB)} {rng.choice(VOCAB)}"


def article_text(n: int, paragraphs: int = 6, claims: bool = True) -> str:
    """The body of article ``n``: filler sentences, and (with ``claims``) two claim sentences."""
    rng = random.Random(n)
    a, b = rng.sample(ORGS, 2)
    paras = []
    for p in range(paragraphs):
        words = [rng.choice(VOCAB) for _ in range(60)]
        words[0] = words[0].capitalize()
        sentence = " ".join(words[:30]) + ". " + " ".join(words[30:]).capitalize() + "."
        if claims and p in (1, 3):
            sentence = rng.choice(CLAIMS).format(a=a, b=b, p=rng.choice(PEOPLE)) + " " + sentence
        paras.append(f"Story {n} part {p}. {sentence}")
    return "\n\n".join(paras)


def published(n: int) -> datetime:
    """When article ``n`` was published (37 minutes after article ``n - 1``)."""
    return _EPOCH + timedelta(minutes=37 * n)


def article_path(n: int) -> str:
    """The URL path of article ``n``."""
    return f"/a/{n}.html"


def article_html(n: int, articles: int) -> str:
    """The page of article ``n`` on a site of ``articles`` (related links stay on the site)."""
    title = html.escape(article_title(n))
    when = published(n)
    body = "".join(f"<p>{p}</p>" for p in article_text(n, paragraphs=PAGE_PARAGRAPHS).split("\n\n"))
    related = "".join(
        f'<li><a href="{article_path((n + k) % articles)}">Related {k}</a></li>' for k in (1, 2, 3)
    )
    ld = json.dumps(
        {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": article_title(n),
            "datePublished": when.isoformat(),
            "author": {"@type": "Person", "name": f"Reporter {n % 13}"},
        }
    )
    nav = '<a href="/">Home</a> <a href="/list/0">Latest</a>'
    return "\n".join(
        [
            '<!doctype html><html lang="en"><head><meta charset="utf-8">',
            f"<title>{title} | Generated Daily</title>",
            f'<link rel="canonical" href="{article_path(n)}">',
            f'<meta property="article:published_time" content="{when.isoformat()}">',
            f'<script type="application/ld+json">{ld}</script>',
            f"</head><body><header><nav>{nav}</nav></header>",
            f'<main><article><h1>{title}</h1><p class="byline">By Reporter {n % 13}</p>',
            f'<time datetime="{when.isoformat()}">{when:%B %d, %Y}</time>',
            body,
            f"</article><aside><h2>Related</h2><ul>{related}</ul></aside></main>",
            "<footer><p>Generated Daily, a fictional outlet.</p></footer></body></html>",
        ]
    )


@dataclass(frozen=True)
class GeneratedSite:
    """The pages of a generated site of ``articles`` articles (see the module docstring).

    Absolute URLs are written as ``{BASE}``, which the server replaces with its own address.

    Attributes:
        articles: How many article pages.
        sitemap_chunk: Articles per child sitemap of ``/sitemap.xml``; None for one flat urlset.
        overlap: Articles of the next child that each child sitemap also lists.
        per_page: Articles per listing page.
    """

    articles: int
    _: KW_ONLY
    sitemap_chunk: int | None = 200
    overlap: int = 10
    per_page: int = 20

    def entry(self, path: str) -> dict[str, Any] | None:
        """The manifest entry of ``path`` (content type, Last-Modified), None when absent."""
        number = _number(path, "/a/", ".html")
        if number is not None:
            ok = number < self.articles
            return {"type": _HTML, "last_modified": published(number).isoformat()} if ok else None
        child = _number(path, "/sitemaps/", ".xml")
        page = _number(path, "/list/", "")
        chunk = self.sitemap_chunk
        if (
            path in ("/", "/robots.txt", "/sitemap.xml")
            or (child is not None and chunk is not None and child * chunk < self.articles)
            or (page is not None and (page == 0 or page * self.per_page < self.articles))
        ):
            kind = "text/plain" if path == "/robots.txt" else _XML if ".xml" in path else _HTML
            return {"type": kind, "last_modified": _EPOCH.isoformat()}
        return None

    def body(self, path: str, entry: dict[str, Any]) -> bytes:
        """The bytes of ``path`` (which :meth:`entry` knows)."""
        return self._render(path).encode("utf-8")

    def _render(self, path: str) -> str:
        if path == "/robots.txt":
            return "User-agent: *\nAllow: /\n"
        if path == "/":
            return (
                "<!doctype html><html><body><h1>Generated Daily</h1>"
                '<a href="/list/0">Latest</a> <a href="/sitemap.xml">Sitemap</a></body></html>'
            )
        if path == "/sitemap.xml":
            if self.sitemap_chunk is None:
                return _urlset(range(self.articles))
            chunks = -(-self.articles // self.sitemap_chunk)
            locs = "".join(
                f"<sitemap><loc>{{BASE}}/sitemaps/{k}.xml</loc></sitemap>" for k in range(chunks)
            )
            return f'<?xml version="1.0" encoding="UTF-8"?><sitemapindex{_NS}>{locs}</sitemapindex>'
        child = _number(path, "/sitemaps/", ".xml")
        if child is not None and self.sitemap_chunk:
            lo, hi = child * self.sitemap_chunk, (child + 1) * self.sitemap_chunk + self.overlap
            return _urlset(range(lo, min(hi, self.articles)))
        page = _number(path, "/list/", "")
        if page is not None:
            ids = range(
                max(0, page * self.per_page - 3), min((page + 1) * self.per_page, self.articles)
            )
            links = "".join(
                f'<li><a class="story" href="{article_path(i)}">'
                f"{html.escape(article_title(i))}</a></li>"
                for i in ids
            )
            more = (page + 1) * self.per_page < self.articles
            nxt = f'<a class="next" href="/list/{page + 1}">next</a>' if more else ""
            return f"<!doctype html><html><body><ul>{links}</ul>{nxt}</body></html>"
        number = _number(path, "/a/", ".html")
        assert number is not None, path
        return article_html(number, self.articles)


_NS = ' xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'


def _urlset(ids: range) -> str:
    urls = "".join(
        f"<url><loc>{{BASE}}{article_path(i)}</loc><lastmod>{published(i).isoformat()}</lastmod></url>"
        for i in ids
    )
    return f'<?xml version="1.0" encoding="UTF-8"?><urlset{_NS}>{urls}</urlset>'


def _number(path: str, prefix: str, suffix: str) -> int | None:
    if not path.startswith(prefix) or not path.endswith(suffix):
        return None
    digits = path[len(prefix) : len(path) - len(suffix)]
    return int(digits) if digits.isdigit() else None
