"""The static report site: pages, feed, exports and search index, built incrementally."""

from reports.site.build import SiteStats, build
from reports.site.paths import page_path, safe_name

__all__ = ["SiteStats", "build", "page_path", "safe_name"]
