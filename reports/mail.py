"""Build the briefing email (multipart/alternative with a related HTML part) and send it."""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
import ssl
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr

from reports.briefing import RenderedBriefing

__all__ = ["SmtpConfig", "build_message", "message_domain", "send_message"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SmtpConfig:
    """Where and how to send. ``password`` is kept out of ``repr`` (and so out of logs)."""

    host: str
    port: int
    security: str  # starttls | ssl | none
    username: str | None
    password: str | None
    timeout_s: float = 30.0
    ca_file: str | None = None  # PEM of the CAs to trust; None: the system's trust store

    def __repr__(self) -> str:
        return (
            f"SmtpConfig(host={self.host!r}, port={self.port}, security={self.security!r}, "
            f"username={self.username!r}, password={'***' if self.password else None})"
        )


def message_domain(sender: str) -> str:
    """The domain of the sender address (for Message-ID), ``localhost`` if it has none."""
    addr = parseaddr(sender)[1]
    return addr.rpartition("@")[2] or "localhost"


def build_message(
    rendered: RenderedBriefing,
    *,
    sender: str,
    to: list[str],
    list_id: str,
    date: dt.datetime,
    message_id: str | None = None,
    list_name: str = "ipwire briefing",
) -> EmailMessage:
    """The email: text/plain and a multipart/related HTML part holding the chart (CID).

    Structure::

        multipart/alternative
          text/plain
          multipart/related
            text/html
            image/png   (Content-ID: <chart…>, inline)
    """
    msg = EmailMessage()
    msg["Subject"] = rendered.subject
    msg["From"] = sender
    msg["To"] = ", ".join(to) if to else "undisclosed-recipients:;"
    msg["Date"] = format_datetime(date.astimezone(dt.UTC))
    msg["Message-ID"] = message_id or make_msgid("briefing", message_domain(sender))
    msg["List-Id"] = f"{list_name} <{list_id}>"
    msg["Auto-Submitted"] = "auto-generated"
    msg["MIME-Version"] = "1.0"
    msg.set_content(rendered.text, subtype="plain", charset="utf-8")
    msg.add_alternative(rendered.html, subtype="html", charset="utf-8")
    if rendered.chart_png and rendered.chart_cid:
        html_part = list(msg.iter_parts())[1]
        assert isinstance(html_part, EmailMessage)
        html_part.add_related(
            rendered.chart_png,
            maintype="image",
            subtype="png",
            cid=f"<{rendered.chart_cid}>",
            filename="activity.png",
            disposition="inline",
        )
    return msg


def send_message(msg: EmailMessage, smtp: SmtpConfig, to: list[str]) -> None:
    """Send ``msg`` to ``to`` through ``smtp``.

    Raises:
        smtplib.SMTPException, OSError: the server refused or could not be reached.
    """
    if not to:
        raise ValueError("no recipients: set [email] recipients or pass --to")
    for addr in to:
        Address(addr_spec=parseaddr(addr)[1])  # raises on a malformed address
    log.info("sending %s to %d recipient(s) via %r", msg["Message-ID"], len(to), smtp)
    # Certificates are always verified (host name included); ``ca_file`` only says whom to trust.
    context = ssl.create_default_context(cafile=smtp.ca_file)
    client: smtplib.SMTP
    if smtp.security == "ssl":
        client = smtplib.SMTP_SSL(smtp.host, smtp.port, timeout=smtp.timeout_s, context=context)
    else:
        client = smtplib.SMTP(smtp.host, smtp.port, timeout=smtp.timeout_s)
    with client:
        client.ehlo()
        if smtp.security == "starttls":
            client.starttls(context=context)
            client.ehlo()
        if smtp.username:
            client.login(smtp.username, smtp.password or "")
        refused = client.send_message(msg, to_addrs=to)
    if refused:
        log.warning("some recipients were refused: %s", sorted(refused))
