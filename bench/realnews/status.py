"""Which real-news texts are present in the cache, which are missing, and what to search for.

Examples::

    python bench/realnews/status.py             # counts by split, set and label
    python bench/realnews/status.py --missing   # one line per missing text: id, url, title
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # as a script: the repo root

from bench.realnews_data import cache_dir, load_gold, load_texts, validate_corpus


def main(argv: list[str] | None = None) -> int:
    """Print the cache status; exits 1 when the gold is invalid."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--missing", action="store_true", help="list the missing texts")
    args = ap.parse_args(argv)
    gold = load_gold()
    problems = validate_corpus(gold)
    for p in problems:
        print(f"gold problem: {p}")
    texts, missing = load_texts(gold)
    print(f"{len(gold)} gold articles; {len(texts)} texts in {cache_dir()}; {len(missing)} missing")
    counts = Counter((g.get("split"), g.get("set"), g.get("label")) for g in gold)
    for (split, kind, label), n in sorted(counts.items(), key=str):
        print(f"  {split or '-':5} {kind or '-':7} {label or '-':9} {n:4d}")
    stories = Counter(g.get("split") for g in {g["story"]: g for g in gold}.values())
    print("stories by split: " + ", ".join(f"{k}={v}" for k, v in sorted(stories.items(), key=str)))
    if args.missing:
        by_id = {g["id"]: g for g in gold}
        for ident in missing:
            print(f"{ident}\t{by_id[ident]['url']}\t{by_id[ident]['title']}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
