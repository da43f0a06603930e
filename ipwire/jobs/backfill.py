"""The backfill: a crawl of the search sources over a chosen past window, watched as it goes.

A backfill is an ordinary crawl (the same child process, spiders, page workers and store) whose
search sources are given ``since``/``until``: each asks about the window slice by slice, and a
slice is recorded as done only when every article it listed is stored or failed. Killed at any
moment, the same command resumes: the done slices are not asked about again, the stored articles
are not fetched again. Progress is read from the store (the share of the window that done slices
cover) while the crawl runs.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import logging
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from crawler.search.gdelt import EARLIEST
from crawler.spec import CrawlSpec
from ipwire.config import Settings
from ipwire.jobs.crawl import CrawlFailed, CrawlResult, crawl_spec
from store import make_engine, make_session_factory, session_scope
from store.search_slices import window_progress

log = logging.getLogger(__name__)

#: A backfill fetches every article of the window: ``max_articles`` does not apply.
UNLIMITED = 1 << 62


@dataclass(frozen=True)
class Progress:
    """How far a backfill is: seconds of the window covered by done slices, of the total."""

    done_s: float
    total_s: float
    slices_done: int

    @property
    def fraction(self) -> float:
        return self.done_s / self.total_s if self.total_s > 0 else 1.0


def parse_moment(text: str) -> datetime:
    """``2024-01-31`` or an ISO 8601 date-time; a moment without an offset is UTC."""
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"expected a date (YYYY-MM-DD) or ISO date-time, got {text!r}") from None
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC)


def backfill_spec(
    settings: Settings, since: datetime, until: datetime, names: list[str] | None = None
) -> CrawlSpec:
    """The crawl spec of a backfill of ``[since, until)`` over the search sources.

    Args:
        settings: the loaded settings.
        since: start of the window.
        until: end of the window (exclusive).
        names: exactly these sources (each must be of kind ``search``); default: every enabled
            search source.

    Raises:
        CrawlFailed: no such source, a named source is not a search source, or a bad window.
    """
    if since >= until:
        raise CrawlFailed(f"--since ({since:%Y-%m-%d %H:%M}) must be before --until")
    if since < EARLIEST:
        raise CrawlFailed(f"GDELT's DOC API searches back to {EARLIEST:%Y-%m-%d}, not {since:%F}")
    kinds = {s.name: s.kind for s in settings.sources}
    if names:
        wrong = [n for n in names if n in kinds and kinds[n] != "search"]
        if wrong:
            raise CrawlFailed(
                f"not a search source: {', '.join(wrong)} (backfill needs kind = search)"
            )
        chosen = names
    else:
        chosen = [s.name for s in settings.sources if s.kind == "search" and s.enabled]
        if not chosen:
            raise CrawlFailed('no search sources configured: add [[sources]] with kind = "search"')
    spec = crawl_spec(settings, chosen)
    sources = tuple(
        dataclasses.replace(
            s, since=since.isoformat(), until=until.isoformat(), max_articles=UNLIMITED
        )
        for s in spec.sources
    )
    return dataclasses.replace(spec, sources=sources)


def progress_of(spec: CrawlSpec) -> Callable[[], Progress]:
    """A function that reads the backfill's progress from the store."""
    factory = make_session_factory(make_engine(spec.database_url))
    names = [s.name for s in spec.sources]
    first = spec.sources[0]
    assert first.since and first.until
    start, end = datetime.fromisoformat(first.since), datetime.fromisoformat(first.until)
    total = (end - start).total_seconds() * len(names)

    def read() -> Progress:
        with session_scope(factory) as s:
            done, count = window_progress(s, names, start, end)
        return Progress(done, total, count)

    return read


def run_backfill(
    spec: CrawlSpec,
    on_progress: Callable[[Progress], None] | None = None,
    *,
    poll_s: float = 1.0,
    timeout_s: float | None = None,
) -> CrawlResult:
    """Run the backfill crawl in a child process, reporting progress every ``poll_s``."""
    read = progress_of(spec)
    deadline = None if timeout_s is None else time.monotonic() + timeout_s
    with tempfile.TemporaryDirectory(prefix="ipwire-backfill-") as tmp:
        spec_path, out_path = Path(tmp) / "spec.json", Path(tmp) / "result.json"
        err_path = Path(tmp) / "stderr.txt"
        spec_path.write_text(spec.to_json(), encoding="utf-8")
        cmd = [sys.executable, "-m", "crawler.run", str(spec_path), "--out", str(out_path)]
        with err_path.open("w", encoding="utf-8") as err:
            proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err)
            try:
                while proc.poll() is None:
                    if deadline is not None and time.monotonic() > deadline:
                        proc.kill()
                        proc.wait()
                        raise CrawlFailed(f"backfill did not finish within {timeout_s:.0f}s")
                    if on_progress is not None:
                        on_progress(read())
                    with contextlib.suppress(subprocess.TimeoutExpired):
                        proc.wait(timeout=poll_s)
            except BaseException:
                if proc.poll() is None:  # Ctrl-C: stop the crawl; done slices stay done
                    proc.terminate()
                    proc.wait()
                raise
        if on_progress is not None:
            on_progress(read())
        tail = err_path.read_text(encoding="utf-8", errors="replace").strip().splitlines()[-15:]
        if proc.returncode != 0 or not out_path.exists():
            raise CrawlFailed(f"crawl process exited with {proc.returncode}:\n" + "\n".join(tail))
        summaries = json.loads(out_path.read_text(encoding="utf-8"))
        return CrawlResult(summaries, proc.returncode)
