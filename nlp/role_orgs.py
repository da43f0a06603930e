"""The lexical tests and organisation look-ups shared by the role shapes of :mod:`nlp.roles`.

A title names its organisation in one of a few ways: after a preposition ("of", "at", "from",
"representing"), by a possessive pronoun or a descriptor ("its", "the company's"), or -- for a
title that only exists inside an organisation ("CEO", "spokesperson") -- not at all, when the
sentence is about that organisation ("Tesla ..., with CEO Jo Roe saying ...").
"""

from __future__ import annotations

from spacy.tokens import Doc, Span

from nlp.docutil import salient_entity, sentence_of
from nlp.lexicon import Lexicon
from nlp.titles import POSSESSIVE, QUOTE_MARKS

ORG_TYPES = frozenset({"ORG", "GOV", "MEDIA"})


class RoleBase:
    """State of one doc's role pass, title-word tests and organisation look-ups."""

    def __init__(self, lex: Lexicon) -> None:
        self.lex = lex
        self._focus_span: Span | None = None
        self._starts: list[int] = [0]

    def _past_suffix(self, doc: Doc, k: int) -> int:
        """The token after the legal suffixes that start at ``k`` ("Inc.", ", LLC")."""
        n = len(doc)
        while k < n and (
            (
                doc[k].lower_ in self.lex.corporate_suffixes
                and not (k + 1 < n and doc[k + 1].text == "-")  # "co-founder"
            )
            or (
                doc[k].text == ","
                and k + 1 < n
                and doc[k + 1].lower_ in self.lex.corporate_suffixes
            )
        ):
            k += 1
        return k

    def _before_suffix(self, doc: Doc, k: int) -> int:
        """The token before the legal suffixes that end at ``k`` (see :meth:`_past_suffix`)."""
        while k >= 0 and (doc[k].lower_ in self.lex.corporate_suffixes or doc[k].text == ","):
            if doc[k].text == "," and not (
                k + 1 < len(doc) and doc[k + 1].lower_ in self.lex.corporate_suffixes
            ):
                break
            k -= 1
        return k

    def _is_title_word(self, tok_lower: str) -> bool:
        return (
            tok_lower in self.lex.titles
            or tok_lower in self.lex.title_modifiers
            or self._is_head(tok_lower)
        )

    def _is_plural(self, tok_lower: str) -> bool:
        return (
            tok_lower not in self.lex.titles
            and tok_lower not in self.lex.title_abbreviations
            and self._is_head(tok_lower)
        )

    def _is_head(self, tok_lower: str) -> bool:
        """A title head word, also in the plural ("its co-founders Ann Lee and Bo Chan")."""
        return (
            tok_lower in self.lex.titles
            or tok_lower in self.lex.title_abbreviations  # "Sen. Jo Roe"
            or (tok_lower.endswith("s") and tok_lower[:-1] in self.lex.titles)
        )

    def _last_org(
        self, doc: Doc, ents: list[Span | None], i: int, labels: tuple[str, ...] = ("ORG",)
    ) -> Span | None:
        """The nearest entity with one of ``labels`` mentioned before token ``i``."""
        for k in range(i - 1, max(i - 120, -1), -1):
            ent = ents[k]
            if ent is not None and ent.label_ in labels:
                return ent
        return None

    def _org_after(self, doc: Doc, i: int, ents: list[Span | None]) -> Span | None:
        """ORG in "PERSON of|at|for [the] [descriptor words] ORG"."""
        n = len(doc)
        while i < n and doc[i].text in QUOTE_MARKS:
            i += 1
        if not (i < n and doc[i].lower_ in self.lex.employer_prepositions):
            return None
        i += 1
        limit = min(n - 1, i + 7)
        # "at the venture firm Lakeshore Capital", "at the Oslo-based firm Fjord Security"
        while i < limit:
            ent = ents[i]
            if ent is not None:
                renamed = self._renamed(doc, ents, ent.end) or self._owns_next(doc, ents, ent)
                if ent.label_ in ORG_TYPES and not renamed:
                    return ent
                owned = ent.label_ == "PERSON" and ent.end < n and doc[ent.end].text in POSSESSIVE
                if not (ent.label_ == "GPE" or renamed or owned):
                    return None
                # "of Jane Roe's start-up Fjord Labs", "of the Facebook group Meta"
                i = ent.end + owned
                continue
            tok = doc[i]
            if tok.is_punct and tok.text != "-":
                return None
            if (
                tok.pos_ in ("VERB", "AUX", "ADP")
                and doc[i - 1].text != "-"
                and tok.lower_ not in self.lex.descriptors  # "startup" tagged as a verb
            ):
                return None
            i += 1
        return None

    def _owns_next(self, doc: Doc, ents: list[Span | None], ent: Span) -> bool:
        """Whether an organisation is named by its owner's possessive: "Google's DeepMind",
        "Quillmark's research unit Tern Lab" (the organisation is the second name)."""
        k = ent.end
        if not (k < len(doc) and doc[k].text in POSSESSIVE):
            return False
        for j in range(k + 1, min(k + 4, len(doc))):
            nxt = ents[j]
            if nxt is not None:
                return nxt.label_ in ORG_TYPES
            if not doc[j].is_lower:
                return False
        return False

    def _renamed(self, doc: Doc, ents: list[Span | None], k: int) -> bool:
        """Whether the name ending before token ``k`` is followed by a noun or two and another
        organisation that the noun describes: "the Facebook group Meta", "the ChatGPT maker
        OpenAI", "Google parent Alphabet"."""
        for j in range(k, min(k + 2, len(doc) - 1)):
            tok = doc[j]
            if not (tok.is_lower and tok.is_alpha) or ents[j] is not None:
                return False
            if not (tok.lower_ in self.lex.descriptors or tok.pos_ == "NOUN"):
                return False
            nxt = ents[j + 1]
            if nxt is not None:
                return nxt.label_ in ORG_TYPES
        return False

    def _employer_title(self, title: str) -> bool:
        """Whether a title exists only inside an organisation ("CEO", "chief scientist")."""
        words = title.lower().split()
        if "chief" in words and words[-1] == "officer":
            return True  # "chief research officer", "chief security officer"
        return any(
            " ".join(words[k : k + n]) in self.lex.employer_titles
            for n in (1, 2, 3)
            for k in range(len(words) - n + 1)
        )

    def _employer(self, doc: Doc, ents: list[Span | None], title: str, i: int) -> Span | None:
        """The organisation of an employer title ("CEO") with no organisation named: the one
        its sentence is about -- its subject before token ``i``, else the nearest one before
        ``i`` -- or the subject of one of the two sentences before ("Quillmark sued Orbit
        Labs, and CEO Jo Roe said ..." -> Quillmark), else the last one of the sentence
        before, else the organisation the article is about. None for other titles."""
        if not self._employer_title(title):
            return None
        sent = sentence_of(doc, self._starts, i)
        before = [e for e in doc.ents if sent.start <= e.start and e.end <= i]
        orgs = [e for e in before if e.label_ == "ORG"]
        subject = next((e for e in reversed(orgs) if e.root.dep_ in ("nsubj", "nsubjpass")), None)
        if subject is not None or orgs:
            return subject or orgs[-1]
        # the subject of a sentence before, else the last organisation of the sentence before
        # ("... has shaken Quillmark. Chief research officer Jo Roe said"), else the one the
        # article is about
        salient = salient_entity(doc, self._starts, i, ("ORG",))
        if salient is not None:
            return salient
        if sent.start > 0:
            prev = sentence_of(doc, self._starts, sent.start - 1)
            named = [e for e in doc.ents if prev.start <= e.start < prev.end and e.label_ == "ORG"]
            if named:
                return named[-1]
        return self._focus_span

    def _possessor(self, doc: Doc, ents: list[Span | None], i: int) -> Span | None:
        """The org meant by "its" or "the company's"/"the commission's" ending at token ``i``."""
        low = doc[i].lower_
        if low in ("its", "whose", "their"):
            salient = salient_entity(doc, self._starts, i, ("ORG",))
            return salient or self._focus_span or self._last_org(doc, ents, i, ("ORG",))
        kind = self.lex.descriptors.get(low)
        if kind in ("ORG", "GOV", "MEDIA") and i > 0 and doc[i - 1].lower_ == "the":
            if kind == "ORG" and self._focus_span is not None:
                return self._focus_span
            return self._last_org(doc, ents, i, (kind,))
        return None
