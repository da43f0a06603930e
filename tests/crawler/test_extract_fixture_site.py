"""extract_article on every article page of the fixture news site, against its truth file.

Reads the rendered pages straight from the build cache (no server needed): five outlets with
different markup, JSON-LD on some, OpenGraph on others, neither on one, plus the article-level
faults (wrong charset, invalid UTF-8, truncated HTML).
"""

from __future__ import annotations

import tomllib
from datetime import datetime
from typing import Any

import pytest

from crawler.extract import extract_article
from crawler.fixture_site import built_site, load_manifest, load_truth
from crawler.fixture_site.paths import CONTENT_DIR

BASE = "http://127.0.0.1:8765"

TRUTH: dict[str, Any] = load_truth()
MANIFEST: dict[str, Any] = load_manifest()
# Reader comments (a shared pool shown under the articles) must never reach a body.
_SITE_CONFIG = tomllib.loads((CONTENT_DIR / "site.toml").read_text(encoding="utf-8"))
COMMENTS = [comment["text"] for comment in _SITE_CONFIG.get("comments", [])]


def _fetch(path: str) -> tuple[bytes, str]:
    entry = MANIFEST[path]
    raw = (built_site().www / entry["file"]).read_bytes().replace(b"{BASE}", BASE.encode())
    return raw, entry["type"]


@pytest.mark.parametrize("path", sorted(TRUTH["articles"]))
def test_fixture_article(path: str) -> None:
    truth = TRUTH["articles"][path]
    raw, content_type = _fetch(path)
    article = extract_article(raw, BASE + path, declared_charset=content_type)
    assert article.title == truth["title"]
    assert article.published_at == datetime.fromisoformat(truth["published_at"])
    assert list(article.authors) == truth["authors"]
    assert truth["key_sentence"] in article.text
    assert article.canonical_url == BASE + path
    assert "\ufffd" not in article.text or truth.get("fault") == "invalid_utf8"
    for comment in COMMENTS:
        assert comment[:40] not in article.text


def test_syndicated_copies_are_found_by_resemblance_not_by_others() -> None:
    from store.hashing import (
        NEAR_DUPLICATE_BITS,
        NEAR_DUPLICATE_RESEMBLANCE,
        hamming,
        near_dup_keys,
        resemblance,
        simhash,
    )

    texts = {}
    for path in TRUTH["articles"]:
        raw, content_type = _fetch(path)
        texts[path] = extract_article(raw, BASE + path, declared_charset=content_type).text
    copies = {
        frozenset((path, truth["near_duplicate_of"]))
        for path, truth in TRUTH["articles"].items()
        if truth.get("near_duplicate_of")
    }
    assert copies
    paths = sorted(texts)
    found = set()
    for i, a in enumerate(paths):
        keys_a = near_dup_keys(texts[a]) or ()
        for b in paths[i + 1 :]:
            keys_b = near_dup_keys(texts[b]) or ()
            candidate = any(x == y for x, y in zip(keys_a, keys_b, strict=True))
            if candidate and resemblance(texts[a], texts[b]) >= NEAR_DUPLICATE_RESEMBLANCE:
                found.add(frozenset((a, b)))
    assert found == copies
    # Why store.hashing has resemblance keys: these copies are beyond SimHash's reach.
    distances = [hamming(simhash(texts[a]), simhash(texts[b])) for a, b in map(sorted, copies)]
    assert max(distances) > NEAR_DUPLICATE_BITS
