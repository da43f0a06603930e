"""The publish stage: build the static site and make (and send) the daily briefing.

Both functions take the settings and open their own engine, so the scheduler, ``ipwire run
--once``, ``ipwire demo`` and the CLI commands call them the same way.
"""

from __future__ import annotations

import base64
import datetime as dt
import logging
import os
import re
import time
from dataclasses import dataclass, field
from email.utils import make_msgid
from pathlib import Path
from typing import Any

from ipwire.config import Settings
from reports.briefing import RenderedBriefing, render_briefing
from reports.mail import SmtpConfig, build_message, message_domain, send_message
from reports.site import SiteStats, build, page_path
from store import (
    get_briefing,
    make_engine,
    make_session_factory,
    mark_briefing_failed,
    mark_briefing_sent,
    save_briefing,
    session_scope,
)
from store.base import utcnow
from store.readmodels import briefing_data, last_sent_briefing_end

__all__ = ["BriefingResult", "BriefingSendError", "SiteResult", "build_site", "make_briefing"]

log = logging.getLogger(__name__)


class BriefingSendError(RuntimeError):
    """Sending failed; the failure is recorded on the briefing and the next run retries."""


@dataclass(frozen=True)
class SiteResult:
    """What ``build_site`` did."""

    out_dir: Path
    stats: SiteStats

    def as_counts(self) -> dict[str, Any]:
        """Counters for ``job_run``."""
        s = self.stats
        return {
            "pages": s.pages_total,
            "written": s.written,
            "unchanged": s.unchanged,
            "deleted": s.deleted,
            "rendered": s.rendered,
            "incidents": s.incidents,
            "entities": s.entities,
            "full": s.full,
            "seconds": round(s.seconds, 3),
        }


@dataclass(frozen=True)
class BriefingResult:
    """What ``make_briefing`` did. ``status``: rendered, sent, already_sent."""

    date: dt.date
    audience: str
    status: str
    window_start: dt.datetime
    window_end: dt.datetime
    subject: str
    is_empty: bool
    developments: int
    message_id: str | None = None
    recipients: tuple[str, ...] = ()
    files: tuple[Path, ...] = field(default=())

    def as_counts(self) -> dict[str, Any]:
        """Counters for ``job_run``."""
        return {
            "date": self.date.isoformat(),
            "audience": self.audience,
            "status": self.status,
            "developments": self.developments,
            "empty": self.is_empty,
            "recipients": len(self.recipients),
            "files": len(self.files),
        }


def build_site(settings: Settings, *, out: Path | None = None, full: bool = False) -> SiteResult:
    """Build (incrementally unless ``full``) the static report site.

    Args:
        settings: the loaded settings (database, site title and URL, timezone).
        out: output folder (default: ``settings.site_dir``).
        full: re-render every page even when its data did not change.
    """
    out_dir = Path(out or settings.site_dir)
    engine = make_engine(settings.database_url)
    try:
        factory = make_session_factory(engine, readonly=True)
        stats = build(
            factory,
            out_dir,
            full=full,
            title=settings.site.title,
            base_url=settings.site.base_url,
            tz=settings.tz,
        )
    finally:
        engine.dispose()
    log.info(
        "site %s: %d pages, %d written, %d unchanged, %d deleted in %.2fs",
        out_dir,
        stats.pages_total,
        stats.written,
        stats.unchanged,
        stats.deleted,
        stats.seconds,
    )
    return SiteResult(out_dir, stats)


def _window(
    settings: Settings, session: Any, date: dt.date, since: dt.datetime | None
) -> tuple[dt.datetime, dt.datetime]:
    tz = settings.tz
    day_end = dt.datetime.combine(date + dt.timedelta(days=1), dt.time(), tz).astimezone(dt.UTC)
    end = min(utcnow(), day_end)
    if since is not None:
        start = since if since.tzinfo else since.replace(tzinfo=tz)
        return start.astimezone(dt.UTC), end
    last = last_sent_briefing_end(session, settings.email.audience, date)
    if last is not None and last < end:
        return last, end
    return end - dt.timedelta(hours=24), end


def _slug(value: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", value).strip("-.") or "default"


def _write_files(out: Path, stem: str, rendered: RenderedBriefing, eml: bytes) -> tuple[Path, ...]:
    out.mkdir(parents=True, exist_ok=True)
    html = rendered.html
    if rendered.chart_png and rendered.chart_cid:
        # The .html file is opened in a browser, which cannot resolve cid: (the .eml can).
        data = base64.b64encode(rendered.chart_png).decode("ascii")
        html = html.replace(f"cid:{rendered.chart_cid}", f"data:image/png;base64,{data}")
    paths = (out / f"{stem}.eml", out / f"{stem}.html", out / f"{stem}.txt")
    paths[0].write_bytes(eml)
    paths[1].write_text(html, encoding="utf-8")
    paths[2].write_text(rendered.text, encoding="utf-8")
    return paths


def _incident_url(settings: Settings) -> Any:
    base = (settings.site.base_url or "").rstrip("/")
    return lambda slug: f"{base}/{page_path('incident', slug)}" if base else ""


def make_briefing(
    settings: Settings,
    *,
    date: dt.date | None = None,
    since: dt.datetime | None = None,
    out: Path | None = None,
    send: bool = False,
    to: list[str] | None = None,
    force: bool = False,
) -> BriefingResult:
    """Render the briefing of ``date`` (default: today, local), store it, write and/or send it.

    The window runs from the end of the last *sent* briefing (else 24 hours back, or ``since``)
    to now (or the end of ``date``). Sending is idempotent per (date, audience): a briefing
    already sent is not sent again unless ``force``. A failed send is recorded on the briefing
    (error, attempts) and raises :class:`BriefingSendError`; the next run retries.

    Args:
        settings: the loaded settings (database, timezone, email, watchlist, site).
        date: the briefing date in ``settings.timezone``.
        since: start of the window instead of the last sent briefing.
        out: folder to write ``briefing-<date>-<audience>.eml/.html/.txt`` to.
        send: send it by SMTP (``settings.email``).
        to: recipients instead of ``settings.email.recipients``.
        force: send again even if already sent.

    Raises:
        BriefingSendError: sending failed (recorded).
    """
    tz = settings.tz
    email = settings.email
    date = date or utcnow().astimezone(tz).date()
    audience = email.audience
    recipients = list(to or email.recipients)
    if send and not email.smtp_host:
        raise BriefingSendError("no SMTP server configured ([email] smtp_host)")
    if send and not recipients:
        raise BriefingSendError("no recipients: set [email] recipients or pass --to")
    engine = make_engine(settings.database_url)
    try:
        factory = make_session_factory(engine)
        with session_scope(factory) as s:
            existing = get_briefing(s, date, audience)
            already = existing is not None and existing.status == "sent"
            if already and existing is not None:
                start, end = existing.window_start_at, existing.window_end_at
            else:
                start, end = _window(settings, s, date, since)
            data = briefing_data(
                s,
                start,
                end,
                tz=tz,
                watch_entities=settings.watchlist.entities,
                watch_keywords=settings.watchlist.keywords,
            )
        rendered = render_briefing(
            data,
            date=date,
            tz=tz,
            title=settings.site.title,
            audience=audience,
            site_url=settings.site.base_url,
            incident_url=_incident_url(settings),
            chart_cid=make_msgid("chart", "ipwire.briefing")[1:-1],
        )
        with session_scope(factory) as s:
            b = save_briefing(
                s,
                briefing_date=date,
                audience=audience,
                window_start_at=start,
                window_end_at=end,
                subject=rendered.subject,
                html=rendered.html,
                text=rendered.text,
            )
            briefing_id, sent_id = b.id, b.message_id
        domain = message_domain(email.sender)
        message_id = make_msgid(f"briefing.{date.isoformat()}.{_slug(audience)}", domain)
        msg = build_message(
            rendered,
            sender=email.sender,
            to=recipients,
            list_id=email.list_id,
            date=utcnow(),
            message_id=message_id,
        )
        files: tuple[Path, ...] = ()
        if out is not None:
            files = _write_files(
                Path(out),
                f"briefing-{date.isoformat()}-{_slug(audience)}",
                rendered,
                msg.as_bytes(),
            )
        status = "already_sent" if already else "rendered"
        if send and already and not force:
            log.info(
                "briefing %s/%s was already sent (%s); not sending again", date, audience, sent_id
            )
        elif send:
            assert email.smtp_host is not None  # checked above
            smtp = SmtpConfig(
                host=email.smtp_host,
                port=email.smtp_port,
                security=email.security,
                username=email.username,
                password=os.environ.get(email.password_env) if email.username else None,
                timeout_s=email.timeout_s,
                ca_file=str(email.ca_file) if email.ca_file else None,
            )
            t0 = time.monotonic()
            try:
                send_message(msg, smtp, recipients)
            except Exception as e:
                reason = f"{type(e).__name__}: {e}"
                if not already:  # a forced re-send of a sent briefing keeps its record
                    with session_scope(factory) as s:
                        mark_briefing_failed(s, briefing_id, reason)
                raise BriefingSendError(f"sending the briefing failed: {reason}") from e
            with session_scope(factory) as s:
                mark_briefing_sent(s, briefing_id, message_id)
            log.info("briefing sent in %.2fs as %s", time.monotonic() - t0, message_id)
            status, sent_id = "sent", message_id
    finally:
        engine.dispose()
    return BriefingResult(
        date=date,
        audience=audience,
        status=status,
        window_start=start,
        window_end=end,
        subject=rendered.subject,
        is_empty=data.is_empty,
        developments=len(data.developments),
        message_id=sent_id,
        recipients=tuple(recipients) if status == "sent" else (),
        files=files,
    )
