"""Run Alembic migrations programmatically (no ``alembic.ini`` needed).

Where the migration scripts are: an installed wheel ships the repository's ``alembic/`` folder
as ``ipwire/migrations`` (``pyproject.toml`` force-includes it); a source checkout has it at
``<repo>/alembic``. ``store`` must not import ``ipwire`` (the composition root imports store,
not the reverse), so :func:`script_location` only *locates* the ``ipwire`` package with
:func:`importlib.util.find_spec`, which reads no module code. Callers may also pass
``script_dir`` explicitly.
"""

from __future__ import annotations

import importlib.util
import logging
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from alembic import command
from store.engine import check_connection, make_engine
from store.errors import MigrationError
from store.models import Base

__all__ = [
    "check",
    "current",
    "downgrade",
    "head",
    "include_object",
    "script_location",
    "upgrade",
]

log = logging.getLogger(__name__)

# Objects the migrations create that the ORM models do not describe (dialect-specific search
# structures); the drift check must not report them. Views are never reflected as tables.
UNMANAGED_TABLE_PREFIXES = ("article_fts",)  # SQLite FTS5 table and its shadow tables
UNMANAGED_COLUMNS = {("article", "search_vector")}  # PostgreSQL generated tsvector
UNMANAGED_INDEXES = {"ix_article_search_vector"}


def include_object(
    obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
) -> bool:
    """Alembic ``include_object`` hook: hide the unmanaged search objects from autogenerate."""
    if type_ == "table" and name and name.startswith(UNMANAGED_TABLE_PREFIXES):
        return False
    if type_ == "column" and (getattr(obj.table, "name", None), name) in UNMANAGED_COLUMNS:
        return False
    return not (type_ == "index" and name in UNMANAGED_INDEXES)


def script_location() -> Path:
    """The folder holding ``env.py`` and ``versions/``.

    Raises:
        MigrationError: neither the installed nor the source-tree location exists.
    """
    spec = importlib.util.find_spec("ipwire")
    for loc in (spec.submodule_search_locations or []) if spec else []:
        installed = Path(loc) / "migrations"
        if (installed / "env.py").is_file():
            return installed
    source = Path(__file__).resolve().parent.parent / "alembic"
    if (source / "env.py").is_file() and (source / "versions").is_dir():
        return source
    raise MigrationError("migration scripts not found (neither ipwire/migrations nor ./alembic)")


def alembic_config(url: str, script_dir: Path | None = None) -> Config:
    """A programmatic Alembic config for ``url``."""
    cfg = Config()
    cfg.set_main_option("script_location", str(script_dir or script_location()))
    cfg.attributes["url"] = url
    return cfg


# pg_advisory_xact_lock key that serialises migrations on one PostgreSQL database ("ipwire"
# in ASCII). Two `ipwire run --once` started together on a fresh database both saw no
# alembic_version and both ran the first migration: the second failed with UniqueViolation.
# With the lock, the second waits, then finds the schema at head and has nothing to do.
MIGRATION_LOCK_KEY = 0x697077697265


def _run(url: str, fn: Any, *args: Any, script_dir: Path | None = None) -> None:
    engine = make_engine(url)
    try:
        check_connection(engine)
        cfg = alembic_config(url, script_dir)
        with engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                # Held until this transaction ends: the migrations run inside it.
                conn.execute(sa.select(sa.func.pg_advisory_xact_lock(MIGRATION_LOCK_KEY)))
            # (SQLite needs nothing: BEGIN IMMEDIATE already admits one writer at a time.)
            cfg.attributes["connection"] = conn
            fn(cfg, *args)
    finally:
        engine.dispose()


def upgrade(url: str, rev: str = "head", *, script_dir: Path | None = None) -> None:
    """Apply migrations up to ``rev`` (in one transaction on both dialects)."""
    _run(url, command.upgrade, rev, script_dir=script_dir)


def downgrade(url: str, rev: str, *, script_dir: Path | None = None) -> None:
    """Revert migrations down to ``rev`` (``base`` removes everything)."""
    _run(url, command.downgrade, rev, script_dir=script_dir)


def head(script_dir: Path | None = None) -> str | None:
    """The newest revision id of the migration scripts."""
    cfg = Config()
    cfg.set_main_option("script_location", str(script_dir or script_location()))
    return ScriptDirectory.from_config(cfg).get_current_head()


def current(url: str) -> str | None:
    """The revision the database is at (``None``: never migrated)."""
    engine = make_engine(url)
    try:
        check_connection(engine)
        with engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()
    finally:
        engine.dispose()


def _describe(diff: Any) -> str:
    if isinstance(diff, list):  # column modifications come grouped
        return "; ".join(_describe(d) for d in diff)
    op, *rest = diff
    parts = []
    for item in rest:
        if isinstance(item, sa.Table | sa.Index | sa.Column):
            parts.append(f"{type(item).__name__.lower()} {item.name}")
        elif isinstance(item, sa.schema.Constraint):
            parts.append(f"constraint {item.name}")
        elif item is not None:
            parts.append(str(item))
    return f"{op}: " + ", ".join(parts)


def check(url: str, *, script_dir: Path | None = None) -> list[str]:
    """Differences between the models and the database, after migrations.

    Returns:
        Human-readable problems: the database is not at the head revision, or autogenerate
        found tables/columns/indexes/constraints that differ from the models. Empty when the
        schema is exactly what the migrations and models describe.
    """
    problems: list[str] = []
    at, want = current(url), head(script_dir)
    if at != want:
        problems.append(f"database is at revision {at or '(none)'}, migrations head is {want}")
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            ctx = MigrationContext.configure(
                conn,
                opts={
                    "compare_type": True,
                    "include_object": include_object,
                    "target_metadata": Base.metadata,
                },
            )
            problems.extend(_describe(d) for d in compare_metadata(ctx, Base.metadata))
    finally:
        engine.dispose()
    return problems
