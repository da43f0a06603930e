"""Downloader middlewares that apply the SSRF policy (:mod:`crawler.netguard`) to each source.

:class:`NetGuardMiddleware` runs first on every request the downloader sees: start requests,
article links, pagination, robots.txt, each redirect and meta-refresh hop (Scrapy schedules
those as new requests) and each retry. It refuses a URL whose scheme, port or addresses break
the source's policy before anything connects; the refusal reaches the request's errback as
:class:`BlockedAddress`, which the spiders count as ``blocked_address`` with the URL.

:class:`ConnectedPeerMiddleware` sits next to the download handler and checks the address the
response actually came from (``response.ip_address``) against the same policy, before any other
middleware (redirects, meta refresh) or the spider reads the response. The connection itself
can only go where :class:`crawler.guarded_dns.GuardedResolver` let it.
"""

from __future__ import annotations

import logging

from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response
from scrapy.utils.defer import maybe_deferred_to_future

from crawler.guarded_dns import GuardedResolver, installed_resolver, policy_from_settings
from crawler.netguard import (
    AddressPolicy,
    Refusal,
    check_addresses,
    check_port,
    check_url,
    literal_address,
    url_host_port,
)

log = logging.getLogger(__name__)


class BlockedAddress(IgnoreRequest):
    """A request refused by the SSRF policy (counted as ``blocked_address``)."""

    def __init__(self, url: str, refusal: Refusal) -> None:
        super().__init__(f"blocked address: {url[:300]}: {refusal.detail}")
        self.url = url
        self.refusal = refusal


def source_policy(crawler: Crawler) -> AddressPolicy:
    """The crawl-wide policy widened by the crawling source's own ``allow_networks``."""
    policy = policy_from_settings(crawler.settings)
    source = getattr(crawler.spider, "source", None)
    networks = getattr(source, "allow_networks", ()) or ()
    return policy.widened(AddressPolicy.build(allow_networks=networks)) if networks else policy


class NetGuardMiddleware:
    """Refuses, before any connection, a request the source's policy does not allow."""

    def __init__(self, crawler: Crawler, resolver: GuardedResolver) -> None:
        self.crawler = crawler
        self.resolver = resolver
        self.policy = source_policy(crawler)
        self.dns_timeout = crawler.settings.getfloat("DNS_TIMEOUT", 60.0)
        # The connection goes through the process-wide resolver: it must allow this source's
        # networks too (it still refuses what no source allows).
        resolver.widen(self.policy)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> NetGuardMiddleware:
        return cls(crawler, installed_resolver(crawler))

    async def process_request(self, request: Request) -> None:
        refusal = await self.refusal(request.url)
        if refusal is not None:
            self._count(request, refusal)
            raise BlockedAddress(request.url, refusal)

    async def refusal(self, url: str) -> Refusal | None:
        """Why ``url`` may not be fetched by this source, or None."""
        refusal = check_url(url, self.policy)
        if refusal is not None:
            return refusal
        _, host, port = url_host_port(url)
        if literal_address(host) is not None:
            return None  # check_url decided on the literal address and its port
        from twisted.internet import reactor

        lookup = self.resolver.lookup(host).addTimeout(self.dns_timeout, reactor)
        try:
            addresses = await maybe_deferred_to_future(lookup)
        except Exception as e:  # DNS failure or timeout: the download reports it as dns
            log.debug("lookup of %s failed: %s", host, e)
            return None
        if not addresses:
            return None  # unresolvable: the connection fails as ``dns``, nothing to refuse
        return check_addresses(addresses, self.policy) or check_port(port, addresses, self.policy)

    def _count(self, request: Request, refusal: Refusal) -> None:
        log.warning("%s: refused %s (%s)", self.crawler.spider, request.url[:300], refusal)
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value("ipwire/netguard/refused")


class ConnectedPeerMiddleware:
    """Discards a response whose peer address the source's policy does not allow."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.policy = source_policy(crawler)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ConnectedPeerMiddleware:
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Response:
        peer = response.ip_address
        refusal: Refusal | None
        if peer is None:
            refusal = Refusal("blocked_address", "the peer address is unknown")
        else:
            _, _, port = url_host_port(response.url)
            refusal = check_addresses([peer], self.policy) or check_port(port, [peer], self.policy)
        if refusal is None:
            return response
        log.warning(
            "%s: discarded the response of %s (%s)", self.crawler.spider, request.url[:300], refusal
        )
        raise BlockedAddress(request.url, refusal)
