"""Machine-readable outputs: CSV and JSON exports, and the search index as a script file.

The search index is a ``.js`` file that assigns a global, not a ``.json`` fetched at run time:
``fetch()`` of a local file fails under ``file://``, and a script from the site's own folder is
what the Content-Security-Policy allows.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from typing import Any

from reports.env import clean_text, http_url
from reports.site.paths import page_path
from store.readmodels import ClaimView, EntitySummary, IncidentSummary

__all__ = ["claims_rows", "csv_text", "incidents_rows", "json_text", "search_index_js"]

# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> Any:
    if isinstance(value, str):
        value = clean_text(value)
        if value.startswith(_FORMULA_START):
            return "'" + value
    return value


def csv_text(rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> str:
    """CSV with a header; text cells that a spreadsheet would evaluate are defused."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(columns)
    for r in rows:
        w.writerow(
            [_cell("; ".join(v) if isinstance(v, list) else v) for v in (r[c] for c in columns)]
        )
    return buf.getvalue()


def json_text(rows: Sequence[dict[str, Any]]) -> str:
    """Pretty, stable JSON."""
    return json.dumps(list(rows), ensure_ascii=False, indent=1, sort_keys=True) + "\n"


INCIDENT_COLUMNS = (
    "slug",
    "title",
    "status",
    "claim_types",
    "first_seen_at",
    "last_seen_at",
    "article_count",
    "claim_count",
    "mention_count",
    "accusers",
    "accused",
    "page",
)


def incidents_rows(incidents: Iterable[IncidentSummary]) -> list[dict[str, Any]]:
    """One row per incident."""
    return [
        {
            "slug": s.slug,
            "title": s.title,
            "status": s.status,
            "claim_types": list(s.claim_types),
            "first_seen_at": s.first_seen_at.isoformat(),
            "last_seen_at": s.last_seen_at.isoformat(),
            "article_count": s.article_count,
            "claim_count": s.claim_count,
            "mention_count": s.mention_count,
            "accusers": [e.name for e in s.accusers],
            "accused": [e.name for e in s.accused],
            "page": page_path("incident", s.slug),
        }
        for s in incidents
    ]


CLAIM_COLUMNS = (
    "claim_id",
    "type",
    "stance",
    "legal_status",
    "accuser",
    "accused",
    "victim",
    "speaker",
    "sentence",
    "article_title",
    "article_url",
    "outlet",
    "published_at",
)


def claims_rows(claims: Iterable[ClaimView]) -> list[dict[str, Any]]:
    """One row per claim; only http(s) article URLs are exported."""
    return [
        {
            "claim_id": c.id,
            "type": c.type,
            "stance": c.stance,
            "legal_status": c.legal_status,
            "accuser": c.accuser.name if c.accuser else None,
            "accused": c.accused.name if c.accused else None,
            "victim": c.victim.name if c.victim else None,
            "speaker": c.speaker.name if c.speaker else None,
            "sentence": c.sentence,
            "article_title": c.article.title,
            "article_url": http_url(c.article.url) or None,
            "outlet": c.article.outlet,
            "published_at": (c.article.published_at or c.article.fetched_at).isoformat(),
        }
        for c in claims
    ]


def search_index_js(incidents: Iterable[IncidentSummary], entities: Iterable[EntitySummary]) -> str:
    """``window.IPWIRE_SEARCH_INDEX = [...]``: title, URL, kind, extra words, weight."""
    entries: list[dict[str, Any]] = []
    for s in incidents:
        parties = ", ".join(e.name for e in (*s.accusers, *s.accused))
        entries.append(
            {
                "t": clean_text(s.title),
                "u": page_path("incident", s.slug),
                "k": "incident",
                "d": clean_text(parties),
                "a": clean_text(" ".join(s.claim_types)),
                "w": 1,
            }
        )
    for e in entities:
        entries.append(
            {
                "t": clean_text(e.name),
                "u": page_path("entity", e.id),
                "k": e.type.lower(),
                "d": "",
                "a": clean_text(" ".join(e.aliases)),
                "w": 0,
            }
        )
    # Escape <, >, & and the JS line separators: the data stays inert whatever it holds.
    body = json.dumps(entries, ensure_ascii=False, separators=(",", ":"))
    for ch, esc in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        body = body.replace(ch, esc)
    return f"window.IPWIRE_SEARCH_INDEX = {body};\n"
