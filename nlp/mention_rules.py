"""Article-level mention rules for news text, applied by :mod:`nlp.linking` around the cleaning.

News pages are not prose: they carry section headings in Title Case, datelines, case names,
excerpts cut off mid-word, and people named with a nickname between given name and surname. A
small NER model reads each of these as a name. The rules here are mechanisms, not word lists:

* **people assembled**: "Mara “Kit” Vell" and "Mara (“Kit”) Vell" are one person, "Mara Vell";
  a one-word person span with an untagged capitalised neighbour ("designer Oren | Task") is
  extended to the full name, whatever label the NER gave the surname;
* **nested country**: "U.S." inside "U.S. District Judge" or "US District Court" is no mention;
* **case names**: "Vell v. Quillmark" names a case, so its first party there is no mention;
* **truncated**: a name touching the end of a text that stops mid-sentence is a cut-off word;
* **headings**: an unknown name found only in headline or heading lines, made of words the
  article also uses in lower case ("Potential Consequences", "Hacker Stole Its Secrets"), is
  Title Case, not a name.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable

from spacy.tokens import Doc, Span

from nlp.lexicon import Lexicon
from nlp.textprep import Block

Votes = Callable[[Doc, int, int], Counter[str]]
_OPEN_QUOTES = frozenset({"“", '"', "‘", "'", "«"})
_CLOSE_QUOTES = frozenset({"”", '"', "’", "'", "»"})
_COUNTRY_SHORT = frozenset({"U.S.", "US", "U.S", "USA", "U.S.A.", "UK", "U.K."})
_CASE_MARKERS = frozenset({"v.", "vs.", "v", "vs"})
_TITLE_HEADS = frozenset({"district", "circuit"})
_HONORIFICS = frozenset({"sir", "dame", "lord", "lady", "mr", "mrs", "ms", "dr", "prof"})
_END_PUNCT = frozenset(".!?\"'”’)]…")
# Words that stay lower case inside Title-Case headings.
_FUNCTION_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "of",
        "in",
        "on",
        "at",
        "to",
        "for",
        "from",
        "by",
        "with",
        "as",
        "over",
        "after",
        "amid",
        "amidst",
        "into",
        "vs",
    ]
)
# Words before "<name> <title>" that make the name the title's organisation: "a Quillmark
# engineer", "the Quillmark co-founder", "two former Quillmark engineers".
_LEAD_WORDS = frozenset({"a", "an", "the", "former", "ex", "several", "both", "many", "other"})
_HEADING_MAX_WORDS = 20  # headlines run to twenty words
_PROSE_MIN_WORDS = 12


def _capitalised(text: str) -> bool:
    return text[:1].isupper() and text.isalpha()


def assemble_people(
    doc: Doc, ents: list[Span], lex: Lexicon, votes: Votes | None = None
) -> tuple[list[Span], dict[tuple[int, int], str]]:
    """Join the parts of personal names the NER splits.

    Args:
        doc: The parsed doc.
        ents: Entity spans in text order (after institution merging).
        lex: The rule word lists.
        votes: The types the context of ``doc[start:end]`` suggests; with it, a one-word span
            of any label joins an untagged given name before it when the context calls the
            pair a person ("names Oren Task, a former Quillmark employee", "Task" as PRODUCT).

    Returns:
        The new span list and, for spans whose name is not their text (a nickname in the
        middle), the name to use: ``{(start, end): "Mara Vell"}``.
    """
    n = len(doc)
    owner = [-1] * n
    for k, ent in enumerate(ents):
        for i in range(ent.start, ent.end):
            owner[i] = k
    drop: set[int] = set()
    extra: list[Span] = []
    names: dict[tuple[int, int], str] = {}
    vocabulary: frozenset[str] = frozenset()
    # 1. Given name, quoted nickname (optionally in brackets), surname.
    for j in (t.i for t in doc if t.text in _OPEN_QUOTES):
        bracket = j >= 2 and doc[j - 1].text == "("
        i = j - 1 - bracket
        if i < 0 or j + 3 >= n or not _capitalised(doc[i].text):
            continue
        if not _capitalised(doc[j + 1].text) or doc[j + 2].text not in _CLOSE_QUOTES:
            continue
        k = j + 3 + (bracket and doc[j + 3].text == ")")
        if k >= n or not _capitalised(doc[k].text) or doc[k].lower_ in lex.junk_words:
            continue
        vocabulary = vocabulary or common_words(doc)
        if not all(
            _plain_name_word(doc[t].lower_, lex, vocabulary) for t in (i, k)
        ):  # "Into ‘Superintelligence’ Group" is a headline, not a nickname
            continue
        touched = {owner[t] for t in range(i, k + 1) if owner[t] >= 0}
        if any(ents[t].kb_id_ for t in touched):
            continue
        drop |= touched
        extra.append(Span(doc, i, k + 1, label="PERSON"))
        names[(i, k + 1)] = f"{doc[i].text} {doc[k].text}"
    # 2. A one-word person span beside an untagged capitalised proper noun that the article
    # never uses as an ordinary word ("Bowie Bonds" beside "the bonds" is no name).
    for idx, ent in enumerate(ents):
        if idx in drop or ent.kb_id_ or ent.end - ent.start != 1:
            continue
        vocabulary = vocabulary or common_words(doc)
        s, e = ent.start, ent.end
        if ent.label_ != "PERSON":
            if (
                votes is not None
                and s > 0
                and _name_part(doc, s - 1, owner, lex, vocabulary)
                and (v := votes(doc, s - 1, e))
                and v.most_common(1)[0][0] == "PERSON"
                # at a sentence start only with an apposition: "Surya Midha, co-founder of"
                and (not doc[s - 1].is_sent_start or v["PERSON"] >= 2)
            ):
                drop.add(idx)
                extra.append(Span(doc, s - 1, e, label="PERSON"))
            continue
        glued = glued_word_end(doc, e) if e < n and doc[e - 1].whitespace_ else e
        if (
            e < n
            and glued > e + 1
            and all(owner[t] < 0 for t in range(e, glued))
            and _plain_name_word(doc[e:glued].text.lower(), lex, vocabulary)
        ):
            e = glued  # a surname the tokenizer split as a contraction: "Jony I've"
        elif (
            e < n
            and _name_part(doc, e, owner, lex, vocabulary)
            and not (e + 1 < n and doc[e + 1].is_title)
        ):
            e += 1
        elif (
            s > 0
            and _name_part(doc, s - 1, owner, lex, vocabulary)
            and not doc[s - 1].is_sent_start
        ):
            s -= 1
        if (s, e) != (ent.start, ent.end):
            drop.add(idx)
            extra.append(Span(doc, s, e, label="PERSON"))
    # 3. A name ending in a generational suffix is a person's, whatever the NER made of its
    # parts: "Sewell" (ORG) + "Setzer III" -> "Sewell Setzer III".
    for k in (t.i for t in doc if t.lower_ in lex.generational_suffixes and t.text[:1].isupper()):
        s = k
        while s > 0 and k - s < 3 and doc[s - 1].is_title and doc[s - 1].is_alpha:
            if "\n" in doc[s - 1].whitespace_ or doc[s - 1].lower_ in lex.titles:
                break
            s -= 1
        if k - s < 2 or any(ents[t].kb_id_ for t in {owner[i] for i in range(s, k + 1)} if t >= 0):
            continue
        touched = {owner[i] for i in range(s, k + 1) if owner[i] >= 0}
        if any(ents[t].start < s or ents[t].end > k + 1 for t in touched):
            continue
        drop |= touched
        extra = [x for x in extra if x.end <= s or x.start > k]
        extra.append(Span(doc, s, k + 1, label="PERSON"))
    if not extra:
        return ents, names
    kept = [ent for k, ent in enumerate(ents) if k not in drop]
    return sorted([*kept, *extra], key=lambda sp: sp.start), names


def glued_word_end(doc: Doc, i: int) -> int:
    """The end of the word starting at token ``i`` when the tokenizer split a capitalised word
    with no space inside ("Ive" -> "I" + "ve"): the tokens up to the next space, if they
    are letters only and spell a capitalised word; else ``i + 1``."""
    j = i + 1
    while j < len(doc) and j - i < 3 and not doc[j - 1].whitespace_ and doc[j].is_alpha:
        j += 1
    word = doc[i:j].text
    if j - i > 1 and word.isalpha() and word.istitle():
        return j
    return i + 1


def _name_part(
    doc: Doc, i: int, owner: list[int], lex: Lexicon, vocabulary: frozenset[str]
) -> bool:
    tok = doc[i]
    low = tok.lower_
    return (
        owner[i] < 0
        and tok.is_title
        and tok.is_alpha
        and (tok.tag_ in ("NNP", "NNPS") or not doc.has_annotation("TAG"))
        and "\n" not in tok.whitespace_
        and _plain_name_word(low, lex, vocabulary)
    )


def _plain_name_word(low: str, lex: Lexicon, vocabulary: frozenset[str]) -> bool:
    """A word that can be part of a personal name: no title, honorific, ordinary word or head."""
    return (
        low not in lex.titles
        and low not in _HONORIFICS
        and low not in _FUNCTION_WORDS
        and low not in vocabulary
        and low not in lex.junk_words
        and low not in lex.demonyms
        and low not in lex.determiners
        and low not in lex.org_heads
        and low not in lex.gov_heads
        and low not in lex.media_heads
    )


def nested_country(doc: Doc, start: int, end: int, lex: Lexicon) -> bool:
    """Whether ``doc[start:end]`` is a country's short form opening a longer name or title:
    "U.S. District Judge", "US District Court", "U.S. AI Safety Institute", "US attorney"."""
    if doc[start:end].text not in _COUNTRY_SHORT:
        return False
    k = end
    while k < len(doc) and doc[k].is_upper and len(doc[k]) > 1 and doc[k].is_alpha:
        k += 1  # acronyms in between: "U.S. AI Safety Institute"
    if k >= len(doc) or not doc[k].is_alpha or "\n" in doc[k - 1].whitespace_:
        return False
    nxt = doc[k]
    if nxt.is_title and not nxt.is_sent_start:
        return True  # not "... in the U.S. Additionally, ..."
    return nxt.lower_ in _TITLE_HEADS or nxt.lower_ in lex.titles or nxt.lower_ in lex.gov_heads


def in_case_name(doc: Doc, start: int, end: int) -> bool:
    """Whether ``doc[start:end]`` is the first party of a case name ("Vell v. Quillmark")."""
    return end < len(doc) and doc[end].lower_ in _CASE_MARKERS and end - start == 1


def truncated(doc: Doc, end: int) -> bool:
    """Whether a mention ending at token ``end`` is cut off by the end of an excerpt: nothing
    but at most one word follows it ("The Straits T"), the text stops with no punctuation, and
    its last line is prose (a list line "Sources: Acme, Daily Post" ends with no full stop)."""
    if end < len(doc) - 3:
        return False
    rest = [t for t in doc[end:] if not t.is_space]
    if len(rest) > 1 or (rest and not rest[0].is_alpha):
        return False
    last_line = doc.text.rstrip().rsplit("\n", 1)[-1]
    if len(last_line.split()) < _PROSE_MIN_WORDS:
        return False
    last = (rest[-1] if rest else doc[end - 1]).text
    return bool(last) and last[-1] not in _END_PUNCT


def heading_ranges(text: str, blocks: list[Block]) -> list[tuple[int, int]]:
    """Character ranges of the headline and of heading lines (short Title-Case lines with no
    final punctuation: section headings, standfirst labels)."""
    out: list[tuple[int, int]] = []
    for b in blocks:
        if b.kind == "headline" or (b.kind == "paragraph" and is_heading(text[b.start : b.end])):
            out.append((b.start, b.end))
    return out


def is_heading(line: str) -> bool:
    """A short line in Title Case with no final sentence punctuation."""
    line = line.strip().lstrip("•-–—*# ").strip()
    if not line or line[-1] in '.!?:;,"”’)' or not line[0].isupper():
        return False
    words = re.findall(r"[A-Za-z][\w'’-]*", line)
    if not words or len(words) > _HEADING_MAX_WORDS:
        return False
    content = [w for w in words if w.lower() not in _FUNCTION_WORDS]
    return bool(content) and all(w[0].isupper() for w in content)


def common_words(doc: Doc) -> frozenset[str]:
    """Lower-case alphabetic words of the doc (the article's ordinary vocabulary)."""
    return frozenset(t.text for t in doc if t.is_lower and t.is_alpha and len(t) > 2)


def title_case_phrase(words: list[str], vocabulary: frozenset[str]) -> bool:
    """Whether a name is ordinary words in Title Case: one of its words is used in lower case
    elsewhere in the article ("Potential Consequences" beside "the consequences")."""
    return any(w.lower() in vocabulary for w in words)


def in_prose(name: str, text: str, ranges: list[tuple[int, int]]) -> bool:
    """Whether ``name`` occurs in ``text`` outside the heading ranges (a name in the body)."""
    for m in re.finditer(re.escape(name), text):
        if not any(a <= m.start() < b for a, b in ranges):
            return True
    return False


def starts_clause(doc: Doc, i: int) -> bool:
    """Whether token ``i`` opens a sentence, a line, a list item or a quotation: a place where
    any word is capitalised."""
    if i == 0 or doc[i].is_sent_start:
        return True
    prev = doc[i - 1]
    return (
        prev.is_space
        or "\n" in prev.whitespace_
        or prev.text in _OPEN_QUOTES
        or prev.text in ("•", "-", "–", "—", "*", ":")
    )


def ordinary_word(word: str, vocabulary: frozenset[str]) -> bool:
    """Whether a capitalised word is one the article also writes in lower case, allowing for a
    plural ("Users" beside "users", "Utilities" beside "utility")."""
    low = word.lower()
    forms = {low}
    if low.endswith("ies"):
        forms.add(low[:-3] + "y")
    if low.endswith("es"):
        forms.add(low[:-2])
    if low.endswith("s"):
        forms.add(low[:-1])
    return bool(forms & vocabulary)


def owns_title(doc: Doc, start: int, end: int, lex: Lexicon) -> str:
    """The head of the title that the name ``doc[start:end]`` is the organisation of ("" if
    none). The title follows the name, and a personal name follows the title ("Quillmark chief
    Ada Brix", "Halloway & Crane partner Jo Roe", "zyQ CEO Jo Roe", "Quillmark co-founders Ada
    Brix and ...") or an article precedes the name ("a Quillmark engineer", "the Quillmark
    co-founder"). A public office ("Ohio Attorney General", "Democratic Senator") does not
    count: the word before it is a place, a party or a court."""
    n = len(doc)
    k, head = end, ""
    while k < n and k < end + 5 and "\n" not in doc[k - 1].whitespace_:
        low = doc[k].lower_
        single = low[:-1] if low.endswith("s") and low[:-1] in lex.titles else low
        if single in lex.titles or low in lex.title_abbreviations:
            head = single
        elif not (low in lex.title_modifiers or low in ("-", "co", "and")):
            break
        k += 1
    if not head or head in lex.public_offices:
        return ""
    if start > 0 and doc[k - 1].lower_.rstrip("s") == head.rstrip("s"):
        prev = doc[start - 1]
        if prev.lower_ in _LEAD_WORDS or (prev.like_num and prev.is_alpha):
            return head  # "a Quillmark engineer", "two former Quillmark engineers"
    if k >= n or "\n" in doc[k - 1].whitespace_:
        return ""
    nxt = doc[k]
    named = (
        nxt.is_title
        and nxt.is_alpha
        and nxt.lower_ not in lex.titles
        and (nxt.tag_ in ("NNP", "NNPS") or not doc.has_annotation("TAG"))
    )
    return head if named else ""
