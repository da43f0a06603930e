"""Issue 15's CLI items: extract's input, global options anywhere, the demo's database and its
stage summary, and the demo folder kept out of git (the demo run itself: test_demo_output.py)."""

from __future__ import annotations

import fnmatch
import io
import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from ipwire.cli import COMMANDS, cli
from ipwire.cli.argv import GLOBAL_FLAGS, GLOBAL_VALUED, hoist_global_options
from ipwire.cli.extract_cmd import read_article
from ipwire.cli.summaries import describe_stage, stage_section
from ipwire.demo import ignored_environment, try_command
from ipwire.jobs.cluster import ClusterResult
from ipwire.jobs.scheduled import ChainResult, StageOutcome

ROOT = Path(__file__).resolve().parents[2]
LATIN1 = (
    "René Dupont, the chief executive of Quillmark AI, said the company had sued Brightline AI "
    "over stolen model weights. The lawsuit was filed on Monday in a federal court in Genève.\n"
)


# -- item 8: extract reads files as the crawler reads pages --------------------------------------
def test_latin1_file_is_decoded_and_the_encoding_named(tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes(LATIN1.encode("latin-1"))
    with path.open("rb") as f:
        text, encoding = read_article(f)
    assert "René Dupont" in text
    assert "Genève" in text
    assert "\ufffd" not in text
    assert encoding == "cp1252"
    result = CliRunner().invoke(cli, ["extract", str(path), "--model", "blank"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["encoding"] == "cp1252"
    assert f"{path} is not UTF-8: read as cp1252" in result.stderr


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (LATIN1.encode("utf-8"), "utf-8"),
        (b"\xef\xbb\xbf" + LATIN1.encode("utf-8"), "utf-8"),
        (LATIN1.encode("utf-16"), "utf-16-le"),
    ],
    ids=["utf-8", "utf-8-bom", "utf-16-bom"],
)
def test_unicode_files_and_byte_order_marks(data: bytes, encoding: str) -> None:
    stream = io.BytesIO(data)
    stream.name = "a.txt"
    text, found = read_article(stream)  # type: ignore[arg-type]
    assert text == LATIN1
    assert found == encoding


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "Error: standard input is empty: nothing to analyse"),
        (b"  \n\t\n", "Error: standard input is empty: nothing to analyse"),
        (b"\x7fELF\x02\x01\x01\x00\x00\x00" * 40, "Error: standard input is not text"),
        (b"ab 12345 67890 #### " * 30, "Error: cannot analyse standard input: failed: not text"),
    ],
    ids=["empty", "blank", "binary", "symbols"],
)
def test_extract_refuses_what_it_cannot_analyse_with_one_line(data: bytes, message: str) -> None:
    result = CliRunner().invoke(cli, ["extract", "-", "--model", "blank"], input=data)
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(message), result.stderr
    assert result.stdout == ""


# -- item 9: global options after the subcommand -------------------------------------------------
@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["status", "--config", "x.toml"], ["--config", "x.toml", "status"]),
        (["run", "--once", "-q", "--config=x.toml"], ["-q", "--config=x.toml", "run", "--once"]),
        (["-v", "db", "info", "--json", "-q"], ["-v", "-q", "db", "info", "--json"]),
        (["--config", "a.toml", "crawl"], ["--config", "a.toml", "crawl"]),
        (["sql", "-f", "json", "--", "-q"], ["sql", "-f", "json", "--", "-q"]),
        (["--help"], ["--help"]),
        (["nosuch", "-q"], ["nosuch", "-q"]),
    ],
)
def test_global_options_move_before_the_subcommand(argv: list[str], expected: list[str]) -> None:
    assert hoist_global_options(argv, list(COMMANDS)) == expected


def test_no_subcommand_defines_a_global_option_name() -> None:
    names = GLOBAL_FLAGS | GLOBAL_VALUED
    ctx = click.Context(cli)
    commands: list[click.Command] = []
    for name in cli.list_commands(ctx):
        cmd = cli.get_command(ctx, name)
        assert cmd is not None
        commands.append(cmd)
        if isinstance(cmd, click.Group):
            commands += [c for n in cmd.list_commands(ctx) if (c := cmd.get_command(ctx, n))]
    for cmd in commands:
        for param in cmd.params:
            assert not set(getattr(param, "opts", ())) & names, (cmd.name, param.opts)


def test_config_after_the_subcommand_is_used(tmp_path: Path) -> None:
    cfg = tmp_path / "elsewhere.toml"
    cfg.write_text(f'data_dir = "{tmp_path.as_posix()}/data"\n', encoding="utf-8")
    # `db info` never creates a database: the one named by that config must exist first
    init = CliRunner().invoke(cli, ["init", "--config", str(cfg)])
    assert init.exit_code == 0, init.output
    result = CliRunner().invoke(cli, ["db", "info", "--json", "--config", str(cfg)])
    assert result.exit_code == 0, result.output
    assert f"{tmp_path.as_posix()}/data/ipwire.db" in json.loads(result.stdout)["url"]


# -- item 6: the demo's own database -------------------------------------------------------------
def test_demo_names_the_environment_it_ignores_and_suggests_its_own_file() -> None:
    env = {
        "IPWIRE_DATABASE_URL": "postgresql+psycopg://ipwire@db/ipwire",
        "IPWIRE_CONFIG": "/etc/ipwire.toml",
        "IPWIRE_CRAWL_REDIS_URL": "",
        "HOME": "/root",
    }
    assert ignored_environment(env) == ["IPWIRE_DATABASE_URL"]
    cmd = try_command(Path("/tmp/my demo/ipwire.db"))
    assert cmd.startswith("ipwire sql --db '/tmp/my demo/ipwire.db' 'SELECT ")


# -- item 11: the demo's default folder is not committed by accident -----------------------------
def test_the_demos_default_folder_is_git_ignored() -> None:
    demo = cli.get_command(click.Context(cli), "demo")
    assert demo is not None
    default = next(p.default for p in demo.params if p.name == "out")
    patterns = [
        line.strip().strip("/")
        for line in (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert any(fnmatch.fnmatch(str(default), p) for p in patterns), patterns


# -- item 12: each stage says what it really did, rounded ----------------------------------------
def test_cluster_after_process_says_process_did_the_clustering() -> None:
    chain = ChainResult(
        [
            StageOutcome(
                "process",
                True,
                {
                    "processed": 44,
                    "failed": 0,
                    "relevant": 27,
                    "batches": 2,
                    "seconds": 5.92893668399995,
                    "clustered": 44,
                    "incidents_new": 8,
                    "incidents_updated": 4,
                },
                seconds=6.4123,
            ),
            StageOutcome(
                "cluster",
                True,
                ClusterResult(seconds=0.01).as_counts(),  # nothing left to cluster
                seconds=0.0123,
            ),
        ]
    )
    assert describe_stage(chain.stages[0], chain) == (
        "44 processed (27 relevant, 0 failed) in 2 batches; clustered as it went: "
        "44 articles into 8 new and 4 updated incidents"
    )
    assert describe_stage(chain.stages[1], chain) == (
        "nothing left to cluster (process clustered each batch)"
    )
    rows = stage_section(chain, "pipeline").rows
    assert [r[2] for r in rows] == ["6.4", "0.0"]
    assert not any("5.928" in cell for row in rows for cell in row)
