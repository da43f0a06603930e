"""Turning argument tokens into linked entities: entity spans, conjunctions, pronouns, anaphors.

Resolution order for a token: the linked entity covering it; a pronoun ("it", "its", "we", "the
company") resolved to the nearest suitable subject up the parse, then earlier in the sentence, then
earlier in the paragraph, then the article's focus organisation; an apposition ("the startup,
DeepSeek"); the organisation a speaker noun stands for ("a spokesperson for X", "X's lawyers",
"a complaint filed by X").
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from nlp.claims.context import ClaimContext
from nlp.claims.frames import active_subject, agent, is_verb, prep_objects, relative_antecedent
from nlp.claims.lexicon import Lexicon
from nlp.kb.index import slugify
from nlp.types import ENTITY_TYPES

ORGISH = frozenset({"ORG", "GOV", "MEDIA"})
# Words that say one company owns a title: "Acme, which owns the Gazette"; "its publisher, Acme".
_OWN_VERBS = frozenset({"own", "publish"})
_OWNER_NOUNS = frozenset({"owner", "publisher", "parent"})
FIRST_PLURAL = frozenset({"we", "our", "us", "ours", "ourselves"})
NEUTER = frozenset({"it", "its", "they", "their", "them", "itself", "theirs"})
PERSONAL = frozenset({"he", "she", "his", "her", "him", "hers", "himself", "herself"})
DEFINITE = frozenset({"the", "this", "that"})
_SPEAKER_PREPS = frozenset({"for", "at", "of", "from", "with"})
_LINK_WORDS = frozenset(
    {"linked", "tied", "associated", "affiliated", "connected", "backed", "belonging", "run"}
)
_MAKER_NOUNS = frozenset({"maker", "developer", "creator", "owner", "operator", "company"})
_MEDIA = frozenset({"MEDIA"})
_PERSON = frozenset({"PERSON"})
_ORG = frozenset({"ORG"})
_FIRM_ANAPHORS = frozenset(
    {"company", "firm", "startup", "start-up", "lab", "laboratory", "developer", "maker", "rival"}
    | {"competitor", "provider", "chipmaker", "business"}
)
_MEDIA_ANAPHORS = frozenset({"paper", "newspaper", "outlet", "publisher", "publication", "daily"})
_NAMING = frozenset({"call", "name", "dub"})
_TEAM_NOUNS = frozenset({"team", "unit", "division", "subsidiary", "arm", "group", "department"})


_DATELINE_TOKENS = 12


def _dateline(span: Span) -> bool:
    """ "BOSTON —", "NASHVILLE, Tenn. —": places that open the story, not actors.

    A sentence that starts with an upper-case word and has a dash within its first twelve tokens
    opens with a dateline; entities before that dash are part of it. Wire copy writes the dash
    as a spaced hyphen after a date and a credit: "SAN FRANCISCO, March 3 (Pacific Wire) - "
    is ten tokens.
    """
    sent = span.sent
    doc = span.doc
    if not doc[sent.start].text.isupper() or len(doc[sent.start].text) < 3:
        return False
    for tok in doc[sent.start : min(sent.start + _DATELINE_TOKENS, sent.end)]:
        if tok.text in ("—", "–", "--") or (
            tok.text == "-" and tok.i > 0 and doc[tok.i - 1].whitespace_ and tok.whitespace_
        ):
            return span.end <= tok.i
    return False


def _such_as(prep: Token) -> bool:
    """ "as" of "such as"."""
    return prep.i > 0 and prep.doc[prep.i - 1].lower_ == "such"


def _expletive(it: Token) -> bool:
    """ "it" that stands for a following infinitive or clause, not for an organisation."""
    head = it.head
    adjectives = [a for a in head.children if a.pos_ == "ADJ"]
    clauses = [*head.children, *(g for a in adjectives for g in a.children)]
    return any(
        c.dep_ in ("xcomp", "ccomp", "csubj", "advcl")
        and any(g.dep_ in ("aux", "mark") and g.lower_ in ("to", "that") for g in c.children)
        for c in clauses
    )


@dataclass(frozen=True, slots=True)
class Ref:
    """A resolved entity argument."""

    id: str
    name: str
    type: str


class Resolver:
    """Resolves argument tokens of one document to entity references."""

    def __init__(self, doc: Doc, ctx: ClaimContext, lex: Lexicon) -> None:
        self.doc = doc
        self.ctx = ctx
        self.lex = lex
        self.ents = [e for e in doc.ents if e.label_ in ENTITY_TYPES and not _dateline(e)]
        # Tokens of datelines: the parser often makes "BOSTON" the subject and the real one its
        # conjunct or apposition.
        self.dateline = {
            i
            for e in doc.ents
            if e.label_ in ENTITY_TYPES and _dateline(e)
            for i in range(e.start, e.end)
        }
        self._visiting: set[int] = set()
        self.ent_at: dict[int, Span] = {}
        for ent in self.ents:
            for i in range(ent.start, ent.end):
                self.ent_at[i] = ent
        self.anaphors = lex.frame("anaphor")
        self.speaker_nouns = lex.frame("speaker_noun")
        self.legal_nouns = lex.frame("legal_noun")
        # Nouns for people: their possessor is an employer, not the culprit ("Google's engineer").
        self.person_nouns = lex.frame("person_noun")
        self.speaks_for = lex.frame("speaks_for_title")
        self.firm_nouns = lex.frame("firm_noun")
        self.work_nouns = lex.frame("work_noun")
        self._title_owners: dict[str, Ref] | None = None

    def ref(self, span: Span) -> Ref:
        """The entity reference of an entity span (KB id when linked, else a slug)."""
        ent_id = span.kb_id_ or slugify(span.text)
        return Ref(ent_id, self.ctx.name(ent_id, span.text), self.ctx.type_of(ent_id, span.label_))

    def by_id(self, ent_id: str) -> Ref | None:
        """A reference for an entity id known to the context (e.g. the focus organisation)."""
        ent = self.ctx.entity(ent_id)
        if ent is not None:
            return Ref(ent.id, ent.name, ent.type)
        for span in self.ents:
            if (span.kb_id_ or slugify(span.text)) == ent_id:
                return self.ref(span)
        return None

    def owner(self, ref: Ref) -> Ref:
        """The organisation owning a product when the context knows it, else the ref itself."""
        if ref.type != "PRODUCT":
            return ref
        owner_id = self.ctx.owner(ref.id)
        if owner_id == ref.id:
            return ref
        return self.by_id(owner_id) or ref

    def publisher_of(self, ref: Ref) -> Ref:
        """The company the article says owns or publishes ``ref`` (a title), else ``ref``.

        Suits over a newspaper's archive are filed by the company that owns it: "…by Acme
        Media, which has owned the Gazette since 2011", "Acme Media, the Gazette's publisher".
        """
        if self._title_owners is None:
            self._title_owners = self._find_title_owners()
        return self._title_owners.get(ref.id, ref)

    def _find_title_owners(self) -> dict[str, Ref]:
        owners: dict[str, Ref] = {}

        def note(owner: Token | None, title: Token | None) -> None:
            if owner is None or title is None:
                return
            o, t = self.ent_at.get(owner.i), self.ent_at.get(title.i)
            if o is None or t is None:
                return
            o_ref, t_ref = self.ref(o), self.ref(t)
            if o_ref.id != t_ref.id and o_ref.type in ORGISH and t_ref.type in ORGISH:
                owners.setdefault(t_ref.id, o_ref)

        for tok in self.doc:
            lemma = tok.lemma_.lower()
            if lemma in _OWN_VERBS and is_verb(tok):
                # "Acme, which owns the Gazette"; "Acme owns the Gazette"
                for obj in (c for c in tok.children if c.dep_ == "dobj"):
                    note(active_subject(tok), obj)
            elif lemma in _OWNER_NOUNS and tok.pos_ == "NOUN":
                if tok.dep_ == "appos":
                    # "Acme, the owner of the Gazette" / "Acme, the Gazette's publisher"
                    for title in prep_objects(tok, frozenset({"of"})):
                        note(tok.head, title)
                    for c in tok.children:
                        if c.dep_ == "poss":
                            note(tok.head, c)
                else:
                    # "the Gazette's owner, Acme"
                    for c in tok.children:
                        if c.dep_ == "appos":
                            for p in tok.children:
                                if p.dep_ == "poss":
                                    note(c, p)
        return owners

    def refs(self, tok: Token, role: str, exclude: frozenset[str] = frozenset()) -> list[Ref]:
        """Resolve a token and the tokens conjoined with it ("sued A and B")."""
        out: list[Ref] = []
        for t in (tok, *tok.conjuncts):
            for m in self._members(t) or [t]:
                r = self.one(m, role, exclude)
                if r is not None and r not in out:
                    out.append(r)
        return out

    def _members(self, tok: Token) -> list[Token]:
        """The named members of a plural group: "three scraping firms, namely X, Y and Z",
        "firms such as X and Y", "companies including X"."""
        if tok.tag_ != "NNS" or tok.lemma_.lower() not in self.firm_nouns | self.person_nouns:
            return []
        heads = [c for c in tok.children if c.dep_ == "appos"]
        heads += prep_objects(tok, frozenset({"including", "like", "as"}))
        members: list[Token] = []
        for h in heads:
            members += [m for m in (h, *h.conjuncts) if m.i in self.ent_at]
        return members

    def is_named(self, tok: Token) -> bool:
        """True when the token is (or is in apposition with) an entity name, not a pronoun."""
        tok = relative_antecedent(tok)
        if tok.i in self.ent_at:
            return True
        return any(
            c.dep_ in ("appos", "compound", "poss") and c.i in self.ent_at for c in tok.children
        )

    def one(self, tok: Token, role: str, exclude: frozenset[str] = frozenset()) -> Ref | None:
        """Resolve one token to an entity for ``role`` (accused, accuser, speaker, victim).

        ``exclude`` holds ids a pronoun must not resolve to (the accuser, when resolving the
        accused of "X cut off access, saying it broke the rules").
        """
        tok = relative_antecedent(tok)
        span = self.ent_at.get(tok.i)
        if span is not None:
            return self.ref(span)
        if tok.i in self._visiting:
            return None  # "the company's engineer … its": resolution went round in a circle
        self._visiting.add(tok.i)
        try:
            return self._one(tok, role, exclude)
        finally:
            self._visiting.discard(tok.i)

    def _one(self, tok: Token, role: str, exclude: frozenset[str]) -> Ref | None:
        if tok.i in self.dateline:
            for other in (*tok.conjuncts, *(c for c in tok.children if c.dep_ == "appos")):
                if other.i not in self.dateline:
                    return self.one(other, role, exclude)
            return None
        lower = tok.lower_
        if lower in FIRST_PLURAL or lower in NEUTER or lower in PERSONAL:
            return self.pronoun(tok, exclude)
        lemma = tok.lemma_.lower()
        for c in tok.children:
            if c.dep_ == "appos" and c.i in self.ent_at:
                return self.ref(self.ent_at[c.i])
            if c.dep_ == "acl" and c.lemma_.lower() in _NAMING:
                # "an anonymous entity called X", "a start-up named X"
                for g in c.children:
                    # a party, never a product ("a voice called Nova")
                    if g.dep_ in ("oprd", "attr", "dobj") and g.i in self.ent_at:
                        named = self.ref(self.ent_at[g.i])
                        if named.type in ORGISH | _PERSON:
                            return named
            if c.dep_ == "compound" and tok.pos_ == "PROPN" and c.i in self.ent_at:
                return self.ref(self.ent_at[c.i])  # a name the linker took only part of
        if lemma in self.anaphors or lemma in self.speaker_nouns or lemma in self.legal_nouns:
            for c in tok.children:
                if c.dep_ == "poss" and c.lower_ in ("his", "her") and lemma in self.anaphors:
                    # "his company", "her firm": the firm of the person (or the officer) meant
                    firm = self._firm_of_person(c)
                    if firm is not None and firm.id not in exclude:
                        return firm
                if c.dep_ in ("compound", "poss", "nmod") and (
                    c.i in self.ent_at or c.lower_ in NEUTER | FIRST_PLURAL
                ):
                    if (
                        c.dep_ == "compound"
                        and c.i in self.ent_at
                        and self.ref(self.ent_at[c.i]).type == "GPE"
                    ):
                        continue  # "the U.S. startup": a nationality, not the firm
                    return self.one(c, role)
        if role != "accused" and (lemma in self.speaker_nouns or lemma in self.legal_nouns):
            for pobj in prep_objects(tok, _SPEAKER_PREPS | frozenset({"by"})):
                r = self.one(pobj, role)
                if r is not None:
                    return r
            for c in tok.children:
                if c.dep_ == "acl" and is_verb(c):
                    who = agent(c)
                    if who is not None:
                        return self.one(who, role)
        if role == "accused":
            linked = self._linked(tok, exclude)
            if linked is not None:
                return linked
            if lemma in self.firm_nouns:
                # "three Chinese labs, including X": the named member stands for the group
                for pobj in prep_objects(tok, frozenset({"including"})):
                    if pobj.i in self.ent_at:
                        return self.ref(self.ent_at[pobj.i])
        else:
            # "a group of artists, including X", "artists such as X"
            heads = [tok, *prep_objects(tok, frozenset({"of"}))]
            # "13 writers, names such as X": the apposition's examples
            heads += [c for c in tok.children if c.dep_ == "appos" and c.i not in self.ent_at]
            for head in heads:
                for pobj in prep_objects(head, frozenset({"including", "like"})) + [
                    p for p in prep_objects(head, frozenset({"as"})) if _such_as(p.head)
                ]:
                    r = self.one(pobj, role, exclude)
                    if r is not None:
                        return r
        definite = any(c.lower_ in DEFINITE for c in tok.children)
        if lower in ("latter", "former") and definite:
            # "sued Mercor, claiming that the latter stole…": the last or first party named
            return self._ordinal(tok, last=lower == "latter", exclude=exclude)
        if (
            role == "accused"
            and lemma in self.person_nouns
            and tok.tag_ != "NNS"
            and definite
            and not any(c.dep_ == "poss" for c in tok.children)
        ):
            # "accuses the former engineer of taking…": the person the story just named
            return self._recent(tok, frozenset({"PERSON"}), exclude)
        if (
            lemma in self.anaphors
            and tok.tag_ != "NNS"  # "the two companies" are more than one
            and definite
        ):
            if role != "accused":
                # "the publisher of The Gazette", "the owner of X"
                for pobj in prep_objects(tok, frozenset({"of", "behind"})):
                    if pobj.i in self.ent_at:
                        return self.ref(self.ent_at[pobj.i])
            if lemma in _MEDIA_ANAPHORS:
                return self._focus_or_previous(tok, _MEDIA, exclude=exclude)
            if role == "accused" and lemma in _FIRM_ANAPHORS:
                # "X sued Y, saying the AI company copied…": the firm this sentence named last,
                # never the court or agency it also names
                here = self._recent_in_sentence(tok, _ORG, exclude)
                if here is not None:
                    return here
            return self._focus_or_previous(tok, ORGISH, exclude=exclude)
        return None

    def _linked(self, tok: Token, exclude: frozenset[str]) -> Ref | None:
        """An accused named through what it owns or is tied to.

        "Quanta's camera modules infringe" → Quanta; "a group linked to X" → X; "the maker of
        ChatGPT" → ChatGPT's owner when known.
        """
        if tok.pos_ not in ("NOUN", "PROPN"):
            return None
        if tok.lemma_.lower() in self.work_nouns:
            return None  # "Getty's images were used to train…": the works' owner is the victim
        for c in tok.children:
            if c.dep_ in ("acl", "amod") and c.lower_ in _LINK_WORDS:
                for pobj in prep_objects(c, frozenset({"to", "with", "by"})):
                    if pobj.i in self.ent_at:
                        return self.ref(self.ent_at[pobj.i])
                    for named in pobj.children:  # "linked to Chinese start-up DeepSeek"
                        if named.dep_ in ("appos", "compound") and named.i in self.ent_at:
                            r = self.ref(self.ent_at[named.i])
                            if r.type in ORGISH and r.id not in exclude:
                                return r
        lemma = tok.lemma_.lower()
        if lemma in _TEAM_NOUNS:
            # "a team of its engineers", "a unit of X"
            for pobj in prep_objects(tok, frozenset({"of", "at", "from", "within"})):
                return self._linked(pobj, exclude) or self._org_of(pobj, exclude)
        if lemma in self.person_nouns:
            # "Google's engineers used…" (current staff act for the company); "a former Google
            # engineer" is an individual, named elsewhere.
            former = any(c.lower_ in ("former", "ex") for c in tok.children)
            if tok.tag_ != "NNS" or former:
                return None
        org = self._org_of(tok, exclude)
        if org is not None:
            return org
        for pobj in prep_objects(tok, frozenset({"in", "from", "inside"})):
            span = self.ent_at.get(pobj.i)
            if span is not None and self.ref(span).type == "PRODUCT":
                # "a voice in OpenAI's ChatGPT"
                r = self.owner(self.ref(span))
                return r if r.type != "PRODUCT" and r.id not in exclude else None
        if lemma in _MAKER_NOUNS:
            for pobj in prep_objects(tok, frozenset({"of", "behind"})):
                span = self.ent_at.get(pobj.i)
                if span is not None:
                    r = self.owner(self.ref(span))
                    if r.type != "PRODUCT":
                        return r
        return None

    def _plain(self, tok: Token) -> Ref | None:
        """The entity a token is part of, without any guessing."""
        span = self.ent_at.get(tok.i)
        return self.ref(span) if span is not None else None

    def _org_of(self, tok: Token, exclude: frozenset[str]) -> Ref | None:
        """The organisation possessing a noun: "X's devices", "its engineers"."""
        for c in tok.children:
            if c.dep_ != "poss":
                continue
            r = (
                self.one(c, "accused", exclude)
                if c.i not in self.ent_at
                else self.ref(self.ent_at[c.i])
            )
            if r is not None and r.type in ORGISH and r.id not in exclude:
                return r
        # "an OpenAI chatbot voice", "the DeepSeek model": a name used as a modifier owns the
        # thing; one level of nesting covers "X chatbot voice". Only linked names count.
        for c in tok.children:
            if c.dep_ != "compound":
                continue
            for m in (c, *(g for g in c.children if g.dep_ == "compound")):
                span = self.ent_at.get(m.i)
                if span is None:
                    continue
                r = self.owner(self.ref(span))
                if r.type in ORGISH and r.id not in exclude:
                    return r
        return None

    def pronoun(self, tok: Token, exclude: frozenset[str] = frozenset()) -> Ref | None:
        """Resolve a pronoun: up the parse to a subject, else back in the text, else the focus.

        An expletive "it" ("make it costly to distil", "it is illegal to copy") is nobody.
        """
        lower = tok.lower_
        if lower == "it" and _expletive(tok):
            return None
        wanted = frozenset({"PERSON"}) if lower in PERSONAL else ORGISH
        report = self.lex.frame("report") | self.lex.frame("accuse") | self.lex.frame("respond")
        for anc in tok.ancestors:
            if not is_verb(anc):
                continue
            if lower in FIRST_PLURAL and anc.lemma_.lower() not in report:
                continue
            if anc.i == tok.head.i and tok.dep_ in ("dobj", "dative", "pobj"):
                # "Forbes and Wired accused it": an object is never its own verb's subject
                subj = active_subject(anc)
                if subj is not None:
                    exclude = exclude | {
                        r.id for t in (subj, *subj.conjuncts) if (r := self._plain(t)) is not None
                    }
                continue
            subj = active_subject(anc)
            if subj is None or subj.i == tok.i or subj.lower_ in NEUTER | FIRST_PLURAL | PERSONAL:
                continue
            r = self.one(subj, "speaker")
            if r is not None and lower in FIRST_PLURAL:
                r = self.org_of_speaker(r, subj)
            if r is not None and r.type in wanted and r.id not in exclude:
                return r
        if lower in FIRST_PLURAL:
            return self._focus_or_previous(tok, ORGISH, exclude=exclude)
        return self._focus_or_previous(tok, wanted, same_sentence_first=True, exclude=exclude)

    def _focus_or_previous(
        self,
        tok: Token,
        wanted: frozenset[str],
        same_sentence_first: bool = False,
        exclude: frozenset[str] = frozenset(),
    ) -> Ref | None:
        sent = tok.sent
        if same_sentence_first:
            for span in reversed(self.ents):
                if sent.start <= span.start and span.end <= tok.i and self._is(span, wanted):
                    r = self.ref(span)
                    if r.id not in exclude:
                        return r
            # A pronoun's antecedent is most often the previous sentence's subject.
            if sent.start > 0:
                prev = self.doc[sent.start - 1].sent
                for span in self.ents:
                    if (
                        prev.start <= span.start < prev.end
                        and span.root.dep_ in ("nsubj", "nsubjpass")
                        and self._is(span, wanted)
                        and span.start_char >= self.ctx.paragraph_start(sent.start_char)
                    ):
                        r = self.ref(span)
                        if r.id not in exclude:
                            return r
        if self.ctx.focus_org and wanted & ORGISH and self.ctx.focus_org not in exclude:
            focus = self.by_id(self.ctx.focus_org)
            if focus is not None and focus.type in wanted:
                return focus
        para_start = self.ctx.paragraph_start(sent.start_char)
        for span in reversed(self.ents):
            if span.end <= sent.start and span.start_char >= para_start and self._is(span, wanted):
                r = self.ref(span)
                if r.id not in exclude:
                    return r
        return None

    def previous_org(self, tok: Token, exclude: frozenset[str]) -> Ref | None:
        """The organisation named last before ``tok`` anywhere in the article, not excluded."""
        for span in reversed(self.ents):
            if span.end <= tok.i and self._is(span, ORGISH):
                r = self.ref(span)
                if r.id not in exclude:
                    return r
        return None

    def _ordinal(self, tok: Token, last: bool, exclude: frozenset[str]) -> Ref | None:
        """ "The latter" / "the former": the last or first party named before it, in its sentence
        (else the previous one)."""
        sent = tok.sent
        scopes = [(sent.start, tok.i)]
        if sent.start > 0:
            prev = self.doc[sent.start - 1].sent
            scopes.append((prev.start, prev.end))
        for start, end in scopes:
            found = [
                self.ref(span)
                for span in self.ents
                if start <= span.start and span.end <= end and self._is(span, ORGISH | _PERSON)
            ]
            found = [r for r in found if r.id not in exclude]
            if found:
                return found[-1] if last else found[0]
        return None

    def _recent_in_sentence(
        self, tok: Token, wanted: frozenset[str], exclude: frozenset[str]
    ) -> Ref | None:
        """The party of a type named before ``tok`` in its sentence that a description means.

        A party the sentence sues or accuses ("a lawsuit against X", "sued X") or its subject
        comes first; otherwise the last one named.
        """
        spans = [
            s
            for s in self.ents
            if tok.sent.start <= s.start and s.end <= tok.i and self._is(s, wanted)
        ]
        spans = [s for s in spans if self.ref(s).id not in exclude]
        accusing = self.lex.frame("accuse")

        def salient(span: Span) -> bool:
            root = span.root
            if root.dep_ in ("nsubj", "nsubjpass"):
                return True
            if root.dep_ == "pobj" and root.head.lower_ == "against":
                return True
            return root.dep_ == "dobj" and root.head.lemma_.lower() in accusing

        for span in spans:
            if salient(span):
                return self.ref(span)
        return self.ref(spans[-1]) if spans else None

    def _recent(self, tok: Token, wanted: frozenset[str], exclude: frozenset[str]) -> Ref | None:
        """The most recent entity of a type named in this sentence or the two before it."""
        start = tok.sent.start
        for _ in range(2):
            if start == 0:
                break
            start = self.doc[start - 1].sent.start
        speaking = self.lex.frame("report")
        for span in reversed(self.ents):
            if start <= span.start and span.end <= tok.i and self._is(span, wanted):
                root = span.root
                if root.head.lemma_.lower() in speaking or any(
                    c.dep_ == "appos" and c.lemma_.lower() in self.speaker_nouns | self.speaks_for
                    for c in root.children
                ):
                    continue  # the spokesman quoted about "this employee" is not the employee
                r = self.ref(span)
                if r.id not in exclude:
                    return r
        return None

    def _is(self, span: Span, wanted: frozenset[str]) -> bool:
        return self.ctx.type_of(span.kb_id_ or slugify(span.text), span.label_) in wanted

    def _firm_of_person(self, tok: Token) -> Ref | None:
        """The organisation of the person a personal pronoun stands for: "the chief executive
        of X denied that his company…" → X; "Jane Roe said her firm…" → Roe's organisation."""
        for anc in tok.ancestors:
            if not is_verb(anc):
                continue
            subj = active_subject(anc)
            if subj is None or subj.i == tok.i or subj.lower_ in PERSONAL | NEUTER | FIRST_PLURAL:
                continue
            if subj.i in self.ent_at:
                ref = self.ref(self.ent_at[subj.i])
                if ref.type != "PERSON":
                    return None
                org = self.org_of_speaker(ref, subj)
                return org if org.type in ORGISH else None
            if subj.lemma_.lower() in self.speaker_nouns:
                titled = self.one(subj, "speaker")
                return titled if titled is not None and titled.type in ORGISH else None
        return None

    def org_of_person(self, ref: Ref) -> str | None:
        """The id of the organisation a person speaks for, from the article's roles."""
        return self.ctx.person_org.get(ref.id) if ref.type == "PERSON" else None

    def org_of_speaker(self, ref: Ref, tok: Token) -> Ref:
        """The organisation a person speaks for, else the person.

        From the context's roles (``person_org``), else from the phrase itself when it gives the
        person a speaking title there: "OpenAI spokesperson Jane Roe", "Jane Roe, X's general
        counsel". Relative clauses are not read ("Roe, who once worked at X").
        """
        if ref.type != "PERSON":
            return ref
        org_id = self.ctx.person_org.get(ref.id)
        if org_id:
            org = self.by_id(org_id)
            if org is not None:
                return org
        titled = False
        org_ref: Ref | None = None
        stack = [tok]
        while stack:
            t = stack.pop()
            for c in t.children:
                if c.dep_ in ("relcl", "acl", "advcl", "ccomp", "conj", "cc", "punct"):
                    continue
                if c.lower_ in self.speaks_for or c.lemma_.lower() in self.speaks_for:
                    titled = True
                span = self.ent_at.get(c.i)
                if span is not None and self._is(span, ORGISH) and org_ref is None:
                    org_ref = self.ref(span)
                stack.append(c)
        if titled and org_ref is not None:
            return org_ref
        return ref
