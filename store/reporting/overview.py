"""Store-wide read models: totals, trends, claim types, crawl health, briefings, aliases."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections import Counter, defaultdict
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from store.models import (
    Article,
    Briefing,
    Claim,
    CrawlRun,
    Entity,
    Incident,
    IncidentAlias,
    IncidentArticle,
    Mention,
    Quote,
    Source,
)
from store.reporting.common import claims_for
from store.reporting.types import (
    BriefingView,
    ClaimTypeCount,
    ClaimView,
    CrawlRunView,
    DayCount,
    SourceHealth,
    Totals,
)

__all__ = [
    "briefing_archive",
    "claim_type_counts",
    "claims_of_type",
    "crawl_health",
    "daily_counts",
    "incident_aliases",
    "totals",
    "weekly_counts",
]

_DATE = sa.func.coalesce(Article.published_at, Article.fetched_at)


def _count(session: Session, stmt: sa.Select[Any]) -> int:
    return int(session.scalar(stmt) or 0)


def totals(session: Session) -> Totals:
    """Counters for the home page and the briefing's footer."""
    mentioned = sa.select(Mention.entity_id).distinct().subquery()
    return Totals(
        articles=_count(session, sa.select(sa.func.count(Article.id))),
        relevant_articles=_count(
            session, sa.select(sa.func.count(Article.id)).where(Article.is_relevant.is_(True))
        ),
        claims=_count(session, sa.select(sa.func.count(Claim.id))),
        quotes=_count(session, sa.select(sa.func.count(Quote.id))),
        incidents=_count(session, sa.select(sa.func.count(Incident.id))),
        open_incidents=_count(
            session, sa.select(sa.func.count(Incident.id)).where(Incident.status == "open")
        ),
        entities=_count(session, sa.select(sa.func.count()).select_from(mentioned)),
        sources=_count(session, sa.select(sa.func.count(Source.id))),
    )


def daily_counts(
    session: Session, start: dt.datetime, end: dt.datetime, tz: zoneinfo.ZoneInfo
) -> list[DayCount]:
    """Articles fetched and claims found in them per local day in ``[start, end)``.

    Days are counted in ``tz`` in Python, so SQLite and PostgreSQL agree exactly.
    """
    arts: Counter[dt.date] = Counter()
    claims: Counter[dt.date] = Counter()
    n_claims = (
        sa.select(sa.func.count(Claim.id)).where(Claim.article_id == Article.id).scalar_subquery()
    )
    rows = session.execute(
        sa.select(Article.fetched_at, n_claims).where(
            Article.fetched_at >= start, Article.fetched_at < end
        )
    )
    for fetched, n in rows:
        day = fetched.astimezone(tz).date()
        arts[day] += 1
        claims[day] += int(n or 0)
    first, last = (
        start.astimezone(tz).date(),
        (end - dt.timedelta(microseconds=1)).astimezone(tz).date(),
    )
    days = [first + dt.timedelta(days=k) for k in range((last - first).days + 1)]
    return [DayCount(d, arts[d], claims[d]) for d in days]


def weekly_counts(session: Session, weeks: int = 26) -> list[DayCount]:
    """Articles and claims per ISO week (by publication date), the ``weeks`` up to the latest."""
    arts: Counter[dt.date] = Counter()
    claims: Counter[dt.date] = Counter()
    n_claims = (
        sa.select(sa.func.count(Claim.id)).where(Claim.article_id == Article.id).scalar_subquery()
    )
    latest = session.scalar(sa.select(sa.func.max(_DATE)))
    if latest is None:
        return []
    if isinstance(latest, str):  # SQLite returns coalesce() of two timestamps as text
        latest = dt.datetime.fromisoformat(latest)
    last_week = latest.date() - dt.timedelta(days=latest.weekday())
    first_week = last_week - dt.timedelta(weeks=weeks - 1)
    since = dt.datetime.combine(first_week, dt.time(), dt.UTC)
    rows = session.execute(
        sa.select(Article.published_at, Article.fetched_at, n_claims).where(
            sa.or_(
                Article.published_at >= since,
                sa.and_(Article.published_at.is_(None), Article.fetched_at >= since),
            )
        )
    )
    for published, fetched, n in rows:
        d = (published or fetched).date()
        w = d - dt.timedelta(days=d.weekday())
        arts[w] += 1
        claims[w] += int(n or 0)
    return [
        DayCount(first_week + dt.timedelta(weeks=k), arts[w], claims[w])
        for k in range(weeks)
        for w in [first_week + dt.timedelta(weeks=k)]
    ]


def claim_type_counts(session: Session) -> list[ClaimTypeCount]:
    """Every claim type seen: claims, incidents and the split by stance."""
    by_stance: dict[str, Counter[str]] = defaultdict(Counter)
    for type_, stance, n in session.execute(
        sa.select(Claim.type, Claim.stance, sa.func.count()).group_by(Claim.type, Claim.stance)
    ):
        by_stance[type_][stance] = n
    incidents: Counter[str] = Counter()
    for type_, n in session.execute(
        sa.select(Claim.type, sa.func.count(sa.distinct(IncidentArticle.incident_id)))
        .join(IncidentArticle, IncidentArticle.article_id == Claim.article_id)
        .group_by(Claim.type)
    ):
        incidents[type_] = n
    out = [
        ClaimTypeCount(
            type=t,
            claims=sum(c.values()),
            incidents=incidents[t],
            by_stance=tuple(sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))),
        )
        for t, c in by_stance.items()
    ]
    out.sort(key=lambda c: (-c.claims, c.type))
    return out


def claims_of_type(session: Session, type_: str, limit: int = 200) -> list[ClaimView]:
    """The latest claims of one type."""
    return claims_for(session, Claim.type == type_, limit=limit)


def latest_claims(session: Session, limit: int = 10) -> list[ClaimView]:
    """The newest claims (by article date)."""
    return claims_for(session, sa.true(), limit=limit)


def all_claims(session: Session) -> list[ClaimView]:
    """Every claim, newest first (for the exports)."""
    return claims_for(session, sa.true())


def _run_view(run: CrawlRun, source: str) -> CrawlRunView:
    return CrawlRunView(
        id=run.id,
        source=source,
        started_at=run.started_at,
        finished_at=run.finished_at,
        outcome=run.outcome,
        pages_fetched=run.pages_fetched,
        articles_new=run.articles_new,
        articles_failed=run.articles_failed,
        errors=tuple(run.errors or ())[:5],
    )


def crawl_health(
    session: Session, *, recent: int = 30, window: int = 5
) -> tuple[list[SourceHealth], list[CrawlRunView]]:
    """Per source: its last run and failed runs among its last ``window``; the last runs."""
    sources = {s.id: s for s in session.scalars(sa.select(Source).order_by(Source.name))}
    arts: Counter[int] = Counter()
    for sid, n in session.execute(
        sa.select(Article.source_id, sa.func.count())
        .where(Article.source_id.is_not(None))
        .group_by(Article.source_id)
    ):
        if sid is not None:
            arts[sid] = n
    health = []
    for sid, s in sources.items():
        runs = list(
            session.scalars(
                sa.select(CrawlRun)
                .where(CrawlRun.source_id == sid)
                .order_by(CrawlRun.started_at.desc(), CrawlRun.id.desc())
                .limit(window)
            )
        )
        health.append(
            SourceHealth(
                name=s.name,
                kind=s.kind,
                url=s.url,
                last_run=_run_view(runs[0], s.name) if runs else None,
                recent_failures=sum(1 for r in runs if r.outcome not in ("ok", "running")),
                articles=arts[sid],
            )
        )
    last = [
        _run_view(r, sources[r.source_id].name if r.source_id in sources else "?")
        for r in session.scalars(
            sa.select(CrawlRun)
            .order_by(CrawlRun.started_at.desc(), CrawlRun.id.desc())
            .limit(recent)
        )
    ]
    return health, last


def briefing_archive(session: Session) -> list[BriefingView]:
    """Every stored briefing, newest first."""
    return [
        BriefingView(
            id=b.id,
            briefing_date=b.briefing_date,
            audience=b.audience,
            subject=b.subject,
            status=b.status,
            window_start_at=b.window_start_at,
            window_end_at=b.window_end_at,
            sent_at=b.sent_at,
            text=b.text,
        )
        for b in session.scalars(
            sa.select(Briefing).order_by(Briefing.briefing_date.desc(), Briefing.audience)
        )
    ]


def incident_aliases(session: Session) -> dict[str, str]:
    """Old slug → current slug, for merged or renamed incidents."""
    rows = session.execute(
        sa.select(IncidentAlias.old_slug, Incident.slug).join(
            Incident, Incident.id == IncidentAlias.incident_id
        )
    )
    return {old: new for old, new in rows}


def entity_count(session: Session) -> int:
    """Entities in the store (knowledge base included)."""
    return _count(session, sa.select(sa.func.count(Entity.id)))
