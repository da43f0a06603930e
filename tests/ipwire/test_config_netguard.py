"""The SSRF guard's configuration: opt-in off by default, networks validated, carried to crawls."""

from __future__ import annotations

from pathlib import Path

import pytest

from ipwire.cli.init_cmd import config_template
from ipwire.config import ConfigError, load_settings
from ipwire.demo import demo_config
from ipwire.jobs.crawl import crawl_spec


def write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "ipwire.toml"
    p.write_text(text, encoding="utf-8")
    return p


def test_init_config_opts_in_to_nothing(tmp_path: Path) -> None:
    text = (
        config_template()
        + '\n[[sources]]\nname = "w"\nkind = "feed"\nurl = "https://n.example/f"\n'
    )
    settings = load_settings(write(tmp_path, text), env={})
    options = crawl_spec(settings).options
    assert options.allow_private_networks is False
    assert options.allow_networks == ()
    assert options.allow_ports == ()
    assert crawl_spec(settings).sources[0].allow_networks == ()


def test_demo_config_opts_in_to_loopback_only(tmp_path: Path) -> None:
    settings = load_settings(write(tmp_path, demo_config("http://127.0.0.1:8765")), env={})
    spec = crawl_spec(settings)
    assert spec.options.allow_networks == ("127.0.0.0/8",)
    assert spec.options.allow_private_networks is False


def test_networks_and_ports_reach_the_crawl_spec(tmp_path: Path) -> None:
    text = (
        "[crawl]\nallow_private_networks = true\nallow_networks = ['10.1.0.0/16']\n"
        "allow_ports = [8080]\n"
        "[[sources]]\nname = 'intra'\nkind = 'feed'\nurl = 'http://10.9.0.1:8080/f'\n"
        "allow_networks = ['10.9.0.1/32']\n"
    )
    spec = crawl_spec(load_settings(write(tmp_path, text), env={}))
    assert spec.options.allow_private_networks is True
    assert spec.options.allow_networks == ("10.1.0.0/16",)
    assert spec.options.allow_ports == (8080,)
    assert spec.sources[0].allow_networks == ("10.9.0.1/32",)
    # The spec survives its JSON trip to the crawl process.
    again = type(spec).from_json(spec.to_json())
    assert again == spec


@pytest.mark.parametrize(
    "text",
    [
        "[crawl]\nallow_networks = ['not a network']",
        "[crawl]\nallow_networks = ['10.0.0.0/33']",
        "[[sources]]\nname='a'\nkind='feed'\nurl='https://x.org/f'\nallow_networks = ['localhost']",
    ],
)
def test_a_bad_network_is_a_clear_config_error(tmp_path: Path, text: str) -> None:
    with pytest.raises(ConfigError) as exc:
        load_settings(write(tmp_path, text), env={})
    assert "not a network in CIDR notation" in str(exc.value)
