"""Mention candidates: cleaning the NER's and the KB ruler's spans, and finding names they miss.

Used by :mod:`nlp.linking`. A candidate is a cleaned token range plus the variants to try against
the KB and the types its context suggests (:mod:`nlp.mention_votes`):

* **cleaning** strips possessives, determiners, leading descriptors ("AI startup", "Chinese",
  titles before a person), legal suffixes ("Inc.", "Corp.", "Ltd.", "LLC") and cuts bylines at
  commas, slashes and brackets; junk (pronouns, numbers, dates, stop-listed acronyms such as
  AI/API/IP/LLM, lowercase-only text, one letter) is dropped -- this is the stop-list filter;
* **merging** joins long institutional names the NER splits ("U.S." + "District Court" +
  "for the" + "District of Maine");
* **finding** proper-noun runs the NER missed when their head word or context marks them
  ("Pallas AI", "Quillmark, an AI startup", "Tomasz Brenner, a professor at ...").
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

import numpy as np
from spacy.attrs import TAG
from spacy.tokens import Doc, Span, Token

from nlp.coordination import coordinated_type
from nlp.mention_rules import owns_title
from nlp.mention_votes import ContextVoter

_POSSESSIVE = frozenset({"'s", "’s", "'", "’"})
#: A name with a version number ("GPT-5", "Tern 3") is a product...
_VERSIONED = re.compile(r"[A-Za-z][-\s]?\d")
#: ... unless it names a law ("Section 230", "Copyright Act of 1976").
_LEGAL_WORDS = frozenset(
    {
        "act",
        "section",
        "article",
        "title",
        "rule",
        "code",
        "amendment",
        "directive",
        "regulation",
        "bill",
        "law",
        "chapter",
        "clause",
        "u.s.c.",
        "usc",
        "case",
        "no",
        "no.",
    }
)


#: NER labels of dates and amounts: only a token fusing letters and digits ("GPT-4o", "4chan")
#: makes one of these a name.
_NUMERIC_LABELS = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL", "QUANTITY", "MONEY", "PERCENT"})
_FUSED = re.compile(r"^(?=.*[A-Za-z])(?=.*\d)[\w.-]+$")
_NOT_NAME = re.compile(r"^(?:\d+(?:st|nd|rd|th|s|m|bn|k)|mid-\d+|[QH]\d|\d+-\w+)$", re.IGNORECASE)


#: Tags of the word after a hyphen that make "Name-word" an adjective, not a longer name.
_COMPOUND_TAGS = frozenset({"VBG", "VBN", "VBD", "IN", "JJ", "RB"})
#: A name written with a lower-case first letter and a capital inside: "iyO", "xAI", "eBay".
_MIXED = re.compile(r"^[a-z]{1,3}[A-Z][A-Za-z]*$")


@dataclass(slots=True)
class Candidate:
    start: int
    end: int
    label: str
    variants: list[tuple[int, int]]  # token ranges to try against the KB, most literal first
    preset_id: str = ""
    clean: tuple[int, int] = (0, 0)
    text: str = ""
    entity_key: str = ""
    name: str = ""  # the name when it is not the span's text ("Mara “Kit” Vell" -> "Mara Vell")
    votes: Counter[str] = field(default_factory=Counter)
    listed: str = ""  # the type of its known neighbours in a list ("Disney, Marlow and ...")


def _main_verb(tok: Token) -> bool:
    """A lower-case finite verb heading its sentence ("denies", "sues")."""
    return tok.dep_ == "ROOT" and tok.is_lower and tok.tag_ in ("VBZ", "VBD", "VBP")


def split_at_breaks(ent: Span) -> list[Span]:
    """The parts of an entity span between paragraph breaks and around its sentence's main
    verb, each with the span's label.

    A headline has no final stop, so the NER runs its last words into the first name of the
    body ("Millions of Articles\nAshcombe Media Group"): each side is a mention of its own.
    """
    doc = ent.doc
    parts: list[Span] = []
    start = ent.start
    for i in range(ent.start, ent.end):
        if _main_verb(doc[i]) and i > ent.start:
            # "Acme Labs denies Brightline theft claims": a headline's verb is no name part
            if i > start:
                parts.append(Span(doc, start, i, label=ent.label_, kb_id=ent.kb_id_))
            start = i + 1
        elif "\n" in doc[i].text or "\n" in doc[i].whitespace_:
            end = i if "\n" in doc[i].text else i + 1
            if end > start:
                parts.append(Span(doc, start, end, label=ent.label_, kb_id=ent.kb_id_))
            start = i + 1
    if start == ent.start:
        return [ent]
    if ent.end > start:
        parts.append(Span(doc, start, ent.end, label=ent.label_, kb_id=ent.kb_id_))
    return parts


def split_conjoined(ent: Span) -> list[Span]:
    """Two names the NER read as one: "Velmar and Quade" -> "Velmar", "Quade".

    An organisation or person span that is no knowledge-base name and holds "and" between two
    capitalised words is two mentions; "&" stays inside names ("Simon & Schuster").
    """
    if ent.kb_id_ or ent.label_ not in ("ORG", "PERSON") or len(ent) < 3:
        return [ent]
    doc = ent.doc
    for i in range(ent.start + 1, ent.end - 1):
        if doc[i].lower_ == "and" and doc[i - 1].is_title and doc[i + 1].is_title:
            left = Span(doc, ent.start, i, label=ent.label_)
            return [left, *split_conjoined(Span(doc, i + 1, ent.end, label=ent.label_))]
    return [ent]


class MentionFinder(ContextVoter):
    """Cleans entity spans into :class:`Candidate` s and proposes the ones the NER missed."""

    def clean(self, ent: Span, whole: bool = False) -> Candidate | None:
        """Trim an entity span to its name; None when it is junk.

        Args:
            ent: The span.
            whole: Keep brackets and quotes inside it (a name assembled around a nickname).
        """
        doc = ent.doc
        s, e = ent.start, ent.end
        lex = self.lex
        for i in range(s, s if whole else e):
            tok = doc[i]
            # Never cross a paragraph break, a comma ("Elena Marsh, Technology Correspondent")
            # or a possessive ("Mindcraft Labs' API") -- unless a legal suffix follows the comma.
            if (
                tok.is_space
                or "\n" in tok.text
                or (
                    tok.text in _POSSESSIVE
                    and i > s
                    # "U.S. Attorney's Office": the office's own name
                    and not (
                        ent.label_ == "GOV" and i + 1 < e and doc[i + 1].lower_ in lex.gov_heads
                    )
                )
                or (tok.text in ("/", "|", "(", ")") and i > s)
                or (tok.text == "." and tok.whitespace_ and i > s)  # a stop, not "Character.AI"
                or (
                    tok.text == ","
                    and not (i + 1 < e and doc[i + 1].lower_ in lex.corporate_suffixes)
                )
            ):
                e = i
                break

        def trim_edges(s: int, e: int) -> tuple[int, int]:
            while e > s and (
                doc[e - 1].text in _POSSESSIVE
                or (doc[e - 1].is_punct and doc[e - 1].text not in (")",))
                or doc[e - 1].lower_ in lex.corporate_suffixes
                or (
                    doc[e - 1].is_lower
                    and doc[e - 1].is_alpha
                    # not the tail of a word the tokenizer split: "Ive" -> "I" + "ve"
                    and not (e - 2 >= s and doc[e - 2].is_alpha and not doc[e - 2].whitespace_)
                    # nor of a versioned name: "Aster-2.1-mini" (but "ChatGPT-maker")
                    and not (
                        e - 3 >= s
                        and doc[e - 2].text == "-"
                        and not doc[e - 2].whitespace_
                        and not doc[e - 3].whitespace_
                        and any(ch.isdigit() for ch in doc[e - 3].text)
                    )
                )
            ):
                e -= 1
            while s < e and (
                doc[s].lower_ in lex.determiners or doc[s].is_punct or doc[s].is_space
            ):
                s += 1
            return s, e

        s, e = trim_edges(s, e)
        if ent.label_ != "PERSON":
            # "Nimbus AI Executive VP" + "Jo Roe": the title is not part of the name
            for k in range(s + 1, e):
                low = doc[k].lower_
                if (
                    (low in lex.titles or low in lex.title_modifiers)
                    and low not in lex.org_heads  # "Pallas AI" + "researcher Jo Roe"
                    and owns_title(doc, s, k, lex)
                ):
                    s, e = trim_edges(s, k)
                    break
        # Hyphenated given names the NER cuts short: "Kim Ji" + "-won", "Sun" + "-Hee Park".
        while (
            ent.label_ == "PERSON"
            and e + 1 < len(doc)
            and doc[e].text == "-"
            and not doc[e - 1].whitespace_
            and not doc[e].whitespace_
            and doc[e + 1].is_alpha
            # a compound adjective is no name: "Grammy-winning", "Quillmark-related"
            and doc[e + 1].tag_ not in _COMPOUND_TAGS
        ):
            e += 2
            while e < len(doc) and doc[e - 1].whitespace_ and doc[e].is_title and e - s < 4:
                e += 1
        variants = [(s, e)]
        # Leading descriptors: lowercase words ("startup"), stop-listed acronyms ("AI startup"),
        # titles before a person ("Judge", "CEO"), a demonym unless the name is institutional
        # ("European Commission", "Chinese Academy of Sciences" keep theirs).
        institutional = doc[e - 1].lower_ in lex.gov_heads or any(
            t.lower_ == "of" for t in doc[s:e]
        )
        while s < e - 1:
            t = doc[s]
            low = t.lower_
            if (
                (t.is_lower and t.is_alpha)
                or self.kb.is_stop(t.text)
                or low in lex.junk_words
                or (low in lex.demonyms and not institutional)
                or (ent.label_ == "PERSON" and (low in lex.titles or low in lex.title_modifiers))
            ):
                s += 1
                s, e = trim_edges(s, e)
            else:
                break
        if (s, e) != variants[-1]:
            variants.append((s, e))
        # A trailing acronym ("DeepSeek AI") is dropped only if that yields a KB name.
        if e - s > 1 and self.kb.is_stop(doc[e - 1].text):
            variants.append((s, e - 1))
        preset = ent.kb_id_ if ent.kb_id_ in self.kb.entities else ""
        # A case-sensitive KB form outranks the junk lists: "US" is no pronoun.
        exact_kb = bool(preset) and (s, e) == (ent.start, ent.end)
        if s >= e or (self.is_junk(doc[s:e]) and not exact_kb):
            return None
        label = ent.label_
        if label not in self.lex.keep_labels and _VERSIONED.search(doc[s:e].text):
            words = {t.lower_ for t in doc[s:e]}
            if label in _NUMERIC_LABELS and not any(
                _FUSED.search(t.text) and not _NOT_NAME.search(t.text) for t in doc[s:e]
            ):
                return None  # "12 February 2026", "Around 500,000": a date or a number
            if not words & _LEGAL_WORDS:
                label = "PRODUCT"  # "Tern 3" tagged LAW, "Orca-7" tagged WORK_OF_ART
        return Candidate(s, e, label, variants, preset_id=preset, clean=(s, e), text=doc[s:e].text)

    def is_junk(self, span: Span) -> bool:
        text = span.text
        if len(text) <= 1 or not any(c.isupper() for c in text):
            return True
        low = span.text.lower()
        if low in self.lex.pronouns or low in self.lex.junk_words or self.kb.is_stop(text):
            return True
        if all(t.like_num or t.is_punct or t.is_digit for t in span):
            return True
        return all(self.kb.is_stop(t.text) or t.lower_ in self.lex.junk_words for t in span)

    # ----------------------------------------------------------------- linking
    def merge_institutions(self, doc: Doc) -> list[Span]:
        """Join what the NER splits in long institutional names: "U.S." + "District Court" +
        "for the" + "District of Maine" -> one span; "House" + "Judiciary Committee" likewise."""
        ents = [
            piece
            for ent in doc.ents
            for part in split_at_breaks(ent)
            for piece in split_conjoined(part)
        ]
        out: list[Span] = []
        heads = self.lex.gov_heads
        for ent in ents:
            if out:
                prev = out[-1]
                between = [t.lower_ for t in doc[prev.end : ent.start]]
                prev_head = doc[prev.end - 1].lower_ in heads
                # "U.S." + "Attorney 's" + "Office for the District of X": an office named
                # after its holder
                holder = (
                    1 < len(between) <= 3
                    and between[-1] in ("'s", "’s")
                    and all(t.is_title for t in doc[prev.end : ent.start - 1])
                    and prev.label_ in ("GPE", "ORG", "GOV")
                    and ent.root.lower_ in heads
                )
                if (
                    holder
                    or (prev_head and between in (["for", "the"], ["of", "the"], ["for"], ["of"]))
                    or (not between and prev.label_ == "GPE" and doc[ent.end - 1].lower_ in heads)
                    or (not between and prev_head and doc[ent.end - 1].lower_ in heads)
                ) and "\n" not in doc[prev.start : ent.end].text:
                    out[-1] = Span(doc, prev.start, ent.end, label="GOV")
                    continue
            out.append(self._extend_left(self._org_by_head(self._party_subject(ent)), out))
        return out

    def _party_subject(self, ent: Span) -> Span:
        """A capitalised name the NER typed as a title or an event ("The Daily Lantern" as
        WORK_OF_ART) that sues, accuses or alleges is an organisation."""
        if ent.label_ in self.lex.keep_labels or ent.kb_id_:
            return ent
        if all(t.is_title or t.lower_ == "the" for t in ent) and any(
            t.dep_ == "nsubj" and t.head.lemma_.lower() in self.lex.party_verbs for t in ent
        ):
            return Span(ent.doc, ent.start, ent.end, label="ORG")
        return ent

    def _org_by_head(self, ent: Span) -> Span:
        """An unknown name the NER took for a place or person, followed by an organisation head
        word ("Orrin" + "AI", "Velmar" + "Labs"), is that organisation."""
        doc = ent.doc
        if ent.label_ not in ("GPE", "PERSON", "NORP", "LOC") or ent.kb_id_ or ent.end >= len(doc):
            return ent
        nxt = doc[ent.end]
        if (
            nxt.ent_iob_ != "O"
            or not nxt.text[:1].isupper()
            or nxt.lower_ not in self.lex.org_heads
            or ent.text.replace(".", "").isupper()  # "U.S. AI firms", "UK AI labs"
            or self.kb.is_stop(ent.text)
        ):
            return ent
        return Span(doc, ent.start, ent.end + 1, label="ORG")

    def _extend_left(self, ent: Span, before: list[Span]) -> Span:
        """An organisation name whose first word the NER left out: "Ashcombe" + "Media Group"
        when the headline ran into the first line. Capitalised proper nouns right before an ORG
        span, on the same line and in no other span, belong to it (descriptors such as
        "Newspaper Publisher" are trimmed later by :meth:`clean`)."""
        doc = ent.doc
        s = ent.start
        if (
            s >= 2
            and doc[s - 1].text == "."
            and not doc[s - 1].whitespace_
            and not doc[s - 2].whitespace_
            and doc[s - 2].text[:1].isupper()
            and doc[s - 2].is_alpha
            and doc[s - 2].ent_iob_ == "O"
            and (not before or before[-1].end <= s - 2)
        ):
            # a dotted name the tokenizer split: "Harbor.Io"
            return Span(doc, s - 2, ent.end, label=ent.label_, kb_id=ent.kb_id_)
        if ent.label_ != "ORG" and doc[ent.end - 1].lower_ not in self.lex.media_heads:
            return ent  # an ORG, or an outlet's name the NER cut: "Oakridge" + "Courier"
        floor = before[-1].end if before else 0
        s = ent.start
        while (
            s > floor
            and s > ent.start - 3
            and doc[s - 1].tag_ in ("NNP", "NNPS")
            and doc[s - 1].text[:1].isupper()
            and doc[s - 1].is_alpha
            and "\n" not in doc[s - 1].whitespace_
            and doc[s - 1].ent_iob_ == "O"
            and doc[s - 1].lower_ not in self.lex.junk_words
            and doc[s - 1].lower_ not in self.lex.demonyms
            and not self.kb.is_stop(doc[s - 1].text)
        ):
            s -= 1
        if s == ent.start:
            return ent
        return Span(doc, s, ent.end, label=ent.label_, kb_id=ent.kb_id_)

    def proper_noun_candidates(self, doc: Doc, ents: list[Span]) -> list[Span]:
        """Proper-noun runs the NER missed that their context or head word marks as a name:
        "Quillmark, an AI startup, ...", "rival startup Quillmark", "Pallas AI", "Tomasz
        Brenner, a professor at ...". New companies are exactly the names a small NER model
        has never seen."""
        if not doc.has_annotation("TAG"):
            return []
        tags = doc.to_array(TAG)
        strings = doc.vocab.strings
        proper = np.isin(
            tags, np.array([strings.add("NNP"), strings.add("NNPS")], dtype=tags.dtype)
        )
        for ent in ents:
            proper[ent.start : ent.end] = False
        out: list[Span] = []
        n = len(doc)
        named = [(e, self.lex.label_map.get(e.label_, "")) for e in ents]
        by_end = {e.end: t for e, t in named if t}
        by_start = {e.start: t for e, t in named if t}
        idx = np.flatnonzero(proper)
        k = 0
        while k < len(idx):
            i = int(idx[k])
            if owns_title(doc, i, i, self.lex):
                k += 1  # "Chief Operating Officer Ada Brix": a title, not a name
                continue
            j = i
            while (
                j < n
                and proper[j]
                and (doc[j].text[:1].isupper() or _MIXED.match(doc[j].text))
                # "Quillmark CEO Jo Roe", but "Pallas AI researcher Jo Roe"
                and not (
                    j > i
                    and doc[j].lower_ not in self.lex.org_heads
                    and owns_title(doc, i, j, self.lex)
                )
            ):
                j += 1  # "Pallas AI", and the names written in mixed case: "zyQ", "eVolt"
            k += max(j - i, 1)
            if j == i:
                continue
            span = doc[i:j]
            last = doc[j - 1].lower_
            if j - i > 1 and last in self.lex.gov_heads:
                etype = "GOV"  # "Denver District Court"
            elif j - i > 1 and last in self.lex.org_heads:
                etype = "ORG"  # "Pallas AI", "Orbital Minds Labs"
            else:
                votes = self.context_votes(doc, i, j)
                etype = votes.most_common(1)[0][0] if votes else ""
            if not etype and 2 <= j - i <= 3 and doc[i].lower_ in self.lex.given_names:
                etype = "PERSON"  # "said Ana Ruiz"
            if not etype:
                # "Disney, Marlow, Vantapix and ...": a list member the NER skipped
                etype = coordinated_type(doc, i, j, by_end, by_start, both=True)

            if (
                not etype
                and j - i <= 4
                and any(
                    t.dep_ == "nsubj" and t.head.lemma_.lower() in self.lex.party_verbs
                    for t in span
                )
                and all(t.is_title for t in span)
            ):
                etype = "ORG"  # "Stellwater Images sued …": a party the NER has never seen
            if etype == "PERSON" and not (2 <= j - i <= 3 and span.text.istitle()):
                etype = ""  # a person needs a full name: "Tomasz Brenner, a professor at ..."
            if etype and not self.is_junk(span):
                out.append(Span(doc, i, j, label=etype))
        return out
