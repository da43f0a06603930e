"""Scale benchmark: NLP workers on PostgreSQL, and crawler processes sharing a Redis frontier.

usage: python bench/scale_bench.py [--articles 50000] [--workers 1,2,4] [--pages 1000]
                                   [--skip-nlp] [--skip-crawl]

NLP: ``--articles`` generated articles are stored once in a template database; for each worker
count a fresh copy (``CREATE DATABASE … TEMPLATE``) is processed by that many worker processes
(the claim → analyse → save loop of ``ipwire process``, each its own process with its own
pipeline and leases). Reported: articles/s from the first claim to the last save (model loading
excluded, shown apart), the ratio to one worker, each worker's peak RSS, and — for one worker —
its RSS after 20% and after 100% of the articles (the goal is flat: no per-article growth).

Crawl: a generated site of ``--pages`` articles (plus its sitemap and listing pages) crawled into
a fresh store by 1, then 2 ``python -m crawler.run`` processes sharing the Redis frontier;
pages/s over the whole run and the ratio to one process.

Every figure is measured in this run; ratios are against the 1-worker/1-process baseline of the
same run. On a 2-core machine more than two CPU-bound workers cannot go faster: say so, don't hide.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import sqlalchemy as sa

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # as a script: the repo root

ADMIN_URL = os.environ.get(
    "IPWIRE_TEST_PG_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
REDIS_URL = "redis://127.0.0.1:6379/15"


# -- databases ------------------------------------------------------------------------------------
def _admin() -> sa.Engine:
    return sa.create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")


def create_db(template: str | None = None) -> str:
    name = f"ipwire_bench_{uuid.uuid4().hex[:10]}"
    engine = _admin()
    with engine.connect() as conn:
        if template:  # copying needs the template to be idle: close what seeding left open
            conn.execute(
                sa.text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = :t AND pid <> pg_backend_pid()"
                ),
                {"t": template},
            )
        extra = f' TEMPLATE "{template}"' if template else ""
        conn.execute(sa.text(f'CREATE DATABASE "{name}"{extra}'))
    engine.dispose()
    return name


def drop_db(name: str) -> None:
    engine = _admin()
    with engine.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


def db_url(name: str) -> str:
    return sa.make_url(ADMIN_URL).set(database=name).render_as_string(hide_password=False)


# -- one worker (run as a child: scale_bench.py --worker URL LOG) --------------------------------
def _rss_kib() -> tuple[int, int]:
    """(current RSS, peak RSS) of this process in KiB, from /proc."""
    cur = peak = 0
    with open("/proc/self/status", encoding="ascii") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                cur = int(line.split()[1])
            elif line.startswith("VmHWM:"):
                peak = int(line.split()[1])
    return cur, peak


def worker_main(url: str, log_path: Path, batch: int) -> None:
    from ipwire.config import load_settings
    from ipwire.jobs.process import ProcessResult, process_loop
    from nlp.analyze import Analyzer

    t0 = time.time()
    settings = load_settings(None, env={"IPWIRE_DATABASE_URL": url})
    analyzer = Analyzer.load(settings.nlp.model)
    analyzer.analyze("Warm-up sentence about Brightline Labs.", title="warm-up")
    loaded = time.time()
    done = 0
    with log_path.open("a", encoding="utf-8") as log:

        def on_batch(step: ProcessResult) -> None:
            nonlocal done
            done += step.processed + step.failed
            rss, peak = _rss_kib()
            log.write(json.dumps({"t": time.time(), "done": done, "rss": rss, "peak": peak}))
            log.write("\n")
            log.flush()

        log.write(json.dumps({"t": loaded, "load_s": loaded - t0, "event": "loaded"}) + "\n")
        log.flush()
        process_loop(settings, batch_size=batch, analyzer=analyzer, on_batch=on_batch)


# -- NLP benchmark ------------------------------------------------------------------------------
def run_workers(url: str, n: int, workdir: Path, batch: int) -> dict[str, Any]:
    logs = [workdir / f"w{n}-{i}.jsonl" for i in range(n)]
    procs = [
        subprocess.Popen(
            [sys.executable, __file__, "--worker", url, str(log), "--batch", str(batch)],
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        for log in logs
    ]
    for p in procs:
        if p.wait() != 0:
            raise SystemExit(f"a worker exited with {p.returncode}")
    per_worker = []
    starts, ends, total = [], [], 0
    for log in logs:
        events = [json.loads(line) for line in log.read_text().splitlines()]
        loaded = next(e for e in events if e.get("event") == "loaded")
        steps = [e for e in events if "done" in e]
        starts.append(loaded["t"])
        if steps:
            ends.append(steps[-1]["t"])
        total += steps[-1]["done"] if steps else 0
        per_worker.append(
            {
                "load_s": round(loaded["load_s"], 1),
                "articles": steps[-1]["done"] if steps else 0,
                "peak_rss_mib": round(max((s["peak"] for s in steps), default=0) / 1024, 1),
                "steps": steps,
            }
        )
    seconds = max(ends) - min(starts)
    return {"workers": n, "articles": total, "seconds": seconds, "per_worker": per_worker}


def rss_growth(steps: list[dict[str, Any]], total: int) -> tuple[float, float]:
    """RSS (MiB) when 20% of the articles were done, and at the end."""
    at_20 = next(s for s in steps if s["done"] >= total * 0.2)
    return at_20["rss"] / 1024, steps[-1]["rss"] / 1024


def nlp_bench(articles: int, worker_counts: list[int], batch: int, workdir: Path) -> None:
    from bench.seed import seed_articles
    from store import migrate

    template = create_db()
    try:
        url = db_url(template)
        migrate.upgrade(url)
        t0 = time.monotonic()
        seed_articles(url, articles)
        print(f"seeded {articles} generated articles in {time.monotonic() - t0:.0f}s", flush=True)
        sa.create_engine(url).dispose()
        results = []
        for n in worker_counts:
            name = create_db(template)
            try:
                r = run_workers(db_url(name), n, workdir, batch)
            finally:
                drop_db(name)
            results.append(r)
            print(f"  {n} worker(s): {r['articles']} articles in {r['seconds']:.1f}s", flush=True)
    finally:
        drop_db(template)
    base = results[0]["articles"] / results[0]["seconds"]
    print(f"\nNLP workers on PostgreSQL: {articles} articles, batch {batch}, {os.cpu_count()} CPUs")
    print(f"{'workers':>7} {'art/s':>7} {'ratio':>6} {'load s':>7}  peak RSS per worker (MiB)")
    for r in results:
        rate = r["articles"] / r["seconds"]
        loads = max(w["load_s"] for w in r["per_worker"])
        peaks = ", ".join(f"{w['peak_rss_mib']:.0f}" for w in r["per_worker"])
        print(f"{r['workers']:>7} {rate:>7.2f} {rate / base:>6.2f} {loads:>7.1f}  {peaks}")
    single = results[0]["per_worker"][0]
    low, high = rss_growth(single["steps"], single["articles"])
    print(
        f"RSS of one worker after {int(single['articles'] * 0.2)} articles: {low:.0f} MiB; "
        f"after {single['articles']}: {high:.0f} MiB (growth {high - low:+.0f} MiB, "
        f"{(high - low) * 1024 / max(1, single['articles'] * 0.8):.2f} KiB/article)"
    )


# -- crawl benchmark ----------------------------------------------------------------------------
def crawl_once(pages: int, processes: int, workdir: Path) -> tuple[float, int]:
    import redis

    from bench.scale_crawl import scale_spec, start_crawlers
    from crawler.distributed import key_prefix
    from crawler.fixture_site import FixtureSite, GeneratedSite
    from store import migrate

    name = create_db()
    try:
        url = db_url(name)
        migrate.upgrade(url)
        run_dir = workdir / f"crawl-{processes}"
        run_dir.mkdir()
        with FixtureSite(GeneratedSite(pages)) as site:
            spec = scale_spec(site.base_url, url, REDIS_URL)
            t0 = time.monotonic()
            procs = start_crawlers(spec, processes, run_dir)
            for p in procs:
                if p.wait() != 0:
                    raise SystemExit(f"a crawler exited with {p.returncode}")
            seconds = time.monotonic() - t0
            fetched = sum(site.fetch_counts().values())
        client = redis.Redis.from_url(REDIS_URL)
        left = list(client.scan_iter(match=f"{key_prefix(url)}*"))
        if left:
            client.delete(*left)
        client.close()
    finally:
        drop_db(name)
    return seconds, fetched


def crawl_bench(pages: int, workdir: Path) -> None:
    rows = []
    for n in (1, 2):
        seconds, fetched = crawl_once(pages, n, workdir)
        rows.append((n, seconds, fetched))
        print(f"  {n} crawler process(es): {fetched} pages in {seconds:.1f}s", flush=True)
    base = rows[0][2] / rows[0][1]
    print(f"\ncrawl through Redis: {pages}-article loopback site, {os.cpu_count()} CPUs")
    print(f"{'procs':>5} {'pages':>6} {'seconds':>8} {'pages/s':>8} {'ratio':>6}")
    for n, seconds, fetched in rows:
        rate = fetched / seconds
        print(f"{n:>5} {fetched:>6} {seconds:>8.1f} {rate:>8.1f} {rate / base:>6.2f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=50_000)
    parser.add_argument("--workers", default="1,2,4")
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--skip-nlp", action="store_true")
    parser.add_argument("--skip-crawl", action="store_true")
    parser.add_argument("--worker", nargs=2, metavar=("URL", "LOG"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        worker_main(args.worker[0], Path(args.worker[1]), args.batch)
        return 0
    with tempfile.TemporaryDirectory(prefix="ipwire-scale-") as tmp:
        if not args.skip_crawl:
            crawl_bench(args.pages, Path(tmp))
        if not args.skip_nlp:
            counts = [int(x) for x in args.workers.split(",")]
            nlp_bench(args.articles, counts, args.batch, Path(tmp))
    return 0


if __name__ == "__main__":
    sys.exit(main())
