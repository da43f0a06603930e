"""The clustering knobs and vocabularies, loaded from data files (never hard-coded).

``data/incidents.toml`` holds the thresholds, family groups, status weights and generic name
words; the claim types with their family and severity are read from the one list the claim
extractor uses, ``nlp/patterns/claim_types.jsonl``.
"""

from __future__ import annotations

import json
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
CLAIM_TYPES_PATH = Path(__file__).resolve().parent.parent / "patterns" / "claim_types.jsonl"
KB_DIR = Path(__file__).resolve().parent.parent / "kb"

#: The timeline steps in their usual order (stances first, then legal statuses).
STATUS_ORDER: tuple[str, ...] = (
    "alleged",
    "denied",
    "confirmed",
    "investigation",
    "lawsuit",
    "charged",
    "dismissed",
    "settled",
    "ruling",
)


@dataclass(frozen=True)
class ClusterConfig:
    """Everything the clustering reads from data."""

    window_days: float
    sig_window_days: float
    #: two non-hub parties prominent on both sides link within this window
    far_window_days: float
    min_text_2: float
    min_text_3: float
    #: undated, a hub in the foreground of both and a name in passing: text Jaccard needed
    min_text_undated_hub: float
    #: a claim naming no culprit and one of the same victim: text Jaccard needed
    min_text_victim: float
    min_relevance: float
    #: whether articles judged not relevant may join an incident as peripheral members
    leaves: bool
    anchor_relevance_without_claims: float
    #: claim type -> family (from claim_types.jsonl)
    type_family: dict[str, str]
    #: claim type -> severity 1..3
    type_severity: dict[str, int]
    #: claim type -> human label ("Distillation")
    type_label: dict[str, str]
    #: family -> the ids of the groups it belongs to
    family_groups: dict[str, frozenset[int]]
    status_weight: dict[str, int]
    key_types: frozenset[str]
    party_types: frozenset[str]
    generic_words: frozenset[str]
    agency_words: frozenset[str]
    court_words: frozenset[str]
    #: claim type -> {"accuse": …, "over": …, "charged": …} phrases for titles
    title_phrases: dict[str, dict[str, str]]
    #: parties named in many unrelated stories (family keys)
    hubs: frozenset[str] = frozenset()
    #: knowledge-base product or unit id -> the organisation it belongs to (transitively)
    family: dict[str, str] = field(default_factory=dict)
    #: titles that make a named person a public officer (prosecutor, judge): an investigator,
    #: never a side of the dispute
    officer_words: frozenset[str] = frozenset()
    #: titles of people who speak for a side (lawyers, spokespeople): never a side themselves
    speaker_words: frozenset[str] = frozenset()
    #: titles of an organisation's own officers ("president", "chief executive"): such an
    #: officer named as an accuser or victim stands for the organisation
    executive_words: tuple[str, ...] = ()
    #: words saying that a person left the organisation ("former")
    former_words: frozenset[str] = frozenset()
    #: ("PERSON" | "ORG", distinctive word) -> the knowledge-base id it names, when only one
    #: entity of the knowledge base has that key ("Ding" -> ``linwei-ding``)
    kb_keys: dict[tuple[str, str], str] = field(default_factory=dict)
    #: knowledge-base person id -> the organisation of its current role
    person_org: dict[str, str] = field(default_factory=dict)

    def family_of(self, key: str) -> str:
        """The party a key stands for: a product's maker, a unit's parent, else the key."""
        return self.family.get(key, key)

    def is_hub(self, key: str) -> bool:
        """Whether a key (or its family) is a hub party."""
        return self.family.get(key, key) in self.hubs

    def groups_of(self, claim_type: str) -> frozenset[int]:
        """The family groups of a claim type (its own family alone when ungrouped)."""
        return self.family_groups.get(self.type_family.get(claim_type, ""), frozenset())


def load_families(kb_dir: Path = KB_DIR) -> dict[str, str]:
    """Product and organisation id -> its root organisation, from the KB's ``parent`` fields."""
    parent: dict[str, str] = {}
    for path in sorted(kb_dir.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            rec = json.loads(line)
            if rec.get("type") in ("ORG", "PRODUCT") and rec.get("parent"):
                parent[rec["id"]] = rec["parent"]
    out: dict[str, str] = {}
    for k in parent:
        root, seen = k, {k}
        while root in parent and parent[root] not in seen:
            root = parent[root]
            seen.add(root)
        out[k] = root
    return out


_WORD = re.compile(r"[a-z0-9]+")


def ascii_words(text: str) -> list[str]:
    """The lower-case ASCII words of a text (accents folded)."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().casefold()
    return _WORD.findall(folded)


def distinctive_word(name: str, generic: frozenset[str], person: bool) -> str | None:
    """An organisation's first distinctive word, a person's last (``None`` when there is none)."""
    words = ascii_words(name.replace(".", ""))
    for word in reversed(words) if person else words:
        if len(word) > 1 and word not in generic and not word.isdigit():
            return word
    return None


def kb_keys(
    names: list[tuple[str, str, str]], generic: frozenset[str]
) -> dict[tuple[str, str], str]:
    """(type, surname) -> KB person id, for surnames that only one KB person has.

    Organisations are left out: their first word is often an ordinary one ("World", "Figure",
    "Together") that an unrelated new name shares.
    """
    seen: dict[tuple[str, str], set[str]] = {}
    for type_, id_, name in names:
        if type_ != "PERSON":
            continue
        word = distinctive_word(name, generic, type_ == "PERSON")
        if word and len(word) > 2:
            seen.setdefault((type_, word), set()).add(id_)
    return {k: next(iter(v)) for k, v in seen.items() if len(v) == 1 and k[1] not in v}


def load_kb_people(kb_dir: Path = KB_DIR) -> tuple[list[tuple[str, str, str]], dict[str, str]]:
    """(type, id, name) of the KB's people and organisations, and person id -> current org."""
    names: list[tuple[str, str, str]] = []
    org: dict[str, str] = {}
    for path in sorted(kb_dir.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            rec = json.loads(line)
            if rec.get("type") not in ("ORG", "PERSON"):
                continue
            names.append((rec["type"], rec["id"], rec["name"]))
            current = [r for r in rec.get("roles") or () if r.get("org") and not r.get("end")]
            if rec["type"] == "PERSON" and current:
                org[rec["id"]] = current[0]["org"]
    return names, org


@cache
def load_config(path: Path | None = None) -> ClusterConfig:
    """Load ``data/incidents.toml`` and the claim types (cached).

    Args:
        path: another TOML file with the same layout (tests).
    """
    raw = tomllib.loads((path or DATA_DIR / "incidents.toml").read_text(encoding="utf-8"))
    family: dict[str, str] = {}
    severity: dict[str, int] = {}
    label: dict[str, str] = {}
    for line in CLAIM_TYPES_PATH.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        rec = json.loads(line)
        if rec.get("kind") == "type":
            family[rec["type"]] = rec["family"]
            severity[rec["type"]] = int(rec["severity"])
            label[rec["type"]] = rec.get("label", rec["type"])
    groups: dict[str, set[int]] = {}
    for gid, members in enumerate(raw["families"]["groups"]):
        for fam in members:
            groups.setdefault(fam, set()).add(gid)
    # An ungrouped family is compatible with itself only: it gets a group of its own.
    for fam in sorted(set(family.values()) - set(groups)):
        groups[fam] = {len(raw["families"]["groups"]) + len(groups)}
    link, member, ents = raw["link"], raw["membership"], raw["entities"]
    people = load_kb_people()
    return ClusterConfig(
        window_days=float(link["window_days"]),
        sig_window_days=float(link["sig_window_days"]),
        far_window_days=float(link.get("far_window_days", link["window_days"])),
        min_text_2=float(link["min_text_2"]),
        min_text_3=float(link["min_text_3"]),
        min_text_undated_hub=float(link.get("min_text_undated_hub", 1.0)),
        min_text_victim=float(link.get("min_text_victim", 1.0)),
        min_relevance=float(member["min_relevance"]),
        leaves=bool(member.get("leaves", True)),
        anchor_relevance_without_claims=float(member["anchor_relevance_without_claims"]),
        type_family=family,
        type_severity=severity,
        type_label=label,
        family_groups={k: frozenset(v) for k, v in groups.items()},
        status_weight={k: int(v) for k, v in raw["status"].items()},
        key_types=frozenset(ents["key_types"]),
        party_types=frozenset(ents["party_types"]),
        generic_words=frozenset(ents["generic_words"]),
        agency_words=frozenset(raw["agencies"]["words"]),
        court_words=frozenset(raw["agencies"]["court_words"]),
        title_phrases={k: dict(v) for k, v in raw["titles"].items()},
        hubs=frozenset(raw.get("hubs", {}).get("keys", ())),
        family=load_families(),
        officer_words=frozenset(raw.get("officers", {}).get("words", ())),
        speaker_words=frozenset(raw.get("officers", {}).get("speaker_words", ())),
        executive_words=tuple(raw.get("officers", {}).get("executive_words", ())),
        former_words=frozenset(raw.get("officers", {}).get("former_words", ())),
        person_org=people[1],
        kb_keys=kb_keys(people[0], frozenset(ents["generic_words"])),
    )
