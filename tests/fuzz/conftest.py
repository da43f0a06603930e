"""Fuzzing with hypothesis: every input tried is recorded, and counted at the end of the run.

Each target writes one JSON line per input to ``fuzz-inputs.jsonl`` in pytest's base temp
folder (a shortened ``repr`` of the input); the terminal summary says how many inputs each
target tried and where the log is. ``IPWIRE_FUZZ_EXAMPLES`` raises the number of examples
(hypothesis's ``max_examples``) for a longer campaign; the default keeps CI fast.
"""

from __future__ import annotations

import json
import threading
from collections import Counter
from pathlib import Path
from typing import Any

import pytest


class InputLog:
    """Appends the inputs tried to a JSONL file and counts them per target."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.counts: Counter[str] = Counter()
        self._lock = threading.Lock()
        self._file = path.open("a", encoding="utf-8")

    def record(self, target: str, value: Any) -> None:
        with self._lock:
            self.counts[target] += 1
            text = repr(value)
            self._file.write(json.dumps({"target": target, "input": text[:2000]}) + "\n")

    def close(self) -> None:
        self._file.close()


_LOG: InputLog | None = None


@pytest.fixture(scope="session")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Any:
    global _LOG
    log = InputLog(tmp_path_factory.getbasetemp() / "fuzz-inputs.jsonl")
    _LOG = log
    yield log
    log.close()


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if _LOG is None or not _LOG.counts:
        return
    terminalreporter.write_sep("-", "fuzz inputs tried")
    for target, n in sorted(_LOG.counts.items()):
        terminalreporter.write_line(f"{target:<28} {n:>6}")
    terminalreporter.write_line(f"inputs logged to {_LOG.path}")
