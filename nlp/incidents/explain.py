"""Why the articles of an incident are one story: the links that joined them, in words.

The graph keeps components, not the links that made them; an incident's record explains its
membership again from its facets: the articles in time order, each joined to the latest earlier
article of every other group it links to (a spanning forest of the link graph), with the rule
that linked them. Informational and rebuildable like the rest of the record; the partition itself is
:mod:`graph`'s.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from nlp.incidents.config import ClusterConfig
from nlp.incidents.features import Facet
from nlp.incidents.graph import _named_in, _signature, jaccard, link_score, victim_link

__all__ = ["MergeReason", "explain_merges", "link_reason"]

#: Earlier facets compared with each facet at most (a huge incident stays cheap to explain).
_LOOKBACK = 300


@dataclass(frozen=True, slots=True)
class MergeReason:
    """``article_id`` joined the incident through its link to ``joined_article_id``."""

    article_id: int
    joined_article_id: int
    reason: str


def _list(names: Sequence[str]) -> str:
    return ", ".join(names[:-1]) + f" and {names[-1]}" if len(names) > 1 else "".join(names)


def link_reason(
    a: Facet, b: Facet, cfg: ClusterConfig, name: Callable[[str], str] = str
) -> str | None:
    """The rule that links two facets, in words (``None`` when they are not linked).

    Args:
        a: a facet.
        b: another facet, of another article.
        cfg: the thresholds.
        name: display name of an entity key.
    """
    score = link_score(a, b, cfg)
    if score is None:
        return None
    fam = cfg.family_of
    undated = "" if a.dated and b.dated else " (one side undated: time not weighed)"
    strong, weak, _ = _signature(a, b, cfg)
    if strong:
        for pa in a.pairs:
            for pb in b.pairs:
                la, lb = pa.left and fam(pa.left), pb.left and fam(pb.left)
                ca, cb = fam(pa.accused), fam(pb.accused)
                if not (la and lb and pa.groups & pb.groups):
                    continue
                if la == lb and ca == cb:
                    return f"the same dispute: {name(la)} against {name(ca)}{undated}"
                if la == cb and ca == lb:
                    return f"the same dispute, roles flipped: {name(la)} and {name(ca)}{undated}"
    victim = victim_link(a, b, cfg)
    if victim is not None:
        return (
            f"harm to {name(victim)} retold, no culprit named on one side; "
            f"word overlap {jaccard(a.words, b.words):.2f}{undated}"
        )
    if weak:
        for pa in a.pairs:
            for pb in b.pairs:
                if fam(pa.accused) == fam(pb.accused) and pa.groups & pb.groups:
                    left = pa.left or pb.left
                    if _named_in(left, a, cfg) and _named_in(left, b, cfg):
                        by = f", {name(fam(left))} named in both" if left else ""
                        return f"claims against {name(fam(pa.accused))}{by}{undated}"
    shared = {fam(k) for k in a.keys} & {fam(k) for k in b.keys}
    prominent = sorted(shared & {fam(k) for k in a.prominent} & {fam(k) for k in b.prominent})
    rest = sorted(shared - set(prominent))
    words = f"{jaccard(a.words, b.words):.2f}"
    tail = f"; also {_list([name(k) for k in rest])}" if rest else ""
    return (
        f"{_list([name(k) for k in prominent])} prominent in both{tail}; "
        f"word overlap {words}{undated}"
    )


def explain_merges(
    facets: Sequence[Facet], cfg: ClusterConfig, name: Callable[[str], str] = str
) -> list[MergeReason]:
    """One reason per link that joined two groups of articles (a spanning forest, in time order).

    Args:
        facets: the incident's facets (core and leaf).
        cfg: the thresholds.
        name: display name of an entity key.
    """
    order = sorted(facets, key=lambda f: (f.published_at, f.id))
    parent: dict[int, int] = {f.article_id: f.article_id for f in order}

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    out: list[MergeReason] = []
    for i, f in enumerate(order):
        for g in reversed(order[max(0, i - _LOOKBACK) : i]):
            if (f.is_leaf and g.is_leaf) or find(f.article_id) == find(g.article_id):
                continue
            reason = link_reason(f, g, cfg, name)
            if reason is not None:
                parent[find(f.article_id)] = find(g.article_id)
                out.append(MergeReason(f.article_id, g.article_id, reason))
    return out
