"""``ipwire init``: a data folder, a commented config file, the database schema and the KB."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import click

from ipwire.cli import AppContext
from ipwire.cli.db_cmd import quiet_alembic
from ipwire.config import DEFAULT_CONFIG_NAME, ConfigError, load_settings
from store import StoreError, make_engine, make_session_factory, seed_entities, session_scope
from store.migrate import current, upgrade

__all__ = ["CONFIG_TEMPLATE", "init", "seed_knowledge_base"]

log = logging.getLogger(__name__)

CONFIG_TEMPLATE = """\
# ipwire configuration. Every key is optional: uncomment a line to change its default.
# Environment variables override the file: IPWIRE_<SECTION>_<KEY>, e.g. IPWIRE_DATABASE_URL.

# Folder for the SQLite store, the report site and briefings (relative to this file).
data_dir = "ipwire-data"
# IANA timezone of the schedule and of briefing dates.
timezone = "UTC"

[database]
# Empty: an SQLite file ipwire.db in data_dir. PostgreSQL (pip install 'ipwire[postgres]'):
# url = "postgresql+psycopg://ipwire@127.0.0.1:5432/ipwire"

[nlp]
# Articles a worker claims at a time, and how long it may hold them.
# batch_size = 32
# lease_seconds = 600

[schedule]
# crawl_interval_minutes = 30
# briefing_time = "07:00"

[email]
# smtp_host = "smtp.example.org"
# recipients = ["analyst@example.org"]

# One [[sources]] table per feed, sitemap, listing page or list of URLs, for example:
# [[sources]]
# name = "example-feed"
# kind = "feed"
# url = "https://news.example/feed.xml"
"""


def _config_path(ctx_path: Path | None) -> Path:
    if ctx_path is not None:
        return ctx_path
    env = os.environ.get("IPWIRE_CONFIG")
    return Path(env) if env else Path(DEFAULT_CONFIG_NAME)


def seed_knowledge_base(database_url: str) -> int | None:
    """Write the packaged knowledge base (``nlp/kb``) into the ``entity`` table.

    Returns:
        The number of entities seeded, or ``None`` when this install has no KB loader.

    Raises:
        click.ClickException: the KB files are invalid.
    """
    try:
        from nlp.kb import load_kb
    except ImportError:
        log.info("no knowledge base loader installed; skipping KB seeding")
        return None
    try:
        kb = load_kb()
    except ValueError as e:  # nlp.kb.KbError
        raise click.ClickException(f"knowledge base: {e}") from None
    records = [
        {
            "id": e.id,
            "name": e.name,
            "type": e.type,
            "aliases": list(e.aliases),
            "wikidata": e.wikidata,
            "description": e.description or None,
        }
        for e in kb.entities.values()
    ]
    engine = make_engine(database_url)
    try:
        with session_scope(make_session_factory(engine)) as s:
            return seed_entities(s, records)
    finally:
        engine.dispose()


@click.command()
@click.option("--no-kb", is_flag=True, help="Do not seed the knowledge-base entities.")
@click.pass_obj
def init(obj: AppContext, no_kb: bool) -> None:
    """Set up ipwire here: config file, data folder, database schema, knowledge base.

    Writes a commented ipwire.toml when there is none (an existing file is never touched),
    creates the data folder, migrates the database to the latest schema and seeds the
    knowledge-base entities. Safe to run again: it only does what is missing.

    \b
    Examples:
      ipwire init && ipwire db info
      IPWIRE_DATABASE_URL=postgresql+psycopg://me@127.0.0.1/ipwire ipwire init
    """
    quiet_alembic()
    path = _config_path(obj.config_path)
    if path.exists():
        click.echo(f"config:    {path} (kept)")
    else:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(CONFIG_TEMPLATE, encoding="utf-8")
        except OSError as e:
            raise click.ClickException(f"cannot write {path}: {e.strerror}") from None
        click.echo(f"config:    {path} (written)")
    try:
        settings = load_settings(path)
    except ConfigError as e:
        raise click.ClickException(str(e)) from None
    try:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise click.ClickException(f"cannot create {settings.data_dir}: {e.strerror}") from None
    click.echo(f"data dir:  {settings.data_dir}")
    url = settings.database_url
    try:
        upgrade(url)
        click.echo(f"database:  {_hide(url)} at revision {current(url)}")
    except StoreError as e:
        raise click.ClickException(str(e)) from None
    if not no_kb:
        n = seed_knowledge_base(url)
        click.echo(
            "entities:  no knowledge base available"
            if n is None
            else f"entities:  {n} from the knowledge base"
        )
    click.echo("ready. Next: add [[sources]] to the config, then `ipwire --help`.")


def _hide(url: str) -> str:
    from sqlalchemy import make_url

    return make_url(url).render_as_string(hide_password=True)
