"""Run ``ipwire process`` workers, read back their results."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import sqlalchemy as sa


def worker_env(db_url: str, workdir: Path, lease_s: int = 600) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("IPWIRE_")}
    env.update(
        IPWIRE_DATABASE_URL=db_url,
        IPWIRE_DATA_DIR=str(workdir / "data"),
        IPWIRE_NLP_LEASE_SECONDS=str(lease_s),
    )
    return env


def start_worker(
    db_url: str,
    workdir: Path,
    name: str,
    *,
    lease_s: int = 600,
    batch: int = 5,
    command: str = "loop",
) -> subprocess.Popen[bytes]:
    """One worker process, as it would run on its own machine.

    ``command="loop"`` runs the claim → analyse → save loop (``nlp_worker.py``);
    ``command="ipwire"`` runs the whole ``ipwire process`` command (which also clusters).
    """
    log = (workdir / f"{name}.log").open("wb")
    if command == "ipwire":
        argv = [sys.executable, "-m", "ipwire", "process", "--batch-size", str(batch)]
    else:
        argv = [sys.executable, str(Path(__file__).with_name("nlp_worker.py"))]
    env = worker_env(db_url, workdir, lease_s)
    env["SCALE_BATCH"] = str(batch)
    env["PYTHONPATH"] = os.pathsep.join([str(Path(__file__).resolve().parents[2])])
    return subprocess.Popen(
        argv,
        cwd=workdir,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def article_states(db_url: str) -> list[dict[str, Any]]:
    engine = sa.create_engine(db_url)
    with engine.connect() as conn:
        rows = conn.execute(
            sa.text(
                "SELECT id, canonical_url, state, attempts, nlp_version, lease_owner "
                "FROM article ORDER BY id"
            )
        ).mappings()
        out = [dict(r) for r in rows]
    engine.dispose()
    return out


def annotation_fingerprint(db_url: str) -> dict[str, tuple[Any, ...]]:
    """Per article URL: its mentions, claims, quotes and roles as sorted tuples (ids left out)."""
    queries = {
        "mention": "SELECT a.canonical_url, m.entity_id, m.text, m.start_char, m.end_char, "
        "m.sentence_index FROM mention m JOIN article a ON a.id = m.article_id",
        "claim": "SELECT a.canonical_url, c.type, c.accuser_id, c.accused_id, c.victim_id, "
        "c.speaker_id, c.stance, c.legal_status, c.start_char, c.end_char "
        "FROM claim c JOIN article a ON a.id = c.article_id",
        "quote": "SELECT a.canonical_url, q.speaker_id, q.text, q.start_char, q.end_char "
        "FROM quote q JOIN article a ON a.id = q.article_id",
        "role": "SELECT a.canonical_url, r.person_text, r.title, r.org_text, r.start_char "
        "FROM role r JOIN article a ON a.id = r.article_id",
    }
    engine = sa.create_engine(db_url)
    per: dict[str, list[tuple[Any, ...]]] = {}
    with engine.connect() as conn:
        for url in conn.execute(sa.text("SELECT canonical_url FROM article")).scalars():
            per[url] = []
        for table, q in queries.items():
            for row in conn.execute(sa.text(q)):
                per[row[0]].append((table, *(str(v) for v in row[1:])))
    engine.dispose()
    return {url: tuple(sorted(rows)) for url, rows in per.items()}
