"""PostgreSQL connections as the store makes them."""

from __future__ import annotations

import sqlalchemy as sa

from store import make_engine


def _setting(url: str, name: str, **kwargs: object) -> str:
    engine = make_engine(url, **kwargs)  # type: ignore[arg-type]
    try:
        with engine.connect() as conn:
            return str(conn.execute(sa.text(f"SHOW {name}")).scalar_one())
    finally:
        engine.dispose()


def test_statements_are_planned_with_their_values(pg_url: str) -> None:
    """A generic plan cached while a table was empty must not outlive its growth (psycopg
    prepares statements after five runs); see store.engine.make_engine."""
    assert _setting(pg_url, "plan_cache_mode") == "force_custom_plan"


def test_the_users_own_connection_options_win(pg_url: str) -> None:
    options = {"connect_args": {"options": "-c plan_cache_mode=auto"}}
    assert _setting(pg_url, "plan_cache_mode", **options) == "auto"
