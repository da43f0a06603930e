"""Where the fixture site's files live inside the installed package, and small shared helpers."""

from __future__ import annotations

import json
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

PACKAGE_DIR = Path(__file__).resolve().parent
#: Hand-written sources: outlets, articles, faults (TOML).
CONTENT_DIR = PACKAGE_DIR / "content"
#: Jinja2 templates, one folder per outlet plus shared feed/sitemap templates.
TEMPLATES_DIR = PACKAGE_DIR / "templates"
#: Rendered site, committed so an installed package serves it without building.
WWW_DIR = PACKAGE_DIR / "www"
#: URL path -> file or fault, with content type and Last-Modified.
MANIFEST_PATH = PACKAGE_DIR / "manifest.json"
#: What a perfect crawl and extraction should find (see README.md).
TRUTH_PATH = PACKAGE_DIR / "truth.json"


def parse_iso(value: str) -> datetime:
    """Parse an ISO 8601 timestamp that carries a UTC offset.

    Raises:
        ValueError: If the value is not ISO 8601 or has no offset.
    """
    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        raise ValueError(f"timestamp without a UTC offset: {value!r}")
    return parsed


@cache
def load_truth() -> dict[str, Any]:
    """The parsed ``truth.json`` (cached; treat it as read-only)."""
    data: dict[str, Any] = json.loads(TRUTH_PATH.read_text(encoding="utf-8"))
    return data
