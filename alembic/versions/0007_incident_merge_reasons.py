"""Why an incident's articles are one story: ``incident.merge_reasons``.

A JSON list of ``{article_id, joined, reason}``: for each article that joined the incident, the
earlier article it links to and the rule that linked them (the same dispute, the same parties
prominent in both). Filled by the cluster stage whenever it rebuilds an incident's record;
existing incidents start with an empty list until their next refresh (``ipwire cluster
--rebuild`` fills every one). A plain column add (``recreate="never"``): SQLite adds and drops
columns in place, so the views over ``incident`` stay valid.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07 21:50:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("incident", recreate="never") as batch:
        batch.add_column(
            sa.Column(
                "merge_reasons",
                sa.JSON(),
                server_default=sa.text("'[]'"),
                nullable=False,
                comment="Why its articles are one story: JSON list of {article_id, joined, "
                "reason}, the link (same dispute, shared parties) that joined each article to an "
                "earlier one.",
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("incident", recreate="never") as batch:
        batch.drop_column("merge_reasons")
