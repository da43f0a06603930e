"""``ipwire extract``: the exact JSON schema of issue 4, item 5."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from ipwire.cli import cli
from nlp.kb import KnowledgeBase

TOP = {"relevant", "relevance", "entities", "claims", "roles", "quotes"}
ENTITY = {"id", "name", "type", "aliases", "count"}
CLAIM = {
    "type",
    "accuser",
    "accused",
    "victim",
    "speaker",
    "stance",
    "legal_status",
    "sentence",
    "start",
    "end",
}
ROLE = {"person", "title", "org"}
QUOTE = {"speaker", "text", "direct"}

ARTICLE = (
    "OpenAI has accused DeepSeek of distilling its models through the API, the company said.\n\n"
    "David Sacks, the White House's AI and crypto adviser, said there was evidence. "
    '"This is a serious matter," said David Sacks.\n'
)


def _kb_dir(tiny_kb: KnowledgeBase, tmp_path: Path) -> Path:
    root = tmp_path / "kb"
    root.mkdir()
    rows = []
    for e in tiny_kb.entities.values():
        row = {
            "id": e.id,
            "name": e.name,
            "type": e.type,
            "aliases": list(e.aliases),
            "description": e.description,
            "short_names": list(e.short_names),
            "case_sensitive": e.case_sensitive,
            "requires_context": list(e.requires_context),
            "context_terms": list(e.context_terms),
        }
        rows.append(json.dumps(row))
    (root / "e.jsonl").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (root / "stoplist.txt").write_text("\n".join(sorted(tiny_kb.stoplist)) + "\n")
    return root


def _run(args: list[str], stdin: str) -> dict:
    result = CliRunner().invoke(cli, args, input=stdin)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_extract_json_schema(tiny_kb: KnowledgeBase, tmp_path: Path) -> None:
    kb = _kb_dir(tiny_kb, tmp_path)
    data = _run(
        ["extract", "-", "--title", "OpenAI accuses DeepSeek", "--kb", str(kb), "--model", "blank"],
        ARTICLE,
    )
    assert set(data) >= TOP
    assert isinstance(data["relevant"], bool)
    assert 0.0 <= data["relevance"] <= 1.0
    assert data["entities"]
    assert all(set(e) == ENTITY for e in data["entities"])
    for e in data["entities"]:
        assert e["type"] in {"ORG", "GOV", "PERSON", "PRODUCT", "MEDIA", "GPE"}
        assert isinstance(e["aliases"], list)
        assert e["count"] >= 1
    names = {e["name"] for e in data["entities"]}
    assert {"OpenAI", "DeepSeek", "White House", "David Sacks"} <= names
    assert all(set(c) == CLAIM for c in data["claims"])
    assert all(set(r) == ROLE for r in data["roles"])
    assert all(set(q) == QUOTE for q in data["quotes"])
    assert {"person": "David Sacks", "title": "AI and crypto adviser", "org": "White House"} in (
        data["roles"]
    )
    for item in data["claims"]:
        for key in ("accuser", "accused", "victim", "speaker"):
            assert item[key] is None or item[key] in names
    for item in data["roles"]:
        assert item["person"] in names
        assert item["org"] is None or item["org"] in names
    for item in data["quotes"]:
        assert item["speaker"] is None or item["speaker"] in names
    assert any(q["text"] == "This is a serious matter" for q in data["quotes"])


def test_extract_text_format_and_file_argument(tiny_kb: KnowledgeBase, tmp_path: Path) -> None:
    kb = _kb_dir(tiny_kb, tmp_path)
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["extract", str(article), "--format", "text", "--kb", str(kb), "--model", "blank"]
    )
    assert result.exit_code == 0, result.output
    assert "entities:" in result.output
    assert "David Sacks" in result.output
