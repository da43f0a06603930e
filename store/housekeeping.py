"""Scheduled maintenance: trim run history and keep the query planner and indexes healthy."""

from __future__ import annotations

import datetime as dt
import logging

import sqlalchemy as sa

from store.base import utcnow
from store.engine import make_engine, make_session_factory, session_scope
from store.models import CrawlRun, JobRun

__all__ = ["maintenance"]

log = logging.getLogger(__name__)


def maintenance(database_url: str, *, retention_days: int = 0) -> dict[str, int]:
    """Delete job and crawl history older than ``retention_days`` (0 keeps everything), then
    refresh planner statistics (``ANALYZE``; SQLite also merges its FTS segments and
    truncates the WAL).

    Returns:
        Counters: ``job_runs_deleted``, ``crawl_runs_deleted``.
    """
    counts = {"job_runs_deleted": 0, "crawl_runs_deleted": 0}
    engine = make_engine(database_url)
    try:
        if retention_days > 0:
            cutoff = utcnow() - dt.timedelta(days=retention_days)
            with session_scope(make_session_factory(engine)) as s:
                jobs = s.execute(
                    sa.delete(JobRun).where(
                        JobRun.finished_at.is_not(None), JobRun.started_at < cutoff
                    )
                )
                runs = s.execute(
                    sa.delete(CrawlRun).where(
                        CrawlRun.finished_at.is_not(None), CrawlRun.started_at < cutoff
                    )
                )
                counts["job_runs_deleted"] = int(jobs.rowcount or 0)  # type: ignore[attr-defined]
                counts["crawl_runs_deleted"] = int(runs.rowcount or 0)  # type: ignore[attr-defined]
        if engine.dialect.name == "sqlite":
            with engine.begin() as conn:
                conn.exec_driver_sql("INSERT INTO article_fts(article_fts) VALUES ('optimize')")
                conn.exec_driver_sql("ANALYZE")
            # A checkpoint cannot run inside a transaction: use the driver connection directly.
            raw = engine.raw_connection()
            try:
                raw.driver_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # type: ignore[union-attr]
            finally:
                raw.close()
        else:
            with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.exec_driver_sql("ANALYZE")
    finally:
        engine.dispose()
    log.info("maintenance: %s", counts)
    return counts


def table_row_counts(engine: sa.Engine) -> dict[str, int]:
    """Rows in each of the store's tables that exist in the database (for ``ipwire db info``)."""
    from store.base import Base

    existing = set(sa.inspect(engine).get_table_names())
    tables = sorted(
        (t for t in Base.metadata.sorted_tables if t.name in existing), key=lambda t: t.name
    )
    with engine.connect() as conn:
        return {
            t.name: conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one()
            for t in tables
        }
