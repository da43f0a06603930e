"""The entry point of ``nlp/``: text in, :class:`nlp.types.Annotations` out.

Offsets in the result point into :func:`compose_text` ``(title, body)``.

Failure policy: :meth:`Analyzer.analyze_many` never raises because of one article. An article
that cannot be analysed -- empty, over :data:`MAX_CHARS`, binary or garbled (letters under
:data:`MIN_LETTER_SHARE`), no words, not a string, or one that makes a component raise -- yields
``Annotations(relevant=False, relevance=0.0, error="failed: …")`` with the reason also in
``warnings``; stray control characters are replaced by spaces (with a warning) and the article
is analysed. The caller records ``error`` on the article and carries on.
"""

from __future__ import annotations

import logging
import multiprocessing
import re
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import islice
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from nlp import NLP_CODE_VERSION
from nlp.kb import KnowledgeBase, load_kb
from nlp.pipeline import build_pipeline
from nlp.relevance import score_relevance
from nlp.textprep import compose_text, letter_share, sanitize, split_blocks
from nlp.types import Annotations, Claim

try:  # the claim extractor is a sibling package; the pipeline runs without it
    from nlp.claims import ClaimContext, extract_claims
except ImportError:  # pragma: no cover - only while nlp.claims is absent
    extract_claims = None  # type: ignore[assignment]
    ClaimContext = None  # type: ignore[assignment,misc]

__all__ = ["Analyzer", "Unanalysable", "annotations_to_json", "compose_text"]

logger = logging.getLogger(__name__)

#: Longer texts fail: a 5 MB "article" (~35,000 words at this limit) is a scraping accident.
MAX_CHARS = 200_000
#: Texts with fewer letters among their visible characters fail as binary or garbled input.
MIN_LETTER_SHARE = 0.5
#: Texts with fewer words than this fail: nothing to analyse ("......", a lone link).
MIN_WORDS = 3
_WORD = re.compile(r"[^\W\d_]{2,}")


class Unanalysable(ValueError):
    """The input is not an article that can be analysed (empty, too long, binary, no words)."""


_WORKER: Analyzer | None = None


class Analyzer:
    """A loaded pipeline plus the post-processing that turns docs into annotations."""

    def __init__(self, nlp: Language, model_name: str, kb: KnowledgeBase) -> None:
        self.nlp = nlp
        self.model_name = model_name
        self.kb = kb
        self.version = f"{NLP_CODE_VERSION}+kb.{kb.version}"
        if model_name == "blank":
            self.version += "+blank"

    @classmethod
    def load(cls, model: str = "auto", kb: KnowledgeBase | None = None) -> Analyzer:
        """Load the base model (never downloading) and build the ipwire pipeline.

        Args:
            model: ``"auto"``, ``"blank"``, an installed model name or path (see
                :func:`nlp.model.load_base`).
            kb: A knowledge base; ``None`` loads the packaged one.
        """
        kb = kb if kb is not None else load_kb()
        nlp, name = build_pipeline(model, kb)
        return cls(nlp, name, kb)

    # ------------------------------------------------------------------ public
    def analyze(self, text: str, title: str | None = None) -> Annotations:
        """Analyse one article.

        Args:
            text: The body as plain text, paragraphs separated by newlines.
            title: The headline, if any.

        Returns:
            The annotations; offsets point into ``compose_text(title, text)``.
        """
        return next(self.analyze_many([(text, title)], batch_size=1))

    def analyze_many(
        self,
        items: Iterable[tuple[str, str | None]],
        batch_size: int = 32,
        n_process: int = 1,
    ) -> Iterator[Annotations]:
        """Analyse (body, title) pairs lazily, in input order, with ``nlp.pipe``.

        Args:
            items: (body, title) pairs.
            batch_size: Docs per ``nlp.pipe`` batch.
            n_process: Worker processes; each loads its own pipeline (forked from this one where
                the platform allows) and returns plain annotations.

        Yields:
            One :class:`Annotations` per item; a failed item has ``error`` set (never raises).
        """
        if n_process > 1:
            yield from self._parallel(items, batch_size, n_process)
            return
        it = iter(items)
        while True:
            chunk = list(islice(it, batch_size))
            if not chunk:
                return
            yield from self._batch(chunk, batch_size)

    # ------------------------------------------------------------------ internals
    def _batch(self, chunk: list[tuple[str, str | None]], batch_size: int) -> list[Annotations]:
        """Analyse one chunk inside a spaCy memory zone.

        Every new word, name and number would otherwise stay in the shared vocabulary for the
        life of the process: a worker's memory grew with every article it analysed
        (``bench/scale_bench.py``). Strings and lexemes first seen in the zone are evicted when
        it ends; nothing of spaCy leaves it (annotations are plain dataclasses).
        """
        zone = getattr(self.nlp, "memory_zone", None)
        if zone is None:  # spaCy before 3.8
            return self._batch_in_zone(chunk, batch_size)
        with zone():
            return self._batch_in_zone(chunk, batch_size)

    def _batch_in_zone(
        self, chunk: list[tuple[str, str | None]], batch_size: int
    ) -> list[Annotations]:
        prepared: list[tuple[Doc | None, list[str]]] = []
        for body, title in chunk:
            try:
                prepared.append(self._make_doc(body, title))
            except Unanalysable as e:
                prepared.append((None, [f"failed: {e}"]))
            except Exception as e:  # one bad article must not stop the batch
                prepared.append((None, [f"failed: cannot prepare text: {e!r}"]))
        docs = [d for d, _ in prepared if d is not None]
        processed: list[Doc | str]
        try:
            processed = list(self.nlp.pipe(docs, batch_size=batch_size))
        except Exception:  # find the culprit one doc at a time
            processed = [self._safe_call(d) for d in docs]
        out: list[Annotations] = []
        it = iter(processed)
        for doc, warnings in prepared:
            if doc is None:
                out.append(self._failed(warnings))
                continue
            done = next(it)
            if isinstance(done, str):
                out.append(self._failed([*warnings, done]))
                continue
            try:
                out.append(self.annotations(done, warnings))
            except Exception as e:
                logger.exception("post-processing failed")
                out.append(self._failed([*warnings, f"failed: post-processing: {e!r}"]))
        return out

    def _safe_call(self, doc: Doc) -> Doc | str:
        try:
            for _, proc in self.nlp.pipeline:
                doc = proc(doc)
            return doc
        except Exception as e:
            logger.warning("pipeline failed on one article: %r", e)
            return f"failed: pipeline: {e!r}"

    def _make_doc(self, body: str, title: str | None) -> tuple[Doc, list[str]]:
        if not isinstance(body, str) or not isinstance(title, str | None):
            raise Unanalysable(f"article text must be str, not {type(body).__name__}")
        composed = compose_text(title, body)
        if len(composed) > MAX_CHARS:
            raise Unanalysable(f"text too long ({len(composed)} > {MAX_CHARS} characters)")
        if not body.strip():
            raise Unanalysable("empty text")
        if len(_WORD.findall(body)) < MIN_WORDS:
            raise Unanalysable(f"no sentences (fewer than {MIN_WORDS} words)")
        if letter_share(body) < MIN_LETTER_SHARE:
            raise Unanalysable("not text (mostly non-letter characters: binary or garbled?)")
        text, warnings = sanitize(composed)
        doc = self.nlp.make_doc(text)
        doc._.has_title = bool(title and title.strip())
        return doc, warnings

    def _failed(self, warnings: list[str]) -> Annotations:
        error = next((w for w in warnings if w.startswith("failed")), "failed")
        return Annotations(
            nlp_version=self.version,
            relevant=False,
            relevance=0.0,
            warnings=tuple(warnings),
            error=error,
        )

    def annotations(self, doc: Doc, warnings: list[str] | None = None) -> Annotations:
        """Turn a doc processed by this pipeline into plain annotations (adds the claims)."""
        warnings = list(warnings or ())
        entities = doc._.ipwire_entities or {}
        blocks = doc._.ipwire_blocks or split_blocks(doc.text, bool(doc._.has_title))
        claims = self._claims(doc, warnings)
        relevance, relevant = score_relevance(doc.text, blocks, claims)
        if self.model_name == "blank":
            warnings.append("no trained spaCy model: rules only")
        return Annotations(
            nlp_version=self.version,
            relevant=relevant,
            relevance=relevance,
            entities=tuple(entities.values()),
            mentions=tuple(doc._.ipwire_mentions or ()),
            roles=tuple(doc._.ipwire_roles or ()),
            claims=tuple(claims),
            quotes=tuple(doc._.ipwire_quotes or ()),
            warnings=tuple(warnings),
        )

    def _claims(self, doc: Doc, warnings: list[str]) -> list[Claim]:
        if extract_claims is None or ClaimContext is None or not doc.has_annotation("DEP"):
            return []
        try:
            return list(extract_claims(doc, ClaimContext.from_doc(doc)))
        except Exception as e:  # keep entities/quotes when claims fail
            logger.exception("claim extraction failed")
            warnings.append(f"claim extraction failed: {e!r}")
            return []

    def _parallel(
        self, items: Iterable[tuple[str, str | None]], batch_size: int, n_process: int
    ) -> Iterator[Annotations]:
        global _WORKER
        methods = multiprocessing.get_all_start_methods()
        ctx = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
        _WORKER = self  # inherited by forked workers: no second load
        it = iter(items)
        with ProcessPoolExecutor(
            n_process, mp_context=ctx, initializer=_init_worker, initargs=(self.model_name,)
        ) as pool:
            pending: list[Future[list[Annotations]]] = []
            while True:
                while len(pending) < 2 * n_process:
                    chunk = list(islice(it, batch_size))
                    if not chunk:
                        break
                    pending.append(pool.submit(_work, chunk, batch_size))
                if not pending:
                    return
                yield from pending.pop(0).result()


def _init_worker(model_name: str) -> None:
    global _WORKER
    if _WORKER is None:  # spawned, not forked
        _WORKER = Analyzer.load(model_name)


def _work(chunk: list[tuple[str, str | None]], batch_size: int) -> list[Annotations]:
    assert _WORKER is not None
    return _WORKER._batch(chunk, batch_size)


def annotations_to_json(ann: Annotations) -> dict[str, Any]:
    """The ``ipwire extract`` JSON object of one article (issue 4, item 5).

    Names in claims, roles and quotes are names of entities in ``entities``.
    """
    names = {e.id: e.name for e in ann.entities}

    def name(entity_id: str | None, fallback: str | None) -> str | None:
        return names.get(entity_id, fallback) if entity_id else fallback

    return {
        "relevant": ann.relevant,
        "relevance": ann.relevance,
        "entities": [
            {
                "id": e.id,
                "name": e.name,
                "type": e.type,
                "aliases": list(e.aliases),
                "count": e.count,
            }
            for e in ann.entities
        ],
        "claims": [
            {
                "type": c.type,
                "accuser": name(c.accuser_id, c.accuser),
                "accused": name(c.accused_id, c.accused),
                "victim": name(c.victim_id, c.victim),
                "speaker": name(c.speaker_id, c.speaker),
                "stance": c.stance,
                "legal_status": c.legal_status,
                "sentence": c.sentence,
                "start": c.start,
                "end": c.end,
            }
            for c in ann.claims
        ],
        "roles": [
            {"person": name(r.person_id, r.person), "title": r.title, "org": name(r.org_id, r.org)}
            for r in ann.roles
        ],
        "quotes": [
            {"speaker": name(q.speaker_id, q.speaker), "text": q.text, "direct": q.direct}
            for q in ann.quotes
        ],
    }
