"""Domain errors raised by ``store``; callers catch these, never driver exceptions."""

from __future__ import annotations

__all__ = [
    "DatabaseUnavailable",
    "InvalidData",
    "MigrationError",
    "NotFound",
    "StoreError",
    "describe",
]


class StoreError(Exception):
    """Base class of every error ``store`` raises on purpose."""


class DatabaseUnavailable(StoreError):
    """The database cannot be reached or opened (server down, bad URL, unwritable file)."""


class NotFound(StoreError):
    """A row the caller named by id does not exist."""


class InvalidData(StoreError):
    """Input that the schema would reject: an unknown enum value, a dangling entity id, …"""


class MigrationError(StoreError):
    """Migrations could not be located or applied."""


# What a database says, by the words of its message (SQLite) or its SQLSTATE (PostgreSQL), and
# what to do about it. The first match wins.
_ADVICE: tuple[tuple[tuple[str, ...], str], ...] = (
    (
        ("readonly database", "read-only transaction", "25006"),
        "the database is read-only: make the database file and its folder writable by this "
        "user (or point database_url at a writable one)",
    ),
    (
        ("no such table", "42P01"),
        "the database has no ipwire tables yet: run `ipwire init` (or `ipwire db upgrade`)",
    ),
    (
        ("unable to open database file",),
        "cannot open the database file: check that database_url names a writable file in an "
        "existing folder",
    ),
    (
        ("database is locked",),
        "the database is locked by another ipwire process: try again when it has finished",
    ),
    (
        ("database or disk is full", "53100"),
        "the disk holding the database is full: free some space and run the command again",
    ),
    (
        ("database disk image is malformed", "file is not a database"),
        "the database file is damaged or is not an SQLite database: restore it from a backup",
    ),
    (
        ("40P01", "40001"),
        "the database aborted a transaction to resolve a conflict with another worker: run the "
        "command again",
    ),
)


def describe(exc: BaseException) -> str:
    """One line for a person: what went wrong with the database and what to do.

    Never the SQL statement nor its parameters (a driver error's ``str`` carries both, and
    an INSERT of a knowledge base runs to many kilobytes).

    Args:
        exc: a :class:`StoreError`, a SQLAlchemy error, or a driver exception.
    """
    if isinstance(exc, StoreError):
        return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    import sqlalchemy as sa  # here, not at the top: the domain errors need no SQLAlchemy

    orig: BaseException | None = exc.orig if isinstance(exc, sa.exc.DBAPIError) else exc
    if isinstance(exc, sa.exc.SQLAlchemyError) and not isinstance(exc, sa.exc.DBAPIError):
        orig = None
    message = str(orig if orig is not None else exc).strip()
    first = message.splitlines()[0] if message else type(exc).__name__
    state = str(getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None) or "")
    lowered = message.lower()
    for needles, advice in _ADVICE:
        if any(n.lower() in lowered or n == state for n in needles):
            return f"{advice} ({first})"
    if isinstance(exc, sa.exc.OperationalError | sa.exc.InterfaceError):
        return f"cannot use the database: {first}"
    return f"database error: {first}"
