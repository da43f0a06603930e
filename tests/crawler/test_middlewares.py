"""Downloader middlewares that need no network: meta refresh without decoding every page."""

from __future__ import annotations

import pytest
from scrapy.http import HtmlResponse, Request
from scrapy.utils.test import get_crawler

from crawler.middlewares import LeanMetaRefreshMiddleware, declares_no_refresh, retry_after_seconds

URL = "https://news.example/a.html"


def _middleware() -> LeanMetaRefreshMiddleware:
    return LeanMetaRefreshMiddleware.from_crawler(get_crawler())


def _response(body: bytes, encoding: str = "utf-8") -> HtmlResponse:
    return HtmlResponse(URL, body=body, encoding=encoding, request=Request(URL))


@pytest.mark.parametrize(
    "head",
    [
        b'<meta http-equiv="refresh" content="0; url=/b.html">',
        b"<META HTTP-EQUIV='Refresh' CONTENT='0;URL=/b.html'>",
        b'<meta content="0; url=/b.html" http-equiv="REFRESH">',
    ],
)
def test_a_meta_refresh_is_still_followed(head: bytes) -> None:
    mw = _middleware()
    body = b"<html><head>" + head + b"</head><body><p>Moved.</p></body></html>"
    assert not declares_no_refresh(body)
    out = mw.process_response(Request(URL), _response(body))
    assert isinstance(out, Request)
    assert out.url == "https://news.example/b.html"


def test_a_page_without_refresh_passes_through_undecoded(monkeypatch: pytest.MonkeyPatch) -> None:
    mw = _middleware()
    body = b"<html><head><title>Story</title></head><body>" + b"<p>Text.</p>" * 500 + b"</body>"
    response = _response(body)
    assert declares_no_refresh(body)
    monkeypatch.setattr(HtmlResponse, "text", property(lambda _: pytest.fail("decoded")))
    assert mw.process_response(Request(URL), response) is response


def test_utf16_pages_are_never_ruled_out_by_bytes() -> None:
    page = '<html><head><meta http-equiv="refresh" content="0; url=/b.html"></head></html>'
    for encoding in ("utf-16", "utf-16-le", "utf-16-be"):
        body = page.encode(encoding)
        assert not declares_no_refresh(body), encoding
    mw = _middleware()
    out = mw.process_response(Request(URL), _response(page.encode("utf-16"), "utf-16"))
    assert isinstance(out, Request)


def test_a_refresh_with_a_long_delay_is_not_followed() -> None:
    mw = _middleware()
    body = b'<html><head><meta http-equiv="refresh" content="300"></head><body>x</body></html>'
    response = _response(body)
    assert mw.process_response(Request(URL), response) is response


@pytest.mark.parametrize(
    ("value", "expected"), [(b"120", 120.0), (None, None), (b"soon", None), (b"", None)]
)
def test_retry_after_seconds(value: bytes | None, expected: float | None) -> None:
    assert retry_after_seconds(value) == expected
