"""The store: SQLAlchemy models, sessions and the repository API every stage uses.

Only ``store`` talks SQL. Callers open a session (:func:`make_session_factory`,
:func:`session_scope`) and pass it to the repository functions re-exported here; those return
ORM rows or small frozen dataclasses and raise :mod:`store.errors`.
"""

from store.annotations import save_annotations, save_annotations_batch, seed_entities
from store.articles import AddResult, ArticleIn, add_article, known_urls
from store.engine import check_connection, make_engine, make_session_factory, session_scope
from store.errors import DatabaseUnavailable, InvalidData, MigrationError, NotFound, StoreError
from store.housekeeping import maintenance
from store.ops import (
    finish_job_run,
    get_briefing,
    mark_briefing_failed,
    mark_briefing_sent,
    save_briefing,
    start_job_run,
)
from store.queue import ArticleForNlp, claim_batch, mark_failed, release_batch, requeue_failed
from store.retry import is_retryable, run_transaction
from store.search import SearchHit, search_articles
from store.sources import (
    close_dead_crawl_runs,
    finish_crawl_run,
    get_fetch_state,
    set_fetch_state,
    start_crawl_run,
    upsert_source,
)

__all__ = [
    "AddResult",
    "ArticleForNlp",
    "ArticleIn",
    "DatabaseUnavailable",
    "InvalidData",
    "MigrationError",
    "NotFound",
    "SearchHit",
    "StoreError",
    "add_article",
    "check_connection",
    "claim_batch",
    "close_dead_crawl_runs",
    "finish_crawl_run",
    "finish_job_run",
    "get_briefing",
    "get_fetch_state",
    "is_retryable",
    "known_urls",
    "maintenance",
    "make_engine",
    "make_session_factory",
    "mark_briefing_failed",
    "mark_briefing_sent",
    "mark_failed",
    "release_batch",
    "requeue_failed",
    "run_transaction",
    "save_annotations",
    "save_annotations_batch",
    "save_briefing",
    "search_articles",
    "seed_entities",
    "session_scope",
    "set_fetch_state",
    "start_crawl_run",
    "start_job_run",
    "upsert_source",
]
