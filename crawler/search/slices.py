"""Time slices of a search window: what is left to ask, and how to split a slice at the cap.

Pure functions over ``[start, end)`` intervals of aware UTC datetimes; the spider and the tests
share them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import pairwise

from crawler.search.gdelt import Hit

__all__ = ["CapSplit", "Span", "cut", "gaps", "split_at_cap"]

Span = tuple[datetime, datetime]

#: A slice shorter than this that still hits the cap is taken as it is (marked capped).
MIN_SPLIT = timedelta(minutes=1)
#: The API's time resolution.
RESOLUTION = timedelta(seconds=1)


def gaps(start: datetime, end: datetime, covered: Iterable[Span]) -> list[Span]:
    """The parts of ``[start, end)`` that no interval of ``covered`` covers, in order."""
    out: list[Span] = []
    cursor = start
    for s, e in sorted(covered):
        if e <= cursor:
            continue
        if s >= end:
            break
        if s > cursor:
            out.append((cursor, s))
        cursor = max(cursor, e)
        if cursor >= end:
            break
    if cursor < end:
        out.append((cursor, end))
    return out


def cut(start: datetime, end: datetime, step: timedelta) -> list[Span]:
    """``[start, end)`` as consecutive slices of at most ``step``."""
    if step <= timedelta(0):
        raise ValueError("the slice length must be positive")
    out: list[Span] = []
    cursor = start
    while cursor < end:
        nxt = min(cursor + step, end)
        out.append((cursor, nxt))
        cursor = nxt
    return out


@dataclass(frozen=True)
class CapSplit:
    """What to do with a slice whose article list hit the cap.

    ``done`` is the part of the slice that the hits in ``kept`` cover completely (None when
    nothing could be kept), ``rest`` the parts to ask about again, ``capped`` whether results
    may be missing for good (a slice too short to split).
    """

    done: Span | None
    kept: list[Hit] = field(default_factory=list)
    rest: list[Span] = field(default_factory=list)
    capped: bool = False


def _ascending(hits: Sequence[Hit]) -> bool:
    dates = [h.seen_at for h in hits]
    known = [d for d in dates if d is not None]
    return len(known) == len(dates) and all(a <= b for a, b in pairwise(known))


def split_at_cap(start: datetime, end: datetime, hits: Sequence[Hit]) -> CapSplit:
    """Split a capped slice where its (oldest first) article list stops being complete.

    The list is sorted by seen date, so every article seen before the last date in it is in
    it: ``[start, last)`` is done with those hits, ``[last, end)`` is asked again. When the
    list is not sorted (or lacks dates) the slice is halved and its hits dropped. A slice that
    cannot be split any further is taken as it is, marked capped.
    """
    if hits and _ascending(hits):
        last = hits[-1].seen_at
        assert last is not None
        if start < last < end:
            kept = [h for h in hits if h.seen_at is not None and h.seen_at < last]
            return CapSplit(done=(start, last), kept=kept, rest=[(last, end)])
        if last <= start:  # every hit in the first instant: more than a cap of them
            edge = min(start + RESOLUTION, end)
            rest = [(edge, end)] if edge < end else []
            return CapSplit(done=(start, edge), kept=list(hits), rest=rest, capped=True)
    if end - start > MIN_SPLIT:
        middle = start + (end - start) / 2
        middle = middle.replace(microsecond=0)
        return CapSplit(done=None, rest=[(start, middle), (middle, end)])
    return CapSplit(done=(start, end), kept=list(hits), capped=True)
