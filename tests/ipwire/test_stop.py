"""SIGTERM in `ipwire run --once` stops at a checkpoint, never in the middle of a commit."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator

import pytest

from ipwire.jobs import stop


@pytest.fixture
def handlers() -> Iterator[None]:
    saved = {s: signal.getsignal(s) for s in (signal.SIGTERM, signal.SIGINT)}
    stop.install()
    try:
        yield
    finally:
        stop.reset()
        for s, h in saved.items():
            signal.signal(s, h)


def test_a_signal_is_recorded_and_raised_at_the_next_checkpoint(handlers: None) -> None:
    os.kill(os.getpid(), signal.SIGTERM)  # delivered at once: the main thread runs Python
    assert stop.requested()  # ... and nothing was raised where the signal landed
    with pytest.raises(SystemExit) as caught:
        stop.checkpoint()
    assert caught.value.code == 128 + signal.SIGTERM


def test_no_request_no_stop(handlers: None) -> None:
    stop.checkpoint()
    assert not stop.requested()


def test_interruptible_blocks_stop_at_once(handlers: None) -> None:
    def block() -> None:
        with stop.interruptible():
            os.kill(os.getpid(), signal.SIGINT)
            pytest.fail("the signal should have interrupted the block")

    with pytest.raises(SystemExit) as caught:
        block()
    assert caught.value.code == 128 + signal.SIGINT


def test_a_second_signal_stops_at_once(handlers: None) -> None:
    os.kill(os.getpid(), signal.SIGTERM)
    with pytest.raises(SystemExit):
        os.kill(os.getpid(), signal.SIGTERM)
