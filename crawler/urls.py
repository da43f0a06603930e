"""URL normalisation and canonical-URL choice.

One story must map to one URL however it was linked: campaign parameters, fragments, host case,
default ports and percent-encoding variants all collapse to the same string, so the store's unique
``canonical_url`` and the dupefilter can rely on plain string equality.

w3lib does the heavy lifting (percent-encoding, query sorting, dot segments, fragments); this
module adds what it leaves alone: default ports, tracking parameters and a never-raise contract.
"""

from __future__ import annotations

import ipaddress
import logging
from functools import lru_cache
from urllib.parse import unquote, urljoin, urlsplit, urlunsplit

from tld import get_fld
from w3lib.url import canonicalize_url

logger = logging.getLogger(__name__)

__all__ = ["canonical_url", "is_tracking_param", "normalize_url", "registrable_domain", "same_site"]

# Query parameters that identify a campaign, a click or a share, never the document itself.
# Exact names (lower-cased) ...
_TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "gclsrc",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "yclid",
        "twclid",
        "ttclid",
        "li_fat_id",
        "mc_cid",
        "mc_eid",
        "igshid",
        "igsh",
        "ref_src",
        "ref_url",
        "_ga",
        "_gl",
        "_hsenc",
        "_hsmi",
        "_openstat",
        "mkt_tok",
        "oly_anon_id",
        "oly_enc_id",
        "vero_id",
        "vero_conv",
        "wt.mc_id",
        "cmpid",
        "ncid",
        "sr_share",
        "share",
        "smid",
        "s_cid",
        "at_medium",
        "at_campaign",
        "guccounter",
        "guce_referrer",
        "guce_referrer_sig",
        "spm",
        "__twitter_impression",
    }
)
# ... and prefixes (Urchin/Matomo/Piwik/HubSpot families).
_TRACKING_PREFIXES = ("utm_", "pk_", "piwik_", "mtm_", "hsa_", "stm_", "itm_")

_DEFAULT_PORTS = {"http": 80, "https": 443}


def is_tracking_param(name: str) -> bool:
    """Tell whether a query-parameter name only tracks campaigns or clicks.

    Args:
        name: The parameter name, percent-decoded or not.

    Returns:
        True when the parameter should be dropped from a canonical URL.
    """
    lowered = name.strip().lower()
    return lowered in _TRACKING_PARAMS or lowered.startswith(_TRACKING_PREFIXES)


def _strip_tracking(query: str) -> str:
    # Work on the already-encoded pairs so that encoding is not changed a second time;
    # the order is kept (canonicalize_url has sorted it).
    # A doubled "?" (``/a??utm_source=rss``, common in feeds) makes the key "%3Futm_source":
    # still a tracking parameter.
    kept = [
        pair
        for pair in query.split("&")
        if pair and not is_tracking_param(unquote(pair.split("=")[0]).lstrip("?"))
    ]
    return "&".join(kept)


def _normalize_http(url: str) -> str:
    canonical = canonicalize_url(url, keep_fragments=False)
    parts = urlsplit(canonical)
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower().rstrip(".")
    if not host:
        raise ValueError("no host")
    try:
        port = parts.port
    except ValueError:
        port = None
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    netloc = host if port is None or port == _DEFAULT_PORTS.get(scheme) else f"{host}:{port}"
    # User info never identifies an article and must not leak into stored URLs.
    path = parts.path or "/"
    return urlunsplit((scheme, netloc, path, _strip_tracking(parts.query), ""))


def normalize_url(url: str) -> str:
    """Normalise a URL so that variants of one address compare equal.

    Lower-cases scheme and host, drops default ports, user info and the fragment, removes
    tracking parameters (``utm_*``, ``fbclid``, ``gclid``, ``mc_cid`` …), sorts the query,
    normalises percent-encoding and dot segments. Idempotent. Non-HTTP(S) or unparsable input is
    returned stripped rather than raising.

    Args:
        url: Any string, typically an absolute http(s) URL.

    Returns:
        The normalised URL, e.g. ``https://example.com/a?b=1`` for
        ``HTTPS://Example.com:443/a?utm_source=x&b=1#top``.
    """
    try:
        stripped = url.strip()
    except AttributeError:
        return ""
    try:
        scheme = urlsplit(stripped).scheme.lower()
        if scheme not in _DEFAULT_PORTS:
            return stripped
        normalized = _normalize_http(stripped)
        # A second pass reaches the fixed point when the first pass exposed something new
        # (e.g. decoding made a pair look like a tracking parameter).
        again = _normalize_http(normalized)
        return again
    except Exception:  # never raise on hostile input
        logger.debug("cannot normalise URL %r", url, exc_info=True)
        return stripped


@lru_cache(maxsize=4096)
def registrable_domain(url_or_host: str) -> str:
    """Return the registrable domain ("eTLD+1") of a URL, using the bundled suffix list.

    IP addresses and single-label hosts such as ``localhost`` are their own site; hosts under a
    suffix the list does not know (``.example``, ``.test``) count the last two labels.

    Args:
        url_or_host: An absolute URL or a bare host name.

    Returns:
        e.g. ``bbc.co.uk`` for ``https://news.bbc.co.uk/x``; ``""`` when there is no host.
    """
    try:
        text = url_or_host.strip()
        host = (urlsplit(text).hostname if "//" in text else text.split(":")[0]) or ""
        host = host.lower().rstrip(".")
        if not host:
            return ""
        try:
            ipaddress.ip_address(host)
            return host
        except ValueError:
            pass
        fld = get_fld(host, fix_protocol=True, fail_silently=True)
        if fld:
            return str(fld)
        # Unknown suffix (.example, .test, .internal): take the last two labels, like a gTLD.
        return ".".join(host.split(".")[-2:])
    except Exception:
        logger.debug("cannot find registrable domain of %r", url_or_host, exc_info=True)
        return ""


def same_site(a: str, b: str) -> bool:
    """Tell whether two URLs belong to the same registrable site.

    ``https://www.example.co.uk/a`` and ``http://news.example.co.uk/b`` are the same site;
    ``example.com`` and ``example.org`` are not.

    Args:
        a: First URL.
        b: Second URL.

    Returns:
        True when both have a host and their registrable domains are equal.
    """
    site_a = registrable_domain(a)
    return bool(site_a) and site_a == registrable_domain(b)


def canonical_url(page_url: str, declared: str | None) -> str:
    """Choose the canonical URL of a page.

    The page's declared canonical (``<link rel=canonical>`` or ``og:url``, possibly relative) wins
    only when it resolves to an http(s) URL on the same registrable site: a cross-site canonical
    (syndication partner, hijacked markup) must not make one outlet's article overwrite another's.

    Args:
        page_url: The URL the page was fetched from (after redirects).
        declared: The canonical URL the page declares, or None.

    Returns:
        The normalised canonical URL.
    """
    page = normalize_url(page_url)
    if declared and declared.strip():
        try:
            resolved = normalize_url(urljoin(page_url.strip(), declared.strip()))
        except Exception:
            logger.debug("bad declared canonical %r on %s", declared, page_url, exc_info=True)
            return page
        if urlsplit(resolved).scheme in _DEFAULT_PORTS and same_site(resolved, page):
            return resolved
        logger.debug("ignoring cross-site canonical %s on %s", resolved, page_url)
    return page
