"""The real-news incident scoring (``bench/incident_eval_real.py``) on made-up gold lines."""

from __future__ import annotations

from typing import Any

from bench.incident_eval_real import PredIncident, gold_stories, score, title_right


def _gold(
    id_: str, story: str, claims: list[dict[str, Any]], names: list[list[str]]
) -> dict[str, Any]:
    return {
        "id": id_,
        "story": story,
        "relevant": True,
        "label": "incident",
        "title": id_,
        "entities": {"required": [{"names": n, "type": "ORG"} for n in names]},
        "claims": claims,
    }


GOLD = [
    # A leak whose culprit nobody names: only its victim is known.
    _gold("a1", "leak", [{"type": "leak", "victim": "Tamber Labs"}], [["Tamber Labs"]]),
    _gold(
        "b1",
        "suit",
        [{"type": "copyright_infringement", "accuser": "Wrenfield", "accused": "Oskari AI"}],
        [["Wrenfield"], ["Oskari AI", "Oskari"]],
    ),
]


def test_a_story_without_a_gold_accused_is_not_scored_on_its_accused() -> None:
    incidents = [
        PredIncident(1, "Leak of Tamber Labs' model", {"a1"}, [("victim", "Tamber Labs", "ORG")]),
        PredIncident(
            2,
            "Wrenfield sues Oskari AI over copyright",
            {"b1"},
            [("accuser", "Wrenfield", "ORG"), ("accused", "Oskari AI", "ORG")],
        ),
    ]
    out = score(incidents, GOLD, ["a1", "b1"], verbose=False)
    assert out["accused right"] == 1.0
    assert out["title parties right"] == 1.0
    assert out["stories with a gold accused / sides / either"] == "1 / 2 / 2"


def test_a_title_must_name_the_accused_and_the_side_the_gold_knows() -> None:
    stories = gold_stories(GOLD)
    assert title_right("Leak of Tamber Labs' model", stories["leak"])
    assert not title_right("Leak of a model", stories["leak"])
    assert title_right("Wrenfield sues Oskari over copyright", stories["suit"])
    assert not title_right("Copyright infringement involving Oskari AI", stories["suit"])
    # A wrong accused fails even where the gold's accuser is named.
    incidents = [
        PredIncident(
            2,
            "Wrenfield sues Pellam over copyright",
            {"b1"},
            [("accuser", "Wrenfield", "ORG"), ("accused", "Pellam", "ORG")],
        )
    ]
    out = score(incidents, GOLD[1:], ["b1"], verbose=False)
    assert out["accused right"] == 0.0
    assert out["accuser right"] == 1.0
