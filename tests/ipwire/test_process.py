"""``ipwire process`` on a real store: poisoned articles fail alone, re-runs never duplicate."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import sqlalchemy as sa

from ipwire.config import Settings
from ipwire.jobs.process import process_pending
from store import ArticleIn, add_article, make_engine, make_session_factory, session_scope
from tests.support.settings import make_settings

T0 = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC)

GOOD = (
    "Halcyon Labs accused Zhenhe Intelligence on Tuesday of distilling its Aster models "
    "through thousands of fraudulent API accounts, according to a complaint filed in federal "
    "court. Zhenhe denied the allegations. \"We have never used another company's outputs to "
    'train our models," a Zhenhe spokesperson said.'
)
POISON = {
    "five_megabytes": "lorem ipsum dolor " * 300_000,
    "binary_garbage": "".join(chr(c) for c in range(0, 0xD7FF, 7))[:20_000],
    "no_sentences": "\u200b\u200b\u200b \ufeff\u00a0 \u2028",
}


@pytest.fixture
def settings(migrated_sqlite_url: str, tmp_path: Path) -> Settings:
    s = make_settings(tmp_path, 'data_dir = "."\n[nlp]\nbatch_size = 3\n')
    assert s.database_url == migrated_sqlite_url  # ./ipwire.db, at the head revision
    return s


def seed(settings: Settings) -> dict[str, int]:
    factory = make_session_factory(make_engine(settings.database_url))
    ids = {}
    texts = {
        "good_1": GOOD,
        "good_2": GOOD.replace("Tuesday", "Friday") + " It was the second.",
        **POISON,
    }
    with session_scope(factory) as s:
        for n, (name, text) in enumerate(texts.items()):
            art = ArticleIn(
                source_id=None,
                url=f"https://news.example/{name}",
                canonical_url=f"https://news.example/{name}",
                title=f"Story {name}",
                text=text,
                published_at=T0 + dt.timedelta(hours=n),
                fetched_at=T0,
            )
            ids[name] = add_article(s, art).article_id
    return ids


def snapshot(settings: Settings) -> dict[str, object]:
    engine = make_engine(settings.database_url)
    with engine.connect() as c:
        out = {
            t: c.execute(sa.text(f"SELECT count(*) FROM {t}")).scalar_one()
            for t in ("mention", "claim", "quote", "role")
        }
        out["states"] = dict(c.execute(sa.text("SELECT canonical_url, state FROM article")).all())
    engine.dispose()
    return out


def test_poisoned_articles_fail_alone_and_reruns_are_idempotent(settings: Settings) -> None:
    ids = seed(settings)
    first = process_pending(settings)
    snap = snapshot(settings)
    states = {url.rsplit("/", 1)[1]: st for url, st in snap["states"].items()}  # type: ignore[union-attr]
    # Near-duplicate good_2 is skipped at storage; good_1 is processed.
    assert states["good_1"] == "done"
    assert first.processed >= 1
    # Every poisoned article is recorded on itself; none stopped the batch.
    for name in POISON:
        if name in states:
            assert states[name] in ("failed", "done", "skipped"), (name, states[name])
    assert states["five_megabytes"] == "failed"
    assert states["no_sentences"] == "failed"
    assert snap["claim"] >= 1
    assert snap["mention"] >= 1
    assert len(ids) == 5

    # A second run finds nothing to do and changes nothing.
    again = process_pending(settings)
    assert again.processed == 0
    assert snapshot(settings) == snap

    # Re-processing (failed ones too) replaces annotations instead of adding copies.
    engine = make_engine(settings.database_url)
    with engine.begin() as c:
        c.execute(sa.text("UPDATE article SET state = 'new' WHERE state = 'done'"))
    engine.dispose()
    process_pending(settings, reprocess=True)
    assert {k: v for k, v in snapshot(settings).items() if k != "states"} == {
        k: v for k, v in snap.items() if k != "states"
    }
