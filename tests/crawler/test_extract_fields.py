"""Cleaning of declared metadata (crawler/extract/fields.py, crawler/extract/metadata.py)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from lxml import html as lxml_html

from crawler.extract.fields import clean_authors, clean_language, clean_title, parse_datetime
from crawler.extract.metadata import read_metadata


@pytest.mark.parametrize(
    ("candidates", "site", "expected"),
    [
        (
            ("", "Zorvex sues Quill | Harbor Tech Review", "", ""),
            "Harbor Tech Review",
            "Zorvex sues Quill",
        ),
        (
            ("", "", "", "Harbor Tech Review - Zorvex sues Quill"),
            "Harbor Tech Review",
            "Zorvex sues Quill",
        ),
        (("", "", "Zorvex sues Quill", "Zorvex sues Quill · HTR"), "", "Zorvex sues Quill"),
        (("", "", "", "Zorvex sues Quill – harbor-review.example"), "", "Zorvex sues Quill"),
        (
            ("Harbor Tech Review", "Zorvex sues Quill", "", ""),
            "Harbor Tech Review",
            "Zorvex sues Quill",
        ),
        (("Fight - or flight?", "", "", ""), "Ledger", "Fight - or flight?"),
        (("", "", "", ""), "Ledger", ""),
    ],
)
def test_clean_title(candidates: tuple[str, str, str, str], site: str, expected: str) -> None:
    headline, og_title, h1, html_title = candidates
    url = "https://harbor-review.example/a"
    assert clean_title(headline, og_title, h1, html_title, site, url) == expected


@pytest.mark.parametrize(
    ("raw", "site", "expected"),
    [
        (["By Dana Okafor and Luis Brandt"], "", ("Dana Okafor", "Luis Brandt")),
        (["Dana Okafor", "dana okafor", "https://x.example/dana"], "", ("Dana Okafor",)),
        (["Idris Mwangi, Staff Writer"], "", ("Idris Mwangi",)),
        (["Analysis by Renata Castell, Ledger Editor-at-large"], "", ("Renata Castell",)),
        (["Odile Ferrand; Meridian Ledger Business"], "The Meridian Ledger", ("Odile Ferrand",)),
        (["Castell, Renata"], "", ("Castell, Renata",)),
        (["Angel Di Maria"], "", ("Angel Di Maria",)),
        (["", "  "], "", ()),
        (["Ann Lee Published 7:07 PM EST Nov 19, 2026"], "", ("Ann Lee",)),
        (["Bo Chen Monday, November 16, 2026", "Bo Chen 1 day ago"], "", ("Bo Chen",)),
        (["Text: Cy Diaz"], "", ("Cy Diaz",)),
        (["Dee Ellis, MS, RDN"], "", ("Dee Ellis",)),
        (["Eve Fox", "Harbor Review"], "Harbor Review Europe", ("Eve Fox",)),
    ],
)
def test_clean_authors(raw: list[str], site: str, expected: tuple[str, ...]) -> None:
    assert clean_authors(raw, site) == expected


def test_clean_language() -> None:
    assert clean_language("en-GB") == "en"
    assert clean_language("pt_BR") == "pt"
    assert clean_language("", "FR") == "fr"
    assert clean_language("zz-!!", "not a tag", "") == ""


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-03-03T09:15:00+02:00", datetime(2026, 3, 3, 7, 15, tzinfo=UTC)),
        ("2026-03-04T17:30:00Z", datetime(2026, 3, 4, 17, 30, tzinfo=UTC)),
        ("2026-03-04", datetime(2026, 3, 4, tzinfo=UTC)),
        ("March 4, 2026 5:30 PM", datetime(2026, 3, 4, 17, 30, tzinfo=UTC)),
        ("Wed, 04 Mar 2026 12:00:00 -0500", datetime(2026, 3, 4, 17, 0, tzinfo=UTC)),
        ("1970-01-01T00:00:00Z", None),  # placeholder epoch
        ("2999-01-01", None),  # in the future
        ("yesterday", None),
        ("", None),
    ],
)
def test_parse_datetime(value: str, expected: datetime | None) -> None:
    assert parse_datetime(value) == expected


def test_jsonld_tolerates_comments_trailing_commas_and_author_shapes() -> None:
    doc = lxml_html.fromstring(
        """<html lang="de"><head>
        <script type="application/ld+json"><!--
        {"@context": "https://schema.org", "@type": ["ReportageNewsArticle"],
         "headline": "Zorvex &amp; Quill: a timeline",
         "datePublished": "2026-03-05T08:00:00+01:00",
         "author": "Renata Castell",
         "publisher": {"@type": "Organization", "name": "The Meridian Ledger"},
         "articleBody": "<p>First.</p>",}
        --></script>
        <meta property="og:title" content="ignored, JSON-LD headline wins">
        </head><body></body></html>"""
    )
    meta = read_metadata(doc)
    assert meta.headline == "Zorvex & Quill: a timeline"
    assert meta.published[0] == "2026-03-05T08:00:00+01:00"
    assert meta.authors == ["Renata Castell"]
    assert meta.site_name == "The Meridian Ledger"
    assert meta.language == "de"
    assert meta.article_body == "<p>First.</p>"


def test_jsonld_author_list_of_objects_and_strings() -> None:
    doc = lxml_html.fromstring(
        """<html><head><script type="application/ld+json">
        [{"@type": "BreadcrumbList", "name": "Tech"},
         {"@type": "NewsArticle", "headline": "H",
          "author": [{"@type": "Person", "name": "Ann Lee"}, "Bo Chen", {"name": ["Cy Diaz"]}]}]
        </script></head><body></body></html>"""
    )
    assert read_metadata(doc).authors == ["Ann Lee", "Bo Chen", "Cy Diaz"]


def test_visible_bylines_and_timestamps() -> None:
    from crawler.extract.bylines import byline_authors, credit_line_authors, published_times

    doc = lxml_html.fromstring(
        """<html><body>
        <div class="masthead-date">Saturday, November 28, 2026</div>
        <h1>Zorvex files motion to dismiss</h1>
        <div class="story-byline">By Idris Mwangi | Pacific Wire Service</div>
        <div class="story-dates">Posted <time class="posted" datetime="2026-11-06T08:02:00-06:00">
        11/06/2026 8:02 AM CST</time> · Updated <time class="updated"
        datetime="2026-11-07T10:00:00-06:00">11/07/2026</time></div>
        <div class="timestamp">November 6, 2026 2:02 PM GMT</div>
        <div class="author-bio">Idris Mwangi covers courts and technology for the Courier.</div>
        </body></html>"""
    )
    stamps = published_times(doc)
    assert stamps[0] == "2026-11-06T08:02:00-06:00"  # marked <time> elements come first
    assert "November 6, 2026 2:02 PM GMT" in stamps  # visible stamp with a clock time
    assert "2026-11-07T10:00:00-06:00" not in stamps  # "updated" is not publication
    assert not any("November 28" in stamp for stamp in stamps)  # masthead: no clock time
    assert byline_authors(doc) == ["By Idris Mwangi "]
    assert clean_authors(byline_authors(doc)) == ("Idris Mwangi",)
    text = "Body.\n(Reporting by Ama Boateng and Li Wen; Editing by Tom Okafor)"
    assert clean_authors(credit_line_authors(text)) == ("Ama Boateng", "Li Wen")
    assert credit_line_authors("No credit line here.") == []


def test_rel_author_links_and_jsonld_person_references() -> None:
    doc = lxml_html.fromstring(
        """<html><head><script type="application/ld+json">
        {"@graph": [{"@type": "Article", "headline": "H", "author": [{"@id": "#p1"}]},
                    {"@type": "Person", "@id": "#p1", "name": "Grant Ellison"}]}
        </script></head><body><a rel="author" href="/a/x">Someone Else</a></body></html>"""
    )
    assert read_metadata(doc).authors == ["Grant Ellison"]  # JSON-LD wins over the markup
    doc = lxml_html.fromstring(
        '<p>By <a rel="author" href="/a">Ann Lee</a> and <a rel="author" href="/b">Bo Chen</a></p>'
    )
    assert read_metadata(doc).authors == ["Ann Lee", "Bo Chen"]
