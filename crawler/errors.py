"""Turn a failed request into a short, countable reason (for ``crawl_run`` and the summary)."""

from __future__ import annotations

from scrapy.exceptions import IgnoreRequest
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet import error as twisted_errors
from twisted.python.failure import Failure


def classify_failure(failure: Failure) -> str:
    """Map a Twisted failure to one of a small set of reasons.

    Reasons: ``http_<status>``, ``timeout``, ``connection``, ``dns``, ``robots``,
    ``redirect_loop``, ``too_large``, ``offsite``, ``ignored``, or the exception class name.
    """
    exc = failure.value
    if isinstance(exc, HttpError):
        return f"http_{exc.response.status}"
    if isinstance(exc, twisted_errors.TimeoutError | twisted_errors.TCPTimedOutError):
        return "timeout"
    if isinstance(exc, twisted_errors.DNSLookupError):
        return "dns"
    if isinstance(exc, twisted_errors.ConnectError | twisted_errors.ConnectionLost):
        return "connection"
    if isinstance(exc, IgnoreRequest):
        msg = str(exc).lower()
        if "robots.txt" in msg:
            return "robots"
        if "redirect" in msg:
            return "redirect_loop"
        if "offsite" in msg:
            return "offsite"
        if "download_maxsize" in msg:  # HttpCompressionMiddleware: a body that inflates too far
            return "too_large"
        return "ignored"
    name = type(exc).__name__
    msg = failure.getErrorMessage().lower()
    if "maxsize" in msg or "max size" in msg or "larger than" in msg or "warnsize" in msg:
        return "too_large"
    if name in ("CancelledError", "ResponseNeverReceived") and "size" in msg:
        return "too_large"
    if "timeout" in name.lower() or "timed out" in msg:
        return "timeout"
    return name
