"""Build the static report site, re-rendering only what changed.

Per-item pages (one per incident, one per entity) are rendered when their data signature
(:func:`store.readmodels.site_signatures`) differs from the manifest's; list pages come in
families (home, incidents, entities, claims, ops, search) that are re-rendered together when
the family's signature moves. Everything is read in one read-only transaction, so a build sees
one consistent snapshot while the crawler and NLP keep writing.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import logging
import time
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from jinja2 import Environment
from sqlalchemy.orm import Session, sessionmaker

from reports.charts import bar_chart
from reports.env import http_url, make_env
from reports.site import exports
from reports.site.paths import page_path, safe_name
from reports.site.writer import SiteWriter
from store import session_scope
from store.readmodels import (
    DATE_BASIS,
    DayCount,
    SiteSignatures,
    all_claims,
    briefing_archive,
    claim_groups_of_type,
    claim_type_counts,
    crawl_health,
    entity_details,
    entity_summaries,
    incident_aliases,
    incident_details,
    incident_summaries,
    latest_claim_groups,
    site_signatures,
    site_trend,
    totals,
)

__all__ = ["SiteStats", "build"]

log = logging.getLogger(__name__)

BATCH = 1000  # pages whose data is loaded at once
STATIC_ASSETS = ("site.css", "search.js", "favicon.svg")


@dataclass(frozen=True)
class SiteStats:
    """What one build did."""

    pages_total: int
    written: int
    unchanged: int
    rendered: int
    deleted: int
    incidents: int
    entities: int
    full: bool
    seconds: float


@functools.cache
def code_version() -> str:
    """Hash of the templates, static assets and builder code: a change forces a full build."""
    h = hashlib.sha256()
    root = resources.files("reports")
    for sub in ("templates/site", "static", "site"):
        folder = Path(str(root / sub))
        for p in sorted(folder.rglob("*")):
            if p.is_file() and p.suffix in (".html", ".atom", ".css", ".js", ".svg", ".py"):
                h.update(p.relative_to(folder).as_posix().encode())
                h.update(p.read_bytes())
    for name in ("env.py", "charts.py"):
        h.update((Path(str(root)) / name).read_bytes())
    return h.hexdigest()[:16]


class _Renderer:
    """Two environments sharing one configuration: pages at the root and one folder down."""

    def __init__(self, env: Environment) -> None:
        self.top = env
        self.sub = env.overlay()
        self.sub.globals = dict(env.globals, root="../")
        self.top.globals["root"] = ""

    def render(self, path: str, template: str, **ctx: Any) -> str:
        env = self.sub if "/" in path else self.top
        return env.get_template(template).render(ctx)


def _chunks(items: list[Any], size: int = BATCH) -> list[list[Any]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


class _Build:
    def __init__(
        self,
        session: Session,
        writer: SiteWriter,
        r: _Renderer,
        sigs: SiteSignatures,
        meta: dict[str, Any],
    ) -> None:
        self.s, self.w, self.r, self.sigs, self.meta = session, writer, r, sigs, meta

    @functools.cached_property
    def incidents(self) -> list[Any]:
        return incident_summaries(self.s)

    @functools.cached_property
    def entities(self) -> list[Any]:
        return entity_summaries(self.s)

    def page(self, path: str, template: str, family: str, sig: str, **ctx: Any) -> None:
        self.w.write(path, self.r.render(path, template, **ctx), family=family, sig=sig)

    # -- per-item pages ------------------------------------------------------------------
    def incident_pages(self) -> int:
        stale = [
            iid
            for iid, (slug, sig) in self.sigs.incidents.items()
            if not self.w.fresh(page_path("incident", slug), sig)
        ]
        for batch in _chunks(sorted(stale)):
            for d in incident_details(self.s, batch):
                slug = d.summary.slug
                self.page(
                    page_path("incident", slug),
                    "site/incident.html",
                    "incident",
                    self.sigs.incidents[d.summary.id][1],
                    d=d,
                )
        return len(stale)

    def entity_pages(self) -> int:
        stale = [
            eid
            for eid, sig in self.sigs.entities.items()
            if not self.w.fresh(page_path("entity", eid), sig)
        ]
        for batch in _chunks(sorted(stale)):
            for d in entity_details(self.s, batch):
                wikidata = d.wikidata_id or ""
                url = (
                    f"https://www.wikidata.org/wiki/{wikidata}"
                    if wikidata[1:].isdigit() and wikidata[:1] == "Q"
                    else ""
                )
                counts = [DayCount(day, n, 0) for day, n in d.trend]
                chart = bar_chart(counts, period="week", y_title="articles")
                self.page(
                    page_path("entity", d.entity.id),
                    "site/entity.html",
                    "entity",
                    self.sigs.entities[d.entity.id],
                    d=d,
                    wikidata_url=url,
                    chart=chart,
                    counts=counts,
                    date_basis=DATE_BASIS,
                )
        return len(stale)

    # -- families --------------------------------------------------------------------------
    def home(self, sig: str) -> None:
        trend = site_trend(self.s, self.meta["tz"])
        self.page(
            "index.html",
            "site/home.html",
            "home",
            sig,
            totals=totals(self.s),
            chart=bar_chart(trend.counts, period=trend.period),
            trend=trend,
            latest=self.incidents[:15],
            latest_claims=latest_claim_groups(self.s, 10),
        )

    def incidents_family(self, sig: str) -> None:
        f = "incidents"
        self.page("incidents/index.html", "site/incidents.html", f, sig, incidents=self.incidents)
        rows = exports.incidents_rows(self.incidents)
        self.w.write(
            "exports/incidents.csv",
            exports.csv_text(rows, exports.INCIDENT_COLUMNS),
            family=f,
            sig=sig,
        )
        self.w.write("exports/incidents.json", exports.json_text(rows), family=f, sig=sig)
        recent = sorted(self.incidents, key=lambda s: (s.updated_at, s.id), reverse=True)[:50]
        updated = max(
            (s.updated_at for s in recent), default=dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
        )
        base = (http_url(self.meta["base_url"]) or "").rstrip("/")
        self.page(
            "feed.atom",
            "site/feed.atom",
            f,
            sig,
            incidents=recent,
            updated=updated.isoformat(),
            base_url=base,
            feed_id=f"urn:ipwire:{safe_name(self.meta['site_title'])}",
        )
        current = {page_path("incident", s.slug) for s in self.incidents}
        for old, new in sorted(incident_aliases(self.s).items()):
            path = page_path("incident", old)
            if path not in current:
                target = page_path("incident", new).split("/", 1)[1]
                self.page(path, "site/redirect.html", f, sig, target=target)

    def entities_family(self, sig: str) -> None:
        self.page(
            "entities/index.html", "site/entities.html", "entities", sig, entities=self.entities
        )

    def search_family(self, sig: str) -> None:
        js = exports.search_index_js(self.incidents, self.entities)
        self.w.write("assets/search-index.js", js, family="search", sig=sig)

    def claims_family(self, sig: str) -> None:
        f = "claims"
        types = claim_type_counts(self.s)
        self.page("claims/index.html", "site/claim_types.html", f, sig, types=types)
        for t in types:
            self.page(
                page_path("claim_type", t.type),
                "site/claim_type.html",
                f,
                sig,
                t=t,
                groups=claim_groups_of_type(self.s, t.type),
            )
        rows = exports.claims_rows(all_claims(self.s))
        self.w.write(
            "exports/claims.csv", exports.csv_text(rows, exports.CLAIM_COLUMNS), family=f, sig=sig
        )
        self.w.write("exports/claims.json", exports.json_text(rows), family=f, sig=sig)

    def ops_family(self, sig: str) -> None:
        f = "ops"
        archive = briefing_archive(self.s)
        self.page("briefings/index.html", "site/briefings.html", f, sig, briefings=archive)
        for b in archive:
            key = f"{b.briefing_date.isoformat()}-{b.audience}"
            self.page(page_path("briefing", key), "site/briefing.html", f, sig, b=b)
        health, runs = crawl_health(self.s)
        self.page("sources.html", "site/sources.html", f, sig, health=health, runs=runs)

    def static_family(self, sig: str) -> None:
        for name in STATIC_ASSETS:
            data = (resources.files("reports") / "static" / name).read_bytes()
            self.w.write(f"assets/{name}", data, family="static", sig=sig)
        self.page("search.html", "site/search.html", "static", sig)


def _family_fresh(w: SiteWriter, family: str, sig: str) -> bool:
    entries = [e for e in w.old.values() if e.get("family") == family]
    return not w.full and bool(entries) and all(e.get("sig") == sig for e in entries)


def build(
    factory: sessionmaker[Session],
    out: Path,
    *,
    full: bool = False,
    title: str = "ipwire",
    base_url: str | None = None,
    tz: zoneinfo.ZoneInfo | None = None,
) -> SiteStats:
    """Build the site into ``out`` from the store behind ``factory``.

    Args:
        factory: a (read-only) session factory.
        out: the output folder (created).
        full: ignore the manifest and render every page.
        title: the site title.
        base_url: public URL of the site (absolute links in the Atom feed).
        tz: timezone of the times shown.
    """
    t0 = time.monotonic()
    version = code_version()
    writer = SiteWriter.open(Path(out), version, full)
    env = make_env(tz)
    with session_scope(factory) as s:
        sigs = site_signatures(s)
        env.globals.update(site_title=title, path=page_path, entity_pages=frozenset(sigs.entities))
        meta = {"base_url": base_url or "", "site_title": title, "tz": tz}
        b = _Build(s, writer, _Renderer(env), sigs, meta)
        n_inc = b.incident_pages()
        n_ent = b.entity_pages()
        fam = dict(sigs.families)
        fam["search"] = hashlib.sha256((fam["incidents"] + fam["entities"]).encode()).hexdigest()[
            :24
        ]
        fam["static"] = version
        meta_sig = hashlib.sha256(f"{title}|{base_url}|{tz}".encode()).hexdigest()[:8]
        runners: dict[str, Callable[[str], None]] = {
            "static": b.static_family,
            "home": b.home,
            "incidents": b.incidents_family,
            "entities": b.entities_family,
            "search": b.search_family,
            "claims": b.claims_family,
            "ops": b.ops_family,
        }
        for name, run in runners.items():
            sig = f"{fam[name]}.{meta_sig}"
            if _family_fresh(writer, name, sig):
                writer.keep_family(name)
            else:
                run(sig)
    writer.finish()
    return SiteStats(
        pages_total=writer.pages_total,
        written=writer.written,
        unchanged=writer.unchanged,
        rendered=writer.rendered,
        deleted=writer.deleted,
        incidents=n_inc,
        entities=n_ent,
        full=writer.full,
        seconds=time.monotonic() - t0,
    )
