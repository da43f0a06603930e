"""The knowledge base of real entities that AI intellectual-property news names.

The data lives in ``nlp/kb/`` as JSONL, one entity a line, split by file so that a diff stays
reviewable (``orgs_ai_labs.jsonl``, ``people.jsonl`` …); ``nlp/kb/README.md`` documents the schema.
Alongside it are ``stoplist.txt`` (words that are never entities) and ``shared_aliases.jsonl``
(surface forms that deliberately name more than one entity, each with its default and rule).

The files are read through :mod:`importlib.resources`, so the KB loads the same from a checkout,
an editable install or a wheel. Loading validates every record and fails with ``file:line`` in the
message: a broken KB must stop the pipeline, not silently link nothing.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from nlp.types import ENTITY_TYPES

logger = logging.getLogger(__name__)

STOPLIST_FILE = "stoplist.txt"
SHARED_ALIASES_FILE = "shared_aliases.jsonl"

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
_SHARED_KEYS = frozenset({"alias", "ids", "default", "rule"})


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
        context_terms: Lowercase words or phrases that count as supporting context.
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


@dataclass(frozen=True, slots=True)
class KnowledgeBase:
    """The loaded, validated KB. Treat it as read-only: :func:`load_kb` caches and shares it.

    Attributes:
        entities: Entity id → entity, in file order.
        alias_index: :func:`normalize_alias` of every name and alias → ids that carry it
            (more than one id only for forms listed in ``shared_aliases``).
        short_name_index: Normalised short name → ids (may be shared: "Amodei").
        shared_aliases: Normalised alias → its disambiguation rule.
        stoplist: Normalised words that are never entities.
        version: Short content hash, see :func:`kb_version`.
    """

    entities: dict[str, KbEntity]
    alias_index: dict[str, tuple[str, ...]]
    short_name_index: dict[str, tuple[str, ...]]
    shared_aliases: dict[str, SharedAlias]
    stoplist: frozenset[str]
    version: str

    def lookup(self, text: str) -> tuple[KbEntity, ...]:
        """Return the entities whose name or alias normalises like ``text`` (may be empty)."""
        return tuple(self.entities[i] for i in self.alias_index.get(normalize_alias(text), ()))

    def is_stopword(self, text: str) -> bool:
        """Whether ``text`` is on the stop-list (compared after normalisation)."""
        return normalize_alias(text) in self.stoplist


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


def _kb_dir() -> Traversable:
    return resources.files("nlp") / "kb"


def _as_traversable(path: Path | None) -> Traversable:
    return _kb_dir() if path is None else path


def _data_files(root: Traversable) -> list[Traversable]:
    """The entity files: every ``*.jsonl`` except the shared-alias table, sorted by name."""
    files = [
        f
        for f in root.iterdir()
        if f.is_file() and f.name.endswith(".jsonl") and f.name != SHARED_ALIASES_FILE
    ]
    if not files:
        raise KbError(f"no *.jsonl entity files in {root}")
    return sorted(files, key=lambda f: f.name)


def _iter_json_lines(f: Traversable) -> Iterator[tuple[str, dict[str, Any]]]:
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
        context_terms=tuple(t.lower() for t in _str_list(record, "context_terms", where)),
        source=where,
    )


def _read_stoplist(root: Traversable) -> frozenset[str]:
    f = root / STOPLIST_FILE
    if not f.is_file():
        raise KbError(f"{STOPLIST_FILE} missing from {root}")
    words = set()
    for line in f.read_text(encoding="utf-8").splitlines():
        word = line.split("#", 1)[0].strip()
        if word:
            words.add(normalize_alias(word))
    return frozenset(words)


def _read_shared(root: Traversable) -> list[tuple[str, SharedAlias]]:
    f = root / SHARED_ALIASES_FILE
    if not f.is_file():
        return []
    out = []
    for where, rec in _iter_json_lines(f):
        if set(rec) != _SHARED_KEYS:
            raise KbError(f"{where}: a shared alias has exactly the keys {sorted(_SHARED_KEYS)}")
        ids = rec["ids"]
        if not isinstance(ids, list) or len(ids) < 2 or not all(isinstance(i, str) for i in ids):
            raise KbError(f"{where}: 'ids' must list at least two entity ids")
        if rec["default"] not in ids:
            raise KbError(f"{where}: default {rec['default']!r} is not one of ids")
        if not isinstance(rec["rule"], str) or not rec["rule"].strip():
            raise KbError(f"{where}: 'rule' must say how to choose")
        shared = SharedAlias(rec["alias"], tuple(ids), rec["default"], rec["rule"])
        out.append((where, shared))
    return out


def _read_entities(root: Traversable) -> dict[str, KbEntity]:
    entities: dict[str, KbEntity] = {}
    for f in _data_files(root):
        for where, record in _iter_json_lines(f):
            entity = parse_entity(record, where)
            if entity.id in entities:
                first = entities[entity.id].source
                raise KbError(f"{where}: duplicate id {entity.id!r} (first at {first})")
            entities[entity.id] = entity
    _check_references(entities)
    return entities


def _index(entities: Mapping[str, KbEntity], short: bool) -> dict[str, tuple[str, ...]]:
    """Normalised surface form (or short name) → ids, in entity order."""
    lists: dict[str, list[str]] = {}
    for e in entities.values():
        for form in e.short_names if short else e.surface_forms:
            key = normalize_alias(form)
            if not key:
                raise KbError(f"{e.source}: {form!r} normalises to nothing")
            ids = lists.setdefault(key, [])
            if e.id not in ids:
                ids.append(e.id)
    return {k: tuple(v) for k, v in lists.items()}


def _check_shared(
    root: Traversable, entities: Mapping[str, KbEntity], alias_index: Mapping[str, tuple[str, ...]]
) -> dict[str, SharedAlias]:
    """Every alias carried by several entities must be declared, and every declaration true."""
    shared: dict[str, SharedAlias] = {}
    for where, s in _read_shared(root):
        key = normalize_alias(s.alias)
        actual = set(alias_index.get(key, ()))
        if actual != set(s.ids):
            raise KbError(f"{where}: {s.alias!r} is carried by {sorted(actual)}, not {s.ids}")
        shared[key] = s
    for key, ids in alias_index.items():
        if len(ids) > 1 and key not in shared:
            where = ", ".join(f"{i} ({entities[i].source})" for i in ids)
            raise KbError(
                f"alias {key!r} is carried by {where}: make it unique or declare it, with its "
                f"rule, in {SHARED_ALIASES_FILE}"
            )
    return shared


def _build(root: Traversable) -> KnowledgeBase:
    entities = _read_entities(root)
    alias_index = _index(entities, short=False)
    shared = _check_shared(root, entities, alias_index)
    stoplist = _read_stoplist(root)
    for key, ids in alias_index.items():
        if key in stoplist:
            raise KbError(
                f"{entities[ids[0]].source}: alias {key!r} is on {STOPLIST_FILE}; "
                "remove one or the other"
            )
    return KnowledgeBase(
        entities=entities,
        alias_index=alias_index,
        short_name_index=_index(entities, short=True),
        shared_aliases=shared,
        stoplist=stoplist,
        version=_content_hash(root),
    )


def _check_references(entities: Mapping[str, KbEntity]) -> None:
    for e in entities.values():
        if e.parent is not None:
            if e.parent not in entities:
                raise KbError(f"{e.source}: parent {e.parent!r} is not a KB id")
            if e.parent == e.id:
                raise KbError(f"{e.source}: an entity cannot be its own parent")
        for role in e.roles:
            if role.org not in entities:
                raise KbError(f"{e.source}: role org {role.org!r} is not a KB id")
            if entities[role.org].type not in {"ORG", "GOV", "MEDIA", "GPE"}:
                raise KbError(f"{e.source}: role org {role.org!r} is not an organisation")


def _content_hash(root: Traversable) -> str:
    digest = hashlib.sha256()
    names = sorted(f.name for f in root.iterdir() if f.is_file())
    for name in names:
        if name.endswith(".jsonl") or name == STOPLIST_FILE:
            digest.update(name.encode())
            digest.update(b"\0")
            digest.update((root / name).read_bytes())
            digest.update(b"\0")
    return digest.hexdigest()[:12]


@functools.lru_cache(maxsize=8)
def _load_cached(path: Path | None) -> KnowledgeBase:
    kb = _build(_as_traversable(path))
    logger.debug("loaded KB %s: %d entities", kb.version, len(kb.entities))
    return kb


def load_kb(path: Path | None = None) -> KnowledgeBase:
    """Load and validate the knowledge base (cached per path).

    Args:
        path: A folder laid out like ``nlp/kb/``; ``None`` reads the packaged KB through
            :mod:`importlib.resources`.

    Returns:
        The shared, read-only :class:`KnowledgeBase`.

    Raises:
        KbError: A file is malformed; the message names ``file:line``.
    """
    return _load_cached(None if path is None else Path(path).resolve())


def kb_version(path: Path | None = None) -> str:
    """Short SHA-256 of the KB files' contents, to fold into the NLP version.

    Any change to an entity, alias, the stop-list or the shared-alias table changes it, so
    articles processed with an older KB are picked up again by ``ipwire process``.
    """
    return load_kb(path).version


def iter_seed_records(path: Path | None = None) -> Iterable[dict[str, Any]]:
    """Yield one plain dict per entity for seeding the store's ``entity`` table.

    Each dict has ``id``, ``name``, ``type``, ``aliases`` (list), ``wikidata`` (or ``None``)
    and ``description``.
    """
    for e in load_kb(path).entities.values():
        yield {
            "id": e.id,
            "name": e.name,
            "type": e.type,
            "aliases": list(e.aliases),
            "wikidata": e.wikidata,
            "description": e.description,
        }
