"""Where each page lives in the output folder.

Every page is a file with an explicit ``.html`` name and every link is relative, so the site
works from ``file://`` (no directory index there) and from any static host under any prefix.
Names are derived from slugs and ids, which come from scraped text: anything outside
``[a-z0-9_-]`` is replaced and a short hash keeps altered names unique.
"""

from __future__ import annotations

import functools
import hashlib
import re

__all__ = ["page_path", "safe_name"]

_UNSAFE = re.compile(r"[^a-z0-9_-]+")


def safe_name(value: str) -> str:
    """A file-name-safe, collision-free version of ``value`` (never empty, never dotted)."""
    name = _UNSAFE.sub("-", value.lower()).strip("-_")[:80]
    if name != value or not name:
        digest = hashlib.blake2b(value.encode("utf-8", "surrogatepass"), digest_size=4).hexdigest()
        name = f"{name}-{digest}" if name else digest
    return name


_DIRS = {
    "incident": "incidents",
    "entity": "entities",
    "claim_type": "claims",
    "briefing": "briefings",
}


@functools.lru_cache(maxsize=1 << 16)  # every page links to many others
def page_path(kind: str, key: str) -> str:
    """Path of a page relative to the site root, e.g. ``incidents/acme-distillation.html``."""
    return f"{_DIRS[kind]}/{safe_name(key)}.html"
