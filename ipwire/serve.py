"""Serve a folder (the built site) on 127.0.0.1 for previewing."""

from __future__ import annotations

import functools
import http.server
import logging
from pathlib import Path

log = logging.getLogger(__name__)


def serve_folder(folder: Path, *, port: int = 8000, host: str = "127.0.0.1") -> None:
    """Serve ``folder`` until interrupted (Ctrl-C)."""
    if not (folder / "index.html").exists():
        raise FileNotFoundError(f"no site in {folder}: run `ipwire site build` first")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
    with http.server.ThreadingHTTPServer((host, port), handler) as httpd:
        print(f"serving {folder} at http://{host}:{httpd.server_address[1]}/ (Ctrl-C to stop)")
        try:
            httpd.serve_forever()
        except KeyboardInterrupt:
            log.info("stopped serving")
