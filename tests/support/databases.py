"""Databases at the head revision, migrated once per test run and copied for each test.

Running every migration for every test cost most of the store tests' time. Instead, each test
session migrates one SQLite file and one PostgreSQL database (the *templates*) and a test gets
a copy: the SQLite file is copied, the PostgreSQL database is created with
``CREATE DATABASE … TEMPLATE``, which copies it on the server. The tests *about* migrations
(``tests/store/test_migrations.py``, the ``init``/``db upgrade`` commands) keep running them on
empty databases.
"""

from __future__ import annotations

import shutil
import sqlite3
import uuid
from pathlib import Path

import sqlalchemy as sa

from store.migrate import upgrade

__all__ = [
    "copy_sqlite_template",
    "create_pg_database",
    "drop_pg_database",
    "make_sqlite_template",
    "sqlite_file_url",
]


def sqlite_file_url(path: Path) -> str:
    """The SQLAlchemy URL of an SQLite file."""
    return f"sqlite:///{path.as_posix()}"


def make_sqlite_template(path: Path) -> Path:
    """Migrate a new SQLite file at ``path`` to head, with its write-ahead log folded in."""
    upgrade(sqlite_file_url(path))
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    for suffix in ("-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)
    return path


def copy_sqlite_template(template: Path, dest: Path) -> str:
    """Copy the migrated ``template`` to ``dest`` (folders created) and return its URL."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(template, dest)
    return sqlite_file_url(dest)


def create_pg_database(admin_url: str, prefix: str, template: str | None = None) -> str:
    """Create a database named ``<prefix>_<random>`` (a copy of ``template`` if given).

    Returns:
        The new database's URL (the admin URL with the database name replaced).
    """
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            copy = f' TEMPLATE "{template}"' if template else ""
            conn.execute(sa.text(f'CREATE DATABASE "{name}"{copy}'))
    finally:
        admin.dispose()
    return sa.make_url(admin_url).set(database=name).render_as_string(hide_password=False)


def drop_pg_database(admin_url: str, url: str) -> None:
    """Drop the database of ``url``, closing any connection still open to it."""
    name = sa.make_url(url).database
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()
