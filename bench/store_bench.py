"""Store benchmark: insert rate and README example-query latency at two database sizes.

For each database (SQLite file; PostgreSQL in a fresh database created on 127.0.0.1:5432 and
dropped afterwards, skipped with a message when the server is absent) and each size, it:

1. migrates an empty database and seeds 300 fictional entities;
2. inserts ``--api-sample`` articles through the repository API (``add_article`` in one
   transaction each, like the crawler; then ``save_annotations`` in one transaction each, like an
   NLP worker) and reports articles per second for each;
3. bulk-loads the rest of the synthetic corpus (articles with about 4 mentions and 1.2 claims
   each, plus incidents) and reports rows per second;
4. runs ``ANALYZE`` (the housekeeping job does the same); then, with every size loaded, times
   each README example query (``store/examples.py``) and two full-text searches ``--repeat``
   times per size, alternating between the sizes: p50 and p95.

The corpus grows the way a news store grows: a constant number of articles per day
(``--per-day``), so a bigger store covers a longer period, and the entity universe grows with it
(one new entity per 50 articles) on top of a fixed set of frequently named ones. Queries bounded
by a date window or a LIMIT should then cost the same at both sizes when they use indexes; a scan
shows as a ratio near the size ratio. Goal: p95 at the largest size ≤ 3× p95 at the smallest.

Run: ``python bench/store_bench.py [--sizes 10000,100000] [--dbs sqlite,postgresql]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # as a script: the repo root

from ipwire.jobs.cluster import claim_from_row
from nlp.types import Annotations, Entity, Mention
from store import (
    ArticleIn,
    add_article,
    make_engine,
    make_session_factory,
    save_annotations,
    search_articles,
    seed_entities,
    session_scope,
)
from store.examples import EXAMPLES
from store.hashing import bands, content_hash, to_signed64
from store.migrate import upgrade
from store.models import Base

PG_ADMIN_URL = os.environ.get(
    "IPWIRE_BENCH_PG_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
END = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)
WINDOW_DAYS = 30
CLAIM_TYPES = (
    "distillation",
    "copyright_infringement",
    "trade_secret_theft",
    "tos_violation",
    "leak",
    "scraping",
    "data_theft",
    "unauthorized_access",
)
STANCES = ("asserted", "alleged", "alleged", "suspected", "denied", "confirmed")
LEGAL = (None, None, None, None, "lawsuit", "investigation", "charged", "settled", "ruling")
WORDS = [
    "model",
    "weights",
    "api",
    "training",
    "data",
    "lawsuit",
    "court",
    "filing",
    "engineer",
    "startup",
    "lab",
    "chatbot",
    "outputs",
    "license",
    "terms",
    "access",
    "researchers",
    "dataset",
    "copyright",
    "publisher",
    "archive",
    "scraped",
    "agreement",
    "spokesperson",
    "statement",
    "denied",
    "alleged",
    "evidence",
    "regulators",
    "investigation",
    "company",
    "rival",
    "benchmark",
    "release",
    "cluster",
    "chips",
    "export",
    "policy",
    "contract",
    "settlement",
]
KB_SIZE = 300
MIN_SECONDS = 1.0  # of timed runs per query and size
NLP_VERSION = "bench-1"


def _entities(n_new: int) -> list[dict[str, Any]]:
    kb = [{"id": f"org-{i}", "name": f"Org {i} Labs", "type": "ORG"} for i in range(KB_SIZE)]
    kb[0] = {"id": "acme-labs", "name": "Acme Labs", "type": "ORG"}
    new = [{"id": f"new-{i}", "name": f"Newco {i}", "type": "ORG"} for i in range(n_new)]
    return kb + new


def _pick_entity(rng: random.Random, kb_weights: list[float], n_new: int) -> str:
    # 80 %: a KB entity, Zipf-like (a few are named all the time); 20 %: the long tail.
    if n_new == 0 or rng.random() < 0.8:
        i = rng.choices(range(KB_SIZE), weights=kb_weights)[0]
        return "acme-labs" if i == 0 else f"org-{i}"
    return f"new-{rng.randrange(n_new)}"


class Corpus:
    """Deterministic synthetic articles, annotations and incidents for ``n`` articles."""

    def __init__(self, n: int, per_day: int, seed: int = 7) -> None:
        self.n, self.per_day = n, per_day
        self.rng = random.Random(seed)
        self.n_new = n // 50
        self.kb_weights = [1 / (i + 1) for i in range(KB_SIZE)]
        self.step = dt.timedelta(days=1) / per_day

    def published_at(self, i: int) -> dt.datetime:
        return END - (self.n - i) * self.step

    def article(self, i: int) -> dict[str, Any]:
        rng = self.rng
        words = " ".join(rng.choice(WORDS) for _ in range(120))
        text = f"Report {i}. {words}."
        sh = to_signed64(rng.getrandbits(64))
        b = bands(sh)
        pub = self.published_at(i)
        return {
            "id": i + 1,
            "canonical_url": f"https://bench.example/a/{i}",
            "url": f"https://bench.example/a/{i}?ref=feed",
            "title": f"Headline {i}: {rng.choice(WORDS)} {rng.choice(WORDS)}",
            "text": text,
            "content_hash": content_hash(text),
            "simhash": sh,
            "simhash_band0": b[0],
            "simhash_band1": b[1],
            "simhash_band2": b[2],
            "simhash_band3": b[3],
            "published_at": pub,
            "fetched_at": pub + dt.timedelta(minutes=20),
            "state": "done",
            "nlp_version": NLP_VERSION,
            "relevance": rng.random(),
            "is_relevant": rng.random() < 0.4,
            "authors": [],
            "is_near_duplicate": False,
            "attempts": 1,
        }

    def annotations(self, i: int) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        rng = self.rng
        pub = self.published_at(i)
        mentions = []
        for k in range(rng.randint(2, 6)):
            eid = _pick_entity(rng, self.kb_weights, self.n_new)
            mentions.append(
                {
                    "article_id": i + 1,
                    "entity_id": eid,
                    "text": eid,
                    "start_char": k * 40,
                    "end_char": k * 40 + 8,
                    "sentence_index": k,
                    "published_at": pub,
                }
            )
        claims = []
        for k in range(rng.choices((0, 1, 2), weights=(2, 5, 3))[0]):
            claims.append(
                {
                    "article_id": i + 1,
                    "type": rng.choice(CLAIM_TYPES),
                    "accuser_id": _pick_entity(rng, self.kb_weights, self.n_new),
                    "accuser_text": None,
                    "accused_id": _pick_entity(rng, self.kb_weights, self.n_new),
                    "accused_text": None,
                    "victim_id": None,
                    "victim_text": None,
                    "speaker_id": None,
                    "speaker_text": None,
                    "stance": rng.choice(STANCES),
                    "legal_status": rng.choice(LEGAL),
                    "cues": ["alleged"],
                    "sentence": f"Claim {k} of report {i}.",
                    "start_char": k * 50,
                    "end_char": k * 50 + 30,
                    "sentence_index": k,
                    "published_at": pub,
                }
            )
        return mentions, claims

    def as_nlp(self, i: int) -> Annotations:
        mentions, claims = self.annotations(i)
        ids = {m["entity_id"] for m in mentions} | {
            c[k] for c in claims for k in ("accuser_id", "accused_id")
        }
        return Annotations(
            nlp_version=NLP_VERSION,
            relevant=True,
            relevance=0.9,
            entities=tuple(Entity(id=e, name=e, type="ORG") for e in sorted(ids)),
            mentions=tuple(
                Mention(
                    m["entity_id"], m["start_char"], m["end_char"], m["text"], m["sentence_index"]
                )
                for m in mentions
            ),
            claims=tuple(claim_from_row(c) for c in claims),
        )

    def incidents(self) -> Iterator[tuple[dict[str, Any], list[int], list[tuple[str, str]]]]:
        rng = self.rng
        for j in range(self.n // 100):
            first = rng.randrange(self.n)
            members = sorted({min(self.n - 1, first + rng.randrange(300)) for _ in range(8)})
            inc = {
                "id": j + 1,
                "slug": f"incident-{j}",
                "title": f"Incident {j}",
                "status": "open",
                "claim_types": [rng.choice(CLAIM_TYPES)],
                "first_seen_at": self.published_at(members[0]),
                "last_seen_at": self.published_at(members[-1]),
            }
            parties = [
                (_pick_entity(rng, self.kb_weights, self.n_new), "accuser"),
                (_pick_entity(rng, self.kb_weights, self.n_new), "accused"),
            ]
            yield inc, [m + 1 for m in members], list(dict.fromkeys(parties))


@contextmanager
def database(kind: str) -> Iterator[str | None]:
    """A fresh, empty database URL (``None`` when PostgreSQL is not reachable)."""
    if kind == "sqlite":
        with tempfile.TemporaryDirectory(prefix="ipwire-bench-") as d:
            yield f"sqlite:///{Path(d) / 'bench.db'}"
        return
    admin = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"ipwire_bench_{uuid.uuid4().hex[:8]}"
    try:
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    except sa.exc.OperationalError as e:
        print(f"PostgreSQL skipped: {str(e.orig).splitlines()[0]}")
        yield None
        return
    try:
        yield sa.make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _insert_chunked(conn: sa.Connection, table: str, rows: list[dict[str, Any]]) -> int:
    t = Base.metadata.tables[table]  # typed columns: JSON and UTC timestamps bind correctly
    for i in range(0, len(rows), 5000):
        conn.execute(sa.insert(t), rows[i : i + 5000])
    return len(rows)


def load(url: str, corpus: Corpus, api_sample: int) -> dict[str, float]:
    """Fill the database; returns the measured insert rates."""
    upgrade(url)
    engine = make_engine(url)
    factory = make_session_factory(engine)
    with session_scope(factory) as s:
        seed_entities(s, _entities(corpus.n_new))
    rates: dict[str, float] = {}
    sample = min(api_sample, corpus.n)
    t0 = time.perf_counter()
    for i in range(sample):
        row = corpus.article(i)
        with session_scope(factory) as s:
            add_article(
                s,
                ArticleIn(
                    source_id=None,
                    url=row["url"],
                    canonical_url=row["canonical_url"],
                    title=row["title"],
                    text=row["text"],
                    published_at=row["published_at"],
                    fetched_at=row["fetched_at"],
                    simhash=row["simhash"],
                ),
            )
    rates["api add_article/s"] = sample / (time.perf_counter() - t0)
    t0 = time.perf_counter()
    for i in range(sample):
        with session_scope(factory) as s:
            save_annotations(s, i + 1, corpus.as_nlp(i), NLP_VERSION)
    rates["api save_annotations/s"] = sample / (time.perf_counter() - t0)
    # Bulk: the rest of the corpus, like a restore or a migration from another store.
    t0, total = time.perf_counter(), 0
    with engine.begin() as conn:
        for start in range(sample, corpus.n, 10_000):
            idx = range(start, min(corpus.n, start + 10_000))
            arts = [corpus.article(i) for i in idx]
            mentions: list[dict[str, Any]] = []
            claims: list[dict[str, Any]] = []
            for i in idx:
                m, c = corpus.annotations(i)
                mentions += m
                claims += c
            total += _insert_chunked(conn, "article", arts)
            total += _insert_chunked(conn, "mention", mentions)
            total += _insert_chunked(conn, "claim", claims)
        incs, links, parties = [], [], []
        for inc, members, ps in corpus.incidents():
            incs.append(inc)
            links += [{"incident_id": inc["id"], "article_id": a} for a in members]
            parties += [{"incident_id": inc["id"], "entity_id": e, "role": r} for e, r in ps]
        total += _insert_chunked(conn, "incident", incs)
        total += _insert_chunked(conn, "incident_article", links)
        total += _insert_chunked(conn, "incident_party", parties)
        if engine.dialect.name == "postgresql":
            conn.execute(
                sa.text(
                    "SELECT setval(pg_get_serial_sequence('article', 'id'), max(id)) FROM article"
                )
            )
    rates["bulk rows/s"] = total / (time.perf_counter() - t0)
    if engine.dialect.name == "sqlite":
        with engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE")
    else:
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE")
    engine.dispose()
    return rates


def _percentiles(samples: list[float]) -> tuple[float, float]:
    qs = statistics.quantiles(samples, n=100, method="inclusive")
    return qs[49], qs[94]


def _jobs() -> list[tuple[str, bool, Callable[[Any], int]]]:
    """(name, counts toward the goal, job) for every example query and two searches."""
    since = (END - dt.timedelta(days=WINDOW_DAYS)).date().isoformat()
    params = {"entity_id": "acme-labs", "since": since}

    def example(sql: str, names: tuple[str, ...]) -> Callable[[Any], int]:
        return lambda s: len(s.execute(sa.text(sql), {k: params[k] for k in names}).all())

    jobs = [(ex.name, True, example(ex.sql, tuple(ex.params))) for ex in EXAMPLES]
    # Full-text search is not a README example: ranking must score every matching article, so
    # a query matching most of the corpus grows with it. Shown for information.
    jobs.append(
        (
            "search: one match (info)",
            False,
            lambda s: len(search_articles(s, "4321", limit=20)),
        )
    )
    jobs.append(
        (
            "search: ~all match (info)",
            False,
            lambda s: len(search_articles(s, "lawsuit settlement", limit=20)),
        )
    )
    return jobs


def time_queries(
    urls: dict[int, str], repeat: int
) -> dict[int, dict[str, tuple[float, float, int]]]:
    """size → name → (p50 ms, p95 ms, rows); at least ``repeat`` runs each.

    The sizes are timed in alternation, query by query, so that load from other processes on
    the machine hits both sizes alike and the ratio compares like with like.
    """
    engines = {n: make_engine(u) for n, u in urls.items()}
    sessions = {n: make_session_factory(e, readonly=True)() for n, e in engines.items()}
    out: dict[int, dict[str, tuple[float, float, int]]] = {n: {} for n in urls}
    sizes = sorted(urls)
    try:
        for name, _, job in _jobs():
            times: dict[int, list[float]] = {n: [] for n in urls}
            rows: dict[int, int] = {}
            for s in sessions.values():
                for _ in range(2):
                    job(s)  # warm caches
            # At least ``repeat`` runs and at least MIN_SECONDS per size: fast queries get many
            # samples, so one scheduler hiccup on a busy machine does not decide their p95.
            spent = 0.0
            while len(times[sizes[0]]) < repeat or spent < MIN_SECONDS * len(sizes):
                for n, s in sessions.items():
                    t0 = time.perf_counter()
                    rows[n] = job(s)
                    elapsed = time.perf_counter() - t0
                    spent += elapsed
                    times[n].append(elapsed * 1000)
            for n in urls:
                p50, p95 = _percentiles(times[n])
                out[n][name] = (p50, p95, rows[n])
    finally:
        for s in sessions.values():
            s.close()
        for e in engines.values():
            e.dispose()
    return out


def full_scans(url: str) -> dict[str, list[str]]:
    """Example name → tables the database plans to read in full (no index), at this size."""
    since = (END - dt.timedelta(days=WINDOW_DAYS)).date().isoformat()
    params = {"entity_id": "acme-labs", "since": since}
    engine = make_engine(url)
    out: dict[str, list[str]] = {}
    try:
        with engine.connect() as conn:
            for ex in EXAMPLES:
                args = {k: params[k] for k in ex.params}
                if engine.dialect.name == "sqlite":
                    plan = conn.execute(sa.text("EXPLAIN QUERY PLAN " + ex.sql), args).all()
                    lines = [str(r[-1]) for r in plan]
                    scans = [
                        ln.split()[1]
                        for ln in lines
                        if ln.startswith("SCAN ") and " USING " not in ln
                    ]
                else:
                    plan = conn.execute(sa.text("EXPLAIN " + ex.sql), args).all()
                    scans = [
                        str(r[0]).split("Seq Scan on ")[1].split()[0]
                        for r in plan
                        if "Seq Scan on " in str(r[0])
                    ]
                out[ex.name] = scans
    finally:
        engine.dispose()
    return out


def report(
    results: dict[int, dict[str, tuple[float, float, int]]], scans: dict[str, list[str]]
) -> None:
    lo, hi = min(results), max(results)
    head = f"{'query':<28}" + "".join(
        f"{'p50@' + _k(n):>11}{'p95@' + _k(n):>11}{'rows':>6}" for n in sorted(results)
    )
    if hi != lo:
        head += f"{'p95 ratio':>11}  goal ≤3×"
    head += f"  full scans @{_k(hi)}"
    print(head)
    for name, goal, _ in _jobs():
        line = f"{name:<28}"
        for n in sorted(results):
            p50, p95, rows = results[n][name]
            line += f"{p50:>9.2f}ms{p95:>9.2f}ms{rows:>6}"
        if hi != lo:
            ratio = results[hi][name][1] / results[lo][name][1]
            verdict = ("ok" if ratio <= 3 else "MISSED") if goal else "-"
            line += f"{ratio:>10.2f}×  {verdict:<8}"
        if name in scans:
            line += "  " + (", ".join(scans[name]) or "none")
        print(line)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="10000,100000", help="comma-separated article counts")
    ap.add_argument("--dbs", default="sqlite,postgresql")
    ap.add_argument("--repeat", type=int, default=40, help="timed runs per query and size")
    ap.add_argument(
        "--api-sample",
        type=int,
        default=1000,
        help="articles inserted through add_article/save_annotations",
    )
    ap.add_argument("--per-day", type=int, default=100, help="articles per day of news")
    args = ap.parse_args(argv)
    sizes = sorted(int(s) for s in args.sizes.split(","))
    for kind in args.dbs.split(","):
        print(f"\n=== {kind} ===")
        with ExitStack() as stack:
            urls: dict[int, str] = {}
            for n in sizes:
                url = stack.enter_context(database(kind))
                if url is None:
                    break
                t0 = time.perf_counter()
                rates = load(url, Corpus(n, args.per_day), args.api_sample)
                print(
                    f"{n:>7} articles loaded in {time.perf_counter() - t0:5.1f}s  "
                    + "  ".join(f"{k}: {v:,.0f}" for k, v in rates.items())
                )
                urls[n] = url
            if urls:
                report(time_queries(urls, args.repeat), full_scans(urls[max(urls)]))
    return 0


def _k(n: int) -> str:
    return f"{n // 1000}k" if n >= 1000 and n % 1000 == 0 else str(n)


if __name__ == "__main__":
    sys.exit(main())
