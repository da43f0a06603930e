"""Article metadata benchmark: ``extract_article`` against trafilatura and htmldate, one run.

Two data sets, each read in place:

* **dates** — 200 real news pages from outlets worldwide with their gold publication day
  (``../shared/bench/dates``, htmldate's Media Cloud 2020 evaluation set). Score: the share of
  the dated pages whose extracted day equals the gold day. ipwire's day is the day of
  ``published_at`` in the offset the page declared (the day the page shows); htmldate is
  ``find_date(original_date=True)`` on the raw page; trafilatura is
  ``bare_extraction(with_metadata=True).date``.
* **fixture** — every article of the fixture news site (``crawler/fixture_site``) against its
  truth file: exact title, author list, site name (the outlet's name in ``outlets.toml``) and
  publication day. trafilatura's authors are its ``"; "``-joined string split.

Run: ``python bench/metadata_bench.py [--dates PATH] [--limit N]``.
"""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from htmldate import find_date
from trafilatura import bare_extraction

from crawler.charset import decode_html
from crawler.extract import extract_article
from crawler.fixture_site import built_site, load_manifest, load_truth
from crawler.fixture_site.paths import CONTENT_DIR

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATES = ROOT.parent / "shared" / "bench" / "dates"
BASE = "http://127.0.0.1:8765"

Row = dict[str, Any]


def _trafilatura(text: str, url: str) -> Any:
    try:
        return bare_extraction(text, url=url, with_metadata=True)
    except Exception:  # a crash is a miss, like an empty answer
        return None


def date_rows(folder: Path, limit: int | None) -> list[Row]:
    """One row per dated page: gold day and each system's day (ISO strings or None)."""
    gold = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    rows: list[Row] = []
    for key, entry in sorted(gold.items())[:limit]:
        if not entry["date"]:
            continue
        raw = gzip.decompress((folder / "html" / f"{key}.html.gz").read_bytes())
        url = entry["url"]
        ours = extract_article(raw, url).published_at
        traf = _trafilatura(decode_html(raw, url=url), url)
        rows.append(
            {
                "gold": entry["date"],
                "ipwire": ours.date().isoformat() if ours else None,
                "htmldate": find_date(raw, url=url, original_date=True),
                "trafilatura": getattr(traf, "date", None),
            }
        )
    return rows


def fixture_rows() -> list[Row]:
    """One row per fixture article: truth and each system's title/authors/site/day."""
    truth = load_truth()
    manifest = load_manifest()
    outlets = tomllib.loads((CONTENT_DIR / "outlets.toml").read_text(encoding="utf-8"))
    rows: list[Row] = []
    for path, art in sorted(truth["articles"].items()):
        entry = manifest[path]
        raw = (built_site().www / entry["file"]).read_bytes().replace(b"{BASE}", BASE.encode())
        url = BASE + path
        ours = extract_article(raw, url, declared_charset=entry["type"])
        traf = _trafilatura(decode_html(raw, entry["type"], url=url), url)
        traf_authors = [a.strip() for a in (getattr(traf, "author", None) or "").split(";")]
        rows.append(
            {
                "truth": {
                    "title": art["title"],
                    "authors": art["authors"],
                    "site": _outlet_name(outlets, art["outlet"]),
                    "date": art["published_at"][:10],
                },
                "ipwire": {
                    "title": ours.title,
                    "authors": list(ours.authors),
                    "site": ours.site_name,
                    "date": ours.published_at.date().isoformat() if ours.published_at else None,
                },
                "trafilatura": {
                    "title": getattr(traf, "title", None),
                    "authors": [a for a in traf_authors if a],
                    "site": getattr(traf, "sitename", None),
                    "date": getattr(traf, "date", None),
                },
            }
        )
    return rows


def _outlet_name(outlets: dict[str, Any], key: str) -> str:
    names = {item["key"]: item["name"] for item in outlets.get("outlet", [])}
    return str(names.get(key, ""))


def share(rows: list[Row], get: Callable[[Row], tuple[Any, Any]]) -> float:
    """The share of rows whose (answer, truth) pair from ``get`` is equal (0.0 for no rows)."""
    return sum(1 for r in rows if (pair := get(r))[0] == pair[1]) / len(rows) if rows else 0.0


def _date_pair(system: str) -> Callable[[Row], tuple[Any, Any]]:
    return lambda r: (r[system], r["gold"])


def _field_pair(system: str, field: str) -> Callable[[Row], tuple[Any, Any]]:
    return lambda r: (r[system][field], r["truth"][field])


def main(argv: list[str] | None = None) -> int:
    """Print the table."""
    logging.disable(logging.WARNING)  # trafilatura and htmldate log every odd page
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dates", type=Path, default=DEFAULT_DATES, help="dates benchmark folder")
    parser.add_argument("--limit", type=int, default=None, help="only the first N date pages")
    args = parser.parse_args(argv)
    dates = date_rows(args.dates, args.limit)
    fixture = fixture_rows()
    print(f"{'field':<28}{'n':>5}{'ipwire':>10}{'trafilatura':>13}{'htmldate':>10}")
    systems = ("ipwire", "trafilatura", "htmldate")
    line = "".join(
        f"{share(dates, _date_pair(s)):>{w}.3f}" for s, w in zip(systems, (10, 13, 10), strict=True)
    )
    print(f"{'date (real news pages)':<28}{len(dates):>5}{line}")
    for field in ("title", "authors", "site", "date"):
        cells = "".join(
            f"{share(fixture, _field_pair(s, field)):>{w}.3f}"
            for s, w in (("ipwire", 10), ("trafilatura", 13))
        )
        print(f"{field + ' (fixture site)':<28}{len(fixture):>5}{cells}{'-':>10}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
