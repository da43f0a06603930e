"""Incident clustering cost: 1k vs 10k articles, and adding 100 articles to 10k vs a rebuild.

Synthetic corpora (``nlp.incidents.synthetic``: hub labs named everywhere, incidents covered by
3-15 articles, round-ups, non-relevant articles, NLP-like name variants) arriving at a steady
rate (``--per-day``), so 10k articles cover ten times the days of 1k: a method comparing each
article with all earlier ones would take ~100x. The rate is chosen so that even the 1k corpus
spans several linking windows (60 days); otherwise the small run measures a window that never
fills. A stress line packs 10k articles into the 1k span (ten times denser: more candidates
per article are inevitable); it is printed for information.

"Clustering" is what ``ipwire cluster`` computes: facets, linking (the graph) and the record of
every incident (title, parties, timeline, score). Each timing is the process CPU time (the work
is single-threaded; ``--wall`` for wall-clock time), best of ``--repeat`` runs, the sizes
timed in alternation, with the garbage collector paused during the timed part (as ``timeit``
does).

Goals (issue 5): time(10k) <= 12 x time(1k); adding 100 articles to 10k <= 5% of a rebuild.

    python bench/incident_bench.py [--repeat 3] [--small 1000] [--large 10000] [--add 100]
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import sys
import time
from collections.abc import Sequence

from nlp.incidents import ArticleRecord, IncidentGraph, build_facets, build_record, load_config
from nlp.incidents.synthetic import make_corpus

NOW = dt.datetime(2027, 1, 15, tzinfo=dt.UTC)

# The work is single-threaded; its CPU time is what the algorithm costs. Wall time on a shared
# machine also counts other processes (a load of 10 on 2 cores made it vary by 2x between
# identical runs), so it is not used for the ratios. --wall switches back.
_clock = time.process_time


def _records(graph: IncidentGraph, labels: Sequence[int], by_id: dict[int, ArticleRecord]) -> int:
    cfg = graph.cfg
    for label in labels:
        core, _ = graph.members(label)
        keys = frozenset().union(*(graph.facets[f].keys for f in core))
        build_record([by_id[a] for a in sorted(graph.articles(label))], keys, cfg, NOW)
    return len(labels)


def full(articles: Sequence[ArticleRecord]) -> tuple[float, IncidentGraph]:
    """Seconds to cluster ``articles`` from scratch (facets, graph, every incident's record)."""
    cfg = load_config()
    gc.collect()
    gc.disable()  # as timeit does: the collector's passes over many live objects are noise
    t0 = _clock()
    graph = IncidentGraph(cfg)
    graph.add(f for a in articles for f in build_facets(a, cfg))
    _records(graph, sorted(graph.incidents()), {a.article_id: a for a in articles})
    elapsed = _clock() - t0
    gc.enable()
    return elapsed, graph


def incremental(history: Sequence[ArticleRecord], new: Sequence[ArticleRecord]) -> float:
    """Seconds to add ``new`` to a clustered ``history`` (facets, links, touched records)."""
    _, graph = full(history)
    by_id = {a.article_id: a for a in [*history, *new]}
    gc.collect()
    gc.disable()
    t0 = _clock()
    delta = graph.add(f for a in new for f in build_facets(a, graph.cfg))
    _records(graph, sorted(delta.touched), by_id)
    elapsed = _clock() - t0
    gc.enable()
    return elapsed


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--small", type=int, default=1000)
    ap.add_argument("--large", type=int, default=10000)
    ap.add_argument("--add", type=int, default=100)
    ap.add_argument("--per-day", type=float, default=5.0, help="articles a day")
    ap.add_argument("--wall", action="store_true", help="time wall clock instead of CPU time")
    args = ap.parse_args(argv)
    global _clock
    if args.wall:
        _clock = time.perf_counter
    # A steady news flow: the 10k corpus spans ten times as many days as the 1k one.
    small = make_corpus(args.small, days=args.small / args.per_day).articles
    large_all = make_corpus(args.large + args.add, seed=8, days=args.large / args.per_day).articles
    large, new = large_all[: args.large], large_all[args.large :]
    # Stress: the same 1k-article span holding 10k articles (ten times the density).
    dense = make_corpus(args.large, seed=9, days=args.small / args.per_day).articles
    t_small, t_large, t_rebuild, t_inc, t_dense = [], [], [], [], []
    for _ in range(args.repeat):  # the sizes in alternation: machine noise hits all alike
        t, g_small = full(small)
        t_small.append(t)
        t, g_large = full(large)
        t_large.append(t)
        t_rebuild.append(full(large_all)[0])
        t_inc.append(incremental(large, new))
        t_dense.append(full(dense)[0])
    s, lg, rb, inc, dn = (min(t) for t in (t_small, t_large, t_rebuild, t_inc, t_dense))
    days_small, days_large = args.small / args.per_day, args.large / args.per_day
    print(
        f"corpora ({args.per_day:g} articles a day): {len(small)} articles over {days_small:.0f}"
        f" days -> {len(g_small.incidents())} incidents; {len(large)} over {days_large:.0f} days"
        f" -> {len(g_large.incidents())} incidents"
    )
    print(f"full clustering  {len(small):>6} articles: {s:8.3f} s")
    print(
        f"full clustering  {len(large):>6} articles: {lg:8.3f} s   ratio {lg / s:5.2f}x"
        f"  (goal <= 12x: {'ok' if lg / s <= 12 else 'MISSED'})"
    )
    print(f"rebuild          {len(large_all):>6} articles: {rb:8.3f} s")
    print(
        f"add {len(new)} to {len(large)}:              {inc:8.3f} s   "
        f"{100 * inc / rb:5.2f}% of the rebuild  "
        f"(goal <= 5%: {'ok' if inc / rb <= 0.05 else 'MISSED'})"
    )
    print(
        f"stress: {len(dense)} articles over {days_small:.0f} days (10x denser): {dn:8.3f} s,"
        f" {dn / s:5.2f}x the 1k time (for information: more articles per day, more candidates"
        f" per article)"
    )
    clock = "wall-clock" if args.wall else "process CPU"
    print(f"(best of {args.repeat}, {clock} seconds; Python {sys.version.split()[0]})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
