"""What a crawl is told to do: plain data, so that ``crawler/`` never depends on ``ipwire``.

``ipwire`` turns its settings into a :class:`CrawlSpec`, writes it as JSON and runs
``python -m crawler.run SPEC.json`` in a child process (Twisted's reactor cannot restart, so every
crawl gets a fresh process).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any


def _tuples(raw: dict[str, Any]) -> dict[str, Any]:
    """JSON arrays back to the tuples the frozen dataclasses hold."""
    return {k: tuple(v) if isinstance(v, list) else v for k, v in raw.items()}


@dataclass(frozen=True)
class SourceSpec:
    """One configured source (mirrors ``[[sources]]`` in ``ipwire.toml``)."""

    name: str
    kind: str
    url: str | None = None
    urls: tuple[str, ...] = ()
    allowed_domains: tuple[str, ...] = ()
    link_selector: str | None = None
    next_selector: str | None = None
    max_pages: int = 5
    keywords: tuple[str, ...] = ()
    max_articles: int = 200
    download_delay: float | None = None
    concurrency: int | None = None
    allow_networks: tuple[str, ...] = ()  # non-global networks this source may reach (CIDR)
    # kind = "search" only (see crawler/spiders/search.py)
    provider: str = "gdelt"
    query: str | None = None
    languages: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()
    lookback_hours: float = 24.0
    slice_hours: float = 24.0
    api_url: str | None = None
    api_interval_s: float = 5.0
    since: str | None = None  # ISO 8601; set: a backfill of [since, until)
    until: str | None = None  # ISO 8601; unset: now less the API's indexing lag


@dataclass(frozen=True)
class CrawlOptions:
    """Politeness and robustness settings shared by every source of one crawl."""

    user_agent: str = "ipwire/0.1 (news monitoring)"
    obey_robots: bool = True
    download_delay: float = 1.0
    concurrency_per_domain: int = 2
    autothrottle: bool = True
    timeout_s: float = 30.0
    max_page_bytes: int = 10 * 1024 * 1024
    retries: int = 3
    max_retry_after_s: float = 60.0
    distributed: bool = False
    redis_url: str = "redis://127.0.0.1:6379/0"
    near_dup_max_distance: int = 3
    # SSRF guard (crawler.netguard): non-global addresses are refused unless opted in here.
    allow_private_networks: bool = False
    allow_networks: tuple[str, ...] = ()
    allow_ports: tuple[int, ...] = ()


@dataclass(frozen=True)
class CrawlSpec:
    """A whole crawl: where to store, which sources, how politely."""

    database_url: str
    sources: tuple[SourceSpec, ...]
    options: CrawlOptions = field(default_factory=CrawlOptions)

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2)

    @classmethod
    def from_json(cls, text: str) -> CrawlSpec:
        raw: dict[str, Any] = json.loads(text)
        sources = tuple(SourceSpec(**_tuples(s)) for s in raw["sources"])
        return cls(
            database_url=raw["database_url"],
            sources=sources,
            options=CrawlOptions(**_tuples(raw.get("options", {}))),
        )

    @classmethod
    def load(cls, path: Path) -> CrawlSpec:
        return cls.from_json(path.read_text(encoding="utf-8"))
