"""The knowledge base of real entities that AI intellectual-property news names.

The data lives inside this package (``nlp/kb/``) as JSONL, one entity a line, split by file so
that a diff stays reviewable (``orgs_ai_labs.jsonl``, ``people.jsonl`` …); ``README.md`` here
documents the schema. The code beside it: ``loader.py`` reads and validates the files,
``records.py`` holds the record dataclasses and their validation, and ``index.py`` (imported on
its own, as :mod:`nlp.kb.index`) is the pipeline's linking view of the loaded KB.
Alongside it are ``stoplist.txt`` (words that are never entities) and ``shared_aliases.jsonl``
(surface forms that deliberately name more than one entity, each with its default and rule).

The files are read through :mod:`importlib.resources`, so the KB loads the same from a checkout,
an editable install or a wheel. Loading validates every record and fails with ``file:line`` in the
message: a broken KB must stop the pipeline, not silently link nothing.
"""

from nlp.kb.loader import KnowledgeBase, iter_seed_records, kb_version, load_kb
from nlp.kb.records import KbEntity, KbError, KbRole, SharedAlias, normalize_alias

__all__ = [
    "KbEntity",
    "KbError",
    "KbRole",
    "KnowledgeBase",
    "SharedAlias",
    "iter_seed_records",
    "kb_version",
    "load_kb",
    "normalize_alias",
]
