"""Read-only queries on PostgreSQL, read-only by construction.

The locks, each enough on its own against writes to the database:

1. The session starts with ``default_transaction_read_only=on`` and the query runs inside
   ``BEGIN READ ONLY``: PostgreSQL refuses INSERT/UPDATE/DELETE/DDL, data-modifying CTEs,
   ``nextval()``, ``SELECT … FOR UPDATE`` and writes made by functions the query calls.
2. The transaction is always rolled back, and the connection closed, whatever happened.
3. The statement travels through the extended query protocol (psycopg sends a server-side
   cursor's ``DECLARE``, or a query asking for ``binary`` results, that way), which carries
   exactly one statement: a stacked ``; DROP TABLE`` is a syntax error on the server.

``statement_timeout`` and ``lock_timeout`` bound the time. Rows are fetched through a server-side
cursor (``FETCH max_rows + 1``) so a huge result never crosses the network in full.

What a READ ONLY transaction does *not* stop are server-level functions available to privileged
roles (``pg_terminate_backend``, ``lo_export``, ``COPY … TO PROGRAM``): the guard refuses them by
name, and the safest deployment connects ``ipwire sql`` as a role without those privileges.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Mapping
from typing import Any

import psycopg
from psycopg import errors as pg_errors
from psycopg.pq import TransactionStatus
from sqlalchemy.engine import URL

from store.readonly.guard import first_word
from store.readonly.lexer import to_pyformat, tokenize
from store.readonly.result import (
    QueryError,
    QueryRejected,
    QueryResult,
    QueryTimeout,
    ReadOnlyViolation,
)

__all__ = ["connect_kwargs", "execute_postgres"]

logger = logging.getLogger(__name__)

# Statements that cannot run inside DECLARE … CURSOR FOR. Everything else is sent through a
# server-side cursor, whose grammar accepts only a query (SELECT, VALUES, TABLE, WITH …): a
# COPY, DO or CALL that got past the guard is then a syntax error on the server, not a command.
# EXPLAIN can only wrap a query or a DML statement (which the READ ONLY transaction refuses to
# execute under EXPLAIN ANALYZE), and SHOW only reads a setting.
_DIRECT_WORDS = frozenset({"EXPLAIN", "SHOW"})
_warned_superuser = False


def connect_kwargs(url: URL, timeout_ms: int) -> dict[str, Any]:
    """psycopg connection arguments for a SQLAlchemy PostgreSQL URL, with read-only options.

    Args:
        url: ``postgresql[+driver]://user:password@host:port/dbname?option=value``.
        timeout_ms: The query's time limit, also used as the session's statement timeout.
    """
    kw: dict[str, Any] = {}
    parts: tuple[tuple[str, str | int | None], ...] = (
        ("host", url.host),
        ("port", url.port),
        ("user", url.username),
        ("password", url.password),
        ("dbname", url.database),
    )
    for key, part in parts:
        if part is not None:
            kw[key] = part
    for key, option in url.query.items():
        kw[key] = option if isinstance(option, str) else option[-1]
    kw.setdefault("connect_timeout", max(2, math.ceil(timeout_ms / 1000)))
    # standard_conforming_strings=on: a backslash in '…' is an ordinary character, as the guard's
    # tokenizer assumes; with it off, 'a\'' would end the string where the tokenizer does not.
    session = (
        "-c standard_conforming_strings=on "
        f"-c default_transaction_read_only=on -c statement_timeout={int(timeout_ms)} "
        f"-c lock_timeout={int(timeout_ms)} "
        f"-c idle_in_transaction_session_timeout={int(timeout_ms) + 10_000}"
    )
    kw["options"] = f"{kw['options']} {session}" if kw.get("options") else session
    return kw


def _translate(e: psycopg.Error, timeout_ms: int) -> QueryError:
    """Map a server error to the domain error the caller should see."""
    state = e.sqlstate or ""
    lines = (e.diag.message_primary or str(e)).strip().splitlines()
    message = lines[0] if lines else type(e).__name__
    if isinstance(e, pg_errors.QueryCanceled):
        return QueryTimeout(f"query stopped: it ran longer than {timeout_ms} ms")
    if isinstance(e, pg_errors.LockNotAvailable):
        return QueryTimeout(f"query stopped: it waited longer than {timeout_ms} ms for a lock")
    if state.startswith("25"):  # invalid transaction state: read-only transaction refusals
        return ReadOnlyViolation(message)  # PostgreSQL's words: "… in a read-only transaction"
    if isinstance(e, pg_errors.FeatureNotSupported) and (
        "data-modifying" in message or "non-volatile function" in message
    ):
        return ReadOnlyViolation(f"the query would write: {message}")
    if isinstance(e, pg_errors.InsufficientPrivilege):
        return QueryRejected(f"permission denied: {message}")
    if "multiple commands" in message:
        return QueryRejected("only one statement per query is allowed")
    return QueryError(f"PostgreSQL error: {message}")


def _warn_if_superuser(conn: psycopg.Connection[Any]) -> None:
    global _warned_superuser
    if not _warned_superuser and conn.info.parameter_status("is_superuser") == "on":
        _warned_superuser = True
        # INFO, not WARNING: `ipwire sql` promises a one-line stderr on refusals, and most
        # development setups connect as a superuser. Documented in the module docstring.
        logger.info(
            "read-only SQL is running as a PostgreSQL superuser; known administrative "
            "functions are refused, but a role without superuser rights is the safer choice"
        )


def execute_postgres(
    url: URL, sql: str, params: Mapping[str, object], *, max_rows: int, timeout_ms: int
) -> QueryResult:
    """Run one statement in a READ ONLY transaction that is always rolled back.

    This function does not apply the static guard (see :func:`store.readonly.guard.check_query`);
    the transaction makes it read-only on its own, the guard adds clearer messages and refuses
    privileged functions a READ ONLY transaction allows.

    Args:
        url: A PostgreSQL URL.
        sql, params, max_rows: As for :func:`store.readonly.run_readonly_query` (``sql`` has
            passed the guard); one row more than ``max_rows`` is fetched to set ``truncated``.
        timeout_ms: Statement (and lock) time limit.

    Returns:
        The rows.

    Raises:
        ReadOnlyViolation: The statement tried to write.
        QueryRejected: More than one statement, or permission denied.
        QueryTimeout: The time limit passed.
        QueryError: Any other database or connection error.
    """
    tokens = tokenize(sql, "postgresql")
    query = to_pyformat(tokens)
    use_cursor = first_word(tokens) not in _DIRECT_WORDS
    try:
        conn = psycopg.connect(autocommit=True, **connect_kwargs(url, timeout_ms))
    except psycopg.Error as e:
        first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        raise QueryError(f"cannot connect to PostgreSQL: {first}") from None
    try:
        _warn_if_superuser(conn)
        conn.execute("BEGIN READ ONLY")
        # A SELECT (not SET LOCAL) so that the transaction takes its snapshot now: from here on
        # PostgreSQL refuses SET TRANSACTION READ WRITE ("must be set before any query").
        limit = str(int(timeout_ms))
        conn.execute(
            "SELECT set_config('statement_timeout', %(t)s, true),"
            " set_config('lock_timeout', %(t)s, true)",
            {"t": limit},
        )
        start = time.monotonic()
        if use_cursor:
            with conn.cursor(name="ipwire_readonly") as scur:
                scur.execute(query, dict(params))
                rows = scur.fetchmany(max_rows + 1)
                columns = [d.name for d in scur.description or ()]
        else:
            # EXPLAIN, SHOW: small results; binary=True forces the extended protocol.
            with conn.cursor() as cur:
                cur.execute(query, dict(params), binary=True)
                rows = cur.fetchmany(max_rows + 1) if cur.description else []
                columns = [d.name for d in cur.description or ()]
        elapsed_ms = (time.monotonic() - start) * 1000
    except psycopg.Error as e:
        raise _translate(e, timeout_ms) from None
    finally:
        try:
            if conn.info.transaction_status != TransactionStatus.IDLE:
                conn.execute("ROLLBACK")
        except psycopg.Error:
            logger.debug("rollback after a read-only query failed", exc_info=True)
        conn.close()
    logger.debug("postgresql read-only query: %d rows in %.1f ms", len(rows), elapsed_ms)
    return QueryResult.capped(columns, rows, max_rows, elapsed_ms)
