"""The keyword prefilter matches whole words and phrases (crawler/keywords.py)."""

from __future__ import annotations

import pytest

from crawler.keywords import KeywordMatcher, keyword_matcher, words


@pytest.mark.parametrize(
    ("keywords", "text", "expected"),
    [
        # The bug: "AI" inside "said", "again", "Thailand" is not the keyword.
        (("AI",), "Zorvex said again that the Thailand office was closed.", False),
        (("AI",), "Quill Labs built an AI model.", True),
        (("AI",), "The ai lab opened.", True),
        (("AI",), "Regulators looked at A.I. copying.", True),
        (("AI",), "An AI-generated summary was posted.", True),
        (("AI",), "Its AI's outputs were copied.", True),
        (("AI",), "Its AIs were copied.", False),
        (("trade secrets",), "Bo Chen took trade  secrets to a rival.", True),
        (("trade secrets",), "Bo Chen took trade\nsecrets to a rival.", True),
        (("trade secrets",), "It was a trade; secrets were kept.", True),
        (("trade secrets",), "They trade secretsauce recipes.", False),
        (("machine learning",), "A machine-learning start-up.", True),
        (("machine-learning",), "A machine learning start-up.", True),
        (("open-source",), "weights released as open‑source code", True),  # non-breaking hyphen
        (("distillation",), "DISTILLATION of the model", True),
        (("distillation",), "distillations", False),
        (("Straße",), "an der STRASSE gelegen", True),  # case folding, not lower()
        (("Ζορβεξ",), "Η Ζορβεξ κατηγορεί", True),  # Greek
        (("人工智能",), "该公司的人工智能模型被复制了", True),  # no spaces between words
        (("distillation", "lawsuit"), "A lawsuit was filed.", True),
        ((), "anything", False),
        (("!!!",), "!!! is not a word", False),
    ],
)
def test_keyword_matching(keywords: tuple[str, ...], text: str, expected: bool) -> None:
    assert KeywordMatcher(keywords).matches(text) is expected


def test_words_join_dotted_abbreviations() -> None:
    assert words("The U.S. and A.I., e.g. here") == ["the", "us", "and", "ai", "eg", "here"]


def test_matcher_without_usable_keywords_is_false() -> None:
    assert not KeywordMatcher(["", " - "])
    assert KeywordMatcher(["AI"])


def test_matchers_are_cached_per_keyword_tuple() -> None:
    assert keyword_matcher(("AI", "distillation")) is keyword_matcher(("AI", "distillation"))
