"""Closed vocabularies enforced by CHECK constraints.

The NLP values mirror ``nlp/types.py`` (``store`` never imports ``nlp``; a test keeps the two in
step). Changing a list here needs a migration, because the CHECK constraints are in the schema.
"""

from __future__ import annotations

ENTITY_TYPES: tuple[str, ...] = ("ORG", "GOV", "PERSON", "PRODUCT", "MEDIA", "GPE")
STANCES: tuple[str, ...] = ("asserted", "alleged", "suspected", "denied", "confirmed")
LEGAL_STATUSES: tuple[str, ...] = (
    "investigation",
    "lawsuit",
    "charged",
    "settled",
    "ruling",
    "dismissed",
)
#: Timeline steps: the stances that make news (alleged, denied, confirmed) and legal statuses.
TIMELINE_STATUSES: tuple[str, ...] = ("alleged", "denied", "confirmed", *LEGAL_STATUSES)
SOURCE_KINDS: tuple[str, ...] = ("feed", "sitemap", "listing", "urls", "search")
# new → processing (leased by a worker) → done | failed; near-duplicates are stored as skipped.
ARTICLE_STATES: tuple[str, ...] = ("new", "processing", "done", "failed", "skipped")
PARTY_ROLES: tuple[str, ...] = ("accuser", "accused", "victim", "investigator", "other")
INCIDENT_STATUSES: tuple[str, ...] = ("open", "dormant", "closed")
BRIEFING_STATUSES: tuple[str, ...] = ("rendered", "sent", "failed")
