"""Fixtures for the report tests: a migrated SQLite store seeded with a fictional world."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from ipwire.config import Settings, load_settings
from store import make_engine, make_session_factory
from store.migrate import upgrade
from tests.reports.seed import World, seed_world


@pytest.fixture
def store_url(tmp_path: Path) -> str:
    url = f"sqlite:///{(tmp_path / 'ipwire.db').as_posix()}"
    upgrade(url)
    return url


@pytest.fixture
def factory(store_url: str) -> Iterator[sessionmaker[Session]]:
    engine = make_engine(store_url)
    yield make_session_factory(engine)
    engine.dispose()


@pytest.fixture
def world(factory: sessionmaker[Session]) -> World:
    return seed_world(factory)


def make_settings(tmp_path: Path, store_url: str, **email: object) -> Settings:
    """Settings for a test: the store, a site folder, an SMTP section, a watchlist."""
    env = {
        "IPWIRE_DATABASE_URL": store_url,
        "IPWIRE_DATA_DIR": str(tmp_path / "data"),
        "IPWIRE_TIMEZONE": "Europe/Berlin",
        "IPWIRE_WATCHLIST_ENTITIES": '["Quillon AI", "evil-corp"]',
        "IPWIRE_WATCHLIST_KEYWORDS": '["training data"]',
        "IPWIRE_SITE_BASE_URL": "https://ipwire.example/site",
    }
    for k, v in email.items():
        env[f"IPWIRE_EMAIL_{k.upper()}"] = v if isinstance(v, str) else repr(v).replace("'", '"')
    return load_settings(env=env)


@pytest.fixture
def settings(tmp_path: Path, store_url: str) -> Settings:
    return make_settings(tmp_path, store_url)
