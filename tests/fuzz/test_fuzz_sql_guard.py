"""Fuzzing ``ipwire sql``'s engine: any text, any parameters → a result or one of its own
errors, and the database unchanged (SQLite file and PostgreSQL)."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from hypothesis import given
from strategies import fuzz_settings, sql_params, sql_texts

from store import ArticleIn, add_article, make_engine, make_session_factory, session_scope
from store.base import utcnow
from store.readonly import QueryError, QueryResult, run_readonly_query
from tests.support.databases import copy_sqlite_template


def _snapshot(url: str) -> str:
    """Schema objects and every table's row count: what a write of any kind would change."""
    engine = sa.create_engine(url)
    parts: list[str] = []
    with engine.connect() as conn:
        insp = sa.inspect(conn)
        for table in sorted(insp.get_table_names()):
            n = conn.execute(sa.text(f'SELECT count(*) FROM "{table}"')).scalar_one()
            parts.append(f"{table}:{n}")
        parts.extend(sorted(insp.get_view_names()))
        if engine.dialect.name == "sqlite":
            parts.append(str(conn.exec_driver_sql("PRAGMA user_version").scalar()))
            parts.extend(
                str(r) for r in conn.exec_driver_sql("SELECT type, name, sql FROM sqlite_master")
            )
    engine.dispose()
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _seeded(url: str) -> str:
    factory = make_session_factory(make_engine(url))
    with session_scope(factory) as s:
        for i in range(3):
            u = f"https://x.example/{i}"
            add_article(
                s,
                ArticleIn(None, u, u, f"Title {i}", f"Body number {i} " * 20, None, utcnow()),
            )
    return url


def _check(inputs: Any, target: str, url: str, before: str, sql: str, params: Any) -> None:
    inputs.record(target, (sql, params))
    try:
        result = run_readonly_query(url, sql, params, max_rows=50, timeout_ms=2000)
    except QueryError:
        pass
    else:
        assert isinstance(result, QueryResult)
        assert len(result.rows) <= 50
    assert _snapshot(url) == before, f"the database changed after {sql!r}"


@pytest.fixture(scope="module")
def sqlite_store(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path) -> str:
    return _seeded(
        copy_sqlite_template(sqlite_template, tmp_path_factory.mktemp("fuzz-sql") / "ipwire.db")
    )


@fuzz_settings(300)
@given(sql=sql_texts, params=sql_params)
def test_sql_guard_sqlite(inputs: Any, sqlite_store: str, sql: str, params: Any) -> None:
    before = _SNAP.setdefault(sqlite_store, _snapshot(sqlite_store))
    _check(inputs, "run_readonly_query/sqlite", sqlite_store, before, sql, params)


_SNAP: dict[str, str] = {}


@pytest.mark.postgres
def test_sql_guard_postgres(inputs: Any, migrated_pg_url: str) -> None:
    url = _seeded(migrated_pg_url)
    before = _snapshot(url)

    @fuzz_settings(80)
    @given(sql=sql_texts, params=sql_params)
    def run(sql: str, params: Any) -> None:
        _check(inputs, "run_readonly_query/postgres", url, before, sql, params)

    run()
