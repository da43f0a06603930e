"""News-text mention rules (:mod:`nlp.mention_rules` and the cleaning in :mod:`nlp.mentions`).

Each test stands for one failure class seen on real news, written with fictional names. The NER's
spans are preset by the ``with_ents`` fixture, as a small statistical model would tag them.
"""

from __future__ import annotations

from spacy.tokens import Doc

from nlp.mention_rules import is_heading


def entities(doc: Doc) -> dict[str, tuple[str, tuple[str, ...]]]:
    return {e.name: (e.type, e.aliases) for e in doc._.ipwire_entities.values()}


def test_dates_and_amounts_are_never_products(with_ents) -> None:
    doc = with_ents(
        "In a memo of 12 February 2026, around 500,000 writers and the Orca-7 model were named. "
        "Between 2022 and 2023 nothing happened.",
        [
            ("12 February 2026", "DATE"),
            ("around 500,000", "CARDINAL"),
            ("Orca-7", "WORK_OF_ART"),
            ("Between 2022 and 2023", "DATE"),
        ],
    )
    assert entities(doc) == {"Orca-7": ("PRODUCT", ())}


def test_title_case_headings_are_not_organisations(with_ents) -> None:
    text = (
        "Quillmark Faces Hard Questions\n\n"
        "Quillmark said on Monday that its models were trained on licensed text.\n\n"
        "Potential Consequences\n\n"
        "The consequences for the startup could be severe, and the allegations are serious.\n\n"
        "Allegations\n\n"
        "Critics said the hard questions remained."
    )
    doc = with_ents(
        text,
        [
            ("Quillmark", "ORG"),
            ("Potential Consequences", "ORG"),
            ("Allegations", "ORG"),
            ("Hard Questions", "ORG"),
        ],
    )
    assert set(entities(doc)) == {"Quillmark"}


def test_heading_lines_are_short_title_case_lines_without_final_punctuation() -> None:
    assert is_heading("Digital Shortcuts and the Art of Distillation")
    assert is_heading("Allegations")
    assert not is_heading("Quillmark denied the claims.")
    assert not is_heading("the quiet part")


def test_a_nicknamed_person_is_one_entity_with_the_surname_as_alias(with_ents) -> None:
    doc = with_ents(
        "The engineer, Oren “Jay” Task, left in May. Task denied it. "
        "Mara (“Kit”) Vell was charged; Vell pleaded not guilty.",
        [("Oren", "GPE"), ("Jay” Task", "PERSON"), ("Mara", "PERSON"), ("Vell", "ORG")],
    )
    ents = entities(doc)
    assert ents["Oren Task"][0] == "PERSON"
    assert "Task" in ents["Oren Task"][1]
    assert ents["Mara Vell"][0] == "PERSON"
    assert "Vell" in ents["Mara Vell"][1]
    assert set(ents) == {"Oren Task", "Mara Vell"}


def test_a_split_surname_joins_the_given_name_whatever_its_label(with_ents) -> None:
    doc = with_ents(
        "The suit names Tomasz Wrenfield, a former Quillmark employee. Wrenfield denies it.",
        [("Quillmark", "ORG"), ("Wrenfield", "PRODUCT")],
    )
    ents = entities(doc)
    assert ents["Tomasz Wrenfield"] == ("PERSON", ("Wrenfield",))
    assert set(ents) == {"Tomasz Wrenfield", "Quillmark"}
    right = with_ents(
        "Quillmark hired designer Ines Calloway after the ruling.", [("Ines", "PERSON")]
    )
    assert entities(right)["Ines Calloway"] == ("PERSON", ())


def test_us_is_the_united_states_unless_nested_in_a_longer_name(with_ents) -> None:
    alone = with_ents("The threat to US companies grew.", [])
    assert entities(alone) == {"United States": ("GPE", ("US",))}
    nested = with_ents(
        "U.S. District Judge Ada Brenn ruled, and US attorney Pel Orrin agreed.",
        [("Ada Brenn", "PERSON"), ("Pel Orrin", "PERSON")],
    )
    assert "United States" not in entities(nested)


def test_case_names_and_cut_off_words_are_no_mentions(with_ents) -> None:
    doc = with_ents(
        "The case, Vell v. Quillmark, went to trial and the startup hired dozens of "
        "specialists, most of them PhDs. Sorn",
        [("Vell", "ORG"), ("Quillmark", "ORG"), ("Sorn", "PERSON")],
    )
    assert set(entities(doc)) == {"Quillmark"}


def test_a_name_on_heading_lines_only_is_a_headline_phrase(with_ents) -> None:
    text = (
        "Quillmark Files Suit, Alleges Copying of Robot Arm Designs Amid Team Upheaval\n\n"
        "Quillmark sued a former engineer on Tuesday over designs for its robot arm.\n\n"
        "Digital Shortcuts and the Art of Copying\n\n"
        "The engineer denied it.\n\n"
        "Mara Vell"
    )
    doc = with_ents(
        text,
        [
            ("Quillmark", "ORG"),
            ("Alleges Copying of Robot Arm Designs", "PERSON"),
            ("Team Upheaval", "ORG"),
            ("Digital Shortcuts", "ORG"),
            ("Mara Vell", "PERSON"),
        ],
    )
    # a byline on its own line is a heading by its shape, but a person's name stays
    assert set(entities(doc)) == {"Quillmark", "Mara Vell"}


def test_a_plural_word_opening_sentences_is_no_organisation(with_ents) -> None:
    text = (
        "Quillmark's subscribers were angry.\n\n"
        "Subscribers said the update broke their tools. “Subscribers will leave,” one added."
    )
    doc = with_ents(text, [("Quillmark", "ORG"), ("Subscribers", "ORG")])
    assert set(entities(doc)) == {"Quillmark"}


def test_outlet_cues_make_an_unknown_name_media(with_ents) -> None:
    text = (
        "OAKDALE (KQLT) — Quillmark sued Vexa Labs on Monday. "
        "Vexa Labs did not respond to Harbor Ledger's request for comment.\n\n"
        "More from Tidewater Media\n\n"
        "An anonymous group called Seventh Lantern posted the files."
    )
    doc = with_ents(
        text,
        [
            ("KQLT", "ORG"),
            ("Quillmark", "ORG"),
            ("Vexa Labs", "ORG"),
            ("Harbor Ledger", "ORG"),
            ("Tidewater Media", "ORG"),
            ("Seventh Lantern", "GPE"),
        ],
    )
    types = {name: etype for name, (etype, _) in entities(doc).items()}
    assert types["KQLT"] == "MEDIA"
    assert types["Harbor Ledger"] == "MEDIA"
    assert types["Tidewater Media"] == "MEDIA"
    assert types["Seventh Lantern"] == "ORG"
    assert types["Quillmark"] == types["Vexa Labs"] == "ORG"


def test_product_descriptors_type_an_unknown_name(with_ents) -> None:
    text = "Vexa Labs copied designs from the robotics program Atlasine and the Atlasine robot."
    doc = with_ents(text, [("Vexa Labs", "ORG"), ("Quillmark", "ORG"), ("Atlasine", "ORG")])
    assert entities(doc)["Atlasine"][0] == "PRODUCT"


def test_an_outlet_that_reports_is_media_but_a_judge_who_writes_is_not(model_analyzer) -> None:
    ann = model_analyzer.analyze(
        "Brightquay reported that the Vexa Labs model matched Quillmark's outputs. "
        '"The work is not protected," Judge Mara Vell wrote for the court.',
        title="Vexa Labs faces copying claim",
    )
    types = {e.name: e.type for e in ann.entities}
    assert types.get("Brightquay") == "MEDIA"
    assert types.get("Mara Vell") == "PERSON"
