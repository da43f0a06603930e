"""A generated loopback news site for benchmarks and scale trials: N article pages + a sitemap.

Pages are deterministic (seeded by their number), realistic in shape (nav, byline, JSON-LD,
paragraphs, related links, footer) and distinct enough that no two are near-duplicates.
"""

from __future__ import annotations

import http.server
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


class _Handler(http.server.BaseHTTPRequestHandler):
    server: _Server
    # Keep-alive, as news sites serve: a new TCP connection per page measured the server more
    # than the crawler. Every response has a Content-Length.
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:  # quiet
        pass

    def do_GET(self) -> None:
        path = self.path.split("?")[0]
        with self.server.lock:
            self.server.log.append(path)
        if path == "/sitemap.xml":
            body = sitemap_xml(self.server.base, self.server.count).encode()
            ctype = "application/xml"
        elif path.startswith("/a/") and path.endswith(".html"):
            body = article_html(int(path[3:-5])).encode()
            ctype = "text/html; charset=utf-8"
        else:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    base: str
    count: int
    lock: threading.Lock
    log: list[str]


@contextmanager
def generated_site(count: int) -> Iterator[_Server]:
    """Serve ``count`` generated articles and ``/sitemap.xml`` on a free 127.0.0.1 port."""
    server = _Server(("127.0.0.1", 0), _Handler)
    server.base = f"http://127.0.0.1:{server.server_address[1]}"
    server.count = count
    server.lock = threading.Lock()
    server.log = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
