"""Turn raw metadata strings into clean article fields: title, authors, date, language."""

from __future__ import annotations

import logging
import re
import warnings
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil import parser as date_parser
from dateutil.parser import UnknownTimezoneWarning

from crawler.urls import registrable_domain

logger = logging.getLogger(__name__)

__all__ = ["clean_authors", "clean_language", "clean_title", "pick_published"]

# " | Site", " - Site", " — Site", " :: Site", " · Site", " » Site"
_TITLE_SEPARATOR_RE = re.compile(r"\s+(?:\||-|–|—|::|·|»|•)\s+")
# "By Ann Lee", "Analysis by Ann Lee", "Words by Ann Lee"
# Other languages' "by" only in lower case, so that names such as "Di Maria" survive.
_BY_RE = re.compile(r"^\s*(?:(?:[\w-]+\s+){0,2}?(?:by|By|BY)|von|par|por|di|door)\s+")
_WORD_RE = re.compile(r"\w+")
# Bylines run into their timestamp ("Ann Lee Published 7:07 PM EST", "Ann Lee 1 day ago",
# "Ann Lee Monday, November 18"): names have no digits, so cut there or at these words.
_BYLINE_TAIL_RE = re.compile(
    r"\d|\b(?:published|updated|posted|ago|monday|tuesday|wednesday|thursday|friday|saturday"
    r"|sunday)\b",
    re.I,
)
# A leading label: "Text: Ann Lee", "Author: Ann Lee".
_LABEL_RE = re.compile(r"^\s*[^\W\d]{2,15}:\s+")
_AUTHOR_SPLIT_RE = re.compile(r"\s+(?:and|&|und|et|y|e)\s+|\s*[;|]\s*|\s*,\s+(?=\S+\s+\S+)", re.I)
# Job titles that follow a name in bylines ("Ann Lee, Staff Writer"): not people.
_ROLE_WORDS = frozenset(
    [
        "writer",
        "reporter",
        "correspondent",
        "editor",
        "columnist",
        "contributor",
        "staff",
        "bureau",
        "desk",
        "journalist",
        "producer",
        "analyst",
    ]
)
_LANG_RE = re.compile(r"^([a-zA-Z]{2,3})(?:[-_][a-zA-Z0-9]{1,8})*$")

_EARLIEST = datetime(1990, 1, 1, tzinfo=UTC)

# Zone abbreviations seen in visible timestamps; dateutil knows only UTC/GMT by itself.
# The US names map to their zones so that "CST" in summer still resolves sensibly.
_TZINFOS = {
    "ET": ZoneInfo("America/New_York"),
    "EST": ZoneInfo("America/New_York"),
    "EDT": ZoneInfo("America/New_York"),
    "CT": ZoneInfo("America/Chicago"),
    "CST": ZoneInfo("America/Chicago"),
    "CDT": ZoneInfo("America/Chicago"),
    "MT": ZoneInfo("America/Denver"),
    "MST": ZoneInfo("America/Denver"),
    "MDT": ZoneInfo("America/Denver"),
    "PT": ZoneInfo("America/Los_Angeles"),
    "PST": ZoneInfo("America/Los_Angeles"),
    "PDT": ZoneInfo("America/Los_Angeles"),
    "BST": ZoneInfo("Europe/London"),
    "CET": ZoneInfo("Europe/Paris"),
    "CEST": ZoneInfo("Europe/Paris"),
    "JST": ZoneInfo("Asia/Tokyo"),
    "AEST": ZoneInfo("Australia/Sydney"),
    "AEDT": ZoneInfo("Australia/Sydney"),
}
# Words and separators around visible timestamps ("Posted 11/18/2026 3:40 PM CST",
# "Tuesday, November 17, 2026 — 8:45 AM EST", "12 Nov 2026 · 09:30 UTC").
_STAMP_NOISE_RE = re.compile(
    r"\b(?:posted|published|updated|on|at|le|am\s+um)\b(?!\s*[ap]\.?m\b)|[·|—–•]",
    re.I,
)
_MERIDIEM_RE = re.compile(r"\b([ap])\.m\.", re.I)


def _key(text: str) -> str:
    return re.sub(r"\W+", "", text).casefold()


def _strip_site(title: str, site_keys: set[str]) -> str:
    parts = _TITLE_SEPARATOR_RE.split(title)
    if len(parts) < 2:
        return title
    if _key(parts[-1]) in site_keys or any(k and k in _key(parts[-1]) for k in site_keys):
        return " - ".join(parts[:-1]) if len(parts) > 2 else parts[0]
    if _key(parts[0]) in site_keys:
        return " - ".join(parts[1:]) if len(parts) > 2 else parts[1]
    return title


def clean_title(
    headline: str, og_title: str, h1: str, html_title: str, site_name: str, url: str
) -> str:
    """Choose the article title and drop a trailing or leading site name.

    Preference: JSON-LD headline, OpenGraph/Twitter title, the ``<h1>``, the ``<title>``.
    ``"Zorvex sues Quill Labs | The Daily Ledger"`` becomes ``"Zorvex sues Quill Labs"`` when
    the suffix names the site (``og:site_name`` or the domain), or when the ``<h1>`` equals the
    part before the separator.

    Args:
        headline: JSON-LD headline.
        og_title: ``og:title`` or ``twitter:title``.
        h1: Text of the first ``<h1>``.
        html_title: Text of ``<title>``.
        site_name: The site's name, if known.
        url: The page URL (its domain also counts as a site name).

    Returns:
        The cleaned title, or ``""``.
    """
    domain = registrable_domain(url) if url else ""
    site_keys = {k for k in (_key(site_name), _key(domain), _key(domain.split(".")[0])) if k}
    for candidate in (headline, og_title, h1, html_title):
        if not candidate or _key(candidate) in site_keys:
            continue  # some sites put their own name in og:title or the headline
        title = _strip_site(candidate, site_keys)
        if title == candidate and h1 and candidate != h1:
            parts = _TITLE_SEPARATOR_RE.split(candidate)
            if len(parts) > 1 and _key(" ".join(parts[:-1])) == _key(h1):
                title = h1
        if title.strip():
            return title.strip()
    return ""


def clean_authors(raw: list[str], site_name: str = "") -> tuple[str, ...]:
    """Normalise author names: drop "By", split "A and B", de-duplicate, drop URLs.

    Job titles after a name ("Ann Lee, Staff Writer") and the outlet's own name ("Ann Lee;
    CNN Business" on CNN) are dropped when a person is named too.

    Args:
        raw: Author strings as declared.
        site_name: The outlet's name.

    Returns:
        Distinct names in order of appearance (at most 20).
    """
    names: list[str] = []
    seen: set[str] = set()
    site_words = set(_WORD_RE.findall(site_name.casefold())) - {"the"}
    for entry in raw:
        if "://" not in entry:
            entry = _BYLINE_TAIL_RE.split(_LABEL_RE.sub("", entry), maxsplit=1)[0]
        for part in _AUTHOR_SPLIT_RE.split(_BY_RE.sub("", entry)):
            name = _BY_RE.sub("", " ".join(part.split())).strip(" ,.-:")
            if not name or len(name) > 100 or "://" in name or "@" in name:
                continue
            words = set(_WORD_RE.findall(name.casefold()))
            if names and words & _ROLE_WORDS:
                continue  # a job title after a name, not another author
            if names and site_words and (site_words <= words or words <= site_words):
                continue  # the outlet ("CNN Business" on CNN), not a person
            if names and all(len(w) <= 4 and w.isupper() for w in _WORD_RE.findall(name)):
                continue  # credentials or an agency code after a name ("MS, RDN", "AP")
            key = name.casefold()
            if key not in seen:
                seen.add(key)
                names.append(name)
    return tuple(names[:20])


def clean_language(*candidates: str) -> str:
    """Return the primary language subtag (``"en"`` for ``"en-GB"``/``"en_US"``) or ``""``.

    Args:
        *candidates: Language tags, best first (``<html lang>``, ``og:locale`` …).

    Returns:
        A lower-case ISO 639 code, or ``""`` when none is valid.
    """
    for candidate in candidates:
        match = _LANG_RE.match((candidate or "").strip())
        if match:
            return match.group(1).lower()
    return ""


def parse_datetime(value: str) -> datetime | None:
    """Parse a declared timestamp to an aware datetime (in the offset it declares).

    Naive values are taken as UTC (the only zone a page can mean without saying). Values outside
    1990 … tomorrow are rejected as placeholders or typos.

    Args:
        value: ISO 8601 or another common date format.

    Returns:
        The aware datetime (UTC when the value names no zone), or None.
    """
    value = value.strip()
    if not value or len(value) > 64 or not re.search(r"\d{4}", value):
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        cleaned = _MERIDIEM_RE.sub(r"\1m", _STAMP_NOISE_RE.sub(" ", value))
        try:
            with warnings.catch_warnings():
                # Unknown zone names make dateutil warn and return a naive value, which is
                # then read as UTC like any other naive timestamp.
                warnings.simplefilter("ignore", UnknownTimezoneWarning)
                parsed = date_parser.parse(cleaned, fuzzy=False, tzinfos=_TZINFOS)
        except (ValueError, OverflowError, TypeError):
            return None
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        parsed = parsed.replace(tzinfo=UTC)
    try:
        parsed.astimezone(UTC)
    except (OverflowError, ValueError):
        return None
    if not _EARLIEST <= parsed <= datetime.now(UTC) + timedelta(days=1):
        return None
    return parsed


def _htmldate_day(html_text: str, url: str, *, extensive: bool = True) -> date | None:
    try:
        from htmldate import find_date

        # The page as text, not our parsed tree: htmldate's own parse of the string found the
        # right date on more pages of bench/metadata_bench.py (0.913 against 0.903).
        found = find_date(
            html_text, url=url or None, original_date=True, extensive_search=extensive
        )
    except Exception:
        logger.debug("htmldate failed on %s", url, exc_info=True)
        return None
    parsed = parse_datetime(found) if found else None
    return parsed.date() if parsed else None


def pick_published(candidates: list[str], html_text: str | None, url: str) -> datetime | None:
    """Choose the publication time from the declared timestamps and htmldate's date.

    The first declared timestamp that parses is the answer when htmldate finds no date, the
    same day, or a day far from it (htmldate then took another date on the page: a related
    story, a copyright line). When the two are one day apart, the declared value is most often
    a UTC timestamp of a story published in the evening of the page's own day, which htmldate
    reads from the page: its day wins (at 00:00 UTC). Measured in ``bench/metadata_bench.py``.

    Args:
        candidates: Declared timestamps, best first.
        html_text: The page as text for htmldate, or None to skip it.
        url: The page URL (dates in paths are evidence too).

    Returns:
        An aware datetime in the offset the page declared (UTC when it declared none), or None.
    """
    declared = next(filter(None, (parse_datetime(c) for c in candidates)), None)
    day = _htmldate_day(html_text, url) if html_text else None
    if html_text and declared is None and day is not None and (day.month, day.day) == (1, 1):
        # htmldate's extensive search falls back to a bare year in the text ("in 2019" gives
        # 2019-01-01): only a date the page's markup states counts, else the page keeps none
        # (the fetch time stands in) rather than a guess from a year its story mentions.
        day = _htmldate_day(html_text, url, extensive=False)
    if day is None:
        return declared
    if declared is None or abs((declared.date() - day).days) == 1:
        return datetime.combine(day, time(), UTC)
    return declared
