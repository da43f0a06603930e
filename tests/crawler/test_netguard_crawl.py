"""End to end: a real crawl over loopback whose pages point into private networks.

A local server (127.0.0.1 only) serves a feed, a sitemap, a listing, redirects and meta
refreshes whose targets are names that the harness's hosts mapping resolves to loopback,
private, link-local (metadata), CGNAT and mixed addresses, plus literal addresses in every
spelling and non-http schemes. The crawl runs in a child process (``netguard_harness.py``) that
records every socket connect and refuses all but 127.0.0.1; the test asserts that each refused
URL is counted as ``blocked_address`` with its URL and that nothing connected anywhere but to
the local server.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from crawler.netguard import literal_address
from crawler.spec import CrawlOptions, CrawlSpec, SourceSpec

HARNESS = Path(__file__).with_name("netguard_harness.py")

HOSTS = {
    "ok.test": ["127.0.0.1"],  # the positive control: a name for the local server
    "metadata.test": ["169.254.169.254"],
    "intranet.test": ["10.1.2.3"],
    "cgnat.test": ["100.64.0.9"],
    "loop6.test": ["::1"],
    "loop2.test": ["127.0.0.2"],
    "mixed.test": ["93.184.216.34", "10.0.0.7"],
    "mapped.test": ["::ffff:169.254.169.254"],
}
# One refused target per class; each discovery path gets its own copies (paths differ, so the
# crawl's cross-source de-duplication does not merge them).
TARGETS = [
    "http://metadata.test/latest/meta-data/{n}",
    "http://intranet.test/{n}",
    "http://cgnat.test/{n}",
    "http://loop6.test/{n}",
    "http://loop2.test/{n}",
    "http://mixed.test/{n}",
    "http://mapped.test/{n}",
    "http://metadata.test./trailing-dot/{n}",
    "http://127.0.0.2:{port}/{n}",
    "http://[::1]:{port}/{n}",
    "http://[::ffff:a9fe:a9fe]/{n}",
]
# Literal addresses and schemes, listed by a source that opts into nothing.
LITERALS = [
    "http://2130706433/",
    "http://0x7f.1/g",
    "http://0177.0.0.1/a",
    "http://127.1/b",
    "http://127.0.0.1./c",
    "http://[::1]/d",
    "http://[::ffff:127.0.0.1]/e",
    "http://169.254.169.254/latest/meta-data/",
    "http://0xa9.0xfe.0xa9.0xfe/f",
    "http://ok.test:{port}/not-opted-in",  # loopback by name, but this source did not opt in
    "file:///etc/passwd",
    "ftp://127.0.0.1/pub/x",
    "gopher://127.0.0.1:70/_GET",
    "data:text/html,<h1>hi</h1>",
]
REDIRECTS = ["metadata", "intranet", "loop6", "mixed", "hex", "decimal"]
REFRESHES = ["metadata", "intranet", "cgnat", "hex", "decimal"]
TARGET_OF = {
    "metadata": "http://metadata.test/latest/meta-data/iam",
    "intranet": "http://intranet.test/admin",
    "cgnat": "http://cgnat.test/x",
    "loop6": "http://loop6.test/x",
    "mixed": "http://mixed.test/x",
    "hex": "http://0xa9fea9fe/redirected",  # 169.254.169.254
    "decimal": "http://2852039166/redirected",  # 169.254.169.254
}
ARTICLE = (
    b"<html><head><title>Harbor Labs files a claim</title></head><body><article><h1>Harbor "
    b"Labs files a claim</h1><p>"
    + b"Harbor Labs said a rival copied its model weights. " * 20
    + b"</p></article></body></html>"
)


def targets(n: str, port: int) -> list[str]:
    return [t.format(n=n, port=port) for t in TARGETS]


class Site(BaseHTTPRequestHandler):
    port = 0
    seen: list[str] = []  # noqa: RUF012 (one server per test, see the fixture)

    def log_message(self, *args: Any) -> None:
        pass

    def _send(self, status: int, body: bytes, ctype: str, **headers: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in headers.items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        self.seen.append(self.path)
        port, path = self.port, self.path
        if path == "/feed.xml":
            items = "".join(
                f"<item><title>t{i}</title><link>{u}</link></item>"
                for i, u in enumerate([*targets("feed", port), f"http://ok.test:{port}/ok"])
            )
            body = f'<?xml version="1.0"?><rss version="2.0"><channel><title>f</title>{items}'
            self._send(200, (body + "</channel></rss>").encode(), "application/rss+xml")
        elif path == "/sitemap.xml":
            locs = "".join(f"<url><loc>{u}</loc></url>" for u in targets("sitemap", port))
            body = f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{locs}</urlset>'
            self._send(200, body.encode(), "application/xml")
        elif path == "/listing":
            links = "".join(f'<a class="story" href="{u}">x</a>' for u in targets("listing", port))
            self._send(200, f"<html><body>{links}</body></html>".encode(), "text/html")
        elif path.startswith("/r/"):
            self._send(302, b"", "text/html", Location=TARGET_OF[path[3:]])
        elif path.startswith("/m/"):
            meta = f'<meta http-equiv="refresh" content="0; url={TARGET_OF[path[3:]]}">'
            self._send(200, f"<html><head>{meta}</head><body>x</body></html>".encode(), "text/html")
        elif path == "/ok":
            self._send(200, ARTICLE, "text/html; charset=utf-8")
        else:
            self._send(404, b"not here", "text/plain")


@pytest.fixture
def site() -> Iterator[type[Site]]:
    handler = type("TestSite", (Site,), {"seen": []})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    handler.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield handler
    server.shutdown()
    server.server_close()


def spec(db_url: str, port: int) -> CrawlSpec:
    base = f"http://127.0.0.1:{port}"
    local = ("127.0.0.1/32",)  # only the server itself: 127.0.0.2 and ::1 stay refused
    sources = (
        SourceSpec(name="feed", kind="feed", url=f"{base}/feed.xml", allow_networks=local),
        SourceSpec(name="sitemap", kind="sitemap", url=f"{base}/sitemap.xml", allow_networks=local),
        SourceSpec(
            name="listing",
            kind="listing",
            url=f"{base}/listing",
            link_selector="a.story",
            allow_networks=local,
        ),
        SourceSpec(
            name="redirects",
            kind="urls",
            urls=tuple(f"{base}/r/{k}" for k in REDIRECTS),
            allow_networks=local,
        ),
        SourceSpec(
            name="refreshes",
            kind="urls",
            urls=tuple(f"{base}/m/{k}" for k in REFRESHES),
            allow_networks=local,
        ),
        SourceSpec(name="literals", kind="urls", urls=tuple(u.format(port=port) for u in LITERALS)),
    )
    options = CrawlOptions(
        download_delay=0.0, autothrottle=False, timeout_s=10.0, retries=0, concurrency_per_domain=8
    )
    return CrawlSpec(database_url=db_url, sources=sources, options=options)


def crawl_run_errors(db_url: str) -> dict[str, list[str]]:
    engine = sa.create_engine(db_url)
    with engine.connect() as conn:
        rows = conn.execute(
            sa.text("SELECT s.name, r.errors FROM crawl_run r JOIN source s ON s.id = r.source_id")
        ).all()
    engine.dispose()
    return {
        name: json.loads(errors) if isinstance(errors, str) else errors for name, errors in rows
    }


def test_no_request_leaves_loopback_and_every_refusal_is_counted(
    site: type[Site], migrated_sqlite_url: str, tmp_path: Path
) -> None:
    port = site.port
    (tmp_path / "hosts.json").write_text(json.dumps(HOSTS), encoding="utf-8")
    (tmp_path / "spec.json").write_text(spec(migrated_sqlite_url, port).to_json(), encoding="utf-8")
    connects = tmp_path / "connects.log"
    connects.touch()
    args = [str(tmp_path / "hosts.json"), str(connects), str(tmp_path / "spec.json")]
    proc = subprocess.run(
        [sys.executable, str(HARNESS), *args, "--out", str(tmp_path / "out.json")],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    runs = {s["source"]: s for s in json.loads((tmp_path / "out.json").read_text())}

    # Nothing connected anywhere but to the local server (the harness refuses and logs others).
    destinations = {line.split()[0] for line in connects.read_text().splitlines()}
    assert destinations == {"127.0.0.1"}, destinations

    blocked = {
        name: run["failed_by_reason"].get("blocked_address", 0) for name, run in runs.items()
    }
    assert blocked == {
        "feed": len(TARGETS),
        "sitemap": len(TARGETS),
        "listing": len(TARGETS),
        "redirects": len(REDIRECTS),
        "refreshes": len(REFRESHES),
        "literals": len(LITERALS),
    }, runs
    assert all(set(run["failed_by_reason"]) == {"blocked_address"} for run in runs.values()), runs

    # The local server saw the indexes, the redirect/refresh pages, the positive control
    # (reached by name) and robots.txt: nothing a refused URL named.
    hops = {f"/r/{k}" for k in REDIRECTS} | {f"/m/{k}" for k in REFRESHES}
    assert set(site.seen) <= {"/feed.xml", "/sitemap.xml", "/listing", "/ok", "/robots.txt"} | hops
    assert "/ok" in site.seen
    assert hops <= set(site.seen)
    assert "/not-opted-in" not in site.seen

    # Each refusal is in the run's errors with its URL.
    errors = crawl_run_errors(migrated_sqlite_url)
    for url in targets("feed", port):
        host = url.split("/")[2].split(":")[0].rstrip(".").lower()
        assert any(host in e and "blocked_address" in e for e in errors["feed"]), url
    assert any("file:///etc/passwd" in e for e in errors["literals"]), errors["literals"]
    for k in REDIRECTS:  # the redirected URL is the one refused (a numeric host spelled out)
        host = TARGET_OF[k].split("/")[2]
        shown = str(literal_address(host) or host)
        assert any(f"{shown}/" in e and "blocked_address" in e for e in errors["redirects"]), k
