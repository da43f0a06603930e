"""Assign ``dev``/``test`` splits by story to gold lines that have none (existing ones stay).

Stories are grouped by label and primary claim type (so that every claim type and every kind of
negative reaches both splits), ordered by a hash of the story slug, and every story whose running
share of the group's articles would keep the test share at or under 30 % goes to ``test``. Lines
already split are never moved: once an article has been reported on as ``test`` it stays there.

Example::

    python bench/realnews/assign_splits.py            # rewrites bench/realnews/gold.jsonl
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # as a script: the repo root

from bench.realnews_data import GOLD_PATH, load_gold

TEST_SHARE = 0.30


def _group(g: dict[str, Any]) -> str:
    if g.get("label") == "negative":
        return f"negative:{g.get('negative_kind')}"
    if g.get("set") == "stream":
        return "stream"
    types = [c.get("type") for c in g.get("claims") or ()]
    return f"incident:{types[0] if types else '-'}"


def assign(gold: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The gold lines with a split on every line (stories kept whole)."""
    story_split = {g["story"]: g["split"] for g in gold if g.get("split")}
    pending: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for g in gold:
        if g["story"] not in story_split:
            pending[_group(g)][g["story"]] += 1
    for stories in pending.values():
        total = sum(stories.values())
        in_test = 0
        order = sorted(stories, key=lambda s: hashlib.sha256(s.encode()).hexdigest())
        for story in order:
            if story in story_split:  # a story split in an earlier group
                continue
            if in_test + stories[story] <= TEST_SHARE * total + 0.5:
                story_split[story] = "test"
                in_test += stories[story]
            else:
                story_split[story] = "dev"
    return [{**g, "split": g.get("split") or story_split[g["story"]]} for g in gold]


def main() -> int:
    """Rewrite gold.jsonl with splits filled in."""
    gold = assign(load_gold())
    GOLD_PATH.write_text(
        "".join(json.dumps(g, ensure_ascii=False) + "\n" for g in gold), encoding="utf-8"
    )
    n_test = sum(g["split"] == "test" for g in gold)
    print(f"{n_test} test, {len(gold) - n_test} dev")
    return 0


if __name__ == "__main__":
    sys.exit(main())
