"""Every dev-set article has a valid gold file (schema and consistency); no model needed."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from bench.nlp_gold import load_dev_set, split_article, validate_gold

ROOT = Path(__file__).resolve().parents[2]
DEV = ROOT / "tests" / "data" / "nlp_dev"

TEXTS = sorted(DEV.glob("*.txt"))


def _fold(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u2019", "'").replace("\u2018", "'")).lower()


def test_dev_set_is_big_enough_with_hard_negatives() -> None:
    articles = load_dev_set(DEV)
    assert len(articles) >= 40
    negatives = [a for a in articles if not a.gold["relevant"]]
    assert len(negatives) >= 12


def test_every_text_has_a_gold_file_and_vice_versa() -> None:
    golds = {p.stem for p in DEV.glob("*.json")}
    assert {p.stem for p in TEXTS} == golds
    for stem in golds:
        assert re.fullmatch(r"\d{3}-[a-z0-9-]+", stem), stem


@pytest.mark.parametrize("path", TEXTS, ids=lambda p: p.stem)
def test_article_layout_and_gold(path: Path) -> None:
    raw = path.read_text(encoding="utf-8")
    title, body = split_article(raw)
    assert title, "first line is the headline"
    assert len(title) < 200, "first line is the headline"
    assert raw.split("\n")[1] == "", "a blank line follows the headline"
    assert len(body.split()) >= 60, "body is not empty"
    gold = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    assert validate_gold(gold) == []
    text = _fold(title + "\n" + body)
    for ent in gold["entities"]:
        forms = [ent["name"], *ent.get("aliases", [])]
        # Each entity is really mentioned; aliases are surface forms found in the text.
        assert any(_fold(f) in text for f in forms), ent["name"]
        for alias in ent.get("aliases", []):
            assert _fold(alias) in text, f"alias {alias!r} of {ent['name']} not in text"
    for quote in gold["quotes"]:
        # Gold quote text is copied from the article (pieces of a split quote joined by a space).
        words = re.findall(r"\w+", _fold(quote["text"]))
        assert words, quote["text"][:50]
        assert all(w in text for w in words), quote["text"][:50]


def test_validate_gold_reports_problems() -> None:
    bad = {
        "relevant": "yes",
        "entities": [{"name": "Acme", "type": "COMPANY"}],
        "claims": [
            {"type": "theft", "accuser": "Nobody", "accused": "Acme", "stance": "sure"},
            {"type": "leak", "accused": "Acme", "stance": "asserted", "legal_status": "jailed"},
            {"type": "leak", "accused": "Acme", "stance": "asserted"},
        ],
        "roles": [{"person": "Jo", "title": "", "org": "Acme"}],
        "quotes": [{"speaker": "Acme", "text": "", "direct": "yes"}],
    }
    errs = "\n".join(validate_gold(bad))
    for expected in (
        "'relevant' must be a bool",
        "bad type 'COMPANY'",
        "bad type 'theft'",
        "'Nobody' is not a gold entity name",
        "bad stance 'sure'",
        "bad legal_status 'jailed'",
        "listed twice",
        "role.person: 'Jo'",
        "empty title",
        "quote with empty text",
        "'direct' must be a bool",
    ):
        assert expected in errs, expected
    assert validate_gold([]) == ["gold is not a JSON object"]
