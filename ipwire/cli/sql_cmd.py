"""``ipwire sql``: ad-hoc read-only SQL against the store, printed as a table, CSV or JSON.

All the safety lives in :mod:`store.readonly`; this module parses options, formats rows and maps
the domain errors to one-line messages and distinct exit codes.
"""

from __future__ import annotations

import csv
import datetime as dt
import decimal
import json
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

import click
from rich.console import Console
from rich.table import Table
from rich.text import Text

from ipwire.cli import AppContext, output
from ipwire.cli.output import Section, fits, records_text, terminal_width, use_colour
from store.readonly import (
    QueryError,
    QueryRejected,
    QueryResult,
    QueryTimeout,
    run_readonly_query,
)

__all__ = ["sql"]

EXIT_DB_ERROR = 1
EXIT_REFUSED = 3
EXIT_TIMEOUT = 4

_PARAM_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


class SqlFailed(click.ClickException):
    """A query that failed: one line on stderr (click prints ``Error: …``), exit status 1."""

    exit_code = EXIT_DB_ERROR

    def __init__(self, message: str) -> None:
        super().__init__(" ".join(message.split()))


class SqlRefused(SqlFailed):
    """Refused by the read-only policy: exit status 3."""

    exit_code = EXIT_REFUSED


class SqlTimedOut(SqlFailed):
    """Stopped by --timeout-ms: exit status 4."""

    exit_code = EXIT_TIMEOUT


def parse_params(values: Sequence[str]) -> dict[str, object]:
    """``name=value`` strings to a dict; the value is everything after the first ``=``.

    Raises:
        click.BadParameter: A malformed or repeated name.
    """
    params: dict[str, object] = {}
    for item in values:
        name, sep, value = item.partition("=")
        name = name.strip().removeprefix(":")
        if not sep or not _PARAM_NAME.match(name):
            raise click.BadParameter(
                f"{item!r}: expected NAME=VALUE with NAME like since or claim_type",
                param_hint="--param",
            )
        if name in params:
            raise click.BadParameter(f"{name!r} is given twice", param_hint="--param")
        params[name] = value
    return params


def plain(value: object) -> object:
    """A value JSON and CSV can carry: text for dates, decimals, bytes and anything unusual."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).hex()
    if isinstance(value, dt.date | dt.time):  # datetime is a date
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    return str(value)


def _truncation_note(max_rows: int) -> str:
    return (
        f"truncated: showing the first {max_rows} rows, more exist "
        "(raise --max-rows or add LIMIT/WHERE)"
    )


def write_table(result: QueryResult, max_rows: int, out: IO[str]) -> None:
    """A table when stdout is a terminal wide enough for it, else one block per row.

    Never an ellipsis: on a narrower terminal, and in pipes and logs, each row is printed as
    ``column: value`` lines (like psql's expanded display), and a terminal user is pointed at
    ``--format csv|json``. Then a line with the row count and time (and the truncation notice).
    """
    cells = [["NULL" if v is None else str(plain(v)) for v in row] for row in result.rows]
    section = Section("", [str(c) for c in result.columns], cells)
    terminal = output.stdout_is_terminal() and out is sys.stdout
    console = Console(
        file=out,
        soft_wrap=False,
        highlight=False,
        color_system="auto" if use_colour(out) else None,
        no_color=not use_colour(out),
    )
    if result.columns and result.rows:
        table = Table(show_edge=True, header_style="bold")
        for name in result.columns:
            table.add_column(Text(name))
        for row, texts in zip(result.rows, cells, strict=True):
            # Text() never interprets markup: a cell that says "[red]" is printed as it is.
            table.add_row(
                *(
                    Text(t, style="dim") if v is None else Text(t)
                    for v, t in zip(row, texts, strict=True)
                )
            )
        width = terminal_width()
        if terminal and fits(table, width):
            console.print(table, width=width)
        else:
            out.write(records_text(section).split("\n", 1)[1] + "\n\n")
            if terminal:
                click.echo(
                    f"({len(result.columns)} columns do not fit in {width} columns: one block "
                    "per row; --format csv or --format json for other tools)",
                    err=True,
                )
    elif result.columns:
        out.write("columns: " + ", ".join(result.columns) + "\n")
    count = f"{len(result.rows)} row{'s' if len(result.rows) != 1 else ''}"
    console.print(Text(f"{count} in {result.elapsed_ms:.1f} ms"))
    if result.truncated:
        console.print(Text(_truncation_note(max_rows), style="yellow"))


def write_csv(result: QueryResult, out: IO[str]) -> None:
    """Header and rows; NULL is an empty field."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(result.columns)
    for row in result.rows:
        writer.writerow(["" if v is None else plain(v) for v in row])


def write_json(result: QueryResult, out: IO[str]) -> None:
    """One JSON object: columns, rows as arrays (column names may repeat), flags."""
    payload: dict[str, Any] = {
        "columns": result.columns,
        "rows": [[plain(v) for v in row] for row in result.rows],
        "row_count": len(result.rows),
        "truncated": result.truncated,
        "elapsed_ms": round(result.elapsed_ms, 3),
    }
    json.dump(payload, out, ensure_ascii=False, indent=2)
    out.write("\n")


def _database_url(app: AppContext, db: str | None) -> str:
    if db is None:
        return app.settings.database_url
    if "://" in db or db.startswith("sqlite:"):
        return db
    return f"sqlite:///{Path(db).expanduser().resolve().as_posix()}"  # a plain file path


@click.command(name="sql")
@click.argument("query")
@click.option(
    "-p",
    "--param",
    "param_values",
    multiple=True,
    metavar="NAME=VALUE",
    help="Value of the :NAME parameter (repeatable). Values are text; CAST(:n AS INTEGER) "
    "where a number is needed.",
)
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json"]),
    default="table",
    show_default=True,
    help="Output format.",
)
@click.option(
    "--max-rows",
    type=click.IntRange(min=1),
    default=1000,
    show_default=True,
    help="Print at most N rows; the output says when more exist.",
)
@click.option(
    "--timeout-ms",
    type=click.IntRange(min=1),
    default=5000,
    show_default=True,
    help="Stop the query after N milliseconds.",
)
@click.option(
    "--db",
    default=None,
    metavar="URL",
    help="Database URL or SQLite file (default: the configured database).",
)
@click.pass_obj
def sql(
    app: AppContext,
    query: str,
    param_values: tuple[str, ...],
    fmt: str,
    max_rows: int,
    timeout_ms: int,
    db: str | None,
) -> None:
    """Run one read-only SQL QUERY on the store and print the rows.

    QUERY is one statement (SELECT, WITH, VALUES, EXPLAIN; read-only PRAGMA on SQLite, SHOW on
    PostgreSQL), or - to read it from standard input. Parameters are named, :name, with values
    from --param name=value; positional ? and %s are refused.

    The query is read-only by construction: SQLite is opened read-only (mode=ro, query_only, an
    authorizer), PostgreSQL runs it in a READ ONLY transaction that is always rolled back.
    Writes, DDL, ATTACH, writable PRAGMAs, COPY, server admin functions and several statements
    at once are refused, and nothing changes.

    \b
    Examples:
      ipwire sql "SELECT * FROM v_claims LIMIT 5"
      ipwire sql "SELECT * FROM v_claims WHERE claim_type = :t" --param t=distillation
      ipwire sql --format csv "SELECT * FROM v_incidents" > incidents.csv
      echo "SELECT count(*) FROM article" | ipwire sql - --format json
      ipwire sql --db postgresql+psycopg://ipwire@db-host/ipwire "SELECT 1"

    \b
    Exit status: 0 rows printed, 1 database error, 2 usage error,
    3 refused (not read-only, several statements, parameter problem), 4 timed out.
    """
    params = parse_params(param_values)
    text = sys.stdin.read() if query == "-" else query
    url = _database_url(app, db)
    try:
        result = run_readonly_query(url, text, params, max_rows=max_rows, timeout_ms=timeout_ms)
    except QueryRejected as e:
        raise SqlRefused(f"refused: {e}") from None
    except QueryTimeout as e:
        raise SqlTimedOut(f"{e} (raise --timeout-ms)") from None
    except QueryError as e:
        raise SqlFailed(str(e)) from None
    out = sys.stdout
    if fmt == "table":
        write_table(result, max_rows, out)
        return
    if fmt == "csv":
        write_csv(result, out)
    else:
        write_json(result, out)
    if result.truncated:
        click.echo(_truncation_note(max_rows), err=True)
