"""Build the ipwire spaCy pipeline: the base model plus ipwire's registered components.

Order (trained model)::

    tok2vec tagger ipwire_blocks parser attribute_ruler lemmatizer ipwire_kb_ruler ner
    ipwire_linker ipwire_roles ipwire_quotes

``ipwire_blocks`` must precede the parser (sentence starts at headline/paragraph breaks) and
``ipwire_kb_ruler`` the NER (KB names are preset entities the NER cannot contradict). With the
blank fallback the same components follow a rule-based sentencizer.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.util import compile_infix_regex

from nlp.components import DEFAULT_KB, register_kb  # importing registers the factories
from nlp.kb import KnowledgeBase
from nlp.model import load_base


def build_pipeline(model: str = "auto", kb: KnowledgeBase | None = None) -> tuple[Language, str]:
    """Load the base model and add the ipwire components.

    Args:
        model: See :func:`nlp.model.load_base`.
        kb: A knowledge base; ``None`` uses the packaged one.

    Returns:
        The pipeline and the name of the base model that was loaded (``"blank"`` for the fallback).
    """
    nlp, loaded = load_base(model)
    _split_slashes(nlp)
    kb_name = nlp_components_kb(kb)
    names = nlp.pipe_names
    if "parser" in names:
        nlp.add_pipe("ipwire_blocks", before="parser")
    elif "senter" in names:
        nlp.add_pipe("ipwire_blocks", before="senter")
    elif "sentencizer" in names:
        nlp.add_pipe("ipwire_blocks", after="sentencizer")
    else:
        nlp.add_pipe("sentencizer")
        nlp.add_pipe("ipwire_blocks")
    if "ner" in names:
        nlp.add_pipe("ipwire_kb_ruler", before="ner", config={"kb": kb_name})
        nlp.add_pipe("ipwire_linker", after="ner", config={"kb": kb_name})
    else:
        nlp.add_pipe("ipwire_kb_ruler", config={"kb": kb_name})
        nlp.add_pipe("ipwire_linker", config={"kb": kb_name})
    nlp.add_pipe("ipwire_roles")
    nlp.add_pipe("ipwire_quotes")
    return nlp, loaded


def _split_slashes(nlp: Language) -> None:
    """Split "Li Wen/Meridian Wire" (bylines, photo credits) into two names."""
    infixes = [*(nlp.Defaults.infixes or ()), r"(?<=[a-z])/(?=[A-Z])"]
    nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer  # type: ignore[union-attr]


def nlp_components_kb(kb: KnowledgeBase | None) -> str:
    """Register ``kb`` for the components and return its name (the default KB when None)."""
    return DEFAULT_KB if kb is None else register_kb(kb)
