"""Make sure the database schema is the one this code expects before a stage touches it."""

from __future__ import annotations

import logging

from ipwire.config import Settings
from store import migrate

log = logging.getLogger(__name__)


class SchemaOutdated(RuntimeError):
    """The database is not at the schema revision this version of ipwire needs."""


def ensure_schema(settings: Settings, *, upgrade: bool | None = None) -> None:
    """Check (and with ``upgrade``, bring) the database to the latest schema revision.

    The scheduler and ``run --once`` upgrade (they own the database, like ``ipwire init``);
    crawler and NLP workers only check on a server database, so that many machines never race
    to migrate (``upgrade=None``: upgrade SQLite, the one-machine default; only check others).

    Raises:
        SchemaOutdated: behind and not allowed to upgrade, with what to run.
    """
    url = settings.database_url
    if upgrade is None:
        upgrade = url.startswith("sqlite")
    head = migrate.head()
    now = migrate.current(url)
    if now == head:
        return
    if not upgrade:
        raise SchemaOutdated(
            f"the database is at schema {now or 'none'}, this ipwire needs {head}: "
            "run `ipwire init` (or `ipwire db upgrade`) first"
        )
    if settings.database_url.startswith("sqlite"):
        settings.data_dir.mkdir(parents=True, exist_ok=True)
    log.info("upgrading the database schema %s → %s", now or "(empty)", head)
    migrate.upgrade(url)
