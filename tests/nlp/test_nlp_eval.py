"""The dev-set scorer (bench/nlp_scoring.py) on tiny hand-made predictions; no spaCy needed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bench import nlp_eval
from bench import nlp_scoring as S

GOLD: dict[str, Any] = {
    "relevant": True,
    "entities": [
        {"name": "OpenAI", "type": "ORG", "aliases": []},
        {"name": "DeepSeek", "type": "ORG", "aliases": []},
        {"name": "David Sacks", "type": "PERSON", "aliases": ["Sacks"]},
        {"name": "White House", "type": "GOV", "aliases": []},
        {"name": "The New York Times", "type": "MEDIA", "aliases": ["the Times", "NYT"]},
    ],
    "claims": [
        {
            "type": "distillation",
            "accuser": "OpenAI",
            "accused": "DeepSeek",
            "victim": "OpenAI",
            "speaker": "David Sacks",
            "stance": "suspected",
            "legal_status": None,
        }
    ],
    "roles": [{"person": "David Sacks", "title": "AI and crypto adviser", "org": "White House"}],
    "quotes": [
        {
            "speaker": "David Sacks",
            "text": "There is substantial evidence that knowledge was distilled out of its models",
            "direct": True,
        }
    ],
}


def pred(**over: Any) -> dict[str, Any]:
    """A perfect prediction (a deep copy of GOLD) with some keys replaced."""
    out = json.loads(json.dumps(GOLD))
    out.update(over)
    return out


def test_normalise_name_folds_case_possessive_article_and_suffix() -> None:
    assert S.normalise_name("The New York Times\u2019s") == "new york times"
    assert S.normalise_name("Acme Corp.") == "acme"
    assert S.normalise_name("GPT-4o") == "gpt 4o"
    assert S.normalise_name("The") == "the"
    assert S.normalise_name(None) == ""


def test_perfect_prediction_scores_one_everywhere() -> None:
    report = S.score_corpus([("a", GOLD, pred())])
    for key in S.TARGETS:
        assert report.metric(key) == 1.0, key
    assert report.articles[0].errors == []


def test_entity_alias_matches_and_unmerged_surname_is_a_false_positive() -> None:
    ents = [
        {"name": "OpenAI", "type": "ORG"},
        {"name": "DeepSeek", "type": "PRODUCT"},  # wrong type
        {"name": "David Sacks", "type": "PERSON"},
        {"name": "Sacks", "type": "PERSON"},  # not merged into David Sacks
        {"name": "NYT", "type": "MEDIA"},  # an alias of the gold name
    ]
    report = S.score_corpus([("a", GOLD, pred(entities=ents))])
    typed, loose = report.prf["entities"], report.prf["entities_name_only"]
    assert (typed.tp, typed.fp, typed.fn) == (3, 2, 2)
    assert (loose.tp, loose.fp, loose.fn) == (4, 1, 1)
    assert "entity spurious: Sacks (PERSON)" in report.articles[0].errors


def test_exact_name_wins_over_alias_in_entity_matching() -> None:
    gold = {
        **GOLD,
        "entities": [
            {"name": "Google", "type": "ORG", "aliases": []},
            {"name": "Google DeepMind", "type": "ORG", "aliases": ["Google"]},
        ],
    }
    ents = [{"name": "Google DeepMind", "type": "ORG"}, {"name": "Google", "type": "ORG"}]
    report = S.score_corpus([("a", gold, pred(entities=ents))])
    assert report.prf["entities"].tp == 2


def test_sentence_level_claims_group_by_type_and_accused_with_dominant_fields() -> None:
    claims = [
        {"type": "distillation", "accused": "DeepSeek", "accuser": "OpenAI", "stance": "suspected"},
        {"type": "distillation", "accused": "DeepSeek", "accuser": "OpenAI", "stance": "suspected"},
        {"type": "distillation", "accused": "DeepSeek", "accuser": "Sacks", "stance": "alleged"},
        {"type": "leak", "accused": "OpenAI", "accuser": None, "stance": "asserted"},
    ]
    report = S.score_corpus([("a", GOLD, pred(claims=claims))])
    c = report.prf["claims"]
    assert (c.tp, c.fp, c.fn) == (1, 1, 0)
    by_type = report.claims_by_type
    assert (by_type["distillation"].tp, by_type["leak"].fp) == (1, 1)
    assert report.acc["accuser"].value == 1.0
    assert report.acc["stance"].value == 1.0
    assert report.acc["speaker"].value == 0.0  # no speaker predicted, gold David Sacks


def test_claim_accused_matches_through_gold_alias_and_accuser_errors_are_listed() -> None:
    gold = {
        **GOLD,
        "claims": [
            {
                "type": "copyright_infringement",
                "accuser": "The New York Times",
                "accused": "OpenAI",
                "victim": None,
                "speaker": None,
                "stance": "alleged",
                "legal_status": "lawsuit",
            }
        ],
    }
    claims = [
        {
            "type": "copyright_infringement",
            "accused": "OpenAI's",
            "accuser": "DeepSeek",
            "stance": "alleged",
            "legal_status": "lawsuit",
        }
    ]
    report = S.score_corpus([("a", gold, pred(claims=claims))])
    assert report.prf["claims"].tp == 1
    assert report.acc["accuser"].value == 0.0
    assert report.acc["legal_status"].value == 1.0
    assert any(e.startswith("claim accuser wrong:") for e in report.articles[0].errors)
    claims[0]["accuser"] = "the Times"
    assert S.score_corpus([("a", gold, pred(claims=claims))]).acc["accuser"].value == 1.0


def test_claim_with_wrong_type_is_both_missed_and_spurious() -> None:
    claims = [{"type": "scraping", "accused": "DeepSeek", "accuser": "OpenAI", "stance": "alleged"}]
    report = S.score_corpus([("a", GOLD, pred(claims=claims))])
    c = report.prf["claims"]
    assert (c.tp, c.fp, c.fn) == (0, 1, 1)
    assert report.acc["accuser"].total == 0  # attributes are judged on matched claims only


def test_null_accused_matches_null() -> None:
    gold = {**GOLD, "claims": [{**GOLD["claims"][0], "type": "leak", "accused": None}]}
    claims = [{"type": "leak", "accused": None, "accuser": "OpenAI", "stance": "suspected"}]
    assert S.score_corpus([("a", gold, pred(claims=claims))]).prf["claims"].tp == 1


def test_roles_need_person_and_org_and_a_fuzzy_title() -> None:
    close = [{"person": "Sacks", "title": "crypto and AI adviser", "org": "White House"}]
    wrong_title = [{"person": "David Sacks", "title": "spokesperson", "org": "White House"}]
    wrong_org = [{"person": "David Sacks", "title": "AI and crypto adviser", "org": "OpenAI"}]
    assert S.score_corpus([("a", GOLD, pred(roles=close))]).prf["roles"].tp == 1
    r = S.score_corpus([("a", GOLD, pred(roles=wrong_title))])
    assert (r.prf["roles"].tp, r.prf["roles_person_org"].tp) == (0, 1)
    assert S.score_corpus([("a", GOLD, pred(roles=wrong_org))]).prf["roles_person_org"].tp == 0


def test_quote_speaker_recall_matches_quotes_by_text_overlap() -> None:
    half = "there is substantial evidence that knowledge was distilled"
    right = [{"speaker": "Sacks", "text": half, "direct": True}]
    wrong = [{"speaker": "OpenAI", "text": half, "direct": True}]
    unrelated = [{"speaker": "David Sacks", "text": "We will look into it.", "direct": True}]
    assert S.score_corpus([("a", GOLD, pred(quotes=right))]).prf["quote_speaker"].recall == 1.0
    r = S.score_corpus([("a", GOLD, pred(quotes=wrong))])
    assert (r.prf["quotes"].recall, r.prf["quote_speaker"].recall) == (1.0, 0.0)
    r = S.score_corpus([("a", GOLD, pred(quotes=unrelated))])
    assert (r.prf["quotes"].recall, r.prf["quotes"].fp) == (0.0, 1)


def test_quote_overlap_uses_the_shorter_text() -> None:
    assert S.quote_overlap("a b c", "a b c d e f") == 1.0
    assert S.quote_overlap("a b", "c d") == 0.0
    assert S.quote_overlap("", "a") == 0.0


def test_relevance_accuracy_and_micro_average_over_articles() -> None:
    neg = {**GOLD, "relevant": False, "claims": [], "quotes": [], "roles": []}
    report = S.score_corpus(
        [
            ("pos", GOLD, pred()),
            ("neg", neg, pred(relevant=True, claims=[], quotes=[], roles=[])),
        ]
    )
    assert report.acc["relevance"].value == 0.5
    assert report.prf["relevance"].precision == 0.5
    assert report.prf["entities"].tp == 2 * len(GOLD["entities"])
    out = report.as_dict()
    assert out["targets"]["relevance.accuracy"]["met"] is False
    assert out["errors"]["neg"][0].startswith("relevance wrong: got True")


def test_render_prints_targets_and_verbose_errors() -> None:
    report = S.score_corpus([("x", GOLD, pred(claims=[]))])
    text = nlp_eval.render(report, verbose=True)
    assert "target f1 >= 0.85  BELOW" in text
    assert "distillation" in text.split("claims by type")[1]
    assert "== x" in text
    assert "claim missed: distillation accused=DeepSeek" in text


def test_eval_cli_rescoring_saved_predictions(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sets, preds = tmp_path / "set", tmp_path / "pred"
    sets.mkdir()
    preds.mkdir()
    (sets / "001-x.txt").write_text("Headline\n\nBody text.\n", encoding="utf-8")
    (sets / "001-x.json").write_text(json.dumps(GOLD), encoding="utf-8")
    (preds / "001-x.json").write_text(json.dumps(pred(quotes=[])), encoding="utf-8")
    assert nlp_eval.main(["--dir", str(sets), "--predictions", str(preds), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["articles"] == 1
    assert out["prf"]["claims"]["f1"] == 1.0
    assert out["prf"]["quote_speaker"]["recall"] == 0.0
