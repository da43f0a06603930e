"""The real-news development set: its gold facts (in git) and its texts (in a local cache).

``bench/realnews/gold.jsonl`` holds one line of facts per article; the article texts are not ours
and live outside the repository, in ``$IPWIRE_REALNEWS_DIR`` (default ``~/.cache/ipwire/realnews``),
one ``<id>.txt`` each (``URL:``/``TITLE:``/``DATE:``/``LABEL:`` header lines, ``---``, the excerpt).
``bench/realnews/README.md`` documents the schema and how the texts are rebuilt.

This module loads both, validates the gold, and converts a gold line to the dict shape the
fiction-set scorer (:mod:`nlp_scoring`) already understands, so that both sets share one scorer.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.nlp_gold import claim_types
from nlp.types import ENTITY_TYPES, LEGAL_STATUSES, STANCES

GOLD_PATH = Path(__file__).resolve().parent / "realnews" / "gold.jsonl"
SPLITS = ("dev", "test")
SETS = ("core", "stream")
LABELS = ("incident", "negative", "stream")
NEGATIVE_KINDS = ("ai_business", "ip_no_ai", "ai_not_ip", "ai_lawsuit_not_ip")
HEADER_KEYS = ("URL", "TITLE", "DATE", "LABEL")


def cache_dir() -> Path:
    """Where the article texts live: ``$IPWIRE_REALNEWS_DIR`` or ``~/.cache/ipwire/realnews``."""
    env = os.environ.get("IPWIRE_REALNEWS_DIR")
    return Path(env).expanduser() if env else Path.home() / ".cache" / "ipwire" / "realnews"


@dataclass(frozen=True)
class RealText:
    """One cached article text: its header fields and the excerpt."""

    url: str
    title: str
    date: str | None
    label: str
    excerpt: str

    def body(self) -> str:
        """The excerpt without a first line that only repeats the headline.

        Stored excerpts usually open with the headline; the crawler hands the pipeline the
        headline and the body separately, so the evaluation does the same.
        """
        first, _, rest = self.excerpt.partition("\n")
        if rest and _fold(first) == _fold(self.title):
            return rest.lstrip("\n")
        return self.excerpt


def _fold(text: str) -> str:
    return " ".join(text.casefold().split())


def format_text(url: str, title: str, date: str | None, label: str, excerpt: str) -> str:
    """The cache file's content for one article (the inverse of :func:`parse_text`)."""
    head = [f"URL: {url}", f"TITLE: {title}", f"DATE: {date or 'unknown'}", f"LABEL: {label}"]
    return "\n".join([*head, "---", excerpt])


def parse_text(raw: str) -> RealText:
    """Parse a cache file.

    Raises:
        ValueError: when a header line is missing or the ``---`` separator is absent.
    """
    head, sep, excerpt = raw.lstrip("\ufeff").partition("\n---\n")
    if not sep:
        raise ValueError("no '---' line between the header and the excerpt")
    fields: dict[str, str] = {}
    for line in head.splitlines():
        key, colon, value = line.partition(":")
        if colon and key.strip().upper() in HEADER_KEYS:
            fields[key.strip().upper()] = value.strip()
    missing = [k for k in HEADER_KEYS if k not in fields]
    if missing:
        raise ValueError(f"header lacks {', '.join(missing)}")
    date = fields["DATE"] if fields["DATE"].lower() not in ("", "unknown", "none") else None
    return RealText(fields["URL"], fields["TITLE"], date, fields["LABEL"], excerpt)


def load_gold(path: Path = GOLD_PATH) -> list[dict[str, Any]]:
    """Every gold line, in file order (an absent file gives an empty list)."""
    if not path.exists():
        return []
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                out.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path.name} line {n}: {exc}") from exc
    return out


def load_texts(
    gold: Iterable[dict[str, Any]], directory: Path | None = None
) -> tuple[dict[str, RealText], list[str]]:
    """The cached texts of the gold articles: ``({id: text}, [missing ids])``."""
    folder = directory or cache_dir()
    found: dict[str, RealText] = {}
    missing: list[str] = []
    for g in gold:
        path = folder / f"{g['id']}.txt"
        if path.exists():
            found[g["id"]] = parse_text(path.read_text(encoding="utf-8"))
        else:
            missing.append(g["id"])
    return found, missing


def entity_names(g: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Canonical name -> entity record, over required and acceptable entities."""
    ents = g.get("entities") or {}
    out: dict[str, dict[str, Any]] = {}
    for tier in ("required", "acceptable"):
        for e in ents.get(tier) or ():
            if e.get("names"):
                out[e["names"][0]] = {**e, "tier": tier}
    return out


def to_scorer_gold(g: dict[str, Any]) -> dict[str, Any]:
    """A real gold line in the fiction scorer's schema (required entities, claims, roles).

    Acceptable entities and alternative claim types are handled by :mod:`realnews_scoring`;
    quotes carry speakers only (the gold holds no sentences).
    """

    def ent(e: dict[str, Any]) -> dict[str, Any]:
        return {"name": e["names"][0], "type": e.get("type"), "aliases": list(e["names"][1:])}

    ents = g.get("entities") or {}
    return {
        "relevant": bool(g.get("relevant")),
        "entities": [ent(e) for e in ents.get("required") or ()],
        "acceptable": [
            {**ent(e), "alt_types": list(e.get("alt_types") or ())}
            for e in ents.get("acceptable") or ()
        ],
        "claims": [dict(c) for c in g.get("claims") or ()],
        "roles": [dict(r) for r in g.get("roles") or ()],
        "quote_speakers": list(g.get("quote_speakers") or ()),
    }


def validate_line(g: Any) -> list[str]:
    """Problems in one gold line (empty when valid): fields, vocabularies, name references."""
    if not isinstance(g, dict):
        return ["not a JSON object"]
    errs: list[str] = []
    ident = g.get("id", "?")
    for key in ("id", "url", "title", "story"):
        if not isinstance(g.get(key), str) or not g[key].strip():
            errs.append(f"{ident}: {key!r} must be a non-empty string")
    if g.get("split") not in SPLITS:
        errs.append(f"{ident}: split must be one of {SPLITS}")
    if g.get("set") not in SETS:
        errs.append(f"{ident}: set must be one of {SETS}")
    if g.get("label") not in LABELS:
        errs.append(f"{ident}: label must be one of {LABELS}")
    if not isinstance(g.get("relevant"), bool):
        errs.append(f"{ident}: relevant must be a bool")
    if g.get("label") == "negative" and g.get("negative_kind") not in NEGATIVE_KINDS:
        errs.append(f"{ident}: a negative needs negative_kind in {NEGATIVE_KINDS}")
    if g.get("set") == "stream":
        return errs
    names = entity_names(g)
    for e in names.values():
        types = [e.get("type"), *(e.get("alt_types") or ())]
        if any(t not in ENTITY_TYPES for t in types):
            errs.append(f"{ident}: entity {e['names'][0]!r} has a bad type {types}")
    for c in g.get("claims") or ():
        types = [c.get("type"), *(c.get("alt_types") or ())]
        if any(t not in claim_types() for t in types):
            errs.append(f"{ident}: claim with a bad type {types}")
        if c.get("stance") not in STANCES:
            errs.append(f"{ident}: claim {c.get('type')} has a bad stance {c.get('stance')!r}")
        if c.get("legal_status") not in (None, *LEGAL_STATUSES):
            errs.append(f"{ident}: claim {c.get('type')} legal_status {c.get('legal_status')!r}")
        for attr in ("accuser", "accused", "victim"):
            if c.get(attr) is not None and c[attr] not in names:
                errs.append(f"{ident}: claim {c.get('type')}.{attr} {c[attr]!r} is no entity")
    for r in g.get("roles") or ():
        for attr in ("person", "org"):
            if r.get(attr) is not None and r[attr] not in names:
                errs.append(f"{ident}: role {attr} {r[attr]!r} is no entity")
    for s in g.get("quote_speakers") or ():
        if s not in names:
            errs.append(f"{ident}: quote speaker {s!r} is no entity")
    return errs


def validate_corpus(gold: list[dict[str, Any]]) -> list[str]:
    """Line problems plus corpus rules: unique ids and URLs, one split per story."""
    errs = [e for g in gold for e in validate_line(g)]
    seen_ids: set[str] = set()
    seen_urls: set[str] = set()
    story_split: dict[str, str] = {}
    for g in gold:
        if g.get("id") in seen_ids:
            errs.append(f"{g.get('id')}: id used twice")
        seen_ids.add(g.get("id", ""))
        url = str(g.get("url", "")).split("://", 1)[-1].removeprefix("www.").rstrip("/").lower()
        if url in seen_urls:
            errs.append(f"{g.get('id')}: URL used twice")
        seen_urls.add(url)
        story, split = g.get("story"), g.get("split")
        if story in story_split and story_split[story] != split:
            errs.append(f"{g.get('id')}: story {story!r} is in both splits")
        story_split.setdefault(str(story), str(split))
    return errs
