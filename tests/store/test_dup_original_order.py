"""The original of a near-duplicate group does not depend on the order a crawl fetched its copies.

The original is the copy NLP reads; the rest are skipped. If it were the first copy stored, two
crawls of the same sites could read different copies and store different claims. It is the
earliest published copy (then the first URL), as long as NLP has not read the stored one yet.
"""

from __future__ import annotations

import datetime as dt
import itertools

import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker

from store import ArticleIn, add_article
from store.models import Article
from tests.store.conftest import article_in

T = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
BITS = 0b1011_0110


def _copies() -> dict[str, ArticleIn]:
    """Three copies of one story: a wire original and two edited reprints, hours apart."""
    return {
        "wire": article_in(1, simhash=BITS, published_at=T),
        "herald": article_in(2, simhash=BITS ^ 0b1, published_at=T + dt.timedelta(hours=2)),
        "courier": article_in(3, simhash=BITS ^ 0b10, published_at=T + dt.timedelta(hours=5)),
    }


def _stored(factory: sessionmaker[Session]) -> dict[str, tuple[bool, str, str | None]]:
    """Per copy (by URL tail): near-duplicate?, state, and the URL tail of its original."""
    with factory() as s:
        rows = list(s.scalars(sa.select(Article)))
    by_id = {r.id: r.canonical_url.rsplit("-", 1)[-1] for r in rows}
    return {
        by_id[r.id]: (
            r.is_near_duplicate,
            r.state,
            by_id.get(r.near_duplicate_of) if r.near_duplicate_of else None,
        )
        for r in rows
    }


def test_every_fetch_order_stores_the_earliest_copy_as_the_original(
    factory: sessionmaker[Session],
) -> None:
    copies = _copies()
    results = []
    for order in itertools.permutations(copies):
        with factory.begin() as s:
            s.execute(sa.delete(Article))
        for name in order:
            with factory.begin() as s:
                add_article(s, copies[name])
        results.append((order, _stored(factory)))
    expected = {
        "1": (False, "new", None),
        "2": (True, "skipped", "1"),
        "3": (True, "skipped", "1"),
    }
    for order, stored in results:
        assert stored == expected, order


def test_an_analysed_original_keeps_its_place(factory: sessionmaker[Session]) -> None:
    copies = _copies()
    with factory.begin() as s:
        herald = add_article(s, copies["herald"])
        s.execute(sa.update(Article).where(Article.id == herald.article_id).values(state="done"))
    with factory.begin() as s:
        wire = add_article(s, copies["wire"])
    assert (wire.status, wire.duplicate_of) == ("near_duplicate", herald.article_id)
    assert _stored(factory) == {"2": (False, "done", None), "1": (True, "skipped", "2")}


def test_an_earlier_copy_reports_itself_new_and_the_old_original_follows_it(
    factory: sessionmaker[Session],
) -> None:
    copies = _copies()
    with factory.begin() as s:
        courier = add_article(s, copies["courier"])
        herald = add_article(s, copies["herald"])
        wire = add_article(s, copies["wire"])
    assert courier.status == "new"
    assert (herald.status, herald.duplicate_of) == ("new", None)
    assert (wire.status, wire.duplicate_of) == ("new", None)
    with factory() as s:
        groups = set(s.scalars(sa.select(Article.dup_group_id)))
    assert groups == {courier.article_id}  # one group, whatever became its original
