"""The ``ipwire`` command group.

Subcommands live in their own modules and are imported only when invoked (``COMMANDS`` maps a
command name to ``module:attribute``), so ``ipwire --help`` stays fast and a broken optional
stage cannot stop the others from running.
"""

from __future__ import annotations

import importlib
import logging
import sys
from pathlib import Path
from typing import Any

import click

from ipwire import __version__
from ipwire.config import ConfigError, Settings, load_settings
from ipwire.logs import configure_logging

# name -> "module:attribute". Add a line here when you add a command module.
COMMANDS: dict[str, str] = {
    "init": "ipwire.cli.init_cmd:init",
    "db": "ipwire.cli.db_cmd:db",
    "sql": "ipwire.cli.sql_cmd:sql",
    "crawl": "ipwire.cli.crawl_cmd:crawl",
    "backfill": "ipwire.cli.backfill_cmd:backfill",
    "process": "ipwire.cli.process_cmd:process",
    "cluster": "ipwire.cli.cluster_cmd:cluster",
    "run": "ipwire.cli.run_cmd:run",
    "status": "ipwire.cli.status_cmd:status",
    "demo": "ipwire.cli.demo_cmd:demo",
    "extract": "ipwire.cli.extract_cmd:extract",
    "brief": "ipwire.cli.brief_cmd:brief",
    "site": "ipwire.cli.site_cmd:site",
}


class LazyGroup(click.Group):
    """A group whose subcommands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module_name, attr = target.split(":")
        cmd = getattr(importlib.import_module(module_name), attr)
        assert isinstance(cmd, click.Command)
        return cmd

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        # --config, -v and -q also work after the subcommand (see ipwire.cli.argv).
        if ctx.parent is None:
            from ipwire.cli.argv import hoist_global_options

            args = hoist_global_options(args, list(COMMANDS))
        return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command; database trouble anywhere in it ends as one line, not a traceback."""
        try:
            return super().invoke(ctx)
        except Exception as e:
            if not _is_database_error(e):
                raise
            from store.errors import describe

            logging.getLogger(__name__).debug("database error", exc_info=True)
            raise click.ClickException(describe(e)) from None


def _is_database_error(exc: BaseException) -> bool:
    # Looked up, not imported: `ipwire --help` must not pay for importing SQLAlchemy.
    store_errors = sys.modules.get("store.errors")
    sa_exc = sys.modules.get("sqlalchemy.exc")
    return bool(
        (store_errors and isinstance(exc, store_errors.StoreError))
        or (sa_exc and isinstance(exc, sa_exc.SQLAlchemyError))
    )


class AppContext:
    """What every command receives through ``click.pass_obj``: the settings, loaded lazily."""

    def __init__(self, config_path: Path | None, quiet: bool = False) -> None:
        self.config_path = config_path
        self.quiet = quiet
        self._settings: Settings | None = None

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            try:
                self._settings = load_settings(self.config_path)
            except ConfigError as e:
                raise click.ClickException(str(e)) from None
        return self._settings


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="ipwire")
@click.option(
    "--config",
    "config_path",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Config file (default: $IPWIRE_CONFIG, else ./ipwire.toml if present).",
)
@click.option("-v", "--verbose", count=True, help="More log output (-vv for debug).")
@click.option("-q", "--quiet", is_flag=True, help="Only errors (no summaries, progress or logs).")
@click.pass_context
def cli(ctx: click.Context, config_path: Path | None, verbose: int, quiet: bool) -> None:
    """ipwire watches the news for AI intellectual-property incidents.

    \b
    Examples:
      ipwire demo                      # the whole pipeline on the bundled offline news site
      ipwire init && ipwire run        # your own sources, on a schedule
      ipwire sql "SELECT * FROM v_claims LIMIT 5"
      ipwire run --once -q --config /etc/ipwire.toml   # cron: output only on errors

    Global options (--config, -v, -q) may also follow the subcommand.
    """
    level = logging.ERROR if quiet else (logging.INFO, logging.DEBUG)[min(verbose, 1)]
    configure_logging(level)
    ctx.obj = AppContext(config_path, quiet=quiet)


def main(argv: list[str] | None = None) -> Any:
    """Console-script entry point."""
    return cli.main(args=argv, prog_name="ipwire")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
