"""The site in a real browser: Debian chromium, headless, driven by playwright.

Navigation (home → incident → entity), client-side search (over HTTP and from ``file://``),
and every page of a site seeded with hostile content: no dialog, no console error, no page
error, and no request leaving 127.0.0.1 (or the site folder, under ``file://``).
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from ipwire.cli.site_cmd import serve_folder
from ipwire.jobs.publish import build_site, make_briefing
from tests.reports.conftest import report_settings
from tests.reports.seed import seed_world
from tests.support.databases import copy_sqlite_template

pytestmark = pytest.mark.browser

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@dataclass
class Built:
    site: Path
    briefing_html: Path
    url: str


@dataclass
class Watch:
    """Everything a page did that it should not have."""

    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def attach(self, page: Any) -> None:
        def on_dialog(d: Any) -> None:
            self.dialogs.append(d.message)
            d.dismiss()

        page.on("dialog", on_dialog)
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("request", lambda r: self.requests.append(r.url))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path) -> Iterator[Built]:
    from store import make_engine, make_session_factory

    tmp = tmp_path_factory.mktemp("browser")
    url = copy_sqlite_template(sqlite_template, tmp / "ipwire.db")
    engine = make_engine(url)
    seed_world(make_session_factory(engine))
    engine.dispose()
    settings = report_settings(tmp, url)
    site = tmp / "site"
    build_site(settings, out=site)
    brief = make_briefing(settings, out=tmp / "briefing")
    server = serve_folder(site, 0)
    t = threading.Thread(target=server.serve_forever, daemon=True)
    t.start()
    try:
        html = next(p for p in brief.files if p.suffix == ".html")
        yield Built(site, html, f"http://127.0.0.1:{server.server_address[1]}")
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    exe = shutil.which("chromium")
    if exe is None:
        pytest.skip("Debian chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    ctx = browser.new_context()
    pg = ctx.new_page()
    pg.set_default_timeout(10_000)
    try:
        yield pg
    finally:
        ctx.close()


def _local(url: str, root: str) -> bool:
    return url.startswith(root) or url.startswith("data:")


def test_home_to_incident_to_entity(built: Built, page: Any) -> None:
    w = Watch()
    w.attach(page)
    page.goto(f"{built.url}/index.html")
    assert page.get_by_role("heading", level=1).inner_text() == "AI intellectual-property incidents"
    assert page.locator("main svg[role=img]").count() == 1
    page.get_by_role("link", name="Zentrix Labs accuses Quillon AI of distillation").first.click()
    page.wait_for_url("**/incidents/2026-zentrix-labs-quillon-ai-distillation.html")
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Zentrix Labs accuses Quillon AI of distillation"
    )
    assert page.get_by_role("heading", name="Timeline").is_visible()
    page.locator("dl.parties").get_by_role("link", name="Quillon AI").click()
    page.wait_for_url("**/entities/quillon-ai.html")
    assert page.get_by_role("heading", level=1).inner_text() == "Quillon AI"
    assert page.get_by_role("link", name="Zentrix Labs accuses Quillon AI of distillation").count()
    assert not w.dialogs
    assert not w.errors
    assert all(_local(u, built.url) for u in w.requests), w.requests


def test_search_finds_an_incident_by_name(built: Built, page: Any) -> None:
    w = Watch()
    w.attach(page)
    page.goto(f"{built.url}/index.html")
    page.get_by_role("searchbox").first.fill("orbis")
    page.get_by_role("button", name="Go").click()
    page.wait_for_url("**/search.html?q=orbis")
    results = page.locator("#results li a")
    results.first.wait_for()
    names = results.all_inner_texts()
    assert "Harbor Ledger v. Orbis Models" in names
    # Typing refines the results live.
    page.locator("#q").fill("quillon distillation")
    page.wait_for_function("document.querySelectorAll('#results li').length === 1")
    assert page.locator("#results li a").inner_text() == (
        "Zentrix Labs accuses Quillon AI of distillation"
    )
    page.locator("#results li a").click()
    page.wait_for_url("**/incidents/2026-zentrix-labs-quillon-ai-distillation.html")
    assert not w.dialogs
    assert not w.errors
    assert all(_local(u, built.url) for u in w.requests), w.requests


def test_search_works_from_file_urls(built: Built, page: Any) -> None:
    w = Watch()
    w.attach(page)
    root = built.site.resolve().as_uri()
    page.goto(f"{root}/search.html?q=zentrix")
    page.locator("#results li").first.wait_for()
    assert "Zentrix Labs" in page.locator("#results").inner_text()
    assert not w.dialogs, w.errors
    assert not w.errors, w.errors
    assert all(u.startswith(root) for u in w.requests), w.requests


def test_every_page_with_hostile_content_stays_inert(built: Built, page: Any) -> None:
    w = Watch()
    w.attach(page)
    pages = sorted(p.relative_to(built.site).as_posix() for p in built.site.rglob("*.html"))
    assert any(p.startswith("incidents/hostile-") for p in pages)
    for rel in pages:
        page.goto(f"{built.url}/{rel}")
        page.wait_for_load_state("load")
        if 'http-equiv="refresh"' in (built.site / rel).read_text("utf-8"):
            # A merged incident's old slug forwards to its current page.
            page.wait_for_url("**/incidents/2026-zentrix-labs-quillon-ai-distillation.html")
            page.wait_for_load_state("load")
        hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
        for h in hrefs:
            assert h.startswith(("http://", "https://")), (rel, h)
        assert page.locator("iframe, img, object, embed, textarea").count() == 0, rel
    # The search index holds the hostile names; searching for them renders them as text.
    page.goto(f"{built.url}/search.html?q=evil")
    page.locator("#results li").first.wait_for()
    assert "<script>alert(1)</script>" in page.locator("#results").inner_text()
    assert page.locator("#results script, #results img, #results svg").count() == 0
    assert not w.dialogs, w.dialogs
    assert not w.errors, w.errors
    offsite = [u for u in w.requests if not _local(u, built.url)]
    assert not offsite, offsite


def test_briefing_html_is_inert_in_a_browser(built: Built, page: Any) -> None:
    w = Watch()
    w.attach(page)
    page.goto(built.briefing_html.resolve().as_uri())
    assert "Top developments" in page.locator("body").inner_text()
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
    assert hrefs
    assert all(h.startswith(("http://", "https://")) for h in hrefs)
    assert page.locator("script, iframe, svg, textarea").count() == 0
    assert not w.dialogs
    assert not w.errors
    assert all(u.startswith(("file://", "data:")) for u in w.requests), w.requests


WIDTHS = (375, 768, 1280)
# Labels that must not break inside a word (a run of letters and digits) that fits their line.
LABELS = "th, caption, .tag, .status, .num, h1, h2, h3, dt, nav a, .brand"
BROKEN_WORDS_JS = """(sel) => {
  const bad = [];
  const measure = (node, from, to) => {
    const r = document.createRange();
    r.setStart(node, from);
    r.setEnd(node, to);
    const rects = Array.from(r.getClientRects()).filter(x => x.width > 0);
    return {lines: new Set(rects.map(x => Math.round(x.top))).size,
            width: rects.reduce((w, x) => w + x.width, 0)};
  };
  for (const el of document.querySelectorAll(sel)) {
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    let node;
    while ((node = walker.nextNode())) {
      const chunks = /\\S+/g;
      let c;
      while ((c = chunks.exec(node.data))) {
        // A run without spaces wider than the whole line has to break somewhere.
        if (measure(node, c.index, c.index + c[0].length).width >= el.clientWidth) continue;
        const words = /[\\p{L}\\p{N}]+/gu;  // letters and digits; punctuation may break
        let w;
        while ((w = words.exec(c[0]))) {
          const at = c.index + w.index;
          if (measure(node, at, at + w[0].length).lines > 1) {
            bad.push(`${el.tagName.toLowerCase()}.${el.className}: ${w[0]}`);
          }
        }
      }
    }
  }
  return bad;
}"""


@pytest.mark.parametrize("width", WIDTHS)
def test_every_page_fits_the_width_and_breaks_no_word(
    built: Built, browser: Any, width: int
) -> None:
    ctx = browser.new_context(viewport={"width": width, "height": 900})
    page = ctx.new_page()
    page.set_default_timeout(10_000)
    try:
        pages = sorted(p.relative_to(built.site).as_posix() for p in built.site.rglob("*.html"))
        for rel in pages:
            if 'http-equiv="refresh"' in (built.site / rel).read_text("utf-8"):
                continue  # a redirect stub: its target is checked on its own
            page.goto(f"{built.url}/{rel}")
            page.wait_for_load_state("load")
            over = page.evaluate(
                "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert over <= 0, f"{rel} scrolls sideways by {over}px at {width}px"
            broken = page.evaluate(BROKEN_WORDS_JS, LABELS)
            assert not broken, f"{rel} at {width}px: {broken[:5]}"
    finally:
        ctx.close()


def test_incident_status_never_breaks_in_the_incident_table(built: Built, browser: Any) -> None:
    """The analyst saw "ope/n" in the Status column: each status is one line at every width."""
    for width in WIDTHS:
        ctx = browser.new_context(viewport={"width": width, "height": 900})
        page = ctx.new_page()
        try:
            page.goto(f"{built.url}/incidents/index.html")
            statuses = page.locator("table.incidents .status")
            assert statuses.count() >= 3
            for k in range(statuses.count()):
                box = statuses.nth(k).evaluate(
                    "e => ({h: e.getBoundingClientRect().height,"
                    " lh: parseFloat(getComputedStyle(e).lineHeight)})"
                )
                assert box["h"] < 1.5 * box["lh"], (width, box)
        finally:
            ctx.close()


def test_trend_chart_has_axes_ticks_and_a_table(built: Built, page: Any) -> None:
    page.goto(f"{built.url}/index.html")
    svg = page.locator("main figure.chart svg[role=img]")
    assert svg.count() == 1
    texts = svg.locator("text").all_text_contents()
    assert any("publication date" in t for t in texts), texts  # x-axis title: what the dates are
    assert "count" in texts  # y-axis title: the unit
    assert "0" in texts  # y ticks start at zero
    assert any(t[:1].isdigit() and " " in t for t in texts)  # date ticks ("5 Nov")
    labelled = svg.get_attribute("aria-labelledby") or ""
    desc = " ".join(page.locator(f"[id='{i}']").text_content() or "" for i in labelled.split())
    assert "x axis" in desc
    assert "y axis" in desc
    # The same numbers as a table, one row per bar.
    bars = svg.locator("rect").count()
    table_rows = page.locator("main figure.chart details table tbody tr").count()
    assert bars == table_rows > 0
    caption = page.locator("main figure.chart figcaption").inner_text()
    assert "publication date" in caption
