"""Role patterns on spacy.blank("en") with preset NER spans."""

from __future__ import annotations


def roles_of(doc) -> set[tuple[str, str, str | None]]:
    return {(r.person, r.title, r.org) for r in doc._.ipwire_roles}


def test_apposition_with_possessive_org(with_ents) -> None:
    doc = with_ents("David Sacks, the White House's AI and crypto adviser, said it.", [])
    assert roles_of(doc) == {("David Sacks", "AI and crypto adviser", "White House")}


def test_premodifier_titles(with_ents) -> None:
    text = (
        "Vexa's chief legal officer Horacio Gutierrez spoke. OpenAI CEO Sam Altman agreed. "
        "U.S. Attorney Ismail Ramsey filed charges."
    )
    doc = with_ents(
        text,
        [
            ("Vexa", "ORG"),
            ("Horacio Gutierrez", "PERSON"),
            ("Sam Altman", "PERSON"),
            ("Ismail Ramsey", "PERSON"),
        ],
    )
    assert roles_of(doc) == {
        ("Horacio Gutierrez", "chief legal officer", "Vexa"),
        ("Sam Altman", "CEO", "OpenAI"),
        ("Ismail Ramsey", "U.S. attorney", None),
    }


def test_title_of_org_and_judge_of_court(with_ents) -> None:
    text = (
        "Dario Amodei, chief executive of Anthropic, spoke. Judge Jane Roe of the Tallin "
        "District Court ruled. Li Wei, a spokesperson for Vexa, declined."
    )
    doc = with_ents(
        text,
        [
            ("Dario Amodei", "PERSON"),
            ("Jane Roe", "PERSON"),
            ("Tallin District Court", "ORG"),
            ("Li Wei", "PERSON"),
            ("Vexa", "ORG"),
        ],
    )
    assert roles_of(doc) == {
        ("Dario Amodei", "chief executive", "Anthropic"),
        ("Jane Roe", "judge", "Tallin District Court"),
        ("Li Wei", "spokesperson", "Vexa"),
    }


def test_no_role_without_a_title_word(with_ents) -> None:
    doc = with_ents(
        "Jane Roe, who lives in Paris, and plaintiff Li Wei sued.",
        [("Jane Roe", "PERSON"), ("Li Wei", "PERSON")],
    )
    assert roles_of(doc) == set()


def test_title_at_org_before_the_name_and_possessive_pronouns(with_ents) -> None:
    text = (
        "Vexa Labs sued. A former research engineer at Vexa Labs, Kim Sato, pleaded guilty. "
        "Its chief executive, Jane Roe, spoke. Lena Park, the head of security at the "
        "venture firm Harrow Capital, and Omar Haddad, Vexa Labs' co-founder, disagreed."
    )
    doc = with_ents(
        text,
        [
            ("Vexa Labs", "ORG"),
            ("Kim Sato", "PERSON"),
            ("Jane Roe", "PERSON"),
            ("Lena Park", "PERSON"),
            ("Harrow Capital", "ORG"),
            ("Omar Haddad", "PERSON"),
        ],
    )
    assert roles_of(doc) == {
        ("Kim Sato", "former research engineer", "Vexa Labs"),
        ("Jane Roe", "chief executive", "Vexa Labs"),
        ("Lena Park", "head of security", "Harrow Capital"),
        ("Omar Haddad", "co-founder", "Vexa Labs"),
    }
