"""Fit the relevance model's weights on the real-news ``dev`` split (plus the fiction dev set).

The cue lists in ``nlp/patterns/relevance.json`` are edited by hand; this script runs the real
pipeline over the training articles, computes :func:`nlp.relevance.features` for each, fits an
L2-regularised logistic regression (numpy, Newton's method) and writes the weights, the bias and
the threshold back into the JSON. The ``test`` split is never read.

**Claims hidden.** Claim extraction misses some incidents (an unusual phrasing, a party it cannot
name), and where it finds claims they explain the label so well that a plain fit gives the cue
features (IP words in the headline and the lead) little weight: the model then fails exactly when
the claims do. So every training article also enters the fit a second time, with its claim
features set to zero and a sample weight of :data:`CLAIMS_HIDDEN_WEIGHT` (0: no such copy): the
cue features must separate incidents from the rest on their own as well.

The threshold minimises the training errors with a missed incident (the worst error) costing
:data:`FN_COST` false alarms; it sits midway between the two training scores around the cut.

The pipeline's output for each article (what :func:`nlp.relevance.score_relevance` receives) is
cached under ``~/.cache/ipwire/``, keyed by the texts and by ``nlp/`` minus the relevance model
itself, so editing the cue lists or the features re-fits in seconds.

Examples::

    python bench/realnews/train_relevance.py            # fit and rewrite relevance.json
    python bench/realnews/train_relevance.py --dry-run  # print the fit and its dev scores only
"""

from __future__ import annotations

import argparse
import hashlib
import importlib
import json
import pickle
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

BENCH = Path(__file__).resolve().parent.parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT))  # as a script: the repo root

from bench.nlp_gold import load_dev_set  # noqa: E402
from bench.realnews_data import cache_dir, load_gold, load_texts  # noqa: E402

MODEL_PATH = ROOT / "nlp" / "patterns" / "relevance.json"
FICTION_DIR = ROOT / "tests" / "data" / "nlp_dev"
L2 = 3.0
FN_COST = 2.0
CLAIMS_HIDDEN_WEIGHT = 0.5
# The features that count claims (zeroed in the fit's second copy of each article).
CLAIM_FEATURES = ("claims_head", "claims_lead", "claims_body")
# The relevance model's own files do not change what the pipeline hands it.
NOT_KEYED = {"relevance.py", "relevance.json"}


@dataclass
class Item:
    """One training article: what the relevance scorer sees, and its gold."""

    name: str
    story: str  # the fiction set's articles are each their own story
    label: str  # incident | negative | stream | fiction
    stage: str | None
    relevant: bool
    real: bool
    text: str
    blocks: list[Any]
    claims: list[Any]


def _cache_key(payload: list[tuple[str, str, str]]) -> str:
    h = hashlib.sha256()
    for name, title, body in payload:
        h.update(f"{name}\0{title}\0{body}\0".encode())
    for path in sorted((ROOT / "nlp").rglob("*")):
        if not path.is_file() or path.suffix not in {".py", ".json", ".jsonl", ".txt"}:
            continue
        if path.name in NOT_KEYED or "__pycache__" in path.parts:
            continue
        h.update(path.relative_to(ROOT).as_posix().encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def load_items(refresh: bool = False) -> list[Item]:
    """The real dev split and the fiction set, analysed (from the cache when it is current)."""
    gold = [g for g in load_gold() if g.get("split") == "dev"]
    texts, missing = load_texts(gold)
    if missing:
        print(f"note: {len(missing)} dev texts missing from {cache_dir()}; using the rest")
    meta: list[tuple[str, str, str, str | None, bool, bool]] = []
    payload: list[tuple[str, str, str]] = []
    for g in gold:
        if g["id"] in texts:
            t = texts[g["id"]]
            meta.append((g["id"], g["story"], g["label"], g.get("stage"), g["relevant"], True))
            payload.append((g["id"], t.title, t.body()))
    for a in load_dev_set(FICTION_DIR):
        meta.append((a.name, f"fiction:{a.name}", "fiction", None, bool(a.gold["relevant"]), False))
        payload.append((a.name, a.title, a.body))
    key = _cache_key(payload)
    path = cache_dir().parent / f"relevance-items-{key[:16]}.pkl"
    if not refresh and path.exists():
        seen = pickle.loads(path.read_bytes())
    else:
        seen = analyse(payload)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(pickle.dumps(seen))
    return [Item(*m, *s) for m, s in zip(meta, seen, strict=True)]


def analyse(payload: list[tuple[str, str, str]]) -> list[tuple[str, list[Any], list[Any]]]:
    """Run the Analyzer over (name, title, body); returns what it handed the relevance scorer.

    The text, blocks and claims are recorded where :mod:`nlp.analyze` calls
    ``score_relevance``, so the features are computed on exactly what the pipeline sees.
    """
    import nlp.analyze as analyze_module
    from nlp.analyze import Analyzer

    recorded: list[tuple[str, list[Any], list[Any]]] = []
    original = analyze_module.score_relevance

    def record(text: str, blocks: Any, claims: Any) -> tuple[float, bool]:
        recorded.append((text, list(blocks), list(claims)))
        return original(text, blocks, claims)

    analyze_module.score_relevance = record
    try:
        analyzer = Analyzer.load()
        out = []
        for _, title, body in payload:
            before = len(recorded)
            analyzer.analyze(body, title)
            out.append(recorded[-1] if len(recorded) > before else ("", [], []))
        return out
    finally:
        analyze_module.score_relevance = original


def feature_matrix(items: list[Item]) -> tuple[np.ndarray, np.ndarray]:
    """The capped feature vectors under the current ``nlp.relevance`` and whether AI is named.

    Articles that name no AI are decided by the model's gate, not by the weights, so they are
    left out of the fit (but still scored). The module is reloaded so that an edited cue list is
    read.
    """
    import nlp.relevance as rel

    importlib.reload(rel)
    model = rel.load_model()
    rows = [rel.vector(rel.features(i.text, i.blocks, i.claims, model), model) for i in items]
    has_ai = [rel.mentions_ai(i.text, model) for i in items]
    return np.array(rows, dtype=float), np.array(has_ai, dtype=bool)


def fit(x: np.ndarray, y: np.ndarray, w: np.ndarray, l2: float = L2) -> tuple[np.ndarray, float]:
    """L2-regularised logistic regression by Newton's method; returns (weights, bias)."""
    xb = np.hstack([x, np.ones((len(x), 1))])
    beta = np.zeros(xb.shape[1])
    reg = np.full(xb.shape[1], l2)
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


def fit_with_claims_hidden(
    x: np.ndarray,
    y: np.ndarray,
    claim_columns: list[int],
    l2: float = L2,
    hidden_weight: float = CLAIMS_HIDDEN_WEIGHT,
) -> tuple[np.ndarray, float]:
    """Fit on the articles as they are plus a copy of each with its claim features zeroed."""
    if hidden_weight <= 0:
        return fit(x, y, np.ones(len(x)), l2=l2)
    hidden = x.copy()
    hidden[:, claim_columns] = 0.0
    weights = np.concatenate([np.ones(len(x)), np.full(len(x), hidden_weight)])
    return fit(np.vstack([x, hidden]), np.concatenate([y, y]), weights, l2=l2)


def scores(x: np.ndarray, has_ai: np.ndarray, weights: np.ndarray, bias: float) -> np.ndarray:
    """The model's scores (the no-AI gate applied)."""
    gate = json.loads(MODEL_PATH.read_text(encoding="utf-8"))["no_ai_factor"]
    return 1.0 / (1.0 + np.exp(-(x @ weights + bias))) * np.where(has_ai, 1.0, gate)


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


def train(
    x: np.ndarray,
    has_ai: np.ndarray,
    y: np.ndarray,
    rows: np.ndarray,
    l2: float = L2,
    hidden_weight: float = CLAIMS_HIDDEN_WEIGHT,
) -> tuple[np.ndarray, float, float]:
    """Fit on ``rows`` (the articles that name AI among them) and choose the threshold there."""
    from nlp.relevance import FEATURES

    claim_columns = [FEATURES.index(n) for n in CLAIM_FEATURES if n in FEATURES]
    fit_rows = rows & has_ai
    weights, bias = fit_with_claims_hidden(
        x[fit_rows], y[fit_rows], claim_columns, l2=l2, hidden_weight=hidden_weight
    )
    s = scores(x, has_ai, weights, bias)
    threshold = choose_threshold(s[rows], y[rows], np.ones(int(rows.sum())))
    return weights, bias, threshold


def main(argv: list[str] | None = None) -> int:
    """Fit, report, and (unless ``--dry-run``) rewrite ``relevance.json``."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--dry-run", action="store_true", help="print only; leave the JSON as it is")
    ap.add_argument("--refresh", action="store_true", help="rerun the pipeline (ignore the cache)")
    args = ap.parse_args(argv)
    from nlp.relevance import FEATURES

    items = load_items(args.refresh)
    x, has_ai = feature_matrix(items)
    y = np.array([float(i.relevant) for i in items])
    weights, bias, threshold = train(x, has_ai, y, np.ones(len(items), dtype=bool))
    pred = scores(x, has_ai, weights, bias) >= threshold
    print(f"trained on {len(items)} articles ({int(y.sum())} relevant)")
    for name, value in zip(FEATURES, weights, strict=True):
        print(f"  {name:<20} {value:+.3f}")
    print(f"  {'bias':<20} {bias:+.3f}\n  threshold            {threshold:.3f}")
    acc = float((pred == (y == 1)).mean())
    recall = float(pred[y == 1].mean()) if y.sum() else 0.0
    print(f"training accuracy {acc:.3f}, incident recall {recall:.3f}")
    s = scores(x, has_ai, weights, bias)
    for item, score, p in zip(items, s, pred, strict=True):
        if bool(p) != item.relevant:
            print(f"  wrong on training item {item.name}: score {score:.3f}, gold {item.relevant}")
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
