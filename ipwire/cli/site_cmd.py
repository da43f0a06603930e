"""``ipwire site build`` and ``ipwire site serve``: the static report site."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import click

from ipwire.cli import AppContext
from ipwire.cli.output import F
from ipwire.serve import serve_folder, serve_until_interrupted

__all__ = ["port_option", "serve_folder", "site"]


@click.group()
def site() -> None:
    """Build or preview the static report site."""


@site.command("build")
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Output folder (default: [site] out_dir, else <data_dir>/site).",
)
@click.option("--full", is_flag=True, help="Re-render every page, not only what changed.")
@click.pass_obj
def build_cmd(app: AppContext, out: Path | None, full: bool) -> None:
    """Build the site; only pages whose data changed are rewritten.

    \b
    Examples:
      ipwire site build
      ipwire site build --out public/ --full
    """
    from ipwire.jobs.publish import build_site

    result = build_site(app.settings, out=out, full=full)
    s = result.stats
    click.echo(
        f"site {result.out_dir}: {s.pages_total} pages ({s.written} written, {s.unchanged} "
        f"unchanged, {s.deleted} deleted) in {s.seconds:.2f}s"
    )
    click.echo(f"  open {(result.out_dir / 'index.html').resolve().as_uri()}")


def port_option(help: str) -> Callable[[F], F]:
    """The ``--port`` of a command that serves the site on 127.0.0.1."""
    return click.option(
        "--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help=help
    )


@site.command("serve")
@port_option("Port on 127.0.0.1 (0: any free port).")
@click.option(
    "--dir",
    "folder",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Folder to serve (default: the site folder from the config).",
)
@click.pass_obj
def serve_cmd(app: AppContext, port: int, folder: Path | None) -> None:
    """Serve the built site on 127.0.0.1 until interrupted.

    \b
    Examples:
      ipwire site serve
      ipwire site serve --port 8080 --dir public/
    """
    serve_until_interrupted(folder or app.settings.site_dir, port)
