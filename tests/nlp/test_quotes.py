"""Quote finding and speaker resolution."""

from __future__ import annotations

from nlp.quote_marks import find_direct, reporting_verbs, speech_verbs
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


def test_verb_table_marks_direct_only_attribution_verbs() -> None:
    assert {"said", "reported", "stating", "alleging"} <= reporting_verbs()
    assert {"confirmed", "denied", "calling"} <= speech_verbs() - reporting_verbs()


def test_speaker_from_a_verb_ending_the_previous_paragraph(with_ents) -> None:
    text = (
        "Vexa sued Quillmark on Monday.\n"
        "After the vote, Senator Hedda Lunde said:\n"
        '"This kind of copying has to stop before it spreads further."'
    )
    doc = with_ents(text, [("Vexa", "ORG"), ("Quillmark", "ORG"), ("Hedda Lunde", "PERSON")])
    got = [(q.speaker, q.direct) for q in doc._.ipwire_quotes]
    assert got == [("Hedda Lunde", True)]


REPORTED = (
    "Vexa Labs sued Quillmark in federal court on Monday, alleging that the startup copied "
    "its model weights.\n\n"
    "The Daily Ledger reported that the two companies had discussed a licence last year.\n\n"
    "The talks ended in March, reported the Daily Ledger.\n\n"
    '"Quillmark took what it could not build," the lawsuit states.\n\n'
    "Ana Holt, the lawyer for Bo Dane, told the jury that the parts were "
    '"the grammar of every song." She continued: "Nobody owns the grammar of songs."\n\n'
    "Quillmark confirmed that it had received the complaint. Quillmark's spokesperson, "
    "Martin Ekholm, expressed regret, stating that the company would cooperate."
)


def test_real_model_reported_speech_and_plaintiff(model_analyzer) -> None:
    ann = model_analyzer.analyze(REPORTED, title="Vexa Labs sues Quillmark over model weights")
    by_text = {q.text: q.speaker for q in ann.quotes}
    # "X reported that ..." and the inverted "..., reported X." are X speaking.
    assert by_text["the two companies had discussed a licence last year"] == "Daily Ledger"
    assert by_text["The talks ended in March"] == "Daily Ledger"
    # What the lawsuit says, the plaintiff says.
    assert by_text["Quillmark took what it could not build"] == "Vexa Labs"
    # The quote's own sentence names its speaker before the next sentence's "She continued".
    assert by_text["the grammar of every song."] == "Ana Holt"
    # "stating that" is reported speech; "sued ..., alleging that" and "confirmed that" are not.
    assert by_text["the company would cooperate"] == "Martin Ekholm"
    assert not any("copied its model weights" in t for t in by_text)
    assert not any("received the complaint" in t for t in by_text)
