"""The chain of stages and the functions the scheduler calls (by reference).

Every stage run is recorded in ``job_run`` (start, end, outcome, counts, error). A failing stage
is recorded and named; the later stages still run on what the store already has, because a
failed crawl of one source must not stop yesterday's articles from being briefed.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from ipwire.config import Settings, load_settings
from ipwire.jobs import stop
from store import (
    StoreError,
    finish_job_run,
    make_engine,
    make_session_factory,
    session_scope,
    start_job_run,
)
from store.errors import describe

log = logging.getLogger(__name__)

# The briefing comes before the site so that the site's briefing archive includes it.
STAGES: tuple[str, ...] = ("crawl", "process", "cluster", "briefing", "site")


@dataclass
class StageOutcome:
    stage: str
    ok: bool
    counts: dict[str, Any] = field(default_factory=dict)
    error: str | None = None
    seconds: float = 0.0


@dataclass
class ChainResult:
    stages: list[StageOutcome]

    @property
    def ok(self) -> bool:
        return all(s.ok for s in self.stages)

    @property
    def failed(self) -> list[str]:
        return [s.stage for s in self.stages if not s.ok]


def _one_line(exc: BaseException) -> str:
    """How a failed stage is shown: a database error without its SQL statement."""
    if isinstance(exc, StoreError | SQLAlchemyError):
        return f"{type(exc).__name__}: {describe(exc)}"
    return f"{type(exc).__name__}: {exc}"


@contextmanager
def recorded(settings: Settings, job: str) -> Iterator[dict[str, Any]]:
    """Record one job run; the body fills the yielded dict with its counts."""
    factory = make_session_factory(make_engine(settings.database_url))
    with session_scope(factory) as s:
        run_id = start_job_run(s, job).id
    counts: dict[str, Any] = {}
    try:
        yield counts
    except BaseException as e:
        outcome = "interrupted" if isinstance(e, KeyboardInterrupt | SystemExit) else "failed"
        with session_scope(factory) as s:
            finish_job_run(s, run_id, outcome=outcome, counts=counts, error=_one_line(e))
        raise
    with session_scope(factory) as s:
        finish_job_run(s, run_id, outcome="ok", counts=counts)


def _stage_crawl(settings: Settings, sources: list[str] | None) -> dict[str, Any]:
    from ipwire.jobs.crawl import check_crawl, crawl_spec, crawl_totals, require_sources, run_crawl

    spec = crawl_spec(settings, sources)
    require_sources(spec)  # no sources: the stage failed, as `ipwire crawl` says
    # The main thread only waits for the crawl's child process: a stop may interrupt it at once
    # (subprocess.run kills the child), where other stages stop at their next checkpoint.
    with stop.interruptible():
        result = run_crawl(spec)
    check_crawl(result)
    return crawl_totals(result.summaries)


def _stage_process(settings: Settings) -> dict[str, Any]:
    from ipwire.jobs.process import process_pending

    return process_pending(settings).as_counts()


def _stage_cluster(settings: Settings) -> dict[str, Any]:
    from ipwire.jobs.cluster import cluster_pending

    return cluster_pending(settings).as_counts()


def _stage_site(settings: Settings) -> dict[str, Any]:
    from ipwire.jobs.publish import build_site

    return build_site(settings).as_counts()


def _stage_briefing(settings: Settings, send: bool, options: dict[str, Any]) -> dict[str, Any]:
    from ipwire.jobs.publish import make_briefing

    return make_briefing(settings, send=send, **options).as_counts()


def run_chain(
    settings: Settings,
    *,
    sources: list[str] | None = None,
    stages: tuple[str, ...] = STAGES,
    send_briefing: bool = False,
    briefing_options: dict[str, Any] | None = None,
) -> ChainResult:
    """Run the stages once, in order, each recorded in ``job_run``.

    Args:
        settings: the loaded settings.
        sources: crawl only these sources (default: every enabled one).
        stages: which stages, in order.
        send_briefing: send the briefing by SMTP (else only render and record it).
        briefing_options: extra keyword arguments of ``make_briefing`` (``since``, ``out``…).
    """
    runners: dict[str, Callable[[], dict[str, Any]]] = {
        "crawl": lambda: _stage_crawl(settings, sources),
        "process": lambda: _stage_process(settings),
        "cluster": lambda: _stage_cluster(settings),
        "site": lambda: _stage_site(settings),
        "briefing": lambda: _stage_briefing(settings, send_briefing, briefing_options or {}),
    }
    outcomes: list[StageOutcome] = []
    for stage in stages:
        stop.checkpoint()  # after SIGTERM/SIGINT (ipwire run --once), no further stage starts
        t0 = time.monotonic()
        try:
            with recorded(settings, stage) as counts:
                counts.update(runners[stage]())
            outcomes.append(StageOutcome(stage, True, counts, seconds=time.monotonic() - t0))
        except Exception as e:  # recorded above; the chain goes on with the next stage
            error = _one_line(e)
            log.error("stage %s failed: %s", stage, error)
            outcomes.append(StageOutcome(stage, False, {}, error, time.monotonic() - t0))
    return ChainResult(outcomes)


# -- functions the scheduler stores by reference ------------------------------------------------
def crawl_source(config_path: str | None, source: str) -> None:
    """Scheduled: crawl one source, then process, cluster and rebuild the site."""
    settings = load_settings(config_path)
    run_chain(settings, sources=[source], stages=("crawl", "process", "cluster", "site"))


def daily_briefing(config_path: str | None) -> None:
    """Scheduled: render and send today's briefing (idempotent per date and audience)."""
    settings = load_settings(config_path)
    run_chain(settings, stages=("briefing", "site"), send_briefing=bool(settings.email.smtp_host))


def housekeeping(config_path: str | None) -> None:
    """Scheduled: retention of run history and database maintenance."""
    from store import maintenance

    settings = load_settings(config_path)
    with recorded(settings, "housekeeping") as counts:
        counts.update(
            maintenance(settings.database_url, retention_days=settings.schedule.retention_days)
        )
