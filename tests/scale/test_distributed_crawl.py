"""Two crawlers share one Redis frontier: every URL fetched once, every article stored once.

Real Redis, real PostgreSQL, a generated site on loopback. CI runs the bounded form (a
300-article site); ``IPWIRE_SCALE_FULL=1`` runs the 2,000-page trial of issue 8.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
import redis
import sqlalchemy as sa

from bench.scale_crawl import results, scale_spec, start_crawlers
from crawler.distributed import key_prefix
from crawler.fixture_site import FixtureSite, GeneratedSite
from crawler.fixture_site.generated import article_path

FULL = os.environ.get("IPWIRE_SCALE_FULL") == "1"

pytestmark = [pytest.mark.postgres, pytest.mark.redis]


def _crawl_twice_in_parallel(
    articles: int, db_url: str, redis_url: str, tmp_path: Path, timeout_s: float
) -> None:
    with FixtureSite(GeneratedSite(articles)) as site:
        spec = scale_spec(site.base_url, db_url, redis_url)
        procs = start_crawlers(spec, 2, tmp_path)
        deadline = time.monotonic() + timeout_s
        for p in procs:
            p.wait(timeout=max(1.0, deadline - time.monotonic()))
        logs = "\n".join(f.read_text() for f in sorted(tmp_path.glob("crawler-*.log")))
        assert [p.returncode for p in procs] == [0, 0], logs[-3000:]
        counts = site.fetch_counts()

    # Every URL of the site fetched exactly once, across both processes (robots.txt is each
    # spider's own politeness cache and is fetched once per spider and process).
    article_paths = {article_path(i) for i in range(articles)}
    assert set(p for p in counts if p.startswith("/a/")) == article_paths
    repeated = {p: c for p, c in counts.items() if c > 1 and p != "/robots.txt"}
    assert repeated == {}, f"fetched more than once: {sorted(repeated.items())[:10]}"
    assert counts["/robots.txt"] <= 2 * len(spec.sources)

    # Every article stored exactly once.
    engine = sa.create_engine(db_url)
    with engine.connect() as conn:
        urls = conn.execute(sa.text("SELECT canonical_url FROM article")).scalars().all()
        runs = conn.execute(sa.text("SELECT count(*) FROM crawl_run")).scalar_one()
    engine.dispose()
    assert len(urls) == len(set(urls)) == articles
    assert {u.removeprefix(site.base_url) for u in urls} == article_paths

    # Both processes worked (one seeded each source, the other joined) and both recorded runs.
    summaries = results(tmp_path, 2)
    assert runs == len(summaries) == 4
    fetched = [0, 0]
    for i in range(2):
        per_proc = results_for(tmp_path, i)
        fetched[i] = sum(int(s["pages_fetched"]) for s in per_proc)
    assert all(f > 0 for f in fetched), f"pages fetched per process: {fetched}"
    assert sum(int(s["new"]) for s in summaries) == articles

    # The last process to leave ended the generation: nothing of this crawl is left in Redis.
    client = redis.Redis.from_url(redis_url)
    left = list(client.scan_iter(match=f"{key_prefix(db_url)}*"))
    client.close()
    assert left == []


def results_for(workdir: Path, i: int) -> list[dict[str, object]]:
    import json

    data: list[dict[str, object]] = json.loads((workdir / f"result-{i}.json").read_text())
    return data


@pytest.mark.slow
def test_two_crawlers_share_the_frontier(
    pg_store: str, frontier_redis: str, tmp_path: Path
) -> None:
    articles = 2000 if FULL else 300
    _crawl_twice_in_parallel(articles, pg_store, frontier_redis, tmp_path, timeout_s=900)


def _config(tmp_path: Path, base: str, db_url: str, redis_url: str, distributed: bool) -> Path:
    cfg = tmp_path / "ipwire.toml"
    cfg.write_text(
        f'data_dir = "{tmp_path.as_posix()}"\n'
        f'[database]\nurl = "{db_url}"\n'
        "[crawl]\ndownload_delay = 0.0\nautothrottle = false\nconcurrency_per_domain = 8\n"
        'allow_networks = ["127.0.0.0/8"]\n'
        f'distributed = {str(distributed).lower()}\nredis_url = "{redis_url}"\n'
        f'[[sources]]\nname = "gen-sitemap"\nkind = "sitemap"\nurl = "{base}/sitemap.xml"\n',
        encoding="utf-8",
    )
    return cfg


def _article_count(db_url: str) -> int:
    engine = sa.create_engine(db_url)
    with engine.connect() as conn:
        n = int(conn.execute(sa.text("SELECT count(*) FROM article")).scalar_one())
    engine.dispose()
    return n


def test_cli_distributed_flag_and_local_override(
    pg_store: str, frontier_redis: str, tmp_path: Path
) -> None:
    from click.testing import CliRunner

    from ipwire.cli import cli

    with FixtureSite(GeneratedSite(30)) as site:
        # --distributed on a config that says local: the frontier lives in Redis.
        cfg = _config(tmp_path, site.base_url, pg_store, frontier_redis, distributed=False)
        result = CliRunner().invoke(cli, ["--config", str(cfg), "crawl", "--distributed"])
        assert result.exit_code == 0, result.output
        assert _article_count(pg_store) == 30
        client = redis.Redis.from_url(frontier_redis)
        assert list(client.scan_iter(match=f"{key_prefix(pg_store)}*")) == []
        client.close()

        # --local on a config that says distributed, with no Redis at that URL: still crawls,
        # and the store skips everything already stored.
        cfg = _config(tmp_path, site.base_url, pg_store, "redis://127.0.0.1:1/0", distributed=True)
        result = CliRunner().invoke(cli, ["--config", str(cfg), "crawl", "--local"])
        assert result.exit_code == 0, result.output
        assert _article_count(pg_store) == 30
        counts = site.fetch_counts()
    assert all(counts[article_path(i)] == 1 for i in range(30))
