"""Roles: a named person holding a title at an organisation, as the text states it.

Each shape is anchored on a linked PERSON entity and a title word from
``nlp/patterns/titles.txt`` (modifiers in ``title_modifiers.txt``, abbreviations, role verbs and
employer titles in ``role_rules.json``). This module holds the shape before the name:

* **pre-modifier**: "[ORG['s]] [title] PERSON" — "Disney's chief legal officer Horacio Gutierrez",
  "OpenAI CEO Sam Altman", "Sen. Jo Roe" (senator), "U.S. Attorney Ismail Ramsey" (a place
  before the title stays in the title and gives no org), "Judge Jane Roe of the District Court"
  (org after "of"), "Quillmark's vice president of engineering, Jo Roe,";

:mod:`nlp.role_clauses` holds the shapes after it (apposition, copula, bracket, appointment,
"who heads ..."), :mod:`nlp.role_orgs` the ways a title names its organisation, including none
at all ("..., with CEO Jo Roe saying": the organisation the sentence is about).

Token patterns over linked entities rather than the dependency labels alone: the small model
attaches appositions inconsistently, and the rules must also work on ``spacy.blank("en")``.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from nlp.docutil import sentence_of, sentence_starts
from nlp.role_clauses import ClauseRoles
from nlp.role_orgs import ORG_TYPES
from nlp.titles import (
    BENCH_OFFICES,
    NATIONS,
    POSSESSIVE,
    PRE_ORG,
    QUOTE_MARKS,
    bracket_open,
    ent_index,
    title_text,
)
from nlp.types import Entity, Role


class RoleExtractor(ClauseRoles):
    """Finds roles in a linked doc (see the module docstring)."""

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
            for found in (
                self._before(doc, ent, ents),
                self._after(doc, ent, ents),
                self._clause(doc, ent, ents),
            ):
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
        if i >= 0 and doc[i].lower_ in self.lex.employer_prepositions:
            return None  # "the chief executive of Jo Roe's startup": the title is not Jo Roe's
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
            and (not self._is_plural(doc[i - 1].lower_) or self._list_follows(doc, person, ents))
        ):
            # "A Pallas AI spokesperson, Leah Kwan," / "Its chief executive, Mateo Ruiz," /
            # "two former Vexa engineers, Ann Lee and Bo Chan,"
            i -= 1
        elif i >= 3 and doc[i].text == "," and self._of_department(doc, ents, i - 1):
            i -= 1  # "Quillmark's vice president of engineering, Jo Roe,"
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
        title = title_text(doc[first:end], self.lex.title_abbreviations)
        org: Span | None = None
        j = i
        if j >= 0 and doc[j].text in POSSESSIVE:
            j -= 1
        j = self._before_suffix(doc, j)  # "Quillmark Inc. CEO Jo Roe"
        if j >= 0 and ents[j] is not None:
            owner = ents[j]
            assert owner is not None
            bare = doc[i].text not in POSSESSIVE
            if owner.label_ in ORG_TYPES and bare and set(words) & BENCH_OFFICES:
                title = f"{owner.text} {title}"  # "Third Circuit Judge", "Treasury Secretary"
            elif owner.label_ in ORG_TYPES:
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
        if org is None and not (j >= 0 and _unknown_name(doc[j])):
            org = self._employer(doc, ents, title, first)
        return title, org

    def _scan_back(
        self, doc: Doc, ents: list[Span | None], i: int, person: Span, loose: bool
    ) -> int:
        """The token before the title words that end at ``i``."""
        while i >= 0:
            tok = doc[i]
            if tok.text == ")" and i < person.start - 1:
                opened = bracket_open(doc, i)
                if opened is None:
                    break
                i = opened - 1  # "Ohio (U.S.) Attorney General": an aside inside the title
                continue
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
                or tok.lower_ in PRE_ORG  # "its then-chief scientist", "a then-senior engineer"
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

    def _of_department(self, doc: Doc, ents: list[Span | None], k: int) -> bool:
        """Whether token ``k`` ends "title of <lowercase words>" ("head of engineering")."""
        for j in range(k, max(k - 4, 1), -1):
            if ents[j] is not None or not (doc[j].is_lower and doc[j].is_alpha):
                return False
            if doc[j].lower_ == "of":
                return j < k and self._is_head(doc[j - 1].lower_)
        return False

    def _list_follows(self, doc: Doc, person: Span, ents: list[Span | None]) -> bool:
        """Whether another personal name follows ``person`` in a list ("Ann Lee and Bo Chan")."""
        k = person.end
        while k < len(doc) and doc[k].lower_ in (",", "and"):
            k += 1
        ent = ents[k] if k < len(doc) and k > person.end else None
        return ent is not None and ent.label_ == "PERSON"

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
        if org is None or org.label_ not in ORG_TYPES:
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


def _unknown_name(tok: Token) -> bool:
    """Whether a token before a title looks like a name the NER missed ("iyO CEO Jo Roe"): then
    the title's organisation is that name, not one guessed from the sentence."""
    return tok.is_alpha and tok.ent_iob_ == "O" and not tok.is_lower and not tok.is_sent_start
