"""An unnamed party joins the one party its incident names: ``v_incident_claims`` by story keys.

A sentence such as "prosecutors say he uploaded the files" names no accuser. Keyed by its own
parties it was a second line in ``v_incident_claims`` (and a second claim in ``v_incidents``'s
``claim_count``), "(unnamed) → Marcus Teoh" beside "Beacon AI → Marcus Teoh", although it is the
same claim. Within an incident, an empty accused takes the one accused its mentions of that type
name, then an empty accuser the one accuser of that (type, accused) — only where there is exactly
one; with two or more it stays its own line. The read model (``store.readmodels.claim_groups``,
``story_keys``) groups the same way. ``v_claims`` is unchanged.

The views are those of revision 0005 over keys computed with window functions (SQLite 3.25+
and PostgreSQL both have them).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-08 03:10:00
"""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _revision_0005() -> ModuleType:
    """Revision 0005's module, loaded afresh: its view bodies are built from ``_KEYED``."""
    path = Path(__file__).with_name("0005_distinct_claims_views.py")
    spec = importlib.util.spec_from_file_location("ipwire_revision_0005", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _story_keyed(keyed: str) -> str:
    """0005's keyed mentions with the unnamed parties filled in per incident."""
    cols = (
        "incident_id, claim_id, article_id, type, stance, legal_status, sentence, published_at, "
        "accuser_id, accuser_name, accused_id, accused_name"
    )
    accused = f"""
        SELECT k.*,
               min(NULLIF(k.accused_key, '')) OVER (PARTITION BY k.incident_id, k.type) AS lo_d,
               max(NULLIF(k.accused_key, '')) OVER (PARTITION BY k.incident_id, k.type) AS hi_d
        FROM ({keyed}) AS k"""
    filled = f"""
        SELECT {cols}, accuser_key,
               CASE WHEN a.accused_key = '' AND a.lo_d = a.hi_d THEN a.lo_d
                    ELSE a.accused_key END AS accused_key
        FROM ({accused}) AS a"""
    accuser = f"""
        SELECT f.*,
               min(NULLIF(f.accuser_key, ''))
                   OVER (PARTITION BY f.incident_id, f.type, f.accused_key) AS lo_r,
               max(NULLIF(f.accuser_key, ''))
                   OVER (PARTITION BY f.incident_id, f.type, f.accused_key) AS hi_r
        FROM ({filled}) AS f"""
    return f"""
        SELECT {cols},
               CASE WHEN r.accuser_key = '' AND r.lo_r = r.hi_r THEN r.lo_r
                    ELSE r.accuser_key END AS accuser_key,
               r.accused_key
        FROM ({accuser}) AS r"""


def _recreate(views: dict[str, str]) -> None:
    op.execute("DROP VIEW IF EXISTS v_incident_claims")
    op.execute("DROP VIEW IF EXISTS v_incidents")
    for name, body in views.items():
        op.execute(f"CREATE VIEW {name} AS {body}")


def upgrade() -> None:
    module = _revision_0005()
    module._KEYED = _story_keyed(module._KEYED)
    _recreate(module._views(op.get_bind().dialect.name))


def downgrade() -> None:
    _recreate(_revision_0005()._views(op.get_bind().dialect.name))
