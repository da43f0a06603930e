"""Start crawler processes against the generated site (shared by the scale tests and benches)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from crawler.spec import CrawlOptions, CrawlSpec, SourceSpec


def scale_spec(base: str, db_url: str, redis_url: str, *, distributed: bool = True) -> CrawlSpec:
    """Two sources over the same articles: the sitemap index and the paginated listing."""
    sources = (
        SourceSpec(
            name="gen-sitemap", kind="sitemap", url=f"{base}/sitemap.xml", max_articles=10**6
        ),
        SourceSpec(
            name="gen-listing",
            kind="listing",
            url=f"{base}/list/0",
            link_selector="a.story",
            next_selector="a.next",
            max_pages=10**4,
            max_articles=10**6,
        ),
    )
    options = CrawlOptions(
        download_delay=0.0,
        autothrottle=False,
        concurrency_per_domain=16,
        timeout_s=20,
        retries=1,
        distributed=distributed,
        redis_url=redis_url,
        allow_networks=("127.0.0.0/8",),  # the generated site is on loopback
    )
    return CrawlSpec(database_url=db_url, sources=sources, options=options)


def start_crawlers(spec: CrawlSpec, n: int, workdir: Path) -> list[subprocess.Popen[bytes]]:
    """``n`` concurrent ``python -m crawler.run`` processes on one spec."""
    spec_path = workdir / "spec.json"
    spec_path.write_text(spec.to_json(), encoding="utf-8")
    procs = []
    for i in range(n):
        out = workdir / f"result-{i}.json"
        log = (workdir / f"crawler-{i}.log").open("wb")
        procs.append(
            subprocess.Popen(
                [sys.executable, "-m", "crawler.run", str(spec_path), "--out", str(out)],
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        )
    return procs


def results(workdir: Path, n: int) -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    for i in range(n):
        out.extend(json.loads((workdir / f"result-{i}.json").read_text(encoding="utf-8")))
    return out
