"""Crawl throughput end to end vs extraction alone, on the same generated pages.

    python bench/crawl_bench.py [--pages 2000]

Serves N generated article pages + a sitemap on 127.0.0.1, crawls them into a fresh SQLite store
with the real crawler (child process, the same path as ``ipwire crawl``, page workers and all),
then times
``extract_article`` alone over the same pages in this process. Prints articles/s of both and the
ratio (goal: crawl ≥ 0.7 × extraction alone: the crawler's own overhead — HTTP, scheduling,
fingerprints, the store — costs less than 30 %).
"""

from __future__ import annotations

import argparse
import compileall
import os
import resource
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # as a script: the repo root

from crawler.extract import extract_article
from crawler.fixture_site import FixtureSite, GeneratedSite
from crawler.fixture_site.generated import article_path
from crawler.spec import CrawlOptions, CrawlSpec, SourceSpec
from ipwire.jobs.crawl import run_crawl
from store import migrate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, default=2000)
    args = parser.parse_args()
    # The crawl starts a new interpreter: time it as installed (pip compiles a package's
    # modules; this sandbox sets PYTHONDONTWRITEBYTECODE, which would recompile ours each time).
    root = Path(__file__).resolve().parents[1]
    for package in ("crawler", "store", "ipwire"):
        compileall.compile_dir(root / package, quiet=1)
    with (
        tempfile.TemporaryDirectory() as tmp,
        FixtureSite(GeneratedSite(args.pages, sitemap_chunk=None)) as site,
    ):
        # Pages are rendered before the clock starts: the loopback server should cost little.
        site.warm(["/sitemap.xml", *(article_path(n) for n in range(args.pages))])
        url = f"sqlite:///{tmp}/bench.db"
        migrate.upgrade(url)
        spec = CrawlSpec(
            database_url=url,
            sources=(
                SourceSpec(
                    name="bench",
                    kind="sitemap",
                    url=site.url("/sitemap.xml"),
                    max_articles=args.pages,
                ),
            ),
            options=CrawlOptions(
                download_delay=0,
                autothrottle=False,
                concurrency_per_domain=16,
                retries=0,
                allow_networks=("127.0.0.0/8",),  # the generated site is on loopback
            ),
        )
        t0 = time.perf_counter()
        cpu0 = _children_cpu_s()
        server_cpu0 = time.process_time()  # this process only serves the site meanwhile
        result = run_crawl(spec)
        crawl_s = time.perf_counter() - t0
        crawl_cpu_s = _children_cpu_s() - cpu0  # the crawl process and its page workers
        server_cpu_s = time.process_time() - server_cpu0
        stored = result.summaries[0]["new"]
        fetched = sum(c for p, c in site.fetch_counts().items() if p.startswith("/a/"))

        pages = [
            urllib.request.urlopen(site.url(article_path(n))).read() for n in range(args.pages)
        ]
        t0 = time.perf_counter()
        cpu0 = time.process_time()
        for n, html in enumerate(pages):
            extract_article(html, site.url(article_path(n)))
        extract_s = time.perf_counter() - t0
        extract_cpu_s = time.process_time() - cpu0

    crawl_rate = stored / crawl_s
    extract_rate = args.pages / extract_s
    print(f"pages: {args.pages}  fetched: {fetched}  stored: {stored}")
    print(f"crawl end to end (child process, with start-up): {crawl_s:7.2f} s {crawl_rate:7.1f}/s")
    print(
        f"extract_article alone (same pages, in process):  {extract_s:7.2f} s {extract_rate:7.1f}/s"
    )
    print(f"ratio crawl / extraction alone: {crawl_rate / extract_rate:.2f}  (goal >= 0.70)")
    # Wall-clock ratios swing with whatever else the machine runs; CPU per article does not
    # (much), and tells where the crawler's own overhead stands.
    print(
        f"CPU per article: crawl {1000 * crawl_cpu_s / max(stored, 1):.1f} ms (all processes, "
        f"with start-up), extraction alone {1000 * extract_cpu_s / args.pages:.1f} ms, "
        f"loopback server {1000 * server_cpu_s / args.pages:.2f} ms; "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}"
    )


def _children_cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


if __name__ == "__main__":
    main()
