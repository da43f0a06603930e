"""The README and the CLI must agree: every command documented, every help with an example."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from ipwire.cli import COMMANDS, cli
from store.examples import EXAMPLES

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def all_commands() -> list[tuple[str, click.Command]]:
    out: list[tuple[str, click.Command]] = []
    ctx = click.Context(cli)
    for name in cli.list_commands(ctx):
        cmd = cli.get_command(ctx, name)
        assert cmd is not None, name
        out.append((name, cmd))
        if isinstance(cmd, click.Group):
            sub_ctx = click.Context(cmd, parent=ctx)
            for sub in cmd.list_commands(sub_ctx):
                sub_cmd = cmd.get_command(sub_ctx, sub)
                assert sub_cmd is not None
                out.append((f"{name} {sub}", sub_cmd))
    return out


def quick_start_commands() -> list[str]:
    section = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return [b.strip() for b in re.findall(r"```bash\n(.*?)```", section, re.S)]


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_is_in_the_readme_cli_table(name: str) -> None:
    table = README.split("## The CLI", 1)[1].split("\n## ", 1)[0]
    assert f"`ipwire {name}" in table


def test_every_command_has_help_with_an_example() -> None:
    runner = CliRunner()
    for name, cmd in all_commands():
        result = runner.invoke(cli, [*name.split(), "--help"])
        assert result.exit_code == 0, (name, result.output)
        assert cmd.help, f"{name} has no help"
        if not isinstance(cmd, click.Group) or name == "db":
            assert "Example" in result.output or "example" in result.output, name


def test_readme_cli_table_names_only_real_commands() -> None:
    table = README.split("## The CLI", 1)[1].split("\n## ", 1)[0]
    named = set(re.findall(r"^\| `ipwire (\w+)", table, re.M))
    assert named == set(COMMANDS)


def test_quick_start_is_exactly_two_commands_and_ci_runs_the_second() -> None:
    commands = quick_start_commands()
    assert len(commands) == 2
    assert commands[0].endswith("ipwire demo")
    assert commands[1] == "bash scripts/test.sh"
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "exec bash scripts/test.sh" in ci


def test_version_and_module_entry_point() -> None:
    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0
    assert result.output.startswith("ipwire, version")


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.name for e in EXAMPLES])
def test_readme_shows_every_example_query(example: object) -> None:
    assert example.sql in README  # type: ignore[attr-defined]
