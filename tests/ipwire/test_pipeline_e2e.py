"""The whole chain on the fixture news site: ``ipwire demo``, ``ipwire run --once``, SIGTERM.

These run the real CLI in subprocesses (a crawl needs a fresh process for its reactor anyway).
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from crawler.fixture_site import FixtureSite, load_truth
from ipwire.demo import DEMO_HANG_S, demo_config

TRUTH = load_truth()


def ipwire(*args: str, cwd: Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ipwire", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={k: v for k, v in os.environ.items() if not k.startswith("IPWIRE_")},
    )


def rows(db: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchall()


@pytest.fixture
def site() -> Iterator[FixtureSite]:
    with FixtureSite(hang_seconds=DEMO_HANG_S) as s:
        yield s


def test_demo_from_a_fresh_folder(tmp_path: Path) -> None:
    result = ipwire("demo", "--out", "demo", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    out = tmp_path / "demo"
    assert (out / "site" / "index.html").is_file()
    for ext in ("eml", "html", "txt"):
        assert list((out / "briefing").glob(f"*.{ext}")), ext
    db = out / "ipwire.db"
    assert rows(db, "SELECT count(*) FROM article")[0][0] == len(TRUTH["articles"])
    assert rows(db, "SELECT count(*) FROM incident")[0][0] >= 1
    assert rows(db, "SELECT count(*) FROM claim")[0][0] >= 1
    assert "top incident" in result.stdout
    # Running it again into the same folder starts afresh (the folder is the demo's own).
    again = ipwire("demo", "--out", "demo", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert rows(db, "SELECT count(*) FROM article")[0][0] == len(TRUTH["articles"])


def test_demo_refuses_a_foreign_folder(tmp_path: Path) -> None:
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "thesis.tex").write_text("precious", encoding="utf-8")
    result = ipwire("demo", "--out", "mine", cwd=tmp_path)
    assert result.returncode != 0
    assert "not made by `ipwire demo`" in result.stderr
    assert (tmp_path / "mine" / "thesis.tex").read_text(encoding="utf-8") == "precious"


def write_config(tmp_path: Path, site: FixtureSite) -> Path:
    cfg = tmp_path / "ipwire.toml"
    cfg.write_text(demo_config(site.base_url), encoding="utf-8")
    return cfg


def test_run_once_end_to_end(tmp_path: Path, site: FixtureSite) -> None:
    cfg = write_config(tmp_path, site)
    result = ipwire("--config", str(cfg), "run", "--once", "--no-send", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    db = tmp_path / "ipwire.db"
    assert rows(db, "SELECT count(*) FROM article")[0][0] == len(TRUTH["articles"])
    assert rows(db, "SELECT count(*) FROM claim")[0][0] > 0
    assert rows(db, "SELECT count(*) FROM incident")[0][0] > 0
    assert rows(db, "SELECT count(*) FROM briefing")[0][0] == 1
    assert (tmp_path / "site" / "index.html").is_file()
    outcomes = dict(rows(db, "SELECT job, outcome FROM job_run"))
    assert outcomes == {s: "ok" for s in ("crawl", "process", "cluster", "site", "briefing")}
    status = ipwire("--config", str(cfg), "status", cwd=tmp_path)
    assert status.returncode == 0, status.stderr
    assert "briefing" in status.stdout
    assert "articles" in status.stdout


def test_run_once_names_the_failed_stage(tmp_path: Path) -> None:
    # The site cannot be written (its folder is a file): that stage fails, the others run,
    # and the exit status and message name it. No source is configured: the crawl stage
    # could not do its job either, and says so as `ipwire crawl` does.
    (tmp_path / "blocker").write_text("not a folder", encoding="utf-8")
    cfg = tmp_path / "ipwire.toml"
    cfg.write_text('data_dir = "."\n[site]\nout_dir = "blocker/site"\n', encoding="utf-8")
    result = ipwire("--config", str(cfg), "run", "--once", "--no-send", cwd=tmp_path)
    assert result.returncode != 0
    assert "stage(s) failed: crawl, site" in result.stderr
    outcomes = dict(rows(tmp_path / "ipwire.db", "SELECT job, outcome FROM job_run"))
    assert outcomes["site"] == "failed"
    assert outcomes["crawl"] == "failed"
    assert outcomes["briefing"] == "ok"


def _wait_until(db: Path, sql: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if rows(db, sql)[0][0]:
                return
        except sqlite3.OperationalError:
            pass  # not created yet, or locked for a moment
        time.sleep(0.05)
    raise AssertionError(f"never true: {sql}")


# When to send SIGTERM: in the middle of the stage, with some of its work already saved.
MID_STAGE = {
    "crawl": "SELECT count(*) >= 3 FROM article",
    "process": "SELECT count(*) >= 1 FROM article WHERE state = 'done'",
}


@pytest.mark.parametrize("stage", ["crawl", "process"])
def test_sigterm_then_rerun_completes(tmp_path: Path, site: FixtureSite, stage: str) -> None:
    cfg = write_config(tmp_path, site)
    db = tmp_path / "ipwire.db"
    env = {k: v for k, v in os.environ.items() if not k.startswith("IPWIRE_")}
    env["IPWIRE_NLP_BATCH_SIZE"] = "4"  # small batches: processing is interruptible mid-way
    proc = subprocess.Popen(
        [sys.executable, "-m", "ipwire", "--config", str(cfg), "run", "--once", "--no-send"],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        _wait_until(db, MID_STAGE[stage])
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode != 0
    interrupted = rows(db, f"SELECT outcome FROM job_run WHERE job = '{stage}'")
    assert interrupted == [("interrupted",)]
    # Nothing is left leased or half-processed.
    assert rows(db, "SELECT count(*) FROM article WHERE state = 'processing'")[0][0] == 0

    result = ipwire("--config", str(cfg), "run", "--once", "--no-send", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    stored = {u.split("/", 3)[3] for (u,) in rows(db, "SELECT canonical_url FROM article")}
    missing = [p for p in TRUTH["articles"] if p.lstrip("/") not in stored]
    runs = rows(db, "SELECT source_id, outcome, failed_by_reason FROM crawl_run")
    assert missing == [], (missing, runs)
    dupes = rows(db, "SELECT canonical_url FROM article GROUP BY canonical_url HAVING count(*) > 1")
    assert dupes == []
    assert (
        rows(db, "SELECT count(*) FROM article WHERE state NOT IN ('done', 'skipped')")[0][0] == 0
    )
    orphans = rows(
        db,
        "SELECT count(*) FROM claim WHERE article_id NOT IN (SELECT id FROM article) "
        "UNION ALL SELECT count(*) FROM mention WHERE article_id NOT IN (SELECT id FROM article)",
    )
    assert all(n == 0 for (n,) in orphans)
    assert rows(db, f"SELECT outcome FROM job_run WHERE job = '{stage}' ORDER BY id") == [
        ("interrupted",),
        ("ok",),
    ]
