"""The Jinja2 environment every report renders with, and the filters that keep it safe.

Scraped text is hostile. Three rules hold for every template:

* autoescape is on for HTML, XML and Atom templates (and for templates from strings); only the
  plain-text email templates (``.txt``) are rendered unescaped, because escaping a ``text/plain``
  part would only garble it: nothing interprets markup there;
* every value printed passes :func:`clean_text` (``finalize``): bidirectional overrides and
  invisible characters used to disguise text (RLO, zero-width spaces, BOM) are removed;
* scraped URLs are printed only through :func:`http_url`, which returns ``""`` for anything but
  an absolute ``http``/``https`` URL (``javascript:``, ``data:``, ``vbscript:`` … never survive).

Undefined variables raise (``StrictUndefined``), in tests and in production alike.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import zoneinfo
from typing import Any
from urllib.parse import quote, urlsplit

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

__all__ = ["clean_text", "http_url", "make_env"]

# Bidi embeddings/overrides/isolates, zero-width space, word joiner, BOM and other format
# characters that only serve to disguise text. ZWJ/ZWNJ (U+200C/U+200D) stay: scripts and emoji
# need them.
_STRIP = re.compile(
    "[\u202a-\u202e\u2066-\u2069\u200b\u200e\u200f\u2060-\u2064\ufeff\u00ad"
    "\x00-\x08\x0b\x0c\x0e-\x1f\x7f]"
)
_URL_SAFE = "!#$%&()*+,-./:;=?@[]_~"  # RFC 3986 reserved and unreserved, minus the quote
_URL_JUNK = re.compile(r"[\x00-\x1f\x7f\u00a0\u1680\u2000-\u200f\u2028-\u202f\u205f-\u206f\ufeff]")


def clean_text(value: Any) -> Any:
    """Strip disguising and control characters from a string (Markup stays Markup)."""
    if not isinstance(value, str) or _STRIP.search(value) is None:
        return value  # the common case: nothing to strip, no copy
    if isinstance(value, Markup):
        # Removing characters from markup cannot create a tag: only controls are removed.
        return Markup(_STRIP.sub("", str(value)))  # noqa: S704
    return _STRIP.sub("", value)


def http_url(value: Any) -> str:
    """``value`` when it is an absolute http(s) URL with a host, else ``""``.

    Browsers ignore tabs, newlines and leading spaces inside a scheme (``java\\tscript:``), so
    the check runs on the URL with those removed, and the cleaned URL is what is returned.
    """
    if not isinstance(value, str):
        return ""
    return _http_url(value)


@functools.lru_cache(maxsize=1 << 16)  # the same article URLs appear on many pages
def _http_url(value: str) -> str:
    url = _URL_JUNK.sub("", value).strip(" ")
    if len(url) > 4000:
        return ""
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return ""
    # Characters that have no business in a URL are percent-encoded (quotes, brackets, spaces,
    # backticks, non-ASCII), so the URL stays inert even where a later tool re-serialises the
    # HTML without entities (css-inline writes attribute values back with a raw "<").
    return quote(url, safe=_URL_SAFE)


def _fmt_dt(tz: zoneinfo.ZoneInfo) -> Any:
    def fmt(value: dt.datetime | None, pattern: str = "%Y-%m-%d %H:%M") -> str:
        if value is None:
            return ""
        return value.astimezone(tz).strftime(pattern)

    return fmt


def _fmt_date(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = value.date()
    return value.isoformat()


def _label(value: str | None) -> str:
    """``copyright_infringement`` → ``copyright infringement``."""
    return (value or "").replace("_", " ")


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else (plural or word + 's')}"


def _truncate(value: str | None, length: int = 240) -> str:
    value = value or ""
    return value if len(value) <= length else value[: length - 1].rstrip() + "…"


def make_env(tz: zoneinfo.ZoneInfo | None = None) -> Environment:
    """The report environment: package templates, autoescape, strict undefined, safe filters."""
    env = Environment(
        loader=PackageLoader("reports", "templates"),
        autoescape=select_autoescape(
            enabled_extensions=("html", "xml", "atom", "svg"),
            disabled_extensions=("txt",),
            default_for_string=True,
            default=True,
        ),
        undefined=StrictUndefined,
        finalize=clean_text,
        # Templates ship with the package: no per-render file-system checks.
        auto_reload=False,
        cache_size=-1,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    zone = tz or zoneinfo.ZoneInfo("UTC")
    env.filters.update(
        http_url=http_url,
        clean=clean_text,
        localdt=_fmt_dt(zone),
        isodate=_fmt_date,
        label=_label,
        plural=_plural,
        truncate_text=_truncate,
    )
    env.globals["tzname"] = str(zone)
    return env
