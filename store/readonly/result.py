"""What an ad-hoc read-only query returns, and the ways it can fail.

The errors form one small tree so that a caller (the ``ipwire sql`` command, a web page) can tell
"you asked for something we refuse" from "the database said no" from "it took too long":

* :class:`QueryError` — any failure; the database's own error (syntax, unknown table) is one.
* :class:`QueryRejected` — refused by policy before or while running (several statements,
  positional parameters, a missing parameter value).
* :class:`ReadOnlyViolation` — a :class:`QueryRejected` because the query would write or has side
  effects (DML, DDL, ATTACH, writable PRAGMAs, ``COPY … TO PROGRAM``, server admin functions).
* :class:`QueryTimeout` — stopped by the time limit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["QueryError", "QueryRejected", "QueryResult", "QueryTimeout", "ReadOnlyViolation"]


class QueryError(Exception):
    """A read-only query failed; the message is one line, written for the person who typed it."""


class QueryRejected(QueryError):
    """The query was refused by policy (nothing was, or could have been, changed)."""


class ReadOnlyViolation(QueryRejected):
    """The query would write to the database or have another side effect; it was refused."""


class QueryTimeout(QueryError):
    """The query ran past its time limit and was stopped."""


@dataclass(frozen=True)
class QueryResult:
    """The rows of one read-only query.

    Attributes:
        columns: Column names, in order (duplicates are kept as the database reported them).
        rows: At most ``max_rows`` rows, each a tuple of plain Python values.
        truncated: True when the query had more rows than ``max_rows``.
        elapsed_ms: Wall time of execution and fetching, in milliseconds.
    """

    columns: list[str]
    rows: list[tuple[object, ...]]
    truncated: bool
    elapsed_ms: float

    @classmethod
    def capped(
        cls,
        columns: list[str],
        fetched: Sequence[Sequence[object]],
        max_rows: int,
        elapsed_ms: float,
    ) -> QueryResult:
        """The result of fetching ``max_rows + 1`` rows: the first ``max_rows``, and whether
        there were more."""
        return cls(
            columns=columns,
            rows=[tuple(r) for r in fetched[:max_rows]],
            truncated=len(fetched) > max_rows,
            elapsed_ms=elapsed_ms,
        )
