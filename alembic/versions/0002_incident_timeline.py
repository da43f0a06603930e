# ruff: noqa: E501 (generated column comments)
"""Incident timeline, incident claims and the state of incremental clustering.

Adds ``incident_event`` (the status timeline), ``incident_claim``, the clustering state
(``incident_facet``, ``incident_facet_link``, ``article_cluster``), ranking and count columns on
``incident``, first-seen columns on ``incident_party``; recreates ``v_incidents`` with the new
columns (the old ones unchanged) and adds ``v_incident_timeline``. The incident views are
dropped around the table changes because SQLite's batch mode rebuilds the tables they read.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28 15:46:23
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_PARTIES = """
        SELECT i.id AS incident_id, i.slug, p.role, p.entity_id, e.name AS entity_name,
               e.type AS entity_type
        FROM incident_party AS p
        JOIN incident AS i ON i.id = p.incident_id
        JOIN entity AS e ON e.id = p.entity_id"""

_INCIDENTS_0001 = """
        SELECT i.id AS incident_id, i.slug, i.title, i.summary, i.status, i.claim_types,
               i.first_seen_at, i.last_seen_at,
               (SELECT count(*) FROM incident_article AS ia
                WHERE ia.incident_id = i.id) AS article_count,
               (SELECT {agg} FROM incident_party AS p JOIN entity AS e ON e.id = p.entity_id
                WHERE p.incident_id = i.id AND p.role = 'accuser') AS accusers,
               (SELECT {agg} FROM incident_party AS p JOIN entity AS e ON e.id = p.entity_id
                WHERE p.incident_id = i.id AND p.role = 'accused') AS accused
        FROM incident AS i"""

VIEWS: dict[str, str] = {
    "v_incidents": """
        SELECT i.id AS incident_id, i.slug, i.title, i.summary, i.status, i.claim_types,
               i.first_seen_at, i.last_seen_at,
               (SELECT count(*) FROM incident_article AS ia
                WHERE ia.incident_id = i.id) AS article_count,
               (SELECT {agg} FROM incident_party AS p JOIN entity AS e ON e.id = p.entity_id
                WHERE p.incident_id = i.id AND p.role = 'accuser') AS accusers,
               (SELECT {agg} FROM incident_party AS p JOIN entity AS e ON e.id = p.entity_id
                WHERE p.incident_id = i.id AND p.role = 'accused') AS accused,
               (SELECT {agg} FROM incident_party AS p JOIN entity AS e ON e.id = p.entity_id
                WHERE p.incident_id = i.id AND p.role = 'investigator') AS investigators,
               i.legal_status, i.score, i.source_count, i.outlet_count
        FROM incident AS i""",
    "v_incident_parties": _PARTIES,
    "v_incident_timeline": """
        SELECT ev.incident_id, i.slug, i.title AS incident_title, ev.status, ev.occurred_at,
               ev.sentence, ev.claim_id, ev.article_id, a.url AS article_url,
               a.title AS article_title, a.site_name
        FROM incident_event AS ev
        JOIN incident AS i ON i.id = ev.incident_id
        JOIN article AS a ON a.id = ev.article_id""",
}


def _agg() -> str:
    if op.get_bind().dialect.name == "sqlite":
        return "group_concat(e.name, ', ')"
    return "string_agg(e.name, ', ')"


def _drop_views() -> None:
    for name in ("v_incident_timeline", "v_incident_parties", "v_incidents"):
        op.execute(f"DROP VIEW IF EXISTS {name}")


def upgrade() -> None:
    _drop_views()
    op.create_table(
        "article_cluster",
        sa.Column("article_id", sa.Integer(), nullable=False, comment="The article."),
        sa.Column(
            "nlp_version",
            sa.Text(),
            nullable=True,
            comment="NLP version of the annotations it was clustered with.",
        ),
        sa.Column(
            "cluster_version", sa.Text(), nullable=False, comment="Version of the clustering rules."
        ),
        sa.Column(
            "clustered_at",
            sa.DateTime(timezone=True),
            nullable=False,
            comment="When it was clustered (UTC).",
        ),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["article.id"],
            name=op.f("fk_article_cluster_article_id_article"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("article_id", name=op.f("pk_article_cluster")),
        comment="Clustering state: which articles clustering has seen.",
    )
    op.create_table(
        "incident_facet",
        sa.Column(
            "id",
            sa.BigInteger(),
            autoincrement=False,
            nullable=False,
            comment="article_id * 64 + the facet's number in its article.",
        ),
        sa.Column("article_id", sa.Integer(), nullable=False, comment="The article."),
        sa.Column(
            "component_id",
            sa.BigInteger(),
            nullable=True,
            comment="Its connected component (NULL for a leaf facet).",
        ),
        sa.Column("is_anchor", sa.Boolean(), nullable=False, comment="May found an incident."),
        sa.Column(
            "is_leaf",
            sa.Boolean(),
            nullable=False,
            comment="From a non-relevant article: joins incidents, never links two.",
        ),
        sa.Column(
            "published_at",
            sa.DateTime(timezone=True),
            nullable=False,
            comment="Its article's date (UTC).",
        ),
        sa.Column("keys", sa.JSON(), nullable=False, comment="Entity keys (JSON list)."),
        sa.Column(
            "features",
            sa.JSON(),
            nullable=False,
            comment="Prominent keys, claim signatures and word hashes (JSON).",
        ),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["article.id"],
            name=op.f("fk_incident_facet_article_id_article"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incident_facet")),
        comment="Clustering state: one story (facet) of one article, with the features it is linked by; a round-up article has several.",
    )
    with op.batch_alter_table("incident_facet", schema=None) as batch_op:
        batch_op.create_index("ix_incident_facet_article_id", ["article_id"], unique=False)
        batch_op.create_index("ix_incident_facet_component_id", ["component_id"], unique=False)
        batch_op.create_index("ix_incident_facet_published_at", ["published_at"], unique=False)

    op.create_table(
        "incident_claim",
        sa.Column("incident_id", sa.Integer(), nullable=False, comment="The incident."),
        sa.Column("claim_id", sa.Integer(), nullable=False, comment="The claim."),
        sa.ForeignKeyConstraint(
            ["claim_id"],
            ["claim.id"],
            name=op.f("fk_incident_claim_claim_id_claim"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["incident.id"],
            name=op.f("fk_incident_claim_incident_id_incident"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("incident_id", "claim_id", name=op.f("pk_incident_claim")),
        comment="The claims that belong to an incident (a round-up's claims are split).",
    )
    with op.batch_alter_table("incident_claim", schema=None) as batch_op:
        batch_op.create_index("ix_incident_claim_claim_id", ["claim_id"], unique=False)

    op.create_table(
        "incident_event",
        sa.Column("id", sa.Integer(), nullable=False, comment="Surrogate key."),
        sa.Column("incident_id", sa.Integer(), nullable=False, comment="The incident."),
        sa.Column(
            "status",
            sa.Text(),
            nullable=False,
            comment="alleged, denied, confirmed, investigation, lawsuit, charged, settled, ruling or dismissed.",
        ),
        sa.Column(
            "occurred_at",
            sa.DateTime(timezone=True),
            nullable=False,
            comment="Publication time of the article that first reported it (UTC).",
        ),
        sa.Column("article_id", sa.Integer(), nullable=False, comment="The reporting article."),
        sa.Column("claim_id", sa.Integer(), nullable=True, comment="The claim that reported it."),
        sa.Column("sentence", sa.Text(), nullable=False, comment="The evidence sentence."),
        sa.CheckConstraint(
            "status IN ('alleged', 'denied', 'confirmed', 'investigation', 'lawsuit', 'charged', 'settled', 'ruling', 'dismissed')",
            name=op.f("ck_incident_event_status"),
        ),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["article.id"],
            name=op.f("fk_incident_event_article_id_article"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["claim_id"],
            ["claim.id"],
            name=op.f("fk_incident_event_claim_id_claim"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["incident.id"],
            name=op.f("fk_incident_event_incident_id_incident"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incident_event")),
        comment="The status timeline of an incident: each step (alleged, denied, investigation, lawsuit, …) dated by the article that first reported it.",
    )
    with op.batch_alter_table("incident_event", schema=None) as batch_op:
        batch_op.create_index(
            "ix_incident_event_incident_id_occurred_at",
            ["incident_id", "occurred_at"],
            unique=False,
        )
        batch_op.create_index("ix_incident_event_occurred_at", ["occurred_at"], unique=False)

    op.create_table(
        "incident_facet_link",
        sa.Column("leaf_facet_id", sa.BigInteger(), nullable=False, comment="The leaf facet."),
        sa.Column(
            "core_facet_id", sa.BigInteger(), nullable=False, comment="The core facet it links to."
        ),
        sa.ForeignKeyConstraint(
            ["core_facet_id"],
            ["incident_facet.id"],
            name=op.f("fk_incident_facet_link_core_facet_id_incident_facet"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["leaf_facet_id"],
            ["incident_facet.id"],
            name=op.f("fk_incident_facet_link_leaf_facet_id_incident_facet"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "leaf_facet_id", "core_facet_id", name=op.f("pk_incident_facet_link")
        ),
        comment="Clustering state: a leaf facet linked to a core facet.",
    )
    with op.batch_alter_table("incident_facet_link", schema=None) as batch_op:
        batch_op.create_index(
            "ix_incident_facet_link_core_facet_id", ["core_facet_id"], unique=False
        )

    with op.batch_alter_table("incident", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "component_id",
                sa.BigInteger(),
                nullable=True,
                comment="Clustering component it stands for (id of its smallest incident_facet).",
            )
        )
        batch_op.add_column(
            sa.Column(
                "legal_status",
                sa.Text(),
                nullable=True,
                comment="Most advanced legal status reported: investigation, lawsuit, charged, settled, ruling or dismissed (NULL: allegations only).",
            )
        )
        batch_op.add_column(
            sa.Column(
                "score",
                sa.Double(),
                nullable=False,
                server_default=sa.text("0"),
                comment="Ranking score, 0 to about 100: recency, sources, claim severity, legal status (nlp.incidents.record.rank_score).",
            )
        )
        batch_op.add_column(
            sa.Column(
                "article_count",
                sa.Integer(),
                nullable=False,
                server_default=sa.text("0"),
                comment="Articles in the incident (near-duplicate copies not counted).",
            )
        )
        batch_op.add_column(
            sa.Column(
                "source_count",
                sa.Integer(),
                nullable=False,
                server_default=sa.text("0"),
                comment="Articles plus their near-duplicate (syndicated) copies.",
            )
        )
        batch_op.add_column(
            sa.Column(
                "outlet_count",
                sa.Integer(),
                nullable=False,
                server_default=sa.text("0"),
                comment="Distinct outlets among the sources.",
            )
        )
        batch_op.add_column(
            sa.Column(
                "summary_sources",
                sa.JSON(),
                nullable=False,
                server_default=sa.text("'[]'"),
                comment="The summary sentences with their source: JSON list of {text, article_id, url, outlet}.",
            )
        )
        batch_op.create_unique_constraint(batch_op.f("uq_incident_component_id"), ["component_id"])

    with op.batch_alter_table("incident_party", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "first_seen_at",
                sa.DateTime(timezone=True),
                nullable=True,
                comment="Publication time of the first article naming it in this role (UTC).",
            )
        )
        batch_op.add_column(
            sa.Column(
                "article_id",
                sa.Integer(),
                nullable=True,
                comment="The first article naming it in this role.",
            )
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_incident_party_article_id_article"),
            "article",
            ["article_id"],
            ["id"],
            ondelete="SET NULL",
        )

    for name, body in VIEWS.items():
        op.execute(f"CREATE VIEW {name} AS {body.format(agg=_agg())}")


def downgrade() -> None:
    _drop_views()
    with op.batch_alter_table("incident_party", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_incident_party_article_id_article"), type_="foreignkey"
        )
        batch_op.drop_column("article_id")
        batch_op.drop_column("first_seen_at")

    with op.batch_alter_table("incident", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_incident_component_id"), type_="unique")
        batch_op.drop_column("summary_sources")
        batch_op.drop_column("outlet_count")
        batch_op.drop_column("source_count")
        batch_op.drop_column("article_count")
        batch_op.drop_column("score")
        batch_op.drop_column("legal_status")
        batch_op.drop_column("component_id")

    with op.batch_alter_table("incident_facet_link", schema=None) as batch_op:
        batch_op.drop_index("ix_incident_facet_link_core_facet_id")

    op.drop_table("incident_facet_link")
    with op.batch_alter_table("incident_event", schema=None) as batch_op:
        batch_op.drop_index("ix_incident_event_occurred_at")
        batch_op.drop_index("ix_incident_event_incident_id_occurred_at")

    op.drop_table("incident_event")
    with op.batch_alter_table("incident_claim", schema=None) as batch_op:
        batch_op.drop_index("ix_incident_claim_claim_id")

    op.drop_table("incident_claim")
    with op.batch_alter_table("incident_facet", schema=None) as batch_op:
        batch_op.drop_index("ix_incident_facet_published_at")
        batch_op.drop_index("ix_incident_facet_component_id")
        batch_op.drop_index("ix_incident_facet_article_id")

    op.drop_table("incident_facet")
    op.drop_table("article_cluster")
    op.execute(f"CREATE VIEW v_incidents AS {_INCIDENTS_0001.format(agg=_agg())}")
    op.execute(f"CREATE VIEW v_incident_parties AS {_PARTIES}")
