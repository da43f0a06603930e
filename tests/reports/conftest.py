"""Fixtures for the report tests: a migrated SQLite store seeded with a fictional world.

The report tests run on SQLite: ``db_kind`` is fixed here, so the shared ``migrated_url`` and
``factory`` open an SQLite store (``test_dialects.py`` parametrizes both databases).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker

from ipwire.config import Settings
from tests.reports.seed import World, seed_world
from tests.support.settings import make_settings

#: What every report test's settings hold besides the store and the email section.
REPORT_CONFIG = """\
data_dir = "data"
timezone = "Europe/Berlin"
[watchlist]
entities = ["Quillon AI", "evil-corp"]
keywords = ["training data"]
[site]
base_url = "https://ipwire.example/site"
"""


@pytest.fixture
def db_kind() -> str:
    return "sqlite"


@pytest.fixture
def store_url(migrated_url: str) -> str:
    """The report tests' store, at the head revision."""
    return migrated_url


@pytest.fixture
def world(factory: sessionmaker[Session]) -> World:
    return seed_world(factory)


def report_settings(folder: Path, store_url: str, **email: Any) -> Settings:
    """Settings on ``store_url`` with :data:`REPORT_CONFIG`, and ``email`` as its ``[email]``."""
    return make_settings(
        folder, REPORT_CONFIG, database={"url": store_url}, **({"email": email} if email else {})
    )


@pytest.fixture
def settings(tmp_path: Path, store_url: str) -> Settings:
    return report_settings(tmp_path, store_url)
