"""Issue 19: summaries readable in pipes, logs and narrow terminals; JSON that matches its schema.

Every command that prints a summary runs with stdout piped (CliRunner) and as if on a terminal,
at COLUMNS=60, 80 and 200: every header and value must appear whole, never with an ellipsis.
The JSON documents are validated against docs/cli-json.schema.json.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner, Result

from ipwire.cli import cli, output
from ipwire.cli.output import Section, records_text
from ipwire.config import load_settings
from ipwire.jobs.cluster import ClusterResult
from ipwire.jobs.crawl import CrawlResult
from ipwire.jobs.scheduled import ChainResult, StageOutcome
from store import finish_job_run, make_engine, make_session_factory, session_scope, start_job_run

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((ROOT / "docs" / "cli-json.schema.json").read_text(encoding="utf-8"))
WIDTHS = (60, 80, 200)
LONG_ERROR = (
    "CrawlFailed: crawl process exited with 1: twisted.internet.error.DNSLookupError: "
    "DNS lookup failed: no results for hostname lookup: newsroom.northwind-gazette.example"
)

SUMMARIES: list[dict[str, Any]] = [
    {
        "source": "northwind-gazette-technology-sitemap",
        "run_id": 1,
        "outcome": "partial",
        "pages_fetched": 1234,
        "new": 987,
        "duplicate": 12,
        "near_duplicate": 34,
        "not_modified": 5,
        "already_stored": 206,
        "robots_skipped": 3,
        "skipped": 7,
        "skipped_by_reason": {"robots": 3, "keywords": 4},
        "failed": 9,
        "failed_by_reason": {"http_500": 6, "timeout": 3},
        "retries": 2,
    },
    {
        "source": "contoso-wire-rss",
        "run_id": 2,
        "outcome": "ok",
        "pages_fetched": 56,
        "new": 55,
        "duplicate": 0,
        "near_duplicate": 1,
        "not_modified": 0,
        "already_stored": 0,
        "robots_skipped": 0,
        "skipped": 0,
        "skipped_by_reason": {},
        "failed": 0,
        "failed_by_reason": {},
        "retries": 0,
    },
]

CHAIN = ChainResult(
    [
        StageOutcome(
            "crawl",
            True,
            {
                "sources": 2,
                "new": 1042,
                "duplicate": 12,
                "near_duplicate": 35,
                "failed": 9,
                "failed_by_reason": {"http_500": 6, "timeout": 3},
            },
            seconds=12.0901,
        ),
        StageOutcome(
            "process",
            True,
            {
                "processed": 1040,
                "failed": 2,
                "relevant": 312,
                "batches": 33,
                "seconds": 4.2850251080000135,
                "clustered": 1040,
                "incidents_new": 17,
                "incidents_updated": 4,
            },
            seconds=4.2850251080000135,
        ),
        StageOutcome(
            "cluster",
            True,
            ClusterResult(seconds=0.01).as_counts(),  # nothing left to cluster
            seconds=0.04,
        ),
        StageOutcome("briefing", False, {}, "SMTPConnectError: relay.example refused us", 0.5),
        StageOutcome(
            "site",
            True,
            {
                "pages": 202,
                "written": 202,
                "unchanged": 0,
                "deleted": 0,
                "rendered": 202,
                "incidents": 8,
                "entities": 168,
                "full": True,
                "seconds": 0.895,
            },
            seconds=0.9,
        ),
    ]
)


def validate(doc: dict[str, Any]) -> None:
    jsonschema.validate(doc, SCHEMA)


def assert_whole(out: str, words: list[str]) -> None:
    assert "…" not in out, out
    assert "..." not in out, out
    for word in words:
        assert word in out, (word, out)


@pytest.fixture
def cfg(migrated_sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for key in list(__import__("os").environ):
        if key.startswith("IPWIRE_") or key in ("NO_COLOR", "FORCE_COLOR"):
            monkeypatch.delenv(key)
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "ipwire.toml"
    path.write_text(
        'data_dir = "."\n[nlp]\nmodel = "blank"\n'
        '[[sources]]\nname = "northwind-gazette-technology-sitemap"\nkind = "sitemap"\n'
        'url = "http://127.0.0.1:9/sitemap.xml"\n'
        '[[sources]]\nname = "contoso-wire-rss"\nkind = "feed"\nurl = "http://127.0.0.1:9/rss"\n',
        encoding="utf-8",
    )
    settings = load_settings(path, env={})
    assert settings.database_url == migrated_sqlite_url  # ./ipwire.db, at the head revision
    factory = make_session_factory(make_engine(settings.database_url))
    with session_scope(factory) as s:
        run_id = start_job_run(s, "crawl").id
    with session_scope(factory) as s:
        finish_job_run(s, run_id, outcome="failed", counts={"sources": 2}, error=LONG_ERROR)
    return path


def invoke(args: list[str], *, width: int, terminal: bool, mp: pytest.MonkeyPatch) -> Result:
    mp.setattr(output, "stdout_is_terminal", lambda: terminal)
    return CliRunner().invoke(cli, args, env={"COLUMNS": str(width)})


@pytest.fixture
def fake_crawl(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        "ipwire.cli.crawl_cmd.run_crawl", lambda spec, timeout_s=None: CrawlResult(SUMMARIES, 0)
    )


@pytest.fixture
def fake_chain(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("ipwire.cli.run_cmd.run_chain", lambda *a, **k: CHAIN)


@pytest.mark.parametrize("terminal", [False, True], ids=["piped", "terminal"])
@pytest.mark.parametrize("width", WIDTHS)
def test_crawl_summary_is_whole(
    cfg: Path, fake_crawl: None, monkeypatch: pytest.MonkeyPatch, width: int, terminal: bool
) -> None:
    result = invoke(["--config", str(cfg), "crawl"], width=width, terminal=terminal, mp=monkeypatch)
    assert result.exit_code == 0, result.output
    headers = [
        "source",
        "outcome",
        "pages",
        "duplicate",
        "near-duplicate",
        "not modified",
        "already stored",
        "robots",
        "skipped",
        "failed",
        "failures by reason",
    ]
    values = [
        "northwind-gazette-technology-sitemap",
        "contoso-wire-rss",
        "partial",
        "1234",
        "987",
        "206",
        "http_500=6",
        "timeout=3",
        "skip:keywords=4",
    ]
    assert_whole(result.stdout, headers + values)
    if not terminal or width < 200:
        assert "source:" in result.stdout  # one block per row, not a squeezed table


@pytest.mark.parametrize("terminal", [False, True], ids=["piped", "terminal"])
@pytest.mark.parametrize("width", WIDTHS)
def test_run_once_summary_is_whole_and_rounded(
    cfg: Path, fake_chain: None, monkeypatch: pytest.MonkeyPatch, width: int, terminal: bool
) -> None:
    result = invoke(
        ["--config", str(cfg), "run", "--once", "--no-send"],
        width=width,
        terminal=terminal,
        mp=monkeypatch,
    )
    assert result.exit_code == 1  # the briefing stage failed
    assert result.stderr.strip().splitlines()[-1] == "Error: stage(s) failed: briefing"
    assert_whole(
        result.stdout,
        [
            "stage",
            "outcome",
            "seconds",
            "what it did",
            "12.1",
            "4.3",
            "FAILED",
            "SMTPConnectError: relay.example refused us",
            "2 sources: 1042 new, 12 duplicate, 35 near-duplicate, 9 failed "
            "(http_500=6, timeout=3)",
            "1040 processed (312 relevant, 2 failed) in 33 batches; clustered as it went: "
            "1040 articles into 17 new and 4 updated incidents",
            "nothing left to cluster (process clustered each batch)",
            "202 pages: 202 written, 0 unchanged, 0 deleted (8 incidents, 168 entities)",
        ],
    )
    assert "4.2850251080000135" not in result.stdout


@pytest.mark.parametrize("terminal", [False, True], ids=["piped", "terminal"])
@pytest.mark.parametrize("width", WIDTHS)
def test_status_and_db_info_are_whole(
    cfg: Path, monkeypatch: pytest.MonkeyPatch, width: int, terminal: bool
) -> None:
    status = invoke(
        ["--config", str(cfg), "status"], width=width, terminal=terminal, mp=monkeypatch
    )
    assert status.exit_code == 0, status.output
    assert_whole(
        status.stdout,
        [
            "articles processed",
            "articles relevant",
            "next run",
            "last run of each job",
            "started",
            "finished",
            "crawl:northwind-gazette-technology-sitemap",
            LONG_ERROR,
            "recent failures",
        ],
    )
    info = invoke(
        ["--config", str(cfg), "db", "info"], width=width, terminal=terminal, mp=monkeypatch
    )
    assert info.exit_code == 0, info.output
    assert_whole(info.stdout, ["dialect:", "revision:", "incident_article:", "job_run:"])


@pytest.mark.parametrize("terminal", [False, True], ids=["piped", "terminal"])
@pytest.mark.parametrize("width", WIDTHS)
def test_sql_result_is_whole_and_points_at_csv_json(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, width: int, terminal: bool
) -> None:
    query = (
        "SELECT 'Northwind Gazette Technology Desk' AS outlet_name_as_published, "
        "'Contoso Labs accused Fabrikam of distilling its flagship model' AS article_title, "
        "12345.5 AS relevance_score_times_ten_thousand, NULL AS legal_status"
    )
    db = tmp_path / "x.db"
    sqlite3.connect(db).close()
    result = invoke(["sql", "--db", str(db), query], width=width, terminal=terminal, mp=monkeypatch)
    assert result.exit_code == 0, result.output
    assert_whole(
        result.stdout,
        [
            "outlet_name_as_published",
            "article_title",
            "relevance_score_times_ten_thousand",
            "legal_status",
            "Northwind Gazette Technology Desk",
            "Contoso Labs accused Fabrikam of distilling its flagship model",
            "12345.5",
            "NULL",
            "1 row in",
        ],
    )
    fits = terminal and width >= 200
    assert ("outlet_name_as_published:" in result.stdout) is not fits
    if terminal and not fits:
        assert "--format csv or --format json" in result.stderr


def test_json_documents_match_the_schema(
    cfg: Path, fake_crawl: None, fake_chain: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    docs: dict[str, dict[str, Any]] = {}
    for args in (
        ["crawl"],
        ["run", "--once", "--no-send"],
        ["status"],
        ["db", "info"],
        ["cluster"],
        ["process"],
    ):
        for flag in (["--json"], ["--format", "json"]):
            result = CliRunner().invoke(cli, ["--config", str(cfg), *args, *flag])
            doc = json.loads(result.stdout)
            validate(doc)
            assert doc["exit_status"] == result.exit_code, (args, result.output)
            docs[doc["command"]] = doc
    assert set(docs) == {"crawl", "run", "status", "db info", "cluster", "process"}
    assert docs["crawl"]["totals"]["new"] == 1042
    assert docs["crawl"]["totals"]["failed_by_reason"] == {"http_500": 6, "timeout": 3}
    assert docs["run"]["ok"] is False
    assert docs["run"]["failed_stages"] == ["briefing"]
    assert [s["seconds"] for s in docs["run"]["stages"]][:2] == [12.09, 4.285]
    assert docs["status"]["recent_errors"][0]["error"] == LONG_ERROR
    assert docs["db info"]["dialect"] == "sqlite"
    assert docs["process"]["processed"] == 0


def test_crawl_and_run_once_agree_when_no_source_is_configured(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 15 item 7: both fail, with the same message, and the JSON says so."""
    monkeypatch.chdir(tmp_path)
    cfg = tmp_path / "ipwire.toml"
    cfg.write_text('data_dir = "."\n[nlp]\nmodel = "blank"\n', encoding="utf-8")
    crawl = CliRunner().invoke(cli, ["--config", str(cfg), "crawl"])
    assert crawl.exit_code == 1
    assert "no sources configured" in crawl.stderr
    run = CliRunner().invoke(cli, ["--config", str(cfg), "run", "--once", "--no-send", "--json"])
    assert run.exit_code == 1
    doc = json.loads(run.stdout)
    validate(doc)
    crawl_stage = doc["stages"][0]
    assert crawl_stage["stage"] == "crawl"
    assert crawl_stage["ok"] is False
    assert "no sources configured" in crawl_stage["error"]
    assert doc["failed_stages"] == ["crawl"]
    assert "stage(s) failed: crawl" in run.stderr


def test_quiet_prints_only_errors(cfg: Path, fake_chain: None, fake_crawl: None) -> None:
    crawl = CliRunner().invoke(cli, ["crawl", "-q", "--config", str(cfg)])
    assert crawl.exit_code == 0
    assert crawl.output == ""
    run = CliRunner().invoke(cli, ["-q", "--config", str(cfg), "run", "--once", "--no-send"])
    assert run.exit_code == 1
    assert run.output.strip().splitlines() == ["Error: stage(s) failed: briefing"]


def test_no_colour_off_a_terminal_even_when_forced(
    cfg: Path, fake_crawl: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(output, "stdout_is_terminal", lambda: True)
    result = CliRunner().invoke(
        cli, ["--config", str(cfg), "crawl"], env={"FORCE_COLOR": "1", "COLUMNS": "250"}
    )
    assert result.exit_code == 0
    assert "\x1b[" not in result.output


class FakeTty:
    def isatty(self) -> bool:
        return True


def test_colour_only_on_a_terminal_and_never_with_no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert output.use_colour(FakeTty())  # type: ignore[arg-type]
    monkeypatch.setenv("NO_COLOR", "1")
    assert not output.use_colour(FakeTty())  # type: ignore[arg-type]


def test_records_layout_keeps_every_cell() -> None:
    section = Section("t", ("a very long header name", "n"), [("x" * 300, "123456789")])
    text = records_text(section)
    assert "  a very long header name: " + "x" * 300 in text
    assert text.splitlines()[-1].split() == ["n:", "123456789"]
