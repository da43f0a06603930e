"""Incident clustering end to end on the real-news set (``bench/incident_eval.py --real``).

Serves a split's cached texts as a local news site, runs the real CLI on it (``init``, ``crawl``,
``process``, ``cluster``; see :mod:`incident_site_real`), reads the incidents through the store
and scores them against the gold stories:

* **story recall** — relevant stories with at least one article in an incident;
* **B-cubed** P/R/F1 — the relevant articles of a story are its gold cluster; negatives and
  non-relevant stream articles are singletons; near-duplicate copies count as their original's;
* **accused / accuser right** — the incident holding most of a story's articles names, among its
  parties, the story's accused (accuser: the accuser or victim; a prosecutor as investigator);
  each over the stories whose gold names one (a leak or a hack with no culprit named has no
  accused to find);
* **title right** — its title names the accused when the gold has one and the accuser or victim
  when the gold has one, and never a government body after "from" (a prosecutor is no victim);
  over the stories whose gold names either;
* **negatives in incidents** — hard negatives placed in any incident.

The gold parties of a story are the accused (and accusers, victims) named by most of its
articles' gold claims, with every alias of those entities.

    python bench/incident_eval.py --real [--split dev|test] [--no-cache] [-v]

Tune on ``dev`` only: for ``test`` only the summary is printed, never per-story errors.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import tempfile
import time
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # as a script: the repo root

from bench.incident_eval import bcubed
from bench.incident_site_real import Page, run_pipeline
from bench.realnews_data import entity_names, load_gold, load_texts

CACHE = Path.home() / ".cache" / "ipwire" / "incident_eval_real"


@dataclass
class PredIncident:
    """One incident as read from the store."""

    id: int
    title: str
    articles: set[str] = field(default_factory=set)  # gold ids
    parties: list[tuple[str, str, str]] = field(default_factory=list)  # (role, name, type)
    why: str = ""


def _fold(s: str) -> str:
    s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode().casefold()
    return " ".join(re.findall(r"[a-z0-9]+", s.replace("'s ", " ")))


def names_match(candidate: str, aliases: set[str]) -> bool:
    """Whether a predicted name is one of the gold aliases (or contains one as whole words)."""
    c = f" {_fold(candidate)} "
    return any(a and (f" {a} " in c or c.strip() == a) for a in aliases if len(a) >= 2)


def read_incidents(db: Path, url_to_id: dict[str, str]) -> tuple[list[PredIncident], set[str]]:
    """The incidents (with copies credited to their original) and the stored gold ids."""
    import sqlalchemy as sa

    from store import make_engine, make_session_factory, session_scope
    from store.models.annotations import Entity
    from store.models.article import Article
    from store.models.incidents import Incident, IncidentArticle, IncidentParty

    engine = make_engine(f"sqlite:///{db}")
    out: list[PredIncident] = []
    with session_scope(make_session_factory(engine)) as s:
        gid: dict[int, str] = {}
        copies: dict[int, set[str]] = {}
        for aid, url, dup in s.execute(
            sa.select(Article.id, Article.url, Article.near_duplicate_of)
        ):
            g = url_to_id.get(url)
            if g:
                gid[aid] = g
                if dup is not None:
                    copies.setdefault(dup, set()).add(g)
        for inc in s.scalars(sa.select(Incident).order_by(Incident.id)):
            p = PredIncident(inc.id, inc.title)
            for (aid,) in s.execute(
                sa.select(IncidentArticle.article_id).where(IncidentArticle.incident_id == inc.id)
            ):
                if aid in gid:
                    p.articles.add(gid[aid])
                p.articles |= copies.get(aid, set())
            for role, name, type_ in s.execute(
                sa.select(IncidentParty.role, Entity.name, Entity.type)
                .join(Entity, Entity.id == IncidentParty.entity_id)
                .where(IncidentParty.incident_id == inc.id)
            ):
                p.parties.append((role, name, type_))
            p.why = "\n      ".join(
                f"{gid.get(m['article_id'], m['article_id'])} joined "
                f"{gid.get(m['joined'], m['joined'])}: {m['reason']}"
                for m in getattr(inc, "merge_reasons", None) or ()
            )
            out.append(p)
    engine.dispose()
    return out, set(gid.values())


@dataclass
class GoldStory:
    """A story's articles and the names of its parties (aliases folded)."""

    slug: str
    articles: set[str]
    accused: set[str]
    sides: set[str]  # accusers and victims
    gov: set[str]  # government bodies among its entities
    labels: dict[str, str]


def gold_stories(gold: list[dict[str, Any]]) -> dict[str, GoldStory]:
    """Relevant stories with their parties: the names most of their articles' claims give."""
    by: dict[str, list[dict[str, Any]]] = {}
    for g in gold:
        if g.get("relevant"):
            by.setdefault(g["story"], []).append(g)
    out = {}
    for slug, lines in by.items():
        aliases: dict[str, set[str]] = {}
        gov: set[str] = set()
        counts: dict[str, Counter[str]] = {"accused": Counter(), "side": Counter()}
        for g in lines:
            for canon, e in entity_names(g).items():
                aliases.setdefault(canon, set()).update(_fold(n) for n in e["names"])
                if e.get("type") == "GOV":
                    gov |= {_fold(n) for n in e["names"]}
            seen: dict[str, set[str]] = {"accused": set(), "side": set()}
            for c in g.get("claims") or ():
                if c.get("stance") == "denied" and len(g.get("claims") or ()) > 1:
                    continue
                if c.get("accused"):
                    seen["accused"].add(c["accused"])
                seen["side"] |= {c[k] for k in ("accuser", "victim") if c.get(k)}
            for k in seen:
                counts[k].update(seen[k])

        out[slug] = GoldStory(
            slug,
            {g["id"] for g in lines},
            _top(counts["accused"], aliases),
            _top(counts["side"], aliases),
            gov,
            {g["id"]: g["title"] for g in lines},
        )
    return out


def _top(counts: Counter[str], aliases: dict[str, set[str]]) -> set[str]:
    """Every alias of the names counted most often."""
    best = max(counts.values(), default=0)
    names = {n for n, v in counts.items() if v == best and best}
    return {a for n in names for a in aliases.get(n, {_fold(n)})}


def title_right(title: str, story: GoldStory) -> bool:
    """The title names the accused and the accuser or victim, each when known, and no agency as
    victim."""
    if story.accused and not names_match(title, story.accused):
        return False
    if story.sides and not names_match(title, story.sides):
        return False
    _, sep, after = title.partition(" from ")
    return not (sep and names_match(after, story.gov))


def score(
    incidents: list[PredIncident],
    gold: list[dict[str, Any]],
    ids: list[str],
    verbose: bool,
) -> dict[str, float | int | str]:
    """The summary numbers (and, with ``verbose``, one block per story)."""
    by_id = {g["id"]: g for g in gold}
    of: dict[str, set[str]] = {i: set() for i in ids}
    for inc in incidents:
        for a in inc.articles:
            if a in of:
                of[a].add(f"i{inc.id}")
    pred = {i: s or {f"solo:{i}"} for i, s in of.items()}
    gold_c = {
        i: {f"s:{by_id[i]['story']}"} if by_id[i].get("relevant") else {f"solo:{i}"} for i in ids
    }
    p, r, f1 = bcubed(pred, gold_c)
    stories = {k: v for k, v in gold_stories([by_id[i] for i in ids]).items()}
    found = acc_ok = acc_n = side_ok = side_n = title_ok = title_n = 0
    for slug, st in sorted(stories.items()):
        overlap = {inc.id: len(inc.articles & st.articles) for inc in incidents}
        best = max(overlap, key=lambda k: (overlap[k], -k), default=None)
        if best is None or overlap[best] == 0:
            if verbose:
                print(f"- {slug}: NOT FOUND ({len(st.articles)} articles)")
            continue
        found += 1
        inc = next(x for x in incidents if x.id == best)
        accused = [n for role, n, _ in inc.parties if role == "accused"]
        a_ok = not st.accused or any(names_match(n, st.accused) for n in accused)
        sides = [n for role, n, _ in inc.parties if role in ("accuser", "victim")]
        sides += [n for role, n, _ in inc.parties if role == "investigator"]
        s_ok = not st.sides or any(names_match(n, st.sides) for n in sides)
        t_ok = title_right(inc.title, st)
        acc_n += bool(st.accused)
        acc_ok += a_ok and bool(st.accused)
        side_n += bool(st.sides)
        side_ok += s_ok and bool(st.sides)
        title_n += bool(st.accused or st.sides)
        title_ok += t_ok and bool(st.accused or st.sides)
        if verbose:
            extra = sorted(inc.articles - st.articles)
            print(
                f"- {slug}: {overlap[best]}/{len(st.articles)} in incident {inc.id} "
                f"({len(inc.articles)} articles{', foreign: ' + ', '.join(extra) if extra else ''})"
            )
            print(f"    title: {inc.title}  [{'ok' if t_ok else 'WRONG'}]")
            print("    parties: " + "; ".join(f"{ro} {n}" for ro, n, _ in inc.parties))
            print(
                f"    gold accused {sorted(st.accused)} [{'ok' if a_ok else 'WRONG'}]; "
                f"sides {sorted(st.sides)} [{'ok' if s_ok else 'WRONG'}]"
            )
            missing = sorted(st.articles - inc.articles)
            if missing:
                print(f"    not in it: {', '.join(missing)}")
            if inc.why:
                print(f"    why:\n      {inc.why}")
    negatives = sum(1 for i in ids if by_id[i]["label"] == "negative" and of[i])
    stream_in = sum(
        1 for i in ids if by_id[i]["label"] == "stream" and not by_id[i]["relevant"] and of[i]
    )
    n = len(stories) or 1
    return {
        "articles": len(ids),
        "stories": len(stories),
        "incidents": len(incidents),
        "story recall": found / n,
        "B-cubed precision": p,
        "B-cubed recall": r,
        "B-cubed F1": f1,
        "accused right": acc_ok / (acc_n or 1),
        "accuser right": side_ok / (side_n or 1),
        "title parties right": title_ok / (title_n or 1),
        "stories with a gold accused / sides / either": f"{acc_n} / {side_n} / {title_n}",
        "negatives in incidents": negatives,
        "non-relevant stream in incidents": stream_in,
    }


def run_real(
    split: str, *, use_cache: bool = True, verbose: bool = False, keep: Path | None = None
) -> int:
    """Evaluate one split end to end and print its table."""
    gold = [g for g in load_gold() if g["split"] == split]
    texts, missing = load_texts(gold)
    pages = [
        Page(g["id"], texts[g["id"]], g.get("date") or texts[g["id"]].date, g.get("outlet") or "")
        for g in gold
        if g["id"] in texts
    ]
    t0 = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="ipwire-real-") as tmp:
        db, outputs = run_pipeline(pages, Path(tmp), CACHE if use_cache else None)
        if verbose and split != "test":
            for line in "\n".join(outputs).splitlines():
                if line.strip():
                    print(f"  | {line}")
        incidents, stored = _read(db, pages)
        if keep:
            shutil.copyfile(db, keep)
    ids = [p.id for p in pages]
    not_stored = sorted(set(ids) - stored)
    if split == "test":
        verbose = False  # never per-story errors of the test split
    result = score(incidents, gold, ids, verbose)
    print()
    print(
        f"real-news {split}: {len(ids)} articles ({len(missing)} texts missing, "
        f"{len(not_stored)} not stored by the crawl), {time.monotonic() - t0:.0f} s"
    )
    print("| measure | result |")
    print("|---|---|")
    for k, v in result.items():
        print(f"| {k} | {v:.3f} |" if isinstance(v, float) else f"| {k} | {v} |")
    return 0


def _read(db: Path, pages: list[Page]) -> tuple[list[PredIncident], set[str]]:
    """Read the incidents back, mapping stored URLs (any loopback port) to gold ids."""
    import sqlalchemy as sa

    url_to_id: dict[str, str] = {}
    engine = sa.create_engine(f"sqlite:///{db}")
    with engine.connect() as c:
        for (url,) in c.execute(sa.text("SELECT url FROM article")):
            tail = url.rsplit("/", 1)[-1]
            if tail.endswith(".html"):
                url_to_id[url] = tail[: -len(".html")]
    engine.dispose()
    known = {p.id for p in pages}
    url_to_id = {u: i for u, i in url_to_id.items() if i in known}
    return read_incidents(db, url_to_id)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--split", choices=("dev", "test"), default="dev")
    ap.add_argument("--no-cache", action="store_true", help="crawl and process again")
    ap.add_argument("-v", "--verbose", action="store_true", help="per-story blocks (dev only)")
    ap.add_argument("--keep", type=Path, help="copy the resulting database here")
    args = ap.parse_args(argv)
    return run_real(args.split, use_cache=not args.no_cache, verbose=args.verbose, keep=args.keep)


if __name__ == "__main__":
    sys.exit(main())
