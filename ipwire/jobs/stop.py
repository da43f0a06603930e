"""A graceful stop on SIGTERM/SIGINT for ``ipwire run --once``: at a safe point, not anywhere.

A signal handler that raises ``SystemExit`` raises it wherever the main thread happens to be,
including inside SQLAlchemy's commit, rollback or pool check-in. On SQLite that can leave a
connection with its ``BEGIN IMMEDIATE`` write transaction open; recording the stage as
``interrupted`` then waited for that lock until the busy timeout, and ``ipwire run --once``
did not exit. So the handler only *records* the request, and the jobs call :func:`checkpoint`
between units of work (stages, batches, articles), where no transaction is open.

Where waiting would be wrong and raising is safe (the main thread only waits for the crawl's
child process), the work runs inside :func:`interruptible` and the signal raises at once.
A second signal also raises at once: a stuck stop must still be stoppable.
"""

from __future__ import annotations

import logging
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

__all__ = ["checkpoint", "install", "interruptible", "requested", "reset"]

log = logging.getLogger(__name__)

_requested: int | None = None  # the signal number received, if any
_immediate = 0  # depth of interruptible() blocks


def _exit(signum: int) -> SystemExit:
    return SystemExit(128 + signum)


def _handler(signum: int, _frame: FrameType | None) -> None:
    global _requested
    if _immediate or _requested is not None:
        raise _exit(signum)
    _requested = signum
    log.warning(
        "received %s: stopping after the current step (send it again to stop at once)",
        signal.Signals(signum).name,
    )


def install(signums: tuple[int, ...] = (signal.SIGTERM, signal.SIGINT)) -> None:
    """Handle ``signums`` with a graceful stop (main thread only)."""
    reset()
    for signum in signums:
        signal.signal(signum, _handler)


def reset() -> None:
    """Forget a stop request (tests; a new run)."""
    global _requested
    _requested = None


def requested() -> bool:
    """A stop was requested and has not happened yet."""
    return _requested is not None


def checkpoint() -> None:
    """Stop here if a stop was requested.

    Raises:
        SystemExit: with ``128 + signal number`` as its code.
    """
    if _requested is not None:
        raise _exit(_requested)


@contextmanager
def interruptible() -> Iterator[None]:
    """A block the signal may interrupt at once (it holds no database transaction)."""
    global _immediate
    checkpoint()
    _immediate += 1
    try:
        yield
    finally:
        _immediate -= 1
