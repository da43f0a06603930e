"""The SSRF policy and the guarded resolver, offline: no DNS query, no socket.

The resolver under test wraps a stub resolver (a hosts mapping) and the socket module's
``connect`` is replaced to fail the test if anything tries to open a connection.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterator
from typing import Any

import pytest
from twisted.internet import defer
from twisted.internet.address import IPv4Address, IPv6Address

from crawler.guarded_dns import REFUSED_HOSTS, GuardedResolver
from crawler.netguard import (
    AddressPolicy,
    address_class,
    check_addresses,
    check_url,
    literal_address,
)

DEFAULT = AddressPolicy()
LOOPBACK_OK = AddressPolicy.build(allow_networks=["127.0.0.0/8"])


@pytest.fixture(autouse=True)
def no_sockets(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError(f"a socket was opened: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "gethostbyname", refuse)


REFUSED = {
    "loopback": ["127.0.0.1", "127.9.9.9", "::1"],
    "private": ["10.0.0.1", "172.16.5.4", "192.168.1.1", "fd00::1"],
    "link-local": ["169.254.169.254", "fe80::1"],
    "cgnat": ["100.64.0.1", "100.127.255.254"],
    "multicast": ["224.0.0.1", "239.255.255.250", "ff02::1"],
    "reserved": ["240.0.0.1", "255.255.255.255", "198.18.0.1", "2001:db8::1", "192.0.0.8"],
    "unspecified": ["0.0.0.0", "::"],
    "embedded": [
        "::ffff:127.0.0.1",  # IPv4-mapped
        "::ffff:169.254.169.254",
        "2002:7f00:1::",  # 6to4 of 127.0.0.1
        "2002:a00:1::1",  # 6to4 of 10.0.0.1
        "64:ff9b::a9fe:a9fe",  # NAT64 of 169.254.169.254
        "64:ff9b::7f00:1",  # NAT64 of 127.0.0.1
        "64:ff9b:1::1",  # local-use NAT64
        "2001::1",  # Teredo
    ],
}
GLOBAL = ["93.184.216.34", "1.1.1.1", "2606:4700::1111", "64:ff9b::101:101", "2002:101:101::"]


@pytest.mark.parametrize(
    "address", [a for addresses in REFUSED.values() for a in addresses], ids=str
)
def test_non_global_addresses_are_refused(address: str) -> None:
    ip = ipaddress.ip_address(address)
    assert address_class(ip) is not None
    refusal = check_addresses([ip], DEFAULT)
    assert refusal is not None
    assert refusal.reason == "blocked_address"


@pytest.mark.parametrize("address", GLOBAL)
def test_global_unicast_is_allowed(address: str) -> None:
    assert check_addresses([ipaddress.ip_address(address)], DEFAULT) is None


def test_one_private_address_among_public_ones_refuses_the_host() -> None:
    mixed = [ipaddress.ip_address("93.184.216.34"), ipaddress.ip_address("10.0.0.7")]
    refusal = check_addresses(mixed, DEFAULT)
    assert refusal is not None
    assert "10.0.0.7" in refusal.detail
    assert check_addresses([], DEFAULT) is not None, "no address is no permission"


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("2130706433", "127.0.0.1"),
        ("0x7f.1", "127.0.0.1"),
        ("0x7f000001", "127.0.0.1"),
        ("0177.0.0.1", "127.0.0.1"),
        ("127.1", "127.0.0.1"),
        ("017700000001", "127.0.0.1"),
        ("169.254.43518", "169.254.169.254"),
        ("127.0.0.1.", "127.0.0.1"),
        ("[::1]", "::1"),
        ("::ffff:7f00:1", "::ffff:127.0.0.1"),
        ("news.example", None),
        ("1.2.3.4.5", None),
        ("256.0.0.1", None),
        ("0x.example", None),
    ],
)
def test_every_literal_form_a_resolver_accepts(host: str, expected: str | None) -> None:
    got = literal_address(host)
    assert (str(got) if got else None) == (
        str(ipaddress.ip_address(expected)) if expected else None
    )


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://files.example/x",
        "gopher://news.example:70/_GET",
        "data:text/html,<h1>x</h1>",
        "javascript:alert(1)",
        "http://127.0.0.1/",
        "http://2130706433/",
        "http://0x7f.1/",
        "http://0177.0.0.1/",
        "http://127.0.0.1./",
        "http://[::1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://[fe80::1%25eth0]/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[64:ff9b::a9fe:a9fe]/",
        "http://100.64.1.1/",
        "http://93.184.216.34:8080/",  # a public address, but not port 80/443
        "http://news.example:99999/",
        "http:///no-host",
    ],
)
def test_urls_refused_without_any_lookup(url: str) -> None:
    refusal = check_url(url, DEFAULT)
    assert refusal is not None, url
    assert refusal.reason == "blocked_address", url


def test_opt_in_is_by_network_and_opens_its_ports() -> None:
    assert check_url("http://127.0.0.1:8765/feed.xml", LOOPBACK_OK) is None
    assert check_url("http://2130706433:8765/", LOOPBACK_OK) is None
    assert check_url("http://10.0.0.1/", LOOPBACK_OK) is not None
    assert check_url("http://[::1]/", LOOPBACK_OK) is not None, "::1 is not in 127.0.0.0/8"
    private = AddressPolicy.build(allow_private_networks=True)
    assert check_url("http://10.0.0.1:8080/", private) is None
    assert check_url("http://169.254.169.254/", private) is not None, "metadata stays refused"
    assert check_url("http://93.184.216.34:8080/", AddressPolicy.build(allow_ports=[8080])) is None
    assert check_url("http://news.example:8080/", DEFAULT) is None, "names: decided on addresses"


# -- the resolver --------------------------------------------------------------------------


class StubResolver:
    """A hosts mapping behind the ``IHostnameResolver`` interface; counts the questions."""

    def __init__(self, hosts: dict[str, list[str]]) -> None:
        self.hosts = hosts
        self.asked: list[str] = []

    def resolveHostName(self, receiver: Any, name: str, port: int = 0, *args: Any) -> None:
        self.asked.append(name)
        receiver.resolutionBegan(None)
        for a in self.hosts.get(name.rstrip("."), []):
            cls = IPv6Address if ":" in a else IPv4Address
            receiver.addressResolved(cls("TCP", a, port))
        receiver.resolutionComplete()


class Receiver:
    def __init__(self) -> None:
        self.addresses: list[str] = []
        self.complete = False

    def resolutionBegan(self, resolution: object) -> None:
        pass

    def addressResolved(self, address: Any) -> None:
        self.addresses.append(address.host)

    def resolutionComplete(self) -> None:
        self.complete = True


@pytest.fixture
def hosts() -> Iterator[StubResolver]:
    REFUSED_HOSTS.clear()
    yield StubResolver(
        {
            "news.example": ["93.184.216.34", "2606:4700::1111"],
            "metadata.example": ["169.254.169.254"],
            "mixed.example": ["93.184.216.34", "10.0.0.7"],
            "six.example": ["::1"],
            "intranet.example": ["10.1.2.3"],
        }
    )
    REFUSED_HOSTS.clear()


def resolver(stub: StubResolver, policy: AddressPolicy = DEFAULT, cache: int = 100) -> Any:
    r = GuardedResolver(reactor=None, policy=policy, cache_size=cache)
    r.inner = stub
    return r


def resolve(r: GuardedResolver, name: str, port: int = 443) -> Receiver:
    receiver = Receiver()
    r.resolveHostName(receiver, name, port)
    assert receiver.complete
    return receiver


@pytest.mark.parametrize(
    "name", ["metadata.example", "mixed.example", "six.example", "intranet.example", "2130706433"]
)
def test_resolver_hands_the_connection_no_address_of_a_refused_host(
    hosts: StubResolver, name: str
) -> None:
    r = resolver(hosts)
    assert resolve(r, name).addresses == []
    assert name in REFUSED_HOSTS


def test_resolver_passes_every_address_of_a_global_host(hosts: StubResolver) -> None:
    r = resolver(hosts)
    assert resolve(r, "news.example").addresses == ["93.184.216.34", "2606:4700::1111"]
    assert "news.example" not in REFUSED_HOSTS


def test_trailing_dot_and_case_are_the_same_host(hosts: StubResolver) -> None:
    r = resolver(hosts)
    assert resolve(r, "METADATA.example.").addresses == []


def test_widening_opens_only_the_listed_network(hosts: StubResolver) -> None:
    r = resolver(hosts)
    r.widen(AddressPolicy.build(allow_networks=["10.1.0.0/16"]))
    assert resolve(r, "intranet.example").addresses == ["10.1.2.3"]
    assert resolve(r, "mixed.example").addresses == [], "10.0.0.7 is outside 10.1.0.0/16"


def test_one_answer_per_name_so_the_check_and_the_connection_agree(hosts: StubResolver) -> None:
    """A name that rebinds after the check is not asked again: the connection uses the answer
    that was checked."""
    r = resolver(hosts)
    checked: list[Any] = []
    r.lookup("news.example").addCallback(checked.append)
    hosts.hosts["news.example"] = ["127.0.0.1"]  # the attacker's DNS rebinds
    assert resolve(r, "news.example").addresses == ["93.184.216.34", "2606:4700::1111"]
    assert [str(a) for a in checked[0]] == ["93.184.216.34", "2606:4700::1111"]
    assert hosts.asked == ["news.example"]


def test_without_a_cache_each_connection_is_checked_again(hosts: StubResolver) -> None:
    r = resolver(hosts, cache=0)
    assert resolve(r, "news.example").addresses
    hosts.hosts["news.example"] = ["127.0.0.1"]
    assert resolve(r, "news.example").addresses == []


def test_concurrent_lookups_share_one_question() -> None:
    class Slow(StubResolver):
        def resolveHostName(self, receiver: Any, name: str, port: int = 0, *a: Any) -> None:
            self.asked.append(name)
            self.pending = receiver

    stub = Slow({})
    r = resolver(stub)
    results: list[Any] = []
    for _ in range(3):
        r.lookup("slow.example").addCallback(results.append)
    assert stub.asked == ["slow.example"]
    assert results == []
    stub.pending.addressResolved(IPv4Address("TCP", "93.184.216.34", 0))
    stub.pending.resolutionComplete()
    assert len(results) == 3
    assert all(str(x[0]) == "93.184.216.34" for x in results)


def test_literal_hosts_never_reach_the_wrapped_resolver(hosts: StubResolver) -> None:
    r = resolver(hosts)
    d: defer.Deferred[Any] = r.lookup("0x7f.1")
    got: list[Any] = []
    d.addCallback(got.append)
    assert [str(a) for a in got[0]] == ["127.0.0.1"]
    assert hosts.asked == []
