"""The relevance trainer and its story-level cross-validation, on small synthetic data."""

from __future__ import annotations

import numpy as np
import pytest

from bench.realnews import cv_relevance as cv
from bench.realnews import train_relevance as tr
from nlp.relevance import FEATURES


def _item(name: str, story: str, relevant: bool, label: str = "incident") -> tr.Item:
    return tr.Item(name, story, label, None, relevant, True, "", [], [])


def test_the_threshold_prefers_a_false_alarm_to_a_missed_incident() -> None:
    s = np.array([0.1, 0.2, 0.4, 0.6, 0.9])
    y = np.array([0.0, 0.0, 1.0, 0.0, 1.0])
    t = tr.choose_threshold(s, y, np.ones(5))
    assert 0.2 < t <= 0.4  # catches the incident at 0.4 at the price of the alarm at 0.6


def test_the_fit_separates_a_separable_feature() -> None:
    x = np.array([[0.0], [0.0], [1.0], [1.0]] * 5)
    y = np.array([0.0, 0.0, 1.0, 1.0] * 5)
    weights, bias = tr.fit(x, y, np.ones(len(y)), l2=1.0)
    assert weights[0] > 0 > bias
    assert weights[0] + bias > 0


def test_cross_validation_never_trains_on_the_story_it_scores(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    items = [
        _item(f"a{n}", f"story-{n // 2}", relevant=n % 4 < 2)  # two copies per story
        for n in range(20)
    ]
    x = np.zeros((len(items), len(FEATURES)))
    has_ai = np.ones(len(items), dtype=bool)
    seen: list[tuple[set[str], set[str]]] = []
    real_train = tr.train

    def spy(
        x: np.ndarray, has_ai: np.ndarray, y: np.ndarray, rows: np.ndarray, **kw: float
    ) -> tuple[np.ndarray, float, float]:
        train_stories = {i.story for i, r in zip(items, rows, strict=True) if r}
        test_stories = {i.story for i, r in zip(items, rows, strict=True) if not r}
        seen.append((train_stories, test_stories))
        return real_train(x, has_ai, y, rows, **kw)

    monkeypatch.setattr(cv, "train", spy)
    runs, _ = cv.cross_validate(items, x, has_ai, l2=1.0, folds=5, repeats=2)
    assert len(runs) == 2
    assert len(seen) == 10
    for train_stories, test_stories in seen:
        assert test_stories
        assert not train_stories & test_stories


def test_metrics_are_those_of_the_real_news_scorer() -> None:
    items = [
        _item("i1", "s1", True),
        _item("i2", "s2", True),
        _item("n1", "s3", False, label="negative"),
        _item("d1", "s4", False, label="stream"),
        _item("d2", "s5", False, label="stream"),
    ]
    pred = np.array([True, False, False, True, False])
    m = cv.metrics(items, pred)
    assert m == {"accuracy": pytest.approx(2 / 3), "recall": 0.5, "false_alarm": 0.5}


def test_hiding_the_claims_keeps_a_weight_on_the_cues() -> None:
    # Column 0 counts claims, column 1 is a cue. Every incident has a claim, so a plain fit lets
    # the claims explain everything; with the claims-hidden copies the cue keeps a weight, and an
    # incident whose claim was missed still scores above a plain negative.
    x = np.array([[1.0, 1.0]] * 8 + [[1.0, 0.0]] * 2 + [[0.0, 0.0]] * 10 + [[0.0, 1.0]] * 1)
    y = np.array([1.0] * 10 + [0.0] * 11)
    plain_w, plain_b = tr.fit_with_claims_hidden(x, y, [0], l2=1.0, hidden_weight=0.0)
    hidden_w, hidden_b = tr.fit_with_claims_hidden(x, y, [0], l2=1.0, hidden_weight=0.5)
    assert hidden_w[1] > plain_w[1]
    assert hidden_w[1] > 0

    def missed_claim(w: np.ndarray, b: float) -> float:
        return float(w[1] + b)  # a cue, no claim

    assert missed_claim(hidden_w, hidden_b) > missed_claim(plain_w, plain_b)
