"""Linker rules on spacy.blank("en"): the NER's spans are preset by the ``with_ents`` fixture."""

from __future__ import annotations

from spacy.tokens import Doc

from nlp.kb.index import new_slug, slugify


def ents_of(doc: Doc) -> list[tuple[str, str, str]]:
    return [(e.text, e.label_, e.kb_id_) for e in doc.ents]


def test_kb_phrase_patterns_link_names_and_aliases_case_insensitively(with_ents) -> None:
    doc = with_ents("Openai and DEEPSEEK AI met the New York Times.", [])
    assert ents_of(doc) == [
        ("Openai", "ORG", "openai"),
        ("DEEPSEEK AI", "ORG", "deepseek"),
        ("New York Times", "MEDIA", "new-york-times"),
    ]


def test_case_sensitive_and_context_dependent_records(with_ents) -> None:
    doc = with_ents("A meta-analysis of apple harvests by Meta.", [])
    assert ents_of(doc) == [("Meta", "ORG", "meta")]
    no_context = with_ents("Apple pie is popular.", [])
    assert ents_of(no_context) == []
    context = with_ents("Apple sells the iPhone.", [])
    assert ents_of(context) == [("Apple", "ORG", "apple")]


def test_stoplist_and_junk_are_never_entities(with_ents) -> None:
    doc = with_ents(
        "AI and the API of IP law; He said Monday 2024 it works.",
        [
            ("AI", "GPE"),
            ("API", "ORG"),
            ("IP", "ORG"),
            ("He", "PERSON"),
            ("Monday", "ORG"),
            ("2024", "ORG"),
            ("it", "ORG"),
        ],
    )
    assert ents_of(doc) == []


def test_possessives_descriptors_and_legal_suffixes_are_stripped(with_ents) -> None:
    doc = with_ents(
        "AI startup Quillmark Inc. said Quillmark's model works. Chinese Vexa copied it.",
        [("AI startup Quillmark Inc.", "ORG"), ("Quillmark's", "ORG"), ("Chinese Vexa", "ORG")],
    )
    assert ents_of(doc) == [
        ("Quillmark", "ORG", "new:quillmark"),
        ("Quillmark", "ORG", "new:quillmark"),
        ("Vexa", "ORG", "new:vexa"),
    ]
    assert doc._.ipwire_entities["new:quillmark"].count == 2


def test_surnames_and_short_names_link_to_the_full_entity(with_ents) -> None:
    text = (
        "David Sacks met Jane Okafor. Sacks said so, and Okafor agreed. "
        "The New York Times reported it; the Times said more."
    )
    doc = with_ents(text, [("Jane Okafor", "PERSON"), ("Okafor", "PERSON")])
    linked = {(e.text, e.kb_id_) for e in doc.ents}
    assert ("Sacks", "david-sacks") in linked
    assert ("Okafor", "new:jane-okafor") in linked
    assert ("Times", "new-york-times") in linked
    ent = doc._.ipwire_entities["new:jane-okafor"]
    assert (ent.name, ent.type, ent.count, ent.aliases) == ("Jane Okafor", "PERSON", 2, ("Okafor",))


def test_lone_surname_without_full_name_is_not_linked_to_the_kb(with_ents) -> None:
    doc = with_ents("Sacks is a word for bags.", [])
    assert ents_of(doc) == []


def test_org_prefix_and_fuzzy_variants(with_ents) -> None:
    doc = with_ents(
        "Quillmark Labs sued. Quillmark said so. Anthrophic declined.",
        [("Quillmark Labs", "ORG"), ("Quillmark", "PERSON"), ("Anthrophic", "ORG")],
    )
    assert ents_of(doc) == [
        ("Quillmark Labs", "ORG", "new:quillmark-labs"),
        ("Quillmark", "ORG", "new:quillmark-labs"),
        ("Anthrophic", "ORG", "anthropic"),
    ]


def test_unknown_types_from_name_heads_and_context(with_ents) -> None:
    doc = with_ents(
        "The Ministry of Data and the Tallin District Court heard the Harbour Gazette. "
        "Vexa, an Austin startup, built Kestrel-2. Maria Lopez spoke. Zorblat declined.",
        [
            ("Ministry of Data", "ORG"),
            ("Tallin District Court", "ORG"),
            ("Harbour Gazette", "PERSON"),
            ("Vexa", "GPE"),
            ("Kestrel-2", "ORG"),
            ("Maria Lopez", "ORG"),
            ("Zorblat", "PERSON"),
        ],
    )
    types = {e.text: e.label_ for e in doc.ents}
    assert types == {
        "Ministry of Data": "GOV",
        "Tallin District Court": "GOV",
        "Harbour Gazette": "MEDIA",
        "Vexa": "ORG",
        "Kestrel-2": "PRODUCT",
        "Maria Lopez": "PERSON",
        "Zorblat": "ORG",
    }


def test_split_court_names_are_merged(with_ents) -> None:
    doc = with_ents(
        "A judge of the District Court for the District of Maine ruled.",
        [("District Court", "ORG"), ("District of Maine", "GPE")],
    )
    assert ents_of(doc) == [
        (
            "District Court for the District of Maine",
            "GOV",
            "new:district-court-for-the-district-of-maine",
        ),
    ]


def test_focus_org_prefers_headline_and_subjects(blank_nlp) -> None:
    doc = blank_nlp.make_doc("Anthropic cuts off OpenAI\n\nAnthropic said OpenAI broke rules.")
    doc._.has_title = True
    for _, proc in blank_nlp.pipeline:
        doc = proc(doc)
    assert doc._.focus_org == "anthropic"


def test_new_slugs_are_stable_ascii() -> None:
    assert slugify("Société Générale") == "societe-generale"
    assert new_slug("Quillmark AI") == "new:quillmark-ai"
    assert new_slug("Quillmark AI") == new_slug("Quillmark  AI")


def test_hyphenated_given_names_are_completed(with_ents) -> None:
    doc = with_ents("Kim Ji-won said so.", [("Kim Ji", "PERSON")])
    assert ents_of(doc) == [("Kim Ji-won", "PERSON", "new:kim-ji-won")]


def test_byline_with_outlet_is_split(with_ents) -> None:
    doc = with_ents("By Li Wen/Meridian Wire", [("Li Wen/Meridian Wire", "PERSON")])
    assert ents_of(doc) == [("Li Wen", "PERSON", "new:li-wen")]


def test_versioned_names_are_products_but_laws_are_not(with_ents) -> None:
    doc = with_ents(
        "Tern 3 ships under Section 230 rules.",
        [("Tern 3", "LAW"), ("Section 230", "LAW")],
    )
    assert ents_of(doc) == [("Tern 3", "PRODUCT", "new:tern-3")]
