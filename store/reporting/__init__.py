"""Read queries for the reports (briefing and site), returning frozen dataclasses.

``reports/`` never sees an ORM object or a session method: it calls these functions with a
session and renders what they return. See :mod:`store.reporting.types` for the shapes.
"""

from store.reporting.briefing import (
    BriefingData,
    Development,
    NewEntity,
    WatchHit,
    briefing_data,
    last_sent_briefing_end,
)
from store.reporting.entities import entity_details, entity_summaries
from store.reporting.incidents import incident_details, incident_summaries
from store.reporting.overview import (
    all_claims,
    briefing_archive,
    claim_type_counts,
    claims_of_type,
    crawl_health,
    daily_counts,
    incident_aliases,
    latest_claims,
    totals,
    weekly_counts,
)
from store.reporting.signatures import SiteSignatures, site_signatures
from store.reporting.types import (
    ArticleRef,
    BriefingView,
    ClaimTypeCount,
    ClaimView,
    CrawlRunView,
    DayCount,
    EntityDetail,
    EntityIncident,
    EntityRef,
    EntitySummary,
    IncidentDetail,
    IncidentSummary,
    PartyView,
    QuoteView,
    RoleView,
    SourceHealth,
    TimelineEvent,
    Totals,
)

__all__ = [
    "ArticleRef",
    "BriefingData",
    "BriefingView",
    "ClaimTypeCount",
    "ClaimView",
    "CrawlRunView",
    "DayCount",
    "Development",
    "EntityDetail",
    "EntityIncident",
    "EntityRef",
    "EntitySummary",
    "IncidentDetail",
    "IncidentSummary",
    "NewEntity",
    "PartyView",
    "QuoteView",
    "RoleView",
    "SiteSignatures",
    "SourceHealth",
    "TimelineEvent",
    "Totals",
    "WatchHit",
    "all_claims",
    "briefing_archive",
    "briefing_data",
    "claim_type_counts",
    "claims_of_type",
    "crawl_health",
    "daily_counts",
    "entity_details",
    "entity_summaries",
    "incident_aliases",
    "incident_details",
    "incident_summaries",
    "last_sent_briefing_end",
    "latest_claims",
    "site_signatures",
    "totals",
    "weekly_counts",
]
