"""Fixture news sites on loopback: the bundled fictional outlets, or N generated articles.

The bundled site's sources are package data, and it is rendered on first use into a cache, so
``ipwire demo`` and the crawler tests can serve it offline::

    from crawler.fixture_site import FixtureSite, GeneratedSite, load_truth

    with FixtureSite() as site:          # 127.0.0.1, a free port
        feed_url = site.url("/herald/feed.xml")
    with FixtureSite(GeneratedSite(2000)) as site:
        sitemap_url = site.url("/sitemap.xml")

See ``README.md`` in this folder for the layout and ``load_truth()`` for what a crawl should find.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from crawler.fixture_site.paths import built_site, load_manifest, load_truth

if TYPE_CHECKING:
    from crawler.fixture_site.generated import GeneratedSite
    from crawler.fixture_site.server import AccessLogEntry, BundledSite, FixtureSite

__all__ = [
    "AccessLogEntry",
    "BundledSite",
    "FixtureSite",
    "GeneratedSite",
    "built_site",
    "load_manifest",
    "load_truth",
]


def __getattr__(name: str) -> Any:
    # Imported lazily so ``python -m crawler.fixture_site.server`` does not import the module twice.
    if name in {"FixtureSite", "AccessLogEntry", "BundledSite"}:
        from crawler.fixture_site import server

        return getattr(server, name)
    if name == "GeneratedSite":
        from crawler.fixture_site import generated

        return generated.GeneratedSite
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
