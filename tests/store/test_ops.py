"""Job runs and briefings (sending idempotent per date and audience)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session, sessionmaker

from store import (
    InvalidData,
    NotFound,
    finish_job_run,
    get_briefing,
    mark_briefing_failed,
    mark_briefing_sent,
    save_briefing,
    start_job_run,
)

DAY = dt.date(2026, 3, 2)
W0 = dt.datetime(2026, 3, 1, 7, tzinfo=dt.UTC)
W1 = dt.datetime(2026, 3, 2, 7, tzinfo=dt.UTC)


def test_job_runs(factory: sessionmaker[Session]) -> None:
    with factory.begin() as s:
        run = start_job_run(s, "process")
        assert run.outcome == "running"
        done = finish_job_run(s, run.id, outcome="ok", counts={"articles": 4})
        assert done.finished_at is not None
        assert done.counts == {"articles": 4}
        with pytest.raises(NotFound):
            finish_job_run(s, 999, outcome="ok")


def _save(s: Session, subject: str) -> int:
    return save_briefing(
        s,
        briefing_date=DAY,
        audience="default",
        window_start_at=W0,
        window_end_at=W1,
        subject=subject,
        html="<p>x</p>",
        text="x",
    ).id


def test_briefing_lifecycle(factory: sessionmaker[Session]) -> None:
    with factory.begin() as s:
        assert get_briefing(s, DAY, "default") is None
        bid = _save(s, "v1")
        assert _save(s, "v2") == bid  # re-render before sending: same row, new content
        mark_briefing_failed(s, bid, "SMTP 451")
    with factory.begin() as s:
        b = get_briefing(s, DAY, "default")
        assert b is not None
        assert (b.subject, b.status, b.attempts) == ("v2", "failed", 1)
        mark_briefing_sent(s, bid, "<abc@ipwire>", W1)
    with factory.begin() as s:
        _save(s, "v3")  # already sent: unchanged
        b = get_briefing(s, DAY, "default")
        assert b is not None
        assert (b.subject, b.status, b.message_id) == (
            "v2",
            "sent",
            "<abc@ipwire>",
        )
        assert b.sent_at == W1
        with pytest.raises(InvalidData):
            mark_briefing_failed(s, bid, "late")


def test_maintenance_trims_old_history_only(
    factory: sessionmaker[Session], migrated_url: str
) -> None:
    from store import maintenance
    from store.models import JobRun

    old = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    with factory.begin() as s:
        s.add_all(
            [
                JobRun(job="crawl", started_at=old, finished_at=old, outcome="ok"),
                JobRun(job="crawl", started_at=old, outcome="running"),  # never finished: kept
                JobRun(job="crawl", outcome="ok", finished_at=W1),
            ]
        )
    assert maintenance(migrated_url, retention_days=0)["job_runs_deleted"] == 0
    assert maintenance(migrated_url, retention_days=30) == {
        "job_runs_deleted": 1,
        "crawl_runs_deleted": 0,
    }
    with factory() as s:
        assert len(s.query(JobRun).all()) == 2
