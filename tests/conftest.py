"""Shared fixtures: real databases (SQLite file and a fresh PostgreSQL database per session).

PostgreSQL is the server at 127.0.0.1:5432 (trust auth). Each test session creates its own database
``ipwire_test_<random>`` and drops it at the end. When the server is down, PostgreSQL tests are
skipped with a reason, unless ``IPWIRE_REQUIRE_SERVICES=1`` (set by ``.ci/run``), where they fail.
"""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

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


@pytest.fixture(scope="session")
def pg_server_url() -> Iterator[str]:
    """URL of a fresh, empty PostgreSQL database for this test session (dropped afterwards)."""
    if not _port_open("127.0.0.1", 5432):
        _unavailable("PostgreSQL at 127.0.0.1:5432")
    import sqlalchemy as sa

    admin = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"ipwire_test_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = sa.make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


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


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """An SQLite database file in the test's temp dir."""
    return f"sqlite:///{(tmp_path / 'ipwire.db').as_posix()}"


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Run the test twice: on an SQLite file and on a real PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{(tmp_path / 'ipwire.db').as_posix()}"
    return str(request.getfixturevalue("pg_url"))


@pytest.fixture(scope="session")
def redis_url() -> str:
    """The Redis server at 127.0.0.1:6379 (db 15, flushed by the tests that use it)."""
    if not _port_open("127.0.0.1", 6379):
        _unavailable("Redis at 127.0.0.1:6379")
    return "redis://127.0.0.1:6379/15"
