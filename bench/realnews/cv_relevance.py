"""Story-level cross-validation of the relevance model on the real-news ``dev`` split.

The weights of ``nlp/patterns/relevance.json`` are fitted on the dev split, so the dev scores of
``bench/nlp_eval.py --real --split dev`` flatter them. This script estimates how the *mechanism*
(cue lists + features + fit + threshold rule) transfers to unseen stories: the dev stories (all
copies and stages of one dispute together) are dealt into ``k`` folds; each fold is scored by a
model fitted, exactly as ``train_relevance.py`` fits the shipped one, on the other folds plus the
whole fiction set. Repeated over several shuffles of the stories; the metrics are those of
``nlp_eval --real``: core accuracy, incident recall, stream false-alarm rate.

It shares the trainer's cache of the pipeline's output, so it takes seconds once the pipeline
has run. The ``test`` split is never read. (The cue lists were written while reading the dev
texts, so these numbers still flatter them somewhat; the fictional probes in
``tests/nlp/test_relevance_probes.py`` check the cues on other phrasings.)

Examples::

    python bench/realnews/cv_relevance.py              # 10 folds x 10 shuffles, summary
    python bench/realnews/cv_relevance.py -v           # plus every held-out error, by stage
    python bench/realnews/cv_relevance.py --l2 1 3 10  # compare regularisation strengths
    python bench/realnews/cv_relevance.py --hidden-weight 0  # without the claims-hidden copies
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # as a script: the repo root

from bench.realnews.train_relevance import (
    CLAIMS_HIDDEN_WEIGHT,
    L2,
    Item,
    feature_matrix,
    load_items,
    scores,
    train,
)


def cross_validate(
    items: list[Item],
    x: np.ndarray,
    has_ai: np.ndarray,
    l2: float,
    folds: int,
    repeats: int,
    hidden_weight: float = CLAIMS_HIDDEN_WEIGHT,
) -> tuple[list[dict[str, float]], Counter[str]]:
    """Per-shuffle metrics on the held-out real articles, and how often each one was wrong."""
    y = np.array([float(i.relevant) for i in items])
    real = np.array([i.real for i in items])
    stories = sorted({i.story for i in items if i.real})
    story_of = [i.story for i in items]
    runs: list[dict[str, float]] = []
    wrong: Counter[str] = Counter()
    for seed in range(repeats):
        order = np.random.default_rng(seed).permutation(len(stories))
        fold_of = {stories[j]: n % folds for n, j in enumerate(order)}
        fold = np.array([fold_of.get(s, -1) for s in story_of])
        pred = np.zeros(len(items), dtype=bool)
        for f in range(folds):
            test = real & (fold == f)
            if not test.any():
                continue
            weights, bias, threshold = train(
                x, has_ai, y, ~test, l2=l2, hidden_weight=hidden_weight
            )
            pred[test] = scores(x[test], has_ai[test], weights, bias) >= threshold
        runs.append(metrics(items, pred))
        wrong.update(i.name for i, p in zip(items, pred, strict=True) if i.real and p != i.relevant)
    return runs, wrong


def metrics(items: list[Item], pred: np.ndarray) -> dict[str, float]:
    """Core accuracy, incident recall and the stream false-alarm rate (as ``nlp_eval --real``)."""
    pairs = list(zip(items, pred, strict=True))
    core = [(i, bool(p)) for i, p in pairs if i.real and i.label != "stream"]
    incidents = [p for i, p in core if i.relevant]
    stream = [bool(p) for i, p in pairs if i.label == "stream" and not i.relevant]
    return {
        "accuracy": float(np.mean([p == i.relevant for i, p in core])),
        "recall": float(np.mean(incidents)),
        "false_alarm": float(np.mean(stream)) if stream else 0.0,
    }


def summary(runs: list[dict[str, float]]) -> str:
    """``metric mean [min-max]`` over the shuffles."""
    parts = []
    for k in ("accuracy", "recall", "false_alarm"):
        v = [r[k] for r in runs]
        parts.append(f"{k} {np.mean(v):.3f} [{min(v):.3f}-{max(v):.3f}]")
    return ", ".join(parts)


def main(argv: list[str] | None = None) -> int:
    """Cross-validate and print the summary (and, with ``-v``, every held-out error)."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--folds", type=int, default=10)
    ap.add_argument("--repeats", type=int, default=10)
    ap.add_argument("--l2", type=float, nargs="*", default=None, help=f"default: {L2:g}")
    ap.add_argument(
        "--hidden-weight",
        type=float,
        default=CLAIMS_HIDDEN_WEIGHT,
        help=f"weight of the claims-hidden copies (0: plain fit; default {CLAIMS_HIDDEN_WEIGHT:g})",
    )
    ap.add_argument("--refresh", action="store_true", help="rerun the pipeline (ignore the cache)")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args(argv)

    items = load_items(args.refresh)
    x, has_ai = feature_matrix(items)
    n_real = sum(i.real for i in items)
    n_stories = len({i.story for i in items if i.real})
    print(f"{n_real} dev articles ({n_stories} stories) + {len(items) - n_real} fiction; ", end="")
    print(f"{args.folds} folds x {args.repeats} shuffles")
    by_name = {i.name: i for i in items}
    for l2 in args.l2 or [L2]:
        runs, wrong = cross_validate(
            items, x, has_ai, l2, args.folds, args.repeats, args.hidden_weight
        )
        print(f"l2 {l2:g}: {summary(runs)}")
        if args.verbose:
            for name, n in sorted(wrong.items(), key=lambda kv: (-kv[1], kv[0])):
                i = by_name[name]
                kind = f"missed ({i.stage})" if i.relevant else f"false alarm ({i.label})"
                print(f"  {name} wrong in {n}/{args.repeats}: {kind}, story {i.story}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
