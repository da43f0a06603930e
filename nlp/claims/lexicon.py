"""Cue lexicons for claim extraction, loaded from ``nlp/patterns/*.jsonl``.

The domain knowledge (claim types, cue phrases, stance words, legal-status words, the verbs that
frame who accuses whom) lives in three JSONL files so that it can be reviewed in a diff:

* ``claim_types.jsonl`` — ``{"kind": "type", ...}`` records (type, family, severity, label,
  description and the properties the extractor reads, see :class:`ClaimType`),
  ``{"kind": "cue", "type": ..., "phrase": ...}`` records, and a few ``{"kind": "frame"}`` word
  lists that the type and accused rules read;
* ``stance.jsonl`` — stance cues, negation words and verb/noun *frames* (report, accuse, respond,
  sanction, …);
* ``legal.jsonl`` — legal-status cues with a rank (the most advanced stage stated wins).

Phrase syntax (one small language shared by all three files): segments separated by `` ... `` may
have up to ``gap`` tokens between them (default 6, same sentence); a segment is a ``|``-separated
list of alternatives; an alternative is a space-separated token sequence; a token word matches a
token whose lower-cased text or lemma equals it, or, ending in ``*``, starts with it. A phrase's
first word, if a prefix, has at least four characters, so the index is keyed on the first four
characters of a token's text and lemma. Matching therefore costs one dict lookup per token plus a
short verification for the few candidates — no token-dict ``Matcher`` patterns on the hot path.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from spacy.tokens import Span, Token

logger = logging.getLogger(__name__)

PATTERNS_DIR = Path(__file__).resolve().parent.parent / "patterns"
DEFAULT_GAP = 6
KEY_LEN = 4

Word = tuple[str, bool]  # (text, is_prefix)
Alternative = tuple[Word, ...]
Segment = tuple[Alternative, ...]


@dataclass(frozen=True, slots=True)
class Cue:
    """One compiled phrase with the label it votes for (a claim type, a stance, a status…)."""

    label: str
    phrase: str
    segments: tuple[Segment, ...]
    gap: int = DEFAULT_GAP
    # A bare word ("infringement") takes the type the rest of the article makes clear.
    doc_types: tuple[str, ...] = ()
    # Which segment holds the word the claim's arguments hang from ("a method … that X
    # patented": the method, whose user is accused, not the patent holder); None: automatic.
    head: int | None = None
    # A word that only says there is an accusation ("the suits against X"): used when the
    # sentence has no other cue, with the type the article names most often (never alone).
    fallback: bool = False
    # The last segment is what the first segment's verb acts on ("stole … data"), not a word of
    # another clause ("taking precautions to safeguard data").
    direct: bool = False


@dataclass(frozen=True, slots=True)
class CueMatch:
    """A cue found in a sentence: the tokens its words matched (gaps excluded)."""

    cue: Cue
    tokens: tuple[Token, ...]
    # The first matched token of each segment, in segment order.
    segment_starts: tuple[Token, ...] = ()

    @property
    def text(self) -> str:
        """The matched words joined, gaps left out ("stole trade secrets")."""
        return " ".join(t.text for t in self.tokens)


def _word(raw: str) -> Word:
    raw = raw.strip().lower()
    if raw.endswith("*"):
        return (raw[:-1], True)
    return (raw, False)


def parse_phrase(phrase: str) -> tuple[Segment, ...]:
    """Compile the phrase syntax described in the module docstring.

    Args:
        phrase: e.g. ``"steal|stole ... trade secret*|source code"``.

    Returns:
        The segments, each a tuple of alternatives, each a tuple of ``(word, is_prefix)``.

    Raises:
        ValueError: on an empty segment or a prefix shorter than four characters.
    """
    segments: list[Segment] = []
    for seg in phrase.split("..."):
        alts: list[Alternative] = []
        for alt in seg.split("|"):
            words = tuple(_word(w) for w in alt.split())
            if not words:
                raise ValueError(f"empty alternative in cue phrase {phrase!r}")
            text, is_prefix = words[0]
            if not segments and is_prefix and len(text) < KEY_LEN:
                # Only a phrase's first word is looked up by its first KEY_LEN characters.
                raise ValueError(f"leading prefix {text!r}* shorter than {KEY_LEN} in {phrase!r}")
            alts.append(words)
        segments.append(tuple(alts))
    return tuple(segments)


Forms = list[tuple[str, str]]  # per token: (lower-cased text, lower-cased lemma)


def _word_matches(word: Word, form: tuple[str, str]) -> bool:
    text, is_prefix = word
    lower, lemma = form
    if is_prefix:
        return lower.startswith(text) or lemma.startswith(text)
    return lower == text or lemma == text


@dataclass(frozen=True, slots=True)
class _Segment:
    """A segment with a cheap test for "could an alternative start here?"."""

    alts: tuple[Alternative, ...]
    exact: frozenset[str]
    prefixes: tuple[str, ...]

    @classmethod
    def of(cls, alts: Segment) -> _Segment:
        exact = frozenset(a[0][0] for a in alts if not a[0][1])
        prefixes = tuple(a[0][0] for a in alts if a[0][1])
        return cls(alts, exact, prefixes)

    def may_start(self, form: tuple[str, str]) -> bool:
        lower, lemma = form
        if lower in self.exact or lemma in self.exact:
            return True
        return any(lower.startswith(p) or lemma.startswith(p) for p in self.prefixes)


class CueIndex:
    """Cues indexed by the first four characters of their first word."""

    def __init__(self, cues: Sequence[Cue]) -> None:
        self.cues = tuple(cues)
        self._index: dict[str, list[tuple[int, Alternative]]] = {}
        self._segments: list[tuple[_Segment, ...]] = []
        for n, cue in enumerate(self.cues):
            self._segments.append(tuple(_Segment.of(seg) for seg in cue.segments))
            for alt in cue.segments[0]:
                key = alt[0][0][:KEY_LEN]
                self._index.setdefault(key, []).append((n, alt))

    @staticmethod
    def _match_alt(alt: Alternative, forms: Forms, pos: int) -> int:
        """Return the end position if ``alt`` matches at ``pos``, else -1."""
        if pos + len(alt) > len(forms):
            return -1
        for k, word in enumerate(alt):
            if not _word_matches(word, forms[pos + k]):
                return -1
        return pos + len(alt)

    def _match_rest(
        self, n: int, seg_i: int, forms: Forms, start: int, starts: list[int]
    ) -> list[int] | None:
        """Match segments ``seg_i..`` of cue ``n`` after ``start`` with gaps.

        Returns the matched positions; ``starts`` receives the first position of each segment.
        """
        segments = self._segments[n]
        if seg_i == len(segments):
            return []
        seg = segments[seg_i]
        last = min(len(forms), start + self.cues[n].gap + 1)
        for pos in range(start, last):
            if not seg.may_start(forms[pos]):
                continue
            for alt in seg.alts:
                end = self._match_alt(alt, forms, pos)
                if end < 0:
                    continue
                mark = len(starts)
                starts.append(pos)
                rest = self._match_rest(n, seg_i + 1, forms, end, starts)
                if rest is not None:
                    return list(range(pos, end)) + rest
                del starts[mark:]
        return None

    def find(self, toks: Sequence[Token] | Span) -> list[CueMatch]:
        """All cue matches in a token sequence (normally one sentence), in text order."""
        seq = list(toks)
        forms: Forms = [(t.lower_, t.lemma_.lower()) for t in seq]
        found: list[CueMatch] = []
        seen: set[tuple[int, int]] = set()
        for i, (lower, lemma) in enumerate(forms):
            keys = {lower[:KEY_LEN], lemma[:KEY_LEN]}
            for key in keys:
                for n, alt in self._index.get(key, ()):
                    if (n, i) in seen:
                        continue
                    end = self._match_alt(alt, forms, i)
                    if end < 0:
                        continue
                    starts = [i]
                    rest = self._match_rest(n, 1, forms, end, starts)
                    if rest is None:
                        continue
                    seen.add((n, i))
                    positions = list(range(i, end)) + rest
                    matched = tuple(seq[p] for p in positions)
                    found.append(CueMatch(self.cues[n], matched, tuple(seq[p] for p in starts)))
        return found

    def __len__(self) -> int:
        return len(self.cues)


@dataclass(frozen=True)
class ClaimType:
    """A claim type record from ``claim_types.jsonl`` (``{"kind": "type", ...}``).

    Attributes:
        type: The id stored with every claim (``distillation``, ``leak`` …).
        family: The incident family it belongs to (clustering groups compatible families).
        severity: 1 (least) to 3 (most).
        label: The name a reader sees ("Trade-secret theft").
        description: One sentence: what the text says happened.
        generic: Said with nothing more specific ("stole its IP"); a specific cue in the same
            sentence wins over it.
        subject_may_be_taken: The act's grammatical subject may be the thing taken rather than
            the doer: "the weights leaked", "the data was stolen".
        anonymous_ok: The text often names no culprit ("the weights were posted online"), so a
            claim with a victim or accuser but no accused is still kept.
        also_a_technique: The word also names a legitimate technique ("we used distillation"),
            so a claim told in the article's own voice about no one else's model is dropped.
        by_outsider: The type this one becomes when the doer is an outsider (an intruder copying
            the files a trade-secret theft would be about steals data); ``None`` if none.
    """

    type: str
    family: str
    severity: int
    label: str
    description: str
    generic: bool = False
    subject_may_be_taken: bool = False
    anonymous_ok: bool = False
    also_a_technique: bool = False
    by_outsider: str | None = None


_TYPE_FLAGS = ("generic", "subject_may_be_taken", "anonymous_ok", "also_a_technique")
_TYPE_KEYS = frozenset(
    {"kind", "type", "family", "severity", "label", "description", "by_outsider", *_TYPE_FLAGS}
)


@dataclass(frozen=True)
class Lexicon:
    """Everything the claim extractor knows, loaded from the pattern files."""

    types: dict[str, ClaimType]
    type_cues: CueIndex
    stance_cues: CueIndex
    negation: CueIndex
    legal_cues: CueIndex
    legal_rank: dict[str, int]
    frames: dict[str, frozenset[str]] = field(default_factory=dict)

    def frame(self, name: str) -> frozenset[str]:
        """Lemmas of one frame (``report``, ``accuse``, ``respond``, ``sanction``, …)."""
        return self.frames.get(name, frozenset())


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    """Read one JSON object per non-blank line; errors name the file and line."""
    records: list[dict[str, Any]] = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError as exc:
            raise ValueError(f"{path.name}:{n}: invalid JSON: {exc}") from exc
    return records


def _cue(label: str, rec: dict[str, Any]) -> Cue:
    phrase = str(rec["phrase"])
    return Cue(
        label,
        phrase,
        parse_phrase(phrase),
        int(rec.get("gap", DEFAULT_GAP)),
        tuple(rec.get("doc_type_among", ())),
        None if rec.get("head") is None else int(rec["head"]),
        bool(rec.get("fallback", False)),
        bool(rec.get("direct", False)),
    )


def _claim_type(rec: dict[str, Any]) -> ClaimType:
    extra = set(rec) - _TYPE_KEYS
    if extra:
        raise ValueError(f"claim_types.jsonl: unknown keys {sorted(extra)} in {rec!r}")
    return ClaimType(
        type=rec["type"],
        family=rec["family"],
        severity=int(rec["severity"]),
        label=rec["label"],
        description=rec["description"],
        **{flag: bool(rec.get(flag, False)) for flag in _TYPE_FLAGS},
        by_outsider=rec.get("by_outsider"),
    )


def load_claim_types(patterns_dir: Path = PATTERNS_DIR) -> dict[str, ClaimType]:
    """The claim types of ``claim_types.jsonl``, in file order, without compiling any cue.

    The one list of claim types and their properties (the extractor reads them here; the incident
    clustering, which does not import spaCy, reads family, severity and label from the same file).

    Raises:
        ValueError: on invalid JSON, an unknown kind or key, or a ``by_outsider`` type that is not
            declared.
    """
    types: dict[str, ClaimType] = {}
    for rec in read_jsonl(patterns_dir / "claim_types.jsonl"):
        kind = rec.get("kind")
        if kind == "type":
            types[rec["type"]] = _claim_type(rec)
        elif kind not in ("cue", "frame"):
            raise ValueError(f"claim_types.jsonl: unknown kind in {rec!r}")
    for ct in types.values():
        if ct.by_outsider is not None and ct.by_outsider not in types:
            raise ValueError(f"claim_types.jsonl: {ct.type} by_outsider {ct.by_outsider!r} unknown")
    return types


def load_lexicon(patterns_dir: Path = PATTERNS_DIR) -> Lexicon:
    """Load and validate the three pattern files.

    Args:
        patterns_dir: folder holding ``claim_types.jsonl``, ``stance.jsonl`` and ``legal.jsonl``.

    Returns:
        The compiled lexicon.

    Raises:
        ValueError: on invalid JSON, an unknown kind, or a cue for an undeclared type.
    """
    types = load_claim_types(patterns_dir)
    type_cues = [
        _cue(rec["type"], rec)
        for rec in read_jsonl(patterns_dir / "claim_types.jsonl")
        if rec.get("kind") == "cue"
    ]
    frames: dict[str, set[str]] = {}
    for rec in read_jsonl(patterns_dir / "claim_types.jsonl"):
        if rec.get("kind") == "frame":
            # word lists that the type and accused rules read (the rest live in stance.jsonl)
            frames.setdefault(rec["frame"], set()).update(w.lower() for w in rec["lemmas"])
    unknown = {c.label for c in type_cues} - set(types)
    unknown |= {t for c in type_cues for t in c.doc_types} - set(types)
    if unknown:
        raise ValueError(f"claim_types.jsonl: cues for undeclared types {sorted(unknown)}")

    stance: list[Cue] = []
    negation: list[Cue] = []
    for rec in read_jsonl(patterns_dir / "stance.jsonl"):
        kind = rec.get("kind")
        if kind == "stance":
            stance.append(_cue(rec["stance"], rec))
        elif kind == "negation":
            negation.append(_cue("negation", rec))
        elif kind == "frame":
            frames.setdefault(rec["frame"], set()).update(w.lower() for w in rec["lemmas"])
        else:
            raise ValueError(f"stance.jsonl: unknown kind in {rec!r}")

    legal: list[Cue] = []
    rank: dict[str, int] = {}
    for rec in read_jsonl(patterns_dir / "legal.jsonl"):
        legal.append(_cue(rec["status"], rec))
        rank[rec["status"]] = int(rec["rank"])

    return Lexicon(
        types=types,
        type_cues=CueIndex(type_cues),
        stance_cues=CueIndex(stance),
        negation=CueIndex(negation),
        legal_cues=CueIndex(legal),
        legal_rank=rank,
        frames={k: frozenset(v) for k, v in frames.items()},
    )


@lru_cache(maxsize=1)
def default_lexicon() -> Lexicon:
    """The lexicon from the packaged pattern files, loaded once per process."""
    lex = load_lexicon()
    logger.debug("claim lexicon: %d types, %d cues", len(lex.types), len(lex.type_cues))
    return lex
