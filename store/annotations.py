"""Saving what NLP found, and seeding the knowledge-base entities.

``save_annotations`` replaces an article's earlier mentions, roles, claims and quotes in one
transaction, so re-processing (a new NLP version, a retry after a lapsed lease) never duplicates.

Workers save through ``save_annotations_batch``. Two workers that insert the same new entities
in one long transaction each, article after article, lock them in an order that interleaves
(worker A holds ``ent-3`` and waits for ``ent-2``, worker B the reverse): PostgreSQL then aborts
one with a deadlock. So the batch's new entities go first, in id order, in their own short
transaction; the annotations that follow only read committed entity rows (a foreign-key check
takes a share lock, which never conflicts with another). Whatever deadlock is left (another
writer we do not know of) is retried by :func:`store.retry.run_transaction`. An entity whose
article then fails stays stored, unreferenced, like any entity seen once.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker

from store._sql import chunks, upsert_insert
from store.base import utcnow
from store.errors import InvalidData, NotFound
from store.models import Article, Claim, Entity, Mention, Quote, Role
from store.protocols import AnnotationsLike, EntityLike
from store.retry import run_transaction
from store.vocab import ENTITY_TYPES, LEGAL_STATUSES, STANCES

__all__ = ["save_annotations", "save_annotations_batch", "seed_entities"]

log = logging.getLogger(__name__)


def _check_entity_type(entity_id: str, type_: str) -> None:
    if type_ not in ENTITY_TYPES:
        raise InvalidData(f"entity {entity_id!r}: unknown type {type_!r}; expected {ENTITY_TYPES}")


def _insert_new_entities(session: Session, entities: Iterable[EntityLike]) -> None:
    """Insert entities not stored yet; existing rows (KB rows above all) are left untouched."""
    now = utcnow()
    rows = []
    for e in entities:
        _check_entity_type(e.id, e.type)
        rows.append(
            {
                "id": e.id,
                "name": e.name,
                "type": e.type,
                "aliases": list(e.aliases),
                "wikidata_id": e.wikidata,
                "description": e.description,
                "is_kb": bool(e.in_kb),
                "first_seen_at": now,
            }
        )
    # Sorted by id so concurrent workers take row locks in the same order (no deadlock), and
    # ON CONFLICT DO NOTHING: two workers finding the same new entity cannot collide.
    rows = sorted({row["id"]: row for row in rows}.values(), key=lambda row: str(row["id"]))
    for part in chunks(rows):
        session.execute(upsert_insert(session, Entity).values(part).on_conflict_do_nothing())


def _referenced_ids(ann: AnnotationsLike) -> set[str]:
    ids = {m.entity_id for m in ann.mentions}
    for r in ann.roles:
        ids.update(x for x in (r.person_id, r.org_id) if x)
    for c in ann.claims:
        ids.update(x for x in (c.accuser_id, c.accused_id, c.victim_id, c.speaker_id) if x)
    ids.update(q.speaker_id for q in ann.quotes if q.speaker_id)
    return ids


def _check_references(session: Session, ann: AnnotationsLike) -> None:
    missing = _referenced_ids(ann) - {e.id for e in ann.entities}
    for part in chunks(sorted(missing)):
        missing -= set(session.scalars(sa.select(Entity.id).where(Entity.id.in_(part))))
    if missing:
        raise InvalidData(f"annotations refer to unknown entities: {sorted(missing)[:10]}")
    for c in ann.claims:
        if c.stance not in STANCES:
            raise InvalidData(f"claim stance {c.stance!r} is not one of {STANCES}")
        if c.legal_status is not None and c.legal_status not in LEGAL_STATUSES:
            raise InvalidData(f"claim legal_status {c.legal_status!r} not in {LEGAL_STATUSES}")


def save_annotations(
    session: Session, article_id: int, annotations: AnnotationsLike, nlp_version: str
) -> None:
    """Store NLP output for one article, replacing whatever an earlier run stored.

    New entities are inserted; stored ones (KB entities in particular) keep their data. The
    article gets its relevance, ``state='done'`` and ``nlp_version``; its lease is cleared.

    Args:
        session: the session; the caller commits (one transaction: all or nothing).
        article_id: the article analysed.
        annotations: an object shaped like ``nlp.types.Annotations``.
        nlp_version: version of the pipeline that produced it.

    Raises:
        NotFound: no such article.
        InvalidData: an unknown entity type, stance or legal status, or a reference to an
            entity that is neither in ``annotations.entities`` nor stored.
    """
    art = session.get(Article, article_id)
    if art is None:
        raise NotFound(f"no article with id {article_id}")
    ann = annotations
    _check_references(session, ann)
    _insert_new_entities(session, ann.entities)
    if art.nlp_version is not None:  # processed before (or failed): replace what is there
        for model in (Mention, Role, Claim, Quote):
            session.execute(sa.delete(model).where(model.article_id == article_id))
    published = art.published_at or art.fetched_at
    batches: list[tuple[Any, list[dict[str, Any]]]] = [
        (
            Mention,
            [
                {
                    "article_id": article_id,
                    "entity_id": m.entity_id,
                    "text": m.text,
                    "start_char": m.start,
                    "end_char": m.end,
                    "sentence_index": m.sentence_index,
                    "published_at": published,
                }
                for m in ann.mentions
            ],
        ),
        (
            Role,
            [
                {
                    "article_id": article_id,
                    "person_id": r.person_id,
                    "person_text": r.person,
                    "title": r.title,
                    "org_id": r.org_id,
                    "org_text": r.org,
                    "sentence": r.sentence,
                    "start_char": r.start,
                    "end_char": r.end,
                }
                for r in ann.roles
            ],
        ),
        (
            Claim,
            [
                {
                    "article_id": article_id,
                    "type": c.type,
                    "accuser_id": c.accuser_id,
                    "accuser_text": c.accuser,
                    "accused_id": c.accused_id,
                    "accused_text": c.accused,
                    "victim_id": c.victim_id,
                    "victim_text": c.victim,
                    "speaker_id": c.speaker_id,
                    "speaker_text": c.speaker,
                    "stance": c.stance,
                    "legal_status": c.legal_status,
                    "cues": list(c.cues),
                    "sentence": c.sentence,
                    "start_char": c.start,
                    "end_char": c.end,
                    "sentence_index": c.sentence_index,
                    "published_at": published,
                }
                for c in ann.claims
            ],
        ),
        (
            Quote,
            [
                {
                    "article_id": article_id,
                    "speaker_id": q.speaker_id,
                    "speaker_text": q.speaker,
                    "text": q.text,
                    "is_direct": bool(q.direct),
                    "start_char": q.start,
                    "end_char": q.end,
                }
                for q in ann.quotes
            ],
        ),
    ]
    for model, rows in batches:
        if rows:
            session.execute(sa.insert(model), rows)
    art.relevance = float(ann.relevance)
    art.is_relevant = bool(ann.relevant)
    art.language = art.language or ann.language
    art.state = "done"
    art.nlp_version = nlp_version
    art.processed_at = utcnow()
    art.error = None
    art.lease_owner = None
    art.lease_expires_at = None
    session.flush()


def save_annotations_batch(
    factory: sessionmaker[Session],
    results: Sequence[tuple[int, AnnotationsLike]],
    nlp_version: str,
    *,
    attempts: int = 5,
) -> None:
    """Store the NLP output of several articles: their new entities, then everything else.

    Two transactions, each retried up to ``attempts`` times when PostgreSQL aborts it for a
    deadlock or serialization conflict: the new entities of the whole batch (in id order),
    then the annotations of every article (all or nothing, as :func:`save_annotations`).

    Args:
        factory: the session factory (this function commits).
        results: ``(article_id, annotations)`` pairs.
        nlp_version: version of the pipeline that produced them.

    Raises:
        NotFound: no such article.
        InvalidData: as :func:`save_annotations`.
        sqlalchemy.exc.DBAPIError: a deadlock that every attempt lost, or any other database
            error.
    """
    if not results:
        return
    entities = [e for _, ann in results for e in ann.entities]
    if entities:
        run_transaction(factory, lambda s: _insert_new_entities(s, entities), attempts=attempts)

    def save_all(session: Session) -> None:
        for article_id, ann in results:
            save_annotations(session, article_id, ann, nlp_version)

    run_transaction(factory, save_all, attempts=attempts)


def seed_entities(session: Session, records: Iterable[Mapping[str, Any]]) -> int:
    """Insert or update knowledge-base entities (``is_kb`` true); KB data wins over text.

    Args:
        session: the session; the caller commits.
        records: mappings with ``id``, ``name``, ``type`` and optional ``aliases``,
            ``wikidata``, ``description`` (the lines of ``nlp/kb/*.jsonl``).

    Returns:
        The number of records written.
    """
    rows = []
    now = utcnow()
    for r in records:
        try:
            entity_id, name, type_ = str(r["id"]), str(r["name"]), str(r["type"])
        except KeyError as e:
            raise InvalidData(f"KB record without {e.args[0]!r}: {dict(r)!r:.200}") from None
        _check_entity_type(entity_id, type_)
        rows.append(
            {
                "id": entity_id,
                "name": name,
                "type": type_,
                "aliases": [str(a) for a in r.get("aliases") or ()],
                "wikidata_id": r.get("wikidata") or r.get("wikidata_id"),
                "description": r.get("description"),
                "is_kb": True,
                "first_seen_at": now,
            }
        )
    # One row per id (the last record wins): PostgreSQL refuses to update a row twice. Sorted
    # so that concurrent writers lock rows in the same order.
    rows = sorted({row["id"]: row for row in rows}.values(), key=lambda row: str(row["id"]))
    for part in chunks(rows):
        stmt = upsert_insert(session, Entity).values(part)
        excluded = stmt.excluded
        session.execute(
            stmt.on_conflict_do_update(
                index_elements=["id"],
                set_={
                    "name": excluded.name,
                    "type": excluded.type,
                    "aliases": excluded.aliases,
                    "wikidata_id": excluded.wikidata_id,
                    "description": excluded.description,
                    "is_kb": True,
                },
            )
        )
    log.info("seeded %d knowledge-base entities", len(rows))
    return len(rows)
