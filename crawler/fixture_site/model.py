"""Outlets and articles of the fixture site, loaded from ``content/*.toml``.

Each article is written once in TOML (plain paragraphs, ``## `` subheadings, ``> `` pull quotes);
syndicated near-copies say ``copy_of`` plus a few textual edits instead of repeating the story.
Outlet-specific presentation (date styles, byline placement, JSON-LD) is decided here and in the
templates, so the same facts come out in five recognisably different page shapes.
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from markupsafe import escape

_TZ_ABBR = {"America/New_York": "ET", "America/Chicago": "CT", "UTC": "UTC"}


@dataclass
class Outlet:
    """A fictional news outlet (one path prefix of the site)."""

    key: str
    name: str
    prefix: str
    tz: str
    article_path: str
    date_style: str
    tagline: str = ""
    discovery: list[dict[str, Any]] = field(default_factory=list)

    @property
    def home(self) -> str:
        """Absolute (templated) URL of the outlet's front page."""
        return "{BASE}" + self.prefix + "/"


@dataclass
class Paragraph:
    """One block of body text: ``p``, ``h2`` or ``quote``."""

    kind: str
    text: str


@dataclass
class Article:
    """One article as written in the content files, plus everything derived from it."""

    slug: str
    outlet: str
    title: str
    published: datetime
    authors: list[str]
    body: str
    key: str
    section: str = "Technology"
    dek: str = ""
    updated: datetime | None = None
    incidents: list[str] = field(default_factory=list)
    claims: list[str] = field(default_factory=list)
    accusers: list[str] = field(default_factory=list)
    accused: list[str] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)
    copy_of: str = ""
    replace: list[list[str]] = field(default_factory=list)
    prepend: str = ""
    append: str = ""
    fault: str = ""
    editor: str = ""
    credit: str = ""
    dateline: str = ""
    path: str = ""
    near_duplicate_of: str | None = None
    ordinal: int = 0

    @property
    def url(self) -> str:
        """Absolute (templated) URL."""
        return "{BASE}" + self.path

    @property
    def published_iso(self) -> str:
        """Publication time, ISO 8601 in the outlet's own offset."""
        return self.published.isoformat()

    @property
    def paragraphs(self) -> list[Paragraph]:
        """Body blocks in order."""
        out = []
        for block in self.body.strip().split("\n\n"):
            text = " ".join(line.strip() for line in block.strip().splitlines())
            if text.startswith("## "):
                out.append(Paragraph("h2", text[3:]))
            elif text.startswith("> "):
                out.append(Paragraph("quote", text[2:]))
            else:
                out.append(Paragraph("p", text))
        return out

    @property
    def plain_text(self) -> str:
        """The body as plain text, one block per line."""
        return "\n".join(p.text for p in self.paragraphs)

    def date_display(self, style: str, when: datetime | None = None) -> str:
        """The publication (or ``when``) time written the way the outlet writes dates."""
        t = when or self.published
        hour12 = t.hour % 12 or 12
        abbr = t.strftime("%Z") if style in {"policy", "courier"} else ""
        if style == "herald":
            month = t.strftime("%b") + ("." if t.month not in {5, 6, 7} else "")
            ampm = "a.m." if t.hour < 12 else "p.m."
            return f"{month} {t.day}, {t.year}, {hour12}:{t.minute:02d} {ampm} ET"
        if style == "techledger":
            return t.strftime("%d %b %Y · %H:%M UTC")
        if style == "wire":
            clock = f"{hour12}:{t.minute:02d} {t.strftime('%p')}"
            return f"{t.strftime('%B')} {t.day}, {t.year} {clock} GMT"
        if style == "policy":
            return (
                f"{t.strftime('%A, %B')} {t.day}, {t.year} — {hour12}:{t.minute:02d} "
                f"{t.strftime('%p')} {abbr}"
            )
        if style == "courier":
            return f"{t.strftime('%m/%d/%Y')} {hour12}:{t.minute:02d} {t.strftime('%p')} {abbr}"
        raise ValueError(f"unknown date style {style!r}")

    def jsonld(self, outlet: Outlet) -> str:
        """The JSON-LD block the outlet embeds ('' for outlets that embed none)."""
        authors = [{"@type": "Person", "name": n} for n in self.authors]
        if outlet.key == "herald":
            doc: dict[str, Any] = {
                "@context": "https://schema.org",
                "@type": "NewsArticle",
                "headline": self.title,
                "description": self.dek,
                "datePublished": self.published_iso,
                "dateModified": (self.updated or self.published).isoformat(),
                "author": authors,
                "articleSection": self.section,
                "mainEntityOfPage": self.url,
                "publisher": {"@type": "Organization", "name": outlet.name},
                "articleBody": self.plain_text,
                "isAccessibleForFree": False,
            }
        elif outlet.key == "policy":
            doc = {
                "@context": "https://schema.org",
                "@graph": [
                    {"@type": "WebPage", "@id": self.url, "url": self.url, "name": self.title},
                    {
                        "@type": "Article",
                        "@id": self.url + "#article",
                        "isPartOf": {"@id": self.url},
                        "headline": self.title,
                        "datePublished": self.published_iso,
                        "author": [
                            {"@id": "{BASE}/policy/staff/#" + _slug(n)} for n in self.authors
                        ],
                        "publisher": {"@type": "Organization", "name": outlet.name},
                    },
                    *(
                        {"@type": "Person", "@id": "{BASE}/policy/staff/#" + _slug(n), "name": n}
                        for n in self.authors
                    ),
                ],
            }
        else:
            return ""
        # "</" must not close the script element early; JSON allows escaping the slash.
        return json.dumps(doc, ensure_ascii=False, indent=1).replace("</", "<\\/")

    def pick_comments(self, pool: list[dict[str, str]]) -> list[dict[str, str]]:
        """Two or three reader comments chosen deterministically from the shared pool."""
        if not pool:
            return []
        h = int(hashlib.sha1(self.slug.encode(), usedforsecurity=False).hexdigest(), 16)
        count = 2 + h % 2
        return [pool[(h // 7 + i * 5) % len(pool)] for i in range(count)]

    def truth(self) -> dict[str, Any]:
        """The ground-truth record for this article."""
        return {
            "outlet": self.outlet,
            "title": self.title,
            "published_at": self.published_iso,
            "updated_at": self.updated.isoformat() if self.updated else None,
            "authors": self.authors,
            "key_sentence": self.key,
            "is_incident": bool(self.incidents),
            "incident_ids": self.incidents,
            "near_duplicate_of": self.near_duplicate_of,
            "claim_types": self.claims,
            "accusers": self.accusers,
            "accused": self.accused,
            "statuses": self.statuses,
            "fault": self.fault or None,
        }


def _slug(name: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in name.lower()).strip("-")


def load_outlets(path: Path) -> dict[str, Outlet]:
    """Read ``outlets.toml``."""
    doc = tomllib.loads(path.read_text(encoding="utf-8"))
    return {o["key"]: Outlet(**o) for o in doc["outlet"]}


def load_articles(files: list[Path], outlets: dict[str, Outlet]) -> list[Article]:
    """Read every article file, assign URL paths, and validate what can be validated early."""
    articles: list[Article] = []
    for file in files:
        for raw in tomllib.loads(file.read_text(encoding="utf-8"))["article"]:
            outlet = outlets.get(raw["outlet"])
            if outlet is None:
                raise ValueError(f"{file.name}: unknown outlet {raw['outlet']!r}")
            tz = ZoneInfo(outlet.tz)
            raw["published"] = datetime.fromisoformat(raw["published"]).replace(tzinfo=tz)
            if "updated" in raw:
                raw["updated"] = datetime.fromisoformat(raw["updated"]).replace(tzinfo=tz)
            raw.setdefault("body", "")
            articles.append(Article(**raw))
    articles.sort(key=lambda a: (a.published, a.slug))
    seen: set[str] = set()
    counters: dict[str, int] = {}
    for a in articles:
        if a.slug in seen:
            raise ValueError(f"duplicate slug {a.slug}")
        seen.add(a.slug)
        counters[a.outlet] = counters.get(a.outlet, 0) + 1
        a.ordinal = counters[a.outlet]
        p = a.published
        a.path = outlets[a.outlet].article_path.format(
            yyyy=p.year,
            mm=f"{p.month:02d}",
            dd=f"{p.day:02d}",
            slug=a.slug,
            num=f"{p:%Y%m%d}{a.ordinal:02d}",
        )
    return articles


def apply_copy(article: Article, by_slug: dict[str, Article]) -> None:
    """Fill a syndicated copy's body from its original, applying the edits; check the key."""
    if article.copy_of:
        original = by_slug[article.copy_of]
        if original.copy_of:
            raise ValueError(f"{article.slug}: copy of a copy")
        body = original.body
        for old, new in article.replace:
            if old not in body:
                raise ValueError(f"{article.slug}: replace target not found: {old!r}")
            body = body.replace(old, new)
        parts = [article.prepend.strip(), body.strip(), article.append.strip()]
        article.body = "\n\n".join(p for p in parts if p)
        article.near_duplicate_of = original.path
    if article.key not in article.plain_text:
        raise ValueError(f"{article.slug}: key sentence not in body: {article.key!r}")


def article_bytes(article: Article, html: str) -> bytes:
    """Encode a rendered page, applying the article's deliberate encoding fault if any.

    * ``wrong_charset``: the page says UTF-8 (header and meta) but the bytes are windows-1252.
    * ``invalid_utf8``: UTF-8 with a few invalid byte sequences inside the last paragraph.
    * ``truncated``: the page stops mid-element a little after the key sentence.
    """
    if article.fault == "wrong_charset":
        return html.encode("cp1252")
    data = html.encode("utf-8")
    if article.fault == "invalid_utf8":
        last = str(escape(article.paragraphs[-1].text)).encode("utf-8")
        pos = data.index(last) + last.index(b" ", len(last) // 2)
        return data[:pos] + b" \xff\xfe\xc3\x28" + data[pos:]
    if article.fault == "truncated":
        key = str(escape(article.key)).encode("utf-8")
        end = data.index(key) + len(key)
        cut = data.index(b"<p", end + 1)
        return data[: cut + 40]
    return data
