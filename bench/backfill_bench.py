"""Backfill through a search source vs a plain crawl of the same URLs as a ``urls`` source.

    python bench/backfill_bench.py [--articles 20000] [--days 730] [--slice-hours 168]

Serves N generated article pages on 127.0.0.1 (``crawler.fixture_site.GeneratedSite``) and a
loopback DOC API (``crawler.search.loopback``) whose index lists those N URLs spread evenly over
two years. Then,
each into a fresh SQLite store, with the politeness delay and the API interval at zero:

* the backfill: ``ipwire backfill``'s path (``run_backfill``: the child crawl with the search
  spider asking the API slice by slice, splitting at the 250 cap, recording done slices, and the
  parent polling progress from the store once a second);
* the plain crawl: the same URLs as one ``urls`` source (``run_crawl``), run first.

Prints articles stored per second and slices per second of the backfill, both wall times, and
the backfill's overhead over the plain crawl (goal: ≤ 10 %), in wall time and in CPU time of
the crawl processes (steadier on a shared machine).
"""

from __future__ import annotations

import argparse
import compileall
import os
import resource
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # as a script: the repo root

from crawler.fixture_site import FixtureSite, GeneratedSite
from crawler.fixture_site.generated import article_path
from crawler.search.loopback import FakeDocApi, fake_doc_api, loopback_crawl
from crawler.spec import CrawlOptions, CrawlSpec, SourceSpec
from ipwire.jobs.backfill import Progress, run_backfill
from ipwire.jobs.crawl import run_crawl
from store import migrate

START = datetime(2024, 1, 1, tzinfo=UTC)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--days", type=int, default=730)
    parser.add_argument("--slice-hours", type=float, default=168.0)
    args = parser.parse_args()
    root = Path(__file__).resolve().parents[1]
    for package in ("crawler", "store", "ipwire"):
        compileall.compile_dir(root / package, quiet=1)
    end = START + timedelta(days=args.days)
    step = (end - START) / args.articles
    options = CrawlOptions(**loopback_crawl(concurrency_per_domain=16, retries=0, timeout_s=30.0))
    with (
        tempfile.TemporaryDirectory() as tmp,
        FixtureSite(GeneratedSite(args.articles, sitemap_chunk=None)) as site,
        fake_doc_api(FakeDocApi()) as api,
    ):
        site.warm(article_path(n) for n in range(args.articles))  # rendered before the clocks
        urls = [site.url(article_path(n)) for n in range(args.articles)]
        api.add((u, START + n * step, f"Generated report {n}") for n, u in enumerate(urls))

        plain_db = f"sqlite:///{tmp}/plain.db"
        migrate.upgrade(plain_db)
        plain = SourceSpec(
            name="bench-urls", kind="urls", urls=tuple(urls), max_articles=args.articles
        )
        t0, cpu0 = time.perf_counter(), _children_cpu_s()
        result = run_crawl(CrawlSpec(database_url=plain_db, sources=(plain,), options=options))
        plain_s = time.perf_counter() - t0
        plain_cpu = _children_cpu_s() - cpu0
        p = result.summaries[0]
        fetched_plain = sum(c for q, c in site.fetch_counts().items() if q.startswith("/a/"))
        site.clear_access_log()

        backfill_db = f"sqlite:///{tmp}/backfill.db"
        migrate.upgrade(backfill_db)
        search = SourceSpec(
            name="bench-search",
            kind="search",
            query='"generated report"',
            api_url=api.api_url,
            api_interval_s=0.0,
            slice_hours=args.slice_hours,
            max_articles=1 << 62,
            since=START.isoformat(),
            until=end.isoformat(),
        )
        last: list[Progress] = []
        t0, cpu0 = time.perf_counter(), _children_cpu_s()
        result = run_backfill(
            CrawlSpec(database_url=backfill_db, sources=(search,), options=options),
            last.append,
        )
        backfill_s = time.perf_counter() - t0
        backfill_cpu = _children_cpu_s() - cpu0
        b = result.summaries[0]
        api_calls = len(api.calls)
        capped = sum(1 for c in api.calls if c.results >= 250)
        slices = last[-1].slices_done
        fetched_backfill = sum(c for q, c in site.fetch_counts().items() if q.startswith("/a/"))

    print(
        f"index: {args.articles} URLs over {args.days} days; slices of {args.slice_hours:g} h, "
        f"delay 0, API interval 0; {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}"
    )
    print(
        f"backfill (search source): {backfill_s:7.2f} s  stored {b['new']:>6}  fetched "
        f"{fetched_backfill:>6}  {b['new'] / backfill_s:7.1f} articles/s  "
        f"{slices} slices done ({slices / backfill_s:.2f}/s), {api_calls} API requests "
        f"({capped} at the 250 cap), window covered {100 * last[-1].fraction:.1f}%"
    )
    print(
        f"plain crawl (urls source): {plain_s:7.2f} s  stored {p['new']:>6}  fetched "
        f"{fetched_plain:>6}  {p['new'] / plain_s:7.1f} articles/s"
    )
    print(
        f"CPU of the crawl processes (with page workers): backfill {backfill_cpu:.1f} s, "
        f"plain {plain_cpu:.1f} s: {100 * (backfill_cpu / plain_cpu - 1):+.1f}%"
    )
    print(
        f"backfill overhead over the plain crawl: {100 * (backfill_s / plain_s - 1):+.1f}%"
        "  (goal <= +10%)"
    )


def _children_cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


if __name__ == "__main__":
    main()
