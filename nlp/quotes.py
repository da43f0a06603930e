"""Quotes: direct (inside quotation marks) and indirect (reported speech), with their speaker.

**Direct** quotes are found on the characters (:func:`nlp.quote_marks.find_direct`), merged
across paragraphs where a quote continues, the text joined with a space. Single-word quoted
terms ("so-called "distillation"") are not quotes, and a pull quote repeating an earlier quote is
dropped.

**Indirect** quotes are a verb of saying (``nlp/patterns/speech_verbs.txt``, those not marked
``direct-only``) with a content clause (the parser's ``ccomp``) and a subject that resolves to an
entity: "Meta said it was reviewing the logs" → "it was reviewing the logs"; or the clause before
an inverted attribution that ends the sentence ("..., reported the Financial Times."). "X reported"
is X speaking; a participle hanging off a legal action ("sued Y, alleging that ...") is the suit's
claim, not a quote. "According to X" is not reported speech (the dev set's convention).

**Speaker** resolution, from the verb of saying nearest the quote in its own sentences (the
sentence right after it in the same paragraph only when those have none; then a verb ending the
previous paragraph: 'Roe said:' and the quote below): the subject of that verb, else the entity
right next to it ("said Jane Roe", "Roe said"). The subject resolves as: a linked entity in it (a
person first: "Meta spokesperson Andy Stone"; else an organisation: "a spokesperson for Meta");
"he"/"she" → the last person mentioned; "it" → the last organisation; "the lawsuit/complaint/
filing" → the plaintiff (the subject of the first "sued" or "filed a lawsuit"); "the company/firm/
startup/lab" → the article's focus organisation; "the agency/court/department" → the last
government body. A quote paragraph with no verb of saying continues the previous quote's speaker
when it follows directly.
"""

from __future__ import annotations

import bisect
import re

import numpy as np
from spacy.attrs import LOWER
from spacy.tokens import Doc, Span, Token

from nlp.docutil import salient_entity, sentence_of, sentence_starts
from nlp.lexicon import Lexicon
from nlp.quote_marks import OPEN, RawQuote, find_direct, reporting_verbs, speech_verbs
from nlp.textprep import Block
from nlp.types import Entity, Quote

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")
_INVERTED = frozenset(
    {"said", "says", "added", "adds", "wrote", "writes", "continued", "reported", "reports"}
)
# "sued X, alleging that ...": the allegation of a legal action is its claim, not a quote.
_LEGAL_ACTS = frozenset(
    {"sue", "sues", "sued", "suing", "file", "files", "filed", "filing", "plead", "pleaded", "pled"}
)
_PERSON_PRONOUNS = frozenset({"he", "she", "him", "her"})
_ORG_PRONOUNS = frozenset({"it", "they"})
_ORG_TYPES = frozenset({"ORG", "GOV", "MEDIA"})
# What a court filing "says" is said by the plaintiff (the one who sued).
_FILINGS = frozenset({"complaint", "lawsuit", "suit", "filing", "plaintiff", "plaintiffs"})
_SUE = frozenset({"sue", "sues", "sued", "suing"})
# What a document "says" is said by its author: the plaintiff, the prosecutors, the company.
_DOCUMENTS = {
    "complaint": "ORG",
    "lawsuit": "ORG",
    "suit": "ORG",
    "filing": "ORG",
    "memo": "ORG",
    "letter": "ORG",
    "statement": "ORG",
    "blog": "ORG",
    "post": "ORG",
    "indictment": "GOV",
    "prosecutors": "GOV",
    "charges": "GOV",
}


class QuoteExtractor:
    """Finds direct and indirect quotes in a linked doc and resolves their speakers."""

    def __init__(self, lex: Lexicon) -> None:
        self.lex = lex
        self.verbs = speech_verbs()
        self.reporting = reporting_verbs()

    def __call__(
        self,
        doc: Doc,
        entities: dict[str, Entity],
        blocks: list[Block],
        focus_org: str | None,
    ) -> list[Quote]:
        """All quotes of ``doc`` in text order."""
        self._doc = doc
        self._entities = entities
        self._focus = focus_org
        self._plaintiff_cache: tuple[str | None] | None = None
        self._ents = _ent_index(doc)
        self._starts = sentence_starts(doc) or [0]
        lowers = doc.to_array(LOWER)
        verb_ids = np.array([doc.vocab.strings.add(v) for v in self.verbs], dtype=lowers.dtype)
        self._verbs = [int(i) for i in np.flatnonzero(np.isin(lowers, verb_ids))]
        self._verb_set = frozenset(self._verbs)
        quotes: list[Quote] = []
        seen: set[str] = set()
        prev: tuple[int, str | None] | None = None  # (block index, speaker) of the last quote
        quoted_chars: list[tuple[int, int]] = []
        raws = find_direct(doc.text, blocks)
        heads = [b for b in blocks if b.kind == "headline"]
        if heads:  # a headline quote repeats the body's, whose attribution is fuller
            raws.sort(key=lambda r: r.start < heads[0].end)
        for raw in raws:
            text = " ".join(p for p in raw.pieces if p).rstrip(",;: ")
            words = _WORD.findall(text.lower())
            if len(words) < 2:
                continue
            quoted_chars.append((raw.start, raw.end))
            key = " ".join(words)
            if key in seen:
                continue  # a pull quote repeating the body
            seen.add(key)
            speaker = self._direct_speaker(raw)
            bi = _block_of(blocks, raw.start)
            if speaker is None and prev is not None and 0 <= bi - prev[0] <= 1:
                speaker = prev[1]
            prev = (_block_of(blocks, raw.end), speaker)
            quotes.append(self._quote(speaker, text, True, raw.start, raw.end))
        if doc.has_annotation("DEP"):
            quotes.extend(self._indirect(quoted_chars))
        quotes.sort(key=lambda q: q.start)
        return quotes

    def _quote(self, speaker: str | None, text: str, direct: bool, start: int, end: int) -> Quote:
        ent = self._entities.get(speaker) if speaker else None
        return Quote(
            speaker_id=ent.id if ent else None,
            speaker=ent.name if ent else None,
            text=text,
            direct=direct,
            start=start,
            end=end,
        )

    # ------------------------------------------------------------------ direct
    def _direct_speaker(self, raw: RawQuote) -> str | None:
        doc = self._doc
        first = doc.char_span(raw.start, raw.start + 1, alignment_mode="expand")
        last = doc.char_span(max(raw.end - 1, raw.start), raw.end, alignment_mode="expand")
        if first is None or last is None:
            return None
        inside = range(first.start, last.end)
        end_sent = sentence_of(doc, self._starts, last.end - 1)
        sents = [end_sent, sentence_of(doc, self._starts, first.start)]
        nxt = end_sent.end
        if nxt < len(doc) and "\n" not in doc[nxt - 1].text_with_ws:
            sents.append(sentence_of(doc, self._starts, nxt))  # '"…," Roe said.' split oddly
        candidates: dict[int, int] = {}
        for rank, sent in enumerate(sents):
            # The quote's own sentences before the one after it ('"…," Roe said.').
            penalty = 0 if rank < 2 else 1000  # only when the quote's own sentences have none
            lo = bisect.bisect_left(self._verbs, sent.start)
            hi = bisect.bisect_left(self._verbs, sent.end)
            for i in self._verbs[lo:hi]:
                if i not in inside:
                    dist = i - last.end if i >= last.end else first.start - i
                    candidates[i] = min(candidates.get(i, dist + penalty), dist + penalty)
        k = first.start - 1
        while k >= 0 and (doc[k].is_space or doc[k].text in OPEN or doc[k].text == '"'):
            k -= 1
        if k >= 1 and doc[k].text in (",", ":") and doc[k - 1].i in self._verb_set:
            candidates.setdefault(k - 1, 2000)  # 'Jane Roe said:' then the quote's paragraph
        for i in sorted(candidates, key=lambda i: candidates[i]):
            verb = doc[i]
            if verb.pos_ == "NOUN" and i > 0 and doc[i - 1].pos_ in ("DET", "PRON", "ADJ"):
                continue  # "posted a report on GitHub", "its claims" (not "the lawsuit states")
            speaker = self._verb_speaker(verb, inside)
            if speaker:
                return speaker
        return None

    def _verb_speaker(self, verb: Token, inside: range) -> str | None:
        doc = self._doc
        nxt = verb.i + 1
        if nxt < len(doc) and nxt not in inside and verb.lower_ in _INVERTED:
            ent = self._ents[nxt]  # '"…," said Ana Ruiz, an engineer at …' (not "told Reuters")
            if ent is not None and ent.start == nxt and ent.label_ == "PERSON":
                return ent.kb_id_
        subj = _subject(verb)
        if subj is not None and subj.i not in inside:
            found = self._resolve(subj)
            if found:
                return found
        for i in (verb.i + 1, verb.i + 2, verb.i - 1, verb.i - 2):  # "said Roe", "Roe said"
            if 0 <= i < len(doc) and i not in inside:
                ent = self._ents[i]
                if ent is not None and ent.label_ in ("PERSON", *_ORG_TYPES):
                    return ent.kb_id_
                if abs(i - verb.i) == 1 and (
                    doc[i].lower_ in _PERSON_PRONOUNS | _ORG_PRONOUNS
                    or (
                        i < verb.i
                        and (doc[i].lower_ in self.lex.descriptors or doc[i].lower_ in _DOCUMENTS)
                    )
                ):
                    return self._resolve(doc[i])
        return None

    # ------------------------------------------------------------------ subjects
    def _resolve(self, tok: Token) -> str | None:
        ent = self._ents[tok.i]
        if ent is not None and ent.label_ == "PERSON":
            return ent.kb_id_
        if ent is not None and ent.label_ in _ORG_TYPES:
            # "Scout's co-founder, Noah Leclerc": a person named in the phrase speaks.
            return self._person_in(tok) or ent.kb_id_
        low = tok.lower_
        if low in _PERSON_PRONOUNS:
            return self._last_before(tok.i, ("PERSON",))
        if low in _ORG_PRONOUNS:
            return self._company(tok.i, ("ORG", "MEDIA")) or self._last_before(tok.i, ("GOV",))
        # Without a parse, the few words before the noun stand in for its subtree.
        doc = tok.doc
        subtree = (
            list(tok.subtree)
            if doc.has_annotation("DEP")
            else list(doc[max(tok.i - 3, 0) : tok.i + 1])
        )
        person = self._person_in(tok) if doc.has_annotation("DEP") else None
        if person:
            return person
        found: dict[str, str] = {}
        for t in subtree:
            e = self._ents[t.i]
            if e is not None and e.label_ not in found:
                found[e.label_] = e.kb_id_
        for label in ("PERSON", "ORG", "GOV", "MEDIA", "PRODUCT"):
            if label in found:
                return found[label]
        if low in _FILINGS and doc.has_annotation("DEP"):
            plaintiff = self._plaintiff()
            if plaintiff:
                return plaintiff
        kind = (
            self.lex.descriptors.get(low)
            or self.lex.descriptors.get(low.rstrip("s"))
            or _DOCUMENTS.get(low)
        )
        if any(t.lower_ in ("the", "a", "an", "company", "its") for t in subtree):
            if kind == "ORG":
                return self._company(tok.i)
            if kind == "GOV":
                return self._company(tok.i, ("GOV",)) or self._last_before(tok.i, ("GOV",))
            if kind == "MEDIA":
                return self._last_before(tok.i, ("MEDIA",))
            if any(t.lower_ == "company" for t in subtree):  # "a company spokesperson"
                return self._focus
        return None

    def _plaintiff(self) -> str | None:
        """Who brought the suit: the subject of the first "sue" ("Disney and Universal sued
        Midjourney" → Disney), or of "filed a lawsuit/complaint", in text order."""
        if self._plaintiff_cache is None:
            found: str | None = None
            for tok in self._doc:
                low = tok.lower_
                if not (
                    (low in _SUE and tok.pos_ == "VERB")
                    or (
                        low in ("filed", "files", "file", "brought", "brings")
                        and any(c.dep_ == "dobj" and c.lower_ in _FILINGS for c in tok.children)
                    )
                ):
                    continue
                subj = _subject(tok)
                ent = self._ents[subj.i] if subj is not None else None
                if ent is not None and ent.label_ in ("PERSON", *_ORG_TYPES):
                    found = ent.kb_id_
                    break
            self._plaintiff_cache = (found,)
        return self._plaintiff_cache[0]

    def _person_in(self, tok: Token) -> str | None:
        """A person named in the subject phrase headed by ``tok``: an apposition ("Feld's
        lawyer, Gregory Tam") before a possessor ("Feld's"); relative clauses are not part of
        the phrase ("Google, which hired Jane Roe, said" is Google speaking)."""
        best: tuple[int, str] | None = None
        stack = [tok]
        while stack:
            t = stack.pop()
            e = self._ents[t.i]
            if e is not None and e.label_ == "PERSON":
                rank = 0 if e.root.dep_ in ("appos", "nsubj", "nsubjpass", "compound") else 1
                if best is None or rank < best[0]:
                    best = (rank, e.kb_id_)
            stack.extend(c for c in t.children if c.dep_ not in ("relcl", "acl", "advcl", "ccomp"))
        return best[1] if best else None

    def _company(self, i: int, labels: tuple[str, ...] = ("ORG",)) -> str | None:
        """Who "the company" (said at token ``i``) is: a recent subject organisation (see
        :func:`nlp.docutil.salient_entity`), else the article's focus, else the last one named."""
        ent = salient_entity(self._doc, self._starts, i, labels)
        if ent is not None:
            return ent.kb_id_
        return self._focus or self._last_before(i, labels)

    def _last_before(self, i: int, labels: tuple[str, ...]) -> str | None:
        best: str | None = None
        for ent in self._doc.ents:
            if ent.start >= i:
                break
            if ent.label_ in labels:
                best = ent.kb_id_
        return best

    # ------------------------------------------------------------------ indirect
    def _indirect(self, quoted: list[tuple[int, int]]) -> list[Quote]:
        doc = self._doc
        out: list[Quote] = []
        done: set[int] = set()
        for i in self._verbs:
            sent = sentence_of(doc, self._starts, i)
            if sent.start in done or any(
                s < sent.end_char and sent.start_char < e for s, e in quoted
            ):
                continue
            tok = doc[i]
            if tok.lower_ in self.reporting and tok.pos_ in ("VERB", "AUX"):
                # The content clause may follow ("X said that ...") or precede the verb
                # ("..., the company said on Friday.").
                clause = next((c for c in tok.children if c.dep_ == "ccomp"), None)
                if tok.tag_ == "VBG" and tok.lower_ != "saying" and tok.head.lower_ in _LEGAL_ACTS:
                    continue
                subj = _subject(tok)
                if clause is None:
                    inverted = self._inverted(tok, sent)
                    if inverted is not None:
                        out.append(inverted)
                        done.add(sent.start)
                    continue
                if subj is None:
                    continue
                speaker = self._resolve(subj)
                if speaker is None:
                    continue
                toks = list(clause.subtree)
                while toks and (toks[0].lower_ == "that" or toks[0].is_punct):
                    toks.pop(0)
                while toks and toks[-1].is_punct:
                    toks.pop()
                if len(toks) < 3:
                    continue
                span = doc[toks[0].i : toks[-1].i + 1]
                out.append(self._quote(speaker, span.text, False, span.start_char, span.end_char))
                done.add(sent.start)
        return out

    def _inverted(self, verb: Token, sent: Span) -> Quote | None:
        """Reported speech with the speaker after the verb, closing the sentence: "The suit was
        filed on Tuesday, reported the Financial Times." The content is the words before."""
        doc = self._doc
        if verb.lower_ not in _INVERTED or verb.i - sent.start < 4 or doc[verb.i - 1].text != ",":
            return None
        k = verb.i + 1
        if k < sent.end and doc[k].lower_ == "the":
            k += 1
        ent = self._ents[k] if k < sent.end else None
        if ent is None or ent.start != k or ent.label_ not in ("PERSON", *_ORG_TYPES):
            return None
        if ent.end < sent.end and doc[ent.end].text not in (".", ",", ";"):
            return None
        span = doc[sent.start : verb.i - 1]
        return self._quote(ent.kb_id_, span.text, False, span.start_char, span.end_char)


def _subject(verb: Token) -> Token | None:
    """The subject of a verb of saying, borrowed from the governing verb for "saying ...",
    "adding that ..." and coordinated verbs ("declined to name customers but said ...")."""
    for _ in range(3):
        subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
        if subjects:
            # "co-founder" can come out as three subjects ("co", "-", "founder"): the head
            # word is the one nearest the verb.
            before = [c for c in subjects if c.i < verb.i]
            return before[-1] if before else subjects[0]
        if verb.dep_ in ("conj", "advcl", "xcomp") and verb.head is not verb:
            verb = verb.head
        else:
            return None
    return None


def _ent_index(doc: Doc) -> list[Span | None]:
    index: list[Span | None] = [None] * len(doc)
    for ent in doc.ents:
        for i in range(ent.start, ent.end):
            index[i] = ent
    return index


def _block_of(blocks: list[Block], offset: int) -> int:
    for i, b in enumerate(blocks):
        if b.start <= offset <= b.end:
            return i
    return -1
