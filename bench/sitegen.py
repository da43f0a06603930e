"""A generated loopback news site for benchmarks and scale trials: N article pages + a sitemap.

Pages are deterministic (seeded by their number), realistic in shape (nav, byline, JSON-LD,
paragraphs, related links, footer) and distinct enough that no two are near-duplicates.
"""

from __future__ import annotations

import asyncio
import random
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

WORDS = [
    "the",
    "lab",
    "said",
    "its",
    "model",
    "was",
    "trained",
    "on",
    "data",
    "licensed",
    "from",
    "publishers",
    "while",
    "rivals",
    "argued",
    "that",
    "benchmark",
    "results",
    "were",
    "inflated",
    "by",
    "careful",
    "prompt",
    "selection",
    "and",
    "that",
    "regulators",
    "in",
    "several",
    "capitals",
    "had",
    "opened",
    "reviews",
    "of",
    "compute",
    "exports",
    "chip",
    "supply",
    "cloud",
    "contracts",
    "and",
    "developer",
    "terms",
    "which",
    "engineers",
    "described",
    "as",
    "a",
    "moving",
    "target",
    "for",
    "startups",
    "building",
    "assistants",
    "search",
    "tools",
    "coding",
    "agents",
    "translation",
    "systems",
    "and",
    "customer",
    "service",
    "products",
    "across",
    "banking",
    "retail",
    "health",
    "media",
    "logistics",
    "energy",
    "and",
    "public",
    "services",
    "during",
    "a",
    "year",
    "of",
    "rapid",
    "funding",
    "rounds",
    "hiring",
    "campaigns",
    "acquisitions",
    "partnerships",
    "and",
    "open",
    "releases",
]
ORGS = ["Brightline", "Corvane", "Delphic", "Esterly", "Fenwick", "Galloway", "Harrow", "Ingle"]


def article_html(n: int) -> str:
    rng = random.Random(n)
    org = rng.choice(ORGS) + f" {n % 97}"
    title = f"{org} unveils plan number {n} for {rng.choice(WORDS)} {rng.choice(WORDS)}"
    published = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(minutes=37 * n)
    paras = []
    for p in range(8):
        words = [rng.choice(WORDS) for _ in range(70)]
        words[0] = words[0].capitalize()
        paras.append(f"<p>{org} report {n}.{p}: {' '.join(words)}.</p>")
    related = "".join(
        f'<li><a href="/a/{(n + k) % 100000}.html">Related {k}</a></li>' for k in (1, 2, 3)
    )
    ld = (
        '{"@context":"https://schema.org","@type":"NewsArticle",'
        f'"headline":"{title}","datePublished":"{published.isoformat()}",'
        f'"author":{{"@type":"Person","name":"Reporter {n % 13}"}}}}'
    )
    nav = '<a href="/">Home</a> <a href="/tech/">Tech</a> <a href="/policy/">Policy</a>'
    return "\n".join(
        [
            '<!doctype html><html lang="en"><head><meta charset="utf-8">',
            f"<title>{title} | Bench Daily</title>",
            f'<link rel="canonical" href="/a/{n}.html">',
            f'<script type="application/ld+json">{ld}</script>',
            f"</head><body><header><nav>{nav}</nav></header>",
            f'<main><article><h1>{title}</h1><p class="byline">By Reporter {n % 13}</p>',
            f'<time datetime="{published.isoformat()}">{published:%B %d, %Y}</time>',
            "".join(paras),
            f"</article><aside><h2>Related</h2><ul>{related}</ul></aside></main>",
            "<footer><p>© 2026 Bench Daily. All rights reserved.</p></footer></body></html>",
        ]
    )


def sitemap_xml(base: str, count: int) -> str:
    urls = "".join(f"<url><loc>{base}/a/{n}.html</loc></url>" for n in range(count))
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'
    )


class _Site:
    """What a generated site serves, rendered before the first request, and its access log."""

    def __init__(self, count: int) -> None:
        self.count = count
        self.base = ""
        self.lock = threading.Lock()
        self.log: list[str] = []
        self.pages: dict[str, tuple[bytes, bytes]] = {}
        self.loop: asyncio.AbstractEventLoop | None = None

    def render(self) -> None:
        for n in range(self.count):
            self.pages[f"/a/{n}.html"] = (b"text/html; charset=utf-8", article_html(n).encode())
        self.pages["/sitemap.xml"] = (
            b"application/xml",
            sitemap_xml(self.base, self.count).encode(),
        )

    def response(self, path: str) -> bytes:
        with self.lock:
            self.log.append(path)
        found = self.pages.get(path)
        status, ctype, body = (
            (b"200 OK", *found) if found else (b"404 Not Found", b"text/plain", b"not found")
        )
        return (
            b"HTTP/1.1 "
            + status
            + b"\r\nContent-Type: "
            + ctype
            + b"\r\nContent-Length: "
            + str(len(body)).encode()
            + b"\r\n\r\n"
            + body
        )


class _Connection(asyncio.Protocol):
    """HTTP/1.1 GET with keep-alive, as news sites serve (a new connection per page measured
    the server more than the crawler). Pages are rendered in advance and the protocol is a few
    lines, so that the server's share of the machine's two cores stays small: the benchmark
    measures the crawler, and a real crawl's servers are other machines."""

    def __init__(self, site: _Site) -> None:
        self.site = site
        self.buffer = b""
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        assert self.transport is not None
        self.buffer += data
        while b"\r\n\r\n" in self.buffer:
            head, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
            parts = head.split(b"\r\n", 1)[0].split()
            path = parts[1].decode("latin-1").split("?")[0] if len(parts) > 1 else "/"
            self.transport.write(self.site.response(path))


@contextmanager
def generated_site(count: int) -> Iterator[_Site]:
    """Serve ``count`` generated articles and ``/sitemap.xml`` on a free 127.0.0.1 port."""
    site = _Site(count)
    loop = asyncio.new_event_loop()
    server = loop.run_until_complete(loop.create_server(lambda: _Connection(site), "127.0.0.1", 0))
    site.base = f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}"
    site.render()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=5)
        server.close()
        loop.close()
