"""``ipwire site build`` and ``ipwire site serve``: the static report site."""

from __future__ import annotations

import functools
import http.server
from pathlib import Path

import click

from ipwire.cli import AppContext

__all__ = ["site"]


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


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {  # noqa: RUF012 (the stdlib's own class attribute)
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".atom": "application/atom+xml",
        ".js": "text/javascript",
        ".svg": "image/svg+xml",
        ".csv": "text/csv; charset=utf-8",
        ".json": "application/json",
    }

    def end_headers(self) -> None:
        # The pages carry their CSP in a <meta>; the preview server adds the headers a meta
        # cannot express.
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header("X-Frame-Options", "DENY")
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:
        click.echo(f"  {self.address_string()} {format % args}", err=True)


def serve_folder(folder: Path, port: int) -> http.server.ThreadingHTTPServer:
    """A static file server for ``folder`` on 127.0.0.1 (``port`` 0: any free port)."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    return http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)


@site.command("serve")
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8000,
    show_default=True,
    help="Port on 127.0.0.1 (0: any free port).",
)
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
    root = folder or app.settings.site_dir
    if not (root / "index.html").is_file():
        raise click.ClickException(f"no site in {root}: run `ipwire site build` first")
    server = serve_folder(root, port)
    click.echo(f"serving {root} at http://127.0.0.1:{server.server_address[1]}/ (Ctrl-C stops)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
