"""Linking facets and keeping the incidents as connected components, incrementally.

Why components: whether two facets are linked depends on the two facets only (their keys, claim
signatures, words and dates; no corpus statistics), so the connected components of the link graph
do not depend on the order in which articles arrive. Adding articles one batch at a time and
rebuilding from scratch give the same partition, exactly; and an article that links two existing
incidents *merges* them (the caller keeps the old slug as an alias).

Rules (thresholds in ``data/incidents.toml``):

* **signature link** — a claim against the same accused, with compatible claim families, by the
  same accuser (or with the roles flipped: a counter-accusation or denial), within
  ``sig_window_days``. When one side does not name its accuser (and the accused is no hub), it
  also needs a second shared key, prominent on either side with text Jaccard ≥ ``min_text_3``,
  or named in passing on both with text Jaccard ≥ ``min_text_2``, within ``window_days``.
* **entity link** — at least two shared entity keys, one prominent in both (in the headline,
  named twice, or a claim party), and text Jaccard ≥ ``min_text_2`` (three shared keys, or two
  prominent on either side: ``min_text_3``), within ``window_days``; unless both name accusers
  and accused in their claims (denials aside) and no pair agrees (two disputes, one company).

* **victim link** — a claim that names no culprit (a hack, a leak told by its victim) and, in the
  other facet, a claim of a compatible family with the same victim (or that victim as the accuser
  of a named culprit), with text Jaccard >= ``min_text_victim``, within ``window_days``: one
  break-in retold. The victim alone is no key (it is often a hub), so the words must agree.

Time is weak evidence: a facet of a page that declared no date (its fetch time stands in) links
as if both were published together, within ``sig_window_days`` of that stand-in.

A component is an incident when it holds an *anchor* (a relevant article's story with a claim,
or a strongly relevant article's main story). Leaf facets (non-relevant articles) join every
incident they link to but never join two incidents together, so a passing mention cannot merge
stories. Candidates come from inverted indexes with time-sorted postings — of (prominent key,
other key) pairs and of (accuser, accused) signatures — so the cost of adding an article depends
on how many recent articles share such a pair with it, not on the size of the history.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from nlp.incidents.config import ClusterConfig, load_config
from nlp.incidents.features import Facet, article_of

__all__ = ["GraphDelta", "IncidentGraph", "harmed_victim", "jaccard", "link_score", "victim_link"]

_DAY = 86400.0


def jaccard(a: frozenset[int], b: frozenset[int]) -> float:
    """Jaccard similarity of two word sets (0 when both are empty)."""
    if not a or not b:
        return 0.0
    inter = len(a & b)
    return inter / (len(a) + len(b) - inter)


def _signature(a: Facet, b: Facet, cfg: ClusterConfig) -> tuple[bool, bool, bool]:
    """(strong, weak, veto) comparison of two facets' disputes.

    A dispute is (accuser, accused, claim family), a product counting as its maker. ``strong``:
    the same accuser against the same accused (or the roles flipped: a counter-accusation or a
    denial), compatible families. ``weak``: the same accused, one accuser unnamed but the other
    named in both facets, and the accused no hub (an unnamed accuser against a big lab tells
    nothing about the story).

    ``veto``: two different disputes — both name accuser and accused and no pair agrees (a
    publisher suing a lab, the lab cutting off a customer), or both name accused parties and
    neither side's parties are among the other's accused (the same accuser against two
    different companies is two stories), or one side names an accuser of a party that the
    other side also accuses but never mentions (Reddit suing a crawler is not the story of an
    unnamed accuser against the same crawler).
    """
    fam = cfg.family_of
    strong = weak = stranger = False
    full_a = [p for p in a.pairs if p.left and not p.denied]
    full_b = [p for p in b.pairs if p.left and not p.denied]
    agree = False
    for pa in a.pairs:
        la, ca = (fam(pa.left) if pa.left else None), fam(pa.accused)
        for pb in b.pairs:
            lb, cb = (fam(pb.left) if pb.left else None), fam(pb.accused)
            same = ca == cb
            flipped = bool(la and lb and ca == lb and la == cb)
            if la and lb and ((same and la == lb) or flipped):
                agree = True
            if (
                same
                and ca not in cfg.hubs
                and not (_named_in(la, b, cfg) and _named_in(lb, a, cfg))
            ):
                stranger = True  # one side's accuser of this party is unknown to the other
            if not pa.groups & pb.groups:
                continue
            if same and la and lb:
                strong |= la == lb
            elif same and ca not in cfg.hubs:
                # The accuser one side names must be named on the other too: Reddit suing a
                # crawler is not the story of an unnamed accuser against the same crawler.
                weak |= _named_in(la, b, cfg) and _named_in(lb, a, cfg)
            strong |= flipped
    veto = bool(full_a and full_b and not agree) or (stranger and not agree)
    return strong, weak, veto or _apart(a, b, cfg)


def harmed_victim(a: Facet, b: Facet, cfg: ClusterConfig) -> str | None:
    """The victim (family key) of a claim naming no culprit on one side that the other side
    harms too (a claim of a compatible family with that victim, a culprit named or not)."""
    fam = cfg.family_of
    for x, y in ((a, b), (b, a)):
        theirs = [(fam(v.victim), v.groups) for v in y.victims]
        theirs += [(fam(p.left), p.groups) for p in y.pairs if p.left and not p.denied]
        for v in x.victims:
            if any(fam(v.victim) == k and v.groups & groups for k, groups in theirs):
                return fam(v.victim)
    return None


def victim_link(a: Facet, b: Facet, cfg: ClusterConfig) -> str | None:
    """The victim through which two facets are a victim link (see the module doc), if any."""
    if not (a.victims or b.victims):
        return None  # the common case, decided before any word is compared
    gap = abs((a.published_at - b.published_at).total_seconds()) / _DAY
    if a.dated and b.dated and gap > cfg.window_days:
        return None
    victim = harmed_victim(a, b, cfg)
    if victim is None or jaccard(a.words, b.words) < cfg.min_text_victim:
        return None
    return victim


def _named_in(key: str | None, f: Facet, cfg: ClusterConfig) -> bool:
    """Whether a party (None: nobody) is among a facet's keys, products counting as makers."""
    return key is None or any(cfg.family_of(k) == key for k in f.keys)


def _apart(a: Facet, b: Facet, cfg: ClusterConfig) -> bool:
    """Both facets accuse someone, and no accused of one is a party of the other's claims."""
    if not a.pairs or not b.pairs:
        return False
    fam = cfg.family_of

    def accused(f: Facet) -> set[str]:
        # A denial often flips the roles: both its sides may be the accused.
        out = {fam(p.accused) for p in f.pairs}
        return out | {fam(p.left) for p in f.pairs if p.left and p.denied}

    def parties(f: Facet) -> set[str]:
        return accused(f) | {fam(p.left) for p in f.pairs if p.left}

    return not (accused(a) & parties(b) or accused(b) & parties(a))


def link_score(a: Facet, b: Facet, cfg: ClusterConfig) -> float | None:
    """How strongly two facets are the same story (0..1), or ``None`` when they are not linked.

    Args:
        a: a facet.
        b: another facet, of another article.
        cfg: the thresholds.
    """
    if a.article_id == b.article_id:
        return None
    gap = abs((a.published_at - b.published_at).total_seconds()) / _DAY
    if gap > cfg.sig_window_days:
        return None
    if not (a.dated and b.dated):
        # A page that declared no date stands at its fetch time: time is then no evidence,
        # within the signature window (which keeps the stored facets to load bounded).
        gap = 0.0
    strong, weak, veto = _signature(a, b, cfg)
    if strong:
        return 1.0
    if veto:
        return None
    if victim_link(a, b, cfg):
        return round(min(0.85, 0.5 + jaccard(a.words, b.words)), 4)
    fam = cfg.family_of
    a_keys, b_keys = {fam(k) for k in a.keys}, {fam(k) for k in b.keys}
    a_prom, b_prom = {fam(k) for k in a.prominent}, {fam(k) for k in b.prominent}
    shared = a_keys & b_keys
    own = shared - cfg.hubs
    if len(shared) < 2 or not own:
        return None
    named = len(shared & (a_prom | b_prom))
    both = shared & a_prom & b_prom
    text = jaccard(a.words, b.words)
    # The same two non-hub parties in the foreground of both: one dispute, months apart.
    far = gap <= cfg.far_window_days and len(own & a_prom & b_prom) >= 2 and text >= cfg.min_text_3
    if gap > cfg.window_days and not far:
        return None
    if weak:
        # The same accused, one accuser unnamed: a second shared name, prominent somewhere, or
        # named in passing on both sides with the words of two shared names (min_text_2): the
        # plaintiff a report names once ("authors led by Mira Castell") is still evidence.
        if (named >= 2 and text >= cfg.min_text_3) or text >= cfg.min_text_2:
            return 0.9
        return None
    if not both or not own & (a_prom | b_prom):
        return None
    if not (a.dated and b.dated) and not own & both:
        # Without time as evidence, a hub in both and a name in passing (the judge of two suits
        # against one lab) is no story: a non-hub party must be in the foreground of both,
        # unless two non-hub parties are each in the foreground of one side, or the two texts
        # are very alike (one event retold).
        fore = own & (a_prom | b_prom)
        if not ((len(fore) >= 2 and text >= cfg.min_text_2) or text >= cfg.min_text_undated_hub):
            return None
    # Names prominent on either side (not just mentioned in passing) allow less similar text:
    # two articles that name the same big lab and mention another in passing need more.
    if (
        far
        or text >= cfg.min_text_2
        or ((named >= 2 or len(shared) >= 3) and text >= cfg.min_text_3)
    ):
        return round(min(0.85, 0.5 + text), 4)
    return None


@dataclass
class GraphDelta:
    """What one :meth:`IncidentGraph.add` changed."""

    #: labels of the incidents (components with an anchor) whose membership changed
    touched: set[int] = field(default_factory=set)
    #: label of an earlier incident that was absorbed into another component -> its new label
    merged: dict[int, int] = field(default_factory=dict)
    #: every component label that was absorbed in this call -> its final label
    unions: dict[int, int] = field(default_factory=dict)
    #: facet id -> its component label, for every core facet whose label changed or is new
    relabelled: dict[int, int] = field(default_factory=dict)
    #: (leaf facet id, core facet id) links made in this call
    leaf_links: list[tuple[int, int]] = field(default_factory=list)
    #: facet id -> best link score found for it (new facets; 0 when it linked to nothing)
    scores: dict[int, float] = field(default_factory=dict)


class IncidentGraph:
    """The facets seen so far, their index, and the components (union-find)."""

    def __init__(self, cfg: ClusterConfig | None = None) -> None:
        self.cfg = cfg or load_config()
        self.facets: dict[int, Facet] = {}
        self._pairs: dict[tuple[str, str], list[tuple[float, int]]] = {}
        # The same postings for undated facets, scanned across the whole signature window.
        self._undated: dict[tuple[str, str], list[tuple[float, int]]] = {}
        self._sigs: dict[tuple[str, str], list[tuple[float, int]]] = {}
        # Victims of claims naming no culprit, and accusers of claims naming one (victim links).
        # Keyed by (party, dated): an undated facet links across the whole signature window.
        self._victims: dict[tuple[str, bool], list[tuple[float, int]]] = {}
        self._lefts: dict[tuple[str, bool], list[tuple[float, int]]] = {}
        self._parent: dict[int, int] = {}
        self._anchor: dict[int, bool] = {}  # root label -> holds an anchor
        self._members: dict[int, set[int]] = {}  # root label -> core facet ids
        self.leaf_links: dict[int, set[int]] = {}  # leaf facet -> linked core facets
        self._core_leaves: dict[int, set[int]] = {}  # core facet -> linked leaves
        self._new: set[int] = set()  # facets of the current add()

    # -- state ------------------------------------------------------------------------------
    def _index(self, f: Facet) -> None:
        self.facets[f.id] = f
        entry = (f.published_at.timestamp(), f.id)
        postings = self._pairs if f.dated else self._undated
        for key in self._pair_keys(f, self.cfg):
            bisect.insort(postings.setdefault(key, []), entry)
        fam = self.cfg.family_of
        for p in f.pairs:
            if p.left:
                bisect.insort(self._sigs.setdefault((fam(p.left), fam(p.accused)), []), entry)
        for left in sorted({fam(p.left) for p in f.pairs if p.left and not p.denied}):
            bisect.insort(self._lefts.setdefault((left, f.dated), []), entry)
        for victim in sorted({fam(v.victim) for v in f.victims}):
            bisect.insort(self._victims.setdefault((victim, f.dated), []), entry)

    @staticmethod
    def _pair_keys(f: Facet, cfg: ClusterConfig) -> list[tuple[str, str]]:
        """(prominent party, other party) pairs: two facets that can be entity-linked share one.

        Parties are family keys (a product counts as its maker); a pair of two hubs is no
        posting, since hubs alone never link.
        """
        fam = cfg.family_of
        keys = sorted({fam(k) for k in f.keys})
        prom = sorted({fam(k) for k in f.prominent})
        return [
            (p, q) for p in prom for q in keys if q != p and not (p in cfg.hubs and q in cfg.hubs)
        ]

    def restore(
        self,
        facets: Iterable[Facet],
        labels: dict[int, int],
        leaf_links: Iterable[tuple[int, int]],
        anchored: Iterable[int] = (),
    ) -> None:
        """Load a saved state without recomputing any link.

        Args:
            facets: the saved facets (or only those within the time window of the new ones:
                no link can reach further).
            labels: core facet id -> its component label, as returned in earlier deltas.
            leaf_links: saved (leaf facet, core facet) links.
            anchored: labels of components holding an anchor (incidents), including anchors
                that were not loaded.
        """
        for label in anchored:
            self._anchor[label] = True
        for f in facets:
            self._index(f)
            if f.is_leaf:
                continue
            label = labels.get(f.id, f.id)
            self._parent[f.id] = label
            self._parent.setdefault(label, label)
            self._members.setdefault(label, set()).add(f.id)
            self._anchor[label] = self._anchor.get(label, False) or f.is_anchor
        for leaf, core in leaf_links:
            self.leaf_links.setdefault(leaf, set()).add(core)
            self._core_leaves.setdefault(core, set()).add(leaf)

    def find(self, x: int) -> int:
        """The component label (smallest facet id) of a core facet."""
        root = x
        while self._parent[root] != root:
            root = self._parent[root]
        while self._parent[x] != root:
            self._parent[x], x = root, self._parent[x]
        return root

    # -- linking ----------------------------------------------------------------------------
    def candidates(self, f: Facet) -> list[Facet]:
        """Facets that can be linked to ``f`` (the index lookup; complete for the link rules).

        An entity link needs a key prominent in both facets plus another shared key, so the
        two facets share a (prominent key, other key) posting within ``window_days``; a
        signature link needs the same (accuser, accused), or the flipped pair, within
        ``sig_window_days``. Names mentioned everywhere (the big labs) are never looked up
        alone, which keeps the cost of an article independent of the size of the history.
        """
        ts = f.published_at.timestamp()
        found: set[int] = set()

        def scan(post: list[tuple[float, int]], days: float) -> None:
            lo = bisect.bisect_left(post, (ts - days * _DAY, -1))
            hi = bisect.bisect_right(post, (ts + days * _DAY, 1 << 62))
            for i in range(lo, hi):
                found.add(post[i][1])

        pairs, cfg = self._pairs, self.cfg
        for key in self._pair_keys(f, cfg):
            post = pairs.get(key)
            if post:
                # Two non-hub parties may link across the far window; an undated facet's time
                # is no evidence, so it looks across the whole signature window.
                far = key[0] not in cfg.hubs and key[1] not in cfg.hubs
                days = cfg.far_window_days if far else cfg.window_days
                scan(post, days if f.dated else cfg.sig_window_days)
            post = self._undated.get(key)
            if post:
                scan(post, cfg.sig_window_days)
        fam = cfg.family_of
        for p in f.pairs:
            if p.left:
                left, accused = fam(p.left), fam(p.accused)
                for key in ((left, accused), (accused, left)):
                    if key in self._sigs:
                        scan(self._sigs[key], cfg.sig_window_days)

        # A victim link: the same victim harmed (no culprit named on one side), within the
        # linking window, or across the signature window where one side is undated.
        wanted = [(self._victims, fam(v.victim)) for v in f.victims]
        wanted += [(self._lefts, fam(v.victim)) for v in f.victims]
        wanted += [(self._victims, fam(p.left)) for p in f.pairs if p.left and not p.denied]
        for index, party in wanted:
            for dated in (True, False):
                post = index.get((party, dated))
                if post:
                    scan(post, cfg.window_days if f.dated and dated else cfg.sig_window_days)

        found.discard(f.id)
        return [self.facets[i] for i in sorted(found)]

    def add(self, facets: Iterable[Facet]) -> GraphDelta:
        """Add new facets; link them, merge components, attach leaves.

        Facets already in the graph are ignored (re-running on the same articles is a no-op).
        """
        delta = GraphDelta()
        new = [f for f in sorted(facets, key=lambda f: f.id) if f.id not in self.facets]
        moved: set[int] = set()
        for f in new:
            self._index(f)
            if not f.is_leaf:
                self._parent[f.id] = f.id
                self._members[f.id] = {f.id}
                self._anchor[f.id] = f.is_anchor
        new_ids = self._new = {f.id for f in new}
        scores = delta.scores
        for f in new:
            scores.setdefault(f.id, 0.0)
            for c in self.candidates(f):
                # Each pair once: two new facets are compared from the later one. Two core
                # facets already in one component need no comparison (only the link score,
                # informational, may then come from another pair).
                if (c.id in new_ids and c.id > f.id) or (f.is_leaf and c.is_leaf):
                    continue
                if not (f.is_leaf or c.is_leaf) and self.find(f.id) == self.find(c.id):
                    continue
                score = link_score(f, c, self.cfg)
                if score is None:
                    continue
                scores[f.id] = max(scores[f.id], score)
                if c.id in new_ids:
                    scores[c.id] = max(scores.get(c.id, 0.0), score)
                if f.is_leaf or c.is_leaf:
                    leaf, core = (f, c) if f.is_leaf else (c, f)
                    if core.id not in self.leaf_links.get(leaf.id, set()):
                        self.leaf_links.setdefault(leaf.id, set()).add(core.id)
                        self._core_leaves.setdefault(core.id, set()).add(leaf.id)
                        delta.leaf_links.append((leaf.id, core.id))
                        delta.touched.add(self.find(core.id))
                else:
                    self._union(f.id, c.id, delta, moved)
            if not f.is_leaf:
                delta.touched.add(self.find(f.id))
        delta.touched = {self.find(t) for t in delta.touched}
        delta.touched = {t for t in delta.touched if self._anchor.get(t)}
        for old, root in list(delta.merged.items()):
            delta.merged[old] = self.find(root)
        for old, root in list(delta.unions.items()):
            delta.unions[old] = self.find(root)
        for fid in moved | {f.id for f in new if not f.is_leaf}:
            delta.relabelled[fid] = self.find(fid)
        return delta

    def _union(self, a: int, b: int, delta: GraphDelta, moved: set[int]) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return
        # The smaller label survives, so the label of a component does not depend on the order
        # in which its facets were linked.
        keep, gone = min(ra, rb), max(ra, rb)
        self._parent[gone] = keep
        delta.unions[gone] = keep
        members = self._members.pop(gone, set())
        moved |= members
        self._members.setdefault(keep, set()).update(members)
        was_incident = self._anchor.pop(gone, False)
        if was_incident and gone not in self._new:
            delta.merged[gone] = keep  # an incident of an earlier run: the caller merges rows
        self._anchor[keep] = self._anchor.get(keep, False) or was_incident

    # -- reading ----------------------------------------------------------------------------
    def is_incident(self, label: int) -> bool:
        """Whether the component holds an anchor."""
        return bool(self._anchor.get(self.find(label)))

    def members(self, label: int) -> tuple[set[int], set[int]]:
        """(core facet ids, leaf facet ids) of a component."""
        core = set(self._members.get(self.find(label), set()))
        leaves: set[int] = set()
        for c in core:
            leaves |= self._core_leaves.get(c, set())
        return core, leaves

    def articles(self, label: int) -> set[int]:
        """Article ids of a component (core and leaf facets)."""
        core, leaves = self.members(label)
        return {article_of(i) for i in core | leaves}

    def incidents(self) -> dict[int, set[int]]:
        """Every incident: label -> article ids."""
        return {
            root: self.articles(root)
            for root in sorted(self._members)
            if self._parent.get(root) == root and self._anchor.get(root)
        }

    def window_start(self, published: Iterable[dt.datetime]) -> dt.datetime | None:
        """The earliest time a facet linked to any of these dates can have."""
        times = list(published)
        if not times:
            return None
        return min(times) - dt.timedelta(days=self.cfg.sig_window_days)
