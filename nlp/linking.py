"""Entity cleaning, typing and linking: every mention → a KB id or a stable new slug.

Input: ``doc.ents`` after the KB ruler and the statistical NER. Output: cleaned spans (no
possessive, leading descriptor or legal suffix), typed with the project's six types, each linked
to one article-level entity. The steps, in order:

1. **Clean** each span and drop junk (pronouns, numbers, dates, stop-listed acronyms,
   lowercase-only text, one-letter spans, NER labels we do not count such as NORP or DATE),
   and add the names the NER missed (:mod:`nlp.mentions`; versioned products,
   :mod:`nlp.product_names`).
2. **Link directly** to the KB by name or alias (case-sensitive records exactly; forms that
   require context only with one of their context terms in the article).
3. **Link in context**, for what is left: a KB short name of an entity already in the article
   ("the Times"), a surname or first word of a longer name in the article ("Sacks" → David Sacks,
   "Quillmark" → Quillmark AI), a fuzzy variant of a name in the article or the KB
   (see :data:`nlp.kb.index.FUZZY_THRESHOLD`), else a new slug (:func:`nlp.kb.index.new_slug`).
4. **Type**: the KB type when linked; otherwise the NER label corrected by name heads
   ("... Court" → GOV, "... Times" → MEDIA), by descriptors next to the mentions
   ("Quillmark, an AI startup" → ORG), by known list neighbours ("Disney, Marlow and
   Universal", :mod:`nlp.coordination`) and by the rule that a lone unknown word the NER calls a
   person, with no full name in the article that ends with it, is an organisation.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import numpy as np
from rapidfuzz import fuzz
from spacy.attrs import ORTH
from spacy.tokens import Doc, Span

from nlp import mention_rules as rules
from nlp.coordination import coordinated_type
from nlp.docutil import sentence_index, sentence_starts
from nlp.kb.index import FUZZY_THRESHOLD, KbIndex, new_slug
from nlp.lexicon import Lexicon
from nlp.mentions import Candidate, MentionFinder
from nlp.product_names import versioned_names
from nlp.textprep import Block, block_at
from nlp.token_repairs import repair_tokens
from nlp.types import Entity, Mention

_POSSESSIVE = frozenset({"'s", "’s", "'", "’", "´s", "`s"})
# NER labels of numbers, which a versioned product name may take over ("Aster" + "2.1").
_NUMBERS = frozenset({"CARDINAL", "QUANTITY", "ORDINAL", "PERCENT", "MONEY"})
# An acronym: "DPU", "CSAM", "OAuth", "MoE" (two capitals at least, letters only).
_ACRONYM = re.compile(r"^(?=(?:.*[A-Z]){2})[A-Z][A-Za-z]{1,6}s?$")
# First words of many names that are not names by themselves.
_COMMON_FIRST_WORDS = frozenset(
    {
        "new",
        "north",
        "south",
        "east",
        "west",
        "united",
        "first",
        "national",
        "international",
        "global",
        "general",
        "open",
        "american",
        "royal",
        "federal",
        "central",
        "big",
        "san",
        "los",
        "las",
        "saint",
        "st.",
        "great",
        "high",
        "supreme",
        "district",
        "state",
        "city",
        "world",
    }
)
_VERSIONED = re.compile(r"[A-Za-z][-\s]?\d")
# Tags of a capitalised clause-initial word that make it an ordinary word, not a name: plural
# nouns and verbs ("Users", "Escape:"). A singular NN is no evidence: unknown names get it.
_ORDINARY_TAGS = frozenset({"NNS", "VB", "VBZ", "VBP", "VBG", "VBD", "JJ", "RB"})


@dataclass(slots=True)
class _Group:
    key: str
    kb_id: str | None
    cands: list[Candidate] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class LinkResult:
    """What the linker decided for one doc."""

    spans: list[Span]
    entities: dict[str, Entity]
    mentions: list[Mention]
    focus_org: str | None


class Linker:
    """Cleans, types and links the entity spans of a doc (see the module docstring)."""

    def __init__(self, kb: KbIndex, lex: Lexicon) -> None:
        self.kb = kb
        self.lex = lex
        self.finder = MentionFinder(kb, lex)

    # ----------------------------------------------------------------- cleaning
    def link(self, doc: Doc, blocks: list[Block]) -> LinkResult:
        """Clean, link and type ``doc.ents``; returns the new spans and the entities."""
        context = doc.text.lower()
        cands: list[Candidate] = []
        repair_tokens(doc)
        self._released: set[int] = set()  # starts of surnames taken back from weak KB links
        ents = self._release_weak_kb(doc, self.finder.merge_institutions(doc))
        ents, names = rules.assemble_people(doc, ents, self.lex, self.finder.context_votes)
        ents = self._release_surnames(ents)
        ents = [e for e in ents if not self.kb.is_stop(e.text)]  # "AI" alone: junk, not a name
        ents = [*ents, *self.finder.proper_noun_candidates(doc, ents)]
        worded = [e for e in ents if e.label_ not in _NUMBERS]
        products = versioned_names(doc, worded, self.lex)  # "Quill-5", "Aster 2.1"
        if products:
            ents = [
                e for e in ents if not any(p.start < e.end and e.start < p.end for p in products)
            ]
        ents = sorted([*ents, *products], key=lambda e: e.start)
        for ent in ents:
            if (
                rules.nested_country(doc, ent.start, ent.end, self.lex)
                or rules.in_case_name(doc, ent.start, ent.end)
                or (not ent.kb_id_ and rules.truncated(doc, ent.end))
            ):
                continue
            name = names.get((ent.start, ent.end), "")
            cand = self.finder.clean(ent, whole=bool(name))
            if cand is not None:
                cand.name = name
                cands.append(cand)
        self.finder.vote(doc, cands)
        self._types: dict[str, str] = {}
        groups: dict[str, _Group] = {}
        pending: list[Candidate] = []
        for c in cands:
            kb_id = c.preset_id or (
                "" if c.clean[0] in self._released else self._direct(doc, c, context)
            )
            if kb_id:
                c.entity_key = kb_id
                groups.setdefault(kb_id, _Group(kb_id, kb_id)).cands.append(c)
            elif c.label in self.lex.keep_labels:
                pending.append(c)
            elif (
                c.votes
                and c.votes.most_common(1)[0][1] >= 2
                and c.text.lower() not in self.lex.demonyms  # "French President Macron"
            ):
                # "Orrin, a startup based in Lisbon": the NER's NORP, but the apposition says ORG
                c.label = c.votes.most_common(1)[0][0]
                pending.append(c)
        # The types of the known names, for their unknown neighbours in a list.
        known = [
            (c, self.kb.entities[g.kb_id].type) for g in groups.values() if g.kb_id for c in g.cands
        ]
        by_end = {c.end: t for c, t in known}
        by_start = {c.start: t for c, t in known}
        for _ in range(2):  # twice: "GPT-4, Tern and Claude" types Tern, then Claude
            for c in pending:
                c.listed = c.listed or coordinated_type(doc, c.start, c.end, by_end, by_start)
                if c.listed:
                    by_end.setdefault(c.end, c.listed)
                    by_start.setdefault(c.start, c.listed)
        # Multi-word names first, so that a lone word can attach to them.
        pending.sort(key=lambda c: -(c.end - c.start))
        for c in pending:
            self._link_in_context(doc, c, groups)
        self._later_mentions(doc, groups)
        self._drop_headings(doc, groups, blocks)
        self._drop_sentence_initial_words(doc, groups)
        self._drop_ordinary_phrases(doc, groups)
        self._drop_terms(doc, groups)
        entities, spans, mentions = self._finish(doc, groups)
        focus = self._focus(spans, blocks)
        return LinkResult(spans, entities, mentions, focus)

    def _weak_kb(self, ent: Span) -> bool:
        """Whether a one-word KB span is linked only by a context-dependent form of an entity
        that is no person ("Ling", an AI model family, linked because "model" occurs)."""
        kb_ent = self.kb.entities.get(ent.kb_id_)
        return (
            kb_ent is not None
            and ent.end - ent.start == 1
            and kb_ent.type != "PERSON"
            and any(f == ent.text for f in kb_ent.requires_context)
        )

    def _release_weak_kb(self, doc: Doc, ents: list[Span]) -> list[Span]:
        """A weak KB span right after an untagged capitalised word is the end of a longer name
        ("Eugene Ling"): it loses its KB id so that the people rules can join the two."""
        out: list[Span] = []
        for ent in ents:
            s = ent.start
            prev = out[-1] if out else None
            if (
                self._weak_kb(ent)
                and prev is not None
                and prev.end == s
                and prev.end - prev.start == 1
                and prev.label_ == "PERSON"
                and not prev.kb_id_
                and doc[s - 1].is_title
                and "\n" not in doc[s - 1].whitespace_
            ):
                out[-1] = Span(doc, prev.start, ent.end, label="PERSON")  # "Eugene" + "Ling"
                continue
            if (
                self._weak_kb(ent)
                and s > 0
                and doc[s - 1].ent_iob_ == "O"
                and doc[s - 1].is_title
                and doc[s - 1].is_alpha
                and not doc[s - 1].is_sent_start
                and doc[s - 1].tag_ in ("NNP", "NNPS")
                and "\n" not in doc[s - 1].whitespace_
            ):
                ent = Span(doc, s, ent.end, label=ent.label_)
            out.append(ent)
        return out

    def _release_surnames(self, ents: list[Span]) -> list[Span]:
        """A weak KB span that repeats the surname of a person of the article ("Ling" after
        "Eugene Ling") names that person, not the KB entity."""
        surnames = {
            _surname([t.text for t in e], self.lex)
            for e in ents
            if e.label_ == "PERSON" and e.end - e.start > 1 and not e.kb_id_
        }
        if not surnames:
            return ents
        out: list[Span] = []
        for e in ents:
            if self._weak_kb(e) and e.text in surnames:
                e = Span(e.doc, e.start, e.end, label="PERSON")
                self._released.add(e.start)
            out.append(e)
        return out

    def _drop_terms(self, doc: Doc, groups: dict[str, _Group]) -> None:
        """Drop unknown organisations that are technical terms: an acronym the article spells out
        in ordinary words ("data processing unit (DPU)", "CSAM (Child Sexual Abuse Material)")
        or uses only to modify a technical noun ("OAuth standards", "DPU technology"), an
        identifier's tail ("23-cv-00770-RFL"), and a Title-Case phrase the article defines as
        such an acronym ("Graphics Processing Units (GPUs)")."""
        for key, g in list(groups.items()):
            if g.kb_id or self._group_type(g) not in ("ORG", "PRODUCT"):
                continue
            longest = max(g.cands, key=lambda c: c.end - c.start)
            words = [t.text for t in doc[longest.start : longest.end]]
            if len(words) == 1 and _ACRONYM.match(words[0]):
                acronym = words[0]
                if (
                    all(_identifier_tail(doc, c.start) for c in g.cands)
                    or self._defined_term(doc, acronym)
                    or all(self._modifies_term(doc, c.start, c.end) for c in g.cands)
                ):
                    del groups[key]
            elif len(words) > 1 and self._spelled_term(doc, g):
                del groups[key]

    def _modifies_term(self, doc: Doc, start: int, end: int) -> bool:
        """Whether a mention modifies a technical noun: "five OAuth standards"."""
        tok = doc[end - 1]
        head = tok.head
        return (
            tok.dep_ in ("compound", "nmod", "amod")
            and head.i > tok.i
            and head.is_lower
            and head.lower_ in self.lex.term_modified_heads
        )

    def _defined_term(self, doc: Doc, acronym: str) -> bool:
        """Whether the article spells ``acronym`` out as a term: "ACR (words)" or "words (ACR)"
        where the words' initials give the acronym and no word makes them a name."""
        for tok in doc:
            if tok.text != acronym:
                continue
            i = tok.i
            if i + 2 < len(doc) and doc[i + 1].text == "(":
                close = next(
                    (k for k in range(i + 2, min(i + 12, len(doc))) if doc[k].text == ")"), None
                )
                if close is not None and self._is_term(doc[i + 2 : close], acronym):
                    return True
            if i >= 2 and doc[i - 1].text == "(" and i + 1 < len(doc) and doc[i + 1].text == ")":
                for s in range(i - 2, max(i - 9, -1), -1):
                    if self._is_term(doc[s : i - 1], acronym):
                        return True
        return False

    def _is_term(self, words: Span, acronym: str) -> bool:
        """Whether ``words`` spell ``acronym`` out and are an ordinary term, not a name: no word
        is an organisation, office or outlet head (bar the technical ones), a given name or a
        KB name."""
        content = [t for t in words if t.is_alpha and t.lower_ not in ("of", "and", "for", "the")]
        letters = "".join(part[0] for t in content for part in t.text.split("-") if part).lower()
        target = acronym.lower().rstrip("s") if acronym.endswith("s") else acronym.lower()
        if not content or letters not in (target, acronym.lower()):
            return False
        heads = (self.lex.org_heads | self.lex.gov_heads | self.lex.media_heads) - (
            self.lex.term_weak_heads
        )
        return not any(
            t.lower_ in heads
            or t.lower_ in self.lex.given_names
            or t.lower_ in self.lex.demonyms
            or self.kb.lookup(t.text)
            for t in content
        )

    def _spelled_term(self, doc: Doc, g: _Group) -> bool:
        """Whether a multi-word name is followed by its acronym in brackets and spells it out as
        an ordinary term: "Graphics Processing Units (GPUs)"."""
        for c in g.cands:
            e = c.end
            if e + 2 < len(doc) and doc[e].text == "(" and doc[e + 2].text == ")":
                acronym = doc[e + 1].text
                if _ACRONYM.match(acronym) and self._is_term(doc[c.start : c.end], acronym):
                    return True
        return False

    def _later_mentions(self, doc: Doc, groups: dict[str, _Group]) -> None:
        """Find the short forms the NER missed: a surname of a person in the article ("Sacks
        added"), a KB short name or the head word of an outlet in the article ("the Times")."""
        keys: dict[str, _Group] = {}
        for g in groups.values():
            etype = self._group_type(g)
            longest = max(g.cands, key=lambda c: c.end - c.start)
            words = [t.text for t in doc[longest.start : longest.end]]
            surname = _surname(words, self.lex)
            if etype == "PERSON" and len(words) > 1 and surname[:1].isupper():
                keys.setdefault(surname, g)
            if etype == "MEDIA" and len(words) > 1 and words[-1].lower() in self.lex.media_heads:
                keys.setdefault(words[-1], g)
            if not g.kb_id and etype in ("ORG", "MEDIA") and self._distinctive(words[0]):
                # A new company's other mentions the NER missed: "Quillmark", and the first
                # word of a longer name ("Aurelian's" for Aurelian AI).
                keys.setdefault(words[0], g)
            if g.kb_id:
                for short in self.kb.entities[g.kb_id].short_names:
                    if " " not in short:
                        keys.setdefault(short, g)
        if not keys:
            return
        taken = [False] * len(doc)
        for g in groups.values():
            for c in g.cands:
                for i in range(c.start, c.end):
                    taken[i] = True
        strings = doc.vocab.strings
        by_orth = {strings.add(k): g for k, g in keys.items()}
        orths = doc.to_array(ORTH)
        hits = np.flatnonzero(np.isin(orths, np.array(list(by_orth), dtype=orths.dtype)))
        for i in (int(x) for x in hits):
            g_ = by_orth[int(orths[i])]
            if taken[i]:
                continue
            tok = doc[i]
            # Not part of a longer capitalised name the NER did not recognise ("Lisa Sacks").
            if (i + 1 < len(doc) and doc[i + 1].is_title and not taken[i + 1]) or (
                i > 0 and doc[i - 1].is_title and not doc[i - 1].is_sent_start and not taken[i - 1]
            ):
                continue
            g_.cands.append(
                Candidate(
                    i,
                    i + 1,
                    "PERSON",
                    [(i, i + 1)],
                    clean=(i, i + 1),
                    entity_key=g_.key,
                    text=tok.text,
                )
            )
            taken[i] = True

    def _drop_headings(self, doc: Doc, groups: dict[str, _Group], blocks: list[Block]) -> None:
        """Drop unknown names seen only in headline or heading lines whose words the article
        also uses in lower case: Title Case, not names (see :mod:`nlp.mention_rules`)."""
        ranges = rules.heading_ranges(doc.text, blocks)
        if not ranges:
            return
        vocabulary: frozenset[str] | None = None
        for key, g in list(groups.items()):
            if g.kb_id or not all(
                any(a <= doc[c.start].idx < b for a, b in ranges) for c in g.cands
            ):
                continue
            if vocabulary is None:
                vocabulary = rules.common_words(doc)
            longest = max(g.cands, key=lambda c: c.end - c.start)
            words = [t.text for t in doc[longest.start : longest.end] if t.is_alpha]
            name = doc[longest.start : longest.end].text
            # A name on no line but headings is one too, unless it is a person's or an outlet's:
            # a byline, a photo credit ("Mara Vell" alone on its line) or "More from Harbor
            # Media" is a heading by its shape.
            if rules.title_case_phrase(words, vocabulary) or (
                self._group_type(g) not in ("PERSON", "MEDIA")
                and not rules.in_prose(name, doc.text, ranges)
            ):
                del groups[key]

    def _drop_sentence_initial_words(self, doc: Doc, groups: dict[str, _Group]) -> None:
        """Drop unknown one-word names seen only where every word is capitalised (at the start
        of a sentence, a line or a quotation) that are ordinary words there: the tagger does not
        call them proper nouns, or the article uses them in lower case ("Users have ...",
        "Subsidiaries listed in ...", "“Missionaries will ...")"""
        vocabulary: frozenset[str] | None = None
        for key, g in list(groups.items()):
            if g.kb_id or any(
                c.end - c.start != 1 or not rules.starts_clause(doc, c.start) for c in g.cands
            ):
                continue
            if vocabulary is None:
                vocabulary = rules.common_words(doc)
            if all(
                doc[c.start].tag_ in _ORDINARY_TAGS
                or rules.ordinary_word(doc[c.start].text, vocabulary)
                for c in g.cands
            ):
                del groups[key]

    def _drop_ordinary_phrases(self, doc: Doc, groups: dict[str, _Group]) -> None:
        """Drop unknown names of two words or more that are ordinary words in capitals: each
        word is one the article also writes in lower case ("Confidential Data" beside "the
        confidential data", "Large Language Model" beside "language models"), and none is an
        organisation, office or outlet head or a given name ("Pallas Data Labs" stays)."""
        heads = self.lex.org_heads | self.lex.gov_heads | self.lex.media_heads
        vocabulary: frozenset[str] | None = None
        for key, g in list(groups.items()):
            if g.kb_id or self._group_type(g) == "PERSON":
                continue
            longest = max(g.cands, key=lambda c: c.end - c.start)
            words = [t for t in doc[longest.start : longest.end] if not t.is_punct]
            if len(words) < 2 or not all(t.is_alpha for t in words):
                continue
            if any(t.lower_ in heads or t.lower_ in self.lex.given_names for t in words):
                continue
            if vocabulary is None:
                vocabulary = rules.common_words(doc)
            if all(rules.ordinary_word(t.text, vocabulary) for t in words):
                del groups[key]

    def _distinctive(self, word: str) -> bool:
        """Whether a capitalised word can stand for a name on its own (not "New", "AI")."""
        low = word.lower()
        return (
            word[:1].isupper()
            and len(word) > 2
            and not self.kb.is_stop(word)
            and low not in self.lex.junk_words
            and low not in self.lex.demonyms
            and low not in self.lex.given_names
            and low not in self.lex.org_heads
            and low not in self.lex.gov_heads
            and low not in self.lex.media_heads
            and low not in self.lex.determiners
            and low not in _COMMON_FIRST_WORDS
        )

    def _direct(self, doc: Doc, c: Candidate, context: str) -> str:
        for s, e in c.variants:
            ids = self.kb.lookup(doc[s:e].text, context)
            if ids:
                c.start, c.end = s, e
                return ids[0]
        return ""

    def _link_in_context(self, doc: Doc, c: Candidate, groups: dict[str, _Group]) -> None:
        c.start, c.end = c.clean
        text = doc[c.start : c.end].text
        words = [t.text for t in doc[c.start : c.end]]
        # KB short names of an entity already in the article.
        for kb_id in self.kb.short_name_ids(text):
            if kb_id in groups:
                self._attach(c, groups[kb_id])
                return
        # A surname, or the first words of a longer name, of an entity in the article.
        best: _Group | None = None
        heads = self.lex.media_heads
        n = len(words)
        for g in groups.values():
            longer = {
                tuple(t.text for t in doc[o.start : o.end]) for o in g.cands if o.end - o.start > n
            }
            if not longer:
                continue
            etype = self._group_type(g)
            person = etype == "PERSON"
            if any(
                (person and n == 1 and _surname(list(ow), self.lex) == words[0])
                or (
                    not person
                    and list(ow[:n]) == words
                    # "Tern" is the family, "Tern 3" a version, "Tern 3 Mini" a variant:
                    # different products
                    and not any(ch.isdigit() for ch in "".join(ow[n:]))
                    and not (etype == "PRODUCT" and ow[n].lower() in self.lex.product_variants)
                )
                or (etype == "MEDIA" and n == 1 and ow[-1] == words[0] and ow[-1].lower() in heads)
                # "Small 3.2" after "Mistral Small 3.2" (or "Mistral-small-3.2"): the product
                # without its maker's name
                or (
                    etype == "PRODUCT"
                    and c.label == "PRODUCT"
                    and _loose(" ".join(ow)).endswith(" " + _loose(text))
                )
                for ow in longer
            ):
                best = g
                break
        if best is not None:
            self._attach(c, best)
            return
        # Spelling variants of a name already in the article, then of the KB.
        for g in groups.values():
            name = self._surface(doc, g)
            if (
                len(text) >= 7
                and name[:1].lower() == text[:1].lower()
                and fuzz.token_sort_ratio(name.lower(), text.lower()) >= FUZZY_THRESHOLD
            ):
                self._attach(c, g)
                return
        fuzzy_id = self.kb.fuzzy(text)
        if fuzzy_id:
            c.entity_key = fuzzy_id
            groups.setdefault(fuzzy_id, _Group(fuzzy_id, fuzzy_id)).cands.append(c)
            return
        key = "tmp:" + text.lower().replace("’", "'")
        groups.setdefault(key, _Group(key, None)).cands.append(c)
        c.entity_key = key

    @staticmethod
    def _attach(c: Candidate, g: _Group) -> None:
        c.entity_key = g.key
        g.cands.append(c)

    def _surface(self, doc: Doc, g: _Group) -> str:
        if g.kb_id:
            return self.kb.entities[g.kb_id].name
        longest = max(g.cands, key=lambda c: (c.end - c.start, -c.start))
        return doc[longest.start : longest.end].text

    def _house_style(self, name: str) -> str:
        """One spelling for a word that papers spell their own way: "Quillmark A.I." and
        "Quillmark AI" name one company, and the store shows it under one name."""
        words = name.split(" ")
        styles = dict(self.lex.house_styles)
        return " ".join(styles.get(w, w) for w in words)

    # ----------------------------------------------------------------- typing
    def _group_type(self, g: _Group) -> str:
        if g.kb_id:
            return self.kb.entities[g.kb_id].type
        cached = self._types.get(g.key)
        if cached is None:
            longest = max(g.cands, key=lambda c: (c.end - c.start, -c.start))
            name = longest.text
            cached = self._unknown_type(g, name, longest.end - longest.start)
            self._types[g.key] = cached
        return cached

    def _unknown_type(self, g: _Group, name: str, n_tokens: int) -> str:
        """Type of an entity the KB does not know; the order of the tests is the precedence."""
        lex = self.lex
        words = name.lower().split()
        last = words[-1]
        if last in lex.gov_heads or any(
            w in lex.gov_heads and words[i + 1 : i + 2] == ["of"] for i, w in enumerate(words)
        ):
            return "GOV"
        if any(c.name for c in g.cands):
            return "PERSON"  # assembled around a nickname: "Mara “Kit” Vell"
        labels = Counter(lex.label_map.get(c.label, "ORG") for c in g.cands)
        base = labels.most_common(1)[0][0]
        if 2 <= len(words) <= 3 and words[0] in lex.given_names and name.istitle():
            return "PERSON"
        votes: Counter[str] = Counter()
        for c in g.cands:
            votes.update(c.votes)
        if votes and votes.most_common(1)[0][0] == "MEDIA" and votes["MEDIA"] >= 2:
            return "MEDIA"  # "More from Harbor Media": the outlet's cue beats the name's head
        if n_tokens > 1 and last in lex.org_heads:
            return "ORG"
        if n_tokens > 1 and last in lex.media_heads:
            return "MEDIA"
        if _VERSIONED.search(name):
            return "PRODUCT"  # "Kestrel-2", "GPT-5"
        if votes:
            return votes.most_common(1)[0][0]
        listed = {c.listed for c in g.cands} - {""}
        if len(listed) == 1:
            return listed.pop()  # "Disney, Marlow and Universal"; "GPT-4, Tern and Claude"
        if base == "PERSON" and n_tokens == 1:
            return "ORG"  # a lone word with no full personal name ending in it
        return base

    # ----------------------------------------------------------------- output
    def _finish(
        self, doc: Doc, groups: dict[str, _Group]
    ) -> tuple[dict[str, Entity], list[Span], list[Mention]]:
        sent_starts = sentence_starts(doc) or [0]
        entities: dict[str, Entity] = {}
        spans: list[Span] = []
        mentions: list[Mention] = []
        for g in groups.values():
            g.cands.sort(key=lambda c: c.start)
        for g in sorted(groups.values(), key=lambda g: g.cands[0].start):
            if g.kb_id:
                kb_ent = self.kb.entities[g.kb_id]
                eid, name, etype = kb_ent.id, kb_ent.name, kb_ent.type
                wikidata, description = kb_ent.wikidata, kb_ent.description
            else:
                longest = max(g.cands, key=lambda c: (c.end - c.start, -c.start))
                name = longest.name or doc[longest.start : longest.end].text.replace("’", "'")
                if name.isupper() and (" " in name or len(name) > 5):
                    name = name.title()  # a dateline: "SAN FRANCISCO —"
                name = self._house_style(name)
                eid = new_slug(name)
                etype = self._group_type(g)
                wikidata, description = None, None
            aliases: list[str] = []
            for c in g.cands:
                surface = doc[c.start : c.end].text
                if surface != name and surface not in aliases:
                    aliases.append(surface)
                spans.append(Span(doc, c.start, c.end, label=etype, kb_id=eid))
                sent_index = sentence_index(sent_starts, c.start)
                mentions.append(
                    Mention(
                        eid,
                        doc[c.start].idx,
                        doc[c.end - 1].idx + len(doc[c.end - 1]),
                        surface,
                        sent_index,
                    )
                )
            prev = entities.get(eid)  # two groups can share a slug ("Quillmark" in two spellings)
            count = len(g.cands) + (prev.count if prev else 0)
            if prev:
                aliases = list(dict.fromkeys([*prev.aliases, *aliases]))
            entities[eid] = Entity(
                id=eid,
                name=name,
                type=etype,
                aliases=tuple(aliases),
                count=count,
                in_kb=g.kb_id is not None,
                wikidata=wikidata,
                description=description,
            )
        spans.sort(key=lambda s: s.start)
        mentions.sort(key=lambda m: m.start)
        return entities, spans, mentions

    def _focus(self, spans: list[Span], blocks: list[Block]) -> str | None:
        """The organisation the article is mostly about, for "the company said".

        Each mention of an ORG scores 3 in the headline, 2 in the first two paragraphs, 1 later,
        plus 1 when it is a grammatical subject; the highest total wins (first seen on ties).
        """
        scores: dict[str, float] = defaultdict(float)
        order: dict[str, int] = {}
        heads = {b.start for b in blocks if b.kind == "headline"}
        for span in spans:
            if span.label_ != "ORG":
                continue
            eid = span.kb_id_
            order.setdefault(eid, span.start)
            if blocks:
                bi = block_at(blocks, span.start_char)
                paragraph_rank = sum(1 for b in blocks[: bi + 1] if b.kind == "paragraph")
                w = 3.0 if blocks[bi].start in heads else (2.0 if paragraph_rank <= 2 else 1.0)
            else:
                w = 1.0
            if span.root.dep_ in ("nsubj", "nsubjpass"):
                w += 1.0
            scores[eid] += w
        if not scores:
            return None
        return max(scores, key=lambda k: (scores[k], -order[k]))


def _surname(words: list[str], lex: Lexicon) -> str:
    """The last word of a personal name, before a generational suffix ("Setzer" of "Sewell
    Setzer III")."""
    if len(words) > 2 and words[-1].lower() in lex.generational_suffixes:
        return words[-2]
    return words[-1] if words else ""


def _identifier_tail(doc: Doc, i: int) -> bool:
    """Whether token ``i`` ends an identifier, glued by a hyphen to digits: "23-cv-00770-RFL"."""
    return (
        i >= 2
        and doc[i - 1].text == "-"
        and not doc[i - 1].whitespace_
        and not doc[i - 2].whitespace_
        and any(ch.isdigit() for ch in doc[i - 2].text)
    )


def _loose(name: str) -> str:
    """A name with hyphens and spaces alike and in lower case: "Mistral-small-3.2" ->
    "mistral small 3.2"."""
    return " ".join(name.replace("-", " ").lower().split())
