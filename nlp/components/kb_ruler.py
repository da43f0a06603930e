"""``ipwire_kb_ruler``: every KB name and alias as a phrase pattern, set as entities before ``ner``.

Two :class:`~spacy.matcher.PhraseMatcher` s: ``LOWER`` for ordinary names (a match must still
contain a capital letter, so "meta-analysis" or "anthropic principle" never match) and ``ORTH`` for
records the KB marks case-sensitive. Phrase matching costs almost nothing per token, unlike
token-dict patterns. The NER then only predicts what the KB does not know; its predictions cannot
overlap a preset entity.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from nlp.components import DEFAULT_KB, get_kb_index


class KbRuler:
    """Matches KB surface forms and sets them as ``doc.ents`` labelled with the KB type."""

    def __init__(self, nlp: Language, kb: str) -> None:
        self.index = get_kb_index(kb)
        self.lower = PhraseMatcher(nlp.vocab, attr="LOWER", validate=True)
        self.orth = PhraseMatcher(nlp.vocab, attr="ORTH", validate=True)
        forms = list(self.index.surface_forms())
        docs = [nlp.make_doc(f.text) for f in forms]
        by_key: dict[tuple[str, bool], list[Doc]] = {}
        for form, pattern in zip(forms, docs, strict=True):
            by_key.setdefault((form.entity_id, form.case_sensitive), []).append(pattern)
        for (entity_id, sensitive), patterns in by_key.items():
            (self.orth if sensitive else self.lower).add(entity_id, patterns)

    def __call__(self, doc: Doc) -> Doc:
        strings = doc.vocab.strings
        spans: list[Span] = []
        context: str | None = None
        matches = [*self.lower(doc), *self.orth(doc)]
        for match_id, start, end in matches:
            span = doc[start:end]
            if not any(c.isupper() for c in span.text):
                continue
            entity_id = strings[match_id]
            ent = self.index.entities[entity_id]
            if ent.requires_context or ent.case_sensitive:
                if context is None:
                    context = doc.text.lower()
                if entity_id not in self.index.lookup(span.text, context):
                    continue
            spans.append(Span(doc, start, end, label=ent.type, kb_id=entity_id))
        if spans:
            doc.set_ents(filter_spans(spans), default="unmodified")
        return doc


@Language.factory("ipwire_kb_ruler", default_config={"kb": DEFAULT_KB})
def make_kb_ruler(nlp: Language, name: str, kb: str) -> KbRuler:
    """Factory for :class:`KbRuler`; ``kb`` names a KB registered with ``register_kb``."""
    return KbRuler(nlp, kb)
