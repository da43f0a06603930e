"""Report benchmark: static-site build (full and incremental) and briefing render time.

It generates a fictional store into a fresh SQLite file — ``--articles`` articles (default
10,000) in ``--incidents`` incidents (default 1,000), about 2,000 entities, mentions, claims,
quotes, roles, timelines, crawl runs — through the store's repository functions, then measures:

1. **full build** into an empty folder: seconds, pages, pages per second;
2. **no-change rebuild**: seconds (nothing should be rendered or written);
3. **incremental rebuild after one incident changes** (its title and timeline, as the clusterer
   would rewrite them): seconds and the ratio to the full build (goal ≤ 0.1×);
4. **briefing**: collecting the data of the last 24 hours and rendering subject, text, HTML (CSS
   inlined) and the PNG chart, median of ``--repeat`` runs.

Run: ``python bench/site_bench.py [--articles 10000] [--incidents 1000] [--repeat 3]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import json
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # as a script: the repo root

import sqlalchemy as sa  # noqa: E402

from ipwire.config import load_settings  # noqa: E402
from ipwire.jobs.publish import build_site  # noqa: E402
from nlp.types import Annotations, Claim, Entity, Mention, Quote, Role  # noqa: E402
from reports.briefing import render_briefing  # noqa: E402
from store import (  # noqa: E402
    ArticleIn,
    add_article,
    finish_crawl_run,
    make_engine,
    make_session_factory,
    save_annotations,
    session_scope,
    start_crawl_run,
    upsert_source,
)
from store.incidents import IncidentData, upsert_incident  # noqa: E402
from store.migrate import upgrade  # noqa: E402
from store.models import Claim as ClaimRow  # noqa: E402
from store.readmodels import briefing_data  # noqa: E402

T = TypeVar("T")

SYL = ["zen", "tri", "qui", "lon", "or", "bis", "mar", "ka", "vel", "dra", "no", "sy", "pha", "ter"]
TYPES = ["distillation", "copyright_infringement", "trade_secret_theft", "tos_violation", "leak"]
STANCES = ["alleged", "asserted", "suspected", "denied", "confirmed"]
LEGAL = [None, None, None, "investigation", "lawsuit", "charged", "settled"]


def _name(rng: random.Random, words: int) -> str:
    return " ".join(
        "".join(rng.choice(SYL) for _ in range(rng.randint(2, 3))).capitalize()
        for _ in range(words)
    )


def _entities(rng: random.Random, n: int) -> list[Entity]:
    kinds = [("ORG", 0.4), ("PERSON", 0.4), ("GOV", 0.05), ("MEDIA", 0.05), ("PRODUCT", 0.1)]
    out: list[Entity] = []
    seen: set[str] = set()
    while len(out) < n:
        t = rng.choices([k for k, _ in kinds], [w for _, w in kinds])[0]
        name = _name(rng, 2) + (" Labs" if t == "ORG" else "")
        slug = name.lower().replace(" ", "-")
        if slug not in seen:
            seen.add(slug)
            out.append(Entity(slug, name, t))
    return out


def generate(url: str, n_articles: int, n_incidents: int, seed: int = 7) -> dict[int, list[int]]:
    """Fill the store; returns incident id → article ids."""
    rng = random.Random(seed)
    ents = _entities(rng, max(200, n_articles // 5))
    orgs = [e for e in ents if e.type == "ORG"]
    people = [e for e in ents if e.type == "PERSON"]
    now = dt.datetime.now(dt.UTC)
    engine = make_engine(url)
    factory = make_session_factory(engine)
    per_incident = max(1, n_articles // n_incidents)
    incident_articles: dict[int, list[int]] = {}
    with session_scope(factory) as s:
        sources = [
            upsert_source(
                s, name=f"src-{i}", kind="feed", url=f"https://src{i}.example/feed", config={}
            )
            for i in range(10)
        ]
        for src in sources:
            for k in range(30):
                run = start_crawl_run(s, src.id)
                finish_crawl_run(
                    s,
                    run.id,
                    stats={"pages_fetched": 20, "articles_new": 5},
                    errors=[] if k % 7 else ["HTTP 503"],
                    outcome="ok" if k % 7 else "failed",
                )
    n = 0
    s = factory()
    for inc in range(n_incidents):
        accuser, accused = rng.sample(orgs, 2)
        ctype = rng.choice(TYPES)
        start_days = rng.uniform(0, 60)
        arts: list[int] = []
        if inc % 50 == 0:  # one transaction per 50 incidents keeps generation quick
            s.commit()
        for k in range(per_incident):
            n += 1
            fetched = now - dt.timedelta(days=max(0.0, start_days - k * rng.uniform(0.1, 2)))
            others = rng.sample(ents, 4)
            person = rng.choice(people)
            what = ctype.replace("_", " ")
            sent = f"{accuser.name} accused {accused.name} of {what} in case {inc}-{k}."
            text = (
                f"{sent} {person.name}, a spokesperson, said the matter was serious. "
                + " ".join(f"{o.name} was also mentioned." for o in others)
            )
            res = add_article(
                s,
                ArticleIn(
                    source_id=None,
                    url=f"https://news{n % 10}.example/a/{n}",
                    canonical_url=f"https://news{n % 10}.example/a/{n}",
                    title=f"{accuser.name} v {accused.name}: story {k} of case {inc}",
                    text=text,
                    published_at=fetched - dt.timedelta(hours=2),
                    fetched_at=fetched,
                    authors=[_name(rng, 2)],
                    site_name=f"Outlet {n % 10}",
                    simhash=rng.getrandbits(64),
                ),
            )
            aid = res.article_id
            arts.append(aid)
            stance = rng.choice(STANCES)
            legal = rng.choice(LEGAL)
            claims = [
                Claim(
                    ctype,
                    accuser.id,
                    accuser.name,
                    accused.id,
                    accused.name,
                    None,
                    None,
                    person.id,
                    person.name,
                    stance,
                    legal,
                    sent,
                    0,
                    len(sent),
                    0,
                    ("accused",),
                )
            ]
            mentioned = [accuser, accused, person, *others]
            save_annotations(
                s,
                aid,
                Annotations(
                    nlp_version="bench",
                    relevant=True,
                    relevance=0.9,
                    entities=tuple(mentioned),
                    mentions=tuple(Mention(e.id, 0, 5, e.name, 0) for e in mentioned),
                    roles=(
                        Role(
                            person.id,
                            person.name,
                            "spokesperson",
                            accuser.id,
                            accuser.name,
                            text[:80],
                            0,
                            5,
                        ),
                    ),
                    claims=tuple(claims),
                    quotes=(
                        Quote(person.id, person.name, f"We take case {inc} seriously.", True, 0, 5),
                    ),
                ),
                "bench",
            )
        incident_articles[inc] = arts
        _write_incident(
            s,
            inc,
            arts,
            accuser.id,
            accused.id,
            ctype,
            f"{accuser.name} accuses {accused.name} of {ctype}",
        )
    s.commit()
    s.close()
    engine.dispose()
    return incident_articles


def _write_incident(
    s: sa.orm.Session,
    component: int,
    arts: list[int],
    accuser: str,
    accused: str,
    ctype: str,
    title: str,
) -> None:
    rows = s.execute(
        sa.select(
            ClaimRow.id,
            ClaimRow.article_id,
            ClaimRow.stance,
            ClaimRow.legal_status,
            ClaimRow.sentence,
            ClaimRow.published_at,
        )
        .where(ClaimRow.article_id.in_(arts))
        .order_by(ClaimRow.published_at)
    ).all()
    events, seen = [], set()
    for r in rows:
        for status in (
            r.stance if r.stance in ("alleged", "denied", "confirmed") else None,
            r.legal_status,
        ):
            if status and status not in seen:
                seen.add(status)
                events.append((status, r.published_at, r.article_id, r.id, r.sentence))
    first, last = rows[0].published_at, rows[-1].published_at
    upsert_incident(
        s,
        component,
        IncidentData(
            title=title,
            slug_base=title.lower().replace(" ", "-")[:60],
            summary=title,
            status="open",
            legal_status=next(
                (e[0] for e in reversed(events) if e[0] not in ("alleged", "denied", "confirmed")),
                None,
            ),
            score=50.0,
            claim_types=[ctype],
            first_seen_at=first,
            last_seen_at=last,
            article_count=len(arts),
            source_count=len(arts),
            outlet_count=3,
            articles=[(a, 0.8) for a in arts],
            parties=[(accuser, "accuser", first, arts[0]), (accused, "accused", first, arts[0])],
            events=events,
            claim_ids=[r.id for r in rows],
        ),
    )


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--articles", type=int, default=10_000)
    ap.add_argument("--incidents", type=int, default=1_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument(
        "--keep",
        type=Path,
        default=None,
        help="keep the generated store in this folder and "
        "reuse it on the next run (generation takes minutes at the default size)",
    )
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="ipwire-site-bench-") as tmp:
        tmpd = Path(tmp)
        db = (args.keep or tmpd) / "ipwire.db"
        url = f"sqlite:///{db.as_posix()}"
        t0 = time.perf_counter()
        cache = db.with_suffix(".incidents.json")
        if args.keep and cache.is_file():
            incidents = {int(k): v for k, v in json.loads(cache.read_text()).items()}
        else:
            db.parent.mkdir(parents=True, exist_ok=True)
            db.unlink(missing_ok=True)
            upgrade(url)
            incidents = generate(url, args.articles, args.incidents)
            if args.keep:
                cache.write_text(json.dumps(incidents))
        gen_s = time.perf_counter() - t0
        settings = load_settings(env={"IPWIRE_DATABASE_URL": url, "IPWIRE_DATA_DIR": str(tmpd)})
        engine = make_engine(url)
        with engine.connect() as c:
            counts = {
                t: c.execute(sa.text(f"SELECT count(*) FROM {t}")).scalar_one()
                for t in ("article", "incident", "entity", "mention", "claim", "quote")
            }
        print(f"store: {counts} (generated in {gen_s:.1f}s)")
        out = tmpd / "site"

        full, full_s, full_c = _timed(lambda: build_site(settings, out=out).stats)
        noop, noop_s, noop_c = _timed(lambda: build_site(settings, out=out).stats)

        # One incident changes the way the clusterer rewrites it: new title, timeline, claims.
        inc = sorted(incidents)[len(incidents) // 2]
        factory = make_session_factory(engine)
        with session_scope(factory) as s:
            _write_incident(
                s,
                inc,
                incidents[inc],
                *_parties(s, inc),
                "distillation",
                f"Updated incident {inc}: now settled ({time.time_ns()})",
            )
        incr, incr_s, incr_c = _timed(lambda: build_site(settings, out=out).stats)

        ro = make_session_factory(engine, readonly=True)
        now = dt.datetime.now(dt.UTC)
        data_t, render_t = [], []

        def collect() -> Any:
            with session_scope(ro) as s:
                return briefing_data(s, now - dt.timedelta(hours=24), now, tz=settings.tz)

        for _ in range(args.repeat):
            data, wall, cpu = _timed(collect)
            data_t.append((wall, cpu))
            rendered, wall, cpu = _timed(
                functools.partial(
                    render_briefing,
                    data,
                    date=now.date(),
                    tz=settings.tz,
                    title="ipwire",
                    audience="default",
                )
            )
            render_t.append((wall, cpu))
        engine.dispose()

    rows = [
        ("full build: wall s / CPU s", f"{full_s:.2f} / {full_c:.2f}"),
        ("full build: pages", f"{full.pages_total}"),
        (
            "full build: pages/s (wall / CPU)",
            f"{full.pages_total / full_s:.0f} / {full.pages_total / full_c:.0f}",
        ),
        ("  incident / entity pages rendered", f"{full.incidents} / {full.entities}"),
        ("no-change rebuild: wall s / CPU s", f"{noop_s:.2f} / {noop_c:.2f}"),
        ("  pages rendered / written", f"{noop.rendered} / {noop.written}"),
        ("one incident changed: wall s / CPU s", f"{incr_s:.2f} / {incr_c:.2f}"),
        ("  pages rendered / written", f"{incr.rendered} / {incr.written}"),
        ("  ratio to full build, wall (goal <= 0.10)", f"{incr_s / full_s:.3f}"),
        ("  ratio to full build, CPU (goal <= 0.10)", f"{incr_c / full_c:.3f}"),
        ("briefing: window articles / developments", f"{data.articles} / {len(data.developments)}"),
        ("briefing: data queries, median wall / CPU s", _med(data_t)),
        ("briefing: render text+HTML+CSS+PNG, wall / CPU", _med(render_t)),
        (
            "briefing: HTML bytes / PNG bytes",
            f"{len(rendered.html)} / {len(rendered.chart_png or b'')}",
        ),
    ]
    print()
    for name, value in rows:
        print(f"{name:46} {value:>14}")
    return 0


def _med(samples: list[tuple[float, float]]) -> str:
    wall = statistics.median(w for w, _ in samples)
    cpu = statistics.median(c for _, c in samples)
    return f"{wall:.3f} / {cpu:.3f}"


def _timed(fn: Callable[[], T]) -> tuple[T, float, float]:
    """``fn()``, its wall-clock seconds and this process's CPU seconds (a shared machine makes
    wall time noisy; CPU time is what the build itself costs)."""
    t0, c0 = time.perf_counter(), time.process_time()
    out = fn()
    return out, time.perf_counter() - t0, time.process_time() - c0


def _parties(s: sa.orm.Session, component: int) -> tuple[str, str]:
    from store.models import Incident, IncidentParty

    iid = s.scalar(sa.select(Incident.id).where(Incident.component_id == component))
    rows = dict(
        (role, eid)
        for eid, role in s.execute(
            sa.select(IncidentParty.entity_id, IncidentParty.role).where(
                IncidentParty.incident_id == iid
            )
        )
    )
    return rows["accuser"], rows["accused"]


if __name__ == "__main__":
    sys.exit(main())
