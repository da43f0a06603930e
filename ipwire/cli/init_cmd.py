"""``ipwire init``: a data folder, a commented config file, the database schema and the KB."""

from __future__ import annotations

import logging
import os
from importlib import resources
from pathlib import Path

import click

from ipwire.cli import AppContext
from ipwire.cli.db_cmd import quiet_alembic
from ipwire.config import DEFAULT_CONFIG_NAME, ConfigError, load_settings
from store import StoreError, make_engine, make_session_factory, seed_entities, session_scope
from store.migrate import current, upgrade

__all__ = ["config_template", "init", "seed_knowledge_base"]

log = logging.getLogger(__name__)


def config_template() -> str:
    """The commented ``ipwire.toml`` that ``ipwire init`` writes (package data).

    Its sources are real public AI and tech-policy feeds and news sitemaps: a production
    starting point, never fetched by the tests.
    """
    return resources.files("ipwire").joinpath("data/ipwire.example.toml").read_text("utf-8")


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
            path.write_text(config_template(), encoding="utf-8")
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
