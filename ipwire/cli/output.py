"""How commands print what they did: where ipwire really runs, not only in a wide terminal.

ipwire runs from cron, systemd, CI and ``| tee`` far more often than in a terminal, so a summary
is a table only when stdout is a terminal wide enough for the whole table. Anywhere else it is
one block of ``key: value`` lines per row, so that no header or number is ever cut to fit a
width nobody is looking at. ``--format json`` prints one JSON document instead, with the
schema in ``docs/cli-json.schema.json`` (see ``docs/cli-output.md``). Progress display and colour
are for terminals only, and ``NO_COLOR`` turns colour off everywhere; ``-q`` leaves only errors.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import IO, Any, TypeVar

import click
from rich.console import Console
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text

__all__ = [
    "SCHEMA_VERSION",
    "Section",
    "emit_json",
    "fits",
    "format_options",
    "make_console",
    "output_format",
    "print_kv",
    "print_sections",
    "quiet",
    "records_text",
    "show_progress",
    "stdout_is_terminal",
    "terminal_width",
    "use_colour",
]

#: Version of the JSON documents' layout; it changes only when a key is removed or renamed.
SCHEMA_VERSION = 1

_FORMAT_KEY = "ipwire.format"
F = TypeVar("F", bound=Callable[..., Any])


def stdout_is_terminal() -> bool:
    """Whether stdout is an interactive terminal (tests replace this to try both layouts)."""
    return sys.stdout.isatty()


def show_progress() -> bool:
    """Spinners and progress bars: only when stderr is a terminal and ``-q`` was not given.

    Decided here, not by rich: rich treats ``FORCE_COLOR`` as a terminal, and a spinner in a
    log file is a screenful of control characters.
    """
    return sys.stderr.isatty() and not quiet()


def terminal_width() -> int:
    """The terminal's width in columns (``$COLUMNS`` wins, as everywhere)."""
    return shutil.get_terminal_size((80, 24)).columns


def use_colour(stream: IO[str]) -> bool:
    """Colour only on a terminal, and never when ``NO_COLOR`` is set (https://no-color.org)."""
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty()) and not os.environ.get("NO_COLOR")


def make_console(*, stderr: bool = False) -> Console:
    """A rich console for stdout or stderr that colours only where :func:`use_colour` says."""
    stream = sys.stderr if stderr else sys.stdout
    colour = use_colour(stream)
    return Console(
        file=stream,
        color_system="auto" if colour else None,
        no_color=not colour,
        highlight=False,
        soft_wrap=False,
    )


def quiet() -> bool:
    """Whether ``-q`` was given: print errors only (the root context's ``AppContext.quiet``)."""
    ctx = click.get_current_context(silent=True)
    if ctx is None:
        return False
    return bool(getattr(ctx.find_root().obj, "quiet", False))


def _remember_format(ctx: click.Context, param: click.Parameter, value: object) -> None:
    if param.name == "as_json":
        if value:
            ctx.meta[_FORMAT_KEY] = "json"
    elif value is not None and ctx.meta.get(_FORMAT_KEY) != "json":
        ctx.meta[_FORMAT_KEY] = value


def format_options(f: F) -> F:
    """Add ``--format table|json`` and ``--json`` (the same as ``--format json``) to a command."""
    f = click.option(
        "--json",
        "as_json",
        is_flag=True,
        expose_value=False,
        callback=_remember_format,
        help="Same as --format json.",
    )(f)
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(["table", "json"]),
        default=None,
        expose_value=False,
        callback=_remember_format,
        help="table: readable (a table on a wide terminal, key: value blocks elsewhere); "
        "json: one document, schema in docs/cli-json.schema.json.",
    )(f)


def output_format() -> str:
    """``"json"`` or ``"table"``, as chosen with :func:`format_options` on this command."""
    ctx = click.get_current_context(silent=True)
    return str(ctx.meta.get(_FORMAT_KEY, "table")) if ctx is not None else "table"


def emit_json(
    command: str, payload: dict[str, Any], *, ok: bool = True, exit_status: int = 0
) -> None:
    """Print one JSON document: the common keys, then the command's own."""
    doc: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "command": command,
        "ok": ok,
        "exit_status": exit_status,
        **payload,
    }
    sys.stdout.write(json.dumps(doc, ensure_ascii=False, indent=2, default=str) + "\n")
    sys.stdout.flush()


@dataclass
class Section:
    """A titled list of rows with named columns; ``numeric`` columns are right-aligned."""

    title: str
    columns: Sequence[str]
    rows: Sequence[Sequence[str]] = ()
    numeric: frozenset[str] = frozenset()
    noun: str = "rows"

    def table(self) -> Table:
        """The rich table (cells are ``Text``: scraped text is never read as markup)."""
        table = Table(title=self.title, header_style="bold")
        for name in self.columns:
            table.add_column(Text(name), justify="right" if name in self.numeric else "left")
        for row in self.rows:
            table.add_row(*(Text(cell) for cell in row))
        return table


def records_text(section: Section) -> str:
    """The section as one block of aligned ``key: value`` lines per row: nothing is cut.

    Rows are indented under the title and separated by a blank line, so a log reader sees
    where a row begins and ends; values are never wrapped or shortened.
    """
    width = max((len(c) for c in section.columns), default=0) + 1
    n = len(section.rows)
    lines = [section.title if n == 1 else f"{section.title}: {n} {section.noun}"]
    for i, row in enumerate(section.rows):
        if i:
            lines.append("")
        lines += [
            f"  {c + ':':<{width}} {v}".rstrip() for c, v in zip(section.columns, row, strict=True)
        ]
    return "\n".join(lines)


def fits(table: Table, width: int) -> bool:
    """Whether the table at its natural width (no wrapping, no ellipsis) fits in ``width``."""
    probe = Console(width=10_000, file=open(os.devnull, "w"), color_system=None)  # noqa: SIM115
    try:
        return Measurement.get(probe, probe.options, table).maximum <= width
    finally:
        probe.file.close()


def print_sections(sections: Sequence[Section]) -> None:
    """Print each section as a table when it fits the terminal, else as ``key: value`` blocks."""
    terminal = stdout_is_terminal()
    width = terminal_width()
    console = make_console()
    first = True
    for section in sections:
        if not first:
            click.echo("")
        first = False
        table = section.table()
        if terminal and section.rows and fits(table, width):
            console.print(table, width=width)
        else:
            click.echo(records_text(section))


def print_kv(title: str, pairs: Sequence[tuple[str, object]]) -> None:
    """Aligned ``key: value`` lines under a title: readable in any width, never cut."""
    width = max((len(k) for k, _ in pairs), default=0) + 1
    if title:
        click.echo(title)
    for key, value in pairs:
        click.echo(f"  {key + ':':<{width}} {value}".rstrip())
