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
from nlp.titles import (
    BENCH_OFFICES,
    NATIONS,
    POSSESSIVE,
    PRE_ORG,
    QUOTE_MARKS,
    ent_index,
    title_text,
)
from nlp.types import Entity, Role

_ORG_TYPES = frozenset({"ORG", "GOV", "MEDIA"})
_PREPS = frozenset({"of", "at", "for", "with", "in", "to", "on"})
_CLAUSE = frozenset({"who", "which", "that", "whose", "where", "when", "has", "had", "is", "was"})
_COPULA = frozenset({"who", "is", "was", "serves", "served", "as", "has", "been", "became"})
_STOP = frozenset({",", ".", ";", ":", "(", ")", "—", "–", "said", "says", "told"})


class RoleExtractor:
    """Finds roles in a linked doc (see the module docstring)."""

    def __init__(self, lex: Lexicon) -> None:
        self.lex = lex
        self._focus_span: Span | None = None
        self._starts: list[int] = [0]

    def _is_title_word(self, tok_lower: str) -> bool:
        return (
            tok_lower in self.lex.titles
            or tok_lower in self.lex.title_modifiers
            or self._is_head(tok_lower)
        )

    def _is_plural(self, tok_lower: str) -> bool:
        return tok_lower not in self.lex.titles and self._is_head(tok_lower)

    def _is_head(self, tok_lower: str) -> bool:
        """A title head word, also in the plural ("its co-founders Ann Lee and Bo Chan")."""
        return tok_lower in self.lex.titles or (
            tok_lower.endswith("s") and tok_lower[:-1] in self.lex.titles
        )

    def __call__(self, doc: Doc, entities: dict[str, Entity]) -> list[Role]:
        """All roles in ``doc``, one per (person, org) pair, in text order."""
        ents = ent_index(doc)
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
        first_of_list = self._list_head(doc, person, ents)
        if first_of_list is not None:
            found = self._before(doc, first_of_list, ents)
            words = found[0].split() if found else []
            if found and words and self._is_plural(words[-1].lower()):
                return found  # "its co-founders Ann Lee and Bo Chan": Bo Chan too
            return None
        if (
            i >= 1
            and doc[i].text == ","
            and self._is_title_word(doc[i - 1].lower_)
            and not self._is_plural(doc[i - 1].lower_)
        ):
            i -= 1  # "A Pallas AI spokesperson, Leah Kwan," / "Its chief executive, Mateo Ruiz,"
        elif i >= 3 and doc[i].text == "," and ents[i - 1] is not None:
            at_org = self._title_at_org(doc, ents, i - 1)
            if at_org is not None and not at_org[2]:
                return at_org[0], at_org[1]  # "A former research engineer at Orbital Minds, Jo,"
            if at_org is not None:
                i -= 1  # "Google's Vice President of Regulatory Affairs, Jo Roe": a department
        end = i + 1
        strict = self._scan_back(doc, ents, i, person, loose=False)
        loose = self._scan_back(doc, ents, i, person, loose=True)
        # Title-case words ("AI Lab Director") only between an owner's possessive and the name.
        i = loose if loose >= 1 and doc[loose].text in POSSESSIVE else strict
        first = i + 1
        if first >= end:
            return None
        words = [t.lower_ for t in doc[first:end]]
        if not any(self._is_head(w) for w in words) and "co-founder" not in "".join(words):
            return None
        while first < end and doc[first].lower_ in ("and", "of", "-"):
            first += 1
        title = title_text(doc[first:end])
        org: Span | None = None
        j = i
        if j >= 0 and doc[j].text in POSSESSIVE:
            j -= 1
        if j >= 0 and ents[j] is not None:
            owner = ents[j]
            assert owner is not None
            bare = doc[i].text not in POSSESSIVE
            if owner.label_ in _ORG_TYPES and bare and set(words) & BENCH_OFFICES:
                title = f"{owner.text} {title}"  # "Third Circuit Judge", "Treasury Secretary"
            elif owner.label_ in _ORG_TYPES:
                org = owner
            elif owner.label_ == "GPE" and bare and owner.text.lower() in NATIONS:
                title = f"{owner.text} {title}"  # "U.S. Attorney": the office, no org named
            elif owner.label_ == "GPE":
                # "Portugal's economy minister"; "Texas Attorney General" (the state's office)
                org = owner
                if bare:
                    title = f"{owner.text} {title}"
        elif j >= 0:
            org = self._possessor(doc, ents, j)  # "Its chief executive, Mateo Ruiz"
        if org is None:
            org = self._org_after(doc, person.end, ents)
        return title, org

    def _scan_back(
        self, doc: Doc, ents: list[Span | None], i: int, person: Span, loose: bool
    ) -> int:
        """The token before the title words that end at ``i``."""
        while i >= 0:
            tok = doc[i]
            ent = ents[i]
            if ent is not None:
                # "Zurich-based researchers": a place in a compound modifier; with a possessive
                # owner, a department in the title ("Vice President of Regulatory Affairs")
                compound = (
                    ent.label_ == "GPE" and ent.end + 1 < len(doc) and doc[ent.end].text == "-"
                )
                department = (
                    loose
                    and ent.label_ != "PERSON"
                    and ent.start > 1
                    and doc[ent.start - 1].lower_ == "of"
                    and self._is_head(doc[ent.start - 2].lower_)
                )
                if not (compound or department):
                    break
                i = ent.start - 1
                continue
            if not (
                self._is_title_word(tok.lower_)
                or tok.text == "-"
                or tok.lower_ == "co"
                or (tok.lower_ == "based" and i > 0 and doc[i - 1].text == "-")
                or tok.text in QUOTE_MARKS  # 'its "AI czar" Jo Roe'
                or (loose and tok.lower_ == "of" and i < person.start - 1)
                # "economy minister", "machine-learning engineer": nouns and adjectives only
                or (tok.is_lower and tok.pos_ in ("NOUN", "ADJ") and i < person.start - 1)
                or (loose and tok.is_title and tok.is_alpha and i < person.start - 1)
            ):
                break
            i -= 1
        return i

    def _list_head(self, doc: Doc, person: Span, ents: list[Span | None]) -> Span | None:
        """The first name of a list the person ends ("Ann Lee, Bo Chan and Cy Dee"), if any."""
        head: Span | None = None
        i = person.start - 1
        while i >= 1 and doc[i].lower_ in (",", "and"):
            j = i - 1 if doc[i].lower_ == "," or doc[i - 1].text != "," else i - 2
            ent = ents[j]
            if ent is None or ent.label_ != "PERSON":
                break
            head, i = ent, ent.start - 1
        return head

    def _title_at_org(
        self, doc: Doc, ents: list[Span | None], k: int
    ) -> tuple[str, Span | None, bool] | None:
        """Title in "[title] at|of ORG" where ORG's last token is ``k``, and whether a possessive
        precedes the title (then ORG is a department: "Google's Vice President of Policy")."""
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
        if not words or not any(self._is_head(w) for w in words):
            return None
        owned = j >= 0 and doc[j].text in POSSESSIVE
        return title_text(doc[j + 1 : end]), org, owned

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
        if i < n and doc[i].lower_ in _PREPS:
            i += 1
            limit = min(n - 1, i + 7)
            # "at the venture firm Lakeshore Capital", "at the Oslo-based firm Fjord Security"
            while i < limit and (
                (ents[i] is not None and ents[i].label_ == "GPE")  # type: ignore[union-attr]
                or (  # "of Jane Roe's start-up Fjord Labs"
                    ents[i] is not None
                    and ents[i].label_ == "PERSON"  # type: ignore[union-attr]
                    and ents[i].end < n  # type: ignore[union-attr]
                    and doc[ents[i].end].text in POSSESSIVE  # type: ignore[union-attr]
                )
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

    # "PERSON, [who is] [one of] [the] [former] [ORG's] title [of lowercase words] [of|at ORG],"
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
        plural = i + 1 < n and doc[i].lower_ == "one" and doc[i + 1].lower_ == "of"
        if plural:
            i += 2  # "one of the co-founders of Mercor"
        if i < n and doc[i].lower_ in ("the", "a", "an", "another"):
            i += 1
        mods = i  # "a former Apple design chief", "a now former OpenAI board member"
        while i < n and ents[i] is None and doc[i].lower_ in PRE_ORG:
            i += 1
        org: Span | None = None
        owner = ents[i] if i < n else None
        lead = doc[mods:i]
        if owner is not None and owner.label_ in _ORG_TYPES:
            k = owner.end
            if k < n and doc[k].text in POSSESSIVE:
                org, i = owner, k + 1
            elif self._title_within(doc, ents, k, 3):
                org, i = owner, k  # "PERSON, a Google engineer", "a Xockets board member"
        else:
            i, lead = mods, doc[mods:mods]
            if i < n and doc[i].lower_ in ("its", "their"):
                org, i = self._possessor(doc, ents, i), i + 1
            elif i + 1 < n and doc[i + 1].text in POSSESSIVE and doc[i].is_lower:
                org, i = self._possessor(doc, ents, i), i + 2  # "the commission's chairman"
        start = i
        last_title = -1
        limit = min(n, start + 10)
        while i < limit and doc[i].lower_ not in _STOP:
            low = doc[i].lower_
            ent = ents[i]
            if ent is not None:
                # 'an "early xAI engineer"': the org inside the title, once
                if (
                    org is None
                    and ent.label_ in _ORG_TYPES
                    and i > start
                    and (
                        doc[start].text in QUOTE_MARKS  # a quoted title: 'an "early xAI engineer"'
                        or all(
                            t.pos_ == "ADJ" or self._is_title_word(t.lower_) for t in doc[start:i]
                        )
                    )
                    and self._title_within(doc, ents, ent.end, 3)
                ):
                    org, i = ent, ent.end
                    continue
                break
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
            if not (
                self._is_title_word(low)
                or doc[i].is_lower
                or doc[i].is_upper
                or low == "-"
                or doc[i].text in QUOTE_MARKS
            ):
                break
            if low in self.lex.titles or (plural and self._is_head(low)):
                last_title = i
            i += 1
        if last_title < start:
            return None
        # Keep an "of" complement after the head word ("head of security"), drop other words.
        if not (last_title + 1 < i and doc[last_title + 1].lower_ == "of"):
            i = last_title + 1
        words = [t for t in lead] + [
            t for t in doc[start:i] if ents[t.i] is None or ents[t.i] is not org
        ]
        title = title_text(words)
        if org is None:
            org = self._org_after(doc, i, ents)
        return title, org

    def _title_within(self, doc: Doc, ents: list[Span | None], k: int, width: int) -> bool:
        """A title head at ``k`` or after a few lowercase words ("board member")."""
        for j in range(k, min(k + width, len(doc))):
            if ents[j] is not None:
                return False
            if self._is_title_word(doc[j].lower_):
                return True
            if not doc[j].is_lower:
                return False
        return False
