"""Where the fixture site's sources live in the package, where its rendered copy is built, helpers.

Only the hand-written sources ship (``content/`` and ``templates/``, package data). The rendered
site (``www/``, ``manifest.json``, ``truth.json``) is built from them on first use into a cache
folder named after a hash of the sources and of the code that renders them, so an edit to either
rebuilds it and an installed wheel serves the site offline without anything generated in git.
The cache is ``$IPWIRE_FIXTURE_SITE_DIR`` or ``${XDG_CACHE_HOME:-~/.cache}/ipwire/fixture_site``
(a temporary folder when neither is writable).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import threading
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

PACKAGE_DIR = Path(__file__).resolve().parent
#: Hand-written sources: outlets, articles, faults (TOML).
CONTENT_DIR = PACKAGE_DIR / "content"
#: Jinja2 templates, one folder per outlet plus shared feed/sitemap templates.
TEMPLATES_DIR = PACKAGE_DIR / "templates"
#: The code whose output the build is: a change to it rebuilds the site too.
RENDER_CODE = ("build.py", "discovery.py", "model.py")

_build_lock = threading.Lock()


@dataclass(frozen=True)
class BuiltSite:
    """One rendered copy of the site.

    Attributes:
        root: The folder holding the three outputs.
        www: Rendered files (HTML, feeds, sitemaps, robots.txt), by URL path.
        manifest: URL path -> file or fault, with content type and Last-Modified.
        truth: What a perfect crawl and extraction should find (see README.md).
    """

    root: Path

    @property
    def www(self) -> Path:
        return self.root / "www"

    @property
    def manifest(self) -> Path:
        return self.root / "manifest.json"

    @property
    def truth(self) -> Path:
        return self.root / "truth.json"


def sources_digest() -> str:
    """A hash of everything the build reads: content, templates and the rendering code."""
    h = hashlib.sha256()
    files = [
        *sorted(p for d in (CONTENT_DIR, TEMPLATES_DIR) for p in d.rglob("*") if p.is_file()),
        *(PACKAGE_DIR / name for name in RENDER_CODE),
    ]
    for path in files:
        h.update(path.relative_to(PACKAGE_DIR).as_posix().encode() + b"\0")
        h.update(path.read_bytes() + b"\0")
    return h.hexdigest()[:16]


def cache_root() -> Path:
    """The folder that holds rendered copies, one sub-folder per :func:`sources_digest`."""
    env = os.environ.get("IPWIRE_FIXTURE_SITE_DIR")
    if env:
        return Path(env).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".cache"
    return base / "ipwire" / "fixture_site"


@cache
def built_site() -> BuiltSite:
    """The rendered site for the current sources, built on first use (about a second).

    Concurrent builders (test workers, demo subprocesses) each render into a private folder and
    rename it into place; the first rename wins and the others discard their copy.
    """
    digest = sources_digest()
    with _build_lock:
        for root in (cache_root(), Path(tempfile.gettempdir()) / f"ipwire-fixture-{os.getuid()}"):
            target = root / digest
            if (target / "truth.json").is_file():
                return BuiltSite(target)
            try:
                root.mkdir(parents=True, exist_ok=True)
                scratch = Path(tempfile.mkdtemp(prefix=".build-", dir=root))
            except OSError:
                continue  # not writable here: try the next place
            try:
                from crawler.fixture_site.build import build

                build(scratch)
                try:
                    scratch.rename(target)
                except OSError:
                    if not (target / "truth.json").is_file():
                        raise
            finally:
                shutil.rmtree(scratch, ignore_errors=True)
            return BuiltSite(target)
    raise OSError("no writable folder to build the fixture site in (set IPWIRE_FIXTURE_SITE_DIR)")


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
    """The parsed ``truth.json`` (built on first use, cached; treat it as read-only)."""
    data: dict[str, Any] = json.loads(built_site().truth.read_text(encoding="utf-8"))
    return data


@cache
def load_manifest() -> dict[str, dict[str, Any]]:
    """The parsed ``manifest.json`` (built on first use, cached; treat it as read-only)."""
    data: dict[str, dict[str, Any]] = json.loads(built_site().manifest.read_text(encoding="utf-8"))
    return data
