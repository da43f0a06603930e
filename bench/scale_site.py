"""A generated loopback news site for the scale trials: N article pages found two ways.

* ``/sitemap.xml`` is a sitemap index of ``/sitemaps/K.xml`` children of ``CHUNK`` articles each;
  every child also lists the first ``OVERLAP`` articles of the next child, so the same article
  is discovered by two index pages that different crawler processes may parse.
* ``/list/P`` are listing pages of ``PER_PAGE`` articles with a "next" link; each also links the
  last articles of the previous page.

Pages are deterministic (seeded by their number) and their texts are drawn from a synthetic
vocabulary large enough that no two articles are near-duplicates. The server keeps an access log
(path, status) so tests can prove that every URL was fetched exactly once.

Also :func:`seed_articles`, which stores generated articles through the store API (the worker
trials and the NLP benchmark).
"""

from __future__ import annotations

import random
import threading
from collections import Counter
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

from store import ArticleIn, add_article, make_engine, make_session_factory, session_scope

CHUNK = 200
OVERLAP = 10
PER_PAGE = 20

_SYLLABLES = [
    "ka",
    "lo",
    "mi",
    "ren",
    "tus",
    "var",
    "del",
    "pho",
    "qui",
    "zan",
    "bri",
    "cor",
    "este",
    "fal",
    "gun",
    "hal",
    "ith",
    "jor",
    "kel",
]
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


def _vocabulary(size: int = 4000) -> list[str]:
    rng = random.Random(7)
    words = set()
    while len(words) < size:
        words.add("".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4))))
    return sorted(words)


VOCAB = _vocabulary()


def article_title(n: int) -> str:
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
    return datetime(2026, 1, 1, tzinfo=UTC) + timedelta(minutes=37 * n)


def article_html(n: int) -> str:
    title = article_title(n)
    when = published(n).isoformat()
    body = "".join(f"<p>{p}</p>" for p in article_text(n).split("\n\n"))
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{title}</title>"
        f'<meta property="article:published_time" content="{when}"></head><body>'
        '<header><nav><a href="/">Home</a></nav></header>'
        f"<main><article><h1>{title}</h1><p class='byline'>By Reporter {n % 13}</p>"
        f'<time datetime="{when}">{when[:10]}</time>{body}</article></main>'
        "<footer><p>Scale Daily, a fictional outlet.</p></footer></body></html>"
    )


def seed_articles(db_url: str, n: int, *, paragraphs: int = 1, offset: int = 0) -> None:
    """Store ``n`` generated articles (distinct texts, no near-duplicates) through the store API."""
    engine = make_engine(db_url)
    factory = make_session_factory(engine)
    now = datetime.now(UTC)
    for lo in range(offset, offset + n, 500):
        with session_scope(factory) as s:
            for i in range(lo, min(lo + 500, offset + n)):
                url = f"https://scale.example/a/{i}.html"
                add_article(
                    s,
                    ArticleIn(
                        source_id=None,
                        url=url,
                        canonical_url=url,
                        title=article_title(i),
                        text=article_text(i, paragraphs=paragraphs),
                        published_at=published(i),
                        fetched_at=now,
                    ),
                )
    engine.dispose()


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        return

    def do_GET(self) -> None:
        status, ctype, body = self.server.site.render(self.path)
        data = body.encode("utf-8")
        self.server.site.record(self.path, status)
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    site: ScaleSite


class ScaleSite:
    """The generated site on ``127.0.0.1`` and a free port; use as a context manager."""

    def __init__(self, articles: int) -> None:
        self.articles = articles
        self.access_log: list[tuple[str, int]] = []
        self._lock = threading.Lock()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # -- content -------------------------------------------------------------------------------
    @property
    def base(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path

    def article_path(self, n: int) -> str:
        return f"/a/{n}.html"

    def render(self, path: str) -> tuple[int, str, str]:
        xml = "application/xml"
        if path == "/robots.txt":
            return 200, "text/plain", "User-agent: *\nAllow: /\n"
        if path == "/sitemap.xml":
            n_chunks = (self.articles + CHUNK - 1) // CHUNK
            locs = "".join(
                f"<sitemap><loc>{self.base}/sitemaps/{k}.xml</loc></sitemap>"
                for k in range(n_chunks)
            )
            return 200, xml, f'<?xml version="1.0"?><sitemapindex>{locs}</sitemapindex>'
        if path.startswith("/sitemaps/") and path.endswith(".xml"):
            k = int(path.removeprefix("/sitemaps/").removesuffix(".xml"))
            ids = list(range(k * CHUNK, min((k + 1) * CHUNK + OVERLAP, self.articles)))
            urls = "".join(
                f"<url><loc>{self.url(self.article_path(i))}</loc>"
                f"<lastmod>{published(i).isoformat()}</lastmod></url>"
                for i in ids
            )
            return 200, xml, f'<?xml version="1.0"?><urlset>{urls}</urlset>'
        if path.startswith("/list/"):
            p = int(path.removeprefix("/list/"))
            ids = list(range(max(0, p * PER_PAGE - 3), min((p + 1) * PER_PAGE, self.articles)))
            links = "".join(
                f'<li><a class="story" href="{self.article_path(i)}">{article_title(i)}</a></li>'
                for i in ids
            )
            nxt = (
                f'<a class="next" href="/list/{p + 1}">next</a>'
                if (p + 1) * PER_PAGE < self.articles
                else ""
            )
            return 200, "text/html", f"<html><body><ul>{links}</ul>{nxt}</body></html>"
        if path.startswith("/a/") and path.endswith(".html"):
            n = int(path.removeprefix("/a/").removesuffix(".html"))
            if 0 <= n < self.articles:
                return 200, "text/html; charset=utf-8", article_html(n)
        return 404, "text/plain", "not found"

    # -- access log ----------------------------------------------------------------------------
    def record(self, path: str, status: int) -> None:
        with self._lock:
            self.access_log.append((path, status))

    def fetch_counts(self) -> Counter[str]:
        with self._lock:
            return Counter(p for p, _ in self.access_log)

    # -- lifecycle -----------------------------------------------------------------------------
    def __enter__(self) -> ScaleSite:
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.site = self
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        assert self._server is not None and self._thread is not None
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
