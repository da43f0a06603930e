"""The ``search`` kind in the config, and the default queries of ``ipwire init``'s config."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from ipwire.cli.init_cmd import config_template
from ipwire.config import ConfigError, SourceSettings, load_settings
from ipwire.jobs.crawl import source_spec

ROOT = Path(__file__).resolve().parents[2]
CLAIM_TYPES = [
    r["type"]
    for r in map(json.loads, (ROOT / "nlp/patterns/claim_types.jsonl").read_text().splitlines())
    if r.get("kind") == "type"
]

# One fictional headline per claim type, in the words the news would use.
HEADLINES = {
    "distillation": "Fictional lab says DeepSeek rival distilled its AI model through the API",
    "data_theft": "Contractor exfiltrated training records from an OpenAI partner, filing says",
    "unauthorized_access": "Startup used API keys for unauthorized access to Anthropic models",
    "tos_violation": "Anthropic cuts off reseller that violated its terms of service",
    "trade_secret_theft": "Engineer charged with stealing trade secrets on AI chips for a rival",
    "leak": "Weights leaked online days after an AI model preview",
    "copyright_infringement": "Newspaper files copyright lawsuit against OpenAI over training",
    "scraping": "Forum says Perplexity crawler scraped its archive against its robots rules",
    "patent_infringement": "Designer alleges patent infringement by artificial intelligence firm",
    "trademark_or_likeness": "Actor sues over chatbot voice clone that used her likeness",
    "ip_theft": "DeepSeek accused of intellectual property theft by AI model makers",
}
UNRELATED = "Harbor city opens a new ferry terminal after a decade of planning"


def terms(group: str) -> list[str]:
    return [t.strip('"').lower() for t in re.findall(r'"[^"]+"|[^\s()]+', group) if t != "OR"]


def groups(query: str) -> list[list[str]]:
    """A DOC API query as AND of OR-groups (what these default queries use)."""
    out = [terms(g) for g in re.findall(r"\(([^()]*)\)", query)]
    rest = re.sub(r"\([^()]*\)", " ", query)
    out += [[t] for t in terms(rest)]
    return out


def matches(query: str, text: str) -> bool:
    words = " " + re.sub(r"[^a-z0-9' ]", " ", text.lower()) + " "
    return all(any(f" {t} " in words for t in group) for group in groups(query))


def check_syntax(query: str) -> None:
    assert query.count('"') % 2 == 0, "unbalanced quotes"
    depth = 0
    for ch in re.sub(r'"[^"]*"', "", query):
        depth += {"(": 1, ")": -1}.get(ch, 0)
        assert 0 <= depth <= 1, "nested or unbalanced parentheses"
    assert depth == 0
    outside = re.sub(r"\([^()]*\)", " ", query)
    assert " OR " not in f" {outside} ", "OR'd terms must be in parentheses"
    for group in re.findall(r"\(([^()]*)\)", query):
        parts = re.findall(r'"[^"]+"|[^\s]+', group)
        assert parts[1::2] == ["OR"] * (len(parts) // 2), f"not an OR group: {group}"
    bare = re.findall(r"(?<![\w\"])([A-Za-z][\w-]*)(?![\w\"])", re.sub(r'"[^"]*"', " ", query))
    short = [w for w in bare if w != "OR" and len(w) < 3]
    assert not short, f"GDELT refuses words this short outside quotes: {short}"


def default_search_sources(tmp_path: Path) -> list[SourceSettings]:
    (tmp_path / "ipwire.toml").write_text(config_template(), encoding="utf-8")
    settings = load_settings(tmp_path / "ipwire.toml", env={})
    return [s for s in settings.sources if s.kind == "search"]


def test_default_search_sources_cover_every_claim_type(tmp_path: Path) -> None:
    sources = default_search_sources(tmp_path)
    assert set(HEADLINES) == set(CLAIM_TYPES), "a headline for every claim type"
    for claim_type in CLAIM_TYPES:
        named = [s for s in sources if claim_type.replace("_", "-") in s.name]
        assert named, f"no search source for {claim_type}"
        assert any(matches(s.query or "", HEADLINES[claim_type]) for s in named), claim_type


def test_default_queries_are_valid_and_specific(tmp_path: Path) -> None:
    for source in default_search_sources(tmp_path):
        assert source.query
        check_syntax(source.query)
        assert not matches(source.query, UNRELATED), source.name
        assert source.api_interval_s >= 5.0  # GDELT: one request every 5 seconds


def test_the_query_checks_catch_what_gdelt_refuses() -> None:
    for bad in ('"trade secrets', "distillation OR distilled", "(AI OR model)", "((a OR b))"):
        with pytest.raises(AssertionError):
            check_syntax(bad)
    assert matches('(distilled OR "model extraction") OpenAI', "OpenAI says model extraction")
    assert not matches('(distilled OR "model extraction") OpenAI', "OpenAI says model")


def test_a_search_source_needs_a_query_and_an_http_api(tmp_path: Path) -> None:
    cfg = tmp_path / "ipwire.toml"
    cfg.write_text('[[sources]]\nname = "s"\nkind = "search"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="needs a `query`"):
        load_settings(cfg, env={})
    cfg.write_text(
        '[[sources]]\nname = "s"\nkind = "search"\nquery = "distillation"\n'
        'api_url = "ftp://x/doc"\n',
        encoding="utf-8",
    )
    with pytest.raises(ConfigError, match="http"):
        load_settings(cfg, env={})


def test_search_fields_reach_the_crawl_spec(tmp_path: Path) -> None:
    cfg = tmp_path / "ipwire.toml"
    cfg.write_text(
        '[[sources]]\nname = "s"\nkind = "search"\nquery = "distillation"\n'
        'languages = ["english"]\ncountries = ["US"]\ndomains = ["news.example.com"]\n'
        "lookback_hours = 48\nslice_hours = 6\napi_interval_s = 7.5\n"
        'api_url = "http://127.0.0.1:9/api/v2/doc/doc"\n',
        encoding="utf-8",
    )
    spec = source_spec(load_settings(cfg, env={}).sources[0])
    assert (spec.kind, spec.query, spec.languages, spec.countries, spec.domains) == (
        "search",
        "distillation",
        ("english",),
        ("US",),
        ("news.example.com",),
    )
    assert (spec.lookback_hours, spec.slice_hours, spec.api_interval_s) == (48, 6, 7.5)
    assert spec.api_url == "http://127.0.0.1:9/api/v2/doc/doc"
    assert spec.since is None
