"""ipwire's NLP: spaCy pipeline, knowledge base, claims, quotes, roles, relevance.

Pure: takes text, returns the plain dataclasses of :mod:`nlp.types`; never imports ``store``,
``crawler``, ``reports`` or ``ipwire``. Entry point: :class:`nlp.analyze.Analyzer`.

``NLP_VERSION`` (code version + KB content hash) is stored with every processed article, so a
change to either makes ``ipwire process`` pick the article up again. It is computed on first
access (it reads the KB files), not at import time.
"""

from __future__ import annotations

from typing import Any

#: Bump when a code change alters the output for the same text and KB.
NLP_CODE_VERSION = "0.1.0"


def __getattr__(name: str) -> Any:
    if name == "NLP_VERSION":
        from nlp.kb import kb_version

        return f"{NLP_CODE_VERSION}+kb.{kb_version()}"
    raise AttributeError(f"module 'nlp' has no attribute {name!r}")
