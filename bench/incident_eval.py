"""Incident clustering against the fixture site's gold incidents.

Runs what production runs, without a crawl: extraction (``crawler.extract.extract_article`` on
the fixture HTML), near-duplicate detection (``store.add_article`` into a scratch SQLite
database: syndicated copies become extra sources of their original, not articles), the NLP
``Analyzer``, and
``nlp.incidents`` clustering. Prints extended B-cubed precision/recall/F1 (Amigó et al. 2009,
which allows an article in several incidents) over every fixture article, with non-incident
articles as singletons on both sides; then, per gold incident, the best-matching predicted
incident, its title and whether the gold accusers/accused are among its parties.

    python bench/incident_eval.py [--cache /tmp/ann.pkl] [--model auto]
    python bench/incident_eval.py --real [--split dev|test] [-v]   # see incident_eval_real.py
"""

from __future__ import annotations

import argparse
import datetime as dt
import pickle
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # as a script: the repo root

from crawler.extract.article import extract_article
from crawler.fixture_site import built_site, load_truth
from crawler.fixture_site.paths import parse_iso
from nlp.incidents import load_config
from nlp.incidents.adapt import cluster_records, record_from_annotations
from nlp.incidents.features import SourceRef, entity_key
from store import ArticleIn, add_article, make_engine, make_session_factory, session_scope
from store.migrate import upgrade

BASE = "http://127.0.0.1:8765"


def _page(path: str) -> bytes:
    f = built_site().www / path.lstrip("/")
    return (f / "index.html").read_bytes() if f.is_dir() else f.read_bytes()


def bcubed(pred: dict[str, set[str]], gold: dict[str, set[str]]) -> tuple[float, float, float]:
    """Extended B-cubed (P, R, F1) for overlapping clusterings over the same items."""

    def side(a: dict[str, set[str]], b: dict[str, set[str]]) -> float:
        total = 0.0
        for e in a:
            peers = [x for x in a if a[e] & a[x]]
            total += sum(
                min(len(a[e] & a[x]), len(b[e] & b[x])) / len(a[e] & a[x]) for x in peers
            ) / len(peers)
        return total / len(a)

    p, r = side(pred, gold), side(gold, pred)
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def _copies(order: list[str], extracted: dict[str, Any], truth: dict[str, Any]) -> dict[str, str]:
    """copy path -> original path, as ``store.add_article`` classifies the pages."""
    path_of: dict[int, str] = {}
    out: dict[str, str] = {}
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'eval.db'}"
        upgrade(url)
        engine = make_engine(url)
        with session_scope(make_session_factory(engine)) as s:
            for p in order:
                ex = extracted[p]
                when = parse_iso(truth["articles"][p]["published_at"])
                res = add_article(
                    s, ArticleIn(None, BASE + p, BASE + p, ex.title, ex.text, when, when)
                )
                path_of.setdefault(res.article_id, p)
                if res.status != "new" and res.duplicate_of is not None:
                    out[p] = path_of[res.duplicate_of]
        engine.dispose()
    return out


def _analyse(texts: dict[str, tuple[str, str]], model: str, cache: Path | None) -> dict[str, Any]:
    if cache and cache.exists():
        data: dict[str, Any] = pickle.loads(cache.read_bytes())
        if set(data) >= set(texts):
            return data
    from nlp.analyze import Analyzer

    analyzer = Analyzer.load(model)
    paths = sorted(texts)
    anns = analyzer.analyze_many([texts[p] for p in paths])
    data = dict(zip(paths, anns, strict=True))
    if cache:
        cache.write_bytes(pickle.dumps(data))
    print(f"analysed {len(paths)} articles with {analyzer.version}", file=sys.stderr)
    return data


def main(argv: list[str] | None = None) -> int:
    args_in = sys.argv[1:] if argv is None else argv
    if "--real" in args_in:
        from bench.incident_eval_real import main as main_real

        return main_real([a for a in args_in if a != "--real"])
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--cache", type=Path, help="pickle of the NLP annotations (reused if present)")
    ap.add_argument("--model", default="auto", help="spaCy model for the Analyzer")
    ap.add_argument(
        "--truth-copies",
        action="store_true",
        help="take the truth's near_duplicate_of as the copies (a crawler that catches them all)",
    )
    args = ap.parse_args(argv)
    truth = load_truth()
    t0 = time.monotonic()
    extracted = {p: extract_article(_page(p), BASE + p) for p in truth["articles"]}
    # Crawl order: publication order. The store decides what is a near-duplicate copy, as in
    # production (add_article into a scratch SQLite database).
    order = sorted(truth["articles"], key=lambda p: parse_iso(truth["articles"][p]["published_at"]))
    original_of = (
        _copies(order, extracted, truth)
        if not args.truth_copies
        else {
            p: truth["articles"][p]["near_duplicate_of"]
            for p in order
            if truth["articles"][p]["near_duplicate_of"]
        }
    )
    originals = [p for p in order if p not in original_of]
    texts = {p: (extracted[p].text, extracted[p].title or "") for p in originals}
    anns = _analyse(texts, args.model, args.cache)
    ids = {p: n + 1 for n, p in enumerate(order)}

    def when(p: str) -> dt.datetime:
        return extracted[p].published_at or parse_iso(truth["articles"][p]["published_at"])

    records = []
    for p in originals:
        copies = tuple(
            SourceRef(ids[c], BASE + c, extracted[c].site_name, when(c))
            for c in order
            if original_of.get(c) == p
        )
        ex = extracted[p]
        records.append(
            record_from_annotations(
                ids[p],
                anns[p],
                title=ex.title or "",
                text=ex.text,
                published_at=when(p),
                url=BASE + p,
                outlet=truth["articles"][p]["outlet"],
                copies=copies,
            )
        )
    now = dt.datetime.fromisoformat(truth["reference_date"]).replace(tzinfo=dt.UTC)
    t1 = time.monotonic()
    _graph, incidents = cluster_records(records, now)
    t_cluster = time.monotonic() - t1
    of_article: dict[str, set[str]] = {p: set() for p in order}
    by_id = {v: k for k, v in ids.items()}
    for label, rec in incidents.items():
        for aid in rec.article_ids:
            of_article[by_id[aid]].add(f"i{label}")
    for c, p in original_of.items():
        of_article[c] = set(of_article[p])
    pred = {p: s or {f"solo:{p}"} for p, s in of_article.items()}
    gold = {p: set(a["incident_ids"]) or {f"solo:{p}"} for p, a in truth["articles"].items()}
    prec, rec_, f1 = bcubed(pred, gold)
    print(
        f"fixture: {len(order)} articles ({len(original_of)} near-duplicate copies), "
        f"{len(truth['incidents'])} gold incidents, {len(incidents)} predicted"
    )
    print(f"B-cubed precision {prec:.3f}  recall {rec_:.3f}  F1 {f1:.3f}  (goal F1 >= 0.90)")
    print(
        f"clustering {t_cluster * 1000:.1f} ms; "
        f"extraction+NLP+clustering {time.monotonic() - t0:.1f} s"
    )
    cfg = load_config()
    print()
    title_ok = party_ok = 0
    for g in truth["incidents"]:
        members = {p for p, a in truth["articles"].items() if g["id"] in a["incident_ids"]}
        overlap = {
            label: len(
                {by_id[a] for a in r.article_ids}
                | {c for c in original_of if original_of[c] in {by_id[a] for a in r.article_ids}}
                & members
            )
            for label, r in incidents.items()
        }
        overlap = {
            label: len(
                (
                    {by_id[a] for a in r.article_ids}
                    | {c for c, o in original_of.items() if ids[o] in r.article_ids}
                )
                & members
            )
            for label, r in incidents.items()
        }
        best = max(overlap, key=lambda k: (overlap[k], -k)) if overlap else None
        if best is None or overlap[best] == 0:
            print(f"- {g['id']}: NOT FOUND")
            continue
        r = incidents[best]
        keys = {
            role: {entity_key("new:", p.name, cfg) for p in r.parties if p.role == role}
            for role in ("accuser", "accused", "victim")
        }
        found_acc = [
            n
            for n in g["accusers"]
            if entity_key("new:", n, cfg) in keys["accuser"] | keys["victim"]
        ]
        found_def = [n for n in g["accused"] if entity_key("new:", n, cfg) in keys["accused"]]
        ok_parties = len(found_acc) == len(g["accusers"]) and len(found_def) == len(g["accused"])
        gold_names = {entity_key("new:", n, cfg) for n in g["accusers"] + g["accused"]}
        title_words = {entity_key("new:", w, cfg) for w in r.title.replace("'s", "").split()}
        ok_title = bool(gold_names) and gold_names <= title_words | {None}
        title_ok += ok_title
        party_ok += ok_parties
        print(
            f"- {g['id']}: {overlap[best]}/{len(members)} articles in incident of "
            f"{r.article_count} articles + "
            f"{r.source_count - r.article_count} copies, {r.outlet_count} outlets"
        )
        print(f"    gold title: {g['title']}")
        print(f"    title:      {r.title}   [{'ok' if ok_title else 'names missing'}]")
        print("    parties:    " + "; ".join(f"{p.role} {p.name}" for p in r.parties))
        print(
            f"    accusers {len(found_acc)}/{len(g['accusers'])}, "
            f"accused {len(found_def)}/{len(g['accused'])}"
            f"  [{'ok' if ok_parties else 'wrong'}]"
        )
        print(
            "    timeline:   "
            + ", ".join(f"{s.status} {s.occurred_at:%m-%d}" for s in r.timeline)
            + f"   (gold: {', '.join(g['statuses'])})"
        )
    print()
    print(
        f"titles naming the gold parties: {title_ok}/{len(truth['incidents'])}; "
        f"parties correct: {party_ok}/{len(truth['incidents'])}"
    )
    spurious = [
        r
        for label, r in incidents.items()
        if not any(truth["articles"][by_id[a]]["incident_ids"] for a in r.article_ids)
    ]
    print(
        f"predicted incidents with no gold incident article: {len(spurious)}"
        + "".join(f"\n  - {r.title}" for r in spurious)
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
