"""``ipwire backfill``: the real CLI against a loopback DOC API, killed mid-way and resumed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from click.testing import CliRunner

from crawler.search.loopback import FakeDocApi, article_page, fake_doc_api, loopback_crawl_toml
from ipwire.cli import cli

DAY0 = datetime(2025, 5, 1, tzinfo=UTC)
DAYS = 8
PER_DAY = 6


def write_config(tmp: Path, api: FakeDocApi, interval_s: float) -> Path:
    cfg = tmp / "ipwire.toml"
    cfg.write_text(
        f'data_dir = "{tmp.as_posix()}/data"\n\n' + loopback_crawl_toml() + "\n[[sources]]\n"
        'name = "gdelt-test"\n'
        'kind = "search"\n'
        "query = '(\"trade secrets\" OR distillation) Fictional'\n"
        f'api_url = "{api.api_url}"\n'
        f"api_interval_s = {interval_s}\n"
        "slice_hours = 24\n",
        encoding="utf-8",
    )
    return cfg


def ipwire(cfg: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "ipwire", "--config", str(cfg), *args]


def query(db: Path, sql: str) -> list[Any]:
    engine = sa.create_engine(f"sqlite:///{db}")
    try:
        with engine.connect() as conn:
            return list(conn.execute(sa.text(sql)).all())
    except sa.exc.OperationalError:  # not created yet
        return []
    finally:
        engine.dispose()


def fill(api: FakeDocApi) -> None:
    entries = []
    for n in range(DAYS * PER_DAY):
        path = f"/a/{n}.html"
        api.pages[path] = article_page(n)
        seen = DAY0 + timedelta(days=n // PER_DAY, hours=2 + 3 * (n % PER_DAY))
        entries.append((api.base + path, seen, f"Fictional report {n}"))
    api.add(entries)


def test_a_killed_backfill_resumes_without_gaps_or_duplicates(tmp_path: Path) -> None:
    db = tmp_path / "data" / "ipwire.db"
    since, until = DAY0.date().isoformat(), (DAY0 + timedelta(days=DAYS)).date().isoformat()
    with fake_doc_api() as api:
        fill(api)
        cfg = write_config(tmp_path, api, interval_s=0.6)
        proc = subprocess.Popen(
            ipwire(cfg, "backfill", "--since", since, "--until", until),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # the crawl child and its page workers die with it
        )
        deadline = time.monotonic() + 120
        while len(query(db, "SELECT id FROM search_slice")) < 2:
            assert proc.poll() is None, "the backfill ended before it could be killed"
            assert time.monotonic() < deadline, "no slice done in time"
            time.sleep(0.1)
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        time.sleep(0.5)
        done_before = {s for (s,) in query(db, "SELECT start_at FROM search_slice")}
        stored_before = {u for (u,) in query(db, "SELECT canonical_url FROM article")}
        asked_before = len(api.calls)
        assert 2 <= len(done_before) < DAYS

        resumed = subprocess.run(
            ipwire(cfg, "backfill", "--since", since, "--until", until),
            capture_output=True,
            text=True,
            timeout=240,
        )
    assert resumed.returncode == 0, resumed.stderr
    assert "backfill: 100% of the window done" in resumed.stderr
    assert "gdelt-test: ok" in resumed.stdout

    urls = [u for (u,) in query(db, "SELECT canonical_url FROM article")]
    assert len(urls) == len(set(urls)) == DAYS * PER_DAY, "every article once, none missing"
    spans = sorted(query(db, "SELECT start_at, end_at FROM search_slice"))
    cursor = str(spans[0][0])
    for start, end in spans:
        assert str(start) <= cursor, f"a gap before {start}"
        cursor = max(cursor, str(end))
    assert cursor.startswith(until)
    assert str(spans[0][0]).startswith(since)

    # The resumed run asked only about the slices that were not done...
    asked_after = {c.start for c in api.calls[asked_before:]}
    done_stamps = {datetime.fromisoformat(str(s)).strftime("%Y%m%d%H%M%S") for s in done_before}
    assert not asked_after & done_stamps
    # ...and fetched no page stored before the kill.
    fetched = Counter(p for p in api.page_log if p.startswith("/a/"))
    for url in stored_before:
        assert fetched["/a/" + url.rsplit("/a/", 1)[1]] == 1


def test_backfill_refuses_what_it_cannot_do(tmp_path: Path) -> None:
    runner = CliRunner()
    with fake_doc_api() as api:
        cfg = write_config(tmp_path, api, interval_s=0)
        before_2017 = runner.invoke(
            cli, ["--config", str(cfg), "backfill", "--since", "2016-05-01"]
        )
        assert before_2017.exit_code == 1
        assert "back to 2017-01-01" in before_2017.output
        reversed_window = runner.invoke(
            cli,
            ["--config", str(cfg), "backfill", "--since", "2025-02-01", "--until", "2025-01-01"],
        )
        assert reversed_window.exit_code == 1
        assert "must be before --until" in reversed_window.output
        bad_date = runner.invoke(cli, ["--config", str(cfg), "backfill", "--since", "yesterday"])
        assert bad_date.exit_code == 2
        assert "YYYY-MM-DD" in bad_date.output
        unknown = runner.invoke(
            cli, ["--config", str(cfg), "backfill", "--since", "2025-01-01", "--source", "nope"]
        )
        assert unknown.exit_code == 1
        assert "unknown source" in unknown.output
    assert api.calls == []


def test_backfill_needs_search_sources(tmp_path: Path) -> None:
    cfg = tmp_path / "ipwire.toml"
    cfg.write_text(
        f'data_dir = "{tmp_path.as_posix()}/data"\n[[sources]]\nname = "feed"\n'
        'kind = "feed"\nurl = "https://news.example.com/rss"\n',
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli, ["--config", str(cfg), "backfill", "--since", "2025-01-01"])
    assert result.exit_code == 1
    assert "no search sources configured" in result.output
    named = CliRunner().invoke(
        cli, ["--config", str(cfg), "backfill", "--since", "2025-01-01", "--source", "feed"]
    )
    assert named.exit_code == 1
    assert "not a search source: feed" in named.output
