"""The declarative base, the naming convention and the recurring column types.

Every table and column carries a ``comment``: it documents the schema in the database itself
(PostgreSQL stores it; SQLite ignores it) and generates ``docs/schema.md``
(``python -m store.schema_doc``).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, ClassVar

import sqlalchemy as sa
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, mapped_column
from sqlalchemy.types import TypeDecorator

__all__ = ["NAMING_CONVENTION", "Base", "UTCDateTime", "utcnow"]

# Constraint names must be deterministic so that migrations (and SQLite batch mode, which
# rebuilds tables) can refer to them by name on every dialect.
NAMING_CONVENTION: dict[str, str] = {
    "ix": "ix_%(column_0_N_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> dt.datetime:
    """The current time, timezone-aware, in UTC."""
    return dt.datetime.now(dt.UTC)


class UTCDateTime(TypeDecorator[dt.datetime]):
    """A timestamp that is always returned timezone-aware in UTC, on SQLite and PostgreSQL.

    PostgreSQL stores ``timestamptz``. SQLite has no timestamp type: the value is stored as UTC
    text without an offset (so text comparison orders correctly) and given ``UTC`` back on read.
    A naive datetime written to the store is taken to be UTC already.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if not isinstance(value, dt.datetime):
            raise TypeError(f"expected a datetime, got {type(value).__name__}")
        utc = value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)
        if dialect.name == "sqlite":
            return utc.replace(tzinfo=None)
        return utc

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        assert isinstance(value, dt.datetime)
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


# Recurring column shapes (after pypi/warehouse's utils/db/types.py).
UTCTimestamp = Annotated[dt.datetime, mapped_column(UTCDateTime())]
IntPK = Annotated[int, mapped_column(sa.Integer, primary_key=True)]


class Base(DeclarativeBase):
    """The one declarative base of ipwire's models."""

    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        dt.datetime: UTCDateTime(),
        dt.date: sa.Date(),
        str: sa.Text(),
        dict[str, Any]: sa.JSON(),
        list[str]: sa.JSON(),
    }


def in_list_check(column: str, values: tuple[str, ...] | list[str]) -> str:
    """SQL text of a CHECK that ``column`` is one of ``values`` (values are trusted constants)."""
    quoted = ", ".join("'" + v.replace("'", "''") + "'" for v in values)
    return f"{column} IN ({quoted})"
