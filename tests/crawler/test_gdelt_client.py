"""The DOC API client and the slicing of search windows: pure functions, no network."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest

from crawler.search.gdelt import (
    ApiError,
    Hit,
    RateLimited,
    build_query,
    parse_artlist,
    parse_seendate,
    request_url,
)
from crawler.search.slices import MIN_SPLIT, cut, gaps, split_at_cap

T0 = datetime(2025, 1, 10, tzinfo=UTC)
H = timedelta(hours=1)


def test_request_url_asks_for_an_oldest_first_json_article_list() -> None:
    url = request_url("http://127.0.0.1:9/api/v2/doc/doc", '"trade secrets"', T0, T0 + 36 * H)
    params = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
    assert params == {
        "query": '"trade secrets"',
        "mode": "artlist",
        "format": "json",
        "maxrecords": "250",
        "sort": "DateAsc",
        "startdatetime": "20250110000000",
        "enddatetime": "20250111120000",
    }
    capped = request_url("http://x/doc", "q", T0, T0 + H, max_records=1000)
    assert "maxrecords=250" in capped


def test_filters_become_api_operators() -> None:
    query = build_query(
        "(OpenAI OR Anthropic) distillation",
        languages=["english", "french"],
        countries=["US"],
        domains=["news.example.com"],
    )
    assert query == (
        "(OpenAI OR Anthropic) distillation (sourcelang:english OR sourcelang:french) "
        "sourcecountry:US domainis:news.example.com"
    )
    assert build_query("  plain  ") == "plain"


def test_the_documented_json_is_parsed() -> None:
    body = json.dumps(
        {
            "articles": [
                {
                    "url": "https://news.example.com/a",
                    "url_mobile": "https://m.news.example.com/a",
                    "title": " Fictional  lab sues rival ",
                    "seendate": "20250110T031500Z",
                    "socialimage": "https://news.example.com/a.jpg",
                    "domain": "news.example.com",
                    "language": "English",
                    "sourcecountry": "United States",
                },
                {"url": "javascript:alert(1)", "title": "dropped"},
                {"title": "no url: dropped"},
                "not an object",
            ]
        }
    ).encode()
    assert parse_artlist(body) == [
        Hit(
            url="https://news.example.com/a",
            title="Fictional lab sues rival",
            seen_at=datetime(2025, 1, 10, 3, 15, tzinfo=UTC),
            domain="news.example.com",
            language="English",
            source_country="United States",
        )
    ]


def test_an_empty_slice_is_an_empty_object() -> None:
    assert parse_artlist(b"{}") == []
    assert parse_artlist(b'{"articles": []}') == []


@pytest.mark.parametrize(
    ("body", "error"),
    [
        (b"Please limit requests to one every 5 seconds.", RateLimited),
        (b'{"articles": [{"url": "https://a", "title": "cut', ApiError),
        (b"", ApiError),
        (b"Invalid query.", ApiError),
        (b"[1, 2]", ApiError),
        (b'{"articles": "no"}', ApiError),
    ],
)
def test_replies_that_are_not_article_lists_are_errors(body: bytes, error: type) -> None:
    with pytest.raises(error):
        parse_artlist(body)


def test_raw_control_characters_in_titles_are_tolerated() -> None:
    body = b'{"articles": [{"url": "https://a.example/x", "title": "tab\there"}]}'
    assert parse_artlist(body)[0].title == "tab here"


def test_seendate_forms() -> None:
    assert parse_seendate("20250110T031500Z") == datetime(2025, 1, 10, 3, 15, tzinfo=UTC)
    assert parse_seendate("20250110031500") == datetime(2025, 1, 10, 3, 15, tzinfo=UTC)
    assert parse_seendate("yesterday") is None
    assert parse_seendate(None) is None


def test_gaps_are_what_no_done_slice_covers() -> None:
    done = [(T0 + 2 * H, T0 + 4 * H), (T0 + 3 * H, T0 + 5 * H), (T0 + 8 * H, T0 + 20 * H)]
    assert gaps(T0, T0 + 10 * H, done) == [(T0, T0 + 2 * H), (T0 + 5 * H, T0 + 8 * H)]
    assert gaps(T0, T0 + 10 * H, []) == [(T0, T0 + 10 * H)]
    assert gaps(T0, T0 + 10 * H, [(T0 - H, T0 + 11 * H)]) == []


def test_cut_makes_consecutive_slices() -> None:
    assert cut(T0, T0 + 50 * H, timedelta(hours=24)) == [
        (T0, T0 + 24 * H),
        (T0 + 24 * H, T0 + 48 * H),
        (T0 + 48 * H, T0 + 50 * H),
    ]
    with pytest.raises(ValueError, match="slice length must be positive"):
        cut(T0, T0 + H, timedelta(0))


def hits(*moments: datetime | None) -> list[Hit]:
    return [Hit(f"https://a.example/{i}", None, m) for i, m in enumerate(moments)]


def test_a_sorted_capped_list_is_split_where_it_stops() -> None:
    listed = hits(T0 + H, T0 + 2 * H, T0 + 3 * H, T0 + 3 * H)
    split = split_at_cap(T0, T0 + 24 * H, listed)
    assert split.done == (T0, T0 + 3 * H)
    assert split.kept == listed[:2]  # the last instant may have more than listed: asked again
    assert split.rest == [(T0 + 3 * H, T0 + 24 * H)]
    assert not split.capped


def test_an_unsorted_capped_list_halves_the_slice() -> None:
    split = split_at_cap(T0, T0 + 24 * H, hits(T0 + 5 * H, T0 + H, None))
    assert split.done is None
    assert split.kept == []
    assert split.rest == [(T0, T0 + 12 * H), (T0 + 12 * H, T0 + 24 * H)]


def test_a_capped_slice_that_cannot_be_split_is_taken_and_marked() -> None:
    same_instant = hits(T0, T0, T0)
    split = split_at_cap(T0, T0 + H, same_instant)
    assert split.done == (T0, T0 + timedelta(seconds=1))
    assert split.capped
    assert split.kept == same_instant
    assert split.rest == [(T0 + timedelta(seconds=1), T0 + H)]
    short = split_at_cap(T0, T0 + MIN_SPLIT, hits(T0 + timedelta(seconds=30), None))
    assert short.done == (T0, T0 + MIN_SPLIT)
    assert short.capped
