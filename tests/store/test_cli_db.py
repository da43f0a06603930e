"""``ipwire init`` and ``ipwire db …`` as a user runs them (real databases, no mocks)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from ipwire.cli import cli
from ipwire.cli.init_cmd import config_template
from ipwire.config import load_settings
from store.migrate import head


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> CliRunner:
    monkeypatch.chdir(tmp_path)
    return CliRunner()


def test_config_template_is_valid_and_lists_real_feeds(tmp_path: Path) -> None:
    text = config_template()
    tomllib.loads(text)
    for section in ("[database]", "[crawl]", "[schedule]", "[email]", "[watchlist]"):
        assert section in text
    (tmp_path / "ipwire.toml").write_text(text, encoding="utf-8")
    settings = load_settings(tmp_path / "ipwire.toml", env={})
    kinds = {s.kind for s in settings.sources}
    assert len(settings.sources) >= 10
    assert {"feed", "sitemap"} <= kinds
    # Real public sources (never fetched by tests), all over HTTPS.
    assert all(
        s.url and s.url.startswith("https://") for s in settings.sources if s.kind != "search"
    )
    assert settings.email.password_env == "IPWIRE_SMTP_PASSWORD"  # a name, not a password


def test_init_then_info_and_check_on_a_fresh_directory(runner: CliRunner, tmp_path: Path) -> None:
    res = runner.invoke(cli, ["init"])
    assert res.exit_code == 0, res.output
    assert (tmp_path / "ipwire.toml").read_text(encoding="utf-8") == config_template()
    assert (tmp_path / "ipwire-data" / "ipwire.db").is_file()
    assert f"revision {head()}" in res.output
    assert load_settings(tmp_path / "ipwire.toml").data_dir == tmp_path / "ipwire-data"
    info = runner.invoke(cli, ["db", "info"])
    assert info.exit_code == 0, info.output
    assert "dialect:   sqlite" in info.output
    assert f"revision:  {head()}" in info.output
    assert "article" in info.output
    assert "claim" in info.output
    check = runner.invoke(cli, ["db", "check"])
    assert check.exit_code == 0
    assert "matches the models" in check.output
    # Running init again keeps the config and changes nothing.
    (tmp_path / "ipwire.toml").write_text(config_template() + "\n# mine\n", encoding="utf-8")
    again = runner.invoke(cli, ["init", "--no-kb"])
    assert again.exit_code == 0
    assert "(kept)" in again.output
    assert (tmp_path / "ipwire.toml").read_text(encoding="utf-8").endswith("# mine\n")


def test_db_commands_on_both_databases(
    runner: CliRunner, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("IPWIRE_DATABASE_URL", db_url)
    fresh = runner.invoke(cli, ["db", "check"])
    assert fresh.exit_code == 1
    assert "difference(s)" in fresh.output
    assert runner.invoke(cli, ["db", "upgrade"]).exit_code == 0
    assert runner.invoke(cli, ["db", "check"]).exit_code == 0
    down = runner.invoke(cli, ["db", "downgrade", "base", "--yes"])
    assert down.exit_code == 0
    assert "(none)" in down.output
    refused = runner.invoke(cli, ["db", "downgrade", "base"], input="n\n")
    assert refused.exit_code == 1  # aborted at the prompt
    info = runner.invoke(cli, ["db", "info"])
    assert info.exit_code == 0
    assert "run `ipwire db upgrade`" in info.output


def test_password_is_hidden_and_unreachable_server_is_one_line(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Port 9 (discard) on loopback: nothing listens, the connection is refused at once.
    monkeypatch.setenv("IPWIRE_DATABASE_URL", "postgresql+psycopg://me:s3cret@127.0.0.1:9/x")
    for args in (["db", "info"], ["db", "upgrade"], ["db", "check"], ["init", "--no-kb"]):
        res = runner.invoke(cli, args)
        assert res.exit_code == 1, (args, res.output)
        assert "Traceback" not in res.output
        assert "s3cret" not in res.output
        assert "Error: cannot connect to postgresql+psycopg://me:***@127.0.0.1:9/x" in res.output


def test_bad_url_is_a_clear_error(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IPWIRE_DATABASE_URL", "not a url")
    res = runner.invoke(cli, ["db", "info"])
    assert res.exit_code == 1
    assert "not a database URL" in res.output
