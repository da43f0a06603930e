"""Near-duplicate keys: MinHash LSH band keys of the article text.

Syndicated copies (a new lead, another dateline, a local sentence) move a 64-bit SimHash 7 to 17
bits, beyond what the simhash bands can search. Four indexed MinHash band keys find candidates
whose word-shingle resemblance the store then checks exactly (``store.hashing``). Plain
``ADD COLUMN``s: no table rebuild, so the views and FTS triggers on ``article`` stay as they are.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28 16:20:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KEYS = range(4)


def upgrade() -> None:
    for i in KEYS:
        op.add_column(
            "article",
            sa.Column(
                f"near_dup_key{i}",
                sa.Integer(),
                nullable=True,
                comment=f"MinHash LSH band key {i} of the text (near-duplicate candidates).",
            ),
        )
        op.create_index(f"ix_article_near_dup_key{i}", "article", [f"near_dup_key{i}"])


def downgrade() -> None:
    for i in KEYS:
        op.drop_index(f"ix_article_near_dup_key{i}", table_name="article")
    with op.batch_alter_table("article", recreate="never") as batch:
        for i in KEYS:
            batch.drop_column(f"near_dup_key{i}")
