"""``ipwire run``: APScheduler 3 with its SQLAlchemy job store in the store's own database.

Jobs (ids are stable so a restart replaces them rather than adding copies):

* ``crawl:<source>`` — every ``interval_minutes`` (or on ``cron``): crawl that source, then
  process new articles, cluster them into incidents and rebuild the site incrementally;
* ``briefing`` — daily at ``schedule.briefing_time`` in ``timezone`` (DST-correct: the trigger
  is a wall-clock cron in that zone);
* ``housekeeping`` — daily at ``schedule.housekeeping_time``: retention, VACUUM/ANALYZE.

Every job has ``max_instances=1`` and ``coalesce=True`` and a misfire grace time; the executor
has one thread, so stages never overlap (one writer on SQLite, one crawl at a time).
Jobs are stored by reference (``module:function`` + the config path), so the job store never
pickles live objects.
"""

from __future__ import annotations

import logging
import signal
import threading
from dataclasses import dataclass
from datetime import datetime
from types import FrameType
from typing import Any

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.base import BaseJobStore
from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from ipwire.config import Settings

log = logging.getLogger(__name__)

JOBSTORE_TABLE = "apscheduler_jobs"


@dataclass(frozen=True)
class JobDef:
    """One scheduled job, before it is handed to APScheduler."""

    id: str
    func: str
    trigger: BaseTrigger
    args: tuple[Any, ...]


def _daily(hhmm: str, settings: Settings) -> CronTrigger:
    hour, minute = (int(p) for p in hhmm.split(":"))
    return CronTrigger(hour=hour, minute=minute, timezone=settings.tz)


def job_definitions(settings: Settings) -> list[JobDef]:
    """The jobs ``ipwire run`` schedules for these settings."""
    config = str(settings.config_path) if settings.config_path else None
    jobs: list[JobDef] = []
    for src in settings.sources:
        if not src.enabled:
            continue
        trigger: BaseTrigger
        if src.cron:
            trigger = CronTrigger.from_crontab(src.cron, timezone=settings.tz)
        else:
            minutes = src.interval_minutes or settings.schedule.crawl_interval_minutes
            trigger = IntervalTrigger(minutes=minutes, timezone=settings.tz)
        jobs.append(
            JobDef(
                f"crawl:{src.name}",
                "ipwire.jobs.scheduled:crawl_source",
                trigger,
                (config, src.name),
            )
        )
    jobs.append(
        JobDef(
            "briefing",
            "ipwire.jobs.scheduled:daily_briefing",
            _daily(settings.schedule.briefing_time, settings),
            (config,),
        )
    )
    jobs.append(
        JobDef(
            "housekeeping",
            "ipwire.jobs.scheduled:housekeeping",
            _daily(settings.schedule.housekeeping_time, settings),
            (config,),
        )
    )
    return jobs


def build_scheduler(
    settings: Settings,
    *,
    persistent: bool = True,
    scheduler_cls: type[BaseScheduler] = BlockingScheduler,
) -> BaseScheduler:
    """A scheduler with every job added (not started).

    Args:
        settings: the loaded settings.
        persistent: keep jobs in the ``apscheduler_jobs`` table of the store's database (so
            ``ipwire status`` can read next fire times); False keeps them in memory (tests).
        scheduler_cls: BlockingScheduler for ``ipwire run``; BackgroundScheduler in tests.
    """
    store: BaseJobStore
    if persistent:
        store = SQLAlchemyJobStore(url=settings.database_url, tablename=JOBSTORE_TABLE)
    else:
        store = MemoryJobStore()
    scheduler = scheduler_cls(
        jobstores={"default": store},
        executors={"default": ThreadPoolExecutor(max_workers=1)},
        job_defaults={
            "coalesce": True,
            "max_instances": 1,
            "misfire_grace_time": settings.schedule.misfire_grace_s,
        },
        timezone=settings.tz,
    )
    wanted = job_definitions(settings)
    for job in wanted:
        scheduler.add_job(
            job.func, job.trigger, args=job.args, id=job.id, name=job.id, replace_existing=True
        )
    return scheduler


def prune_removed_jobs(scheduler: BaseScheduler, settings: Settings) -> list[str]:
    """Remove stored jobs of sources that are no longer configured; return their ids."""
    wanted = {j.id for j in job_definitions(settings)}
    removed = [job.id for job in scheduler.get_jobs() if job.id not in wanted]
    for job_id in removed:
        scheduler.remove_job(job_id)
    return removed


def next_fire_times(settings: Settings, now: datetime) -> dict[str, datetime | None]:
    """When each job would fire next after ``now`` (used by ``ipwire status`` and tests)."""
    return {j.id: j.trigger.get_next_fire_time(None, now) for j in job_definitions(settings)}


def run_forever(settings: Settings) -> None:
    """Start the blocking scheduler; SIGINT/SIGTERM stop it after the running job finishes."""
    from apscheduler.schedulers.background import BackgroundScheduler

    # Drop stored jobs of sources removed from the config (a paused pass over the job store).
    janitor = build_scheduler(settings, scheduler_cls=BackgroundScheduler)
    janitor.start(paused=True)
    removed = prune_removed_jobs(janitor, settings)
    janitor.shutdown(wait=False)
    if removed:
        log.info("removed jobs of sources no longer configured: %s", ", ".join(removed))
    scheduler = build_scheduler(settings)
    stopping = threading.Event()

    def _stop(signum: int, _frame: FrameType | None) -> None:
        if stopping.is_set():
            return
        stopping.set()
        log.warning(
            "received %s: finishing the current job, then exiting", signal.Signals(signum).name
        )
        # Blocks until the running job has finished: no half-written rows, no orphan crawl.
        scheduler.shutdown(wait=True)

    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)
    log.info("scheduler started with %d job(s)", len(scheduler.get_jobs()))
    scheduler.start()
    log.info("scheduler stopped")
