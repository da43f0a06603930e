"""Recompute the articles' SimHash and MinHash keys with the faster shingle hash.

``store.hashing`` now hashes a word 3-shingle as a polynomial over cached word hashes instead
of a BLAKE2b digest of the joined words (a page worker's fingerprints cost a third less time).
Stored fingerprints made with the old hash would never match new ones, so every article's
``simhash``, ``simhash_band0..3`` and ``near_dup_key0..3`` are recomputed from its text. This also
fills the MinHash keys of articles stored before 0003, which had none. No schema change.

Downgrade keeps the new values: the old hash is not part of this release.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28 19:10:00
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CHUNK = 500
BANDS = [f"simhash_band{i}" for i in range(4)]
KEYS = [f"near_dup_key{i}" for i in range(4)]


def upgrade() -> None:
    from store.hashing import bands, fingerprints

    article = sa.table(
        "article",
        sa.column("id"),
        sa.column("text"),
        sa.column("simhash"),
        *(sa.column(c) for c in BANDS + KEYS),
    )
    bind = op.get_bind()
    update = (
        sa.update(article)
        .where(article.c.id == sa.bindparam("row_id"))
        .values(
            simhash=sa.bindparam("new_simhash"),
            **{c: sa.bindparam(f"new_{c}") for c in BANDS + KEYS},
        )
    )
    last = 0
    while True:
        rows = bind.execute(
            sa.select(article.c.id, article.c.text)
            .where(article.c.id > last)
            .order_by(article.c.id)
            .limit(CHUNK)
        ).all()
        if not rows:
            break
        params: list[dict[str, Any]] = []
        for row_id, text in rows:
            chash, sh, keys = fingerprints(text or "")
            values: list[int | None]
            if chash is None:  # no words: as add_article stores it, no fingerprints at all
                values = [None] * 9
            else:
                values = [sh, *bands(sh), *(keys if keys is not None else (None,) * 4)]
            params.append(
                {
                    "row_id": row_id,
                    **dict(
                        zip(
                            ["new_simhash"] + [f"new_{c}" for c in BANDS + KEYS],
                            values,
                            strict=True,
                        )
                    ),
                }
            )
        bind.execute(update, params)
        last = rows[-1][0]


def downgrade() -> None:
    """Nothing to undo in the schema; the recomputed values stay (see the module docstring)."""
