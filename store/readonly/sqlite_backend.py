"""Read-only queries on an SQLite file, read-only by construction.

Four independent locks, any one of which stops a write:

1. The file is opened through a ``file:…?mode=ro`` URI: SQLite itself refuses to write to it.
2. ``PRAGMA query_only=1``: the connection refuses every statement that would change the file.
3. An authorizer (``set_authorizer``) allows only reading — SELECT, column reads, recursive CTEs,
   non-denied functions and read-only PRAGMAs — and denies everything else (INSERT, ATTACH,
   transactions, ``load_extension``, …) while the statement is *prepared*, before it runs.
4. ``sqlite3`` executes one statement per call, so a stacked ``; DROP …`` never reaches SQLite.

A progress handler checks the clock every few thousand virtual-machine steps and interrupts the
query past its deadline (the same technique as datasette's ``sqlite_timelimit``).
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Mapping
from pathlib import Path

from store.readonly.guard import DENIED_FUNCTIONS, pragma_allowed
from store.readonly.result import (
    QueryError,
    QueryRejected,
    QueryResult,
    QueryTimeout,
    ReadOnlyViolation,
)

__all__ = ["execute_sqlite"]

logger = logging.getLogger(__name__)

# Virtual-machine instructions between two clock checks: small enough to stop within a few
# milliseconds of the deadline, large enough that checking costs nothing measurable.
PROGRESS_STEPS = 1000

_ALWAYS_ALLOWED = frozenset({sqlite3.SQLITE_SELECT, sqlite3.SQLITE_READ, sqlite3.SQLITE_RECURSIVE})
_SCHEMA_TABLES = frozenset({"sqlite_master", "sqlite_schema", "sqlite_temp_master"})
# Authorizer action codes share their numbers with result codes in the sqlite3 module, so the
# names used in messages are listed explicitly.
_ACTIONS = (
    "CREATE_INDEX",
    "CREATE_TABLE",
    "CREATE_TEMP_INDEX",
    "CREATE_TEMP_TABLE",
    "CREATE_TEMP_TRIGGER",
    "CREATE_TEMP_VIEW",
    "CREATE_TRIGGER",
    "CREATE_VIEW",
    "DELETE",
    "DROP_INDEX",
    "DROP_TABLE",
    "DROP_TEMP_INDEX",
    "DROP_TEMP_TABLE",
    "DROP_TEMP_TRIGGER",
    "DROP_TEMP_VIEW",
    "DROP_TRIGGER",
    "DROP_VIEW",
    "INSERT",
    "PRAGMA",
    "READ",
    "SELECT",
    "TRANSACTION",
    "UPDATE",
    "ATTACH",
    "DETACH",
    "ALTER_TABLE",
    "REINDEX",
    "ANALYZE",
    "CREATE_VTABLE",
    "DROP_VTABLE",
    "FUNCTION",
    "SAVEPOINT",
    "RECURSIVE",
)
_ACTION_NAMES = {
    getattr(sqlite3, f"SQLITE_{name}"): name.replace("_", " ")
    for name in _ACTIONS
    if hasattr(sqlite3, f"SQLITE_{name}")
}


class _Authorizer:
    """The ``set_authorizer`` callback; remembers what it denied, for the error message."""

    def __init__(self) -> None:
        self.denied: str | None = None

    def __call__(
        self, action: int, arg1: str | None, arg2: str | None, db: str | None, source: str | None
    ) -> int:
        if action in _ALWAYS_ALLOWED:
            return sqlite3.SQLITE_OK
        if action == sqlite3.SQLITE_FUNCTION:
            if (arg2 or "").lower() not in DENIED_FUNCTIONS["sqlite"]:
                return sqlite3.SQLITE_OK
            return self._deny(f"function {arg2}()")
        if action == sqlite3.SQLITE_PRAGMA and arg1 is not None:
            if pragma_allowed(arg1, arg2):
                return sqlite3.SQLITE_OK
            return self._deny(f"PRAGMA {arg1}" + (f" = {arg2}" if arg2 is not None else ""))
        if action == sqlite3.SQLITE_UPDATE and arg1 in _SCHEMA_TABLES:
            # SQLite asks this while *connecting* a virtual table (FTS5, pragma_table_info()):
            # it declares the table's columns, it does not write. A real UPDATE of the schema
            # table is refused by the guard, by query_only and by the read-only file handle.
            return sqlite3.SQLITE_OK
        what = _ACTION_NAMES.get(action, f"action {action}")
        return self._deny(" ".join(x for x in (what, arg1, arg2) if x))

    def _deny(self, what: str) -> int:
        if self.denied is None:
            self.denied = what
        return sqlite3.SQLITE_DENY


def sqlite_path(database: str | None) -> Path:
    """The database file of an SQLite URL's database part; it must exist.

    Raises:
        QueryError: An in-memory database or a missing file.
    """
    if not database or database == ":memory:" or database.startswith("file::memory:"):
        raise QueryError("an in-memory SQLite database has nothing to query read-only")
    path = Path(database).expanduser()
    if not path.is_file():
        raise QueryError(f"SQLite database file not found: {path}")
    return path.resolve()


def execute_sqlite(
    path: Path, sql: str, params: Mapping[str, object], *, max_rows: int, timeout_ms: int
) -> QueryResult:
    """Run one statement on an SQLite file opened read-only.

    This function does not apply the static guard (see :func:`store.readonly.guard.check_query`);
    it is safe on its own, the guard only adds clearer messages and a few extra refusals.

    Args:
        path: The database file.
        sql, params, max_rows: As for :func:`store.readonly.run_readonly_query` (``sql`` has
            passed the guard); one row more than ``max_rows`` is fetched to set ``truncated``.
        timeout_ms: Time limit for executing and fetching.

    Returns:
        The rows.

    Raises:
        ReadOnlyViolation: The statement needed a write or a denied operation.
        QueryRejected: More than one statement.
        QueryTimeout: The time limit passed.
        QueryError: Any other database error.
    """
    uri = f"{path.as_uri()}?mode=ro"
    try:
        conn = sqlite3.connect(
            uri, uri=True, isolation_level=None, timeout=max(timeout_ms, 1) / 1000
        )
    except sqlite3.Error as e:
        raise QueryError(f"cannot open {path} read-only: {e}") from None
    authorizer = _Authorizer()
    timed_out = False
    try:
        conn.execute("PRAGMA query_only = 1")
        conn.set_authorizer(authorizer)
        start = time.monotonic()
        deadline = start + timeout_ms / 1000

        def progress() -> int:
            nonlocal timed_out
            if time.monotonic() > deadline:
                timed_out = True
                return 1  # non-zero interrupts the statement
            return 0

        conn.set_progress_handler(progress, PROGRESS_STEPS)
        cur = conn.execute(sql, dict(params))
        rows = cur.fetchmany(max_rows + 1)
        elapsed_ms = (time.monotonic() - start) * 1000
        columns = [d[0] for d in cur.description or ()]
    except sqlite3.ProgrammingError as e:
        if "one statement" in str(e):
            raise QueryRejected("only one statement per query is allowed") from None
        raise QueryError(str(e)) from None
    except sqlite3.Error as e:
        if timed_out:
            raise QueryTimeout(f"query stopped: it ran longer than {timeout_ms} ms") from None
        if "database is locked" in str(e):  # a writer held its lock past our busy timeout
            raise QueryTimeout(
                f"query stopped: it waited longer than {timeout_ms} ms for a lock"
            ) from None
        if authorizer.denied is not None:
            raise ReadOnlyViolation(
                f"not allowed in a read-only query: {authorizer.denied}"
            ) from None
        if "readonly" in str(e) or "read-only" in str(e):
            raise ReadOnlyViolation(f"the database is opened read-only: {e}") from None
        raise QueryError(f"SQLite error: {e}") from None
    finally:
        conn.close()
    logger.debug("sqlite read-only query: %d rows in %.1f ms", len(rows), elapsed_ms)
    return QueryResult.capped(columns, rows, max_rows, elapsed_ms)
