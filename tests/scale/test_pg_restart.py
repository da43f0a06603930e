"""PostgreSQL restarted under a running ``ipwire process``: a clean failure, then a full rerun.

Restarting the server cuts every open connection, as a failover or a crash would. The command
must stop with a one-line reason (no traceback) and a non-zero exit status; the next run must
finish the work, each article processed (leases of the interrupted batch expire or are given
back). The server is started again at the end even when the test fails.
"""

from __future__ import annotations

import gc
import socket
import subprocess
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from workers import article_states, start_worker

from bench.seed import seed_articles

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

N = 80
LEASE_S = 10


def _port_open() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=1):
            return True
    except OSError:
        return False


def _pg_ctl(action: str) -> None:
    version = sorted(p.name for p in Path("/etc/postgresql").iterdir())[0]
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", action],
        check=True,
        capture_output=True,
        timeout=60,
    )


def _accepting() -> bool:
    r = subprocess.run(["pg_isready", "-h", "127.0.0.1", "-p", "5432"], capture_output=True)
    return r.returncode == 0


@pytest.fixture
def restartable_pg() -> object:
    if not Path("/etc/postgresql").is_dir():
        pytest.skip("no local PostgreSQL cluster to restart")
    yield None
    if not _port_open():
        _pg_ctl("start")
    for _ in range(60):
        if _accepting():
            break
        time.sleep(0.5)
    # The restart cut the pooled connections of every engine in this pytest process too (the
    # session's admin engine among them, which drops the test database at the end): drop them.
    for obj in gc.get_objects():
        if isinstance(obj, sa.engine.Engine):
            obj.dispose()


def test_postgres_restart_during_process(
    restartable_pg: object, pg_store: str, tmp_path: Path
) -> None:
    seed_articles(pg_store, N)
    worker = start_worker(pg_store, tmp_path, "first", lease_s=LEASE_S, batch=4, command="ipwire")
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if sum(r["state"] == "done" for r in article_states(pg_store)) >= 8:
            break
        assert worker.poll() is None, (tmp_path / "first.log").read_text()[-2000:]
        time.sleep(0.1)
    _pg_ctl("restart")
    worker.wait(timeout=180)
    out = (tmp_path / "first.log").read_text(errors="replace")
    done_after_restart = sum(r["state"] == "done" for r in article_states(pg_store))

    assert worker.returncode != 0, "a run that lost its database must not report success"
    assert done_after_restart < N, "the restart came after the work was finished"

    # The next run completes the work.
    time.sleep(LEASE_S + 1)
    again = start_worker(pg_store, tmp_path, "again", lease_s=LEASE_S, batch=4, command="ipwire")
    again.wait(timeout=300)
    assert again.returncode == 0, (tmp_path / "again.log").read_text()[-3000:]
    states = article_states(pg_store)
    assert {r["state"] for r in states} == {"done"}

    # A one-line reason, no traceback.
    last = out.strip().splitlines()[-1]
    assert "Traceback" not in out, f"the failed run printed a traceback; its last line: {last}"
    assert "database" in last.lower(), last
