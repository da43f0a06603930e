"""Render the daily briefing: subject, plain text and HTML (CSS inlined) plus the chart PNG."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources

import css_inline
from markupsafe import Markup

from reports.charts import briefing_chart_png
from reports.env import make_env
from store.readmodels import BriefingData

__all__ = ["RenderedBriefing", "render_briefing"]


@dataclass(frozen=True, slots=True)
class RenderedBriefing:
    """A rendered briefing, ready to store or send."""

    subject: str
    text: str
    html: str
    chart_png: bytes | None
    chart_cid: str | None


def _css() -> str:
    return (resources.files("reports") / "templates" / "email" / "briefing.css").read_text("utf-8")


def render_briefing(
    data: BriefingData,
    *,
    date: dt.date,
    tz: zoneinfo.ZoneInfo,
    title: str,
    audience: str,
    site_url: str | None = None,
    incident_url: Callable[[str], str] | None = None,
    chart_cid: str = "chart@ipwire.briefing",
) -> RenderedBriefing:
    """Render the three templates of ``reports/templates/email``.

    Args:
        data: from :func:`store.readmodels.briefing_data`.
        date: the briefing's (local) date.
        tz: timezone the times are shown in.
        title: the site title, used as the briefing's name.
        audience: audience name (footer).
        site_url: public URL of the report site, if any (links to incident pages).
        incident_url: slug → absolute URL of its page ("" when there is no site URL).
        chart_cid: Content-ID of the chart image (without angle brackets).
    """
    env = make_env(tz)
    with_chart = not data.is_empty and bool(data.daily)
    ctx = {
        "b": data,
        "date": date,
        "title": title,
        "audience": audience,
        "site_url": site_url or "",
        "incident_url": incident_url or (lambda slug: ""),
        "chart_cid": chart_cid if with_chart else None,
    }
    subject = env.get_template("email/subject.txt").render(ctx)
    # A header must be one line: collapse whatever the headline carried.
    subject = " ".join(subject.split())[:200]
    text = env.get_template("email/body.txt").render(ctx)
    html = env.get_template("email/body.html").render(ctx, subject=subject, css=Markup(_css()))  # noqa: S704 (our own CSS file)
    inliner = css_inline.CSSInliner(keep_at_rules=True, load_remote_stylesheets=False)
    html = inliner.inline(html)
    png = briefing_chart_png(data.daily) if with_chart else None
    return RenderedBriefing(subject, text, html, png, ctx["chart_cid"])  # type: ignore[arg-type]
