"""All ORM models; importing this package registers every table on ``Base.metadata``."""

from store.base import Base
from store.models.annotations import Claim, Entity, Mention, Quote, Role
from store.models.article import Article
from store.models.crawl import CrawlRun, FetchState, SearchSlice, Source
from store.models.incidents import Incident, IncidentAlias, IncidentArticle, IncidentParty
from store.models.ops import Briefing, JobRun

__all__ = [
    "Article",
    "Base",
    "Briefing",
    "Claim",
    "CrawlRun",
    "Entity",
    "FetchState",
    "Incident",
    "IncidentAlias",
    "IncidentArticle",
    "IncidentParty",
    "JobRun",
    "Mention",
    "Quote",
    "Role",
    "SearchSlice",
    "Source",
]
