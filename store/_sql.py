"""Small dialect helpers shared by the repository modules (private)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session


def dialect_name(session: Session) -> str:
    """``sqlite`` or ``postgresql`` (the dialect of the session's bind)."""
    return session.get_bind().dialect.name


def upsert_insert(session: Session, table: Any) -> Any:
    """An INSERT that supports ``on_conflict_do_nothing/do_update`` on the session's dialect."""
    if dialect_name(session) == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)


def chunks(items: list[Any], size: int = 500) -> list[list[Any]]:
    """Split a list so IN (...) lists stay under driver parameter limits."""
    return [items[i : i + size] for i in range(0, len(items), size)]
