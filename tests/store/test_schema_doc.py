"""The data dictionary is generated, complete and up to date."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from store import make_engine
from store.schema_doc import render
from store.views_doc import VIEW_DOCS

DOC = Path(__file__).resolve().parents[2] / "docs" / "schema.md"


def test_docs_schema_md_is_up_to_date() -> None:
    assert DOC.read_text(encoding="utf-8") == render(), "run: python -m store.schema_doc"


def test_every_view_column_is_described(migrated_url: str) -> None:
    engine = make_engine(migrated_url)
    try:
        insp = sa.inspect(engine)
        assert set(insp.get_view_names()) == set(VIEW_DOCS)
        for view, (_, cols) in VIEW_DOCS.items():
            assert [c["name"] for c in insp.get_columns(view)] == list(cols), view
    finally:
        engine.dispose()
