"""Evaluate the ipwire NLP pipeline on the hand-written dev set (or any set with its layout).

Runs ``nlp.analyze.Analyzer`` over every ``NNN-slug.txt`` in the set and scores the output against
``NNN-slug.json`` with :mod:`nlp_scoring`: entities, claims (type + accused), accuser / stance /
legal-status accuracy over matched claims, roles, quote speakers and relevance, next to the issue's
targets. The matching rules are documented in ``tests/data/nlp_dev/README.md``.

Examples::

    python bench/nlp_eval.py                       # the dev set, summary table
    python bench/nlp_eval.py --verbose             # plus every article's errors
    python bench/nlp_eval.py --dir /path/heldout   # another set with the same layout
    python bench/nlp_eval.py --json > eval.json
    python bench/nlp_eval.py --save-predictions /tmp/pred   # keep the raw outputs ...
    python bench/nlp_eval.py --predictions /tmp/pred        # ... and rescore them without spaCy
    python bench/nlp_eval.py --real                  # the real-news set, both splits
    python bench/nlp_eval.py --real --split dev -v   # tune on dev; report test only
    python bench/nlp_eval.py --real --baseline       # stock en_core_web_sm entities, same texts
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import logging
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # as a script: the repo root

from bench.nlp_gold import DevArticle, load_dev_set
from bench.nlp_scoring import TARGETS, Report, score_corpus

log = logging.getLogger("nlp_eval")
DEV_DIR = Path(__file__).resolve().parent.parent / "tests" / "data" / "nlp_dev"


def annotations_to_dict(ann: Any) -> dict[str, Any]:
    """The ``ipwire extract`` JSON shape of an ``nlp.types.Annotations`` (or any look-alike)."""
    raw = dataclasses.asdict(ann)
    return {
        "relevant": raw["relevant"],
        "relevance": raw["relevance"],
        "entities": [
            {k: e.get(k) for k in ("id", "name", "type", "aliases", "count")}
            for e in raw["entities"]
        ],
        "claims": [
            {
                k: c.get(k)
                for k in (
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
                )
            }
            for c in raw["claims"]
        ],
        "roles": [{k: r.get(k) for k in ("person", "title", "org")} for r in raw["roles"]],
        "quotes": [{k: q.get(k) for k in ("speaker", "text", "direct")} for q in raw["quotes"]],
    }


def predict(articles: list[DevArticle]) -> tuple[dict[str, dict[str, Any]], float]:
    """Run the Analyzer over the articles; returns predictions by name and the seconds it took."""
    from nlp.analyze import Analyzer  # imported here so that --predictions needs no spaCy

    analyzer = Analyzer.load()
    started = time.perf_counter()
    log.warning(
        "analyzer: model %s, version %s",
        getattr(analyzer, "model_name", "?"),
        getattr(analyzer, "version", "?"),
    )
    out = {}
    for art in articles:
        out[art.name] = annotations_to_dict(analyzer.analyze(art.body, title=art.title))
    return out, time.perf_counter() - started


# Categories scored by recall only: a gold quote either gets its speaker or not; spurious quotes are
# counted once, under "quotes found".
RECALL_ONLY = {"quote_speaker", "quote_speaker_direct", "quotes_direct"}
W = 30


def _row(label: str, p: float | None, r: float, f: float | None, target: str = "") -> str:
    ps = f"{p:6.3f}" if p is not None else f"{'-':>6}"
    fs = f"{f:6.3f}" if f is not None else f"{'-':>6}"
    return f"  {label:<{W}} {ps} {r:6.3f} {fs}   {target}"


def _target(report: Report, key: str) -> str:
    goal = TARGETS.get(key)
    if goal is None:
        return ""
    mark = "ok" if report.metric(key) >= goal else "BELOW"
    return f"target {key.split('.')[1]} >= {goal:.2f}  {mark}"


def render(report: Report, verbose: bool) -> str:
    """The human-readable summary (and, with ``verbose``, every article's errors)."""
    lines = [f"articles: {len(report.articles)}", ""]
    lines.append(f"  {'category':<{W}} {'P':>6} {'R':>6} {'F1':>6}")
    order = [
        ("entities", "entities (name + type)"),
        ("entities_name_only", "entities (name only)"),
        ("claims", "claims (type + accused)"),
        ("roles", "roles (person+org+title)"),
        ("roles_person_org", "roles (person + org)"),
        ("quotes", "quotes found (by text)"),
        ("quote_speaker", "quote speaker"),
        ("quote_speaker_direct", "quote speaker (direct)"),
        ("relevance", "relevance (positive)"),
    ]
    for key, label in order:
        prf = report.prf.get(key)
        if prf is None:
            continue
        tgt = _target(report, f"{key}.f1") or _target(report, f"{key}.recall")
        if key in RECALL_ONLY:
            lines.append(_row(label, None, prf.recall, None, tgt))
        else:
            lines.append(_row(label, prf.precision, prf.recall, prf.f1, tgt))
    lines += ["", f"  {'accuracy':<{W}} {'value':>6} {'n':>6}"]
    for key in ("accuser", "stance", "legal_status", "victim", "speaker", "relevance"):
        acc = report.acc.get(key)
        if acc is None:
            continue
        label = f"{key} (matched claims)" if key != "relevance" else "relevance (articles)"
        tgt = _target(report, key + ".accuracy")
        lines.append(f"  {label:<{W}} {acc.value:6.3f} {acc.total:6d}          {tgt}")
    if report.claims_by_type:
        lines += ["", f"  {'claims by type':<{W}} {'P':>6} {'R':>6} {'F1':>6}   gold"]
        for ctype, prf in sorted(report.claims_by_type.items()):
            row = _row(ctype, prf.precision, prf.recall, prf.f1)
            lines.append(f"{row}{prf.tp + prf.fn:4d}")
    met = sum(report.metric(k) >= t for k, t in TARGETS.items())
    lines += ["", f"targets met: {met}/{len(TARGETS)}"]
    kinds = Counter(err.split(":")[0] for a in report.articles for err in a.errors)
    if kinds:
        lines += ["", "error kinds: " + ", ".join(f"{k} x{n}" for k, n in kinds.most_common())]
    if verbose:
        for art in report.articles:
            if art.errors:
                lines += ["", f"== {art.name}"] + [f"   {e}" for e in art.errors]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; returns the process exit status."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--dir", type=Path, default=DEV_DIR, help="article set (default: dev set)")
    ap.add_argument("--verbose", "-v", action="store_true", help="list each article's errors")
    ap.add_argument("--json", action="store_true", help="print the report as JSON")
    ap.add_argument("--predictions", type=Path, help="score saved NAME.json predictions")
    ap.add_argument("--save-predictions", type=Path, help="write each prediction to this folder")
    ap.add_argument("--match", help="only articles whose file name contains this text")
    ap.add_argument("--real", action="store_true", help="the real-news set (bench/realnews/)")
    ap.add_argument("--split", choices=("dev", "test"), help="with --real: one split only")
    ap.add_argument("--baseline", action="store_true", help="with --real: stock spaCy entities")
    ap.add_argument("--texts", type=Path, help="with --real: the texts folder (default: cache)")
    ap.add_argument("--gold", type=Path, help="with --real: another gold.jsonl")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    if args.real:
        from bench.nlp_eval_real import run_real

        return run_real(
            args.split,
            args.verbose,
            args.json,
            args.baseline,
            args.texts,
            save_predictions=args.save_predictions,
            predictions=args.predictions,
            match=args.match,
            gold_path=args.gold,
        )

    articles = load_dev_set(args.dir)
    if args.match:
        articles = [a for a in articles if args.match in a.name]
    if not articles:
        print(f"no articles in {args.dir}", file=sys.stderr)
        return 2
    seconds = None
    if args.predictions:
        preds = {
            a.name: json.loads((args.predictions / f"{a.name}.json").read_text(encoding="utf-8"))
            for a in articles
        }
    else:
        preds, seconds = predict(articles)
    if args.save_predictions:
        args.save_predictions.mkdir(parents=True, exist_ok=True)
        for name, pred in preds.items():
            path = args.save_predictions / f"{name}.json"
            path.write_text(json.dumps(pred, indent=1, ensure_ascii=False), encoding="utf-8")

    report = score_corpus((a.name, a.gold, preds[a.name]) for a in articles)
    if args.json:
        print(json.dumps(report.as_dict(), indent=1, ensure_ascii=False))
    else:
        print(f"set: {args.dir}")
        if seconds is not None:
            words = sum(len(a.title.split()) + len(a.body.split()) for a in articles)
            print(f"analysed {words} words in {seconds:.1f} s ({words / seconds:.0f} words/s)")
        print(render(report, args.verbose))
    return 0


if __name__ == "__main__":
    sys.exit(main())
