"""The knowledge base: its data is valid, unambiguous and loads from an installed package."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from nlp.kb import (
    KbError,
    KnowledgeBase,
    iter_seed_records,
    kb_version,
    load_kb,
    normalize_alias,
)
from nlp.types import ENTITY_TYPES

KB_DIR = Path(__file__).resolve().parents[2] / "nlp" / "kb"
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_kb()


def _copy_kb(tmp_path: Path) -> Path:
    """A writable copy of the packaged KB for tests that break it on purpose."""
    dest = tmp_path / "kb"
    shutil.copytree(KB_DIR, dest, ignore=shutil.ignore_patterns("*.md"))
    return dest


def _append(path: Path, record: dict[str, object]) -> None:
    with path.open("a", encoding="utf-8") as f:
        f.write(json.dumps(record) + "\n")


# --- the data ------------------------------------------------------------------------------------


def test_size_and_spread(kb: KnowledgeBase) -> None:
    assert len(kb.entities) >= 300
    types = Counter(e.type for e in kb.entities.values())
    assert set(types) == set(ENTITY_TYPES)
    for etype in ENTITY_TYPES:
        assert types[etype] >= 20, (etype, types[etype])


def test_ids_are_unique_slugs(kb: KnowledgeBase) -> None:
    raw_ids = []
    for f in sorted(KB_DIR.glob("*.jsonl")):
        if f.name == "shared_aliases.jsonl":
            continue
        raw_ids += [json.loads(line)["id"] for line in f.read_text().splitlines() if line.strip()]
    assert len(raw_ids) == len(set(raw_ids)) == len(kb.entities)
    assert all(SLUG.match(i) for i in raw_ids)


def test_names_aliases_descriptions_are_clean(kb: KnowledgeBase) -> None:
    for e in kb.entities.values():
        assert e.type in ENTITY_TYPES, e.id
        assert e.name.strip() == e.name, e.id
        assert e.name, e.id
        assert all(a.strip() == a and a for a in e.aliases), e.id
        assert len(set(e.aliases)) == len(e.aliases), e.id
        assert e.name not in e.aliases, e.id
        assert 10 <= len(e.description) <= 300, e.id
        assert e.description.endswith("."), e.id


def test_every_alias_is_unambiguous_or_declared_shared(kb: KnowledgeBase) -> None:
    shared = {k for k, ids in kb.alias_index.items() if len(ids) > 1}
    assert shared == set(kb.shared_aliases)
    for key, s in kb.shared_aliases.items():
        assert set(kb.alias_index[key]) == set(s.ids)
        assert s.default in s.ids
        assert len(s.rule) > 20


def test_references_point_at_kb_ids(kb: KnowledgeBase) -> None:
    orgs = {"ORG", "GOV", "MEDIA", "GPE"}
    for e in kb.entities.values():
        if e.parent is not None:
            assert e.parent in kb.entities, e.id
            assert e.parent != e.id, e.id
        for role in e.roles:
            assert e.type == "PERSON"
            assert kb.entities[role.org].type in orgs, (e.id, role.org)
            if role.start and role.end:
                assert role.start <= role.end, e.id


def test_parent_chains_have_no_cycles(kb: KnowledgeBase) -> None:
    for e in kb.entities.values():
        seen = {e.id}
        parent = e.parent
        while parent is not None:
            assert parent not in seen, f"cycle through {e.id}"
            seen.add(parent)
            parent = kb.entities[parent].parent


def test_wikidata_ids_are_well_formed_and_unique(kb: KnowledgeBase) -> None:
    qids = [e.wikidata for e in kb.entities.values() if e.wikidata]
    assert qids
    assert all(re.fullmatch(r"Q[1-9][0-9]*", q) for q in qids)
    assert len(qids) == len(set(qids))


def test_no_stoplisted_word_is_an_alias(kb: KnowledgeBase) -> None:
    for word in ("AI", "A.I.", "API", "APIs", "IP", "LLM", "AGI", "GPU", "CEO", "Big Tech"):
        assert kb.is_stopword(word), word
        assert kb.lookup(word) == ()
    assert not any(k in kb.stoplist for k in kb.alias_index)


def test_context_rules_are_usable(kb: KnowledgeBase) -> None:
    for e in kb.entities.values():
        assert set(e.requires_context) <= set(e.surface_forms), e.id
        if e.requires_context:
            assert e.context_terms, e.id
        # Terms are substring tests on the lowercased article: "ai" would match "said".
        for term in e.context_terms:
            assert term == term.lower(), (e.id, term)
            assert len(term.strip()) >= 3 or not term.isalpha(), (e.id, term)
    # The ambiguous everyday words named in the design are guarded.
    for name in ("Apple", "Amazon", "Perplexity", "Claude", "Gemini", "Sora", "X"):
        (ent,) = load_kb().lookup(name)
        assert ent.case_sensitive, name
        assert name in ent.requires_context, name
    for name in ("Meta", "Grok", "Llama"):
        assert all(e.case_sensitive for e in kb.lookup(name)), name


def test_short_names_need_a_full_mention_and_may_repeat(kb: KnowledgeBase) -> None:
    assert kb.short_name_index[normalize_alias("Altman")] == ("sam-altman",)
    assert set(kb.short_name_index["amodei"]) == {"dario-amodei", "daniela-amodei"}
    # Short names are not aliases: "Scale" alone must not link to Scale AI.
    assert kb.lookup("Scale") == ()
    assert kb.lookup("Scale AI")[0].id == "scale-ai"


# --- coverage of what AI-IP news names -----------------------------------------------------------

EXPECTED = {
    "OpenAI": "openai",
    "Anthropic PBC": "anthropic",
    "DeepMind": "google-deepmind",
    "DeepSeek": "deepseek",
    "Moonshot AI": "moonshot-ai",
    "Zhipu": "zhipu-ai",
    "Qwen": "qwen",
    "Stability AI": "stability-ai",
    "The New York Times": "new-york-times",
    "New York Times Co.": "new-york-times",
    "Dow Jones": "dow-jones",
    "Getty Images": "getty-images",
    "Authors Guild": "authors-guild",
    "RIAA": "riaa",
    "Ross Intelligence": "ross-intelligence",
    "SerpApi": "serpapi",
    "Reuters": "reuters",
    "U.S. Copyright Office": "us-copyright-office",
    "US Copyright Office": "us-copyright-office",
    "the Justice Department": "doj",
    "Northern District of California": "ndcal",
    "S.D.N.Y.": "sdny",
    "House Select Committee on the Chinese Communist Party": "house-select-committee-ccp",
    "EU AI Office": "eu-ai-office",
    "Garante": "garante",
    "Cyberspace Administration of China": "cac",
    "David Sacks": "david-sacks",
    "Liang Wenfeng": "liang-wenfeng",
    "Linwei Ding": "linwei-ding",
    "William Alsup": "william-alsup",
    "Ismail Ramsey": "ismail-ramsey",
    "DeepSeek-R1": "deepseek-r1",
    "DeepSeek R1": "deepseek-r1",
    "GPT-4o": "gpt-4o",
    "Claude 3.5 Sonnet": "claude-3-5-sonnet",
    "Llama 3.1": "llama-3-1",
    "Llama 4 Maverick": "llama-4-maverick",
    "Claude Opus 4": "claude-opus-4",
    "Kimi K2": "kimi-k2",
    "Stable Diffusion": "stable-diffusion",
    "GitHub Copilot": "github-copilot",
    "United States": "united-states",
    "U.S.": "united-states",
}


@pytest.mark.parametrize(("surface", "entity_id"), sorted(EXPECTED.items()))
def test_known_surface_forms_link(kb: KnowledgeBase, surface: str, entity_id: str) -> None:
    assert kb.lookup(surface)[0].id == entity_id


def test_roles_carry_dates_where_known(kb: KnowledgeBase) -> None:
    (khan,) = kb.entities["lina-khan"].roles
    assert (khan.org, khan.start, khan.end) == ("ftc", "2021-06", "2025-01")
    sacks = kb.entities["david-sacks"].roles[0]
    assert sacks.org == "white-house"
    assert sacks.end is None


def test_shared_alias_defaults(kb: KnowledgeBase) -> None:
    assert kb.shared_aliases["copilot"].default == "microsoft-copilot"
    assert kb.shared_aliases["universal"].default == "nbcuniversal"
    # Company and product: the bare name is the company, the product needs its longer name.
    assert [e.id for e in kb.lookup("Midjourney")] == ["midjourney"]
    assert kb.lookup("Midjourney V7")[0].type == "PRODUCT"


# --- normalisation -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("U.S. Copyright Office", "US Copyright Office"),
        ("The New York Times", "New York Times"),
        ("OpenAI’s", "OpenAI"),
        ("DeepSeek-R1", "DeepSeek R1"),
        ("A.I.", "AI"),
        ("Character.AI", "Character AI"),
        ("  Google\u00a0DeepMind ", "google deepmind"),
    ],
)
def test_normalize_alias_equates_variants(a: str, b: str) -> None:
    assert normalize_alias(a) == normalize_alias(b)


def test_normalize_alias_keeps_distinct_names_apart() -> None:
    assert normalize_alias("GPT-4") != normalize_alias("GPT-4o")
    assert normalize_alias("o1") != normalize_alias("o3")


# --- loader API ----------------------------------------------------------------------------------


def test_load_is_cached_and_version_is_short_hash(kb: KnowledgeBase) -> None:
    assert load_kb() is kb
    assert re.fullmatch(r"[0-9a-f]{12}", kb_version())
    assert kb_version() == kb.version
    assert load_kb(KB_DIR).version == kb.version


def test_version_changes_with_content(tmp_path: Path) -> None:
    copy = _copy_kb(tmp_path)
    before = load_kb(copy).version
    with (copy / "stoplist.txt").open("a") as f:
        f.write("foobar\n")
    other = tmp_path / "other"
    shutil.copytree(copy, other)
    assert load_kb(other).version != before


def test_seed_records(kb: KnowledgeBase) -> None:
    records = list(iter_seed_records())
    assert len(records) == len(kb.entities)
    assert set(records[0]) == {"id", "name", "type", "aliases", "wikidata", "description"}
    openai = next(r for r in records if r["id"] == "openai")
    assert openai["name"] == "OpenAI"
    assert openai["type"] == "ORG"
    assert isinstance(openai["aliases"], list)
    json.dumps(records)  # plain data, ready for the store


# --- validation errors name the file and line ---------------------------------------------------


def _rec(**fields: object) -> dict[str, object]:
    """A valid new ORG record, with ``fields`` overriding or adding keys."""
    return {"id": "x1", "name": "Xylo One", "type": "ORG", "description": "d.", **fields}


BAD_ROLE = [{"title": "CEO", "org": "openai", "start": "2020-13"}]


@pytest.mark.parametrize(
    ("record", "message"),
    [
        (_rec(id="Bad Id"), "not a slug"),
        (_rec(type="COMPANY"), "type 'COMPANY'"),
        (_rec(description=""), "'description' is required"),
        (_rec(wikidata="42"), "Q-id"),
        (_rec(colour=1), "unknown"),
        (_rec(parent="nope"), "parent"),
        (_rec(id="openai"), "duplicate id"),
        (_rec(parent="x1"), "loops"),
        (_rec(name="OpenAI"), "carried by"),
        (_rec(name="API"), "stoplist"),
        (_rec(type="PERSON", roles=[{"title": "t"}]), "needs 'title' and 'org'"),
        (_rec(type="PERSON", roles=BAD_ROLE), "not YYYY"),
        (_rec(requires_context=["Xylo One"]), "context_terms"),
        (_rec(roles=[{"title": "CEO", "org": "openai"}]), "only PERSON"),
    ],
)
def test_bad_records_fail_with_file_and_line(
    tmp_path: Path, record: dict[str, object], message: str
) -> None:
    copy = _copy_kb(tmp_path)
    target = copy / "zz_extra.jsonl"
    target.write_text("\n")  # line 1 blank, the bad record is on line 2
    _append(target, record)
    with pytest.raises(KbError, match=message) as err:
        load_kb(copy)
    assert "zz_extra.jsonl:2" in str(err.value)


def test_invalid_json_names_file_and_line(tmp_path: Path) -> None:
    copy = _copy_kb(tmp_path)
    (copy / "zz_extra.jsonl").write_text('{"id": "x1",\n')
    with pytest.raises(KbError, match=r"zz_extra\.jsonl:1: invalid JSON"):
        load_kb(copy)


def test_stale_shared_alias_is_an_error(tmp_path: Path) -> None:
    copy = _copy_kb(tmp_path)
    _append(
        copy / "shared_aliases.jsonl",
        {"alias": "OpenAI", "ids": ["openai", "anthropic"], "default": "openai", "rule": "none"},
    )
    with pytest.raises(KbError, match=r"shared_aliases\.jsonl:\d+: 'OpenAI' is carried by"):
        load_kb(copy)


# --- packaging -----------------------------------------------------------------------------------


def test_loads_from_an_installed_copy_of_the_package(tmp_path: Path) -> None:
    """Copy ``nlp/`` the way a wheel lays it out and load the KB with the checkout off the path."""
    site = tmp_path / "site"
    shutil.copytree(
        KB_DIR.parent, site / "nlp", ignore=shutil.ignore_patterns("__pycache__", "*.pyc")
    )
    code = (
        "import nlp, nlp.kb, json; kb = nlp.kb.load_kb(); "
        "print(json.dumps([nlp.__file__, len(kb.entities), kb.version]))"
    )
    env = {**os.environ, "PYTHONPATH": str(site)}
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    nlp_file, count, version = json.loads(out.stdout.strip().splitlines()[-1])
    assert Path(nlp_file).is_relative_to(site)
    assert count == len(load_kb().entities)
    assert version == kb_version()
