"""Context votes: the entity types the words around a mention suggest.

Used by :mod:`nlp.mentions` (to find the names the NER missed) and :mod:`nlp.linking` (to type
the names the knowledge base does not know): "AI startup Quillmark", "chief executive Jane
Roe" (the word before), "the Kestrel-2 model" (the word after), "Quillmark, an Austin-based
startup," (an apposition), "Quillmark chief Ada Brix" (the organisation of a title), "Jane Roe,
who ..." (a person), "X reported that ..." (an outlet).
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from spacy.tokens import Doc, Token

from nlp.kb.index import KbIndex
from nlp.lexicon import Lexicon
from nlp.mention_rules import owns_title

if TYPE_CHECKING:
    from nlp.mentions import Candidate

_POSSESSIVE = frozenset({"'s", "’s", "'", "’"})
#: Words before "agent" that make it an officer's title, not a software agent.
_RANKS = frozenset({"special", "federal", "undercover", "secret", "border", "customs"})


class ContextVoter:
    """Votes for entity types from a mention's context (see the module docstring)."""

    def __init__(self, kb: KbIndex, lex: Lexicon) -> None:
        self.kb = kb
        self.lex = lex

    def vote(self, doc: Doc, cands: list[Candidate]) -> None:
        """Record on each candidate the types its context suggests (see :meth:`context_votes`)."""
        for c in cands:
            start = c.variants[0][0]
            # a full name the NER calls a person is not an outlet because it "wrote"
            person = c.label == "PERSON" and 2 <= c.end - start <= 3
            c.votes.update(self.context_votes(doc, start, c.end, person))

    def context_votes(self, doc: Doc, start: int, end: int, person: bool = False) -> Counter[str]:
        """Types suggested by the words around ``doc[start:end]``.

        "AI startup Quillmark" / "chief executive Jane Roe" (the word right before),
        "the Kestrel-2 model" (the word right after), "Quillmark, an Austin-based startup,"
        (the head noun of an apposition), "Jane Roe, who ..." (a person).
        """
        desc = self.lex.descriptors
        titles = self.lex.titles
        n = len(doc)
        votes: Counter[str] = Counter()
        i = start - 1
        if i >= 1 and doc[i].text == "," and doc[i - 1].lower_ in titles:
            votes["PERSON"] += 1  # "Pixelwright's chief executive, Sun-Hee Park,"
        elif i >= 1 and doc[i].text == "," and doc[i - 1].is_lower and doc[i - 1].lower_ in desc:
            votes[desc[doc[i - 1].lower_]] += 1  # "Quillmark's chatbot, Lumen,"
        if i >= 0 and doc[i].is_alpha:
            word = doc[i].lower_
            if word.endswith("s") and word[:-1] in titles and word not in self.lex.org_heads:
                word = word[:-1]  # "team members Ana Ruiz and ...", not "partners"
            if word in titles and (
                desc.get(word, "PERSON") == "PERSON" or self._officer(doc, i)  # "FBI agent Jo Roe"
            ):
                votes["PERSON"] += 1  # "French President Macron", "chief executive Jane Roe"
            elif word in desc and doc[i].is_lower:
                votes[desc[word]] += 1
        j = end
        for k in (j, j + 1):  # "the Kestrel-2 model", "the Tern coding assistant"
            if k < n and doc[k].is_lower and desc.get(doc[k].lower_) == "PRODUCT":
                votes["PRODUCT"] += 1
                break
            if k < n and not (doc[k].is_lower and doc[k].is_alpha):
                break
        owned = owns_title(doc, start, end, self.lex)
        if owned:
            # "Quillmark chief Ada Brix": the title's organisation; "a Gazette reporter": an outlet
            votes["MEDIA" if owned in self.lex.media_titles else "ORG"] += 2
        elif i >= 1 and not (j < n and doc[j].text in _POSSESSIVE):
            before = doc[i - 1].lower_
            employer = " ".join(t.lower_ for t in doc[max(i - 3, 0) : i])
            if (
                doc[i].lower_ in ("at", "with")
                and before in titles
                and before not in self.lex.public_offices
            ) or (
                doc[i].lower_ == "of"
                and any(
                    employer.endswith(t) and (employer == t or employer.endswith(" " + t))
                    for t in self.lex.employer_titles
                )
            ):
                votes["ORG"] += 1  # "a partner at Cask Whitford", "chief executive of Quillmark"
        votes.update(self.media_votes(doc, start, end, person))
        if i >= 1 and doc[i].lower_ in ("called", "named") and doc[i - 1].lower_ in desc:
            votes[desc[doc[i - 1].lower_]] += 2  # "an anonymous entity called Vantor"
        if j + 1 < n and doc[j].text == ",":
            if doc[j + 1].lower_ == "who":
                votes["PERSON"] += 1
                return votes
            if (
                j + 2 < n
                and doc[j + 1].like_num
                and doc[j + 1].text.isdigit()
                and 14 <= int(doc[j + 1].text) <= 110
                and doc[j + 2].text == ","
            ):
                votes["PERSON"] += 2  # "Jane Roe, 38, was arrested": an age
                return votes
            head: Token | None = None
            for k in range(j + 1, min(j + 8, n)):
                t = doc[k]
                if (t.text == "-" and not t.whitespace_) or (k > 0 and doc[k - 1].text == "-"):
                    if t.is_lower and (t.lower_ in desc or t.lower_ in titles):
                        head = t  # "co-founder of ...": the last piece heads the word
                    continue  # "a machine-learning professor", "an Austin-based startup"
                if t.is_lower and t.lower_ in desc:
                    head = t  # tagged VERB at times ("an AI startup based in ...")
                    continue
                if t.pos_ == "VERB" and t.dep_ in ("amod", "compound") and t.tag_ == "VBG":
                    continue  # "a chip manufacturing company"
                if (
                    (t.is_punct and t.text != "&")
                    or (t.pos_ in ("VERB", "AUX", "ADP", "PRON", "CCONJ") and t.text != "&")
                    or t.lower_ in ("who", "which", "that", "and", "of", "in", "at", "for")
                ):
                    break
                head = t
            if head is not None and head.lower_ in titles and self._officer(doc, head.i):
                votes["PERSON"] += 2  # "Jo Roe, an FBI agent," (but "Tern, an AI agent,")
            elif head is not None and head.is_lower and head.lower_ in desc:
                votes[desc[head.lower_]] += 2  # an apposition defines: the strongest evidence
            elif head is not None and head.lower_ in titles:
                votes["PERSON"] += 1
        return votes

    def _officer(self, doc: Doc, k: int) -> bool:
        """Whether the title word at ``k``, which also names a product ("agent"), is an
        officer's title: an agency or a rank comes before it ("an FBI agent", "a special
        agent")."""
        prev = doc[k - 1] if k > 0 else None
        return prev is not None and (
            prev.ent_type_ == "GOV" or prev.lower_ in self.lex.gov_heads or prev.lower_ in _RANKS
        )

    def media_votes(self, doc: Doc, start: int, end: int, person: bool = False) -> Counter[str]:
        """MEDIA when the context treats ``doc[start:end]`` as a news outlet (the cues are data,
        ``media_cues`` in ``entity_rules.json``): the subject of "reported that" / "writes" with
        no object, "X's request for comment", "More from X", or the bracketed name of a dateline
        ("OAKDALE (KXYZ) —"). The verb cue is not read for a ``person`` (a full name the NER
        calls a person) nor across an apposition ("Jo Roe, an FBI agent, wrote")."""
        lex = self.lex
        votes: Counter[str] = Counter()
        n = len(doc)
        j = end + (end < n and doc[end].text in _POSSESSIVE)
        after = tuple(t.lower_ for t in doc[j : j + 4])
        if any(after[: len(cue)] == cue for cue in lex.media_after):
            votes["MEDIA"] += 2
        before = tuple(t.lower_ for t in doc[max(start - 3, 0) : start])
        if any(before[len(before) - len(cue) :] == cue for cue in lex.media_before):
            votes["MEDIA"] += 2
        head = doc[end - 1].head
        if (
            doc[end - 1].dep_ == "nsubj"
            and not person
            and not (end < n and doc[end].text == ",")
            and not (start > 0 and doc[start - 1].lower_ in lex.titles)  # "Judge Ana Ruiz wrote"
            and head.lemma_ in lex.media_verbs
            and not any(c.dep_ in ("dobj", "attr") for c in head.children)
        ):
            votes["MEDIA"] += 2
        if (
            start >= 2
            and end < n - 1
            and doc[start - 1].text == "("
            and doc[end].text == ")"
            and doc[start - 2].is_upper
            and doc[end + 1].text in ("—", "–", "-", "--")
        ):
            votes["MEDIA"] += 2  # "OAKDALE (KXYZ) — ...", like "(Reuters) -"
        return votes
