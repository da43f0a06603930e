"""Distinct claims per incident: ``v_incident_claims`` and claim counts on ``v_incidents``.

The ``claim`` table has one row per *mention* (each sentence that repeats a claim, and every
syndicated copy of it). ``v_incident_claims`` has one row per distinct claim of an incident,
(type, accuser, accused), with its stances, legal statuses, sentences and sources;
``v_incidents`` gains ``claim_count`` (distinct claims) and ``mention_count`` (their sentences).
``v_claims`` is unchanged: it keeps every mention.

An incident's claims are those the clusterer assigned to it (``incident_claim``, so a round-up's
claims are split between its incidents); an incident without assignments has every claim of
its articles. A party never linked to an entity is identified by its text, lower-cased.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07 21:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Every (incident, claim mention) with the identity of the claim: assigned claims, else the
# claims of the incident's articles.
_MENTIONS = """
        SELECT ic.incident_id, c.id AS claim_id
        FROM incident_claim AS ic
        JOIN claim AS c ON c.id = ic.claim_id
        UNION
        SELECT ia.incident_id, c.id AS claim_id
        FROM incident_article AS ia
        JOIN claim AS c ON c.article_id = ia.article_id
        WHERE ia.incident_id NOT IN (SELECT incident_id FROM incident_claim)"""

_KEYED = f"""
        SELECT m.incident_id, c.id AS claim_id, c.article_id, c.type, c.stance, c.legal_status,
               c.sentence, c.published_at,
               c.accuser_id, COALESCE(accuser.name, c.accuser_text) AS accuser_name,
               c.accused_id, COALESCE(accused.name, c.accused_text) AS accused_name,
               COALESCE(c.accuser_id, lower(c.accuser_text), '') AS accuser_key,
               COALESCE(c.accused_id, lower(c.accused_text), '') AS accused_key
        FROM ({_MENTIONS}) AS m
        JOIN claim AS c ON c.id = m.claim_id
        LEFT JOIN entity AS accuser ON accuser.id = c.accuser_id
        LEFT JOIN entity AS accused ON accused.id = c.accused_id"""

_KEY = "k.incident_id, k.type, k.accuser_key, k.accused_key"


def _views(dialect: str) -> dict[str, str]:
    def agg(col: str, sep: str) -> str:
        # Distinct values joined: deduplicated in a subquery, since SQLite's group_concat takes
        # no separator together with DISTINCT.
        fn = "group_concat" if dialect == "sqlite" else "string_agg"
        return (
            f"(SELECT {fn}(x.v, '{sep}') FROM (SELECT DISTINCT CAST(d.{col} AS TEXT) AS v"
            f" FROM ({_KEYED}) AS d"
            " WHERE d.incident_id = g.incident_id AND d.type = g.claim_type"
            " AND d.accuser_key = g.accuser_key AND d.accused_key = g.accused_key"
            f" AND d.{col} IS NOT NULL) AS x)"
        )

    claims = f"""
        SELECT g.incident_id, i.slug, g.claim_type, g.accuser_id, g.accuser_name, g.accused_id,
               g.accused_name, {agg("stance", ", ")} AS stances,
               {agg("legal_status", ", ")} AS legal_statuses,
               g.mention_count, g.sentence_count, g.article_count, g.first_published_at,
               g.last_published_at, {agg("sentence", " | ")} AS sentences,
               {agg("article_id", ", ")} AS article_ids, g.accuser_key, g.accused_key
        FROM (
            SELECT k.incident_id, k.type AS claim_type, k.accuser_key, k.accused_key,
                   max(k.accuser_id) AS accuser_id, max(k.accuser_name) AS accuser_name,
                   max(k.accused_id) AS accused_id, max(k.accused_name) AS accused_name,
                   count(*) AS mention_count, count(DISTINCT k.sentence) AS sentence_count,
                   count(DISTINCT k.article_id) AS article_count,
                   min(k.published_at) AS first_published_at,
                   max(k.published_at) AS last_published_at
            FROM ({_KEYED}) AS k
            GROUP BY {_KEY}
        ) AS g
        JOIN incident AS i ON i.id = g.incident_id"""
    name_agg = "group_concat(e.name, ', ')" if dialect == "sqlite" else "string_agg(e.name, ', ')"
    incidents = f"""
        SELECT i.id AS incident_id, i.slug, i.title, i.summary, i.status, i.claim_types,
               i.first_seen_at, i.last_seen_at,
               (SELECT count(*) FROM incident_article AS ia
                WHERE ia.incident_id = i.id) AS article_count,
               (SELECT {name_agg} FROM incident_party AS p JOIN entity AS e ON e.id = p.entity_id
                WHERE p.incident_id = i.id AND p.role = 'accuser') AS accusers,
               (SELECT {name_agg} FROM incident_party AS p JOIN entity AS e ON e.id = p.entity_id
                WHERE p.incident_id = i.id AND p.role = 'accused') AS accused,
               (SELECT {name_agg} FROM incident_party AS p JOIN entity AS e ON e.id = p.entity_id
                WHERE p.incident_id = i.id AND p.role = 'investigator') AS investigators,
               i.legal_status, i.score, i.source_count, i.outlet_count,
               (SELECT count(*) FROM (SELECT DISTINCT k.type, k.accuser_key, k.accused_key
                FROM ({_KEYED}) AS k WHERE k.incident_id = i.id) AS dc) AS claim_count,
               (SELECT count(*) FROM ({_MENTIONS}) AS mc
                WHERE mc.incident_id = i.id) AS mention_count
        FROM incident AS i"""
    return {"v_incidents": incidents, "v_incident_claims": claims}


_INCIDENTS_0002 = """
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
        FROM incident AS i"""


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    op.execute("DROP VIEW IF EXISTS v_incidents")
    for name, body in _views(dialect).items():
        op.execute(f"CREATE VIEW {name} AS {body}")


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    agg = "group_concat(e.name, ', ')" if dialect == "sqlite" else "string_agg(e.name, ', ')"
    op.execute("DROP VIEW IF EXISTS v_incident_claims")
    op.execute("DROP VIEW IF EXISTS v_incidents")
    op.execute(f"CREATE VIEW v_incidents AS {_INCIDENTS_0002.format(agg=agg)}")
