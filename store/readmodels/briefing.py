"""What happened in a briefing window: developments, quotes, watchlist hits, new entities.

The window is about *arrival*: an article belongs to it when it was fetched in ``[start, end)``
(an old story first seen today is news to the reader); the ranked developments come from
:mod:`store.readmodels.window`. Key quotes are those of identified speakers who hold a stated
title, or of agencies and organisations; syndicated repeats are dropped.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from store.models import Article, Briefing, Entity, Mention, Quote
from store.readmodels.claim_groups import claim_key
from store.readmodels.common import (
    ARTICLE_COLUMNS,
    article_date,
    article_ref,
    claims_for,
    quotes_for,
)
from store.readmodels.trend import Trend, article_trend
from store.readmodels.types import (
    ArticleRef,
    DayCount,
    EntityRef,
    QuoteView,
)
from store.readmodels.window import Development, window_developments

__all__ = [
    "BriefingData",
    "Development",
    "WatchHit",
    "briefing_data",
    "last_sent_briefing_end",
]


@dataclass(frozen=True, slots=True)
class WatchHit:
    """A watchlist entry that matched: the entity or keyword and the articles it matched in."""

    term: str
    kind: str  # entity | keyword
    articles: tuple[ArticleRef, ...]


@dataclass(frozen=True, slots=True)
class NewEntity:
    """An entity first mentioned in the window."""

    entity: EntityRef
    articles: int


@dataclass(frozen=True, slots=True)
class BriefingData:
    """Everything a briefing shows."""

    window_start: dt.datetime
    window_end: dt.datetime
    articles: int
    relevant_articles: int
    claims: int  # distinct claims (type, accuser, accused) in the window's articles
    claim_mentions: int  # sentences stating them
    new_incidents: int
    updated_incidents: int
    developments: tuple[Development, ...]
    quotes: tuple[QuoteView, ...]
    watchlist: tuple[WatchHit, ...]
    new_entities: tuple[NewEntity, ...]
    sources: tuple[ArticleRef, ...]
    outlets: tuple[tuple[str, int], ...]
    trend: Trend  # the window's articles by publication date

    @property
    def daily(self) -> tuple[DayCount, ...]:
        """Articles of the window and their claims per publication day."""
        return self.trend.counts

    @property
    def is_empty(self) -> bool:
        """Nothing arrived in the window."""
        return self.articles == 0 and not self.developments


def last_sent_briefing_end(session: Session, audience: str, before: dt.date) -> dt.datetime | None:
    """End of the window of the last briefing *sent* to ``audience`` before ``before``."""
    return session.scalar(
        sa.select(sa.func.max(Briefing.window_end_at)).where(
            Briefing.audience == audience,
            Briefing.status == "sent",
            Briefing.briefing_date < before,
        )
    )


def _in_window(start: dt.datetime, end: dt.datetime) -> sa.ColumnElement[bool]:
    return sa.and_(Article.fetched_at >= start, Article.fetched_at < end)


def _official_quotes(quotes: list[QuoteView], limit: int) -> tuple[QuoteView, ...]:
    def weight(q: QuoteView) -> tuple[float, int]:
        w = 2.0 if q.speaker_title else 0.0
        w += 1.0 if q.speaker and q.speaker.type == "GOV" else 0.0
        w += 0.5 if q.is_direct else 0.0
        return (-w, q.id)

    official = [
        q
        for q in quotes
        if q.speaker is not None
        and q.speaker.id is not None
        and (q.speaker_title or q.speaker.type in ("GOV", "ORG"))
    ]
    seen: set[tuple[str | None, str]] = set()
    unique = []
    for q in sorted(official, key=weight):
        key = (q.speaker.id if q.speaker else None, " ".join(q.text.split()).casefold())
        if key not in seen:  # syndicated copies repeat the same quote
            seen.add(key)
            unique.append(q)
    return tuple(unique[:limit])


def _resolve_watch_entities(session: Session, terms: Iterable[str]) -> dict[str, set[str]]:
    """Watchlist term → entity ids it names (by id, name or alias, case-insensitive)."""
    terms = [t for t in terms if t.strip()]
    if not terms:
        return {}
    folded = {t.casefold().strip(): t for t in terms}
    out: dict[str, set[str]] = defaultdict(set)
    for eid, name, aliases in session.execute(sa.select(Entity.id, Entity.name, Entity.aliases)):
        for key in (eid, name, *(aliases or ())):
            t = folded.get(str(key).casefold())
            if t is not None:
                out[t].add(eid)
    return out


def _watchlist(
    session: Session,
    start: dt.datetime,
    end: dt.datetime,
    entities: Sequence[str],
    keywords: Sequence[str],
    limit: int,
) -> tuple[WatchHit, ...]:
    hits = []
    for term, ids in sorted(_resolve_watch_entities(session, entities).items()):
        rows = session.execute(
            sa.select(*ARTICLE_COLUMNS)
            .where(
                _in_window(start, end),
                Article.id.in_(sa.select(Mention.article_id).where(Mention.entity_id.in_(ids))),
            )
            .order_by(Article.fetched_at.desc())
            .limit(limit)
        ).all()
        if rows:
            hits.append(WatchHit(term, "entity", tuple(article_ref(r) for r in rows)))
    for kw in keywords:
        k = kw.strip().casefold()
        if not k:
            continue
        rows = session.execute(
            sa.select(*ARTICLE_COLUMNS)
            .where(
                _in_window(start, end),
                sa.or_(
                    sa.func.lower(Article.title).contains(k, autoescape=True),
                    sa.func.lower(Article.text).contains(k, autoescape=True),
                ),
            )
            .order_by(Article.fetched_at.desc())
            .limit(limit)
        ).all()
        if rows:
            hits.append(WatchHit(kw, "keyword", tuple(article_ref(r) for r in rows)))
    return tuple(hits)


def _new_entities(
    session: Session, start: dt.datetime, end: dt.datetime, limit: int
) -> tuple[NewEntity, ...]:
    in_window = (
        sa.select(Mention.entity_id)
        .join(Article, Article.id == Mention.article_id)
        .where(_in_window(start, end))
    )
    first = sa.func.min(Article.fetched_at)
    rows = session.execute(
        sa.select(
            Entity.id, Entity.name, Entity.type, sa.func.count(sa.distinct(Mention.article_id))
        )
        .join(Mention, Mention.entity_id == Entity.id)
        .join(Article, Article.id == Mention.article_id)
        .where(Entity.id.in_(in_window), Entity.type.not_in(("GPE", "MEDIA")))
        .group_by(Entity.id, Entity.name, Entity.type)
        .having(first >= start)
        .order_by(sa.func.count(sa.distinct(Mention.article_id)).desc(), Entity.name)
        .limit(limit)
    )
    return tuple(NewEntity(EntityRef(eid, name, t), n) for eid, name, t, n in rows)


def briefing_data(
    session: Session,
    start: dt.datetime,
    end: dt.datetime,
    *,
    tz: zoneinfo.ZoneInfo,
    watch_entities: Sequence[str] = (),
    watch_keywords: Sequence[str] = (),
    chart_days: int = 31,
    max_developments: int = 12,
    max_quotes: int = 6,
    max_sources: int = 40,
) -> BriefingData:
    """Collect the briefing of the window ``[start, end)``.

    Args:
        session: a (read-only) session.
        start: window start (aware datetime).
        end: window end (aware datetime).
        tz: the timezone days are counted in (chart).
        watch_entities: watchlist entity ids or names.
        watch_keywords: watchlist words or phrases.
        chart_days: the most days the chart shows (the latest publication days of the
            window's articles; older ones are counted in ``trend.left_out``).
        max_developments: developments kept (the best ranked).
        max_quotes: key quotes kept.
        max_sources: articles listed as sources.
    """
    window = _in_window(start, end)
    articles, relevant = session.execute(
        sa.select(
            sa.func.count(Article.id),
            sa.func.count(Article.id).filter(Article.is_relevant.is_(True)),
        ).where(window)
    ).one()
    claims = claims_for(session, window, newest_first=False)
    developments, n_new, n_updated = window_developments(session, start, end, claims)
    developments = developments[:max_developments]
    quotes = quotes_for(session, sa.and_(window, Quote.speaker_id.is_not(None)))
    cited = {a.id for d in developments for g in d.groups for a in g.articles}
    src_rows = session.execute(
        sa.select(*ARTICLE_COLUMNS)
        .where(window, sa.or_(Article.is_relevant.is_(True), Article.id.in_(cited or {-1})))
        .order_by(Article.fetched_at.desc(), Article.id)
        .limit(max_sources)
    ).all()
    sources = sorted((article_ref(r) for r in src_rows), key=lambda a: (article_date(a), a.id))
    outlets = Counter(
        site or "unknown outlet"
        for (site,) in session.execute(sa.select(Article.site_name).where(window))
    )
    arrived = session.scalars(sa.select(Article.id).where(window)).all()
    return BriefingData(
        window_start=start,
        window_end=end,
        articles=int(articles),
        relevant_articles=int(relevant),
        claims=len({claim_key(c) for c in claims}),
        claim_mentions=len(claims),
        new_incidents=n_new,
        updated_incidents=n_updated,
        developments=tuple(developments),
        quotes=_official_quotes(quotes, max_quotes),
        watchlist=_watchlist(session, start, end, watch_entities, watch_keywords, 5),
        new_entities=_new_entities(session, start, end, 15),
        sources=tuple(sources),
        outlets=tuple(sorted(outlets.items(), key=lambda kv: (-kv[1], kv[0]))[:15]),
        trend=article_trend(session, article_ids=arrived, tz=tz, max_days=chart_days, period="day"),
    )
