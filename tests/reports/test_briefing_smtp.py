"""The briefing over real SMTP: an aiosmtpd server in the test process receives it."""

from __future__ import annotations

import email
import email.policy
import socket
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from click.testing import CliRunner
from sqlalchemy.orm import Session, sessionmaker

from ipwire.cli import cli
from ipwire.config import Settings
from ipwire.jobs.publish import BriefingSendError, make_briefing
from store import get_briefing, session_scope
from store.models import Briefing
from tests.reports.conftest import report_settings
from tests.reports.htmlaudit import audit, is_http
from tests.reports.seed import HOSTILE, World

PASSWORD = "s3cret-Pa55word-never-logged"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Inbox:
    """An SMTP handler that keeps every message, or refuses them all."""

    def __init__(self, refuse: bool = False) -> None:
        self.refuse = refuse
        self.messages: list[tuple[list[str], bytes]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.refuse:
            return "554 5.7.1 Message refused by policy"
        self.messages.append((list(envelope.rcpt_tos), bytes(envelope.content)))
        return "250 OK"


def _auth(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
    ok = isinstance(data, LoginPassword) and data.password == PASSWORD.encode()
    return AuthResult(success=ok)


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    port = _free_port()
    ctl = Controller(
        inbox, hostname="127.0.0.1", port=port, authenticator=_auth, auth_require_tls=False
    )
    ctl.start()
    try:
        yield inbox, port
    finally:
        ctl.stop()


def _settings(tmp_path: Path, store_url: str, port: int, **extra: object) -> Settings:
    fields: dict[str, object] = {
        "smtp_host": "127.0.0.1",
        "smtp_port": port,
        "security": "none",
        "recipients": ["analyst@example.org"],
        "sender": "ipwire <briefing@ipwire.example>",
        "list_id": "briefing.ipwire.example",
    }
    return report_settings(tmp_path, store_url, **{**fields, **extra})


@pytest.fixture
def mailer(tmp_path: Path, store_url: str, smtp: tuple[Inbox, int]) -> tuple[Inbox, Any]:
    """The test server's inbox, and settings that send the briefing to it."""
    inbox, port = smtp
    return inbox, _settings(tmp_path, store_url, port)


def _parse(raw: bytes) -> EmailMessage:
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(msg, EmailMessage)
    return msg


def test_briefing_arrives_with_parts_headers_cid_image_and_safe_links(
    world: World, mailer: tuple[Inbox, Any]
) -> None:
    inbox, settings = mailer
    result = make_briefing(settings, send=True)
    assert result.status == "sent"
    assert len(inbox.messages) == 1
    rcpts, raw = inbox.messages[0]
    assert rcpts == ["analyst@example.org"]
    msg = _parse(raw)
    assert msg["Message-ID"] == result.message_id
    assert msg["Message-ID"].endswith("@ipwire.example>")
    assert msg["List-Id"] == "ipwire briefing <briefing.ipwire.example>"
    assert msg["Date"] is not None
    assert msg["Date"].datetime is not None
    assert "2 new incidents" in msg["Subject"]
    assert "\n" not in msg["Subject"]
    assert msg.get_content_type() == "multipart/alternative"
    plain, related = list(msg.iter_parts())
    assert plain.get_content_type() == "text/plain"
    assert related.get_content_type() == "multipart/related"
    html_part, image = list(related.iter_parts())
    assert html_part.get_content_type() == "text/html"
    assert image.get_content_type() == "image/png"
    png = image.get_content()
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    cid = image["Content-ID"].strip("<>")
    html = html_part.get_content()
    text = plain.get_content()
    a = audit(html)
    assert ("img", "src", f"cid:{cid}") in a.urls
    img_alt = [m for m in a.tags if m == "img"]
    assert img_alt
    assert "alt=" in html
    # Every link is http(s); the hostile javascript:/data: URLs were withheld.
    links = a.links()
    assert "https://ledger.example/zentrix-accuses" in links
    assert links
    assert all(is_http(u) for u in links)
    assert not a.scripts
    assert not a.event_attrs
    for tag in ("iframe", "svg", "textarea", "style", "object", "embed", "form"):
        assert tag not in a.tags[a.tags.index("body") :], tag
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "\u202e" not in html
    assert "\u200b" not in html
    # The text part has the content, with links, and says what it withheld.
    # One line per distinct claim: every stance stated (the denial too), then legal statuses.
    assert "Zentrix Labs -> Quillon AI: distillation (alleged, denied; lawsuit)" in text
    assert "https://ledger.example/orbis-sued" in text
    assert "javascript:" not in text.split("SOURCES", 1)[1].replace(HOSTILE["js_link"], "")
    # Inlined CSS, the dark-mode rules kept in a <style> block.
    assert 'style="' in html
    assert "prefers-color-scheme: dark" in html


def test_second_send_is_idempotent_and_force_sends_again(
    world: World, mailer: tuple[Inbox, Any], factory: sessionmaker[Session]
) -> None:
    inbox, settings = mailer
    first = make_briefing(settings, send=True)
    again = make_briefing(settings, send=True)
    assert again.status == "already_sent"
    assert again.message_id == first.message_id
    assert len(inbox.messages) == 1
    forced = make_briefing(settings, send=True, force=True)
    assert forced.status == "sent"
    assert len(inbox.messages) == 2
    with session_scope(factory) as s:
        b = get_briefing(s, first.date, "default")
        assert b is not None
        assert b.status == "sent"
        assert b.message_id == forced.message_id


def test_refused_send_is_recorded_and_the_next_run_retries(
    world: World, mailer: tuple[Inbox, Any], factory: sessionmaker[Session]
) -> None:
    inbox, settings = mailer
    inbox.refuse = True
    with pytest.raises(BriefingSendError, match="554"):
        make_briefing(settings, send=True)
    with session_scope(factory) as s:
        b = get_briefing(s, world.now.astimezone(settings.tz).date(), "default")
        assert b is not None
        assert b.status == "failed"
        assert b.attempts == 1
        assert b.error is not None
        assert "refused" in b.error
    inbox.refuse = False
    result = make_briefing(settings, send=True)
    assert result.status == "sent"
    assert len(inbox.messages) == 1
    with session_scope(factory) as s:
        b = get_briefing(s, result.date, "default")
        assert b is not None
        assert b.status == "sent"
        assert b.attempts == 1
        assert b.error is None


def test_unreachable_server_fails_with_exit_status_1_from_the_cli(
    tmp_path: Path, store_url: str, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    for k, v in {
        "IPWIRE_DATABASE_URL": store_url,
        "IPWIRE_DATA_DIR": str(tmp_path / "data"),
        "IPWIRE_EMAIL_SMTP_HOST": "127.0.0.1",
        "IPWIRE_EMAIL_SMTP_PORT": str(_free_port()),
        "IPWIRE_EMAIL_SECURITY": "none",
        "IPWIRE_EMAIL_TIMEOUT_S": "5",
    }.items():
        monkeypatch.setenv(k, v)
    runner = CliRunner()
    res = runner.invoke(cli, ["brief", "--send", "--to", "analyst@example.org"])
    assert res.exit_code == 1, res.output
    assert "sending the briefing failed" in res.output


def test_cli_sends_with_login_then_says_already_sent_and_never_logs_the_password(
    tmp_path: Path,
    store_url: str,
    world: World,
    smtp: tuple[Inbox, int],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    inbox, port = smtp
    for k, v in {
        "IPWIRE_DATABASE_URL": store_url,
        "IPWIRE_DATA_DIR": str(tmp_path / "data"),
        "IPWIRE_EMAIL_SMTP_HOST": "127.0.0.1",
        "IPWIRE_EMAIL_SMTP_PORT": str(port),
        "IPWIRE_EMAIL_SECURITY": "none",
        "IPWIRE_EMAIL_USERNAME": "ipwire",
        "IPWIRE_EMAIL_PASSWORD_ENV": "BRIEF_TEST_SMTP_PASSWORD",
        "BRIEF_TEST_SMTP_PASSWORD": PASSWORD,
    }.items():
        monkeypatch.setenv(k, v)
    caplog.set_level("DEBUG")
    runner = CliRunner()
    out_dir = tmp_path / "out"
    res = runner.invoke(
        cli, ["-v", "brief", "--send", "--to", "a@example.org", "--out", str(out_dir)]
    )
    assert res.exit_code == 0, res.output
    assert "sent to a@example.org" in res.output
    assert len(inbox.messages) == 1
    assert sorted(p.suffix for p in out_dir.iterdir()) == [".eml", ".html", ".txt"]
    res2 = runner.invoke(cli, ["brief", "--send", "--to", "a@example.org"])
    assert res2.exit_code == 0
    assert "not sent again" in res2.output
    assert len(inbox.messages) == 1
    assert PASSWORD not in caplog.text
    assert PASSWORD not in res.output + res2.output


def test_send_without_server_or_recipients_is_refused_before_rendering(
    tmp_path: Path, store_url: str, world: World, factory: sessionmaker[Session]
) -> None:
    with pytest.raises(BriefingSendError, match="no SMTP server"):
        make_briefing(report_settings(tmp_path, store_url), send=True, to=["a@example.org"])
    with pytest.raises(BriefingSendError, match="no recipients"):
        make_briefing(_settings(tmp_path, store_url, 25, recipients=[]), send=True)
    with session_scope(factory) as s:
        assert s.scalar(sa.select(sa.func.count()).select_from(Briefing)) == 0
