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
from store.models.incidents import IncidentClaim
from store.readmodels.claim_groups import group_claims
from store.readmodels.common import claims_for
from store.readmodels.trend import Trend, article_trend
from store.readmodels.types import (
    BriefingView,
    ClaimGroup,
    ClaimTypeCount,
    ClaimView,
    CrawlRunView,
    DayCount,
    SourceHealth,
    Totals,
)

__all__ = [
    "briefing_archive",
    "claim_groups_of_type",
    "claim_type_counts",
    "claims_of_type",
    "crawl_health",
    "daily_counts",
    "incident_aliases",
    "latest_claim_groups",
    "site_trend",
    "totals",
    "weekly_counts",
]


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
    """Articles *published* (fetch date when none is stated) and their claims per local day.

    Every local day of ``[start, end)`` is listed. Days are counted in ``tz`` in Python, so
    SQLite and PostgreSQL agree exactly.
    """
    arts: Counter[dt.date] = Counter()
    claims: Counter[dt.date] = Counter()
    n_claims = (
        sa.select(sa.func.count(Claim.id)).where(Claim.article_id == Article.id).scalar_subquery()
    )
    rows = session.execute(
        sa.select(Article.published_at, Article.fetched_at, n_claims).where(
            sa.or_(
                sa.and_(Article.published_at >= start, Article.published_at < end),
                sa.and_(
                    Article.published_at.is_(None),
                    Article.fetched_at >= start,
                    Article.fetched_at < end,
                ),
            )
        )
    )
    for published, fetched, n in rows:
        day = (published or fetched).astimezone(tz).date()
        arts[day] += 1
        claims[day] += int(n or 0)
    first, last = (
        start.astimezone(tz).date(),
        (end - dt.timedelta(microseconds=1)).astimezone(tz).date(),
    )
    days = [first + dt.timedelta(days=k) for k in range((last - first).days + 1)]
    return [DayCount(d, arts[d], claims[d]) for d in days]


def weekly_counts(session: Session, weeks: int = 26) -> list[DayCount]:
    """Articles and claims per ISO week (by publication date), from the first week with an
    article to the latest, at most ``weeks`` of them."""
    return list(article_trend(session, max_weeks=weeks, period="week").counts)


def site_trend(session: Session, tz: zoneinfo.ZoneInfo | None = None) -> Trend:
    """The home page's trend: every article by publication date, per day or per week."""
    return article_trend(session, tz=tz)


def _text_key(eid: str | None, text: str | None) -> str:
    return eid or " ".join((text or "").split()).casefold()


def claim_type_counts(session: Session) -> list[ClaimTypeCount]:
    """Every claim type seen: distinct claims, mentions, incidents and mentions by stance.

    An incident counts for a type when a claim of that type is *assigned* to it
    (``incident_claim``), so a round-up article's claims do not count for every incident the
    round-up belongs to; incidents without assignments count through their articles.
    """
    by_stance: dict[str, Counter[str]] = defaultdict(Counter)
    for type_, stance, n in session.execute(
        sa.select(Claim.type, Claim.stance, sa.func.count()).group_by(Claim.type, Claim.stance)
    ):
        by_stance[type_][stance] = n
    distinct: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for type_, a_id, a_text, d_id, d_text in session.execute(
        sa.select(
            Claim.type, Claim.accuser_id, Claim.accuser_text, Claim.accused_id, Claim.accused_text
        ).distinct()
    ):
        distinct[type_].add((_text_key(a_id, a_text), _text_key(d_id, d_text)))
    pairs: set[tuple[str, int]] = set()
    for type_, iid in session.execute(
        sa.select(Claim.type, IncidentClaim.incident_id)
        .join(IncidentClaim, IncidentClaim.claim_id == Claim.id)
        .distinct()
    ):
        pairs.add((type_, iid))
    assigned = sa.select(IncidentClaim.incident_id)
    for type_, iid in session.execute(
        sa.select(Claim.type, IncidentArticle.incident_id)
        .join(IncidentArticle, IncidentArticle.article_id == Claim.article_id)
        .where(IncidentArticle.incident_id.not_in(assigned))
        .distinct()
    ):
        pairs.add((type_, iid))
    incidents: Counter[str] = Counter(t for t, _ in pairs)
    out = [
        ClaimTypeCount(
            type=t,
            claims=len(distinct[t]),
            mentions=sum(c.values()),
            incidents=incidents[t],
            by_stance=tuple(sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))),
        )
        for t, c in by_stance.items()
    ]
    out.sort(key=lambda c: (-c.claims, -c.mentions, c.type))
    return out


def claims_of_type(session: Session, type_: str, limit: int = 200) -> list[ClaimView]:
    """The latest claim mentions of one type."""
    return claims_for(session, Claim.type == type_, limit=limit)


def claim_groups_of_type(session: Session, type_: str, limit: int = 500) -> list[ClaimGroup]:
    """The distinct claims of one type (from its latest ``limit`` mentions), newest first."""
    return group_claims(claims_of_type(session, type_, limit), newest_first=True)


def latest_claims(session: Session, limit: int = 10) -> list[ClaimView]:
    """The newest claim mentions (by article date)."""
    return claims_for(session, sa.true(), limit=limit)


def latest_claim_groups(session: Session, limit: int = 10, scan: int = 200) -> list[ClaimGroup]:
    """The newest distinct claims, from the latest ``scan`` mentions."""
    return group_claims(latest_claims(session, scan), newest_first=True)[:limit]


def all_claims(session: Session) -> list[ClaimView]:
    """Every claim mention, newest first (for the exports)."""
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
