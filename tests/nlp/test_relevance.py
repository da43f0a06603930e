from nlp.relevance import Layout, layout, load_model, reports_ip_wrong, score_relevance
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


def _layout(title: str, body: str) -> Layout:
    text = compose_text(title, body)
    return layout(text, split_blocks(text, has_title=True))


def test_a_headline_cut_short_is_completed_from_the_paragraph_that_repeats_it() -> None:
    parts = _layout(
        "Corvane accused of copying …",
        "Corvane accused of copying Halcyon's language model\n"
        "An anonymous group said on Friday that Corvane's new model was a lightly retrained copy.\n"
        "Corvane denied it in a statement posted on its website.",
    )
    assert parts.head == "Corvane accused of copying Halcyon's language model"
    assert parts.lead.startswith("An anonymous group said")
    assert "Corvane accused of copying" not in " ".join(parts.paragraphs)


def test_a_headline_that_is_not_repeated_stays_as_it_is() -> None:
    parts = _layout(
        "Vexa cuts off …", "Vexa Labs said on Monday that it had revoked a start-up's access."
    )
    assert parts.head == "Vexa cuts off …"


def test_repeated_paragraphs_count_once_and_a_stray_label_is_not_the_lead() -> None:
    parts = _layout(
        "Orrin sued",
        "Featured\n"
        "Kessing Semiconductor sued Orrin Systems on Tuesday over four chip patents.\n"
        "Kessing Semiconductor sued Orrin Systems on Tuesday over four chip patents.\n"
        "Orrin said the claims had no merit and that it would fight them.",
    )
    assert parts.first.startswith("Kessing Semiconductor sued")
    assert parts.lead.count("Kessing Semiconductor sued") == 1
    assert parts.lead.endswith("would fight them.")
    assert len(parts.paragraphs) == 3  # "Featured", the suit once, the reply


def test_a_word_that_names_a_wrong_reports_it_by_itself() -> None:
    model = load_model()
    for sentence in (
        "Engineers stole design files before leaving for a rival.",
        "The company pirated thousands of novels to train its chatbot.",
        "The weights were leaked on an anonymous forum.",
        "It used the photographs without permission.",
        "Quillmark infringed four of the patents.",
    ):
        assert reports_ip_wrong(sentence, model), sentence


def test_a_subject_or_technique_needs_an_accusation_in_its_sentence() -> None:
    model = load_model()
    neutral = (
        "Solstice released a small model distilled from its flagship.",
        "Copyright law was not written for machines that read everything.",
        "The company published the source code of its assistant under an open licence.",
        "Its terms of service were updated in March.",
    )
    accused = (
        "Halcyon accused Corvane of distilling its model.",
        "The newspaper sued over copyright.",
        "Corvane denied that it had copied the model.",
        "The start-up violated the terms of service, Vexa said.",
        "The analysis argued that Corvane had cloned Halcyon's model.",
    )
    for sentence in neutral:
        assert not reports_ip_wrong(sentence, model), sentence
    for sentence in accused:
        assert reports_ip_wrong(sentence, model), sentence


def test_stealing_money_or_an_identity_is_not_an_ip_wrong() -> None:
    model = load_model()
    assert not reports_ip_wrong(
        "Scammers used cloned voices for stealing money from savers.", model
    )
    assert not reports_ip_wrong("Victims of identity theft rarely get their money back.", model)
    assert reports_ip_wrong("Prosecutors said he was stealing chip designs.", model)


def test_a_technique_article_full_of_ip_words_is_not_an_incident() -> None:
    score, relevant = _score(
        "Solstice releases a small model distilled from its flagship",
        "Solstice AI on Monday released Solstice Mini, a language model distilled from its larger "
        "flagship so that it runs on a phone.\n"
        "Distillation lets a small student model learn from a large teacher model's answers.\n"
        "The company said it distilled the model from millions of answers written by its own "
        "flagship, and that the code is available under an open licence.",
    )
    assert not relevant, score


def test_a_wrong_that_recurs_in_the_body_makes_an_incident_without_claims() -> None:
    # No claim found (claim extraction can miss), a neutral headline: the body carries it.
    title = "What we know about the Tessaly affair"
    opening = (
        "Tessaly, the AI video start-up, has been at the centre of a row all week.\n"
        "A group of former contractors says Tessaly pirated thousands of films to train its video "
        "model.\n"
    )
    again = (
        "Their lawyers say the company downloaded the films from file-sharing sites without "
        "permission, and they have filed a complaint.\n"
    )
    reply = "Tessaly says it trained only on licensed footage."
    score, relevant = _score(title, opening + again + reply)
    once, relevant_once = _score(title, opening + reply)
    assert relevant, score
    assert not relevant_once  # said once, in passing, it is not the story
    assert once < score
