"""Search sources: the ``search`` kind, the query window of a crawl run, done search slices.

A ``search`` source discovers articles by asking a news-search API (GDELT's DOC 2.0) about a time
window; ``crawl_run`` records the window of each run and ``search_slice`` every slice of it that
is done (asked, and every listed article stored or failed), so that a crash never skips a window
and a rerun never asks twice.

Widening ``ck_source_kind``: PostgreSQL drops and re-adds the constraint. SQLite cannot alter a
constraint, and rebuilding ``source`` (batch mode) would drop the table with foreign keys on,
whose implicit ``DELETE`` cascades to every crawl run and article. A CHECK that admits more
values leaves the stored rows valid, so the table's SQL is edited in place: the procedure the
SQLite documentation gives for schema changes that do not touch stored content ("Making Other
Kinds Of Table Schema Changes": ``writable_schema``, then a bumped ``schema_version``).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 10:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_KINDS = "kind IN ('feed', 'sitemap', 'listing', 'urls')"
NEW_KINDS = "kind IN ('feed', 'sitemap', 'listing', 'urls', 'search')"


def _set_kind_check(old: str, new: str) -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        op.drop_constraint(op.f("ck_source_kind"), "source", type_="check")
        op.create_check_constraint(op.f("ck_source_kind"), "source", new)
        return
    sql = bind.execute(
        sa.text("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'source'")
    ).scalar_one()
    if new in sql:
        return
    if old not in sql:
        raise RuntimeError(f"source table: expected the CHECK {old!r} in {sql!r}")
    version = bind.execute(sa.text("PRAGMA schema_version")).scalar_one()
    bind.execute(sa.text("PRAGMA writable_schema = ON"))
    bind.execute(
        sa.text("UPDATE sqlite_master SET sql = :sql WHERE type = 'table' AND name = 'source'"),
        {"sql": sql.replace(old, new)},
    )
    bind.execute(sa.text(f"PRAGMA schema_version = {int(version) + 1}"))
    bind.execute(sa.text("PRAGMA writable_schema = OFF"))


OLD_KIND_COMMENT = "Discovery strategy: feed, sitemap, listing or urls."
NEW_KIND_COMMENT = "Discovery strategy: feed, sitemap, listing, urls or search (a news-search API)."


def _set_kind_comment(old: str, new: str) -> None:
    if op.get_bind().dialect.name != "sqlite":  # SQLite keeps no comments
        op.alter_column(
            "source", "kind", existing_type=sa.Text(), comment=new, existing_comment=old
        )


def upgrade() -> None:
    _set_kind_check(OLD_KINDS, NEW_KINDS)
    _set_kind_comment(OLD_KIND_COMMENT, NEW_KIND_COMMENT)
    op.add_column(
        "crawl_run",
        sa.Column(
            "window_start_at",
            sa.DateTime(timezone=True),
            nullable=True,
            comment="Search sources: start of the time window the run asked the API about (UTC).",
        ),
    )
    op.add_column(
        "crawl_run",
        sa.Column(
            "window_end_at",
            sa.DateTime(timezone=True),
            nullable=True,
            comment="Search sources: end (exclusive) of the run's time window (UTC).",
        ),
    )
    op.add_column(
        "crawl_run",
        sa.Column(
            "is_window_complete",
            sa.Boolean(),
            nullable=False,
            server_default=sa.false(),
            comment="Search sources: every slice of the window was done when the run finished.",
        ),
    )
    op.add_column(
        "crawl_run",
        sa.Column(
            "is_backfill",
            sa.Boolean(),
            nullable=False,
            server_default=sa.false(),
            comment="Search sources: the run was an `ipwire backfill` of a chosen window.",
        ),
    )
    op.create_table(
        "search_slice",
        sa.Column("id", sa.Integer(), nullable=False, comment="Surrogate key."),
        sa.Column("source_id", sa.Integer(), nullable=False, comment="The search source."),
        sa.Column("crawl_run_id", sa.Integer(), nullable=True, comment="The run that did it."),
        sa.Column(
            "start_at",
            sa.DateTime(timezone=True),
            nullable=False,
            comment="Start of the slice (UTC).",
        ),
        sa.Column(
            "end_at",
            sa.DateTime(timezone=True),
            nullable=False,
            comment="End of the slice, exclusive (UTC).",
        ),
        sa.Column("results", sa.Integer(), nullable=False, comment="Articles the API listed."),
        sa.Column(
            "articles_requested",
            sa.Integer(),
            nullable=False,
            comment="Of those, articles fetched (the rest were stored already).",
        ),
        sa.Column(
            "is_capped",
            sa.Boolean(),
            nullable=False,
            comment="The API's result cap was hit on a slice too short to split: some results "
            "may be missing.",
        ),
        sa.Column(
            "done_at",
            sa.DateTime(timezone=True),
            nullable=False,
            comment="When the slice was done (UTC).",
        ),
        sa.ForeignKeyConstraint(
            ["crawl_run_id"],
            ["crawl_run.id"],
            name=op.f("fk_search_slice_crawl_run_id_crawl_run"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["source.id"],
            name=op.f("fk_search_slice_source_id_source"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_slice")),
        comment="A time slice of a search source's query that is done: the API was asked and "
        "every article it listed was stored or failed. Never asked again.",
    )
    op.create_index("ix_search_slice_source_id_start_at", "search_slice", ["source_id", "start_at"])


def downgrade() -> None:
    op.drop_index("ix_search_slice_source_id_start_at", table_name="search_slice")
    op.drop_table("search_slice")
    with op.batch_alter_table("crawl_run", recreate="never") as batch:
        for column in ("is_backfill", "is_window_complete", "window_end_at", "window_start_at"):
            batch.drop_column(column)
    # The narrower CHECK would refuse them: search sources go (with their runs and articles).
    op.execute("DELETE FROM source WHERE kind = 'search'")
    _set_kind_check(NEW_KINDS, OLD_KINDS)
    _set_kind_comment(NEW_KIND_COMMENT, OLD_KIND_COMMENT)
