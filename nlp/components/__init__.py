"""ipwire's spaCy components, registered as factories when this package is imported.

Doc extensions (all set by the components, ``None`` until then):

* ``doc._.has_title`` — whether the first block is a headline (set by the caller; guessed if not);
* ``doc._.ipwire_blocks`` — :class:`nlp.textprep.Block` list (``ipwire_blocks``);
* ``doc._.ipwire_entities`` — entity id → :class:`nlp.types.Entity` (``ipwire_linker``);
* ``doc._.ipwire_mentions`` — :class:`nlp.types.Mention` list (``ipwire_linker``);
* ``doc._.focus_org`` — the id of the organisation the article is mostly about (``ipwire_linker``);
* ``doc._.ipwire_roles`` / ``doc._.ipwire_quotes`` — roles and quotes (``ipwire_roles``,
  ``ipwire_quotes``).

Components find the knowledge base by name through :func:`register_kb`/:func:`get_kb_index`,
because a spaCy factory's arguments must be plain config values.
"""

from __future__ import annotations

import threading

from spacy.tokens import Doc

from nlp.kb import KnowledgeBase, load_kb
from nlp.kb.index import KbIndex

DEFAULT_KB = "default"
_KBS: dict[str, KbIndex] = {}
_lock = threading.Lock()

for _name in (
    "has_title",
    "ipwire_blocks",
    "ipwire_entities",
    "ipwire_mentions",
    "focus_org",
    "ipwire_roles",
    "ipwire_quotes",
):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


def register_kb(kb: KnowledgeBase) -> str:
    """Make a KB available to components; returns the name to pass as their ``kb`` argument."""
    name = f"kb-{kb.version}-{id(kb)}"
    with _lock:
        _KBS[name] = KbIndex(kb)
    return name


def get_kb_index(name: str) -> KbIndex:
    """The index registered under ``name``; ``"default"`` loads the packaged KB."""
    with _lock:
        if name not in _KBS:
            if name != DEFAULT_KB:
                raise KeyError(f"no knowledge base registered as {name!r}")
            _KBS[name] = KbIndex(load_kb())
        return _KBS[name]


# Importing the modules registers the factories.
from nlp.components import blocks, kb_ruler, linker, quotes, roles  # noqa: E402

__all__ = [
    "DEFAULT_KB",
    "blocks",
    "get_kb_index",
    "kb_ruler",
    "linker",
    "quotes",
    "register_kb",
    "roles",
]
