"""The crawl stage: settings → crawl spec → a child process running Scrapy → run summaries.

Twisted's reactor cannot be restarted, so each crawl runs in a fresh ``python -m crawler.run``
process. A crawl that dies (killed, out of memory) loses nothing: every stored article is a
committed row, and the next run skips it.
"""

from __future__ import annotations

import json
import logging
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from crawler.spec import CrawlOptions, CrawlSpec, SourceSpec
from ipwire.config import Settings, SourceSettings

log = logging.getLogger(__name__)


class CrawlFailed(RuntimeError):
    """The crawl process failed as a whole (not a single page: those are counted)."""


#: What ``ipwire crawl`` and the crawl stage of ``ipwire run`` both say when there is nothing to
#: crawl: a crawl of no sources could not do its job, and is not "ok".
NO_SOURCES = "no sources configured: add [[sources]] to ipwire.toml (or enable one)"

#: The per-source figures that add up over sources (the rest are per-source facts).
TOTAL_KEYS = (
    "pages_fetched",
    "new",
    "duplicate",
    "near_duplicate",
    "not_modified",
    "already_stored",
    "robots_skipped",
    "skipped",
    "failed",
)


@dataclass(frozen=True)
class CrawlResult:
    summaries: list[dict[str, Any]]
    returncode: int


def source_spec(src: SourceSettings) -> SourceSpec:
    return SourceSpec(
        name=src.name,
        kind=src.kind,
        url=src.url,
        urls=tuple(src.urls),
        allowed_domains=tuple(src.allowed_domains),
        link_selector=src.link_selector,
        next_selector=src.next_selector,
        max_pages=src.max_pages,
        keywords=tuple(src.keywords),
        max_articles=src.max_articles,
        download_delay=src.download_delay,
        concurrency=src.concurrency,
        allow_networks=tuple(src.allow_networks),
        provider=src.provider,
        query=src.query,
        languages=tuple(src.languages),
        countries=tuple(src.countries),
        domains=tuple(src.domains),
        lookback_hours=src.lookback_hours,
        slice_hours=src.slice_hours,
        api_url=src.api_url,
        api_interval_s=src.api_interval_s,
    )


def crawl_spec(
    settings: Settings, names: list[str] | None = None, *, distributed: bool | None = None
) -> CrawlSpec:
    """The spec for the enabled sources (or exactly ``names``).

    Args:
        settings: the loaded settings.
        names: crawl exactly these sources (default: every enabled one).
        distributed: share the frontier in Redis (``[crawl] redis_url``) with every other
            crawler process; ``None`` means what ``[crawl] distributed`` says.
    """
    known = {s.name: s for s in settings.sources}
    if names:
        unknown = [n for n in names if n not in known]
        if unknown:
            configured = ", ".join(known) or "none"
            raise CrawlFailed(f"unknown source(s): {', '.join(unknown)} (configured: {configured})")
        chosen = [known[n] for n in names]
    else:
        chosen = [s for s in settings.sources if s.enabled]
    c = settings.crawl
    options = CrawlOptions(
        user_agent=c.user_agent,
        obey_robots=c.obey_robots,
        download_delay=c.download_delay,
        concurrency_per_domain=c.concurrency_per_domain,
        autothrottle=c.autothrottle,
        timeout_s=c.timeout_s,
        max_page_bytes=c.max_page_bytes,
        retries=c.retries,
        distributed=c.distributed if distributed is None else distributed,
        redis_url=c.redis_url,
        allow_private_networks=c.allow_private_networks,
        allow_networks=tuple(c.allow_networks),
        allow_ports=tuple(c.allow_ports),
    )
    return CrawlSpec(
        database_url=settings.database_url,
        sources=tuple(source_spec(s) for s in chosen),
        options=options,
    )


def run_crawl(spec: CrawlSpec, *, timeout_s: float | None = None) -> CrawlResult:
    """Run the crawl in a child process and return the per-source summaries."""
    if not spec.sources:
        return CrawlResult([], 0)
    with tempfile.TemporaryDirectory(prefix="ipwire-crawl-") as tmp:
        spec_path = Path(tmp) / "spec.json"
        out_path = Path(tmp) / "result.json"
        spec_path.write_text(spec.to_json(), encoding="utf-8")
        cmd = [sys.executable, "-m", "crawler.run", str(spec_path), "--out", str(out_path)]
        log.info("crawling %d source(s) in a child process", len(spec.sources))
        try:
            proc = subprocess.run(
                cmd, timeout=timeout_s, check=False, capture_output=True, text=True
            )
        except subprocess.TimeoutExpired as e:
            raise CrawlFailed(f"crawl did not finish within {timeout_s:.0f}s") from e
        if proc.returncode != 0 or not out_path.exists():
            tail = (proc.stderr or "").strip().splitlines()[-15:]
            raise CrawlFailed(f"crawl process exited with {proc.returncode}:\n" + "\n".join(tail))
        summaries = json.loads(out_path.read_text(encoding="utf-8"))
        missing = {s.name for s in spec.sources} - {s["source"] for s in summaries}
        if missing:
            tail = (proc.stderr or "").strip().splitlines()[-15:]
            raise CrawlFailed(
                f"no run finished for source(s) {', '.join(sorted(missing))}:\n" + "\n".join(tail)
            )
        return CrawlResult(summaries, proc.returncode)


def require_sources(spec: CrawlSpec) -> None:
    """Raise :class:`CrawlFailed` (:data:`NO_SOURCES`) when the spec has nothing to crawl."""
    if not spec.sources:
        raise CrawlFailed(NO_SOURCES)


def crawl_totals(summaries: list[dict[str, Any]]) -> dict[str, Any]:
    """The figures of every source added up, with failures and skips by reason."""
    totals: dict[str, Any] = {"sources": len(summaries)}
    for key in TOTAL_KEYS:
        totals[key] = sum(int(s.get(key, 0) or 0) for s in summaries)
    for key in ("failed_by_reason", "skipped_by_reason"):
        merged: dict[str, int] = {}
        for s in summaries:
            for reason, n in dict(s.get(key) or {}).items():
                merged[str(reason)] = merged.get(str(reason), 0) + int(n)
        totals[key] = dict(sorted(merged.items()))
    totals["sources_failed"] = sum(1 for s in summaries if s.get("outcome") == "failed")
    return totals


def check_crawl(result: CrawlResult) -> None:
    """Raise :class:`CrawlFailed` when every source failed: the crawl got nothing at all."""
    failed = [str(s["source"]) for s in result.summaries if s.get("outcome") == "failed"]
    if result.summaries and len(failed) == len(result.summaries):
        raise CrawlFailed(f"every source failed: {', '.join(failed)}")
