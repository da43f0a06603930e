"""Kill trials: run the whole chain, SIGKILL it at random points, rerun, check the invariants.

usage: python bench/kill_trials.py [--trials 20] [--seed 1] [--workdir DIR]

Each trial gets a fresh store (SQLite file) and runs ``ipwire run --once --send`` (crawl →
process → cluster → site → briefing) against the bundled fixture news site on loopback and a
local SMTP sink. At a uniformly random moment within the clean run's duration the whole process
group (``ipwire`` and its crawl child) gets SIGKILL; then the chain is run again to completion
and the store is compared with a clean run's:

* no duplicate articles (canonical URL, content hash), none missing or extra;
* every processed article has the clean run's NLP version and exactly its annotations;
* nothing left unprocessed, no orphan rows (annotations, incident links, clustering state);
* one briefing row per date and audience, and exactly one email received per trial.

A kill during ``process`` leaves a lease; the rerun waits for it to lapse (``lease_seconds`` is
10 here) instead of pretending the dead worker's batch is free. Prints the table of trials.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # as a script: the repo root

from bench.chain_check import check, fingerprint, violations
from crawler.fixture_site import FixtureSite
from ipwire.demo import demo_config

LEASE_S = 10
STAGES = ("crawl", "process", "cluster", "site", "briefing")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class SmtpSink:
    """An SMTP server on loopback that keeps every message it receives (aiosmtpd)."""

    def __init__(self) -> None:
        from aiosmtpd.controller import Controller

        self.messages: list[bytes] = []
        sink = self

        class Handler:
            async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
                sink.messages.append(bytes(envelope.content))
                return "250 OK"

        self.port = _free_port()
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)

    def __enter__(self) -> SmtpSink:
        self.controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.controller.stop()


def write_config(workdir: Path, site_base: str, smtp_port: int) -> Path:
    text = demo_config(site_base).replace("[crawl]\n", "[crawl]\nobey_robots = true\n", 1)
    text += (
        "\n[nlp]\n"
        f"lease_seconds = {LEASE_S}\n"
        "\n[email]\n"
        'smtp_host = "127.0.0.1"\n'
        f"smtp_port = {smtp_port}\n"
        'security = "none"\n'
        'recipients = ["analyst@example.org"]\n'
    )
    path = workdir / "ipwire.toml"
    path.write_text(text, encoding="utf-8")
    return path


CODE_DIRS = ("crawler", "nlp", "store", "reports", "ipwire", "alembic")
_CODE_ROOT = Path(__file__).resolve().parents[1]


def snapshot_code(dest: Path) -> Path:
    """Copy the packages once, so every run of the trials executes the same code.

    The clean run and the trials are compared annotation by annotation; a working tree edited
    while the trials run would otherwise make them differ for reasons that are not the kill.
    """
    for name in CODE_DIRS:
        shutil.copytree(
            _CODE_ROOT / name, dest / name, ignore=shutil.ignore_patterns("__pycache__")
        )
    return dest


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("IPWIRE_")}
    env["PYTHONPATH"] = str(_CODE_ROOT)
    return env


SOURCES: list[str] = []  # --source: crawl only these fixture sources (the bounded test)


def start_chain(workdir: Path, log_name: str) -> subprocess.Popen[bytes]:
    log = (workdir / log_name).open("ab")
    only = [arg for name in SOURCES for arg in ("--source", name)]
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "ipwire",
            "--config",
            "ipwire.toml",
            "run",
            "--once",
            "--send",
            *only,
        ],
        cwd=workdir,
        env=_env(),
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: the kill takes the crawl child too
    )


def db_url(workdir: Path) -> str:
    return f"sqlite:///{(workdir / 'ipwire.db').as_posix()}"


def running_stage(workdir: Path) -> str:
    """The stage recorded as started and not finished (``job_run``), if any."""
    if not (workdir / "ipwire.db").exists():
        return "startup"
    engine = sa.create_engine(db_url(workdir))
    try:
        with engine.connect() as conn:
            row = conn.execute(
                sa.text(
                    "SELECT job FROM job_run WHERE finished_at IS NULL ORDER BY id DESC LIMIT 1"
                )
            ).first()
            if row is None:
                done = conn.execute(sa.text("SELECT count(*) FROM job_run")).scalar_one()
                return "between stages" if done else "startup"
            return str(row[0])
    except sa.exc.OperationalError:
        return "startup"
    finally:
        engine.dispose()


def leased(workdir: Path) -> int:
    """Articles held by a (dead) worker's lease; 0 when the kill came before the schema."""
    engine = sa.create_engine(db_url(workdir))
    try:
        with engine.connect() as conn:
            n = conn.execute(sa.text("SELECT count(*) FROM article WHERE state = 'processing'"))
            return int(n.scalar_one())
    except sa.exc.OperationalError:  # killed while the migrations ran: no article table yet
        return 0
    finally:
        engine.dispose()


@dataclass
class Trial:
    number: int
    kill_at_s: float
    stage: str = ""
    killed: bool = False
    rerun_rc: int | None = None
    emails: int = 0
    waited_for_lease: bool = False
    result: dict[str, Any] = field(default_factory=dict)
    broken: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.broken


def stage_windows(workdir: Path, launched: float) -> dict[str, tuple[float, float]]:
    """Each stage's (start, end) in seconds after the launch, from the run's ``job_run`` rows."""
    engine = sa.create_engine(db_url(workdir))
    with engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT job, started_at, finished_at FROM job_run")).all()
    engine.dispose()
    out = {}
    for job, started, finished in rows:
        start, end = (
            (v if v.tzinfo else v.replace(tzinfo=UTC)).timestamp() - launched
            for v in (_as_dt(started), _as_dt(finished))
        )
        out[str(job)] = (start, end)
    return out


def _as_dt(value: Any) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))


def clean_run(
    root: Path, site: FixtureSite, sink: SmtpSink, timeout_s: float
) -> tuple[float, Any, dict[str, tuple[float, float]]]:
    workdir = root / "clean"
    workdir.mkdir()
    write_config(workdir, site.url(""), sink.port)
    t0 = time.monotonic()
    launched = time.time()
    proc = start_chain(workdir, "run.log")
    rc = proc.wait(timeout=timeout_s)
    seconds = time.monotonic() - t0
    if rc != 0:
        tail = (workdir / "run.log").read_text(errors="replace")[-3000:]
        raise SystemExit(f"the clean run failed (exit {rc}):\n{tail}")
    return seconds, fingerprint(db_url(workdir)), stage_windows(workdir, launched)


def wait_for_stage(proc: subprocess.Popen[bytes], workdir: Path, stage: str) -> bool:
    """Poll ``job_run`` until ``stage`` has started; False if the run ended first."""
    while proc.poll() is None:
        if running_stage(workdir) == stage:
            return True
        time.sleep(0.01)
    return False


def run_trial(
    number: int,
    kill_at: float,
    root: Path,
    site: FixtureSite,
    sink: SmtpSink,
    reference: Any,
    timeout_s: float,
    target: str | None = None,
) -> Trial:
    """One trial: kill ``kill_at`` s after launch, or after ``target`` stage started."""
    workdir = root / f"trial-{number:02d}"
    workdir.mkdir()
    write_config(workdir, site.url(""), sink.port)
    trial = Trial(number, round(kill_at, 2))
    before = len(sink.messages)
    t0 = time.monotonic()
    proc = start_chain(workdir, "run.log")
    if target is not None and not wait_for_stage(proc, workdir, target):
        kill_at = 0.0  # the run ended before the stage began: it is reported as finished
    try:
        proc.wait(timeout=kill_at)
        trial.stage = "finished before the kill"
    except subprocess.TimeoutExpired:
        trial.stage = running_stage(workdir)
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        trial.killed = True
    if target is not None:
        trial.kill_at_s = round(time.monotonic() - t0, 2)
    if (workdir / "ipwire.db").exists() and leased(workdir):
        trial.waited_for_lease = True
        time.sleep(LEASE_S + 1)
    rerun = start_chain(workdir, "rerun.log")
    trial.rerun_rc = rerun.wait(timeout=timeout_s)
    trial.emails = len(sink.messages) - before
    trial.result = check(db_url(workdir), reference)
    trial.broken = violations(trial.result)
    if trial.rerun_rc != 0:
        trial.broken.append(f"rerun exit {trial.rerun_rc}")
    if trial.emails != 1:
        trial.broken.append(f"emails={trial.emails}")
    return trial


def table(trials: list[Trial]) -> str:
    head = (
        f"{'#':>2}  {'kill at':>7}  {'stage at kill':<24} {'lease':>5} {'rerun':>5} "
        f"{'articles':>8} {'dup':>3} {'todo':>4} {'mismatch':>8} {'swapped':>7} {'orphans':>7} "
        f"{'emails':>6}  result"
    )
    lines = [head, "-" * len(head)]
    for t in trials:
        r = t.result
        lines.append(
            f"{t.number:>2}  {t.kill_at_s:>6.1f}s  {t.stage:<24} "
            f"{'wait' if t.waited_for_lease else '-':>5} {t.rerun_rc!s:>5} "
            f"{r.get('articles', 0):>8} {r.get('duplicate_urls', 0):>3} "
            f"{r.get('unprocessed', 0):>4} {len(r.get('annotation_mismatch', [])):>8} "
            f"{len(r.get('swapped_copies', [])):>7} "
            f"{sum(r.get('orphans', {}).values()):>7} {t.emails:>6}  "
            + ("ok" if t.ok else "FAIL: " + ", ".join(t.broken))
        )
    return "\n".join(lines)


def recheck(saved: Path, root: Path | None) -> int:
    """Check the stores of a finished run again (after a change of the checks)."""
    if root is None:
        raise SystemExit("--recheck needs the --workdir of that run")
    reference = fingerprint(db_url(root / "clean"))
    trials = []
    for raw in json.loads(saved.read_text()):
        t = Trial(raw["number"], raw["kill_at_s"], raw["stage"], raw["killed"], raw["rerun_rc"])
        t.emails, t.waited_for_lease = raw["emails"], raw["waited_for_lease"]
        t.result = check(db_url(root / f"trial-{t.number:02d}"), reference)
        t.broken = violations(t.result)
        if t.rerun_rc != 0:
            t.broken.append(f"rerun exit {t.rerun_rc}")
        if t.emails != 1:
            t.broken.append(f"emails={t.emails}")
        trials.append(t)
    print(table(trials))
    print(f"\nstages hit by a kill: {', '.join(sorted({t.stage for t in trials}))}")
    print(f"trials ok: {sum(t.ok for t in trials)}/{len(trials)}")
    return 0 if all(t.ok for t in trials) else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--trials", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workdir", type=Path, default=None, help="keep the trial folders here")
    parser.add_argument("--timeout", type=float, default=600.0, help="per chain run, seconds")
    parser.add_argument("--json", type=Path, default=None, help="also write the results here")
    parser.add_argument(
        "--source", action="append", default=[], help="only this fixture source (repeatable)"
    )
    parser.add_argument(
        "--points",
        default=None,
        help="kill at these fractions of the clean run's duration (e.g. 0.2,0.5,0.9) "
        "instead of --trials random points",
    )
    parser.add_argument(
        "--stratified",
        action="store_true",
        help="kill each stage in turn: once it has started, within its clean-run duration",
    )
    parser.add_argument(
        "--recheck",
        type=Path,
        default=None,
        help="re-check the stores of an earlier run (its --json and --workdir) and print its table",
    )
    args = parser.parse_args(argv)
    SOURCES[:] = args.source
    if args.recheck:
        return recheck(args.recheck, args.workdir)
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory(prefix="ipwire-kill-") as tmp:
        root = args.workdir or Path(tmp)
        root.mkdir(parents=True, exist_ok=True)
        global _CODE_ROOT
        _CODE_ROOT = snapshot_code(root / "code")
        with FixtureSite(hang_seconds=2.0) as site, SmtpSink() as sink:
            clean_s, reference, windows = clean_run(root, site, sink, args.timeout)
            print(
                f"clean run: {clean_s:.1f}s, {len(reference)} articles, "
                f"{len(sink.messages)} email(s); stages (s after launch): "
                + ", ".join(f"{k} {a:.1f}-{b:.1f}" for k, (a, b) in windows.items()),
                flush=True,
            )
            trials: list[Trial] = []
            if args.points:
                points = [float(x) * clean_s for x in args.points.split(",")]
            targets: list[str | None] = [None] * args.trials
            if args.points:
                points = [float(x) * clean_s for x in args.points.split(",")]
                targets = [None] * len(points)
            elif args.stratified:
                # Each stage in turn: wait until the run records that the stage started, then
                # kill at a random moment within the stage's duration in the clean run.
                order = [st for st in STAGES if st in windows]
                targets = [order[i % len(order)] for i in range(args.trials)]
                points = [rng.uniform(0, windows[t][1] - windows[t][0]) for t in targets]
            else:
                points = [rng.uniform(0.5, clean_s * 0.95) for _ in range(args.trials)]
            for i, (kill_at, target) in enumerate(zip(points, targets, strict=True), start=1):
                trials.append(
                    run_trial(i, kill_at, root, site, sink, reference, args.timeout, target)
                )
                print(table(trials[-1:]).splitlines()[-1], flush=True)
    print()
    print(table(trials))
    stages = sorted({t.stage for t in trials})
    print(f"\nstages hit by a kill: {', '.join(stages)}")
    print(f"trials ok: {sum(t.ok for t in trials)}/{len(trials)}")
    if args.json:
        args.json.write_text(
            json.dumps([t.__dict__ | {"ok": t.ok} for t in trials], indent=1, default=str)
        )
    return 0 if all(t.ok for t in trials) else 1


if __name__ == "__main__":
    sys.exit(main())
