"""Run ``crawler.run`` with a hosts mapping for DNS and a recorder on every socket connect.

``python tests/crawler/netguard_harness.py HOSTS.json CONNECTS.log SPEC.json --out RESULT.json``

* Name resolution: the guarded resolver wraps a stub that answers from ``HOSTS.json``
  (``{"name": ["10.0.0.1", ...]}``) instead of the system's resolver; ``getaddrinfo`` of any
  other name fails, so no DNS query leaves the machine.
* Connections: every ``connect``/``connect_ex`` on a socket is appended to ``CONNECTS.log``
  (``host port``), and any destination but 127.0.0.1 is refused locally: even a broken guard
  sends nothing outside loopback. The test reads the log to prove refused hosts were never
  connected to.
"""

from __future__ import annotations

import errno
import json
import socket
import sys
from pathlib import Path
from typing import Any

from twisted.internet.address import IPv4Address, IPv6Address


class HostsResolver:
    """``IHostnameResolver`` over a fixed mapping (trailing dots and case ignored)."""

    def __init__(self, hosts: dict[str, list[str]]) -> None:
        self.hosts = {k.lower().rstrip("."): v for k, v in hosts.items()}

    def resolveHostName(self, receiver: Any, name: str, port: int = 0, *args: Any) -> None:
        receiver.resolutionBegan(None)
        for a in self.hosts.get(name.lower().rstrip("."), []):
            cls = IPv6Address if ":" in a else IPv4Address
            receiver.addressResolved(cls("TCP", a, port))
        receiver.resolutionComplete()


def install(hosts_path: Path, log_path: Path) -> None:
    """Install the reactor with the hosts mapping as its resolver, and the socket recorder."""
    from twisted.internet import asyncioreactor

    asyncioreactor.install()
    from twisted.internet import reactor

    hosts = json.loads(hosts_path.read_text(encoding="utf-8"))
    # The guarded resolver wraps whatever resolver the reactor has: here, the mapping.
    reactor.installNameResolver(HostsResolver(hosts))  # type: ignore[attr-defined]

    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex

    def allowed(address: Any) -> bool:
        if not isinstance(address, tuple):
            return True  # a Unix socket (none expected)
        with log_path.open("a", encoding="utf-8") as log:
            log.write(f"{address[0]} {address[1]}\n")
        return address[0] == "127.0.0.1"

    def connect(self: socket.socket, address: Any) -> None:
        if not allowed(address):
            raise ConnectionRefusedError(errno.ECONNREFUSED, "refused by the test harness")
        real_connect(self, address)

    def connect_ex(self: socket.socket, address: Any) -> int:
        if not allowed(address):
            return errno.ECONNREFUSED
        return real_connect_ex(self, address)

    def no_dns(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host in ("127.0.0.1", b"127.0.0.1", "localhost", None):
            return real_getaddrinfo(host, *args, **kwargs)
        raise socket.gaierror(socket.EAI_NONAME, f"no DNS in this test: {host!r}")

    real_getaddrinfo = socket.getaddrinfo
    socket.socket.connect = connect  # type: ignore[method-assign]
    socket.socket.connect_ex = connect_ex  # type: ignore[method-assign]
    socket.getaddrinfo = no_dns


def main() -> int:
    hosts_path, log_path, *rest = sys.argv[1:]
    install(Path(hosts_path), Path(log_path))
    from crawler.run import main as run_main

    return run_main(rest)


if __name__ == "__main__":
    sys.exit(main())
