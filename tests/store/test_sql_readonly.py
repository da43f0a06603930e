"""Behaviour of the read-only SQL runner besides refusing writes: parameters, row cap, errors,
and the tokenizer the guard relies on."""

from __future__ import annotations

import sqlite3

import psycopg
import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy.engine import make_url

from store.readonly import (
    QueryError,
    QueryRejected,
    QueryResult,
    ReadOnlyViolation,
    run_readonly_query,
)
from store.readonly.guard import check_query, statement_tokens
from store.readonly.lexer import Kind, to_pyformat, tokenize

SETUP = (
    "CREATE TABLE claim (claim_id integer PRIMARY KEY, claim_type text, stance text)",
    "INSERT INTO claim VALUES (1, 'distillation', 'alleged'), (2, 'distillation', 'denied'),"
    " (3, 'leak', 'alleged'), (4, 'scraping', 'asserted'), (5, 'leak', 'confirmed')",
)


@pytest.fixture
def url(db_url: str) -> str:
    """The conftest's SQLite file / PostgreSQL database, with a small ``claim`` table."""
    u = make_url(db_url)
    if u.get_backend_name() == "sqlite":
        conn = sqlite3.connect(u.database or "")
        for sql in SETUP:
            conn.execute(sql)
        conn.commit()
        conn.close()
    else:
        with psycopg.connect(
            host=u.host, port=u.port, user=u.username, dbname=u.database, autocommit=True
        ) as conn:
            for sql in SETUP:
                conn.execute(sql)
    return db_url


def test_named_parameters(url: str) -> None:
    result = run_readonly_query(
        url,
        "SELECT claim_id, stance FROM claim WHERE claim_type = :kind AND stance <> :not_stance "
        "ORDER BY claim_id",
        {"kind": "distillation", "not_stance": "denied"},
    )
    assert result.columns == ["claim_id", "stance"]
    assert result.rows == [(1, "alleged")]
    assert result.truncated is False
    assert result.elapsed_ms >= 0


def test_same_parameter_used_twice_and_colon_inside_strings(url: str) -> None:
    result = run_readonly_query(
        url,
        "SELECT ':kind' AS literal, count(*) AS n FROM claim "
        "WHERE claim_type = :kind OR stance = :kind -- not :a_param\n",
        {"kind": "leak"},
    )
    assert result.rows == [(":kind", 2)]


def test_percent_signs_survive_on_both_engines(url: str) -> None:
    result = run_readonly_query(
        url, "SELECT '100%' AS s, count(*) FROM claim WHERE claim_type LIKE :p", {"p": "d%"}
    )
    assert result.rows == [("100%", 2)]


@pytest.mark.postgres
def test_backslash_quote_is_one_string_on_postgresql(pg_url: str) -> None:
    """The session forces standard_conforming_strings=on, so the server and the guard's
    tokenizer agree that this is a single string literal, not a SELECT followed by a DELETE."""
    tricky = "SELECT 'a\\''; DELETE FROM t; --' AS s"
    result = run_readonly_query(pg_url, tricky, {})
    assert result.rows == [("a\\'; DELETE FROM t; --",)]


@pytest.mark.postgres
def test_parameter_with_postgresql_cast(pg_url: str) -> None:
    result = run_readonly_query(pg_url, "SELECT :n::int + 1 AS m, 'a'::text AS t", {"n": "41"})
    assert result.rows == [(42, "a")]


@pytest.mark.parametrize(
    ("sql", "params", "message"),
    [
        ("SELECT * FROM claim WHERE claim_id = :id", {}, "no value given for parameter :id"),
        ("SELECT 1", {"id": 1}, "parameter not used in the query: id"),
        ("SELECT * FROM claim WHERE claim_id = %s", {}, "positional parameter '%s'"),
        ("SELECT * FROM claim WHERE claim_id = %(id)s", {}, "use the :name style"),
        ("", {}, "empty query"),
        ("  -- only a comment\n ; ", {}, "empty query"),
    ],
)
def test_parameter_and_shape_refusals(
    url: str, sql: str, params: dict[str, object], message: str
) -> None:
    with pytest.raises(QueryRejected, match=message.replace("(", r"\(").replace(")", r"\)")):
        run_readonly_query(url, sql, params)


@pytest.mark.parametrize("sql", ["SELECT ?", "SELECT ?1", "SELECT @id", "SELECT $id", "SELECT :1"])
def test_sqlite_positional_and_foreign_named_styles_refused(sqlite_url: str, sql: str) -> None:
    sqlite3.connect(make_url(sqlite_url).database or "").close()
    with pytest.raises(QueryRejected, match="parameter"):
        run_readonly_query(sqlite_url, sql, {})


@pytest.mark.postgres
def test_postgresql_dollar_positional_refused_but_jsonb_question_mark_allowed(pg_url: str) -> None:
    with pytest.raises(QueryRejected, match=r"positional parameter '\$1'"):
        run_readonly_query(pg_url, "SELECT $1", {})
    result = run_readonly_query(pg_url, """SELECT '{"a": 1}'::jsonb ? 'a' AS has_a""", {})
    assert result.rows == [(True,)]


@pytest.mark.parametrize(
    ("max_rows", "n", "truncated"), [(3, 3, True), (4, 4, True), (5, 5, False), (50, 5, False)]
)
def test_row_cap_sets_truncated(url: str, max_rows: int, n: int, truncated: bool) -> None:
    result = run_readonly_query(url, "SELECT * FROM claim ORDER BY claim_id", {}, max_rows=max_rows)
    assert len(result.rows) == n
    assert result.truncated is truncated
    assert [r[0] for r in result.rows] == list(range(1, n + 1))


def test_row_cap_on_a_big_result(url: str) -> None:
    result = run_readonly_query(
        url,
        "WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 200000) "
        "SELECT n FROM c",
        {},
        max_rows=10,
    )
    assert result.rows == [(i,) for i in range(1, 11)]
    assert result.truncated


def test_trailing_semicolon_and_comments_are_fine(url: str) -> None:
    result = run_readonly_query(url, "/* count */ SELECT count(*) FROM claim; -- done\n;", {})
    assert result == QueryResult(
        ["count(*)"] if url.startswith("sqlite") else ["count"], [(5,)], False, result.elapsed_ms
    )


def test_database_errors_are_query_errors_not_refusals(url: str) -> None:
    with pytest.raises(QueryError, match="no_such_table") as info:
        run_readonly_query(url, "SELECT * FROM no_such_table", {})
    assert not isinstance(info.value, QueryRejected)
    with pytest.raises(QueryError) as info:
        run_readonly_query(url, "SELECT FROM WHERE", {})
    assert not isinstance(info.value, QueryRejected)


def test_bad_targets() -> None:
    with pytest.raises(QueryError, match="not found"):
        run_readonly_query("sqlite:////nonexistent/dir/x.db", "SELECT 1", {})
    with pytest.raises(QueryError, match="in-memory"):
        run_readonly_query("sqlite://", "SELECT 1", {})
    with pytest.raises(QueryError, match="not a database URL"):
        run_readonly_query("not a url", "SELECT 1", {})
    with pytest.raises(QueryError, match="unsupported database"):
        run_readonly_query("mysql://localhost/x", "SELECT 1", {})
    with pytest.raises(ValueError, match="max_rows"):
        run_readonly_query("sqlite://", "SELECT 1", {}, max_rows=0)


def test_sqlite_wal_database_is_readable_and_file_untouched(sqlite_url: str) -> None:
    path = make_url(sqlite_url).database or ""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("CREATE TABLE t (a)")
    conn.execute("INSERT INTO t VALUES (1)")
    conn.commit()
    conn.close()
    before = open(path, "rb").read()  # noqa: SIM115 - whole-file snapshot
    assert run_readonly_query(sqlite_url, "SELECT a FROM t", {}).rows == [(1,)]
    assert open(path, "rb").read() == before  # noqa: SIM115


# --- the tokenizer ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sql", "dialect", "statements"),
    [
        ("SELECT 'a;b'", "sqlite", 1),
        ('SELECT "we;ird" FROM t', "sqlite", 1),
        ("SELECT [a;b] FROM t", "sqlite", 1),
        ("SELECT `a;b` FROM t", "sqlite", 1),
        ("SELECT 1 -- ; DROP\n", "sqlite", 1),
        ("SELECT E'it\\'s; here'", "postgresql", 1),
        ("SELECT 'it\\'; SELECT 2", "postgresql", 2),  # standard strings: \ is not an escape
        ("SELECT $tag$ ; $x$ ; $tag$", "postgresql", 1),
        ("/* a /* nested ; */ still comment ; */ SELECT 1", "postgresql", 1),
        ("/* a /* not nested in sqlite */ SELECT 1; SELECT 2", "sqlite", 2),
        ("SELECT a$b FROM t; SELECT 2", "postgresql", 2),
    ],
)
def test_statement_splitting_respects_quotes_and_comments(
    sql: str, dialect: str, statements: int
) -> None:
    assert len(statement_tokens(sql, dialect)) == statements  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "sql", ["SELECT 'open", 'SELECT "open', "SELECT 1 /* open", "SELECT $$ open", "SELECT [open"]
)
def test_unterminated_quotes_are_refused(sql: str) -> None:
    dialect = "postgresql" if "$$" in sql else "sqlite"
    with pytest.raises(QueryRejected, match="unterminated"):
        tokenize(sql, dialect)


def test_pyformat_rewrite() -> None:
    tokens = tokenize("SELECT :a::int, '50%', x % 2 FROM t WHERE b = :b_2", "postgresql")
    assert [t.name for t in tokens if t.kind is Kind.PARAM] == ["a", "b_2"]
    assert to_pyformat(tokens) == "SELECT %(a)s::int, '50%%', x %% 2 FROM t WHERE b = %(b_2)s"


def test_guard_checks_pragmas_and_functions() -> None:
    assert check_query("PRAGMA index_list(t)", {}, "sqlite").first_word == "PRAGMA"
    with pytest.raises(ReadOnlyViolation, match="wal_checkpoint"):
        check_query("PRAGMA wal_checkpoint", {}, "sqlite")
    with pytest.raises(ReadOnlyViolation, match=r"dblink_exec\(\)"):
        check_query("SELECT dblink_exec('x', 'DELETE FROM t')", {}, "postgresql")
    # A column that merely contains a write keyword is fine.
    assert check_query("SELECT updated_at, deleted FROM t", {}, "postgresql").param_names == ()


@given(st.text(alphabet="ab ;:'\"$-/*\n?%()[]`eE", max_size=40))
def test_tokens_always_rebuild_the_input(sql: str) -> None:
    for dialect in ("sqlite", "postgresql"):
        try:
            tokens = tokenize(sql, dialect)  # type: ignore[arg-type]
        except QueryRejected:
            continue
        assert "".join(t.text for t in tokens) == sql
