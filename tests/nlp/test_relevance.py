from nlp.relevance import score_relevance
from nlp.textprep import compose_text, split_blocks
from nlp.types import Claim


def _score(title: str, body: str, claims: list[Claim] = ()) -> tuple[float, bool]:  # type: ignore[assignment]
    text = compose_text(title, body)
    return score_relevance(text, split_blocks(text, has_title=True), claims)


def _claim(start: int) -> Claim:
    return Claim(
        "distillation",
        "a",
        "A",
        "b",
        "B",
        None,
        None,
        None,
        None,
        "alleged",
        None,
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
    assert relevant and 0.5 <= score <= 1.0


def test_funding_news_mentioning_a_lawsuit_in_passing_is_not_relevant() -> None:
    score, relevant = _score(
        "Quillmark raises $40 million in Series B funding",
        "Quillmark, an AI startup, raised $40 million to build coding models.\n"
        "The round values the company at $400 million.\n"
        "The company, which faced a copyright lawsuit last year, plans to hire engineers.",
    )
    assert not relevant and score < 0.5


def test_claims_in_the_lead_raise_the_score() -> None:
    body = "Vexa says a rival copied its AI model. More text follows here."
    without, _ = _score("Vexa statement", body)
    with_claim, _ = _score("Vexa statement", body, [_claim(20)])
    two_claims, relevant = _score("Vexa statement", body, [_claim(20), _claim(30)])
    assert without < with_claim < two_claims
    assert relevant


def test_empty_text_is_not_relevant() -> None:
    assert score_relevance("", [], []) == (0.0, False)
