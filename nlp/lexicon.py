"""Word lists that drive the rules, loaded once from ``nlp/patterns/`` (data, not code)."""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from importlib import resources
from typing import Any


def _lines(name: str) -> frozenset[str]:
    text = (resources.files("nlp") / "patterns" / name).read_text(encoding="utf-8")
    return frozenset(
        line.split("#", 1)[0].strip().lower()
        for line in text.splitlines()
        if line.split("#", 1)[0].strip()
    )


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Cleaning, typing and role words; see ``nlp/patterns/entity_rules.json``."""

    keep_labels: frozenset[str]
    label_map: dict[str, str]
    determiners: frozenset[str]
    pronouns: frozenset[str]
    demonyms: frozenset[str]
    corporate_suffixes: frozenset[str]
    gov_heads: frozenset[str]
    media_heads: frozenset[str]
    org_heads: frozenset[str]
    descriptors: dict[str, str]  # word -> entity type
    junk_words: frozenset[str]
    titles: frozenset[str]
    title_modifiers: frozenset[str]
    given_names: frozenset[str]
    media_verbs: frozenset[str] = frozenset()  # lemmas: "Computerworld reported that ..."
    media_after: tuple[tuple[str, ...], ...] = ()  # "X's request for comment"
    media_before: tuple[tuple[str, ...], ...] = ()  # "More from X"
    # House-style spellings of one word in a name: "Quillmark A.I." is "Quillmark AI"
    house_styles: tuple[tuple[str, str], ...] = ()
    # Verbs whose subject is a party: "Stellwater Images sued …"
    party_verbs: frozenset[str] = frozenset()
    generational_suffixes: frozenset[str] = frozenset()  # "Jr.", "III"
    term_weak_heads: frozenset[str] = frozenset()  # org heads that are technical nouns too
    term_modified_heads: frozenset[str] = frozenset()  # "DPU technology", "OAuth standards"
    # Role rules (``role_rules.json``): "who heads X" -> head; "Sen." -> senator; titles that
    # imply an employer; verbs of "named Jo Roe as its CEO"; words that introduce a title's org.
    role_verbs: dict[str, str] = field(default_factory=dict)
    title_abbreviations: dict[str, str] = field(default_factory=dict)
    employer_titles: frozenset[str] = frozenset()
    appointment_verbs: frozenset[str] = frozenset()
    employer_prepositions: frozenset[str] = frozenset()
    public_offices: frozenset[str] = frozenset()
    media_titles: frozenset[str] = frozenset()
    # Versioned product names (``product_names`` in ``entity_rules.json``)
    product_variants: frozenset[str] = frozenset()  # "Tern-3 Mini"
    not_products: frozenset[str] = frozenset()  # "Section 2.1"
    not_product_names: frozenset[str] = frozenset()  # "COVID-19"


@functools.lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    """Read the rule word lists (cached)."""
    raw = json.loads(
        (resources.files("nlp") / "patterns" / "entity_rules.json").read_text(encoding="utf-8")
    )
    descriptors: dict[str, str] = {}
    for etype, words in raw["descriptors"].items():
        for w in words:
            descriptors.setdefault(w, etype)
    roles = json.loads(
        (resources.files("nlp") / "patterns" / "role_rules.json").read_text(encoding="utf-8")
    )
    media = raw.get("media_cues", {})
    terms = raw.get("terms", {})
    products = raw.get("product_names", {})
    return Lexicon(
        keep_labels=frozenset(raw["keep_ner_labels"]),
        label_map=dict(raw["ner_label_map"]),
        determiners=frozenset(raw["determiners"]),
        pronouns=frozenset(raw["pronouns"]),
        demonyms=frozenset(raw["demonyms"]),
        corporate_suffixes=frozenset(raw["corporate_suffixes"]),
        gov_heads=frozenset(raw["gov_heads"]),
        media_heads=frozenset(raw["media_heads"]),
        org_heads=frozenset(raw["org_heads"]),
        descriptors=descriptors,
        junk_words=frozenset(raw["junk_words"]),
        titles=_lines("titles.txt"),
        title_modifiers=_lines("title_modifiers.txt"),
        given_names=_lines("given_names.txt"),
        media_verbs=frozenset(media.get("verbs", ())),
        media_after=tuple(tuple(c.split()) for c in media.get("after", ())),
        media_before=tuple(tuple(c.split()) for c in media.get("before", ())),
        house_styles=tuple((k, v) for k, v in raw.get("house_styles", {}).items()),
        party_verbs=frozenset(raw.get("party_verbs", {}).get("lemmas", ())),
        generational_suffixes=frozenset(raw.get("generational_suffixes", ())),
        term_weak_heads=frozenset(terms.get("weak_heads", ())),
        term_modified_heads=frozenset(terms.get("modified_heads", ())),
        role_verbs={
            form: title for title, forms in _table(roles["verbs"]).items() for form in forms
        },
        title_abbreviations=_table(roles["abbreviations"]),
        employer_titles=frozenset(roles["employer_titles"]["words"]),
        appointment_verbs=frozenset(roles["appointment_verbs"]["lemmas"]),
        employer_prepositions=frozenset(roles["employer_prepositions"]["words"]),
        public_offices=frozenset(roles["public_offices"]["words"]),
        media_titles=frozenset(roles["media_titles"]["words"]),
        product_variants=frozenset(products.get("variants", ())),
        not_products=frozenset(products.get("not_products", ())),
        not_product_names=frozenset(products.get("not_names", ())),
    )


def _table(raw: dict[str, Any]) -> dict[str, Any]:
    """A word table of a rules file without its ``_comment``."""
    return {k: v for k, v in raw.items() if not k.startswith("_")}
