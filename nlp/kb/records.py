"""Records of the knowledge base: their dataclasses, validation and alias normalisation.

Kept apart from the loader (:mod:`nlp.kb.loader`) so each stays small; import from :mod:`nlp.kb`,
which re-exports everything public here.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from importlib.resources.abc import Traversable
from typing import Any

from nlp.types import ENTITY_TYPES

_ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_WIKIDATA_RE = re.compile(r"^Q[1-9][0-9]*$")
_DATE_RE = re.compile(r"^[12][0-9]{3}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12][0-9]|3[01]))?)?$")
_INITIALISM_RE = re.compile(r"\b(?:[^\W\d_]\.){2,}")
_SEPARATORS_RE = re.compile(r"[\s\-‐‑‒–—_/.·]+")

_ENTITY_KEYS = frozenset(
    {
        "id",
        "name",
        "type",
        "aliases",
        "wikidata",
        "description",
        "roles",
        "parent",
        "country",
        "short_names",
        "case_sensitive",
        "requires_context",
        "context_terms",
    }
)
_ROLE_KEYS = frozenset({"title", "org", "start", "end"})
SHARED_KEYS = frozenset({"alias", "ids", "default", "rule"})


class KbError(ValueError):
    """The KB files are malformed; the message names the file and line."""


@dataclass(frozen=True, slots=True)
class KbRole:
    """A title a person holds (or held) at an organisation.

    ``end`` is ``None`` both when the role is current and when its end is not known to the KB;
    the KB records an end date only when it is sure of it.
    """

    title: str
    org: str
    start: str | None = None
    end: str | None = None


@dataclass(frozen=True, slots=True)
class KbEntity:
    """One entity of the knowledge base.

    Attributes:
        id: Stable slug, the entity's key everywhere (store, reports).
        name: Canonical display name.
        type: One of ``nlp.types.ENTITY_TYPES``.
        aliases: Other full surface forms, each enough on its own to name the entity.
        description: One neutral sentence.
        wikidata: Wikidata item id (``Q…``) when known for certain.
        roles: For people: titles held at KB organisations.
        parent: Id of the owning or containing entity (Google DeepMind → Google).
        country: ISO 3166-1 alpha-2 code of the home country, when it matters.
        short_names: Forms that name the entity only after a full form appeared in the same
            article (a surname, "Stability" for Stability AI). Never matched on their own.
        case_sensitive: Match ``name`` and ``aliases`` only with their exact capitalisation,
            because the lowercase form is an ordinary word ("meta", "apple", "claude").
        requires_context: The subset of ``name``/``aliases`` that is ambiguous in ordinary text
            ("Apple", "Perplexity"); link them only with supporting context (see README).
        context_terms: Lowercase words or phrases that count as supporting context; the pipeline
            tests them as substrings of the lowercased article, so no fragments ("ai" is in
            "said": write " ai " or "artificial intelligence").
        source: ``file:line`` the record came from, for error messages.
    """

    id: str
    name: str
    type: str
    aliases: tuple[str, ...] = ()
    description: str = ""
    wikidata: str | None = None
    roles: tuple[KbRole, ...] = ()
    parent: str | None = None
    country: str | None = None
    short_names: tuple[str, ...] = ()
    case_sensitive: bool = False
    requires_context: tuple[str, ...] = ()
    context_terms: tuple[str, ...] = ()
    source: str = ""

    @property
    def surface_forms(self) -> tuple[str, ...]:
        """The canonical name followed by every alias."""
        return (self.name, *self.aliases)


@dataclass(frozen=True, slots=True)
class SharedAlias:
    """A surface form that deliberately names several entities, and how to choose."""

    alias: str
    ids: tuple[str, ...]
    default: str
    rule: str


def normalize_alias(text: str) -> str:
    """Normalise a surface form for index look-ups.

    Unicode NFKC, casefold, typographic apostrophes made straight, dots dropped from initialisms
    ("U.S." → "us"), other dots, hyphens, slashes and runs of whitespace turned into one space, a
    leading "the " and a trailing possessive dropped. So "The U.S. Copyright Office",
    "US Copyright Office" and "U.S. Copyright Office's" share one key, as do "DeepSeek-R1" and
    "DeepSeek R1". Case is folded here; case-sensitive matching is the pipeline's job, driven by
    :attr:`KbEntity.case_sensitive`.

    Args:
        text: Any surface form.

    Returns:
        The index key (possibly empty).
    """
    s = unicodedata.normalize("NFKC", text).casefold()
    s = s.replace("’", "'").replace("‘", "'").replace("`", "'")
    s = _INITIALISM_RE.sub(lambda m: m.group(0).replace(".", "") + " ", s)
    s = _SEPARATORS_RE.sub(" ", s).strip()
    if s.startswith("the "):
        s = s[4:]
    if s.endswith("'s"):
        s = s[:-2]
    elif s.endswith("s'"):
        s = s[:-1]
    return s.strip()


def iter_json_lines(f: Traversable) -> Iterator[tuple[str, dict[str, Any]]]:
    """Yield (``file:line``, record) for each non-blank, non-comment line of a JSONL file."""
    for lineno, line in enumerate(f.read_text(encoding="utf-8").splitlines(), start=1):
        where = f"{f.name}:{lineno}"
        if not line.strip() or line.lstrip().startswith("//"):
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise KbError(f"{where}: invalid JSON: {exc.msg}") from exc
        if not isinstance(record, dict):
            raise KbError(f"{where}: expected a JSON object")
        yield where, record


def _str_list(record: Mapping[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = record.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise KbError(f"{where}: {key!r} must be a list of non-empty strings")
    if len(set(value)) != len(value):
        raise KbError(f"{where}: {key!r} has duplicates")
    return tuple(value)


def _opt_str(record: Mapping[str, Any], key: str, where: str) -> str | None:
    value = record.get(key)
    if value is not None and (not isinstance(value, str) or not value.strip()):
        raise KbError(f"{where}: {key!r} must be a non-empty string or absent")
    return value


def _parse_roles(record: Mapping[str, Any], where: str) -> tuple[KbRole, ...]:
    raw = record.get("roles", [])
    if not isinstance(raw, list):
        raise KbError(f"{where}: 'roles' must be a list")
    roles = []
    for n, r in enumerate(raw):
        at = f"{where}: roles[{n}]"
        if not isinstance(r, dict) or set(r) - _ROLE_KEYS or not {"title", "org"} <= set(r):
            raise KbError(f"{at}: needs 'title' and 'org', and only {sorted(_ROLE_KEYS)}")
        title, org = _opt_str(r, "title", at), _opt_str(r, "org", at)
        start, end = _opt_str(r, "start", at), _opt_str(r, "end", at)
        for label, date in (("start", start), ("end", end)):
            if date is not None and not _DATE_RE.match(date):
                raise KbError(f"{at}: {label} {date!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
        if start and end and end < start:
            raise KbError(f"{at}: end {end} is before start {start}")
        assert title is not None and org is not None
        roles.append(KbRole(title=title, org=org, start=start, end=end))
    return tuple(roles)


def parse_entity(record: Mapping[str, Any], where: str) -> KbEntity:
    """Validate one JSON record and build its :class:`KbEntity`.

    Args:
        record: The decoded JSON object.
        where: ``file:line`` for error messages.

    Returns:
        The entity.

    Raises:
        KbError: A key is unknown or missing, or a value has the wrong shape.
    """
    unknown = set(record) - _ENTITY_KEYS
    if unknown:
        raise KbError(f"{where}: unknown keys {sorted(unknown)}")
    for key in ("id", "name", "type", "description"):
        if not isinstance(record.get(key), str) or not record[key].strip():
            raise KbError(f"{where}: {key!r} is required and must be a non-empty string")
    eid, name, etype = record["id"], record["name"], record["type"]
    if not _ID_RE.match(eid):
        raise KbError(f"{where}: id {eid!r} is not a slug (lowercase a-z0-9 and single hyphens)")
    if etype not in ENTITY_TYPES:
        raise KbError(f"{where}: type {etype!r} not in {ENTITY_TYPES}")
    wikidata = _opt_str(record, "wikidata", where)
    if wikidata is not None and not _WIKIDATA_RE.match(wikidata):
        raise KbError(f"{where}: wikidata {wikidata!r} is not a Q-id")
    country = _opt_str(record, "country", where)
    if country is not None and not re.fullmatch(r"[A-Z]{2}", country):
        raise KbError(f"{where}: country {country!r} is not an ISO 3166-1 alpha-2 code")
    aliases = _str_list(record, "aliases", where)
    if name in aliases:
        raise KbError(f"{where}: the name {name!r} is repeated in aliases")
    requires_context = _str_list(record, "requires_context", where)
    missing = set(requires_context) - {name, *aliases}
    if missing:
        raise KbError(f"{where}: requires_context {sorted(missing)} are not the name or aliases")
    context_terms = _str_list(record, "context_terms", where)
    if requires_context and not context_terms:
        raise KbError(f"{where}: requires_context needs context_terms, or nothing ever links")
    case_sensitive = record.get("case_sensitive", False)
    if not isinstance(case_sensitive, bool):
        raise KbError(f"{where}: 'case_sensitive' must be true or false")
    roles = _parse_roles(record, where)
    if roles and etype != "PERSON":
        raise KbError(f"{where}: only PERSON entities have roles")
    return KbEntity(
        id=eid,
        name=name,
        type=etype,
        aliases=aliases,
        description=record["description"],
        wikidata=wikidata,
        roles=roles,
        parent=_opt_str(record, "parent", where),
        country=country,
        short_names=_str_list(record, "short_names", where),
        case_sensitive=case_sensitive,
        requires_context=requires_context,
        context_terms=tuple(t.lower() for t in context_terms),
        source=where,
    )
