"""The crawl's name resolver: every address the crawler connects to passed the SSRF policy.

Scrapy's HTTP handler connects through Twisted's ``HostnameEndpoint``, which asks the reactor's
``nameResolver`` for the addresses of the host (IP literals included) and connects to exactly
those. :class:`GuardedResolver` is that resolver (``TWISTED_DNS_RESOLVER``): it resolves IPv4 and
IPv6, and hands the endpoint nothing when any address of the host is refused, so a refused
address is never connected to. There is no second lookup between the check and the connection.

One answer per host name per crawl: concurrent lookups share one query, and the answer is kept
(as Scrapy's own resolver keeps it), so the downloader middleware's per-source check
(:mod:`crawler.guard_middleware`) and the connection see the same addresses; a name that
rebinds to another address mid-crawl is not asked again.

The resolver is process-wide, so its policy is the crawl's policy widened by every source's own
``allow_networks`` (each source's middleware registers them); the narrower per-source rule is
enforced by the middleware before the request and on the connected peer after it.
"""

from __future__ import annotations

import ipaddress
import logging
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any, Literal

from twisted.internet import defer
from twisted.internet.address import IPv4Address, IPv6Address
from twisted.internet.interfaces import IAddress, IHostnameResolver
from twisted.internet.interfaces import IHostResolution as _IHostResolution
from zope.interface import implementer

from crawler.netguard import AddressPolicy, IPAddress, check_addresses, literal_address

log = logging.getLogger(__name__)

#: Host names the installed resolver refused in this process, with the reason (for reporting a
#: connection that failed because of it as ``blocked_address``, not ``dns``).
REFUSED_HOSTS: OrderedDict[str, str] = OrderedDict()
_REFUSED_MAX = 10_000


def policy_from_settings(settings: Any) -> AddressPolicy:
    """The crawl-wide policy from Scrapy settings (``IPWIRE_ALLOW_*``, see crawler.settings)."""
    return AddressPolicy.build(
        allow_private_networks=settings.getbool("IPWIRE_ALLOW_PRIVATE_NETWORKS", False),
        allow_networks=settings.getlist("IPWIRE_ALLOW_NETWORKS", []),
        allow_ports=[int(p) for p in settings.getlist("IPWIRE_ALLOW_PORTS", [])],
    )


def _to_ip(address: IAddress) -> IPAddress | None:
    host = getattr(address, "host", None)
    if not isinstance(host, str):
        return None
    try:
        return ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return None


def remember_refusal(host: str, why: str) -> None:
    REFUSED_HOSTS[host] = why
    REFUSED_HOSTS.move_to_end(host)
    while len(REFUSED_HOSTS) > _REFUSED_MAX:
        REFUSED_HOSTS.popitem(last=False)


@implementer(_IHostResolution)
class _Resolution:
    def __init__(self, name: str) -> None:
        self.name = name

    def cancel(self) -> None:  # the endpoint never cancels a resolution it started
        return None


class _Collector:
    """Receives the wrapped resolver's addresses for one name."""

    def __init__(self) -> None:
        self.addresses: list[IPAddress] = []
        self.done: defer.Deferred[list[IPAddress]] = defer.Deferred()

    def resolutionBegan(self, resolution: object) -> None:
        return None

    def addressResolved(self, address: IAddress) -> None:
        ip = _to_ip(address)
        if ip is not None and ip not in self.addresses:
            self.addresses.append(ip)

    def resolutionComplete(self) -> None:
        self.done.callback(self.addresses)


@implementer(IHostnameResolver)
class GuardedResolver:
    """An ``IHostnameResolver`` that resolves through the reactor's own resolver and filters.

    Args:
        reactor: the reactor it is installed on.
        policy: the crawl-wide policy (widened by each source's networks via :meth:`widen`).
        cache_size: host names whose answer is kept (0: none, each lookup asks again).
    """

    def __init__(self, reactor: Any, policy: AddressPolicy, cache_size: int = 10_000) -> None:
        self.reactor = reactor
        self.policy = policy
        self.cache_size = cache_size
        self.inner: Any = None
        self._cache: OrderedDict[str, list[IPAddress]] = OrderedDict()
        self._pending: dict[str, list[defer.Deferred[list[IPAddress]]]] = {}

    @classmethod
    def from_crawler(cls, crawler: Any, reactor: Any) -> GuardedResolver:
        settings = crawler.settings
        size = settings.getint("DNSCACHE_SIZE") if settings.getbool("DNSCACHE_ENABLED") else 0
        return cls(reactor, policy_from_settings(settings), size)

    def install_on_reactor(self) -> None:
        """Wrap the reactor's current resolver (getaddrinfo: IPv4 and IPv6) and replace it.

        When a guarded resolver is installed already (a crawler's middleware installs one
        before ``CrawlerProcess.start`` sets up ``TWISTED_DNS_RESOLVER``), that one stays, so
        every check and every connection share one set of answers; it is widened by this
        one's policy.
        """
        current = self.reactor.nameResolver
        if isinstance(current, GuardedResolver):
            current.widen(self.policy)
            return
        self.inner = current
        self.reactor.installNameResolver(self)

    def widen(self, policy: AddressPolicy) -> None:
        """Also allow what ``policy`` allows (a source's own ``allow_networks``)."""
        self.policy = self.policy.widened(policy)

    # -- lookups ---------------------------------------------------------------------------
    def lookup(self, host: str) -> defer.Deferred[list[IPAddress]]:
        """Every address of ``host`` (IPv4 and IPv6), unfiltered; the same answer all crawl."""
        key = host.lower()
        literal = literal_address(key)
        if literal is not None:
            return defer.succeed([literal])
        if key in self._cache:
            self._cache.move_to_end(key)
            return defer.succeed(list(self._cache[key]))
        out: defer.Deferred[list[IPAddress]] = defer.Deferred()
        waiters = self._pending.get(key)
        if waiters is not None:
            waiters.append(out)
        else:
            self._pending[key] = [out]
            self._ask(key)  # may answer at once (a cached or stub resolver)
        return out

    def _ask(self, key: str) -> None:
        collector = _Collector()

        def done(addresses: list[IPAddress]) -> None:
            if addresses and self.cache_size:
                self._cache[key] = addresses
                while len(self._cache) > self.cache_size:
                    self._cache.popitem(last=False)
            for waiter in self._pending.pop(key, []):
                waiter.callback(list(addresses))

        collector.done.addCallback(done)
        self.inner.resolveHostName(collector, key, 0)

    # -- IHostnameResolver -----------------------------------------------------------------
    def resolveHostName(
        self,
        resolutionReceiver: Any,  # IResolutionReceiver (zope interfaces confuse mypy)
        hostName: str,
        portNumber: int = 0,
        addressTypes: Sequence[type[IAddress]] | None = None,
        transportSemantics: Literal["TCP", "UDP"] = "TCP",
    ) -> _Resolution:
        resolution = _Resolution(hostName)
        resolutionReceiver.resolutionBegan(resolution)

        def deliver(addresses: list[IPAddress]) -> None:
            refusal = check_addresses(addresses, self.policy) if addresses else None
            if refusal is not None:
                remember_refusal(hostName.lower(), str(refusal))
                log.warning("refused to connect to %s: %s", hostName, refusal)
                addresses = []
            for ip in addresses:
                cls = IPv6Address if ip.version == 6 else IPv4Address
                if addressTypes is None or cls in addressTypes:
                    resolutionReceiver.addressResolved(cls(transportSemantics, str(ip), portNumber))
            resolutionReceiver.resolutionComplete()

        def failed(failure: Any) -> None:
            log.info("cannot resolve %s: %s", hostName, failure.getErrorMessage())
            resolutionReceiver.resolutionComplete()

        self.lookup(hostName).addCallbacks(deliver, failed)
        return resolution


def installed_resolver(crawler: Any) -> GuardedResolver:
    """The reactor's :class:`GuardedResolver`; installs one if another resolver is in place.

    The guard must hold even where ``TWISTED_DNS_RESOLVER`` was overridden or no
    ``CrawlerProcess`` set the reactor up (a crawler built in a test).
    """
    from twisted.internet import reactor

    current = reactor.nameResolver
    if not isinstance(current, GuardedResolver):
        GuardedResolver.from_crawler(crawler, reactor).install_on_reactor()
        log.debug("installed the guarded resolver over %r", current)
    installed = reactor.nameResolver
    assert isinstance(installed, GuardedResolver)
    return installed
