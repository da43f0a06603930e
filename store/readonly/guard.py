"""The static half of the read-only policy: checks made on the query text before it runs.

These checks give clear messages and catch what the database itself would allow (a superuser
calling ``pg_terminate_backend``); they are *not* what makes the query read-only. That is done by
the connection (see :mod:`store.readonly.sqlite_backend` and
:mod:`store.readonly.postgres_backend`): a read-only SQLite file handle with ``query_only`` and
an authorizer, a ``READ ONLY`` PostgreSQL transaction that is always rolled back. A query that
slips past these checks still cannot write.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from store.readonly.lexer import Dialect, Kind, Token, tokenize
from store.readonly.result import QueryRejected, ReadOnlyViolation

__all__ = ["CheckedQuery", "check_query", "pragma_allowed", "statement_tokens"]

# Statements a read-only query may start with.
ALLOWED_FIRST_WORDS: dict[Dialect, tuple[str, ...]] = {
    "sqlite": ("SELECT", "WITH", "VALUES", "EXPLAIN", "PRAGMA"),
    "postgresql": ("SELECT", "WITH", "VALUES", "TABLE", "EXPLAIN", "SHOW"),
}

# Words that only appear in statements that write or change the schema. A bare (unquoted) word is
# a keyword here in both dialects, so a column that really is called "update" must be quoted.
WRITE_WORDS = frozenset(
    {"INSERT", "UPDATE", "DELETE", "MERGE", "TRUNCATE", "DROP", "CREATE", "ALTER"}
    | {"ATTACH", "DETACH", "GRANT", "REVOKE", "INTO"}
)

# Functions with side effects outside the transaction, or that read the server's files: a
# READ ONLY transaction does not stop them when the user is privileged enough.
DENIED_FUNCTIONS: dict[Dialect, frozenset[str]] = {
    "sqlite": frozenset({"load_extension", "writefile", "readfile", "edit", "fts3_tokenizer"}),
    "postgresql": frozenset(
        {
            "pg_terminate_backend",
            "pg_cancel_backend",
            "pg_reload_conf",
            "pg_rotate_logfile",
            "pg_switch_wal",
            "pg_promote",
            "pg_create_restore_point",
            "pg_log_backend_memory_contexts",
            "pg_notify",
            "pg_export_snapshot",
            "pg_import_system_collations",
            "pg_stat_file",
            "set_config",
            "pg_logical_emit_message",
            "pg_backup_start",
            "pg_backup_stop",
            "pg_start_backup",
            "pg_stop_backup",
            "pg_drop_replication_slot",
            "pg_create_physical_replication_slot",
            "pg_create_logical_replication_slot",
            "pg_copy_physical_replication_slot",
            "pg_copy_logical_replication_slot",
            "pg_wal_replay_pause",
            "pg_wal_replay_resume",
        }
    ),
}
# SQLite PRAGMAs a read-only query may use. Introspection pragmas take a table or index name;
# the others are settings, allowed only when read (``PRAGMA user_version``), never when set.
INTROSPECTION_PRAGMAS = frozenset(
    {"table_info", "table_xinfo", "table_list", "index_list", "index_info", "index_xinfo"}
    | {"foreign_key_list", "foreign_key_check", "integrity_check", "quick_check"}
)
READ_ONLY_SETTING_PRAGMAS = frozenset(
    {"user_version", "schema_version", "application_id", "data_version", "page_count"}
    | {"page_size", "freelist_count", "encoding", "foreign_keys", "journal_mode", "query_only"}
    | {"database_list", "collation_list", "function_list", "module_list", "pragma_list"}
    | {"compile_options", "auto_vacuum", "synchronous", "cache_size", "busy_timeout"}
)


def pragma_allowed(name: str, argument: str | None) -> bool:
    """Whether ``PRAGMA name`` (or ``PRAGMA name(argument)``) only reads.

    Args:
        name: The pragma name, without a schema prefix.
        argument: Its argument or assigned value; None when it is only read.
    """
    name = name.lower()
    if name in INTROSPECTION_PRAGMAS:
        return True
    return name in READ_ONLY_SETTING_PRAGMAS and argument is None


DENIED_FUNCTION_PREFIXES: dict[Dialect, tuple[str, ...]] = {
    "sqlite": (),
    "postgresql": (
        "dblink",  # runs SQL on another connection, outside our read-only transaction
        "lo_",  # large objects: lo_import/lo_export touch server files, others write
        "pg_read_",  # pg_read_file, pg_read_binary_file
        "pg_ls_",  # directory listings of the server
        "pg_file_",  # adminpack writes
        "pg_advisory_",
        "pg_try_advisory_",
        "pg_replication_origin_",
        "pg_stat_reset",
    ),
}


@dataclass(frozen=True)
class CheckedQuery:
    """A query that passed the static checks.

    Attributes:
        sql: The single statement, without leading/trailing whitespace, comments or ``;``.
        tokens: Its tokens (for dialect-specific rewriting).
        first_word: The upper-cased keyword it starts with.
        param_names: The ``:name`` parameters it uses, in order of first use.
    """

    sql: str
    tokens: list[Token]
    first_word: str
    param_names: tuple[str, ...]


def statement_tokens(sql: str, dialect: Dialect) -> list[list[Token]]:
    """Split a query into its non-empty statements, each trimmed of outer trivia.

    Args:
        sql: The query text.
        dialect: SQL dialect.

    Returns:
        One token list per statement that has any meaningful token.
    """
    statements: list[list[Token]] = []
    current: list[Token] = []
    for tok in [*tokenize(sql, dialect), Token(Kind.SEMICOLON, ";", len(sql))]:
        if tok.kind is Kind.SEMICOLON:
            meaningful = [i for i, t in enumerate(current) if not t.is_trivia]
            if meaningful:
                statements.append(current[meaningful[0] : meaningful[-1] + 1])
            current = []
        else:
            current.append(tok)
    return statements


def first_word(tokens: list[Token]) -> str:
    """The upper-cased first keyword of a statement, skipping opening parentheses ("" if none)."""
    for tok in tokens:
        if tok.is_trivia or tok.kind is Kind.LPAREN:
            continue
        return tok.upper if tok.kind is Kind.WORD else ""
    return ""


def _function_name(tokens: list[Token], i: int) -> str | None:
    """If ``tokens[i]`` names a function being called, its lower-cased name."""
    tok = tokens[i]
    if tok.kind not in (Kind.WORD, Kind.QUOTED):
        return None
    j = i + 1
    while j < len(tokens) and tokens[j].is_trivia:
        j += 1
    if j >= len(tokens) or tokens[j].kind is not Kind.LPAREN:
        return None
    name = tok.text[1:-1] if tok.kind is Kind.QUOTED else tok.text
    return name.lower()


def _check_words(tokens: list[Token], dialect: Dialect) -> None:
    denied = DENIED_FUNCTIONS[dialect]
    prefixes = DENIED_FUNCTION_PREFIXES[dialect]
    for i, tok in enumerate(tokens):
        if tok.kind is Kind.WORD and tok.upper in WRITE_WORDS:
            what = "SELECT … INTO (it creates a table)" if tok.upper == "INTO" else tok.upper
            raise ReadOnlyViolation(f"{what} is not allowed: queries here are read-only")
        fn = _function_name(tokens, i)
        if fn is not None and (fn in denied or fn.startswith(prefixes)):
            raise ReadOnlyViolation(
                f"function {fn}() is not allowed: it acts on the server outside this query"
            )


def _check_pragma(tokens: list[Token]) -> None:
    """``PRAGMA [schema.]name [= value | (value)]``: refuse anything but the read-only kinds."""
    words = [t for t in tokens if not t.is_trivia]
    # words[0] is PRAGMA; skip an optional "schema ." prefix.
    rest = words[3:] if len(words) > 2 and words[2].text == "." else words[1:]
    if not rest or rest[0].kind not in (Kind.WORD, Kind.QUOTED):
        raise QueryRejected("PRAGMA needs a name")
    name = rest[0].text.strip('"`[]')
    argument = "".join(t.text for t in rest[1:]).strip("=() ") or None
    if any(t.text == "=" for t in rest[1:]) or not pragma_allowed(name, argument):
        raise ReadOnlyViolation(
            f"PRAGMA {name}{' with a value' if argument else ''} is not allowed: only "
            "read-only pragmas (table_info, index_list, user_version, …) may be used"
        )


def _check_params(tokens: list[Token], params: Mapping[str, object]) -> tuple[str, ...]:
    names: dict[str, None] = {}
    for tok in tokens:
        if tok.kind is Kind.POSITIONAL:
            raise QueryRejected(
                f"positional parameter {tok.text!r} is not supported: use named parameters "
                "such as :name and give their values by name"
            )
        if tok.kind is Kind.OTHER_PARAM:
            raise QueryRejected(
                f"parameter {tok.text!r} is not supported: use the :name style "
                "(a letter or _ first, then letters, digits, _)"
            )
        if tok.kind is Kind.PARAM:
            names.setdefault(tok.name)
    missing = [n for n in names if n not in params]
    if missing:
        raise QueryRejected("no value given for parameter " + ", ".join(f":{n}" for n in missing))
    unused = sorted(set(params) - set(names))
    if unused:
        raise QueryRejected("parameter not used in the query: " + ", ".join(unused))
    return tuple(names)


def check_query(sql: str, params: Mapping[str, object], dialect: Dialect) -> CheckedQuery:
    """Apply the static read-only policy to one query.

    Args:
        sql: The query text: one statement (a trailing ``;`` is fine).
        params: Values for the query's ``:name`` parameters; every one must be used.
        dialect: ``"sqlite"`` or ``"postgresql"``.

    Returns:
        The trimmed single statement with its parameter names.

    Raises:
        ReadOnlyViolation: The statement writes, changes the schema or calls a denied function.
        QueryRejected: Empty query, several statements, unterminated quotes, positional or
            missing/unused parameters.
    """
    statements = statement_tokens(sql, dialect)
    if not statements:
        raise QueryRejected("empty query: nothing to run")
    if len(statements) > 1:
        raise QueryRejected(
            f"only one statement per query is allowed, found {len(statements)} separated by ';'"
        )
    tokens = statements[0]
    word = first_word(tokens)
    allowed = ALLOWED_FIRST_WORDS[dialect]
    if word not in allowed:
        shown = word or tokens[0].text[:20]
        raise ReadOnlyViolation(
            f"{shown} statements are not allowed: queries here are read-only and must start "
            f"with {', '.join(allowed)}"
        )
    if word == "PRAGMA":
        _check_pragma(tokens)
    _check_words(tokens, dialect)
    names = _check_params(tokens, params)
    text = "".join(t.text for t in tokens)
    return CheckedQuery(sql=text, tokens=tokens, first_word=word, param_names=names)
