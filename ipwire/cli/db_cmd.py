"""``ipwire db``: migrate the store, check it against the models, and describe it."""

from __future__ import annotations

import logging

import click
import sqlalchemy as sa

from ipwire.cli import AppContext
from ipwire.cli.output import emit_json, format_options, output_format
from store import StoreError, check_connection, make_engine
from store.housekeeping import table_row_counts
from store.migrate import check, current, downgrade, head, upgrade

__all__ = ["db", "quiet_alembic"]


def _run(fn: object, *args: object) -> object:
    """Call a store function; expected failures become one-line messages, not tracebacks."""
    try:
        return fn(*args)  # type: ignore[operator]
    except StoreError as e:
        raise click.ClickException(str(e)) from None
    except sa.exc.SQLAlchemyError as e:
        orig = getattr(e, "orig", None)
        reason = str(orig or e).strip().splitlines()[0]
        raise click.ClickException(f"database error: {reason}") from None


def quiet_alembic() -> None:
    """Alembic logs every step at INFO; show that only with ``-v`` (debug)."""
    if logging.getLogger().getEffectiveLevel() > logging.DEBUG:
        logging.getLogger("alembic").setLevel(logging.WARNING)


@click.group()
def db() -> None:
    """Manage the database: migrate, check, describe.

    \b
    Examples:
      ipwire db upgrade
      ipwire db check
      ipwire db info
    """
    quiet_alembic()


@db.command("upgrade")
@click.argument("revision", default="head")
@click.pass_obj
def db_upgrade(obj: AppContext, revision: str) -> None:
    """Migrate the database to REVISION (default: the latest).

    \b
    Example:
      ipwire db upgrade
    """
    url = obj.settings.database_url
    _run(upgrade, url, revision)
    click.echo(f"database at revision {_run(current, url)}")


@db.command("downgrade")
@click.argument("revision")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.pass_obj
def db_downgrade(obj: AppContext, revision: str, yes: bool) -> None:
    """Revert the database to REVISION (`base` drops every table: all data is lost).

    \b
    Example:
      ipwire db downgrade base --yes
    """
    url = obj.settings.database_url
    if not yes:
        click.confirm(
            f"Revert {_safe(url)} to {revision}? Data in removed tables is lost", abort=True
        )
    _run(downgrade, url, revision)
    click.echo(f"database at revision {_run(current, url) or '(none)'}")


@db.command("check")
@click.pass_obj
def db_check(obj: AppContext) -> None:
    """Check that the database is at the latest revision and matches the models.

    Exits with status 1 and lists the differences when it does not.

    \b
    Example:
      ipwire db check
    """
    problems = _run(check, obj.settings.database_url)
    assert isinstance(problems, list)
    if problems:
        for p in problems:
            click.echo(f"  {p}", err=True)
        raise click.ClickException(f"{len(problems)} difference(s) between database and models")
    click.echo(f"ok: schema at revision {head()} matches the models")


@db.command("info")
@format_options
@click.pass_obj
def db_info(obj: AppContext) -> None:
    """Show the database URL (password hidden), dialect, revision and row counts.

    \b
    Examples:
      ipwire db info
      ipwire db info --json
    """
    url = obj.settings.database_url
    fmt = output_format()
    try:
        engine = _run(lambda: make_engine(url, create=False))
        assert isinstance(engine, sa.Engine)
    except click.ClickException as e:
        _json_error(fmt, e)
        raise
    try:
        try:
            _run(check_connection, engine)
            rev = _run(current, url)
            counts = table_row_counts(engine)
        except click.ClickException as e:
            _json_error(fmt, e)
            raise
        if fmt == "json":
            emit_json(
                "db info",
                {
                    "url": _safe(url),
                    "dialect": engine.dialect.name,
                    "server_version": _server_version(engine),
                    "revision": rev,
                    "latest_revision": head(),
                    "rows": dict(counts),
                },
            )
            return
        click.echo(f"url:       {_safe(url)}")
        click.echo(f"dialect:   {engine.dialect.name} {_server_version(engine)}")
        click.echo(f"revision:  {rev or '(none: run `ipwire db upgrade`)'} (latest: {head()})")
        if not counts:
            return
        click.echo("rows:")
        width = max(len(name) for name in counts)
        for name, n in counts.items():
            click.echo(f"  {name + ':':<{width + 1}} {n:>10,}")
    finally:
        engine.dispose()


def _json_error(fmt: str, e: click.ClickException) -> None:
    if fmt == "json":
        emit_json("db info", {"error": e.format_message()}, ok=False, exit_status=e.exit_code)


def _server_version(engine: sa.Engine) -> str:
    info = engine.dialect.server_version_info
    return ".".join(str(p) for p in info) if info else ""


def _safe(url: str) -> str:
    return sa.make_url(url).render_as_string(hide_password=True)
