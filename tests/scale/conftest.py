"""Fixtures of the scale trials: the generated site on loopback, a migrated PostgreSQL store."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
import redis


@pytest.fixture
def pg_store(migrated_pg_url: str) -> str:
    """A fresh PostgreSQL database at the head revision."""
    return migrated_pg_url


@pytest.fixture
def second_pg(pg_clone: Callable[[], str]) -> str:
    """Another fresh PostgreSQL database at the head revision (a clean run to compare with)."""
    return pg_clone()


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
