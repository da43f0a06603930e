"""``ipwire demo --json`` with a PostgreSQL URL in the environment: one (slow) demo run, then
its JSON, the command it suggests and every README SQL example, checked on its database."""

from __future__ import annotations

import json
import os
import re
import shlex
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from store.examples import EXAMPLES

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
SCHEMA = json.loads((ROOT / "docs" / "cli-json.schema.json").read_text(encoding="utf-8"))
# Nothing listens on port 9: were the demo to use this database, it would fail at once.
FOREIGN_DB = "postgresql+psycopg://ipwire@127.0.0.1:9/production"


def ipwire(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("IPWIRE_")}
    env["IPWIRE_DATABASE_URL"] = FOREIGN_DB
    return subprocess.run(
        [sys.executable, "-m", "ipwire", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], str, Path]:
    cwd = tmp_path_factory.mktemp("demo")
    result = ipwire("demo", "--out", "demo", "--json", cwd=cwd)
    assert result.returncode == 0, result.stdout + result.stderr
    return json.loads(result.stdout), result.stderr, cwd


def test_demo_json_matches_the_schema_and_uses_its_own_sqlite(
    demo: tuple[dict[str, Any], str, Path],
) -> None:
    doc, stderr, cwd = demo
    jsonschema.validate(doc, SCHEMA)
    assert doc["ok"]
    assert doc["exit_status"] == 0
    assert doc["failed_stages"] == []
    db = cwd / "demo" / "ipwire.db"
    assert doc["database"] == {"url": f"sqlite:///{db.as_posix()}", "file": str(db)}
    assert doc["ignored_environment"] == ["IPWIRE_DATABASE_URL"]
    assert "ignoring IPWIRE_DATABASE_URL" in stderr
    assert doc["found"]["articles"] > 0
    assert doc["found"]["incidents"] > 0


def test_each_stage_says_what_it_did_with_rounded_seconds(
    demo: tuple[dict[str, Any], str, Path],
) -> None:
    doc, _, _ = demo
    stages = {s["stage"]: s for s in doc["stages"]}
    assert list(stages) == ["crawl", "process", "cluster", "briefing", "site"]
    assert "clustered as it went" in stages["process"]["summary"]
    assert stages["process"]["counts"]["incidents_new"] == doc["found"]["incidents"]
    assert stages["cluster"]["summary"] == "nothing left to cluster (process clustered each batch)"
    for stage in doc["stages"]:
        assert stage["seconds"] == round(stage["seconds"], 3)
        assert "seconds=" not in stage["summary"]


def test_the_suggested_command_queries_the_demo_database(
    demo: tuple[dict[str, Any], str, Path],
) -> None:
    doc, _, cwd = demo
    argv = shlex.split(doc["try"])
    assert argv[:2] == ["ipwire", "sql"]
    result = ipwire(*argv[1:], "--format", "json", cwd=cwd)  # IPWIRE_DATABASE_URL still set
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["row_count"] > 0


def _readme_queries() -> list[str]:
    blocks = re.findall(r"```sql\n(.*?)```", README, re.S)
    return [q.strip() for b in blocks for q in b.split(";") if q.strip()]


def test_every_readme_sql_example_returns_rows_on_the_demo_database(
    demo: tuple[dict[str, Any], str, Path],
) -> None:
    _, _, cwd = demo
    db = cwd / "demo" / "ipwire.db"
    with sqlite3.connect(db) as conn:
        (slug,) = conn.execute(
            "SELECT slug FROM v_incidents ORDER BY score DESC LIMIT 1"
        ).fetchone()
    documented: dict[str, dict[str, str]] = {" ".join(e.sql.split()): e.params for e in EXAMPLES}
    queries = _readme_queries()
    assert len(queries) >= len(EXAMPLES)
    for sql in queries:
        params = documented.get(" ".join(sql.split()), {})
        # The README's other examples name their parameters; give them the demo's values.
        for name in re.findall(r":(\w+)", sql):
            params.setdefault(name, {"slug": slug}.get(name, ""))
        args = [f"--param={k}={v}" for k, v in params.items()]
        result = ipwire("sql", "--db", str(db), "--format", "json", *args, sql, cwd=cwd)
        assert result.returncode == 0, (sql, result.stderr)
        assert json.loads(result.stdout)["row_count"] > 0, (sql, params)
    # The "Run it:" lines of the README use the same parameters as the examples.
    for example in EXAMPLES:
        for key, value in example.params.items():
            assert f"--param {key}={value}" in README
