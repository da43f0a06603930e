"""The many ways news prose states a person's role, one row each (fictional people and orgs).

The first table runs on ``spacy.blank("en")`` with the NER spans given, so it tests the role
shapes alone; the second runs the trained small model end to end, for the shapes that need a
parse (a sentence's subject, a noun's part of speech).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from spacy.tokens import Doc

from nlp.analyze import Analyzer

Role = tuple[str, str, str | None]

# (text, NER spans, a role that must be found, roles that must not be)
BLANK_CASES: list[tuple[str, list[tuple[str, str]], Role, list[Role]]] = [
    (
        "Vexa Labs boss Jo Roe denied it.",
        [("Vexa Labs", "ORG"), ("Jo Roe", "PERSON")],
        ("Jo Roe", "boss", "Vexa Labs"),
        [],
    ),
    (
        "Sen. Jo Roe wrote to Vexa Labs.",
        [("Vexa Labs", "ORG"), ("Jo Roe", "PERSON")],
        ("Jo Roe", "senator", None),
        [],
    ),
    (
        "Rep. Jo Roe wrote to Vexa Labs.",
        [("Vexa Labs", "ORG"), ("Jo Roe", "PERSON")],
        ("Jo Roe", "representative", None),
        [],
    ),
    (
        "Ohio (U.S.) Attorney General Jo Roe opened an inquiry.",
        [("Ohio", "GPE"), ("Jo Roe", "PERSON")],
        ("Jo Roe", "Ohio attorney general", "Ohio"),
        [],
    ),
    (
        "Vexa Labs' then-chief scientist Jo Roe left in May.",
        [("Vexa Labs", "ORG"), ("Jo Roe", "PERSON")],
        ("Jo Roe", "then-chief scientist", "Vexa Labs"),
        [],
    ),
    (
        "Jo Roe, Ohio's attorney general, opened an inquiry.",
        [("Ohio", "GPE"), ("Jo Roe", "PERSON")],
        ("Jo Roe", "attorney general", "Ohio"),
        [],
    ),
    (
        "Jo Roe (CTO, Vexa Labs) testified on Tuesday.",
        [("Vexa Labs", "ORG"), ("Jo Roe", "PERSON")],
        ("Jo Roe", "CTO", "Vexa Labs"),
        [],
    ),
    (
        "Jo Roe, who heads Vexa Labs' legal team, declined to comment.",
        [("Vexa Labs", "ORG"), ("Jo Roe", "PERSON")],
        ("Jo Roe", "head", "Vexa Labs"),
        [],
    ),
    (
        "Jo Roe, who now leads research at Vexa Labs, disagreed.",
        [("Vexa Labs", "ORG"), ("Jo Roe", "PERSON")],
        ("Jo Roe", "lead", "Vexa Labs"),
        [],
    ),
    (
        "Jo Roe, who co-founded Vexa Labs in 2019, disagreed.",
        [("Vexa Labs", "ORG"), ("Jo Roe", "PERSON")],
        ("Jo Roe", "co-founder", "Vexa Labs"),
        [],
    ),
    (
        "Jo Roe, who founded Vexa Labs, disagreed.",
        [("Vexa Labs", "ORG"), ("Jo Roe", "PERSON")],
        ("Jo Roe", "founder", "Vexa Labs"),
        [],
    ),
    (
        "Vexa Labs' Jo Roe, who leads the model team, disagreed.",
        [("Vexa Labs", "ORG"), ("Jo Roe", "PERSON")],
        ("Jo Roe", "lead", "Vexa Labs"),
        [],
    ),
    (
        "Jo Roe, an attorney representing Vexa Labs, said the ruling was wrong.",
        [("Vexa Labs", "ORG"), ("Jo Roe", "PERSON")],
        ("Jo Roe", "attorney", "Vexa Labs"),
        [],
    ),
    (
        "Orbit hired Jo Roe, a senior researcher from Vexa Labs, in June.",
        [("Orbit", "ORG"), ("Vexa Labs", "ORG"), ("Jo Roe", "PERSON")],
        ("Jo Roe", "senior researcher", "Vexa Labs"),
        [],
    ),
    (
        "Jo Roe, head of the Tenfold group Vexa, spoke first.",
        [("Tenfold", "ORG"), ("Vexa", "ORG"), ("Jo Roe", "PERSON")],
        ("Jo Roe", "head", "Vexa"),
        [("Jo Roe", "head", "Tenfold")],
    ),
    (
        "Ben Ode, the CEO of Mira Lusk's startup Quiet Harbor, joined.",
        [("Ben Ode", "PERSON"), ("Mira Lusk", "PERSON"), ("Quiet Harbor", "ORG")],
        ("Ben Ode", "CEO", "Quiet Harbor"),
        [("Mira Lusk", "CEO", None)],
    ),
    (
        "Vexa Labs named Jo Roe as its chief technology officer.",
        [("Vexa Labs", "ORG"), ("Jo Roe", "PERSON")],
        ("Jo Roe", "chief technology officer", "Vexa Labs"),
        [],
    ),
    (
        "Orbit sued Vexa. In May, zyQ CEO Jo Roe pitched a deal to Orbit.",
        [("Orbit", "ORG"), ("Vexa", "ORG"), ("Jo Roe", "PERSON")],
        ("Jo Roe", "CEO", None),  # an unrecognised name owns the title: no guess
        [("Jo Roe", "CEO", "Orbit"), ("Jo Roe", "CEO", "Vexa")],
    ),
    (
        "The deal was reported by Vexa's partner, Jo Roe. The lawyer for Ann Lee spoke.",
        [("Vexa", "ORG"), ("Jo Roe", "PERSON"), ("Ann Lee", "PERSON")],
        ("Jo Roe", "partner", "Vexa"),
        [("Ann Lee", "lawyer", None)],  # "the lawyer for Ann Lee" is not Ann Lee's title
    ),
    (
        "Jo Roe \u2014 Vexa's chief executive \u2014 said it.",
        [("Vexa", "ORG"), ("Jo Roe", "PERSON")],
        ("Jo Roe", "chief executive", "Vexa"),
        [],
    ),
    (
        "Jo Roe, 45, Vexa's chief executive, said it.",
        [("Vexa", "ORG"), ("Jo Roe", "PERSON")],
        ("Jo Roe", "chief executive", "Vexa"),
        [],
    ),
    (
        "Jo Roe, Vexa Inc.'s general counsel, said it.",
        [("Vexa Inc.", "ORG"), ("Jo Roe", "PERSON")],
        ("Jo Roe", "general counsel", "Vexa"),
        [],
    ),
    (
        "Jo Roe, the Vexa co-founder, said it.",
        [("Vexa", "ORG"), ("Jo Roe", "PERSON")],
        ("Jo Roe", "co-founder", "Vexa"),
        [],
    ),
    (
        "Jo Roe, a Republican senator from Ohio, wrote to Vexa.",
        [("Ohio", "GPE"), ("Vexa", "ORG"), ("Jo Roe", "PERSON")],
        ("Jo Roe", "republican senator", None),
        [],
    ),
    (
        "Digital Minister Jo Roe wrote to Vexa.",
        [("Digital", "ORG"), ("Vexa", "ORG"), ("Jo Roe", "PERSON")],
        ("Jo Roe", "Digital minister", None),  # a portfolio, not an organisation
        [("Jo Roe", "minister", "Digital")],
    ),
    (
        "Two former Vexa engineers, Ann Lee and Bo Chan, were charged.",
        [("Vexa", "ORG"), ("Ann Lee", "PERSON"), ("Bo Chan", "PERSON")],
        ("Bo Chan", "engineers", "Vexa"),
        [],
    ),
    (
        "Jo Roe, who is also Vexa's chief executive, said it.",
        [("Vexa", "ORG"), ("Jo Roe", "PERSON")],
        ("Jo Roe", "chief executive", "Vexa"),
        [],
    ),
    (
        "Jo Roe, who stepped down as chief executive of Vexa in May, said it.",
        [("Vexa", "ORG"), ("Jo Roe", "PERSON")],
        ("Jo Roe", "chief executive", "Vexa"),
        [],
    ),
    (
        "Jo Roe (pictured), chief executive of Vexa, said it.",
        [("Vexa", "ORG"), ("Jo Roe", "PERSON")],
        ("Jo Roe", "chief executive", "Vexa"),
        [],
    ),
    (
        "Jo Roe, a researcher at Vexa's Tern Lab, said it.",
        [("Vexa", "ORG"), ("Tern Lab", "ORG"), ("Jo Roe", "PERSON")],
        ("Jo Roe", "researcher", "Tern Lab"),
        [],
    ),
    (
        "Cask Whitford partner Jo Roe told jurors the patents were narrow.",
        [("Cask Whitford", "PERSON"), ("Jo Roe", "PERSON")],
        ("Jo Roe", "partner", "Cask Whitford"),  # the name that owns a title is no person
        [],
    ),
]


@pytest.mark.parametrize(("text", "ents", "role", "wrong"), BLANK_CASES)
def test_role_phrasing_on_rules_alone(
    with_ents: Callable[[str, list[tuple[str, str]]], Doc],
    text: str,
    ents: list[tuple[str, str]],
    role: Role,
    wrong: list[Role],
) -> None:
    found = {(r.person, r.title, r.org) for r in with_ents(text, ents)._.ipwire_roles}
    assert role in found, found
    assert not set(wrong) & found, found


# (text, person, title, org): what the trained model and the rules find together.
MODEL_CASES: list[tuple[str, str, str, str | None]] = [
    (
        "FBI Special Agent Dorian Pell wrote in an affidavit that the files were copied.",
        "Dorian Pell",
        "special agent",
        "FBI",  # the tiny test KB does not know the bureau
    ),
    (
        "The departures have shaken Corvid Systems. Chief research officer Helga Brandt told "
        "staff that the company would recover.",
        "Helga Brandt",
        "chief research officer",
        "Corvid Systems",
    ),
    (
        "Corvid Systems has refused to add tracking to its chips. Chief security officer "
        "Helga Brandt wrote that backdoors were dangerous.",
        "Helga Brandt",
        "chief security officer",
        "Corvid Systems",
    ),
    (
        "Corvid Systems sued Zephyr Labs on Monday, and CEO Helga Brandt said the rival had "
        "copied its code.",
        "Helga Brandt",
        "CEO",
        "Corvid Systems",
    ),
    (
        "The venture is a big bet for Corvid Systems, with chief executive Helga Brandt "
        "predicting that robots will make most of its revenue.",
        "Helga Brandt",
        "chief executive",
        "Corvid Systems",
    ),
    (
        "Corvid Systems' vice president of engineering, Tomas Reyl, said the model was his.",
        "Tomas Reyl",
        "vice president of engineering",
        "Corvid Systems",
    ),
    (
        "Maeve Odhiambo, head of the Canadian lab Corvid Systems, spoke first.",
        "Maeve Odhiambo",
        "head",
        "Corvid Systems",
    ),
    (
        "Corvid Systems named Maeve Odhiambo as its new chief technology officer.",
        "Maeve Odhiambo",
        "new chief technology officer",
        "Corvid Systems",
    ),
]


@pytest.mark.parametrize(("text", "person", "title", "org"), MODEL_CASES)
def test_role_phrasing_with_the_model(
    model_analyzer: Analyzer, text: str, person: str, title: str, org: str | None
) -> None:
    roles = {(r.person, r.title, r.org) for r in model_analyzer.analyze(text).roles}
    assert (person, title, org) in roles, roles


# (text, name, type, names that must not be entities): who owns a title is an organisation.
ENTITY_CASES: list[tuple[str, str, str, list[str]]] = [
    ("Quillmark chief Ada Brix declined to comment.", "Quillmark", "ORG", []),
    ("Nimbus AI Executive VP Renzo Abarca left to start a rival.", "Nimbus AI", "ORG", []),
    (
        "Ilse Vargo, a Halloway & Crane attorney who represents the authors, spoke.",
        "Ilse Vargo",
        "PERSON",
        [],
    ),
    (
        "Dorian Pell, an FBI agent, wrote in an affidavit that files were copied.",
        "Dorian Pell",
        "PERSON",
        [],
    ),
    ("Dorian Pell, Ohio's attorney general, opened an investigation.", "Dorian Pell", "PERSON", []),
    (
        "Two former Quillmark engineers, Tomas Reyl and Ada Brix, were charged.",
        "Quillmark",
        "ORG",
        [],
    ),
    (
        "Ada Brix, who stepped down as chief executive of Quillmark in May, declined to comment.",
        "Quillmark",
        "ORG",
        [],
    ),
    ("In May, zyQ CEO Jo Roe pitched a deal to the board.", "zyQ", "ORG", []),
    (
        "Corvid Systems Chief Executive Officer Helga Brandt said the code was copied.",
        "Corvid Systems",
        "ORG",
        ["Executive", "Chief Executive Officer"],
    ),
    (
        "Maeve Odhiambo, the Nimbus AI researcher who built the model, disagreed.",
        "Nimbus AI",
        "ORG",
        ["Nimbus"],
    ),
    ("Ada Brix, a Gazetteer reporter, asked the question.", "Gazetteer", "MEDIA", []),
]


@pytest.mark.parametrize(("text", "name", "etype", "absent"), ENTITY_CASES)
def test_the_name_before_a_title_is_its_organisation(
    model_analyzer: Analyzer, text: str, name: str, etype: str, absent: list[str]
) -> None:
    ents = {e.name: e.type for e in model_analyzer.analyze(text).entities}
    assert ents.get(name) == etype, ents
    assert not set(absent) & set(ents), ents
