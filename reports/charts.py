"""Charts: a PNG for the email (matplotlib, Agg) and bar geometry for inline SVG on the site.

The site's SVG is drawn by a template from numbers computed here, so no scraped text ever
reaches the SVG, and the page needs no script to show it.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from store.reporting import DayCount

__all__ = ["Bar", "BarChart", "bar_chart", "briefing_chart_png"]


@dataclass(frozen=True, slots=True)
class Bar:
    """One bar: position and size in SVG units, the value and its label."""

    x: float
    y: float
    width: float
    height: float
    value: int
    label: str


@dataclass(frozen=True, slots=True)
class BarChart:
    """Bars plus an overlaid line (points), scaled into ``width`` × ``height``."""

    width: int
    height: int
    bars: tuple[Bar, ...]
    line: str  # SVG polyline points of the second series
    max_value: int
    first_label: str
    last_label: str


def bar_chart(
    counts: Sequence[DayCount], *, width: int = 640, height: int = 160, pad: int = 4
) -> BarChart:
    """Geometry of articles (bars) and claims (line) per period."""
    n = max(len(counts), 1)
    top = max([c.articles for c in counts] + [c.claims for c in counts] + [1])
    slot = (width - 2 * pad) / n
    inner = height - 2 * pad
    bars = []
    points = []
    for i, c in enumerate(counts):
        h = inner * c.articles / top
        x = pad + i * slot
        bars.append(
            Bar(
                round(x + slot * 0.1, 1),
                round(pad + inner - h, 1),
                round(slot * 0.8, 1),
                round(h, 1),
                c.articles,
                c.day.isoformat(),
            )
        )
        points.append(f"{x + slot / 2:.1f},{pad + inner - inner * c.claims / top:.1f}")
    return BarChart(
        width=width,
        height=height,
        bars=tuple(bars),
        line=" ".join(points),
        max_value=top,
        first_label=counts[0].day.isoformat() if counts else "",
        last_label=counts[-1].day.isoformat() if counts else "",
    )


def briefing_chart_png(counts: Sequence[DayCount]) -> bytes:
    """A 600×220 px PNG: articles per day (bars) and claims per day (line)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    fig = Figure(figsize=(6.0, 2.2), dpi=100)
    ax = fig.add_subplot()
    xs = list(range(len(counts)))
    ax.bar(xs, [c.articles for c in counts], color="#3b6ea5", label="articles")
    ax.plot(xs, [c.claims for c in counts], color="#c2410c", marker="o", lw=2, label="claims")
    ax.set_xticks(xs, [c.day.strftime("%d %b") for c in counts])
    ax.set_title("Articles and claims per day, last 14 days", fontsize=9)
    ax.tick_params(axis="x", labelsize=7, rotation=45)
    ax.tick_params(axis="y", labelsize=7)
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(fontsize=7, frameon=False, loc="upper left")
    fig.tight_layout()
    buf = io.BytesIO()
    # No timestamps or software tags: the same data gives the same bytes.
    fig.savefig(buf, format="png", metadata={"Software": None})
    return buf.getvalue()
