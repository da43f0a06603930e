"""Database trouble in any command ends as one line saying what to do: no traceback, no SQL."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from ipwire.cli import cli

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> CliRunner:
    monkeypatch.chdir(tmp_path)
    for key in list(os.environ):
        if key.startswith("IPWIRE_"):
            monkeypatch.delenv(key)
    return CliRunner()


def _one_line_error(res: Result, *needles: str) -> str:
    """The command failed with a single ``Error:`` line naming ``needles``; returns it."""
    assert res.exit_code != 0, res.output
    assert isinstance(res.exception, SystemExit), res.exception  # not an uncaught exception
    assert "Traceback" not in res.output, res.output
    assert "[SQL:" not in res.output, res.output
    last = res.output.strip().splitlines()[-1]
    assert last.startswith("Error: "), res.output
    assert len(last) < 400, res.output
    errors = [line for line in res.output.splitlines() if line.startswith("Error:")]
    assert errors == [last], res.output
    for needle in needles:
        assert needle in last, last
    return last


def test_status_before_init_says_run_init_and_creates_nothing(
    runner: CliRunner, tmp_path: Path
) -> None:
    _one_line_error(runner.invoke(cli, ["status"]), "no database at", "ipwire init")
    assert list(tmp_path.iterdir()) == []


def test_db_info_on_a_missing_directory_does_not_create_it(
    runner: CliRunner, tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'nowhere' / 'ipwire.db'}"
    res = runner.invoke(cli, ["db", "info"], env={"IPWIRE_DATABASE_URL": url})
    _one_line_error(res, "no database at", "ipwire init")
    assert not (tmp_path / "nowhere").exists()


def test_status_on_an_empty_database_file_says_run_init(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "empty.db").touch()
    env = {"IPWIRE_DATABASE_URL": f"sqlite:///{tmp_path / 'empty.db'}"}
    _one_line_error(runner.invoke(cli, ["status"], env=env), "ipwire init", "no such table")


@pytest.fixture
def immutable_db(runner: CliRunner, tmp_path: Path) -> Iterator[Path]:
    """An initialised database whose file cannot be written (``chattr +i``, needs root)."""
    res = runner.invoke(cli, ["init"])
    assert res.exit_code == 0, res.output
    db = tmp_path / "ipwire-data" / "ipwire.db"
    done = subprocess.run(["chattr", "+i", str(db)], capture_output=True, check=False)
    if done.returncode != 0:
        pytest.skip(f"chattr +i not possible here: {done.stderr.decode().strip()}")
    before = db.read_bytes()
    try:
        yield db
        assert db.read_bytes() == before  # nothing changed, nothing lost
    finally:
        subprocess.run(["chattr", "-i", str(db)], check=False)


@pytest.mark.parametrize(
    "args", [["cluster"], ["brief"], ["init"], ["process", "--reprocess"]], ids=" ".join
)
def test_read_only_database_is_one_line(
    runner: CliRunner, immutable_db: Path, args: list[str]
) -> None:
    _one_line_error(runner.invoke(cli, args), "the database is read-only", "writable")


def test_missing_postgres_driver_names_the_extra(tmp_path: Path) -> None:
    # A fresh interpreter in which psycopg cannot be imported, as without the extra.
    code = (
        "import sys; sys.modules['psycopg'] = None\n"
        "from ipwire.cli import main\n"
        "main(['db', 'info'])\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("IPWIRE_")}
    env["IPWIRE_DATABASE_URL"] = "postgresql+psycopg://ipwire@127.0.0.1/none"
    env["PYTHONPATH"] = str(REPO)
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert "pip install 'ipwire[postgres]'" in lines[0], proc.stderr
