"""Role shapes that follow the name: appositions, copulas, brackets, appointments and clauses.

* **apposition or copula**: "PERSON, [the] [ORG's] title [of|at|for ORG]," -- "Jo Roe, chief
  executive of Quillmark", "Jo Roe, Ohio's attorney general", "Jo Roe is the head of X";
* **bracket**: "Jo Roe (CTO, Quillmark)";
* **appointment**: "Quillmark named Jo Roe as its chief executive";
* **relative clause with a role verb** (``role_rules.json``): "Jo Roe, who heads Quillmark's
  legal team", "who co-founded Quillmark in 2019".
"""

from __future__ import annotations

from spacy.tokens import Doc, Span

from nlp.role_orgs import ORG_TYPES, RoleBase
from nlp.titles import POSSESSIVE, PRE_ORG, QUOTE_MARKS, title_text

_CLAUSE = frozenset({"who", "which", "that", "whose", "where", "when", "has", "had", "is", "was"})
_COPULA = frozenset(
    {"who", "is", "was", "serves", "served", "as", "has", "been", "became", "remains"}
    | {"named", "appointed", "elected", "promoted", "hired", "to"}  # "who was named CEO"
    | {"resigned", "retired", "stepped", "down"}  # "who stepped down as CEO of X"
)
# Words between "who" and a role verb: "who now heads", "who has led".
_CLAUSE_ADVERBS = frozenset(
    {"now", "also", "currently", "still", "previously", "once", "formerly", "has", "had", "later"}
)
# What opens an apposition or a copula: "Jo Roe, CEO of X", "Jo Roe — X's CEO —", "Jo Roe is".
_OPENERS = frozenset({",", "—", "–", "is", "was"})
_STOP = frozenset({",", ".", ";", ":", "(", ")", "—", "–", "said", "says", "told"})


class ClauseRoles(RoleBase):
    """The shapes after the name (see the module docstring)."""

    # "PERSON, [who is] [one of] [the] [former] [ORG's] title [of lowercase words] [of|at ORG],"
    def _after(
        self, doc: Doc, person: Span, ents: list[Span | None]
    ) -> tuple[str, Span | None] | None:
        n = len(doc)
        i = person.end
        if i >= n:
            return None
        if doc[i].text == "(" and (close := self._aside_end(doc, i)) is not None:
            i = close + 1  # "Jo Roe (pictured), chief executive of Quillmark"
            if i >= n:
                return None
        bracketed = doc[i].text == "("  # "Jo Roe (CEO, Quillmark)"
        # "Quillmark named Jo Roe as its chief executive"
        appointed = doc[i].lower_ == "as" and self._appointed(doc, person.start - 1)
        if doc[i].text not in _OPENERS and not bracketed and not appointed:
            return None
        i += 1
        if i + 1 < n and doc[i].text.isdigit() and doc[i + 1].text == ",":
            i += 2  # an age: "Jo Roe, 45, Quillmark's chief executive"
        while i < n and (doc[i].lower_ in _COPULA or doc[i].lower_ in _CLAUSE_ADVERBS):
            i += 1  # "who is also", "who was named", "who stepped down as"
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
        if owner is not None and owner.label_ == "GPE" and owner.end + 1 < n:
            if doc[owner.end].text in POSSESSIVE:
                org, i = owner, owner.end + 1  # "Jo Roe, Ohio's attorney general"
            else:
                i, lead = mods, doc[mods:mods]
        elif owner is not None and owner.label_ in ORG_TYPES:
            k = self._past_suffix(doc, owner.end)  # "Quillmark Inc.'s general counsel"
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
                    and ent.label_ in ORG_TYPES
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
            if low in self.lex.employer_prepositions or low in _CLAUSE:
                break
            if not (
                self._is_title_word(low)
                or doc[i].is_lower
                or doc[i].is_upper
                or low == "-"
                or doc[i].text in QUOTE_MARKS
                # "a Republican senator", "a British judge": a party or a nationality
                or (i == start and doc[i].is_title and self._title_within(doc, ents, i + 1, 2))
            ):
                break
            if (
                low in self.lex.titles
                or (plural and self._is_head(low))
                or f"{doc[i - 1].lower_} {low}" in self.lex.titles  # "attorney general"
            ):
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
        title = title_text(words, self.lex.title_abbreviations)
        if org is None and bracketed and i + 1 < n and doc[i].text == ",":
            ent = ents[i + 1]
            org = ent if ent is not None and ent.label_ in ORG_TYPES else None
        if org is None:
            org = self._org_after(doc, i, ents)
        if org is None:
            org = self._employer(doc, ents, title, person.start)
        return title, org

    def _aside_end(self, doc: Doc, i: int) -> int | None:
        """The ")" of a short bracketed aside at token ``i`` with no title word in it, if any
        ("(pictured)", "(left)", "(D-Ohio)")."""
        for k in range(i + 1, min(i + 6, len(doc))):
            if doc[k].text == ")":
                return k if k + 1 < len(doc) and doc[k + 1].text in _OPENERS else None
            if self._is_title_word(doc[k].lower_) or doc[k].text in ("(", ","):
                return None
        return None

    def _appointed(self, doc: Doc, k: int) -> bool:
        """Whether token ``k`` is a verb of appointing ("named", "hired", "tapped")."""
        if k < 0 or not doc[k].is_alpha:
            return False
        low = doc[k].lower_
        verbs = self.lex.appointment_verbs
        return bool({doc[k].lemma_.lower(), low, low[:-1], low[:-2]} & verbs)

    # "PERSON, who [now] heads|leads|co-founded [the] [ORG's] [words] [at|of ORG]"
    def _clause(
        self, doc: Doc, person: Span, ents: list[Span | None]
    ) -> tuple[str, Span | None] | None:
        n = len(doc)
        i = person.end + (person.end < n and doc[person.end].text == ",")
        if i >= n or doc[i].lower_ != "who":
            return None
        i += 1
        while i < n and doc[i].lower_ in _CLAUSE_ADVERBS:
            i += 1
        co = i + 2 < n and doc[i].lower_ == "co" and doc[i + 1].text == "-"
        i += 2 * co
        title = self.lex.role_verbs.get(doc[i].lower_) if i < n else None
        if title is None:
            return None
        title = f"co-{title}" if co and not title.startswith("co-") else title
        i += 1
        org: Span | None = None
        for k in range(i, min(i + 8, n)):
            ent = ents[k]
            if ent is not None:
                direct = k == i or (k == i + 1 and doc[i].lower_ == "the")
                prep = doc[k - 1].lower_ in self.lex.employer_prepositions or (
                    doc[k - 1].lower_ == "the"
                    and doc[k - 2].lower_ in self.lex.employer_prepositions
                )
                if ent.label_ in ORG_TYPES and (direct or prep):
                    org = ent
                break
            if not doc[k].is_lower or doc[k].lower_ in _CLAUSE:
                break
        if org is None and person.start >= 2 and doc[person.start - 1].text in POSSESSIVE:
            owner = ents[person.start - 2]  # "Quillmark's Jo Roe, who leads the model team"
            org = owner if owner is not None and owner.label_ in ORG_TYPES else None
        return (title, org) if org is not None else None

    def _title_within(self, doc: Doc, ents: list[Span | None], k: int, width: int) -> bool:
        """A title head at ``k`` or after a few lowercase words ("board member")."""
        for j in range(k, min(k + width, len(doc))):
            if ents[j] is not None:
                return False
            if self._is_title_word(doc[j].lower_):
                return True
            if not (doc[j].is_lower or doc[j].text == "-"):  # "a Quillmark co-founder"
                return False
        return False
