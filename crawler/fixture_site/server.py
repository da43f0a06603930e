"""A loopback HTTP server for fixture news sites: the bundled one, or a generated one.

What it serves comes from a :class:`SiteContent`: a manifest entry per URL path (a file with its
content type and Last-Modified, or a *fault*) and the bytes of the files. Two exist:

* :class:`BundledSite` (the default): the hand-written fictional outlets, rendered by
  :mod:`crawler.fixture_site.build` into a cache on first use, plus *fault endpoints* computed at
  request time (a hang, a redirect loop, a 20 MB page, a PDF, HTTP errors);
* :class:`~crawler.fixture_site.generated.GeneratedSite`: N generated articles with sitemaps and
  listing pages, for benchmarks and scale trials.

Decisions worth knowing:

* Every outlet lives under its own path prefix (``/herald/``, ``/techledger/`` …) on one host, so a
  single ``allowed_domains = ["127.0.0.1"]`` covers the site and one ``/robots.txt`` governs it.
* Absolute URLs in feeds and pages are written as ``{BASE}`` and replaced at serve time with
  ``http://127.0.0.1:<port>``, which keeps the files port-independent.
* Static responses carry a strong ``ETag`` (hash of the served bytes) and a fixed
  ``Last-Modified`` from the manifest, and answer conditional requests with 304, which is what
  incremental crawls need. Bodies are kept in memory after their first request.
* The hang waits on an event that :meth:`FixtureSite.stop` sets, so shutting down never waits.
"""

from __future__ import annotations

import argparse
import hashlib
import logging
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC
from email.utils import format_datetime, parsedate_to_datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Protocol
from urllib.parse import parse_qs, urlsplit

from crawler.fixture_site.faults import big_page_chunks, big_page_length, pdf_bytes
from crawler.fixture_site.paths import built_site, load_manifest, parse_iso

logger = logging.getLogger(__name__)

#: Request headers recorded in the access log (lower-case names).
LOGGED_HEADERS = ("user-agent", "if-none-match", "if-modified-since", "accept", "range")


@dataclass(frozen=True)
class AccessLogEntry:
    """One request as the server saw it.

    Attributes:
        method: HTTP method.
        path: Request path including any query string.
        status: Status code sent (0 when the client went away before a status was sent).
        headers: The request headers listed in :data:`LOGGED_HEADERS` that were present.
        time: ``time.monotonic()`` when the request arrived.
    """

    method: str
    path: str
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    time: float = 0.0


class SiteContent(Protocol):
    """What a :class:`FixtureSite` serves."""

    def entry(self, path: str) -> dict[str, Any] | None:
        """The manifest entry of a URL path, None when the site has no such path.

        A file's entry has ``type`` (Content-Type), ``last_modified`` (ISO 8601 with an offset)
        and optionally ``gate`` (``"throttle_once"``); a fault's has ``fault`` and its parameters.
        """
        ...

    def body(self, path: str, entry: dict[str, Any]) -> bytes:
        """The bytes of a file entry; ``{BASE}`` in text becomes the server's base URL."""
        ...


class BundledSite:
    """The hand-written fixture news site (built into the cache on first use)."""

    def __init__(self) -> None:
        self._manifest = load_manifest()
        self._www = built_site().www

    def entry(self, path: str) -> dict[str, Any] | None:
        return self._manifest.get(path)

    def body(self, path: str, entry: dict[str, Any]) -> bytes:
        return (self._www / str(entry["file"])).read_bytes()


@dataclass(frozen=True)
class _Static:
    body: bytes
    content_type: str
    etag: str
    last_modified: str
    gate: str | None


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    site: FixtureSite

    def handle_error(self, request: Any, client_address: Any) -> None:
        # Crawlers hang up on purpose (timeouts, size caps); that is not worth a traceback.
        if isinstance(sys.exc_info()[1], ConnectionError):
            logger.debug("client %s disconnected", client_address)
            return
        super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"
    server_version = "FixtureNews/1.0"
    # Headers and body leave in separate writes: without TCP_NODELAY a keep-alive client's
    # delayed ACK holds every response back ~40 ms (Nagle).
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: Any) -> None:
        logger.debug("%s " + format, self.address_string(), *args)

    def do_GET(self) -> None:
        self._dispatch(head=False)

    def do_HEAD(self) -> None:
        self._dispatch(head=True)

    def _dispatch(self, *, head: bool) -> None:
        try:
            self.server.site._handle(self, head=head)
        except Exception:
            # A bug in the fixture must show up as a loud 500, never as a silent hang-up.
            logger.exception("fixture site failed on %s", self.path)
            self.send_error(500, "fixture site error")


class FixtureSite:
    """Serve a fixture news site on a loopback port.

    Use as a context manager (``with FixtureSite() as site: site.base_url``) or call
    :meth:`start` / :meth:`stop`.

    Args:
        content: What to serve; the bundled fixture site by default.
        host: Interface to bind; loopback by default.
        port: TCP port; 0 picks a free one.
        hang_seconds: How long the hang endpoint waits before answering. Keep it longer than the
            crawler's timeout (tests use ~1 s with a shorter client timeout).
        big_page_bytes: Size of the generated oversized page (20 MB by default).
        retry_after: Value of the ``Retry-After`` header on 429 answers (seconds).
    """

    def __init__(
        self,
        content: SiteContent | None = None,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        hang_seconds: float = 15.0,
        big_page_bytes: int = 20 * 1024 * 1024,
        retry_after: int = 1,
    ) -> None:
        self.host = host
        self.port = port
        self.hang_seconds = hang_seconds
        self.big_page_bytes = big_page_bytes
        self.retry_after = retry_after
        self.content: SiteContent = content if content is not None else BundledSite()
        self._cache: dict[str, _Static] = {}
        self._lock = threading.Lock()
        self._log: list[AccessLogEntry] = []
        self._throttled: set[str] = set()
        self._stopping = threading.Event()
        self._httpd: _Server | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle -------------------------------------------------------------------------------

    def start(self) -> FixtureSite:
        """Bind the socket and serve in a background thread; returns ``self``."""
        if self._httpd is not None:
            return self
        self._stopping.clear()
        httpd = _Server((self.host, self.port), _Handler)
        httpd.site = self
        self.port = httpd.server_address[1]
        self._httpd = httpd
        self._thread = threading.Thread(
            target=httpd.serve_forever, name="fixture-site", daemon=True
        )
        self._thread.start()
        logger.info("fixture news site serving at %s", self.base_url)
        return self

    def stop(self) -> None:
        """Stop serving and release the port (a pending hang is cut short)."""
        self._stopping.set()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> FixtureSite:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        """``http://host:port`` without a trailing slash (what ``{BASE}`` becomes)."""
        return f"http://{self.host}:{self.port}"

    def url(self, path: str) -> str:
        """Absolute URL for a site path such as ``/herald/feed.xml``."""
        return self.base_url + path

    def warm(self, paths: Iterable[str]) -> None:
        """Read or render the bodies of ``paths`` now (a benchmark keeps that out of its timing).

        Call it once the server is started (bodies carry its base URL); nothing is logged.
        """
        for path in paths:
            entry = self.content.entry(path)
            if entry is not None and "fault" not in entry:
                self._static(path, entry)

    # -- access log ------------------------------------------------------------------------------

    @property
    def access_log(self) -> list[AccessLogEntry]:
        """A copy of every request served so far, oldest first."""
        with self._lock:
            return list(self._log)

    def clear_access_log(self) -> None:
        """Forget logged requests (and re-arm the throttle-once endpoints)."""
        with self._lock:
            self._log.clear()
            self._throttled.clear()

    def requests_for(self, path: str) -> list[AccessLogEntry]:
        """Logged requests whose path (query string ignored) equals ``path``."""
        return [e for e in self.access_log if urlsplit(e.path).path == path]

    def fetch_counts(self) -> Counter[str]:
        """How many times each path (query string ignored) was requested."""
        return Counter(urlsplit(e.path).path for e in self.access_log)

    # -- request handling ------------------------------------------------------------------------

    def _record(self, req: _Handler, status: int, arrived: float) -> None:
        headers = {h: v for h in LOGGED_HEADERS if (v := req.headers.get(h)) is not None}
        entry = AccessLogEntry(req.command, req.path, status, headers, arrived)
        with self._lock:
            self._log.append(entry)

    def _handle(self, req: _Handler, *, head: bool) -> None:
        arrived = time.monotonic()
        path = urlsplit(req.path).path
        entry = self.content.entry(path)
        if entry is None and not path.endswith("/") and self.content.entry(path + "/") is not None:
            # Directory-style URLs: redirect like a real web server would.
            self._record(req, 301, arrived)
            self._send(req, 301, b"", "text/plain", head, {"Location": self.url(path + "/")})
            return
        if entry is None:
            self._record(req, 404, arrived)
            self._send(req, 404, _NOT_FOUND, "text/html; charset=utf-8", head)
            return
        fault = entry.get("fault")
        if fault is not None:
            self._fault(req, path, entry, head, arrived)
            return
        static = self._static(path, entry)
        if static.gate == "throttle_once":
            with self._lock:
                first = path not in self._throttled
                self._throttled.add(path)
            if first:
                self._record(req, 429, arrived)
                extra = {"Retry-After": str(self.retry_after)}
                self._send(req, 429, _TOO_MANY, "text/html; charset=utf-8", head, extra)
                return
        validators = {"ETag": static.etag, "Last-Modified": static.last_modified}
        if self._not_modified(req, static):
            self._record(req, 304, arrived)
            self._send(req, 304, b"", None, head, validators)
            return
        self._record(req, 200, arrived)
        self._send(req, 200, static.body, static.content_type, head, validators)

    def _static(self, path: str, entry: dict[str, Any]) -> _Static:
        with self._lock:
            cached = self._cache.get(path)
        if cached is not None:
            return cached
        raw = self.content.body(path, entry)
        if entry["type"].startswith(("text/", "application/")) and b"{BASE}" in raw:
            raw = raw.replace(b"{BASE}", self.base_url.encode("ascii"))
        etag = '"' + hashlib.sha1(raw, usedforsecurity=False).hexdigest()[:20] + '"'
        modified = format_datetime(parse_iso(entry["last_modified"]).astimezone(UTC), usegmt=True)
        static = _Static(raw, entry["type"], etag, modified, entry.get("gate"))
        with self._lock:
            self._cache[path] = static
        return static

    @staticmethod
    def _not_modified(req: _Handler, static: _Static) -> bool:
        inm = req.headers.get("If-None-Match")
        if inm is not None:
            tags = {t.strip().removeprefix("W/") for t in inm.split(",")}
            return "*" in tags or static.etag in tags
        ims = req.headers.get("If-Modified-Since")
        if ims:
            try:
                since = parsedate_to_datetime(ims)
            except (TypeError, ValueError):
                return False
            return since >= parsedate_to_datetime(static.last_modified)
        return False

    def _fault(
        self, req: _Handler, path: str, entry: dict[str, Any], head: bool, arrived: float
    ) -> None:
        fault = entry["fault"]
        html = "text/html; charset=utf-8"
        if fault == "http_500":
            self._record(req, 500, arrived)
            self._send(req, 500, _SERVER_ERROR, html, head)
        elif fault == "http_429":
            self._record(req, 429, arrived)
            extra = {"Retry-After": str(self.retry_after)}
            self._send(req, 429, _TOO_MANY, html, head, extra)
        elif fault == "http_404":
            self._record(req, 404, arrived)
            self._send(req, 404, _NOT_FOUND, html, head)
        elif fault == "redirect_loop":
            # Ping-pong between the two paths with a growing ?hop= counter: no URL repeats, so a
            # crawler's duplicate filter cannot swallow the loop; its redirect limit must end it.
            hop = _hop(req.path) + 1
            self._record(req, 302, arrived)
            location = self.url(f"{entry['target']}?hop={hop}")
            self._send(req, 302, b"", "text/plain", head, {"Location": location})
        elif fault == "hang":
            # Record on arrival so tests can see the request even though the client gave up.
            self._record(req, 200, arrived)
            if self._stopping.wait(self.hang_seconds):
                return
            self._send(req, 200, _TOO_LATE, html, head)
        elif fault == "pdf":
            self._record(req, 200, arrived)
            self._send(req, 200, pdf_bytes(entry.get("title", "Document")), "application/pdf", head)
        elif fault == "big_page":
            self._record(req, 200, arrived)
            self._send_big(req, head)
        else:  # pragma: no cover - the build validates fault kinds
            raise ValueError(f"unknown fault {fault!r} for {path}")

    def _send(
        self,
        req: _Handler,
        status: int,
        body: bytes,
        content_type: str | None,
        head: bool,
        extra: dict[str, str] | None = None,
    ) -> None:
        try:
            req.send_response(status, HTTPStatus(status).phrase)
            if content_type is not None:
                req.send_header("Content-Type", content_type)
            for name, value in (extra or {}).items():
                req.send_header(name, value)
            if status != 304:
                req.send_header("Content-Length", str(len(body)))
            req.end_headers()
            if not head and status != 304:
                req.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            logger.debug("client went away during %s", req.path)

    def _send_big(self, req: _Handler, head: bool) -> None:
        try:
            req.send_response(200)
            req.send_header("Content-Type", "text/html; charset=utf-8")
            req.send_header("Content-Length", str(big_page_length(self.big_page_bytes)))
            # Clients with a size cap hang up mid-body; never reuse this connection.
            req.send_header("Connection", "close")
            req.close_connection = True
            req.end_headers()
            if head:
                return
            for chunk in big_page_chunks(self.big_page_bytes):
                if self._stopping.is_set():
                    return
                req.wfile.write(chunk)
        except (BrokenPipeError, ConnectionResetError):
            # Crawlers with a size cap hang up early; that is the expected outcome.
            logger.debug("client stopped reading the big page")


def _hop(path: str) -> int:
    values = parse_qs(urlsplit(path).query).get("hop", ["0"])
    return int(values[0]) if values[0].isdigit() else 0


_NOT_FOUND = b"<!doctype html><title>Page not found</title><h1>404 - Page not found</h1>"
_SERVER_ERROR = b"<!doctype html><title>Server error</title><h1>500 - Internal Server Error</h1>"
_TOO_MANY = b"<!doctype html><title>Slow down</title><h1>429 - Too many requests</h1>"
_TOO_LATE = b"<!doctype html><title>Still loading</title><p>This page took too long.</p>"


def main(argv: list[str] | None = None) -> None:
    """Serve a fixture site until interrupted: ``python -m crawler.fixture_site.server``."""
    parser = argparse.ArgumentParser(description="Serve the ipwire fixture news site.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765, help="0 picks a free port")
    parser.add_argument("--hang-seconds", type=float, default=15.0)
    parser.add_argument(
        "--generated", type=int, metavar="N", help="serve N generated articles instead"
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    content: SiteContent | None = None
    if args.generated is not None:
        from crawler.fixture_site.generated import GeneratedSite

        content = GeneratedSite(args.generated)
    site = FixtureSite(
        content, host=args.host, port=args.port, hang_seconds=args.hang_seconds
    ).start()
    print(f"Fixture news site at {site.base_url}/ (Ctrl-C to stop)")
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        site.stop()


if __name__ == "__main__":
    main()
