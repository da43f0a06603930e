"""`ipwire sql` via click's CliRunner: formats, parameters, truncation, refusals, exit codes."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import sqlite3
from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner, Result
from sqlalchemy.engine import make_url

from ipwire.cli import cli

ROWS = [
    (1, "Northwind AI", "distillation", "alleged"),
    (2, "Contoso Labs", "leak", None),
    (3, "Fabrikam, Inc.", "scraping", "asserted"),
    (4, "[bold]Tailspin[/bold]", "leak", "denied"),
]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "store.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE claim (claim_id INTEGER PRIMARY KEY, accused, claim_type, stance)")
    conn.executemany("INSERT INTO claim VALUES (?, ?, ?, ?)", ROWS)
    conn.commit()
    conn.close()
    return path


def run(*args: str, stdin: str | None = None) -> Result:
    return CliRunner().invoke(cli, ["sql", *args], input=stdin)


def test_table_format_is_the_default(db: Path) -> None:
    result = run("--db", str(db), "SELECT claim_id, accused, stance FROM claim ORDER BY 1")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "accused" in out
    assert "Northwind AI" in out
    assert "[bold]Tailspin[/bold]" in out  # scraped text is printed, never read as markup
    assert "NULL" in out
    assert "4 rows in" in out
    assert "truncated" not in out


def test_csv_format(db: Path) -> None:
    result = run("--db", str(db), "-f", "csv", "SELECT * FROM claim ORDER BY claim_id")
    assert result.exit_code == 0
    parsed = list(csv.reader(io.StringIO(result.stdout)))
    assert parsed[0] == ["claim_id", "accused", "claim_type", "stance"]
    assert parsed[3] == ["3", "Fabrikam, Inc.", "scraping", "asserted"]
    assert parsed[2][3] == ""  # NULL
    assert result.stderr == ""


def test_json_format_with_named_parameters(db: Path) -> None:
    result = run(
        "--db",
        str(db),
        "--format",
        "json",
        "--param",
        "kind=leak",
        "-p",
        "stance=denied",
        "SELECT claim_id, accused FROM claim WHERE claim_type = :kind AND stance = :stance",
    )
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["columns"] == ["claim_id", "accused"]
    assert payload["rows"] == [[4, "[bold]Tailspin[/bold]"]]
    assert payload["row_count"] == 1
    assert payload["truncated"] is False


def test_query_from_stdin(db: Path) -> None:
    result = run("--db", str(db), "-f", "json", "-", stdin="SELECT count(*) AS n FROM claim\n")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["rows"] == [[4]]


@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
def test_truncation_is_reported(db: Path, fmt: str) -> None:
    result = run("--db", str(db), "-f", fmt, "--max-rows", "2", "SELECT * FROM claim")
    assert result.exit_code == 0
    if fmt == "table":
        assert "2 rows in" in result.stdout
        assert "truncated: showing the first 2 rows" in result.stdout
    else:
        assert "truncated: showing the first 2 rows" in result.stderr
    if fmt == "json":
        assert json.loads(result.stdout)["truncated"] is True
    if fmt == "csv":
        assert len(list(csv.reader(io.StringIO(result.stdout)))) == 3  # header + 2 rows


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize(
    ("query", "fragment"),
    [
        ("DELETE FROM claim", "DELETE"),
        ("DROP TABLE claim", "DROP"),
        ("SELECT 1; DELETE FROM claim", "only one statement"),
        ("/* look away */ UPDATE claim SET stance = 'x'", "UPDATE"),
        ("ATTACH DATABASE 'other.db' AS other", "ATTACH"),
        ("PRAGMA user_version = 3", "PRAGMA user_version"),
        ("SELECT * FROM claim WHERE claim_id = ?", "positional parameter"),
    ],
)
def test_refusals_exit_3_with_one_line_and_change_nothing(
    db: Path, query: str, fragment: str
) -> None:
    before = _digest(db)
    result = run("--db", str(db), query)
    assert result.exit_code == 3
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("Error: refused:")
    assert fragment in lines[0]
    assert _digest(db) == before


def test_timeout_exits_4(db: Path) -> None:
    result = run(
        "--db",
        str(db),
        "--timeout-ms",
        "100",
        "WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 1000000000) "
        "SELECT count(*) FROM c",
    )
    assert result.exit_code == 4
    assert "ran longer than 100 ms" in result.stderr
    assert "--timeout-ms" in result.stderr


def test_database_error_exits_1(db: Path) -> None:
    result = run("--db", str(db), "SELECT * FROM no_such_table")
    assert result.exit_code == 1
    assert "no such table" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--param", "novalue", "SELECT 1"], "expected NAME=VALUE"),
        (["--param", "a=1", "--param", "a=2", "SELECT :a"], "given twice"),
        (["--format", "xml", "SELECT 1"], "xml"),
        (["--max-rows", "0", "SELECT 1"], "0"),
    ],
)
def test_usage_errors_exit_2(db: Path, args: list[str], message: str) -> None:
    result = run("--db", str(db), *args)
    assert result.exit_code == 2
    assert message in result.stderr


def test_default_database_comes_from_the_settings(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("IPWIRE_DATABASE_URL", f"sqlite:///{db.as_posix()}")
    result = run("-f", "csv", "SELECT count(*) AS n FROM claim")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["n", "4"]


def test_help_has_examples() -> None:
    result = CliRunner().invoke(cli, ["sql", "--help"])
    assert result.exit_code == 0
    for text in ("Examples:", "--param", "--max-rows", "--timeout-ms", "read-only", "Exit status"):
        assert text in result.stdout


@pytest.mark.postgres
def test_postgresql_json_and_refusal(pg_url: str) -> None:
    u = make_url(pg_url)
    with psycopg.connect(
        host=u.host, port=u.port, user=u.username, dbname=u.database, autocommit=True
    ) as conn:
        conn.execute("CREATE TABLE claim (claim_id integer PRIMARY KEY, published_at date)")
        conn.execute("INSERT INTO claim VALUES (1, '2026-01-05'), (2, NULL)")
    ok = run(
        "--db", pg_url, "-f", "json", "SELECT * FROM claim WHERE claim_id = :id::int", "-p", "id=1"
    )
    assert ok.exit_code == 0, ok.output
    assert json.loads(ok.stdout)["rows"] == [[1, "2026-01-05"]]
    refused = run(
        "--db", pg_url, "WITH gone AS (DELETE FROM claim RETURNING *) SELECT count(*) FROM gone"
    )
    assert refused.exit_code == 3
    assert refused.stderr.startswith("Error: refused:")
    # Refused by the READ ONLY transaction itself (the guard lets FOR SHARE through).
    locked = run("--db", pg_url, "SELECT * FROM claim FOR SHARE")
    assert locked.exit_code == 3
    assert locked.stderr.strip().splitlines() == [
        "Error: refused: cannot execute SELECT FOR SHARE in a read-only transaction"
    ]
    with psycopg.connect(host=u.host, port=u.port, user=u.username, dbname=u.database) as conn:
        assert conn.execute("SELECT count(*) FROM claim").fetchone() == (2,)


def test_readme_examples_run_through_ipwire_sql(migrated_url: str) -> None:
    """Every documented example query passes the read-only guard on the real schema."""
    from store.examples import EXAMPLES

    for example in EXAMPLES:
        params = [f"--param={k}={v}" for k, v in example.params.items()]
        result = run("--db", migrated_url, "-f", "json", *params, example.sql)
        assert result.exit_code == 0, (example.name, result.stderr)
        assert json.loads(result.stdout)["columns"], example.name
