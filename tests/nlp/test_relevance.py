from nlp.relevance import load_model, score_relevance
from nlp.textprep import compose_text, split_blocks
from nlp.types import Claim


def _score(title: str, body: str, claims: list[Claim] = ()) -> tuple[float, bool]:  # type: ignore[assignment]
    text = compose_text(title, body)
    return score_relevance(text, split_blocks(text, has_title=True), claims)


def _claim(start: int, ctype: str = "distillation", legal: str | None = None) -> Claim:
    return Claim(
        ctype,
        "a",
        "A",
        "b",
        "B",
        None,
        None,
        None,
        None,
        "alleged",
        legal,
        "s",
        start,
        start + 1,
        0,
    )


def test_incident_story_is_relevant() -> None:
    score, relevant = _score(
        "Lab accuses rival of distilling its AI model",
        "Vexa said on Monday that Quillmark had distilled its model through the API, "
        "violating its terms of service. Vexa has sued Quillmark in federal court.",
    )
    assert relevant
    assert load_model().threshold <= score <= 1.0


def test_funding_news_mentioning_a_lawsuit_in_passing_is_not_relevant() -> None:
    score, relevant = _score(
        "Quillmark raises $40 million in Series B funding",
        "Quillmark, an AI startup, raised $40 million to build coding models.\n"
        "The round values the company at $400 million.\n"
        "The company, which faced a copyright lawsuit last year, plans to hire engineers.",
    )
    assert not relevant
    assert score < load_model().threshold


def test_claims_in_the_lead_raise_the_score() -> None:
    body = "Vexa says a rival copied its AI model. More text follows here."
    without, _ = _score("Vexa statement", body)
    with_claim, _ = _score("Vexa statement", body, [_claim(20)])
    two_claims, relevant = _score("Vexa statement", body, [_claim(20), _claim(30)])
    assert without < with_claim < two_claims
    assert relevant


def test_empty_text_is_not_relevant() -> None:
    assert score_relevance("", [], []) == (0.0, False)


def test_an_ip_suit_with_its_claims_in_the_lead_is_relevant() -> None:
    # Publishers suing an AI answer engine: the claims carry the decision, not keyword density.
    title = "Three publishers sue Brindle Search over AI answers"
    body = (
        "Three newspaper publishers sued Brindle Search, an AI answer engine, saying it copied "
        "their articles without permission.\nBrindle said it would fight the case."
    )
    start = len(title) + 2
    _, relevant = _score(title, body, [_claim(start, "copyright_infringement", "lawsuit")] * 3)
    assert relevant


def test_lawsuits_that_are_not_about_ip_are_not_relevant() -> None:
    cases = [
        (
            "Parents sue chatbot maker Lumo over son's death",
            "The parents of a teenager sued Lumo, an AI chatbot company, alleging its chatbot "
            "encouraged their son's suicide. The wrongful death lawsuit was filed on Tuesday.",
        ),
        (
            "Kestrel AI sues Vantor and Orbis in antitrust case",
            "Kestrel AI sued two rivals, accusing them of conspiring to monopolize the market for "
            "AI assistants in violation of antitrust law.",
        ),
        (
            "Radio host sues Quell over chatbot's false claims",
            "A radio host sued Quell Labs for defamation after its AI chatbot said he had "
            "embezzled money from a charity.",
        ),
    ]
    for title, body in cases:
        score, relevant = _score(title, body)
        assert not relevant, (title, score)


def test_an_ip_fight_with_no_ai_in_it_is_not_relevant() -> None:
    title = "Jury finds Marlow Memory infringed Tessen's module patents"
    body = (
        "A federal jury found that Marlow Memory infringed two patents on server memory modules "
        "held by Tessen and awarded $90 million in damages."
    )
    start = len(title) + 2
    score, relevant = _score(title, body, [_claim(start, "patent_infringement", "ruling")] * 2)
    assert not relevant
    assert score < 0.1
