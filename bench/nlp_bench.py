"""Throughput of the full ipwire NLP pipeline against bare ``en_core_web_sm`` on the same texts.

Both runs see exactly the same texts in the same process: the dev-set articles
(``tests/data/nlp_dev/*.txt``; generated news-like text if the set is absent) repeated until
there are at least ``--words`` words. The bare baseline is the installed small model's
``nlp.pipe``; the ipwire run is :meth:`nlp.analyze.Analyzer.analyze_many` (KB ruler, NER, linker,
roles, quotes, claims, relevance, conversion to dataclasses). Each is timed ``--repeat`` times
after a warm-up, interleaved, and the best time of each is kept. Goal: ratio >= 0.8.

Examples::

    python bench/nlp_bench.py
    python bench/nlp_bench.py --words 100000 --workers 2
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

import spacy

DEV_DIR = Path(__file__).resolve().parent.parent / "tests" / "data" / "nlp_dev"


def load_texts(min_words: int) -> list[tuple[str, str | None]]:
    """(body, title) pairs totalling at least ``min_words`` words."""
    base: list[tuple[str, str | None]] = []
    for path in sorted(DEV_DIR.glob("*.txt")):
        title, _, body = path.read_text(encoding="utf-8").partition("\n\n")
        base.append((body, title.strip() or None))
    if not base:
        base = [(body, title) for body, title in map(generated_article, range(40))]
    out: list[tuple[str, str | None]] = []
    words = 0
    while words < min_words:
        for item in base:
            out.append(item)
            words += len(item[0].split()) + len((item[1] or "").split())
    return out


def generated_article(seed: int) -> tuple[str, str]:
    """A news-like article about fictional companies (used when the dev set is absent)."""
    rnd = random.Random(seed)
    orgs = ["Quillmark", "Vexa Labs", "Brightwater AI", "Korvel", "Halcyon Robotics"]
    people = ["Jane Roe", "Marcus Feld", "Li Wen", "Dana Whitlock", "Omar Haddad"]
    a, b = rnd.sample(orgs, 2)
    p = rnd.choice(people)
    paragraphs = [
        f"{a} said on Tuesday that {b} had used its API to train a rival model, in breach of "
        "its terms of service, according to a letter seen by reporters.",
        f'"We have evidence that our outputs were harvested at scale," said {p}, chief '
        f"executive of {a}. {b} did not respond to a request for comment.",
        f"The dispute comes as {b} prepares a new funding round. Analysts said the case could "
        "test how courts treat model distillation.",
    ] * 3
    return "\n\n".join(paragraphs), f"{a} accuses {b} of copying its model"


def best_times(
    runs: dict[str, Callable[[], None]], repeat: int
) -> tuple[dict[str, float], dict[str, float]]:
    """Best wall time and best CPU time (this process) of each run.

    The runs are interleaved, so that a change in machine load during the benchmark hits every
    variant alike; CPU time is printed too because on a shared machine other processes inflate
    wall time but not this process's CPU time (it does not count worker processes).
    """
    wall = dict.fromkeys(runs, float("inf"))
    cpu = dict.fromkeys(runs, float("inf"))
    for _ in range(repeat):
        for name, run in runs.items():
            started, started_cpu = time.perf_counter(), time.process_time()
            run()
            wall[name] = min(wall[name], time.perf_counter() - started)
            cpu[name] = min(cpu[name], time.process_time() - started_cpu)
    return wall, cpu


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; returns the exit status."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--words", type=int, default=50_000, help="minimum words (default 50000)")
    ap.add_argument("--repeat", type=int, default=2, help="timed runs per variant (best kept)")
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--workers", type=int, default=1, help="also time analyze_many(n_process=N)")
    args = ap.parse_args(argv)

    from nlp.analyze import Analyzer
    from nlp.model import MODEL_PREFERENCE

    model_name = next((m for m in MODEL_PREFERENCE if spacy.util.is_package(m)), None)
    if model_name is None:
        print("no trained small model installed; nothing to compare", file=sys.stderr)
        return 2
    items = load_texts(args.words)
    texts = [f"{t}\n\n{b}" if t else b for b, t in items]
    words = sum(len(t.split()) for t in texts)
    print(f"texts: {len(texts)} articles, {words} words (dev set repeated)")

    bare = spacy.load(model_name)
    analyzer = Analyzer.load("auto")
    print(f"base model: {model_name}; ipwire pipeline: {', '.join(analyzer.nlp.pipe_names)}")
    # Warm-up (first-call allocations, lazy lexicon loads).
    list(bare.pipe(texts[:20], batch_size=args.batch_size))
    list(analyzer.analyze_many(items[:20], batch_size=args.batch_size))

    def run_bare() -> None:
        for _ in bare.pipe(texts, batch_size=args.batch_size):
            pass

    def run_ipwire(n_process: int = 1) -> Callable[[], None]:
        def run() -> None:
            for _ in analyzer.analyze_many(items, batch_size=args.batch_size, n_process=n_process):
                pass

        return run

    runs = {"bare": run_bare, "ipwire": run_ipwire()}
    if args.workers > 1:
        runs["workers"] = run_ipwire(args.workers)
    wall, cpu = best_times(runs, args.repeat)
    print(f"{'':28s} {'wall words/s':>13s} {'CPU words/s':>12s}")
    print(
        f"{'bare ' + model_name + ' nlp.pipe':28s} {words / wall['bare']:13.0f} "
        f"{words / cpu['bare']:12.0f}"
    )
    print(
        f"{'ipwire Analyzer, 1 process':28s} {words / wall['ipwire']:13.0f} "
        f"{words / cpu['ipwire']:12.0f}"
    )
    print(
        f"{'ratio ipwire / bare':28s} {wall['bare'] / wall['ipwire']:13.2f} "
        f"{cpu['bare'] / cpu['ipwire']:12.2f}   (goal >= 0.80)"
    )
    if args.workers > 1:
        multi = words / wall["workers"]
        print(f"{f'ipwire Analyzer, {args.workers} processes':28s} {multi:13.0f}")
        print(f"{'speed-up vs 1 process':28s} {wall['ipwire'] / wall['workers']:13.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
