"""Ad-hoc SQL for users, read-only by construction (the engine behind ``ipwire sql``).

Two layers, on purpose:

* :mod:`~store.readonly.guard` checks the text first (one statement, starts with SELECT/WITH/…,
  no write keywords, no side-effect functions, named ``:param`` parameters only) — for clear
  messages, and for the few things a database allows a privileged user even read-only.
* The connection is what makes it read-only: SQLite opened ``mode=ro`` with ``query_only`` and an
  authorizer (:mod:`~store.readonly.sqlite_backend`), PostgreSQL inside a ``READ ONLY``
  transaction that is always rolled back (:mod:`~store.readonly.postgres_backend`).

Both apply a time limit and a row cap (``max_rows + 1`` are fetched to tell whether the result
was truncated).

Example:
    >>> result = run_readonly_query(
    ...     "sqlite:///ipwire-data/ipwire.db",
    ...     "SELECT claim_type, count(*) FROM claim WHERE stance = :stance GROUP BY 1",
    ...     {"stance": "alleged"},
    ... )  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from store.readonly.guard import check_query
from store.readonly.result import (
    QueryError,
    QueryRejected,
    QueryResult,
    QueryTimeout,
    ReadOnlyViolation,
)

__all__ = [
    "QueryError",
    "QueryRejected",
    "QueryResult",
    "QueryTimeout",
    "ReadOnlyViolation",
    "run_readonly_query",
]


def run_readonly_query(
    url: str,
    sql: str,
    params: Mapping[str, object] | None = None,
    *,
    max_rows: int = 1000,
    timeout_ms: int = 5000,
) -> QueryResult:
    """Run one read-only SQL statement and return at most ``max_rows`` rows.

    Args:
        url: SQLAlchemy database URL (``sqlite:///path.db`` or ``postgresql+psycopg://…``).
        sql: One statement (SELECT, WITH, VALUES, EXPLAIN; also read-only PRAGMA on SQLite and
            TABLE/SHOW on PostgreSQL) using ``:name`` parameters.
        params: A value for each ``:name`` in ``sql`` (and nothing else).
        max_rows: Row cap, at least 1; ``QueryResult.truncated`` tells if more rows existed.
        timeout_ms: Time limit in milliseconds, at least 1.

    Returns:
        Columns, rows, the truncated flag and the elapsed time.

    Raises:
        ReadOnlyViolation: The statement would write or has side effects.
        QueryRejected: Refused for another reason (several statements, parameter problems).
        QueryTimeout: Stopped by the time limit.
        QueryError: The database reported an error, or the URL is unusable.
    """
    if max_rows < 1:
        raise ValueError("max_rows must be at least 1")
    if timeout_ms < 1:
        raise ValueError("timeout_ms must be at least 1")
    params = dict(params or {})
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise QueryError(f"not a database URL: {url!r}") from None
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        from store.readonly.sqlite_backend import execute_sqlite, sqlite_path

        checked = check_query(sql, params, "sqlite")
        return execute_sqlite(
            sqlite_path(parsed.database),
            checked.sql,
            params,
            max_rows=max_rows,
            timeout_ms=timeout_ms,
        )
    if backend == "postgresql":
        try:
            from store.readonly.postgres_backend import execute_postgres
        except ImportError:
            raise QueryError(
                "the PostgreSQL driver (psycopg) is not installed: pip install 'ipwire[postgres]'"
            ) from None

        checked = check_query(sql, params, "postgresql")
        return execute_postgres(
            parsed, checked.sql, params, max_rows=max_rows, timeout_ms=timeout_ms
        )
    raise QueryError(f"unsupported database {backend!r}: use SQLite or PostgreSQL")
