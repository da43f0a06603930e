"""Schedule logic: DST-correct daily jobs, misfires, coalescing, one job at a time."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from apscheduler.events import EVENT_JOB_EXECUTED, EVENT_JOB_MISSED, JobExecutionEvent
from apscheduler.schedulers.background import BackgroundScheduler

from ipwire.config import Settings
from ipwire.scheduler import build_scheduler, job_definitions, next_fire_times, prune_removed_jobs
from tests.support.settings import make_settings


def settings_for(tmp_path: Path, extra: str = "") -> Settings:
    return make_settings(
        tmp_path,
        'timezone = "Europe/Berlin"\n'
        '[schedule]\nbriefing_time = "07:00"\ncrawl_interval_minutes = 30\n'
        '[[sources]]\nname = "a"\nkind = "feed"\nurl = "https://news.example.com/rss"\n'
        '[[sources]]\nname = "b"\nkind = "feed"\nurl = "https://news.example.com/b"\n'
        "interval_minutes = 5\n"
        '[[sources]]\nname = "c"\nkind = "feed"\nurl = "https://news.example.com/c"\n'
        'cron = "15 6 * * mon-fri"\n'
        '[[sources]]\nname = "off"\nkind = "feed"\nurl = "https://news.example.com/d"\n'
        "enabled = false\n" + extra,
    )


def test_jobs_per_source_plus_briefing_and_housekeeping(tmp_path: Path) -> None:
    settings = settings_for(tmp_path)
    ids = [j.id for j in job_definitions(settings)]
    assert ids == ["crawl:a", "crawl:b", "crawl:c", "briefing", "housekeeping"]


def test_briefing_keeps_local_wall_clock_across_dst(tmp_path: Path) -> None:
    settings = settings_for(tmp_path)
    briefing = next(j for j in job_definitions(settings) if j.id == "briefing")
    # Berlin leaves summer time on 2026-10-25 at 03:00 local.
    now = datetime(2026, 10, 23, 12, 0, tzinfo=UTC)
    fires = []
    prev = None
    for _ in range(4):
        nxt = briefing.trigger.get_next_fire_time(prev, now)
        assert nxt is not None
        fires.append(nxt)
        prev, now = nxt, nxt + timedelta(seconds=1)
    # Oct 24: 07:00 CEST = 05:00 UTC; from Oct 25 (the switch day) 07:00 CET = 06:00 UTC.
    assert [f.astimezone(UTC).hour for f in fires] == [5, 6, 6, 6]
    assert all(f.hour == 7 and f.minute == 0 for f in fires)  # local wall clock


def test_spring_forward_and_cron_source(tmp_path: Path) -> None:
    settings = settings_for(tmp_path)
    # Berlin enters summer time on 2026-03-29 at 02:00 local.
    times = next_fire_times(settings, datetime(2026, 3, 28, 12, 0, tzinfo=UTC))
    assert times["briefing"] == datetime(2026, 3, 29, 5, 0, tzinfo=UTC)  # 07:00 CEST
    cron = times["crawl:c"]
    assert cron is not None
    assert cron.astimezone(UTC) == datetime(2026, 3, 30, 4, 15, tzinfo=UTC)


def _background(settings: Settings) -> BackgroundScheduler:
    sched = build_scheduler(settings, persistent=False, scheduler_cls=BackgroundScheduler)
    assert isinstance(sched, BackgroundScheduler)
    for job in sched.get_jobs():
        sched.remove_job(job.id)
    return sched


def test_missed_runs_coalesce_into_one(tmp_path: Path) -> None:
    sched = _background(settings_for(tmp_path))
    runs: list[datetime] = []
    executed = threading.Event()
    sched.add_listener(lambda e: executed.set(), EVENT_JOB_EXECUTED)
    # Scheduled five seconds ago, every second: 5 missed fire times within the grace period.
    # The scheduler hands every due fire time of a job to its executor at once, so when the
    # first execution is reported, any run that was not coalesced has run too.
    sched.add_job(
        lambda: runs.append(datetime.now(UTC)),
        "interval",
        seconds=1,
        id="j",
        next_run_time=datetime.now(UTC) - timedelta(seconds=5),
    )
    sched.start()
    try:
        assert executed.wait(timeout=10)
    finally:
        sched.shutdown(wait=True)
    assert len(runs) == 1


def test_run_later_than_grace_time_is_missed(tmp_path: Path) -> None:
    settings = settings_for(tmp_path)
    sched = _background(settings)
    missed: list[JobExecutionEvent] = []
    reported = threading.Event()

    def on_missed(event: JobExecutionEvent) -> None:
        missed.append(event)
        reported.set()

    sched.add_listener(on_missed, EVENT_JOB_MISSED)
    sched.add_job(
        lambda: None,
        "date",
        run_date=datetime.now(UTC) - timedelta(hours=2),
        id="late",
        misfire_grace_time=60,
    )
    sched.start()
    try:
        assert reported.wait(timeout=10)
    finally:
        sched.shutdown(wait=True)
    assert [e.job_id for e in missed] == ["late"]


def test_one_job_at_a_time(tmp_path: Path) -> None:
    sched = _background(settings_for(tmp_path))
    running = 0
    peak = 0
    lock = threading.Lock()
    done: list[str] = []
    all_done = threading.Event()

    def slow(name: str) -> None:
        nonlocal running, peak
        with lock:
            running += 1
            peak = max(peak, running)
        time.sleep(0.3)  # long enough for a second job to start beside it, were it allowed
        with lock:
            running -= 1
            done.append(name)
            if len(done) == 3:
                all_done.set()

    now = datetime.now(UTC)
    for name in ("crawl:a", "crawl:b", "crawl:c"):
        sched.add_job(slow, "date", run_date=now, args=(name,), id=name)
    sched.start()
    try:
        all_done.wait(timeout=5)
    finally:
        sched.shutdown(wait=True)
    assert sorted(done) == ["crawl:a", "crawl:b", "crawl:c"]
    assert peak == 1


def test_persistent_job_store_replaces_and_prunes(tmp_path: Path) -> None:
    settings = settings_for(tmp_path)
    url = f"sqlite:///{tmp_path / 'jobs.db'}"
    s1 = settings.model_copy(update={"database": settings.database.model_copy(update={"url": url})})
    first = build_scheduler(s1, scheduler_cls=BackgroundScheduler)
    first.start(paused=True)
    assert sorted(j.id for j in first.get_jobs()) == sorted(
        ["crawl:a", "crawl:b", "crawl:c", "briefing", "housekeeping"]
    )
    first.shutdown(wait=False)
    # Source "b" removed from the config: a restart replaces the jobs and prunes the stale one.
    s2 = s1.model_copy(update={"sources": [s for s in s1.sources if s.name != "b"]})
    second = build_scheduler(s2, scheduler_cls=BackgroundScheduler)
    second.start(paused=True)
    assert prune_removed_jobs(second, s2) == ["crawl:b"]
    assert len(second.get_jobs()) == 4
    second.shutdown(wait=False)
