"""A loopback stand-in for GDELT's DOC 2.0 API, for the tests and ``bench/backfill_bench.py``.

It answers ``mode=artlist&format=json`` over an index of ``(url, seen date, title)`` the way the
real API is documented to: articles seen in ``[startdatetime, enddatetime)``, sorted by
``sort=DateAsc``/``DateDesc``, at most ``maxrecords`` (≤ 250) of them, ``{}`` when nothing
matches, and HTTP 429 with a "limit requests" text when asked sooner than ``min_interval_s``
after the previous request. Faults can be armed per slice start: malformed JSON, a hang. It can
also serve article pages (``pages``) so that one server stands for the API and the news sites.
"""

from __future__ import annotations

import json
import random
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

__all__ = [
    "API_PATH",
    "ApiCall",
    "FakeDocApi",
    "article_page",
    "fake_doc_api",
    "loopback_crawl",
    "loopback_crawl_toml",
]

API_PATH = "/api/v2/doc/doc"
RATE_LIMIT_TEXT = b"Please limit requests to one every 5 seconds or contact us for larger queries."

_VOCAB = [
    "harbor",
    "quill",
    "meadow",
    "copper",
    "lantern",
    "orchid",
    "falcon",
    "granite",
    "willow",
    "ember",
    "saffron",
    "cobalt",
    "thistle",
    "marble",
    "juniper",
    "pebble",
    "tundra",
    "velvet",
    "walnut",
    "zephyr",
    "beacon",
    "cinder",
    "dune",
    "fern",
    "glacier",
    "hazel",
    "ivory",
    "jasper",
    "kelp",
    "lilac",
    "mango",
    "nectar",
    "opal",
    "prairie",
    "quartz",
    "river",
    "sierra",
    "timber",
    "umber",
    "violet",
    "wren",
    "yarrow",
    "zinnia",
    "anchor",
    "bramble",
    "canyon",
    "delta",
    "estuary",
    "fjord",
    "grove",
    "heath",
    "inlet",
]


def loopback_crawl(**overrides: Any) -> dict[str, Any]:
    """``[crawl]`` settings (also :class:`~crawler.spec.CrawlOptions` fields) for crawls of
    loopback servers in tests and benchmarks: no delay, short timeouts, one retry.

    The one place for anything loopback crawls must opt into (such as a guard against private
    and loopback addresses).
    """
    settings: dict[str, Any] = {
        "download_delay": 0.0,
        "autothrottle": False,
        "concurrency_per_domain": 8,
        "retries": 1,
        "timeout_s": 5.0,
        # the SSRF guard refuses loopback addresses unless a crawl opts in
        "allow_networks": ("127.0.0.0/8",),
    }
    settings.update(overrides)
    return settings


def loopback_crawl_toml(**overrides: Any) -> str:
    """:func:`loopback_crawl` as a ``[crawl]`` table of ``ipwire.toml``."""
    lines = ["[crawl]"]
    for key, value in loopback_crawl(**overrides).items():
        lines.append(f"{key} = {json.dumps(value)}")
    return "\n".join(lines) + "\n"


def article_page(n: int, title: str | None = None) -> bytes:
    """A fictional news article page, distinct from every other ``n`` (no near-duplicates)."""
    rng = random.Random(n * 7919 + 13)
    title = title or f"Fictional report {n} on the {rng.choice(_VOCAB)} case"
    paras = []
    for p in range(5):
        words = [rng.choice(_VOCAB) for _ in range(60)]
        paras.append(f"<p>Report {n}.{p}: {' '.join(words)}.</p>")
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{title}</title></head><body><article><h1>{title}</h1>"
        f"{''.join(paras)}</article></body></html>"
    ).encode()


@dataclass(frozen=True)
class ApiCall:
    """One request the fake API answered."""

    start: str
    end: str
    status: int
    results: int
    at: float  # time.monotonic()


@dataclass
class FakeDocApi:
    """The index, the armed faults and the logs of one fake API server."""

    index: list[tuple[str, datetime, str]] = field(default_factory=list)
    pages: dict[str, bytes] = field(default_factory=dict)
    min_interval_s: float = 0.0
    malformed_starts: set[str] = field(default_factory=set)
    hang_starts: set[str] = field(default_factory=set)
    hang_s: float = 10.0
    text_rate_limit_next: int = 0  # answer the next N API requests with a 200 text reply
    base: str = ""
    calls: list[ApiCall] = field(default_factory=list)
    page_log: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    _last: float | None = None

    @property
    def api_url(self) -> str:
        return self.base + API_PATH

    def add(self, entries: Iterable[tuple[str, datetime, str]]) -> None:
        self.index.extend(entries)
        self.index.sort(key=lambda e: e[1])

    def answer(self, query: dict[str, list[str]]) -> tuple[int, bytes, str]:
        """Status, body and content type for an API request."""
        get = {k: v[0] for k, v in query.items() if v}
        start, end = get.get("startdatetime", ""), get.get("enddatetime", "")
        with self.lock:
            now = time.monotonic()
            too_soon = self._last is not None and now - self._last < self.min_interval_s
            self._last = now
            text_limited = self.text_rate_limit_next > 0
            if text_limited:
                self.text_rate_limit_next -= 1
        if too_soon:
            return self._log(start, end, 429, 0, RATE_LIMIT_TEXT, "text/plain")
        if text_limited:
            return self._log(start, end, 200, 0, RATE_LIMIT_TEXT, "text/plain")
        if get.get("mode", "").lower() != "artlist" or get.get("format", "").lower() != "json":
            return self._log(start, end, 200, 0, b"Invalid mode or format.", "text/plain")
        max_records = int(get.get("maxrecords", "75"))
        if not 1 <= max_records <= 250:
            return self._log(start, end, 200, 0, b"Invalid MAXRECORDS.", "text/plain")
        if start in self.hang_starts:  # logged on arrival, as status 0: it never answers in time
            self._log(start, end, 0, 0, b"", "")
            time.sleep(self.hang_s)
            return 200, b"{}", "application/json"
        if start in self.malformed_starts:
            body = b'{"articles": [ {"url": "https://x.example/a", "title": "unterminated'
            return self._log(start, end, 200, 0, body, "application/json")
        lo = datetime.strptime(start, "%Y%m%d%H%M%S").replace(tzinfo=UTC)
        hi = datetime.strptime(end, "%Y%m%d%H%M%S").replace(tzinfo=UTC)
        hits = [e for e in self.index if lo <= e[1] < hi]
        if get.get("sort", "").lower() == "datedesc":
            hits.reverse()
        hits = hits[:max_records]
        if not hits:
            return self._log(start, end, 200, 0, b"{}", "application/json")
        articles = [
            {
                "url": url,
                "url_mobile": "",
                "title": title,
                "seendate": seen.strftime("%Y%m%dT%H%M%SZ"),
                "socialimage": "",
                "domain": urlsplit(url).hostname or "",
                "language": "English",
                "sourcecountry": "United States",
            }
            for url, seen, title in hits
        ]
        body = json.dumps({"articles": articles}).encode()
        return self._log(start, end, 200, len(hits), body, "application/json")

    def _log(
        self, start: str, end: str, status: int, results: int, body: bytes, ctype: str
    ) -> tuple[int, bytes, str]:
        with self.lock:
            self.calls.append(ApiCall(start, end, status, results, time.monotonic()))
        return status, body, ctype


def _handler(api: FakeDocApi) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            if parts.path == API_PATH:
                status, body, ctype = api.answer(parse_qs(parts.query))
            elif parts.path == "/robots.txt":
                status, body, ctype = 200, b"User-agent: *\nAllow: /\n", "text/plain"
            else:
                with api.lock:
                    api.page_log.append(parts.path)
                page = api.pages.get(parts.path)
                status, body, ctype = (
                    (200, page, "text/html; charset=utf-8")
                    if page is not None
                    else (404, b"not found", "text/plain")
                )
            try:
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):  # the client timed out and left
                pass

        def log_message(self, format: str, *args: Any) -> None:
            return

    return Handler


@contextmanager
def fake_doc_api(api: FakeDocApi | None = None) -> Iterator[FakeDocApi]:
    """Serve ``api`` (a fresh one by default) on a free 127.0.0.1 port."""
    api = api or FakeDocApi()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(api))
    server.daemon_threads = True
    api.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield api
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
