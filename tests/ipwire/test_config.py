"""Configuration: defaults, TOML, environment overrides, and error messages a person can act on."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from ipwire.cli import cli
from ipwire.config import ConfigError, Settings, load_settings


def write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "ipwire.toml"
    p.write_text(text, encoding="utf-8")
    return p


def test_defaults_use_sqlite_under_data_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    s = load_settings(env={})
    assert s.database_url == "sqlite:///ipwire-data/ipwire.db"
    assert s.site_dir == Path("ipwire-data/site")
    assert s.config_path is None
    assert s.sources == []


def test_every_field_is_documented() -> None:
    def walk(model: type) -> list[str]:
        missing = []
        for name, f in model.model_fields.items():  # type: ignore[attr-defined]
            ann = f.annotation
            if isinstance(ann, type) and hasattr(ann, "model_fields"):
                missing += [f"{name}.{m}" for m in walk(ann)]
            elif not f.description:
                missing.append(name)
        return missing

    from ipwire.config import SourceSettings

    assert walk(Settings) == []
    assert walk(SourceSettings) == []


def test_toml_sources_and_relative_paths(tmp_path: Path) -> None:
    cfg = write(
        tmp_path,
        """
data_dir = "data"
timezone = "Europe/Berlin"
[[sources]]
name = "example-feed"
kind = "feed"
url = "https://news.example.com/rss.xml"
allowed_domains = ["news.example.com"]
[[sources]]
name = "example-latest"
kind = "listing"
url = "https://news.example.com/latest/"
link_selector = "a.headline"
next_selector = "a.next"
max_pages = 5
[[sources]]
name = "picked"
kind = "urls"
urls = ["https://news.example.com/a.html"]
""",
    )
    s = load_settings(cfg, env={})
    assert [x.name for x in s.sources] == ["example-feed", "example-latest", "picked"]
    assert s.data_dir == tmp_path / "data"
    assert s.database_url == f"sqlite:///{(tmp_path / 'data' / 'ipwire.db').as_posix()}"
    assert str(s.tz) == "Europe/Berlin"


def test_env_overrides(tmp_path: Path) -> None:
    cfg = write(tmp_path, "[email]\nsmtp_port = 25\n")
    s = load_settings(
        cfg,
        env={
            "IPWIRE_DATABASE_URL": "postgresql+psycopg://u@h/db",
            "IPWIRE_EMAIL_SMTP_PORT": "2525",
            "IPWIRE_CRAWL_DISTRIBUTED": "true",
            "IPWIRE_TIMEZONE": "Asia/Tokyo",
            "IPWIRE_WATCHLIST_KEYWORDS": '["distillation", "weights"]',
        },
    )
    assert s.database_url == "postgresql+psycopg://u@h/db"
    assert s.email.smtp_port == 2525
    assert s.crawl.distributed is True
    assert s.timezone == "Asia/Tokyo"
    assert s.watchlist.keywords == ["distillation", "weights"]


def test_config_path_from_env(tmp_path: Path) -> None:
    cfg = write(tmp_path, 'timezone = "America/New_York"\n')
    assert load_settings(env={"IPWIRE_CONFIG": str(cfg)}).timezone == "America/New_York"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("timezone = 'Mars/Olympus'", "timezone: unknown IANA timezone 'Mars/Olympus'"),
        ("[database]\nurll = 'x'", "database.urll: unknown key"),
        (
            "[[sources]]\nname='a'\nkind='rss'\nurl='https://x.org/f'",
            "sources[0].kind: Input should be",
        ),
        (
            "[[sources]]\nname='a'\nkind='feed'",
            "needs `url`",
        ),
        ("[[sources]]\nname='a'\nkind='listing'\nurl='https://x.org/'", "needs `link_selector`"),
        ("[[sources]]\nname='a'\nkind='urls'", "needs a non-empty `urls` list"),
        ("[[sources]]\nname='a'\nkind='feed'\nurl='ftp://x.org/f'", "must start with http"),
        ("[email]\nsmtp_port = 'abc'", "email.smtp_port: Input should be a valid integer"),
        (
            "[email]\nsmtp_port = 70000",
            "email.smtp_port: Input should be less than or equal to 65535",
        ),
        ("[schedule]\nbriefing_time = '7am'", "schedule.briefing_time: expected a time as HH:MM"),
        ("[crawl]\nconcurrency_per_domain = 0", "crawl.concurrency_per_domain"),
        (
            "[[sources]]\nname='a'\nkind='feed'\nurl='https://x.org/f'\n"
            "[[sources]]\nname='a'\nkind='feed'\nurl='https://x.org/g'",
            "two sources are named 'a'",
        ),
        ("database = 3", "database: Input should be"),
        ("this is = not toml [", "not valid TOML"),
    ],
)
def test_bad_config_names_key_and_problem(tmp_path: Path, text: str, expected: str) -> None:
    cfg = write(tmp_path, text)
    with pytest.raises(ConfigError) as exc:
        load_settings(cfg, env={})
    message = str(exc.value)
    assert expected in message
    assert str(cfg) in message


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="config file not found"):
        load_settings(tmp_path / "nope.toml", env={})


def test_cli_reports_bad_config_without_traceback(tmp_path: Path) -> None:
    cfg = write(tmp_path, "[email]\nsmtp_port = 'abc'\n")
    result = CliRunner().invoke(cli, ["--config", str(cfg), "db", "info"])
    assert result.exit_code != 0
    assert "email.smtp_port" in result.output
    assert "Traceback" not in result.output
