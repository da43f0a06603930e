"""Loading and validating the knowledge base; import it from :mod:`nlp.kb`."""

from __future__ import annotations

import functools
import hashlib
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from nlp.kb.records import (
    SHARED_KEYS,
    KbEntity,
    KbError,
    SharedAlias,
    iter_json_lines,
    normalize_alias,
    parse_entity,
)

logger = logging.getLogger(__name__)

STOPLIST_FILE = "stoplist.txt"
SHARED_ALIASES_FILE = "shared_aliases.jsonl"


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


def _kb_dir() -> Traversable:
    return resources.files("nlp.kb")


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
    for where, rec in iter_json_lines(f):
        if set(rec) != SHARED_KEYS:
            raise KbError(f"{where}: a shared alias has exactly the keys {sorted(SHARED_KEYS)}")
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
        for where, record in iter_json_lines(f):
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
            seen = {e.id}
            parent: str | None = e.parent
            while parent is not None:
                if parent in seen:
                    raise KbError(f"{e.source}: parent chain of {e.id!r} loops through {parent!r}")
                seen.add(parent)
                parent = entities[parent].parent if parent in entities else None
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
