"""Roles: a named person holding a title at an organisation, as the text states it.

Three shapes cover most news prose, each anchored on a linked PERSON entity and a title word from
``nlp/patterns/titles.txt`` (modifiers in ``title_modifiers.txt``):

* **pre-modifier**: "[ORG['s]] [title] PERSON" — "Disney's chief legal officer Horacio Gutierrez",
  "OpenAI CEO Sam Altman", "U.S. Attorney Ismail Ramsey" (a place before the title stays in the
  title and gives no org), "Judge Jane Roe of the District Court" (org after "of");
* **apposition**: "PERSON, [the] [ORG's] [title] [of|at|for ORG]," — "David Sacks, the White
  House's AI and crypto adviser", "Dario Amodei, chief executive of Anthropic";
* **relative or copula**: "PERSON, who is ORG's title", "PERSON is the title of ORG".

Token patterns over linked entities rather than the dependency labels alone: the small model
attaches appositions inconsistently, and the rules must also work on ``spacy.blank("en")``.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span

from nlp.docutil import sentence_of, sentence_starts
from nlp.lexicon import Lexicon
from nlp.types import Entity, Role

_ORG_TYPES = frozenset({"ORG", "GOV", "MEDIA"})
_PREPS = frozenset({"of", "at", "for", "with"})
_COPULA = frozenset({"who", "is", "was", "serves", "served", "as", "has", "been", "became"})
_STOP = frozenset({",", ".", ";", ":", "(", ")", "—", "–", "said", "says", "told"})
_POSSESSIVE = frozenset({"'s", "’s", "'", "’"})


def _ent_index(doc: Doc) -> list[Span | None]:
    index: list[Span | None] = [None] * len(doc)
    for ent in doc.ents:
        for i in range(ent.start, ent.end):
            index[i] = ent
    return index


class RoleExtractor:
    """Finds roles in a linked doc (see the module docstring)."""

    def __init__(self, lex: Lexicon) -> None:
        self.lex = lex

    def _is_title_word(self, tok_lower: str) -> bool:
        return tok_lower in self.lex.titles or tok_lower in self.lex.title_modifiers

    def __call__(self, doc: Doc, entities: dict[str, Entity]) -> list[Role]:
        """All roles in ``doc``, one per (person, org) pair, in text order."""
        ents = _ent_index(doc)
        starts = sentence_starts(doc) or [0]
        roles: list[Role] = []
        seen: set[tuple[str, str | None]] = set()
        for ent in doc.ents:
            if ent.label_ != "PERSON":
                continue
            for found in (self._before(doc, ent, ents), self._after(doc, ent, ents)):
                if found is None:
                    continue
                title, org = found
                key = (ent.kb_id_, org.kb_id_ if org is not None else None)
                if key in seen or not title:
                    continue
                seen.add(key)
                person = entities.get(ent.kb_id_)
                org_ent = entities.get(org.kb_id_) if org is not None else None
                sent = sentence_of(doc, starts, ent.start)
                roles.append(
                    Role(
                        person_id=ent.kb_id_,
                        person=person.name if person else ent.text,
                        title=title,
                        org_id=org_ent.id if org_ent else None,
                        org=org_ent.name if org_ent else None,
                        sentence=sent.text,
                        start=sent.start_char,
                        end=sent.end_char,
                    )
                )
        return roles

    # "[ORG['s]] [title words] PERSON [of ORG]"
    def _before(
        self, doc: Doc, person: Span, ents: list[Span | None]
    ) -> tuple[str, Span | None] | None:
        i = person.start - 1
        while (
            i >= 0
            and ents[i] is None
            and (self._is_title_word(doc[i].lower_) or doc[i].text == "-" or doc[i].lower_ == "co")
        ):
            i -= 1
        first = i + 1
        if first == person.start:
            return None
        words = [t.lower_ for t in doc[first : person.start]]
        if not any(w in self.lex.titles for w in words) and "co-founder" not in "".join(words):
            return None
        while first < person.start and doc[first].lower_ in ("and", "of", "-"):
            first += 1
        title = _title_text(doc[first : person.start])
        org: Span | None = None
        j = i
        if j >= 0 and doc[j].text in _POSSESSIVE:
            j -= 1
        if j >= 0 and ents[j] is not None:
            owner = ents[j]
            assert owner is not None
            if owner.label_ in _ORG_TYPES:
                org = owner
            elif owner.label_ == "GPE" and doc[i].text not in _POSSESSIVE:
                title = f"{owner.text} {title}"  # "U.S. Attorney": the office, no org named
        if org is None:
            org = self._org_after(doc, person.end, ents)
        return title, org

    def _org_after(self, doc: Doc, i: int, ents: list[Span | None]) -> Span | None:
        """ORG in "PERSON of|at [the] ORG"."""
        if i < len(doc) and doc[i].lower_ in ("of", "at"):
            i += 1
            if i < len(doc) and doc[i].lower_ == "the":
                i += 1
            ent = ents[i] if i < len(doc) else None
            if ent is not None and ent.label_ in _ORG_TYPES:
                return ent
        return None

    # "PERSON, [who is] [the] [ORG's] title [of|at ORG],"
    def _after(
        self, doc: Doc, person: Span, ents: list[Span | None]
    ) -> tuple[str, Span | None] | None:
        i = person.end
        if i >= len(doc) or doc[i].text not in (",", "is", "was"):
            return None
        i += 1
        while i < len(doc) and doc[i].lower_ in _COPULA:
            i += 1
        if i < len(doc) and doc[i].lower_ in ("the", "a", "an"):
            i += 1
        org: Span | None = None
        owner = ents[i] if i < len(doc) else None
        if owner is not None and owner.label_ in _ORG_TYPES:
            k = owner.end
            if k < len(doc) and doc[k].text in _POSSESSIVE:
                org, i = owner, k + 1
            elif k < len(doc) and self._is_title_word(doc[k].lower_):
                org, i = owner, k  # "PERSON, a Google engineer"
        start = i
        limit = min(len(doc), start + 8)
        while i < limit and ents[i] is None and doc[i].lower_ not in _STOP:
            if doc[i].lower_ in _PREPS:
                break
            if not (self._is_title_word(doc[i].lower_) or doc[i].is_lower or doc[i].is_upper):
                break
            i += 1
        words = [t.lower_ for t in doc[start:i]]
        if not words or not any(w in self.lex.titles for w in words):
            return None
        title = _title_text(doc[start:i])
        if i < len(doc) and doc[i].lower_ in _PREPS and org is None:
            k = i + 1
            if k < len(doc) and doc[k].lower_ == "the":
                k += 1
            ent = ents[k] if k < len(doc) else None
            if ent is not None and ent.label_ in _ORG_TYPES:
                org = ent
        return title, org


def _title_text(span: Span) -> str:
    """The title as written, lower-cased except acronyms ("CEO") and place names."""
    words = []
    for t in span:
        if t.text in _POSSESSIVE:
            continue
        words.append(t.text if t.is_upper or t.ent_type_ == "GPE" else t.lower_)
    return " ".join(words).replace(" - ", "-").strip()
