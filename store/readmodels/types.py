"""Frozen read models for the reports: plain values, never ORM rows.

Templates receive only these, so nothing in ``reports/`` can lazy-load, write, or depend on the
session being open. Scraped text stays raw here; escaping is the renderer's job.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class EntityRef:
    """An entity as a link target: id (may be ``None`` when only the text is known) and name."""

    id: str | None
    name: str
    type: str | None = None


@dataclass(frozen=True, slots=True)
class ArticleRef:
    """An article as cited: title, URL, outlet and dates."""

    id: int
    title: str
    url: str
    outlet: str | None
    published_at: dt.datetime | None
    fetched_at: dt.datetime
    byline: str | None = None


@dataclass(frozen=True, slots=True)
class ClaimView:
    """One claim with its evidence: accuser → accused, type, stance, sentence, article."""

    id: int
    type: str
    stance: str
    legal_status: str | None
    accuser: EntityRef | None
    accused: EntityRef | None
    victim: EntityRef | None
    speaker: EntityRef | None
    sentence: str
    cues: tuple[str, ...]
    article: ArticleRef


#: How decisive a stance is: a claim group's headline stance is its most decisive one.
STANCE_RANK = {"confirmed": 4, "denied": 3, "asserted": 2, "alleged": 1, "suspected": 0}


@dataclass(frozen=True, slots=True)
class ClaimGroup:
    """One distinct claim and its evidence.

    ``evidence`` has one mention per distinct sentence (oldest first; a syndicated copy of the
    same sentence adds a source, not a line); ``articles`` are every article that states it.
    """

    type: str
    accuser: EntityRef | None
    accused: EntityRef | None
    stances: tuple[str, ...]  # distinct, in the order first stated
    legal_statuses: tuple[str, ...]  # distinct, in the order first stated
    evidence: tuple[ClaimView, ...]
    articles: tuple[ArticleRef, ...]
    mentions: int

    @property
    def stance(self) -> str:
        """The most decisive stance stated (confirmed > denied > asserted > alleged)."""
        return max(self.stances, key=lambda s: STANCE_RANK.get(s, -1))

    @property
    def first(self) -> ClaimView:
        """The earliest mention."""
        return self.evidence[0]


@dataclass(frozen=True, slots=True)
class QuoteView:
    """A quote, its speaker (and the speaker's stated title, if any) and its article."""

    id: int
    text: str
    is_direct: bool
    speaker: EntityRef | None
    speaker_title: str | None
    article: ArticleRef


@dataclass(frozen=True, slots=True)
class PartyView:
    """An entity's role in an incident."""

    entity: EntityRef
    role: str


@dataclass(frozen=True, slots=True)
class TimelineEvent:
    """One dated event of an incident: its first report, or a step first stated.

    ``step`` is the step's name in the claim vocabulary (a stance: ``alleged``, ``denied``,
    ``confirmed``; or a legal status: ``investigation``, ``lawsuit``, ``charged``, ``settled``,
    ``ruling``, ``dismissed``), shown exactly as is; ``None`` for the first report and the
    incident's own status change. ``label`` is what the page prints.
    """

    at: dt.datetime
    label: str
    article: ArticleRef | None
    sentence: str | None = None
    step: str | None = None


@dataclass(frozen=True, slots=True)
class IncidentSummary:
    """An incident as listed: counts and parties, no evidence."""

    id: int
    slug: str
    title: str
    summary: str | None
    status: str
    legal_status: str | None
    score: float
    claim_types: tuple[str, ...]
    first_seen_at: dt.datetime
    last_seen_at: dt.datetime
    updated_at: dt.datetime
    article_count: int
    claim_count: int  # distinct claims: (type, accuser, accused)
    mention_count: int  # sentences stating them (every row of ``claim``)
    accusers: tuple[EntityRef, ...]
    accused: tuple[EntityRef, ...]


@dataclass(frozen=True, slots=True)
class IncidentDetail:
    """Everything one incident page shows."""

    summary: IncidentSummary
    parties: tuple[PartyView, ...]
    timeline: tuple[TimelineEvent, ...]
    claims: tuple[ClaimView, ...]  # every mention
    claim_groups: tuple[ClaimGroup, ...]  # one per distinct claim, with its evidence
    quotes: tuple[QuoteView, ...]
    articles: tuple[ArticleRef, ...]
    outlets: tuple[tuple[str, int], ...]


@dataclass(frozen=True, slots=True)
class EntitySummary:
    """An entity as listed."""

    id: str
    name: str
    type: str
    aliases: tuple[str, ...]
    description: str | None
    mention_count: int
    article_count: int
    incident_count: int


@dataclass(frozen=True, slots=True)
class RoleView:
    """A title held, as an article stated it."""

    person: EntityRef
    title: str
    org: EntityRef | None
    sentence: str
    article: ArticleRef


@dataclass(frozen=True, slots=True)
class EntityIncident:
    """An incident an entity is party to, and as what."""

    incident: IncidentSummary
    roles: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class EntityDetail:
    """Everything one entity page shows."""

    entity: EntitySummary
    wikidata_id: str | None
    roles: tuple[RoleView, ...]
    incidents: tuple[EntityIncident, ...]
    co_occurring: tuple[tuple[EntityRef, int], ...]
    trend: tuple[tuple[dt.date, int], ...]  # articles per week, by publication date
    claims: tuple[ClaimGroup, ...]  # the latest distinct claims it is party to


@dataclass(frozen=True, slots=True)
class DayCount:
    """Articles and claims on one day (or in the week starting that day)."""

    day: dt.date
    articles: int
    claims: int


@dataclass(frozen=True, slots=True)
class ClaimTypeCount:
    """One claim type: distinct claims, their mentions, the incidents, mentions by stance."""

    type: str
    claims: int  # distinct (accuser, accused) pairs
    mentions: int  # sentences stating them
    incidents: int
    by_stance: tuple[tuple[str, int], ...]


@dataclass(frozen=True, slots=True)
class CrawlRunView:
    """One crawl run of one source."""

    id: int
    source: str
    started_at: dt.datetime
    finished_at: dt.datetime | None
    outcome: str
    pages_fetched: int
    articles_new: int
    articles_failed: int
    errors: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SourceHealth:
    """A configured source: its last run and how many of its recent runs failed."""

    name: str
    kind: str
    url: str | None
    last_run: CrawlRunView | None
    recent_failures: int
    articles: int


@dataclass(frozen=True, slots=True)
class BriefingView:
    """A stored briefing, for the archive."""

    id: int
    briefing_date: dt.date
    audience: str
    subject: str
    status: str
    window_start_at: dt.datetime
    window_end_at: dt.datetime
    sent_at: dt.datetime | None
    text: str


@dataclass(frozen=True, slots=True)
class Totals:
    """Store-wide counters."""

    articles: int
    relevant_articles: int
    claims: int
    quotes: int
    incidents: int
    open_incidents: int
    entities: int
    sources: int
