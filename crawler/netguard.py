"""Which addresses the crawler may connect to: the SSRF policy, as plain functions.

ipwire fetches URLs chosen by third parties (feed items, sitemap ``loc``s, listing links,
redirects). Unless the operator opts in, none of them may lead the crawler into the network it
runs in: only ``http``/``https`` on ports 80 and 443, and only hosts whose every resolved address
is global unicast. Loopback, private (RFC 1918, ULA), link-local (cloud metadata at
169.254.169.254), CGNAT, multicast, reserved, unspecified and documentation addresses are
refused, and so are IPv6 forms that embed one of those (IPv4-mapped, 6to4, NAT64).

Opt-in is by network: ``allow_networks`` (e.g. ``127.0.0.0/8`` for a local test site) or
``allow_private_networks`` (RFC 1918, CGNAT, loopback and ULA; never link-local, which is where
cloud metadata lives: list ``169.254.0.0/16`` explicitly if you mean it). A non-default port is
accepted when every address of the host lies in an opted-in network, or when it is listed in
``allow_ports``.

This module does no I/O; :mod:`crawler.guarded_dns` applies it at resolution time and
:mod:`crawler.guard_middleware` to every request and response.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

__all__ = [
    "PRIVATE_NETWORKS",
    "AddressPolicy",
    "IPAddress",
    "Refusal",
    "check_addresses",
    "check_url",
    "literal_address",
    "url_host_port",
]

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

ALLOWED_SCHEMES = frozenset({"http", "https"})
DEFAULT_PORTS = {"http": 80, "https": 443}

#: What ``allow_private_networks = true`` opens: private ranges a crawler might legitimately
#: serve from (an intranet news mirror, a test site). Link-local is deliberately not here.
PRIVATE_NETWORKS: tuple[IPNetwork, ...] = tuple(
    ipaddress.ip_network(n)
    for n in (
        "10.0.0.0/8",
        "172.16.0.0/12",
        "192.168.0.0/16",
        "100.64.0.0/10",
        "127.0.0.0/8",
        "::1/128",
        "fc00::/7",
    )
)

# Special-purpose ranges refused whatever the running Python's ``is_global`` says (its tables
# changed between 3.11 and 3.13; multicast, for one, counts as "global" there).
_REFUSED_V4 = tuple(
    ipaddress.IPv4Network(n)
    for n in (
        "0.0.0.0/8",
        "10.0.0.0/8",
        "100.64.0.0/10",
        "127.0.0.0/8",
        "169.254.0.0/16",
        "172.16.0.0/12",
        "192.0.0.0/24",
        "192.0.2.0/24",
        "192.88.99.0/24",
        "192.168.0.0/16",
        "198.18.0.0/15",
        "198.51.100.0/24",
        "203.0.113.0/24",
        "224.0.0.0/4",
        "240.0.0.0/4",
    )
)
_REFUSED_V6 = tuple(
    ipaddress.IPv6Network(n)
    for n in (
        "::/128",
        "::1/128",
        "::/96",  # IPv4-compatible (deprecated)
        "64:ff9b:1::/48",  # local-use NAT64
        "100::/64",  # discard-only
        "2001::/23",  # IETF protocol assignments, Teredo included
        "2001:db8::/32",
        "fc00::/7",
        "fe80::/10",
        "fec0::/10",
        "ff00::/8",
    )
)
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")


@dataclass(frozen=True)
class Refusal:
    """Why a URL or address is refused: ``reason`` is short and stable, ``detail`` says more."""

    reason: str
    detail: str

    def __str__(self) -> str:
        return f"{self.reason}: {self.detail}"


@dataclass(frozen=True)
class AddressPolicy:
    """Where the crawler may connect.

    Attributes:
        allow_networks: networks reachable although not global (the operator's opt-in).
        allow_ports: ports accepted besides 80 and 443 for any host.
    """

    allow_networks: tuple[IPNetwork, ...] = ()
    allow_ports: frozenset[int] = frozenset()

    @classmethod
    def build(
        cls,
        *,
        allow_private_networks: bool = False,
        allow_networks: Iterable[str] = (),
        allow_ports: Iterable[int] = (),
    ) -> AddressPolicy:
        """A policy from configuration values.

        Raises:
            ValueError: a network is not valid CIDR notation.
        """
        nets = [ipaddress.ip_network(n.strip(), strict=False) for n in allow_networks]
        if allow_private_networks:
            nets.extend(PRIVATE_NETWORKS)
        return cls(tuple(dict.fromkeys(nets)), frozenset(int(p) for p in allow_ports))

    def widened(self, other: AddressPolicy) -> AddressPolicy:
        """The union of two policies (what any of them allows)."""
        nets = tuple(dict.fromkeys((*self.allow_networks, *other.allow_networks)))
        return AddressPolicy(nets, self.allow_ports | other.allow_ports)

    def opted_in(self, address: IPAddress) -> bool:
        """True when ``address`` (or the IPv4 address it embeds) is in an allowed network."""
        candidates = [address]
        inner = embedded_ipv4(address)
        if inner is not None:
            candidates.append(inner)
        return any(
            a.version == n.version and a in n for a in candidates for n in self.allow_networks
        )


def embedded_ipv4(address: IPAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 address inside an IPv4-mapped, 6to4 or NAT64 IPv6 address, else None."""
    if not isinstance(address, ipaddress.IPv6Address):
        return None
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address in _NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def address_class(address: IPAddress) -> str | None:
    """Why ``address`` is not global unicast (``"loopback"``, ``"private"``…), None if it is."""
    inner = embedded_ipv4(address)
    if inner is not None:
        why = address_class(inner)
        return f"{why} (embedded in {address})" if why else None
    if address.is_unspecified:
        return "unspecified"
    if address.is_loopback:
        return "loopback"
    if address.is_link_local:
        return "link-local"
    if address.is_multicast:
        return "multicast"
    if isinstance(address, ipaddress.IPv4Address):
        if address in ipaddress.IPv4Network("100.64.0.0/10"):
            return "cgnat"
        refused = any(address in n for n in _REFUSED_V4)
    else:
        refused = any(address in n for n in _REFUSED_V6)
    if address.is_private:
        return "private"
    if address.is_reserved or refused or not address.is_global:
        return "reserved"
    return None


def check_addresses(addresses: Iterable[IPAddress], policy: AddressPolicy) -> Refusal | None:
    """Refuse unless every address is global unicast or opted in. An empty list is refused."""
    seen = False
    for address in addresses:
        seen = True
        why = address_class(address)
        if why and not policy.opted_in(address):
            return Refusal("blocked_address", f"{address} is {why}")
    return None if seen else Refusal("blocked_address", "no address")


def _legacy_ipv4_part(text: str) -> int | None:
    """One part of an inet_aton-style address: decimal, octal (leading 0) or hex (0x)."""
    t = text.lower()
    try:
        if t.startswith("0x"):
            return int(t[2:] or "0", 16)
        if len(t) > 1 and t.startswith("0"):
            return int(t[1:], 8)
        return int(t, 10) if t.isdigit() else None
    except ValueError:
        return None


def literal_address(host: str) -> IPAddress | None:
    """The address a host literally names, in every form a resolver would accept.

    Besides dotted quads and IPv6 literals this reads the legacy forms ``inet_aton`` (and WHATWG
    URL parsing) accept: ``2130706433``, ``0x7f.1``, ``0177.0.0.1``, ``127.1``. A trailing dot
    is ignored. None when ``host`` is a name.
    """
    h = host.strip().rstrip(".").strip("[]")
    if not h:
        return None
    try:
        return ipaddress.ip_address(h)
    except ValueError:
        pass
    parts = h.split(".")
    if len(parts) > 4:
        return None
    values = [_legacy_ipv4_part(p) for p in parts]
    if any(v is None for v in values):
        return None
    nums = [v for v in values if v is not None]
    head, last = nums[:-1], nums[-1]
    if any(v > 255 for v in head) or last >= 256 ** (4 - len(head)):
        return None
    value = 0
    for v in head:
        value = value * 256 + v
    value = value * 256 ** (4 - len(head)) + last
    return ipaddress.IPv4Address(value)


def url_host_port(url: str) -> tuple[str, str, int]:
    """``(scheme, host, port)`` of ``url``; the port defaults by scheme.

    Raises:
        ValueError: the URL has no host or an invalid port.
    """
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = parts.hostname or ""
    port = parts.port  # raises ValueError when out of range or not a number
    if not host:
        raise ValueError("no host")
    return scheme, host, port if port is not None else DEFAULT_PORTS.get(scheme, 0)


def check_url(url: str, policy: AddressPolicy) -> Refusal | None:
    """The checks that need no DNS: scheme, host syntax, and literal addresses.

    A port other than 80/443 is let through here for names (whether it is acceptable depends on
    the addresses: see :func:`check_port`); for a literal address it is decided now.
    """
    scheme = url.split(":", 1)[0].strip().lower() if ":" in url else ""
    if scheme not in ALLOWED_SCHEMES:
        return Refusal("blocked_address", f"scheme {scheme or '(none)'!r} is not http(s)")
    try:
        _, host, port = url_host_port(url)
    except ValueError as e:
        return Refusal("blocked_address", f"unusable host or port ({e})")
    address = literal_address(host)
    if address is None:
        return None
    return check_addresses([address], policy) or check_port(port, [address], policy)


def check_port(port: int, addresses: Iterable[IPAddress], policy: AddressPolicy) -> Refusal | None:
    """Ports 80 and 443 always; others when allowed, or when every address is opted in."""
    if port in (80, 443) or port in policy.allow_ports:
        return None
    listed = list(addresses)
    if listed and all(policy.opted_in(a) for a in listed):
        return None
    return Refusal("blocked_address", f"port {port} is not allowed")
