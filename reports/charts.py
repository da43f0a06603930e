"""Charts: a PNG for the email (matplotlib, Agg) and geometry for inline SVG on the site.

The site's SVG is drawn by a template from numbers computed here, so no scraped text ever
reaches the SVG, and the page needs no script to show it. Every chart has labelled axes, date
ticks, its unit and date basis in the title, and a table of the same numbers next to it.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass

from store.readmodels import DayCount

__all__ = ["Bar", "BarChart", "Tick", "bar_chart", "briefing_chart_png", "nice_ticks"]


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
class Tick:
    """An axis tick: its position (x for the date axis, y for the count axis) and label."""

    at: float
    label: str


@dataclass(frozen=True, slots=True)
class BarChart:
    """Bars plus an overlaid line (points), scaled into ``width`` × ``height``.

    The plot area is ``left``..``right`` × ``top``..``bottom``; the margins hold the ticks and
    the axis titles.
    """

    width: int
    height: int
    bars: tuple[Bar, ...]
    line: str  # SVG polyline points of the second series
    max_value: int
    first_label: str
    last_label: str
    left: float
    right: float
    top: float
    bottom: float
    x_ticks: tuple[Tick, ...]
    y_ticks: tuple[Tick, ...]
    x_title: str
    y_title: str


def nice_ticks(top: int, most: int = 5) -> list[int]:
    """Round tick values from 0 to at least ``top``: steps of 1, 2 or 5 times a power of ten."""
    top = max(top, 1)
    raw = top / max(most - 1, 1)
    mag = 10 ** math.floor(math.log10(raw)) if raw >= 1 else 1
    step = next(m * mag for m in (1, 2, 5, 10) if m * mag >= raw)
    step = max(int(step), 1)
    return list(range(0, math.ceil(top / step) * step + 1, step))


def _day_label(d: dt.date) -> str:
    return f"{d.day} {d.strftime('%b')}"


def bar_chart(
    counts: Sequence[DayCount],
    *,
    period: str = "week",
    width: int = 640,
    height: int = 240,
    x_title: str | None = None,
    y_title: str = "count",
    max_x_ticks: int = 6,
) -> BarChart:
    """Geometry of articles (bars) and claims (line) per period, with axes and ticks.

    Args:
        counts: one entry per period, oldest first.
        period: ``"day"`` or ``"week"`` (the x-axis title says which).
        width: SVG width in user units.
        height: SVG height in user units.
        x_title: x-axis title (default: the period and that dates are publication dates).
        y_title: y-axis title (the unit).
        max_x_ticks: the most date labels on the x axis.
    """
    left, right, top_m, bottom_m = 48.0, 12.0, 12.0, 52.0
    plot_w = width - left - right
    plot_h = height - top_m - bottom_m
    peak = max([c.articles for c in counts] + [c.claims for c in counts] + [1])
    ticks = nice_ticks(peak)
    scale_top = ticks[-1]
    n = max(len(counts), 1)
    slot = plot_w / n
    base = top_m + plot_h
    bars = []
    points = []
    for i, c in enumerate(counts):
        h = plot_h * c.articles / scale_top
        x = left + i * slot
        bars.append(
            Bar(
                round(x + slot * 0.1, 1),
                round(base - h, 1),
                round(slot * 0.8, 1),
                round(h, 1),
                c.articles,
                c.day.isoformat(),
            )
        )
        points.append(f"{x + slot / 2:.1f},{base - plot_h * c.claims / scale_top:.1f}")
    every = max(1, math.ceil(len(counts) / max_x_ticks))
    x_ticks = tuple(
        Tick(round(left + i * slot + slot / 2, 1), _day_label(c.day))
        for i, c in enumerate(counts)
        if i % every == 0
    )
    y_ticks = tuple(Tick(round(base - plot_h * v / scale_top, 1), str(v)) for v in ticks)
    default_x = (
        "publication date (per day)" if period == "day" else "week starting (publication date)"
    )
    return BarChart(
        width=width,
        height=height,
        bars=tuple(bars),
        line=" ".join(points),
        max_value=peak,
        first_label=counts[0].day.isoformat() if counts else "",
        last_label=counts[-1].day.isoformat() if counts else "",
        left=left,
        right=width - right,
        top=top_m,
        bottom=base,
        x_ticks=x_ticks,
        y_ticks=y_ticks,
        x_title=x_title or default_x,
        y_title=y_title,
    )


def briefing_chart_png(counts: Sequence[DayCount], *, title: str | None = None) -> bytes:
    """A 600×260 px PNG: articles per publication day (bars) and their claims (line)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    fig = Figure(figsize=(6.0, 2.6), dpi=100)
    ax = fig.add_subplot()
    xs = list(range(len(counts)))
    ax.bar(xs, [c.articles for c in counts], color="#3b6ea5", label="articles")
    ax.plot(xs, [c.claims for c in counts], color="#c2410c", marker="o", lw=2, label="claims")
    every = max(1, math.ceil(len(counts) / 10))
    ax.set_xticks(
        xs[::every], [_day_label(c.day) for c in counts][::every]
    )  # at most ten date labels
    ax.set_title(title or "Articles of this briefing and their claims, per day", fontsize=9)
    ax.set_xlabel("publication date (fetch date when none is stated)", fontsize=8)
    ax.set_ylabel("count", fontsize=8)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.tick_params(axis="x", labelsize=7, rotation=45)
    ax.tick_params(axis="y", labelsize=7)
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(fontsize=7, frameon=False, loc="upper left")
    fig.tight_layout()
    buf = io.BytesIO()
    # No timestamps or software tags: the same data gives the same bytes.
    fig.savefig(buf, format="png", metadata={"Software": None})
    return buf.getvalue()
