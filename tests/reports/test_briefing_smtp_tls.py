"""The briefing over TLS: STARTTLS and implicit TLS to a real aiosmtpd server whose certificate
is signed by a test CA. Certificates are verified; ``[email] ca_file`` says whom to trust."""

from __future__ import annotations

import datetime as dt
import ipaddress
import ssl
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from ipwire.jobs.publish import BriefingSendError, make_briefing
from tests.reports.seed import World
from tests.reports.test_briefing_smtp import PASSWORD, Inbox, _auth, _free_port, _settings


def _name(cn: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A test CA and a server certificate for 127.0.0.1 signed by it (PEM files)."""
    out = tmp_path_factory.mktemp("pki")
    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = (
        x509.CertificateBuilder()
        .subject_name(_name("ipwire test CA"))
        .issuer_name(_name("ipwire test CA"))
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name("smtp.test"))
        .issuer_name(ca.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
            critical=False,
        )
        .add_extension(x509.ExtendedKeyUsage([x509.OID_SERVER_AUTH]), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    paths = {"ca": out / "ca.pem", "cert": out / "server.pem", "key": out / "server.key"}
    paths["ca"].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    paths["cert"].write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    paths["key"].write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return paths


def _server_context(pki: dict[str, Path]) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(pki["cert"], pki["key"])
    return context


@pytest.fixture(params=["starttls", "ssl"])
def tls_smtp(
    request: pytest.FixtureRequest, pki: dict[str, Path]
) -> Iterator[tuple[Inbox, int, str]]:
    inbox = Inbox()
    port = _free_port()
    security = str(request.param)
    # STARTTLS: AUTH is offered only after the upgrade. Implicit TLS is TLS from the first
    # byte, which aiosmtpd's AUTH-needs-TLS check does not see, so it is not asked there.
    kwargs: dict[str, Any] = {"authenticator": _auth, "auth_require_tls": security == "starttls"}
    if security == "starttls":
        kwargs.update(tls_context=_server_context(pki), require_starttls=True)
    else:
        kwargs.update(ssl_context=_server_context(pki))
    ctl = Controller(inbox, hostname="127.0.0.1", port=port, **kwargs)
    ctl.start()
    try:
        yield inbox, port, security
    finally:
        ctl.stop()


def test_briefing_is_sent_over_tls_to_a_trusted_server(
    tmp_path: Path,
    store_url: str,
    world: World,
    tls_smtp: tuple[Inbox, int, str],
    pki: dict[str, Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    inbox, port, security = tls_smtp
    monkeypatch.setenv("IPWIRE_SMTP_PASSWORD", PASSWORD)
    settings = _settings(
        tmp_path,
        store_url,
        port,
        security=security,
        username="ipwire",
        ca_file=str(pki["ca"]),
    )
    result = make_briefing(settings, send=True)
    assert result.status == "sent"
    assert len(inbox.messages) == 1
    assert inbox.messages[0][0] == ["analyst@example.org"]


def test_an_untrusted_certificate_is_refused_and_nothing_is_sent(
    tmp_path: Path,
    store_url: str,
    world: World,
    tls_smtp: tuple[Inbox, int, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Without ``ca_file`` the test CA is unknown: the send fails at the TLS handshake, before
    any login, with a clear error, and nothing is delivered."""
    inbox, port, security = tls_smtp
    monkeypatch.setenv("IPWIRE_SMTP_PASSWORD", PASSWORD)
    settings = _settings(tmp_path, store_url, port, security=security, username="ipwire")
    with pytest.raises(BriefingSendError, match="CERTIFICATE_VERIFY_FAILED"):
        make_briefing(settings, send=True)
    assert inbox.messages == []
