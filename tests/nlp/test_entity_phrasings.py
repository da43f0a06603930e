"""Entity names and types in the phrasings news uses (fictional organisations and products).

The product-name and token-repair rules are tested on ``spacy.blank("en")``; the table runs the
trained small model end to end, since it is about what the rules make of the NER's output.
"""

from __future__ import annotations

import pytest
import spacy

from nlp.analyze import Analyzer
from nlp.lexicon import load_lexicon
from nlp.product_names import versioned_names
from nlp.token_repairs import repair_tokens


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Nimbus said Quill-5 was trained on its data.", ["Quill-5"]),
        ("Users of Aster-2.1-mini saw it repeat novels.", ["Aster-2.1-mini"]),
        ("Critics compared Lumen-Coder-7B with Tern3 on Monday.", ["Lumen-Coder-7B", "Tern3"]),
        ("Nimbus released Aster 2.1 and Aster 2.1 Pro today.", ["Aster 2.1", "Aster 2.1 Pro"]),
        ("Zephyr shipped Tern-4 Mini last week.", ["Tern-4 Mini"]),
        # references, amounts, postcodes and short codes are no products
        ("See Section 2.1 and Figure 3.4 of the filing.", []),
        ("Orbit raised Velt 2.5 million last year.", []),
        ("The COVID-19 rules and K-12 schools, at EC4Y, under F-35 cover.", []),
    ],
)
def test_versioned_names_are_products(text: str, names: list[str]) -> None:
    doc = spacy.blank("en")(text)
    found = versioned_names(doc, [], load_lexicon())
    assert [s.text for s in found] == names
    assert all(s.label_ == "PRODUCT" for s in found)


def test_a_product_the_ner_found_takes_its_variant_and_version() -> None:
    doc = spacy.blank("en")("Zephyr's Tern-3 Mini and Gemlight 2.5 Pro were leaked.")
    taken = [doc.char_span(9, 15, label="PRODUCT"), doc.char_span(25, 33, label="PRODUCT")]
    assert all(s is not None for s in taken)
    found = versioned_names(doc, [s for s in taken if s is not None], load_lexicon())
    assert [s.text for s in found] == ["Tern-3 Mini", "Gemlight 2.5 Pro"]


def test_a_stop_glued_to_a_versioned_name_is_split_off() -> None:
    doc = spacy.blank("en")("They tested Quill-5V. However, Tern3-V. The end. Ask Dr. Roe.")
    repair_tokens(doc)
    words = [t.text for t in doc]
    assert words[2:4] == ["Quill-5V", "."]
    assert words[8:10] == ["V", "."]  # "Tern3-V."
    assert "Dr." in words  # an ordinary abbreviation keeps its stop


# (text, {name: type}, names that must not be entities)
MODEL_CASES: list[tuple[str, dict[str, str], list[str]]] = [
    ("Nimbus AI said Quill-5 was trained on its own data.", {"Quill-5": "PRODUCT"}, []),
    (
        "Nimbus AI compared its model with Quill-5V. However, the test was small.",
        {"Quill-5V": "PRODUCT"},
        ["Quill-5V. However"],
    ),
    (
        "Zephyr Labs released Tern-4 Pro and Tern-4 Mini on Monday.",
        {"Tern-4 Pro": "PRODUCT", "Tern-4 Mini": "PRODUCT"},
        [],
    ),
    ("Orrin, a startup based in Lisbon, denied the claims.", {"Orrin": "ORG"}, []),
    ("Nimbus AI's chatbot, Lumen, repeated passages from novels.", {"Lumen": "PRODUCT"}, []),
    ("Nimbus AI trained its model on Shadowshelf, a pirate library.", {"Shadowshelf": "ORG"}, []),
    (
        "The Oakridge Courier reported that Nimbus AI had scraped its archive.",
        {"Oakridge Courier": "MEDIA"},
        ["Courier"],
    ),
    ("Character.AI said it would work with the commission.", {"Character.AI": "ORG"}, []),
    (
        "Nimbus AI said its Customer Files were copied. The customer files held prompts.",
        {"Nimbus AI": "ORG"},
        ["Customer Files"],  # ordinary words in capitals, written in lower case later
    ),
    (
        "The Grammy-winning singer Ada Brix and Kim Ji-won sued Nimbus AI.",
        {"Ada Brix": "PERSON", "Kim Ji-won": "PERSON"},
        ["Grammy-winning"],  # a compound adjective is no part of a name
    ),
    (
        "Quill beat ChatGPT, Tern and Claude on the benchmark.",
        {"ChatGPT": "PRODUCT", "Tern": "PRODUCT"},  # a list's members share a type
        [],
    ),
    (
        "The suit was filed by Disney, Marlow, Vantapix and Universal against Nimbus AI.",
        {"Marlow": "ORG"},  # a list member the NER skipped
        [],
    ),
    (
        "Nimbus released Velt-small-3.2 on Monday. Critics said Velt's Small 3.2 was copied.",
        {"Velt-small-3.2": "PRODUCT"},
        ["Small 3.2"],  # the same product without its maker's name
    ),
    (
        "Nimbus released Velt Small 3.2 on Monday, a month after Velt Medium 3.1.",
        {"Velt Small 3.2": "PRODUCT", "Velt Medium 3.1": "PRODUCT"},
        ["Velt Small"],
    ),
]


@pytest.mark.parametrize(("text", "want", "absent"), MODEL_CASES)
def test_entity_phrasing_with_the_model(
    model_analyzer: Analyzer, text: str, want: dict[str, str], absent: list[str]
) -> None:
    got = {e.name: e.type for e in model_analyzer.analyze(text).entities}
    assert {k: got.get(k) for k in want} == want, got
    assert not set(absent) & set(got), got
