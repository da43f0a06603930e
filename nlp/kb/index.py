"""A linking view of the knowledge base (the KB itself is :mod:`nlp.kb`, loaded by ``loader.py``).

Adds to :class:`nlp.kb.KnowledgeBase` what the pipeline needs per mention: case-sensitive
matching for records whose lowercase form is an ordinary word ("Meta", "Apple"), the
``requires_context`` check, shared-alias defaults, and a fuzzy fallback for spelling variants.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from nlp.kb import KbEntity, KnowledgeBase, normalize_alias

#: Spelling variants link when token_sort_ratio >= this AND the first letters agree. 92 accepts
#: one-letter slips and re-spacing in names of 7+ letters ("Antrhopic"/"Anthropic",
#: "Deep Seek"/"DeepSeek", "Lin-Wei Ding"/"Linwei Ding") and rejects near-neighbours that name
#: different things ("OpenAI"/"OpenAir", "Meta AI"/"Mera AI").
FUZZY_THRESHOLD = 92.0
#: Keys shorter than this are never fuzzy-matched: short strings differ by one letter too easily.
FUZZY_MIN_LEN = 7

_SLUG = re.compile(r"[^a-z0-9]+")


_DOTTED = re.compile(r"(?<![A-Za-z])((?:[A-Za-z]\.){2,})")


def slugify(text: str, limit: int | None = None) -> str:
    """The one slug of the project: lower-case ASCII words joined by hyphens.

    Accented letters fold to ASCII and dotted acronyms close up, so the spellings of one name
    give one slug: "Quillmark A.I." and "Quillmark AI" -> "quillmark-ai", "Société Générale" ->
    "societe-generale". ``limit`` cuts it to that many characters, on no trailing hyphen.
    """
    closed = _DOTTED.sub(lambda m: m.group(1).replace(".", ""), text)
    ascii_text = unicodedata.normalize("NFKD", closed).encode("ascii", "ignore").decode()
    slug = _SLUG.sub("-", ascii_text.lower()).strip("-")
    return slug if limit is None else slug[:limit].rstrip("-")


def new_slug(name: str) -> str:
    """The stable id of an entity the KB does not know: ``"new:" + slugify(name)``.

    ``name`` is the cleaned canonical name (no possessive, leading descriptor or legal suffix), so
    the same startup gets the same id in every article and every run and accumulates mentions
    until someone adds it to the KB. The ``new:`` prefix cannot clash with KB ids, which are
    plain slugs.
    """
    return "new:" + (slugify(name) or "unnamed")


@dataclass(frozen=True, slots=True)
class SurfaceForm:
    """A phrase pattern: its text, the entity id and whether case must match."""

    text: str
    entity_id: str
    case_sensitive: bool


def _plain(text: str) -> str:
    """The form compared for case-sensitive records: straight apostrophes, no leading "The"."""
    text = text.replace("’", "'").strip()
    if text.endswith("'s"):
        text = text[:-2]
    return text[4:] if text.startswith(("The ", "the ")) else text


class KbIndex:
    """Lookups over a :class:`~nlp.kb.KnowledgeBase` that respect its matching rules."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.entities: dict[str, KbEntity] = kb.entities
        self.version = kb.version
        # Keys by first character: a match must share it, so only those are compared.
        self._fuzzy_keys: dict[str, list[str]] = {}
        for k in kb.alias_index:
            if len(k) >= FUZZY_MIN_LEN:
                self._fuzzy_keys.setdefault(k[0], []).append(k)
        self._fuzzy_cache: dict[str, str | None] = {}

    def surface_forms(self) -> Iterator[SurfaceForm]:
        """Every name and alias, for the phrase matcher (short names are never matched alone)."""
        for ent in self.entities.values():
            for form in ent.surface_forms:
                yield SurfaceForm(form, ent.id, ent.case_sensitive)

    def is_stop(self, text: str) -> bool:
        """Whether a surface form is on the stop-list (never an entity)."""
        return normalize_alias(text) in self.kb.stoplist

    def lookup(self, text: str, context: str = "") -> list[str]:
        """Ids whose name or alias is ``text``, most likely first.

        Args:
            text: The surface form.
            context: The article text, lowercased; a form listed in ``requires_context`` links only
                when one of the entity's ``context_terms`` occurs in it.

        Returns:
            Candidate ids; for a shared alias the KB's default comes first.
        """
        ids = self.kb.alias_index.get(normalize_alias(text), ())
        out = [i for i in ids if self._acceptable(self.entities[i], text, context)]
        shared = self.kb.shared_aliases.get(normalize_alias(text))
        if shared is not None and shared.default in out:
            out.remove(shared.default)
            out.insert(0, shared.default)
        return out

    def _acceptable(self, ent: KbEntity, text: str, context: str) -> bool:
        if ent.case_sensitive:
            plain = _plain(text)
            if not any(plain == _plain(f) for f in ent.surface_forms):
                return False
        if ent.requires_context:
            key = normalize_alias(text)
            if any(normalize_alias(f) == key for f in ent.requires_context):
                return any(term in context for term in ent.context_terms)
        return True

    def short_name_ids(self, text: str) -> tuple[str, ...]:
        """Ids using ``text`` as a short name ("the Times", "Amodei"); valid only in context."""
        return self.kb.short_name_index.get(normalize_alias(text), ())

    def fuzzy(self, text: str) -> str | None:
        """The id of the closest alias above :data:`FUZZY_THRESHOLD` with the same first letter."""
        key = normalize_alias(text)
        if len(key) < FUZZY_MIN_LEN or not self._fuzzy_keys:
            return None
        if key in self._fuzzy_cache:
            return self._fuzzy_cache[key]
        found = self._fuzzy(key)
        if len(self._fuzzy_cache) > 50_000:
            self._fuzzy_cache.clear()
        self._fuzzy_cache[key] = found
        return found

    def _fuzzy(self, key: str) -> str | None:
        choices = self._fuzzy_keys.get(key[0])
        if not choices:
            return None
        hit = process.extractOne(
            key, choices, scorer=fuzz.token_sort_ratio, score_cutoff=FUZZY_THRESHOLD
        )
        if hit is None or hit[0][:1] != key[:1]:
            return None
        ids = self.kb.alias_index[hit[0]]
        ent = self.entities[ids[0]]
        # A case-sensitive record is an ordinary word in lowercase: never guess it.
        return ids[0] if len(ids) == 1 and not ent.case_sensitive else None
