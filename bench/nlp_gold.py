"""The dev-set layout and gold schema: loading articles and validating their gold files.

An article is ``NNN-slug.txt`` (headline on the first line, a blank line, then the body) next to
``NNN-slug.json``, its gold annotation in the ``ipwire extract`` schema. The annotation policy is
``tests/data/nlp_dev/README.md``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from nlp.types import ENTITY_TYPES, LEGAL_STATUSES, STANCES


@cache
def claim_types() -> tuple[str, ...]:
    """The claim types gold may use: those of ``nlp/patterns/claim_types.jsonl``, in order."""
    from nlp.claims.lexicon import load_claim_types  # imports spaCy: only once gold is checked

    return tuple(load_claim_types())


@dataclass(frozen=True)
class DevArticle:
    """One article of a dev (or held-out) set with its gold annotation."""

    name: str
    title: str
    body: str
    gold: dict[str, Any]


def split_article(text: str) -> tuple[str, str]:
    """Split a dev-set text file into (headline, body): the first line, then the rest."""
    title, _, body = text.strip("\ufeff").partition("\n")
    return title.strip(), body.strip("\n")


def load_dev_set(directory: Path) -> list[DevArticle]:
    """Load every ``*.txt`` with its ``.json`` gold from ``directory``, sorted by file name.

    Raises:
        FileNotFoundError: when a text file has no gold file next to it.
    """
    out = []
    for txt in sorted(directory.glob("*.txt")):
        gold_path = txt.with_suffix(".json")
        if not gold_path.exists():
            raise FileNotFoundError(f"{txt.name} has no gold file {gold_path.name}")
        title, body = split_article(txt.read_text(encoding="utf-8"))
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        out.append(DevArticle(txt.stem, title, body, gold))
    return out


def validate_gold(doc: Any) -> list[str]:
    """Check one gold annotation against the dev-set schema and its own consistency rules.

    Args:
        doc: the parsed gold JSON of one article.

    Returns:
        Problems found, empty when the file is valid. Names used in claims, roles and quotes
        must be the ``name`` of a gold entity; types, stances and legal statuses must be known.
    """
    if not isinstance(doc, dict):
        return ["gold is not a JSON object"]
    errs: list[str] = []
    if not isinstance(doc.get("relevant"), bool):
        errs.append("'relevant' must be a bool")
    names: set[str] = set()
    for e in doc.get("entities", None) or []:
        if not isinstance(e.get("name"), str) or not e["name"].strip():
            errs.append(f"entity without a name: {e}")
            continue
        if e.get("type") not in ENTITY_TYPES:
            errs.append(f"entity {e['name']}: bad type {e.get('type')!r}")
        if not isinstance(e.get("aliases", []), list):
            errs.append(f"entity {e['name']}: aliases must be a list")
        if e["name"] in names:
            errs.append(f"entity {e['name']} listed twice")
        names.add(e["name"])
    for key in ("entities", "claims", "roles", "quotes"):
        if not isinstance(doc.get(key), list):
            errs.append(f"{key!r} must be a list")

    def known(where: str, value: Any, required: bool = False) -> None:
        if value is None and not required:
            return
        if value not in names:
            errs.append(f"{where}: {value!r} is not a gold entity name")

    seen: set[tuple[Any, Any]] = set()
    for c in doc.get("claims") or []:
        if c.get("type") not in claim_types():
            errs.append(f"claim: bad type {c.get('type')!r}")
        for attr in ("accuser", "accused", "victim", "speaker"):
            known(f"claim {c.get('type')}.{attr}", c.get(attr))
        if c.get("stance") not in STANCES:
            errs.append(f"claim {c.get('type')}: bad stance {c.get('stance')!r}")
        if c.get("legal_status") is not None and c["legal_status"] not in LEGAL_STATUSES:
            errs.append(f"claim {c.get('type')}: bad legal_status {c['legal_status']!r}")
        pair = (c.get("type"), c.get("accused"))
        if pair in seen:
            errs.append(f"claim {pair} listed twice (one per type and accused)")
        seen.add(pair)
    for r in doc.get("roles") or []:
        known("role.person", r.get("person"), required=True)
        known("role.org", r.get("org"))
        if not r.get("title"):
            errs.append(f"role of {r.get('person')}: empty title")
    for q in doc.get("quotes") or []:
        known("quote.speaker", q.get("speaker"))
        if not isinstance(q.get("text"), str) or not q["text"].strip():
            errs.append("quote with empty text")
        if not isinstance(q.get("direct"), bool):
            errs.append("quote 'direct' must be a bool")
    return errs
