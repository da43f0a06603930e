"""The real-news set's tooling: gold validation, text cache, scoring and splits (no spaCy needed).

The articles here are tiny fictional stand-ins; the real texts are never in the repository, so
these tests (and CI) run without them. The committed gold itself is validated at the end.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bench import nlp_eval
from bench import realnews_data as D
from bench import realnews_scoring as S
from bench.realnews import assign_splits


def gold_line(ident: str = "rn-x-001", **over: Any) -> dict[str, Any]:
    """A valid core gold line about a fictional distillation accusation."""
    line: dict[str, Any] = {
        "id": ident,
        "url": f"https://news.example.org/{ident}",
        "outlet": "Example News",
        "title": "Quillmark accuses Tarnwell of distilling its model",
        "date": "2026-03-01",
        "split": "dev",
        "set": "core",
        "label": "incident",
        "story": "quillmark-tarnwell-distillation",
        "stage": "accusation",
        "relevant": True,
        "entities": {
            "required": [
                {"names": ["Quillmark", "Quillmark AI"], "type": "ORG"},
                {"names": ["Tarnwell"], "type": "ORG"},
                {"names": ["Ines Vardy", "Vardy"], "type": "PERSON"},
            ],
            "acceptable": [{"names": ["Lowmoor"], "type": "GPE", "alt_types": ["ORG"]}],
        },
        "claims": [
            {
                "type": "distillation",
                "alt_types": ["tos_violation"],
                "accuser": "Quillmark",
                "accused": "Tarnwell",
                "victim": "Quillmark",
                "stance": "alleged",
                "legal_status": None,
            }
        ],
        "roles": [{"person": "Ines Vardy", "title": "general counsel", "org": "Quillmark"}],
        "quote_speakers": ["Ines Vardy"],
        "annotator": "a",
        "checked_by": "e",
        "notes": "",
    }
    line.update(over)
    return line


def perfect_pred() -> dict[str, Any]:
    return {
        "relevant": True,
        "relevance": 0.9,
        "entities": [
            {"name": "Quillmark AI", "type": "ORG", "aliases": []},
            {"name": "Tarnwell", "type": "ORG", "aliases": []},
            {"name": "Ines Vardy", "type": "PERSON", "aliases": ["Vardy"]},
        ],
        "claims": [
            {
                "type": "tos_violation",
                "accuser": "Quillmark AI",
                "accused": "Tarnwell",
                "victim": "Quillmark AI",
                "speaker": "Ines Vardy",
                "stance": "alleged",
                "legal_status": None,
            }
        ],
        "roles": [{"person": "Ines Vardy", "title": "the general counsel", "org": "Quillmark AI"}],
        "quotes": [{"speaker": "Ines Vardy", "text": "x", "direct": True}],
    }


def test_text_file_round_trip_and_headline_is_not_repeated_in_the_body() -> None:
    raw = D.format_text("https://e.org/a", "Head line", None, "incident", "Head line\nBody one.")
    text = D.parse_text(raw)
    assert (text.url, text.title, text.date, text.label) == (
        "https://e.org/a",
        "Head line",
        None,
        "incident",
    )
    assert text.excerpt == "Head line\nBody one."
    assert text.body() == "Body one."
    with pytest.raises(ValueError, match="---"):
        D.parse_text("URL: x\nTITLE: y\n")
    with pytest.raises(ValueError, match="LABEL"):
        D.parse_text("URL: x\nTITLE: y\nDATE: unknown\n---\nbody")


def test_validation_names_every_kind_of_problem() -> None:
    assert D.validate_line(gold_line()) == []
    bad = gold_line(split=None)
    bad["claims"][0]["accused"] = "Nobody Inc"
    bad["claims"][0]["stance"] = "rumoured"
    bad["roles"][0]["org"] = "Elsewhere"
    bad["quote_speakers"] = ["Someone"]
    problems = " | ".join(D.validate_line(bad))
    for needle in ("split", "Nobody Inc", "rumoured", "Elsewhere", "Someone"):
        assert needle in problems
    negative = gold_line(label="negative", relevant=False)
    assert any("negative_kind" in p for p in D.validate_line(negative))
    twin = gold_line("rn-x-002", split="test", url="http://www.news.example.org/rn-x-001/")
    corpus_problems = " | ".join(D.validate_corpus([gold_line(), twin]))
    assert "URL used twice" in corpus_problems
    assert "both splits" in corpus_problems


def test_a_perfect_prediction_scores_one_with_alternative_type_and_aliases() -> None:
    report = S.score_split([("a", "core", D.to_scorer_gold(gold_line()), perfect_pred())])
    assert report.prf["entities"].as_dict()["f1"] == 1.0
    assert report.prf["claims"].f1 == 1.0
    assert report.acc["accuser"].value == 1.0
    assert report.acc["stance"].value == 1.0
    assert report.prf["roles"].recall == 1.0
    assert report.prf["quote_speaker"].recall == 1.0
    assert report.metric("incident_recall") == 1.0
    assert report.metric("false_alarm_rate") is None


def test_acceptable_entities_are_neutral_and_split_entities_cost() -> None:
    pred = perfect_pred()
    pred["entities"].append({"name": "Lowmoor", "type": "ORG", "aliases": []})
    report = S.score_split([("a", "core", D.to_scorer_gold(gold_line()), pred)])
    assert (report.prf["entities"].fp, report.prf["entities"].fn) == (0, 0)
    pred["entities"].append({"name": "Vardy", "type": "PERSON", "aliases": []})
    pred["entities"].append({"name": "Business", "type": "ORG", "aliases": []})
    report = S.score_split([("a", "core", D.to_scorer_gold(gold_line()), pred)])
    assert report.prf["entities"].fp == 2


def test_wrong_accuser_wrong_accused_and_relevance_are_counted() -> None:
    pred = perfect_pred()
    pred["claims"][0]["accuser"] = "Ines Vardy"
    report = S.score_split([("a", "core", D.to_scorer_gold(gold_line()), pred)])
    assert report.acc["accuser"].value == 0.0
    pred["claims"][0]["accused"] = "Quillmark AI"
    pred["relevant"] = False
    report = S.score_split([("a", "core", D.to_scorer_gold(gold_line()), pred)])
    assert (report.prf["claims"].tp, report.prf["claims"].fp, report.prf["claims"].fn) == (0, 1, 1)
    assert report.metric("incident_recall") == 0.0
    assert report.claims_by_type["distillation"].fn == 1


def test_stream_false_alarms_and_negatives() -> None:
    negative = gold_line("rn-x-003", label="negative", relevant=False, claims=[])
    items = [
        ("n", "core", D.to_scorer_gold(negative), {"relevant": True, "entities": []}),
        ("s1", "stream", {"relevant": False}, {"relevant": True}),
        ("s2", "stream", {"relevant": False}, {"relevant": False}),
        ("s3", "stream", {"relevant": False}, {"relevant": False}),
        ("s4", "stream", {"relevant": True}, {"relevant": True}),
    ]
    report = S.score_split(items)
    assert report.negatives.value == 0.0
    assert report.metric("false_alarm_rate") == pytest.approx(1 / 3)
    assert report.stream_incidents.value == 1.0
    assert report.as_dict()["targets"]["false_alarm_rate"]["met"] is False


def test_splits_keep_stories_whole_and_existing_splits_stay() -> None:
    lines = [
        gold_line(f"rn-x-{i:03d}", split=None, story=f"story-{i % 7}", url=f"https://e.org/{i}")
        for i in range(40)
    ]
    lines[0]["split"] = "dev"
    out = assign_splits.assign(lines)
    by_story: dict[str, set[str]] = {}
    for g in out:
        by_story.setdefault(g["story"], set()).add(g["split"])
    assert all(len(s) == 1 for s in by_story.values())
    assert by_story["story-0"] == {"dev"}
    share = sum(g["split"] == "test" for g in out) / len(out)
    assert 0.1 <= share <= 0.4


def test_eval_cli_scores_saved_predictions_and_reports_missing_texts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    gold_path = tmp_path / "gold.jsonl"
    lines = [gold_line(), gold_line("rn-x-009", url="https://e.org/9")]
    gold_path.write_text("".join(json.dumps(g) + "\n" for g in lines), encoding="utf-8")
    monkeypatch.setattr(D, "GOLD_PATH", gold_path)
    monkeypatch.setattr("bench.nlp_eval_real.load_gold", lambda: D.load_gold(gold_path))
    texts = tmp_path / "texts"
    texts.mkdir()
    (texts / "rn-x-001.txt").write_text(
        D.format_text(lines[0]["url"], lines[0]["title"], None, "incident", "Body."), "utf-8"
    )
    preds = tmp_path / "pred"
    preds.mkdir()
    (preds / "rn-x-001.json").write_text(json.dumps(perfect_pred()), "utf-8")
    code = nlp_eval.main(["--real", "--texts", str(texts), "--predictions", str(preds)])
    out = capsys.readouterr().out
    assert code == 0
    assert "1 texts present" in out
    assert "1 missing" in out
    assert "claims (type + accused)" in out
    assert "1.000" in out


def test_committed_gold_is_valid() -> None:
    gold = D.load_gold()
    assert D.validate_corpus(gold) == []
    for g in gold:
        # Facts only: the notes are short, in the annotators' words, never the article's sentences.
        assert len(str(g.get("notes") or "")) <= 600, g["id"]
