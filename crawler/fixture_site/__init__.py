"""The bundled fixture news site: fictional outlets, articles, feeds and fault endpoints.

It is package data so ``ipwire demo`` and the crawler tests can serve it offline::

    from crawler.fixture_site import FixtureSite, load_truth

    with FixtureSite() as site:          # 127.0.0.1, a free port
        feed_url = site.url("/herald/feed.xml")

See ``README.md`` in this folder for the layout and ``truth.json`` for what a crawl should find.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from crawler.fixture_site.paths import TRUTH_PATH, load_truth

if TYPE_CHECKING:
    from crawler.fixture_site.server import AccessLogEntry, FixtureSite

__all__ = ["TRUTH_PATH", "AccessLogEntry", "FixtureSite", "load_truth"]


def __getattr__(name: str) -> Any:
    # Imported lazily so ``python -m crawler.fixture_site.server`` does not import the module twice.
    if name in {"FixtureSite", "AccessLogEntry"}:
        from crawler.fixture_site import server

        return getattr(server, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
