"""Counts over time for the charts, by *publication* date, over the range the data covers.

A reader sees a date axis and reads it as "when this was published", so every chart counts
articles by their publication date (the fetch date only for articles that state none) and says
so. The range is chosen from the data: from the first period that has an article to the last,
capped at the most recent ``max_periods``; a span short enough is shown per day, a longer one per
week (weeks start on Monday). No chart opens with months of empty bars before the data.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from store._sql import chunks
from store.models import Article, Claim
from store.readmodels.types import DayCount

__all__ = ["DATE_BASIS", "Trend", "article_trend", "trend_of_dates"]

#: What the date axis of every chart is (shown next to the chart).
DATE_BASIS = "publication date (fetch date when an article states none)"

#: Up to this many days of data are shown per day; longer spans per week.
MAX_DAILY_SPAN = 62


@dataclass(frozen=True, slots=True)
class Trend:
    """Counts per period, the period (``day`` or ``week``) and what the dates are."""

    period: str
    counts: tuple[DayCount, ...]
    basis: str = DATE_BASIS
    left_out: int = 0  # articles older than the range shown

    @property
    def articles(self) -> int:
        """Articles counted in the range."""
        return sum(c.articles for c in self.counts)


def _week(d: dt.date) -> dt.date:
    return d - dt.timedelta(days=d.weekday())


def trend_of_dates(
    items: Iterable[tuple[dt.date, int]],
    *,
    max_weeks: int = 26,
    max_days: int = MAX_DAILY_SPAN,
    min_days: int = 7,
    period: str | None = None,
) -> Trend:
    """Bucket ``(date, claims)`` pairs (one per article) into days or weeks.

    Args:
        items: one ``(publication date, claims in it)`` pair per article.
        max_weeks: the most weeks shown (the latest ones) when counting per week.
        max_days: spans up to this many days are shown per day.
        min_days: a daily chart shows at least this many days (ending at the last one).
        period: force ``"day"`` or ``"week"`` (default: chosen from the span).
    """
    arts: Counter[dt.date] = Counter()
    claims: Counter[dt.date] = Counter()
    for day, n in items:
        arts[day] += 1
        claims[day] += n
    if not arts:
        return Trend(period or "day", ())
    first, last = min(arts), max(arts)
    chosen = period or ("day" if (last - first).days < max_days else "week")
    if chosen == "day":
        start = max(first, last - dt.timedelta(days=max_days - 1))
        start = min(start, last - dt.timedelta(days=min_days - 1))
        days = [start + dt.timedelta(days=k) for k in range((last - start).days + 1)]
        counts = tuple(DayCount(d, arts[d], claims[d]) for d in days)
        left = sum(n for d, n in arts.items() if d < start)
        return Trend("day", counts, left_out=left)
    w_arts: Counter[dt.date] = Counter()
    w_claims: Counter[dt.date] = Counter()
    for d, n in arts.items():
        w_arts[_week(d)] += n
        w_claims[_week(d)] += claims[d]
    last_w = _week(last)
    start_w = max(_week(first), last_w - dt.timedelta(weeks=max_weeks - 1))
    weeks = [start_w + dt.timedelta(weeks=k) for k in range((last_w - start_w).days // 7 + 1)]
    left = sum(n for w, n in w_arts.items() if w < start_w)
    return Trend("week", tuple(DayCount(w, w_arts[w], w_claims[w]) for w in weeks), left_out=left)


def _local_date(value: dt.datetime | str, tz: zoneinfo.ZoneInfo | None) -> dt.date:
    if isinstance(value, str):  # SQLite returns coalesce() of two timestamps as text
        value = dt.datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(tz or dt.UTC).date()


def article_trend(
    session: Session,
    *,
    article_ids: Iterable[int] | None = None,
    tz: zoneinfo.ZoneInfo | None = None,
    max_weeks: int = 26,
    max_days: int = MAX_DAILY_SPAN,
    period: str | None = None,
) -> Trend:
    """Articles and their claims by publication date (all articles, or those with ``article_ids``).

    Dates are local days in ``tz`` (UTC by default), computed in Python so SQLite and PostgreSQL
    agree exactly. ``max_weeks``, ``max_days`` and ``period`` are those of
    :func:`trend_of_dates`.
    """
    n_claims = (
        sa.select(sa.func.count(Claim.id)).where(Claim.article_id == Article.id).scalar_subquery()
    )
    stmt = sa.select(Article.published_at, Article.fetched_at, n_claims)
    rows: list[Any] = []
    if article_ids is None:
        rows.extend(session.execute(stmt))
    else:
        for part in chunks(sorted(set(article_ids))):
            rows.extend(session.execute(stmt.where(Article.id.in_(part))))
    items = [(_local_date(pub or fetched, tz), int(n or 0)) for pub, fetched, n in rows]
    return trend_of_dates(items, max_weeks=max_weeks, max_days=max_days, period=period)
