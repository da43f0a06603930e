"""Engines and sessions, configured the same way for every caller.

SQLite gets WAL (readers never block the writer), enforced foreign keys and a busy timeout.
pysqlite's own transaction handling is switched off and SQLAlchemy emits ``BEGIN`` itself (the
recipe from the SQLAlchemy SQLite docs), so SAVEPOINTs work and every transaction starts with
``BEGIN IMMEDIATE``: it takes the write lock up front and *waits* (busy timeout) for another
writer, instead of failing with "database is locked" when a read transaction later tries to
write after someone else committed. Read-only work (reports) should use
``make_session_factory(engine, readonly=True)``: plain deferred ``BEGIN``, which never waits
for writers. The execution option ``sqlite_begin="DEFERRED"|"IMMEDIATE"`` chooses per
connection.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from store.errors import DatabaseUnavailable

__all__ = ["make_engine", "make_session_factory", "session_scope"]

log = logging.getLogger(__name__)

SQLITE_BUSY_TIMEOUT_MS = 30_000


def _sqlite_file(url: sa.URL) -> Path | None:
    db = url.database
    if not db or db == ":memory:" or db.startswith("file:") or url.query.get("mode") == "memory":
        return None
    return Path(db)


def make_engine(
    url: str | sa.URL, *, echo: bool = False, create: bool = True, **kwargs: Any
) -> Engine:
    """Create an engine for ``url`` with ipwire's connection settings.

    Args:
        url: SQLAlchemy URL, e.g. ``sqlite:///ipwire-data/ipwire.db`` or
            ``postgresql+psycopg://user@host/db``.
        echo: log every statement.
        create: an SQLite file that does not exist may be created (with its folder). Commands
            that only look at a database pass False, so a mistyped path or a run before
            ``ipwire init`` is an error instead of a new empty database.
        **kwargs: passed to :func:`sqlalchemy.create_engine`.

    Returns:
        The engine. For an SQLite file, its parent directory is created.

    Raises:
        DatabaseUnavailable: the URL cannot be parsed, its driver is not installed, or (with
            ``create=False``) the SQLite file does not exist.
    """
    try:
        u = sa.make_url(url)
    except sa.exc.ArgumentError as e:
        raise DatabaseUnavailable(f"not a database URL: {e}") from None
    if u.get_backend_name() == "sqlite":
        path = _sqlite_file(u)
        if path is not None and not create and not path.exists():
            raise DatabaseUnavailable(
                f"no database at {path}: run `ipwire init` first, or check database_url"
            )
        if path is not None:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as e:
                raise DatabaseUnavailable(f"cannot create {path.parent}: {e.strerror}") from None
    elif u.get_backend_name() == "postgresql":
        kwargs.setdefault("pool_pre_ping", True)
        # An unreachable server should fail in seconds, not after the OS TCP timeout.
        connect_args = kwargs.setdefault("connect_args", {})
        connect_args.setdefault("connect_timeout", 10)
        # Plan every statement with its values. psycopg prepares a statement after five runs,
        # and PostgreSQL may then keep a generic plan made while a table was small or empty:
        # with statistics stale (autovacuum off or behind), add_article's indexed lookups
        # became sequential scans as the article table grew (13 ms per article at 16,000 and
        # growing, in bench/scale_bench.py's seeding; 2.5 ms with custom plans).
        connect_args.setdefault("options", "-c plan_cache_mode=force_custom_plan")
    try:
        engine = sa.create_engine(u, echo=echo, **kwargs)
    except (ImportError, sa.exc.NoSuchModuleError) as e:
        raise DatabaseUnavailable(_missing_driver(u, e)) from None
    if engine.dialect.name == "sqlite":
        _configure_sqlite(engine)
    return engine


# Drivers ipwire ships an extra for: the install line to suggest when one is missing.
DRIVER_EXTRAS = {
    "psycopg": "pip install 'ipwire[postgres]'",
    "psycopg2": "pip install 'ipwire[postgres]' and write the URL as postgresql+psycopg://",
}


def _missing_driver(url: sa.URL, exc: Exception) -> str:
    driver = url.get_driver_name()
    hint = DRIVER_EXTRAS.get(driver)
    if hint is None:
        return f"no driver for {url.drivername}: {exc}"
    return f"the PostgreSQL driver ({driver}) is not installed: {hint} ({exc})"


def _configure_sqlite(engine: Engine) -> None:
    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # SQLAlchemy emits BEGIN itself (see _on_begin)
        cur = dbapi_conn.cursor()
        try:
            cur.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
            cur.execute("PRAGMA foreign_keys = ON")
            mode = cur.execute("PRAGMA journal_mode").fetchone()[0]
            if mode != "wal" and mode != "memory":
                cur.execute("PRAGMA journal_mode = WAL")
            cur.execute("PRAGMA synchronous = NORMAL")  # safe with WAL; fsync at checkpoints
        finally:
            cur.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(conn: sa.Connection) -> None:
        mode = conn.get_execution_options().get("sqlite_begin", "IMMEDIATE")
        conn.exec_driver_sql("BEGIN" if mode == "DEFERRED" else "BEGIN IMMEDIATE")


def make_session_factory(engine: Engine, *, readonly: bool = False) -> sessionmaker[Session]:
    """A session factory bound to ``engine``; objects stay usable after commit.

    Args:
        engine: from :func:`make_engine`.
        readonly: the sessions only read. On SQLite their transactions start with a deferred
            ``BEGIN`` and never wait for a writer (nothing changes on PostgreSQL).
    """
    bind = engine.execution_options(sqlite_begin="DEFERRED") if readonly else engine
    return sessionmaker(bind=bind, expire_on_commit=False)


@contextmanager
def session_scope(factory: sessionmaker[Session]) -> Iterator[Session]:
    """A transaction: commit when the block ends normally, roll back on an exception.

    Example:
        >>> with session_scope(factory) as s:  # doctest: +SKIP
        ...     upsert_source(s, name="example", kind="feed", url="https://x/feed", config={})
    """
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def check_connection(engine: Engine) -> None:
    """Open a connection and run ``SELECT 1``.

    Raises:
        DatabaseUnavailable: with a one-line reason, when the database cannot be reached.
    """
    try:
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
    except sa.exc.DBAPIError as e:
        reason = str(e.orig).strip().splitlines()[0] if e.orig else str(e)
        raise DatabaseUnavailable(
            f"cannot connect to {engine.url.render_as_string(hide_password=True)}: {reason}"
        ) from None
