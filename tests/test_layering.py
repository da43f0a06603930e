"""The layering is enforced by ruff, not by reading.

Each stage's ``ruff.toml`` bans (TID251) the project packages it may not import.

Each case lints a small probe, read from stdin as if it were a file inside the stage, with the
repository's own configuration; nothing is written to the source tree.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("crawler", "nlp", "store", "reports", "ipwire")

# What each folder may not import (README, Architecture); ipwire/ is the composition root.
BANNED = {
    "nlp": {"store", "crawler", "reports", "ipwire"},
    "store": {"crawler", "nlp", "reports", "ipwire"},
    "crawler": {"nlp", "reports", "ipwire"},
    "reports": {"crawler", "nlp", "ipwire"},
    "ipwire": set(),
}


def _flagged(folder: str, source: str) -> set[str]:
    """The project packages ruff reports as banned imports in ``source`` placed in ``folder``."""
    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent)) or "ruff"
    probe_path = str(ROOT / folder / "layering_probe.py")
    args = ["check", "--select", "TID251", "--output-format", "concise", "--no-cache"]
    done = subprocess.run(
        [ruff, *args, "--stdin-filename", probe_path, "-"],
        input=source,
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert done.returncode in (0, 1), done.stderr
    return {p for p in PACKAGES if f"`{p}` is banned" in done.stdout}


@pytest.mark.parametrize("stage", sorted(BANNED))
def test_each_stage_may_import_only_what_the_layering_allows(stage: str) -> None:
    others = [p for p in PACKAGES if p != stage]
    probe = "".join(f"import {p}.anything\n" for p in others)
    assert _flagged(stage, probe) == BANNED[stage]


@pytest.mark.parametrize(
    ("folder", "source", "banned"),
    [
        # a deeper module and a lazy import inside a function
        ("nlp/claims", "def f():\n    from store.models import A\n    return A\n", "store"),
        # a from-import of the package itself
        ("store/models", "from reports import briefing\n\nprint(briefing)\n", "reports"),
        ("reports/site", "import crawler as c\n\nprint(c)\n", "crawler"),
        ("crawler/spiders", "from ipwire.config import Settings\n\nprint(Settings)\n", "ipwire"),
    ],
)
def test_every_form_of_import_is_caught(folder: str, source: str, banned: str) -> None:
    assert _flagged(folder, source) == {banned}


def test_tests_and_bench_import_anything() -> None:
    probe = "".join(f"import {p}\n" for p in PACKAGES)
    assert _flagged("tests", probe) == set()
    assert _flagged("bench", probe) == set()
