"""Article-extraction benchmark: ``extract_article`` against plain ``trafilatura.extract``.

Data: the Scrapinghub article-extraction benchmark (181 real news pages with the expected article
body), read in place from ``../shared/bench/aeb`` next to the repository (``--aeb`` overrides).

Metric, as PROVENANCE.md describes the benchmark's own evaluation (reimplemented here): tokens
are ``\\w+`` runs (case kept); the shingles of a text are its overlapping 4-token tuples counted
as a multiset (a text of fewer than 4 tokens is one shingle). Per page, true positives are the
shared shingles, false positives the extra predicted ones, false negatives the missed expected
ones, each divided by their sum so that long pages do not weigh more. Precision is averaged over
pages with any prediction, recall over pages with any expected text, and F1 is the harmonic
mean of those two averages.

Both extractors run in the same process on the same decoded pages, interleaved page by page, so
the speed ratio compares like with like. It also prints the SimHash distance between each page's
expected body and the extracted body (near copies) against distances between different pages,
which is the evidence for the near-duplicate thresholds in ``store.hashing`` (SimHash bits and
resemblance).

Run: ``python bench/extraction_bench.py [--aeb PATH] [--limit N]``.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import json
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import trafilatura

from crawler.extract import extract_article
from store.hashing import (
    NEAR_DUPLICATE_BITS,
    NEAR_DUPLICATE_RESEMBLANCE,
    hamming,
    resemblance,
    shingle_hashes,
    simhash,
)

DEFAULT_AEB = Path(__file__).resolve().parents[1].parent / "shared" / "bench" / "aeb"
_TOKEN_RE = re.compile(r"\w+")
SHINGLE = 4


@dataclass(frozen=True)
class Page:
    """One benchmark page: id, URL, HTML text and expected article body."""

    key: str
    url: str
    html: str
    expected: str


@dataclass(frozen=True)
class Score:
    """Averaged precision, recall, their F1, and throughput."""

    precision: float
    recall: float
    f1: float
    docs_per_s: float


def shingle_counts(text: str) -> Counter[tuple[str, ...]]:
    """Multiset of overlapping 4-token shingles of ``\\w+`` tokens (one short shingle if fewer)."""
    tokens = _TOKEN_RE.findall(text or "")
    if len(tokens) < SHINGLE:
        return Counter([tuple(tokens)]) if tokens else Counter()
    return Counter(tuple(tokens[i : i + SHINGLE]) for i in range(len(tokens) - SHINGLE + 1))


def page_counts(expected: str, predicted: str) -> tuple[float, float, float]:
    """Normalised (tp, fp, fn) of one page."""
    truth, guess = shingle_counts(expected), shingle_counts(predicted)
    tp = sum((truth & guess).values())
    fp = sum((guess - truth).values())
    fn = sum((truth - guess).values())
    total = tp + fp + fn
    if total == 0:
        return 0.0, 0.0, 0.0
    return tp / total, fp / total, fn / total


def aggregate(counts: list[tuple[float, float, float]]) -> tuple[float, float, float]:
    """Precision and recall averaged over pages, and the F1 of the averages."""
    precisions, recalls = [], []
    for tp, fp, fn in counts:
        perfect = fp == 0 and fn == 0
        if tp + fp > 0:
            precisions.append(1.0 if perfect else tp / (tp + fp))
        if tp + fn > 0:
            recalls.append(1.0 if perfect else tp / (tp + fn))
    precision = statistics.fmean(precisions) if precisions else 0.0
    recall = statistics.fmean(recalls) if recalls else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def load_pages(aeb: Path, limit: int | None) -> list[Page]:
    """Read the benchmark's ground truth and gzip-compressed UTF-8 pages."""
    truth = json.loads((aeb / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for key in sorted(truth)[:limit]:
        raw = gzip.decompress((aeb / "html" / f"{key}.html.gz").read_bytes())
        pages.append(
            Page(key, truth[key].get("url", ""), raw.decode("utf-8"), truth[key]["articleBody"])
        )
    return pages


def run_both(
    pages: list[Page], extractors: Sequence[Callable[[Page], str]]
) -> list[tuple[Score, list[str]]]:
    """Run every extractor on each page in turn, timing each call.

    Interleaving page by page means a busy machine slows all extractors alike, so the speed
    ratio stays meaningful even when absolute docs/s vary between runs.
    """
    outputs: list[list[str]] = [[] for _ in extractors]
    seconds = [0.0 for _ in extractors]
    for page in pages:
        for i, extract in enumerate(extractors):
            start = time.perf_counter()
            outputs[i].append(extract(page))
            seconds[i] += time.perf_counter() - start
    results = []
    for out, elapsed in zip(outputs, seconds, strict=True):
        counts = [page_counts(p.expected, o) for p, o in zip(pages, out, strict=True)]
        precision, recall, f1 = aggregate(counts)
        results.append((Score(precision, recall, f1, len(pages) / elapsed), out))
    return results


def simhash_report(pages: list[Page], outputs: list[str]) -> str:
    """Distances expected-vs-extracted (same story) and between different pages' bodies."""
    truth = [simhash(p.expected) for p in pages]
    same = sorted(hamming(t, simhash(o)) for t, o in zip(truth, outputs, strict=True))
    different = [hamming(a, b) for i, a in enumerate(truth) for b in truth[i + 1 :]]
    within = sum(d <= NEAR_DUPLICATE_BITS for d in same) / len(same)
    return (
        f"SimHash (64 bit, threshold <= {NEAR_DUPLICATE_BITS}): same story extracted vs expected: "
        f"median {statistics.median(same):.0f} bits, {within:.0%} within threshold; "
        f"different stories: min {min(different)} / median {statistics.median(different):.0f} bits "
        f"over {len(different)} pairs, "
        f"{sum(d <= NEAR_DUPLICATE_BITS for d in different)} within threshold"
    )


def resemblance_report(pages: list[Page], outputs: list[str]) -> str:
    """Shingle resemblance expected-vs-extracted against the closest pair of different pages."""
    same = [resemblance(p.expected, o) for p, o in zip(pages, outputs, strict=True)]
    shingles = [shingle_hashes(p.expected) for p in pages]
    closest = 0.0
    for i, a in enumerate(shingles):
        for b in shingles[i + 1 :]:
            if len(a) and len(b):
                shared = len(np.intersect1d(a, b, assume_unique=True))
                closest = max(closest, shared / (len(a) + len(b) - shared))
    within = sum(r >= NEAR_DUPLICATE_RESEMBLANCE for r in same) / len(same)
    return (
        f"Resemblance (3-shingle Jaccard, threshold >= {NEAR_DUPLICATE_RESEMBLANCE}): same story "
        f"extracted vs expected: median {statistics.median(same):.2f}, {within:.0%} within "
        f"threshold; different stories: max {closest:.2f}"
    )


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the comparison table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--aeb", type=Path, default=DEFAULT_AEB, help="benchmark folder")
    parser.add_argument("--limit", type=int, default=None, help="only the first N pages")
    parser.add_argument(
        "--variants",
        action="store_true",
        help="also score trafilatura settings alone (the evidence for body.py's choices)",
    )
    args = parser.parse_args(argv)
    if not (args.aeb / "ground-truth.json").is_file():
        print(f"skipped: article-extraction benchmark not found at {args.aeb}")
        return 0
    pages = load_pages(args.aeb, args.limit)
    # Warm both code paths (lazy imports, caches) so neither pays set-up time in the timing.
    extract_article(pages[0].html, pages[0].url)
    trafilatura.extract(pages[0].html)

    (baseline, _), (ours, outputs) = run_both(
        pages,
        [
            lambda p: trafilatura.extract(p.html) or "",
            lambda p: extract_article(p.html, p.url).text,
        ],
    )
    print(f"article-extraction benchmark: {len(pages)} pages from {args.aeb}")
    print(f"{'extractor':<34} {'precision':>9} {'recall':>7} {'F1':>7} {'docs/s':>8}")
    for name, score in (
        ("trafilatura.extract (defaults)", baseline),
        ("crawler.extract.extract_article", ours),
    ):
        print(
            f"{name:<34} {score.precision:>9.4f} {score.recall:>7.4f} {score.f1:>7.4f} "
            f"{score.docs_per_s:>8.1f}"
        )
    print(
        f"F1 difference: {ours.f1 - baseline.f1:+.4f}; "
        f"speed ratio extract_article / trafilatura: {ours.docs_per_s / baseline.docs_per_s:.2f}"
    )
    print(f"goal F1 >= 0.970 and >= trafilatura: {ours.f1 >= 0.970 and ours.f1 >= baseline.f1}")
    print(simhash_report(pages, outputs))
    print(resemblance_report(pages, outputs))
    if args.variants:
        print_variants(pages)
    return 0


# trafilatura settings measured by --variants; extract_article's body starts from the last one.
VARIANTS: dict[str, dict[str, Any]] = {
    "favor_recall": {"favor_recall": True},
    "favor_precision": {"favor_precision": True},
    "include_comments=False": {"include_comments": False},
    "include_tables=False, no comments": {"include_tables": False, "include_comments": False},
    "deduplicate, precision, no comments": {
        "deduplicate": True,
        "favor_precision": True,
        "include_comments": False,
    },
    "favor_precision, no comments": {"favor_precision": True, "include_comments": False},
}


def _plain(page: Page, settings: dict[str, Any]) -> str:
    return trafilatura.extract(page.html, **settings) or ""


def print_variants(pages: list[Page]) -> None:
    """Score plain trafilatura under each setting in VARIANTS."""
    extractors = [functools.partial(_plain, settings=kwargs) for kwargs in VARIANTS.values()]
    results = run_both(pages, extractors)
    print("trafilatura settings alone:")
    for name, (score, _) in zip(VARIANTS, results, strict=True):
        print(
            f"  {name:<36} P={score.precision:.4f} R={score.recall:.4f} F1={score.f1:.4f} "
            f"{score.docs_per_s:.1f} docs/s"
        )


if __name__ == "__main__":
    sys.exit(main())
