"""Logging, configured once at the entry point (never at import time)."""

from __future__ import annotations

import logging
import sys

_configured = False


def configure_logging(level: int = logging.INFO) -> None:
    """Send log records to stderr: rich formatting on a terminal, plain lines otherwise."""
    global _configured
    root = logging.getLogger()
    root.setLevel(level)
    if _configured:
        return
    handler: logging.Handler
    if sys.stderr.isatty():
        from rich.logging import RichHandler

        handler = RichHandler(show_path=False, rich_tracebacks=False)
        handler.setFormatter(logging.Formatter("%(message)s"))
    else:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    for noisy in ("scrapy", "twisted", "filelock", "urllib3", "trafilatura", "htmldate"):
        logging.getLogger(noisy).setLevel(max(level, logging.WARNING))
    _configured = True
