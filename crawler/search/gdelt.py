"""A thin client of GDELT's DOC 2.0 API (``mode=artlist``, JSON): request URLs and parsing.

No HTTP here: the spider sends the requests through Scrapy like any other page, so that the API
gets the crawl's User-Agent, retries, timeouts and a download slot of its own (one request at a
time, ``api_interval_s`` apart: GDELT asks for one request every 5 seconds).

Why not a client library: ``gdeltdoc`` and ``gdelt-client`` need pandas; ``gdelt-py`` brings its
own httpx stack, pydantic-settings, tenacity and tqdm. The part of the API used here is one URL
and one JSON shape.

The API, as documented by GDELT: ``query`` (with operators such as ``sourcelang:``,
``sourcecountry:``, ``domainis:``), ``mode=artlist``, ``format=json``, ``maxrecords`` (at most
250), ``startdatetime``/``enddatetime`` as ``YYYYMMDDHHMMSS`` (UTC), ``sort`` (``DateAsc``
here). The reply is ``{"articles": [{"url", "url_mobile", "title", "seendate", "socialimage",
"domain", "language", "sourcecountry"}, …]}``; a query with no match answers ``{}``. Too many
requests get HTTP 429 (or, from some front ends, a 200 whose text asks to "limit requests").
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

__all__ = [
    "DEFAULT_API_URL",
    "EARLIEST",
    "INDEX_LAG",
    "MAX_RECORDS",
    "ApiError",
    "Hit",
    "RateLimited",
    "build_query",
    "parse_artlist",
    "parse_seendate",
    "request_url",
]

DEFAULT_API_URL = "https://api.gdeltproject.org/api/v2/doc/doc"
#: The API's cap on one article list.
MAX_RECORDS = 250
#: GDELT updates every 15 minutes: windows end this long before now, so that no window is asked
#: about before the index has it.
INDEX_LAG = timedelta(minutes=20)
#: The oldest moment the DOC API searches.
EARLIEST = datetime(2017, 1, 1, tzinfo=UTC)


class ApiError(ValueError):
    """The API answered something that is not an article list."""


class RateLimited(ApiError):
    """The API asked us to slow down."""


@dataclass(frozen=True)
class Hit:
    """One article of an article list."""

    url: str
    title: str | None
    seen_at: datetime | None
    domain: str | None = None
    language: str | None = None
    source_country: str | None = None


def _any_of(operator: str, values: tuple[str, ...] | list[str]) -> str:
    terms = [f"{operator}:{v.strip().replace(' ', '')}" for v in values if v.strip()]
    if len(terms) > 1:
        return "(" + " OR ".join(terms) + ")"
    return terms[0] if terms else ""


def build_query(
    query: str,
    *,
    languages: tuple[str, ...] | list[str] = (),
    countries: tuple[str, ...] | list[str] = (),
    domains: tuple[str, ...] | list[str] = (),
) -> str:
    """The query with the source's filters as DOC API operators.

    >>> build_query('"trade secrets"', languages=["english"], domains=["a.com", "b.org"])
    '"trade secrets" sourcelang:english (domainis:a.com OR domainis:b.org)'
    """
    parts = [
        query.strip(),
        _any_of("sourcelang", languages),
        _any_of("sourcecountry", countries),
        _any_of("domainis", domains),
    ]
    return " ".join(p for p in parts if p)


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%d%H%M%S")


def request_url(
    api_url: str,
    query: str,
    start: datetime,
    end: datetime,
    *,
    max_records: int = MAX_RECORDS,
) -> str:
    """The artlist request for ``query`` over ``[start, end)``, oldest first."""
    params = {
        "query": query,
        "mode": "artlist",
        "format": "json",
        "maxrecords": str(max(1, min(max_records, MAX_RECORDS))),
        "sort": "DateAsc",
        "startdatetime": _stamp(start),
        "enddatetime": _stamp(end),
    }
    return f"{api_url}?{urlencode(params)}"


def parse_seendate(value: object) -> datetime | None:
    """``20240115T103000Z`` (or ``YYYYMMDDHHMMSS``) as an aware UTC datetime; else None."""
    if not isinstance(value, str):
        return None
    text = value.strip().replace("T", "").replace("Z", "")
    try:
        return datetime.strptime(text, "%Y%m%d%H%M%S").replace(tzinfo=UTC)
    except ValueError:
        return None


def _text(value: object) -> str | None:
    return " ".join(value.split()) or None if isinstance(value, str) else None


def parse_artlist(body: bytes) -> list[Hit]:
    """The hits of an artlist reply, in the order given.

    Raises:
        RateLimited: the reply asks to limit requests.
        ApiError: the reply is not JSON, or not an article list.
    """
    text = body.decode("utf-8", errors="replace").strip()
    if not text:
        raise ApiError("empty reply")
    if not text.startswith(("{", "[")):
        if "limit requests" in text.lower():
            raise RateLimited(text[:200])
        raise ApiError(f"not JSON: {text[:120]!r}")
    try:
        # strict=False: titles sometimes carry raw control characters.
        data = json.loads(text, strict=False)
    except json.JSONDecodeError as e:
        raise ApiError(f"malformed JSON: {e}") from None
    if not isinstance(data, dict):
        raise ApiError(f"expected a JSON object, got {type(data).__name__}")
    articles = data.get("articles", [])
    if not isinstance(articles, list):
        raise ApiError("`articles` is not a list")
    hits = []
    for raw in articles:
        if not isinstance(raw, dict):
            continue
        url = raw.get("url")
        if not isinstance(url, str) or not url.startswith(("http://", "https://")):
            continue
        hits.append(
            Hit(
                url=url,
                title=_text(raw.get("title")),
                seen_at=parse_seendate(raw.get("seendate")),
                domain=_text(raw.get("domain")),
                language=_text(raw.get("language")),
                source_country=_text(raw.get("sourcecountry")),
            )
        )
    return hits
