"""NLP workers on one PostgreSQL: each article processed once; a killed worker's batch is
reprocessed after its lease, and the result is the same as a clean run's.

Workers are separate processes, as on separate machines: the claim → analyse → save loop of
``ipwire process`` (``nlp_worker.py``), and, in the last test, whole ``ipwire process`` commands.
CI runs the bounded form; ``IPWIRE_SCALE_FULL=1`` runs issue 8's 2,000 articles.
"""

from __future__ import annotations

import os
import re
import signal
import time
from pathlib import Path

import pytest
from workers import annotation_fingerprint, article_states, start_worker

from bench.seed import seed_articles

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

FULL = os.environ.get("IPWIRE_SCALE_FULL") == "1"
N = 2000 if FULL else 40
LEASE_S = 10


def _wait_all(procs: list, timeout_s: float) -> None:  # type: ignore[type-arg]
    deadline = time.monotonic() + timeout_s
    for p in procs:
        p.wait(timeout=max(1.0, deadline - time.monotonic()))


def _processed_counts(workdir: Path, names: list[str]) -> list[int]:
    out = []
    for name in names:
        text = (workdir / f"{name}.log").read_text(errors="replace")
        m = re.search(r"processed (\d+) article", text)
        assert m, f"{name} printed no summary:\n{text[-2000:]}"
        out.append(int(m.group(1)))
    return out


def test_three_workers_process_every_article_exactly_once(pg_store: str, tmp_path: Path) -> None:
    seed_articles(pg_store, N)
    names = ["w0", "w1", "w2"]
    procs = [start_worker(pg_store, tmp_path, n) for n in names]
    _wait_all(procs, timeout_s=1800 if FULL else 240)
    assert [p.returncode for p in procs] == [0, 0, 0]

    states = article_states(pg_store)
    assert len(states) == N
    assert {r["state"] for r in states} == {"done"}
    assert {r["attempts"] for r in states} == {1}, "an article was claimed twice"
    assert len({r["nlp_version"] for r in states}) == 1
    counts = _processed_counts(tmp_path, names)
    assert sum(counts) == N
    # With 2 cores and 5-article batches every worker gets some of the work.
    assert sum(1 for c in counts if c > 0) >= 2, counts


def test_killed_worker_batch_is_reprocessed_after_lease(
    pg_store: str, second_pg: str, tmp_path: Path
) -> None:
    clean_dir = tmp_path / "clean"
    trial_dir = tmp_path / "trial"
    clean_dir.mkdir()
    trial_dir.mkdir()
    # Two paragraphs: the second names the parties in the body and holds the claim sentences
    # (a name seen only in a headline is no entity), so every article yields annotations.
    seed_articles(second_pg, N, paragraphs=2)
    seed_articles(pg_store, N, paragraphs=2)

    clean = start_worker(second_pg, clean_dir, "clean")
    procs = [start_worker(pg_store, trial_dir, n, lease_s=LEASE_S) for n in ("w0", "w1", "w2")]
    # Kill, with SIGKILL, the first worker seen holding a leased batch (its pid is in the lease
    # owner): whichever loads its model first may otherwise take all the work.
    by_pid = {p.pid: p for p in procs}
    held: list[int] = []
    victim = None
    deadline = time.monotonic() + 180
    while victim is None and time.monotonic() < deadline:
        rows = article_states(pg_store)
        for r in rows:
            owner = r["lease_owner"] or ""
            pid = next((p for p in by_pid if f":{p}:" in owner), None)
            if r["state"] == "processing" and pid is not None:
                victim = by_pid[pid]
                held = [
                    x["id"]
                    for x in rows
                    if x["state"] == "processing" and f":{pid}:" in (x["lease_owner"] or "")
                ]
                break
        else:
            time.sleep(0.02)
    assert victim is not None, "no worker ever claimed a batch"
    os.kill(victim.pid, signal.SIGKILL)
    killed_at = time.monotonic()
    survivors = [p for p in procs if p is not victim]
    _wait_all(survivors, timeout_s=1800 if FULL else 240)
    assert [p.returncode for p in survivors] == [0, 0]
    victim.wait(timeout=10)
    assert victim.returncode == -signal.SIGKILL

    # The dead worker's batch is claimed again once its lease expires: by a survivor still
    # running then, or else by the next run.
    leftover = [r["id"] for r in article_states(pg_store) if r["state"] == "processing"]
    assert set(leftover) <= set(held)
    if leftover:
        time.sleep(max(0.0, LEASE_S + 1 - (time.monotonic() - killed_at)))
        again = start_worker(pg_store, trial_dir, "again", lease_s=LEASE_S)
        _wait_all([again], timeout_s=1800 if FULL else 240)
        assert again.returncode == 0
        assert _processed_counts(trial_dir, ["again"]) == [len(leftover)]
    clean.wait(timeout=1800 if FULL else 240)
    assert clean.returncode == 0

    states = article_states(pg_store)
    assert {r["state"] for r in states} == {"done"}
    for r in states:
        assert r["attempts"] == (2 if r["id"] in held else 1), r
    versions = {r["nlp_version"] for r in article_states(second_pg)}
    assert {r["nlp_version"] for r in states} == versions

    # Identical annotations, article by article, to the clean run.
    trial, reference = annotation_fingerprint(pg_store), annotation_fingerprint(second_pg)
    assert trial.keys() == reference.keys()
    differing = [u for u in trial if trial[u] != reference[u]]
    assert differing == []
    assert sum(len(v) for v in trial.values()) > N, "the generated articles yield annotations"


def test_three_ipwire_process_commands(pg_store: str, tmp_path: Path) -> None:
    seed_articles(pg_store, N)
    names = ["c0", "c1", "c2"]
    procs = [start_worker(pg_store, tmp_path, n, command="ipwire") for n in names]
    _wait_all(procs, timeout_s=1800 if FULL else 240)
    logs = {n: (tmp_path / f"{n}.log").read_text(errors="replace")[-1500:] for n in names}
    assert [p.returncode for p in procs] == [0, 0, 0], logs
    states = article_states(pg_store)
    assert {r["state"] for r in states} == {"done"}
    assert {r["attempts"] for r in states} == {1}
    assert sum(_processed_counts(tmp_path, names)) == N
