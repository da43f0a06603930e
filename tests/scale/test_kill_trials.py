"""The bounded kill trials (issue 8): the whole chain killed at three points, rerun, invariants.

``bench/kill_trials.py`` runs twenty random points; this runs three fixed fractions of the clean
run's duration (early: crawl; middle; late) over two fixture sources, so that CI stays bounded.
"""

from __future__ import annotations

import pytest

from bench.kill_trials import main

pytestmark = pytest.mark.slow


def test_three_kill_points_keep_every_invariant(capsys: pytest.CaptureFixture[str]) -> None:
    rc = main(
        [
            "--points",
            "0.15,0.55,0.9",
            "--source",
            "herald-rss",
            "--source",
            "policy-rss",
            "--timeout",
            "300",
        ]
    )
    out = capsys.readouterr().out
    assert "trials ok: 3/3" in out, out
    assert rc == 0
