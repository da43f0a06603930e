"""Fixtures of the scale trials: the generated site on loopback, a migrated PostgreSQL store."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
import redis


@pytest.fixture
def second_pg(pg_server_url: str) -> Iterator[str]:
    """Another fresh PostgreSQL database at the head revision (a clean run to compare with)."""
    import sqlalchemy as sa

    from store import migrate

    admin = sa.create_engine(pg_server_url, isolation_level="AUTOCOMMIT")
    name = f"ipwire_scale_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = sa.make_url(pg_server_url).set(database=name).render_as_string(hide_password=False)
    migrate.upgrade(url)
    try:
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def pg_store(pg_url: str) -> str:
    """A fresh PostgreSQL database at the head revision."""
    from store import migrate

    migrate.upgrade(pg_url)
    return pg_url


@pytest.fixture
def frontier_redis(redis_url: str, pg_store: str) -> Iterator[str]:
    """The Redis URL; this store's frontier keys are removed before and after the test."""
    from crawler.distributed import key_prefix

    client = redis.Redis.from_url(redis_url)
    prefix = key_prefix(pg_store)

    def clear() -> None:
        keys = list(client.scan_iter(match=f"{prefix}*"))
        if keys:
            client.delete(*keys)

    clear()
    yield redis_url
    clear()
    client.close()
