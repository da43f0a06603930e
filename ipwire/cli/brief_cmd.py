"""``ipwire brief``: render the daily briefing, write it to files and/or send it by SMTP."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import click

from ipwire.cli import AppContext
from store import StoreError

__all__ = ["brief"]

_T = TypeVar("_T")


def _iso_option(
    parse: Callable[[str], _T], expected: str
) -> Callable[[click.Context, click.Parameter, str | None], _T | None]:
    """A click callback that parses an ISO value with ``parse`` (``None`` stays ``None``)."""

    def callback(_ctx: click.Context, _param: click.Parameter, value: str | None) -> _T | None:
        if value is None:
            return None
        try:
            return parse(value)
        except ValueError:
            raise click.BadParameter(f"expected {expected}, got {value!r}") from None

    return callback


_parse_date = _iso_option(dt.date.fromisoformat, "YYYY-MM-DD")
_parse_since = _iso_option(dt.datetime.fromisoformat, "an ISO date-time")


@click.command()
@click.option(
    "--date",
    "date",
    callback=_parse_date,
    metavar="YYYY-MM-DD",
    help="Briefing date in the configured timezone (default: today).",
)
@click.option(
    "--since",
    callback=_parse_since,
    metavar="ISO",
    help="Window start (default: end of the last sent briefing, else 24 h ago); "
    "without an offset it is local time.",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Write briefing-<date>-<audience>.eml, .html and .txt into this folder.",
)
@click.option("--send", is_flag=True, help="Send it by SMTP ([email] in the config).")
@click.option(
    "--to",
    "to",
    multiple=True,
    metavar="ADDR",
    help="Recipient (repeatable; default: [email] recipients).",
)
@click.option("--force", is_flag=True, help="Send again even if this date was already sent.")
@click.pass_obj
def brief(
    app: AppContext,
    date: dt.date | None,
    since: dt.datetime | None,
    out: Path | None,
    send: bool,
    to: tuple[str, ...],
    force: bool,
) -> None:
    """Render the daily briefing, write it (--out) and/or send it (--send).

    One briefing per date and audience: a second --send says it was already sent (use --force
    to send again). A failed send is recorded and exits with status 1; the next run retries.

    \b
    Examples:
      ipwire brief --out briefings/
      ipwire brief --send
      ipwire brief --date 2026-03-02 --send --to analyst@example.org --force
    """
    from ipwire.jobs.publish import BriefingSendError, make_briefing

    settings = app.settings
    try:
        result = make_briefing(
            settings, date=date, since=since, out=out, send=send, to=list(to) or None, force=force
        )
    except BriefingSendError as e:
        raise click.ClickException(str(e)) from None
    except StoreError as e:
        raise click.ClickException(f"store: {e}") from None
    click.echo(f"briefing {result.date} ({result.audience}): {result.subject}")
    click.echo(
        f"  window {result.window_start:%Y-%m-%d %H:%M} to {result.window_end:%Y-%m-%d %H:%M} UTC,"
        f" {result.developments} development(s){' — nothing new' if result.is_empty else ''}"
    )
    for path in result.files:
        click.echo(f"  wrote {path}")
    if result.status == "sent":
        click.echo(f"  sent to {', '.join(result.recipients)} as {result.message_id}")
    elif result.status == "already_sent":
        what = "not sent again (use --force)" if send else "already sent"
        click.echo(f"  already sent as {result.message_id}: {what}")
