"""Save one rebuilt real-news text into the cache, from its search result's excerpt.

The excerpt (exactly as the stored-pages search returned it) is read on standard input; the URL,
title, date and label come from the article's gold line. The text is refused when
``../shared/eval/is_excluded.py`` says the article is held out for evaluation.

Example::

    python bench/realnews/save_text.py rn-a-001 < excerpt.txt
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # as a script: the repo root

from bench.realnews_data import cache_dir, format_text, load_gold

EXCLUDER = Path(__file__).resolve().parents[3] / "shared" / "eval" / "is_excluded.py"


def main(argv: list[str] | None = None) -> int:
    """Write ``<id>.txt``; exits 1 when the article is excluded, 2 on a bad id or empty input."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("id", help="the article's gold id")
    ap.add_argument("--excluder", type=Path, default=EXCLUDER, help="is_excluded.py to consult")
    args = ap.parse_args(argv)
    by_id = {g["id"]: g for g in load_gold()}
    gold = by_id.get(args.id)
    if gold is None:
        print(f"no gold line with id {args.id}", file=sys.stderr)
        return 2
    excerpt = sys.stdin.read().rstrip("\n")
    if not excerpt.strip():
        print("empty excerpt on standard input", file=sys.stderr)
        return 2
    content = format_text(gold["url"], gold["title"], gold.get("date"), gold["label"], excerpt)
    with tempfile.NamedTemporaryFile("w", suffix=".txt", encoding="utf-8") as tmp:
        tmp.write(content)
        tmp.flush()
        check = subprocess.run(
            [sys.executable, str(args.excluder), gold["url"], tmp.name], check=False
        )
    if check.returncode == 1:
        print(f"{args.id} is held out for evaluation: not saved", file=sys.stderr)
        return 1
    if check.returncode != 0:
        print(f"is_excluded.py failed ({check.returncode}): not saved", file=sys.stderr)
        return 2
    out = cache_dir() / f"{args.id}.txt"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(content, encoding="utf-8")
    print(f"saved {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
