"""Quote finding and speaker resolution."""

from __future__ import annotations

from nlp.quote_marks import find_direct
from nlp.textprep import split_blocks


def test_direct_quotes_straight_curly_and_across_paragraphs() -> None:
    text = (
        'She said "we will appeal" today.\n'
        "“This is theft,” he said. “It is also a pattern.\n"
        "“We will not let it stand.”\n"
        'A so-called "distillation" attack.'
    )
    raws = find_direct(text, split_blocks(text, has_title=False))
    texts = [" ".join(r.pieces) for r in raws]
    assert texts == [
        "we will appeal",
        "This is theft,",
        "It is also a pattern. We will not let it stand.",
        "distillation",
    ]
    merged = raws[2]
    assert text[merged.start : merged.end].startswith("It is also")
    assert text[merged.start : merged.end].endswith("stand.")


def test_speakers_from_adjacent_verbs_pronouns_and_descriptions(with_ents) -> None:
    text = (
        "Vexa accused OpenAI.\n"
        '"We take this seriously," said Jane Roe.\n'
        '"We will fight," she added.\n'
        '"We disagree with the claims," the company said.\n'
        '"That is not true at all," a spokesperson for Anthropic said.\n'
        '"One word" and "another pair" appear.'
    )
    doc = with_ents(text, [("Vexa", "ORG"), ("Jane Roe", "PERSON")])
    got = [(q.speaker, q.text, q.direct) for q in doc._.ipwire_quotes]
    assert got[:4] == [
        ("Jane Roe", "We take this seriously", True),
        ("Jane Roe", "We will fight", True),
        ("Vexa", "We disagree with the claims", True),
        ("Anthropic", "That is not true at all", True),
    ]


def test_pull_quote_is_not_repeated(with_ents) -> None:
    text = '"We will protect our work," said Jane Roe.\n"We will protect our work."'
    doc = with_ents(text, [("Jane Roe", "PERSON")])
    assert len(doc._.ipwire_quotes) == 1
