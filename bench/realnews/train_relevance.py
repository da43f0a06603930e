"""Fit the relevance model's weights on the real-news ``dev`` split (plus the fiction dev set).

The cue lists in ``nlp/patterns/relevance.json`` are edited by hand; this script runs the real
pipeline over the training articles, computes :func:`nlp.relevance.features` for each, fits an
L2-regularised logistic regression (numpy, Newton's method) and writes the weights, the bias and
the threshold back into the JSON. The ``test`` split is never read.

The threshold minimises the training errors with a missed incident (the worst error) costing
two false alarms; it sits midway between the two training scores around the cut.

Examples::

    python bench/realnews/train_relevance.py            # fit and rewrite relevance.json
    python bench/realnews/train_relevance.py --dry-run  # print the fit and its dev scores only
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np

BENCH = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # as a script: the repo root

from bench.nlp_gold import load_dev_set  # noqa: E402
from bench.realnews_data import load_gold, load_texts  # noqa: E402

MODEL_PATH = BENCH.parent / "nlp" / "patterns" / "relevance.json"
FICTION_DIR = BENCH.parent / "tests" / "data" / "nlp_dev"
L2 = 0.3
FN_COST = 2.0


def training_items() -> list[tuple[str, str, str, bool, float]]:
    """(name, title, body, relevant, sample weight) for the real dev split and the fiction set."""
    gold = [g for g in load_gold() if g.get("split") == "dev"]
    texts, missing = load_texts(gold)
    if missing:
        print(f"warning: {len(missing)} dev texts missing (bench/realnews/README.md)")
    items = [
        (g["id"], texts[g["id"]].title, texts[g["id"]].body(), bool(g["relevant"]), 1.0)
        for g in gold
        if g["id"] in texts
    ]
    items += [
        (a.name, a.title, a.body, bool(a.gold["relevant"]), 1.0) for a in load_dev_set(FICTION_DIR)
    ]
    return items


def feature_matrix(items: list[tuple[str, str, str, bool, float]]) -> tuple[np.ndarray, np.ndarray]:
    """Run the pipeline; returns the capped feature vectors and whether each text names AI.

    Articles that name no AI are decided by the model's gate, not by the weights, so they are
    left out of the fit (but still scored).
    """
    from nlp.analyze import Analyzer
    from nlp.relevance import features, load_model, mentions_ai, vector
    from nlp.textprep import compose_text, split_blocks

    analyzer = Analyzer.load()
    model = load_model()
    rows, has_ai = [], []
    for (_, title, body, _, _), ann in zip(
        items,
        analyzer.analyze_many([(b, t) for _, t, b, _, _ in items], batch_size=16),
        strict=True,
    ):
        text = compose_text(title, body)
        blocks = split_blocks(text, has_title=bool(title))
        rows.append(vector(features(text, blocks, list(ann.claims), model), model))
        has_ai.append(mentions_ai(text, model))
    return np.array(rows, dtype=float), np.array(has_ai, dtype=bool)


def fit(x: np.ndarray, y: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, float]:
    """L2-regularised logistic regression by Newton's method; returns (weights, bias)."""
    xb = np.hstack([x, np.ones((len(x), 1))])
    beta = np.zeros(xb.shape[1])
    reg = np.full(xb.shape[1], L2)
    reg[-1] = 0.0  # the bias is not shrunk
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-(xb @ beta)))
        grad = xb.T @ (w * (p - y)) + reg * beta
        hess = (xb * (w * p * (1 - p))[:, None]).T @ xb + np.diag(reg + 1e-9)
        step = np.linalg.solve(hess, grad)
        beta -= step
        if np.abs(step).max() < 1e-8:
            break
    return beta[:-1], float(beta[-1])


def choose_threshold(scores: np.ndarray, y: np.ndarray, w: np.ndarray) -> float:
    """The threshold with the lowest weighted cost, a missed incident costing :data:`FN_COST`."""
    best, best_cost = 0.5, float("inf")
    for t in np.unique(np.round(scores, 3)):
        pred = scores >= t
        cost = float((w * ((~pred & (y == 1)) * FN_COST + (pred & (y == 0)))).sum())
        if cost < best_cost:
            best, best_cost = float(t), cost
    below = scores[scores < best]
    lower = float(below.max()) if len(below) else best - 0.1
    return float(round((best + lower) / 2, 3))


def main(argv: list[str] | None = None) -> int:
    """Fit, report, and (unless ``--dry-run``) rewrite ``relevance.json``."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--dry-run", action="store_true", help="print only; leave the JSON as it is")
    args = ap.parse_args(argv)
    from nlp.relevance import FEATURES

    items = training_items()
    x, has_ai = feature_matrix(items)
    y = np.array([float(r) for _, _, _, r, _ in items])
    sw = np.array([s for *_, s in items])
    weights, bias = fit(x[has_ai], y[has_ai], sw[has_ai])
    gate = json.loads(MODEL_PATH.read_text(encoding="utf-8"))["no_ai_factor"]
    scores = 1.0 / (1.0 + np.exp(-(x @ weights + bias))) * np.where(has_ai, 1.0, gate)
    threshold = choose_threshold(scores, y, sw)
    pred = scores >= threshold
    print(f"trained on {len(items)} articles ({int(y.sum())} relevant)")
    for name, value in zip(FEATURES, weights, strict=True):
        print(f"  {name:<20} {value:+.3f}")
    print(f"  {'bias':<20} {bias:+.3f}\n  threshold            {threshold:.3f}")
    acc = float((pred == (y == 1)).mean())
    recall = float(pred[y == 1].mean()) if y.sum() else 0.0
    print(f"training accuracy {acc:.3f}, incident recall {recall:.3f}")
    for (name, *_), s, p, t in zip(items, scores, pred, y, strict=True):
        if bool(p) != bool(t):
            print(f"  wrong on training item {name}: score {s:.3f}, gold {bool(t)}")
    if args.dry_run:
        return 0
    raw: dict[str, Any] = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    raw["weights"] = {n: round(float(v), 3) for n, v in zip(FEATURES, weights, strict=True)}
    raw["bias"] = round(bias, 3)
    raw["threshold"] = threshold
    MODEL_PATH.write_text(json.dumps(raw, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {MODEL_PATH}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
