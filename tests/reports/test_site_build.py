"""The static site: pages, safety of every page, exports, feed, incremental rebuilds, serve."""

from __future__ import annotations

import csv
import json
import threading
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from sqlalchemy.orm import Session, sessionmaker

from ipwire.cli import cli
from ipwire.cli.site_cmd import serve_folder
from ipwire.config import Settings
from ipwire.jobs.publish import build_site
from reports.site import page_path
from store import make_engine, make_session_factory, session_scope
from tests.reports.conftest import report_settings
from tests.reports.htmlaudit import audit, is_http, is_relative_page
from tests.reports.seed import HOSTILE, World, seed_world
from tests.support.databases import copy_sqlite_template


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path) -> Path:
    """One seeded store and its site, shared by the read-only tests of this module."""
    tmp = tmp_path_factory.mktemp("site")
    url = copy_sqlite_template(sqlite_template, tmp / "ipwire.db")
    engine = make_engine(url)
    try:
        seed_world(make_session_factory(engine))
    finally:
        engine.dispose()
    out = tmp / "site"
    build_site(report_settings(tmp, url), out=out)
    return out


def _pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_every_page_is_present(site: Path) -> None:
    names = {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}
    for expected in (
        "index.html",
        "incidents/index.html",
        "entities/index.html",
        "claims/index.html",
        "claims/distillation.html",
        "briefings/index.html",
        "sources.html",
        "search.html",
        "feed.atom",
        "exports/incidents.csv",
        "exports/incidents.json",
        "exports/claims.csv",
        "exports/claims.json",
        "assets/site.css",
        "assets/search.js",
        "assets/search-index.js",
        page_path("incident", "2026-zentrix-labs-quillon-ai-distillation"),
        page_path("entity", "quillon-ai"),
        page_path("incident", "zentrix-old-slug"),  # alias → redirect page
    ):
        assert expected in names, expected
    # Hostile slugs and ids become safe file names inside their folder.
    assert all("<" not in n and ".." not in n for n in names)
    assert len([n for n in names if n.startswith("incidents/")]) == 5


def test_every_page_is_inert_and_self_contained(site: Path) -> None:
    for page in _pages(site):
        html = page.read_text("utf-8")
        a = audit(html)
        rel = page.relative_to(site).as_posix()
        csp = [
            m for m in a.metas if (m.get("http-equiv") or "").lower() == "content-security-policy"
        ]
        assert csp, rel
        assert (csp[0]["content"] or "").startswith("default-src 'none'"), rel
        assert not a.event_attrs, (rel, a.event_attrs)
        assert not a.script_text, rel  # no inline script at all
        for s in a.scripts:
            assert s.get("src", "").endswith(".js"), rel
            assert is_relative_page(s["src"] or ""), rel
        for tag, _attr, url in a.urls:
            assert is_http(url) or is_relative_page(url) or url.startswith("#"), (rel, tag, url)
            if tag != "a" or not is_http(url):
                assert not url.startswith(("http:", "https:", "//")), (rel, tag, url)
        body = a.tags[a.tags.index("body") :]
        assert not {"iframe", "textarea", "object", "embed", "img"} & set(body), rel
        for payload in (HOSTILE["script"], HOSTILE["img"], HOSTILE["svg"], HOSTILE["iframe"]):
            assert payload not in html, (rel, payload)
        assert "\u202e" not in html, rel
        assert "\u200b" not in html, rel
        assert 'lang="en"' in html, rel
        assert "<main" in html, rel


def test_incident_page_shows_timeline_parties_claims_quotes_articles(site: Path) -> None:
    html = (site / page_path("incident", "2026-zentrix-labs-quillon-ai-distillation")).read_text()
    for text in (
        "First reported by Harbor Ledger",
        # Steps are named with the claim vocabulary itself.
        '<strong class="tag step step-lawsuit">lawsuit</strong>',
        '<strong class="tag step step-investigation">investigation</strong>',
        '<strong class="tag step step-denied">denied</strong>',
        "<q>Quillon AI denied that it distilled the model.</q>",
        "investigator",
        "Zentrix Labs accused Quillon AI of distilling its flagship model.",
        "We will defend our models in court.",
        "general counsel, Zentrix Labs",
        'href="https://ledger.example/quillon-denies"',
        'href="../entities/quillon-ai.html"',
    ):
        assert text in html, text
    hostile = next(site.glob("incidents/hostile-*.html")).read_text()
    # The hostile http URL stays a link, its quotes and brackets percent-encoded.
    assert 'href="https://evil.example/x%22onmouseover=%22alert(1)%22%3Cscript%3E' in hostile
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in hostile
    assert "javascript:" not in hostile.replace("javascript:alert(1) &lt;", "")


def test_entity_page_shows_incidents_roles_trend_and_neighbours(site: Path) -> None:
    html = (site / page_path("entity", "zentrix-labs")).read_text()
    assert "Zentrix Labs accuses Quillon AI of distillation" in html
    assert "accuser" in html
    assert "victim" in html
    assert "<svg" in html
    assert "<title" in html
    assert "Mentioned together with" in html
    assert "Quillon AI" in html
    voss = (site / page_path("entity", "marla-voss")).read_text()
    assert "general counsel" in voss


def test_exports_feed_and_search_index(site: Path) -> None:
    rows = list(csv.DictReader((site / "exports/claims.csv").open(encoding="utf-8")))
    claims = json.loads((site / "exports/claims.json").read_text())
    assert len(rows) == len(claims) >= 10
    for r in rows:
        for v in r.values():
            assert not v.startswith(("=", "+", "-", "@")), v  # no spreadsheet formulas
        assert r["article_url"] == "" or is_http(r["article_url"])
    assert {c["article_url"] for c in claims if c["article_url"]} == {
        *(
            f"https://ledger.example/{k}"
            for k in ("zentrix-first", "zentrix-accuses", "quillon-denies", "orbis-sued")
        ),
        "https://evil.example/x%22onmouseover=%22alert(1)%22%3Cscript%3Ealert(1)%3C/script%3E",
    }
    incidents = json.loads((site / "exports/incidents.json").read_text())
    assert {i["slug"] for i in incidents} >= {"2026-orbis-models-copyright"}
    feed = ET.parse(site / "feed.atom").getroot()
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entries = feed.findall("a:entry", ns)
    assert len(entries) == 3
    hrefs = [e.find("a:link", ns).get("href") for e in entries]  # type: ignore[union-attr]
    assert all(h.startswith("https://ipwire.example/site/incidents/") for h in hrefs)
    index = (site / "assets/search-index.js").read_text()
    assert index.startswith("window.IPWIRE_SEARCH_INDEX = [")
    assert "<" not in index
    assert ">" not in index
    data = json.loads(index.split("=", 1)[1].rstrip().rstrip(";"))
    assert {"t": "Harbor Ledger v. Orbis Models", "k": "incident"}.items() <= data[
        0
    ].items() or any(e["t"] == "Harbor Ledger v. Orbis Models" for e in data)


def _mtimes(site: Path) -> dict[str, int]:
    return {
        p.relative_to(site).as_posix(): p.stat().st_mtime_ns for p in site.rglob("*") if p.is_file()
    }


def test_incremental_rebuild_rewrites_only_what_changed(
    tmp_path: Path, settings: Settings, world: World, factory: sessionmaker[Session]
) -> None:
    out = tmp_path / "site"
    first = build_site(settings, out=out).stats
    assert first.full
    assert first.written == first.pages_total
    before = _mtimes(out)
    again = build_site(settings, out=out).stats
    assert (again.written, again.rendered, again.deleted) == (0, 0, 0)
    assert _mtimes(out) == before

    with session_scope(factory) as s:
        s.execute(
            sa.text("UPDATE incident SET title = :t, updated_at = :u WHERE id = :i"),
            {
                "t": "Harbor Ledger v. Orbis Models (amended)",
                "u": "2030-01-01 00:00:00",
                "i": world.incidents["orbis"],
            },
        )
    third = build_site(settings, out=out).stats
    assert third.incidents == 1  # one incident page rendered
    after = _mtimes(out)
    changed = {p for p in after if after[p] != before.get(p)}
    assert page_path("incident", "2026-orbis-models-copyright") in changed
    assert page_path("incident", "2026-zentrix-labs-quillon-ai-distillation") not in changed
    assert page_path("entity", "quillon-ai") not in changed
    assert "incidents/index.html" in changed
    assert "feed.atom" in changed
    assert page_path("entity", "orbis-models") in changed  # its incident list shows the title

    with session_scope(factory) as s:
        s.execute(sa.text("DELETE FROM incident WHERE id = :i"), {"i": world.incidents["orbis"]})
    fourth = build_site(settings, out=out).stats
    assert fourth.deleted >= 1
    assert not (out / page_path("incident", "2026-orbis-models-copyright")).exists()

    full = build_site(settings, out=out, full=True).stats
    assert full.full
    assert full.rendered == full.pages_total
    assert full.written == 0


@pytest.fixture
def served(site: Path) -> Iterator[str]:
    server = serve_folder(site, 0)
    t = threading.Thread(target=server.serve_forever, daemon=True)
    t.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_site_serve_serves_the_folder_on_loopback(served: str) -> None:
    with urllib.request.urlopen(f"{served}/index.html", timeout=10) as r:
        assert r.status == 200
        assert b"<main" in r.read()
        assert r.headers["X-Content-Type-Options"] == "nosniff"
    with urllib.request.urlopen(f"{served}/feed.atom", timeout=10) as r:
        assert r.headers["Content-Type"] == "application/atom+xml"


def test_cli_site_build(
    tmp_path: Path, store_url: str, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("IPWIRE_DATABASE_URL", store_url)
    monkeypatch.setenv("IPWIRE_DATA_DIR", str(tmp_path / "data"))
    res = CliRunner().invoke(cli, ["site", "build"])
    assert res.exit_code == 0, res.output
    assert (tmp_path / "data" / "site" / "index.html").is_file()
    assert "written" in res.output
    assert "file://" in res.output
    res = CliRunner().invoke(cli, ["site", "serve", "--dir", str(tmp_path / "nowhere")])
    assert res.exit_code == 1
    assert "run `ipwire site build` first" in res.output
