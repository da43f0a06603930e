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


def test_apposition_with_modifier_before_the_org_and_quoted_titles(with_ents) -> None:
    text = (
        "Mara Olsen, a former Quillmark design chief, left. "
        "Tor Lind, a now former Vexa board member, spoke. "
        'Ada Berg, an "early Quillmark engineer," quit. '
        'Ivo Rask, a former "senior finance executive" at Vexa, sued. '
        "Lea Moss, one of the co-founders of Harrow Capital, denied it."
    )
    doc = with_ents(
        text,
        [
            ("Quillmark", "ORG"),
            ("Vexa", "ORG"),
            ("Harrow Capital", "ORG"),
            ("Mara Olsen", "PERSON"),
            ("Tor Lind", "PERSON"),
            ("Ada Berg", "PERSON"),
            ("Ivo Rask", "PERSON"),
            ("Lea Moss", "PERSON"),
        ],
    )
    assert roles_of(doc) == {
        ("Mara Olsen", "former design chief", "Quillmark"),
        ("Tor Lind", "now former board member", "Vexa"),
        ("Ada Berg", "early engineer", "Quillmark"),
        ("Ivo Rask", "former senior finance executive", "Vexa"),
        ("Lea Moss", "co-founders", "Harrow Capital"),
    }


def test_plural_title_covers_a_list_of_names(with_ents) -> None:
    text = "Vexa hired Quillmark's Oslo-based researchers Ann Lee, Bo Chan, and Cy Dahl."
    doc = with_ents(
        text,
        [
            ("Vexa", "ORG"),
            ("Quillmark", "ORG"),
            ("Oslo", "GPE"),
            ("Ann Lee", "PERSON"),
            ("Bo Chan", "PERSON"),
            ("Cy Dahl", "PERSON"),
        ],
    )
    assert roles_of(doc) == {
        ("Ann Lee", "researchers", "Quillmark"),
        ("Bo Chan", "researchers", "Quillmark"),
        ("Cy Dahl", "researchers", "Quillmark"),
    }


def test_plural_word_after_a_comma_or_in_a_clause_is_no_title(with_ents) -> None:
    text = (
        "Hailed as one of the bench's finest opinion authors, Judge Ida Voss wrote it. "
        "Per Holm, who represents the authors, said so."
    )
    doc = with_ents(text, [("Ida Voss", "PERSON"), ("Per Holm", "PERSON")])
    assert roles_of(doc) == {("Ida Voss", "judge", None)}


def test_title_case_department_titles_after_a_possessive(with_ents) -> None:
    text = (
        "Quillmark's Vice President of Public Affairs, Nora Lund, spoke. "
        "Vexa's AI Lab Director, Emil Sand, agreed. "
        "Quillmark's \u201cAI czar\u201d Rolf Aas was not there."
    )
    doc = with_ents(
        text,
        [
            ("Quillmark", "ORG"),
            ("Public Affairs", "ORG"),
            ("Vexa", "ORG"),
            ("Nora Lund", "PERSON"),
            ("Emil Sand", "PERSON"),
            ("Rolf Aas", "PERSON"),
        ],
    )
    assert roles_of(doc) == {
        ("Nora Lund", "vice president of public affairs", "Quillmark"),
        ("Emil Sand", "AI lab director", "Vexa"),
        ("Rolf Aas", "AI czar", "Quillmark"),
    }


def test_court_or_department_before_an_office_and_state_offices(with_ents) -> None:
    text = (
        "Fourth Circuit Judge Ines Varga ruled. Treasury Secretary Omar Falk spoke. "
        "Nevada Attorney General Rita Cole sued. U.S. Attorney Leo Brandt charged him."
    )
    doc = with_ents(
        text,
        [
            ("Fourth Circuit", "GOV"),
            ("Treasury", "GOV"),
            ("Nevada", "GPE"),
            ("U.S.", "GPE"),
            ("Ines Varga", "PERSON"),
            ("Omar Falk", "PERSON"),
            ("Rita Cole", "PERSON"),
            ("Leo Brandt", "PERSON"),
        ],
    )
    assert roles_of(doc) == {
        ("Ines Varga", "Fourth Circuit judge", None),
        ("Omar Falk", "Treasury secretary", None),
        ("Rita Cole", "Nevada attorney general", "Nevada"),
        ("Leo Brandt", "U.S. attorney", None),
    }


def test_a_title_never_ends_with_a_preposition() -> None:
    import spacy

    from nlp.titles import title_text

    doc = spacy.blank("en")("legal representative of")
    assert title_text(doc[:]) == "legal representative"
