"""Shared fixtures: real databases (SQLite files and PostgreSQL databases), session factories.

PostgreSQL is the server at 127.0.0.1:5432 (trust auth). Each test session creates its own database
``ipwire_test_<random>`` and drops it at the end. When the server is down, PostgreSQL tests are
skipped with a reason, unless ``IPWIRE_REQUIRE_SERVICES=1`` (set by ``.ci/run``), where they fail.

Databases at the head revision are copies of a template migrated once per session
(:mod:`tests.support.databases`): ``migrated_sqlite_url``, ``migrated_pg_url``, ``pg_clone`` and,
on both dialects, ``migrated_url`` and ``factory``. ``db_url`` stays an empty database, for the
tests about migrations.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from store import make_engine, make_session_factory
from tests.support.databases import (
    copy_sqlite_template,
    create_pg_database,
    drop_pg_database,
    make_sqlite_template,
    sqlite_file_url,
)

PG_ADMIN_URL = os.environ.get(
    "IPWIRE_TEST_PG_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
REQUIRE_SERVICES = os.environ.get("IPWIRE_REQUIRE_SERVICES") == "1"


def _port_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def _unavailable(what: str) -> None:
    if REQUIRE_SERVICES:
        pytest.fail(f"{what} is required (IPWIRE_REQUIRE_SERVICES=1) but not reachable")
    pytest.skip(f"{what} not reachable")


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads the developer's own config or IPWIRE_* variables by accident."""
    for key in list(os.environ):
        if key.startswith("IPWIRE_") and key not in (
            "IPWIRE_REQUIRE_SERVICES",
            "IPWIRE_TEST_PG_ADMIN_URL",
        ):
            monkeypatch.delenv(key, raising=False)


def _require_pg() -> None:
    if not _port_open("127.0.0.1", 5432):
        _unavailable("PostgreSQL at 127.0.0.1:5432")


@pytest.fixture(scope="session")
def pg_server_url() -> Iterator[str]:
    """URL of a fresh, empty PostgreSQL database for this test session (dropped afterwards)."""
    _require_pg()
    url = create_pg_database(PG_ADMIN_URL, "ipwire_test")
    try:
        yield url
    finally:
        drop_pg_database(PG_ADMIN_URL, url)


@pytest.fixture
def pg_url(pg_server_url: str) -> str:
    """A PostgreSQL database URL whose public schema is emptied before each test."""
    import sqlalchemy as sa

    engine = sa.create_engine(pg_server_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(sa.text("DROP SCHEMA public CASCADE"))
        conn.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()
    return pg_server_url


@pytest.fixture(scope="session")
def pg_template() -> Iterator[str]:
    """Name of a PostgreSQL database migrated to head once per session, to copy from.

    Nothing may stay connected to it: ``CREATE DATABASE … TEMPLATE`` refuses a busy template.
    """
    import sqlalchemy as sa

    from store.migrate import upgrade

    _require_pg()
    url = create_pg_database(PG_ADMIN_URL, "ipwire_template")
    try:
        upgrade(url)
        name = sa.make_url(url).database
        assert name is not None
        yield name
    finally:
        drop_pg_database(PG_ADMIN_URL, url)


@pytest.fixture
def pg_clone(pg_template: str) -> Iterator[Callable[[], str]]:
    """Make fresh PostgreSQL databases at head (copies of the template), dropped after the test."""
    made: list[str] = []

    def clone() -> str:
        url = create_pg_database(PG_ADMIN_URL, "ipwire_t", template=pg_template)
        made.append(url)
        return url

    yield clone
    for url in made:
        drop_pg_database(PG_ADMIN_URL, url)


@pytest.fixture
def migrated_pg_url(pg_clone: Callable[[], str]) -> str:
    """A fresh PostgreSQL database at the head revision, of this test alone."""
    return pg_clone()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """An SQLite database file in the test's temp dir (not created yet)."""
    return sqlite_file_url(tmp_path / "ipwire.db")


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An SQLite file migrated to head once per session, to copy from."""
    return make_sqlite_template(tmp_path_factory.mktemp("template") / "ipwire.db")


@pytest.fixture
def migrated_sqlite_url(sqlite_template: Path, tmp_path: Path) -> str:
    """An SQLite file at the head revision in the test's temp dir (``ipwire.db``)."""
    return copy_sqlite_template(sqlite_template, tmp_path / "ipwire.db")


@pytest.fixture(params=["sqlite", "postgresql"])
def db_kind(request: pytest.FixtureRequest) -> str:
    """Run the test twice: on SQLite and on PostgreSQL."""
    return str(request.param)


@pytest.fixture
def db_url(db_kind: str, request: pytest.FixtureRequest) -> str:
    """An empty database of the test's kind: an SQLite file, or a real PostgreSQL database."""
    name = "sqlite_url" if db_kind == "sqlite" else "pg_url"
    return str(request.getfixturevalue(name))


@pytest.fixture
def migrated_url(db_kind: str, request: pytest.FixtureRequest) -> str:
    """A database of the test's kind at the head revision (a copy of the session's template)."""
    name = "migrated_sqlite_url" if db_kind == "sqlite" else "migrated_pg_url"
    return str(request.getfixturevalue(name))


@pytest.fixture
def factory(migrated_url: str) -> Iterator[sessionmaker[Session]]:
    """A session factory on ``migrated_url``."""
    engine = make_engine(migrated_url)
    yield make_session_factory(engine)
    engine.dispose()


@pytest.fixture(scope="session")
def redis_url() -> str:
    """The Redis server at 127.0.0.1:6379 (db 15, flushed by the tests that use it)."""
    if not _port_open("127.0.0.1", 6379):
        _unavailable("Redis at 127.0.0.1:6379")
    return "redis://127.0.0.1:6379/15"
