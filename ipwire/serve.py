"""Serve a folder (the built site) on 127.0.0.1 for previewing: ``ipwire site serve`` and
``ipwire demo --serve`` both serve through here.
"""

from __future__ import annotations

import functools
import http.server
from pathlib import Path

import click

__all__ = ["serve_folder", "serve_until_interrupted"]


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


def serve_until_interrupted(folder: Path, port: int) -> None:
    """Serve the site in ``folder`` on 127.0.0.1 until Ctrl-C.

    Raises:
        click.ClickException: when ``folder`` holds no built site.
    """
    if not (folder / "index.html").is_file():
        raise click.ClickException(f"no site in {folder}: run `ipwire site build` first")
    server = serve_folder(folder, port)
    click.echo(f"serving {folder} at http://127.0.0.1:{server.server_address[1]}/ (Ctrl-C stops)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
