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

from nlp.docutil import salient_entity, sentence_of, sentence_starts
from nlp.lexicon import Lexicon
from nlp.types import Entity, Role

_ORG_TYPES = frozenset({"ORG", "GOV", "MEDIA"})
_PREPS = frozenset({"of", "at", "for", "with", "in", "to", "on"})
_CLAUSE = frozenset({"who", "which", "that", "whose", "where", "when", "has", "had", "is", "was"})
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
        self._focus_span: Span | None = None
        self._starts: list[int] = [0]

    def _is_title_word(self, tok_lower: str) -> bool:
        return tok_lower in self.lex.titles or tok_lower in self.lex.title_modifiers

    def __call__(self, doc: Doc, entities: dict[str, Entity]) -> list[Role]:
        """All roles in ``doc``, one per (person, org) pair, in text order."""
        ents = _ent_index(doc)
        starts = sentence_starts(doc) or [0]
        self._starts = starts
        focus = doc._.focus_org
        self._focus_span = next((e for e in doc.ents if e.kb_id_ == focus), None) if focus else None
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

    # "[ORG['s]] [title words][,] PERSON [of ORG]"
    def _before(
        self, doc: Doc, person: Span, ents: list[Span | None]
    ) -> tuple[str, Span | None] | None:
        i = person.start - 1
        if i >= 1 and doc[i].text == "," and self._is_title_word(doc[i - 1].lower_):
            i -= 1  # "A Pallas AI spokesperson, Leah Kwan," / "Its chief executive, Mateo Ruiz,"
        elif i >= 3 and doc[i].text == "," and ents[i - 1] is not None:
            found = self._title_at_org(doc, ents, i - 1)
            if found is not None:
                return found  # "A former research engineer at Orbital Minds, Kevin Sato,"
        end = i + 1
        while (
            i >= 0
            and ents[i] is None
            and (
                self._is_title_word(doc[i].lower_)
                or doc[i].text == "-"
                or doc[i].lower_ == "co"
                # "economy minister", "machine-learning engineer": nouns and adjectives only
                or (doc[i].is_lower and doc[i].pos_ in ("NOUN", "ADJ") and i < person.start - 1)
            )
        ):
            i -= 1
        first = i + 1
        if first >= end:
            return None
        words = [t.lower_ for t in doc[first:end]]
        if not any(w in self.lex.titles for w in words) and "co-founder" not in "".join(words):
            return None
        while first < end and doc[first].lower_ in ("and", "of", "-"):
            first += 1
        title = _title_text(doc[first:end])
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
            elif owner.label_ == "GPE":
                org = owner  # "Portugal's economy minister"
        elif j >= 0:
            org = self._possessor(doc, ents, j)  # "Its chief executive, Mateo Ruiz"
        if org is None:
            org = self._org_after(doc, person.end, ents)
        return title, org

    def _title_at_org(
        self, doc: Doc, ents: list[Span | None], k: int
    ) -> tuple[str, Span | None] | None:
        """Title in "[title] at|of ORG" where ORG's last token is ``k``."""
        org = ents[k]
        if org is None or org.label_ not in _ORG_TYPES:
            return None
        p = org.start - 1
        if p < 1 or doc[p].lower_ not in ("at", "of", "for"):
            return None
        end = p
        j = p - 1
        while (
            j >= 0
            and ents[j] is None
            and (
                self._is_title_word(doc[j].lower_)
                or doc[j].text == "-"
                or (doc[j].is_lower and doc[j].is_alpha)
            )
        ):
            j -= 1
        words = [t.lower_ for t in doc[j + 1 : end]]
        while words and words[0] in ("a", "an", "the"):
            words.pop(0)
            j += 1
        if not words or not any(w in self.lex.titles for w in words):
            return None
        return _title_text(doc[j + 1 : end]), org

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
        if i < n and doc[i].lower_ in _PREPS:
            i += 1
            limit = min(n - 1, i + 7)
            # "at the venture firm Lakeshore Capital", "at the Oslo-based firm Fjord Security"
            while i < limit and (
                (ents[i] is not None and ents[i].label_ == "GPE")  # type: ignore[union-attr]
                or (
                    ents[i] is None
                    and (not doc[i].is_punct or doc[i].text == "-")
                    and (doc[i].pos_ not in ("VERB", "AUX", "ADP") or doc[i - 1].text == "-")
                )
            ):
                i += 1
            ent = ents[i] if i < n else None
            if ent is not None and ent.label_ in _ORG_TYPES:
                return ent
        return None

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

    # "PERSON, [who is] [the] [ORG's] title [of lowercase words] [of|at ORG],"
    def _after(
        self, doc: Doc, person: Span, ents: list[Span | None]
    ) -> tuple[str, Span | None] | None:
        n = len(doc)
        i = person.end
        if i >= n or doc[i].text not in (",", "is", "was"):
            return None
        i += 1
        while i < n and doc[i].lower_ in _COPULA:
            i += 1
        if i < n and doc[i].lower_ in ("the", "a", "an"):
            i += 1
        org: Span | None = None
        owner = ents[i] if i < n else None
        if owner is not None and owner.label_ in _ORG_TYPES:
            k = owner.end
            if k < n and doc[k].text in _POSSESSIVE:
                org, i = owner, k + 1
            elif k < n and self._is_title_word(doc[k].lower_):
                org, i = owner, k  # "PERSON, a Google engineer"
        elif i < n and doc[i].lower_ in ("its", "their"):
            org, i = self._possessor(doc, ents, i), i + 1
        elif i + 1 < n and doc[i + 1].text in _POSSESSIVE and doc[i].is_lower:
            org, i = self._possessor(doc, ents, i), i + 2  # "the commission's chairman"
        start = i
        last_title = -1
        limit = min(n, start + 10)
        while i < limit and ents[i] is None and doc[i].lower_ not in _STOP:
            low = doc[i].lower_
            if (
                low == "of"
                and last_title == i - 1
                and i + 1 < n
                and doc[i + 1].is_lower
                and doc[i + 1].lower_ not in ("the", "a", "an")
            ):
                i += 1  # "head of security", "vice president of policy"
                continue
            if low in _PREPS or low in _CLAUSE:
                break
            if not (self._is_title_word(low) or doc[i].is_lower or doc[i].is_upper or low == "-"):
                break
            if low in self.lex.titles:
                last_title = i
            i += 1
        if last_title < start:
            return None
        # Keep an "of" complement after the head word ("head of security"), drop other words.
        if not (last_title + 1 < i and doc[last_title + 1].lower_ == "of"):
            i = last_title + 1
        title = _title_text(doc[start:i])
        if org is None:
            org = self._org_after(doc, i, ents)
        return title, org


def _title_text(span: Span) -> str:
    """The title as written, lower-cased except acronyms ("CEO") and place names."""
    words = []
    for t in span:
        if t.text in _POSSESSIVE:
            continue
        words.append(t.text if t.is_upper or t.ent_type_ == "GPE" else t.lower_)
    return " ".join(words).replace(" - ", "-").strip()
