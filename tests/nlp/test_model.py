import logging

import pytest

import nlp.model as model
from nlp.pipeline import build_pipeline


def test_blank_fallback_warns_once(caplog: pytest.LogCaptureFixture, monkeypatch) -> None:
    monkeypatch.setattr(model, "MODEL_PREFERENCE", ("ipwire_no_such_model",))
    monkeypatch.setattr(model, "_warned_blank", False)
    with caplog.at_level(logging.WARNING, logger="nlp.model"):
        first, name = model.load_base("auto")
        second, _ = model.load_base("auto")
    assert name == "blank"
    assert first.pipe_names == second.pipe_names == ["sentencizer"]
    warnings = [r for r in caplog.records if "spacy.blank" in r.getMessage()]
    assert len(warnings) == 1


def test_explicit_missing_model_raises() -> None:
    with pytest.raises(OSError, match="ipwire_no_such_model"):
        model.load_base("ipwire_no_such_model")


def test_components_are_ordered_around_the_trained_pipes(tiny_kb) -> None:
    nlp, name = build_pipeline("auto", tiny_kb)
    if name == "blank":
        pytest.skip("no trained English model installed")
    names = nlp.pipe_names
    assert names.index("ipwire_blocks") < names.index("parser")
    assert names.index("ipwire_kb_ruler") < names.index("ner") < names.index("ipwire_linker")
    assert names[-2:] == ["ipwire_roles", "ipwire_quotes"]
