"""The Analyzer contract: offsets, batches, per-article failures, worker processes."""

from __future__ import annotations

import dataclasses

from nlp.analyze import Analyzer
from nlp.textprep import compose_text

BODY = (
    "OpenAI said DeepSeek used its API without permission, according to the White House.\n\n"
    '"This is a serious matter," said David Sacks.'
)


def test_offsets_point_into_title_plus_body(blank_analyzer: Analyzer) -> None:
    title = "OpenAI accuses DeepSeek"
    ann = blank_analyzer.analyze(BODY, title=title)
    text = compose_text(title, BODY)
    assert ann.mentions
    for m in ann.mentions:
        assert text[m.start : m.end] == m.text
    for q in ann.quotes:
        assert q.text in text[q.start : q.end] or text[q.start : q.end].startswith(q.text[:10])
    ids = {e.id for e in ann.entities}
    assert {"openai", "deepseek", "white-house", "david-sacks"} <= ids
    assert ann.error is None
    assert ann.nlp_version.endswith("+blank")


def test_poisoned_articles_fail_without_stopping_the_batch(blank_analyzer: Analyzer) -> None:
    garbage = bytes(range(256)).decode("latin-1") * 40
    huge = "OpenAI sued DeepSeek. " * 250_000  # ~5.5 MB
    items = [
        (BODY, "First"),
        ("", None),
        (garbage, None),
        (huge, "Huge"),
        ("......", None),
        (None, None),  # not text at all
        ("OpenAI\x00 said DeepSeek\x07 copied it.", None),  # stray control characters
        (BODY, "Last"),
    ]
    out = list(blank_analyzer.analyze_many(items, batch_size=3))  # type: ignore[arg-type]
    assert len(out) == len(items)
    assert out[0].error is None
    assert out[-1].error is None
    assert out[0].entities == out[-1].entities
    errors = [a.error for a in out[1:6]]
    assert errors == [
        "failed: empty text",
        "failed: not text (mostly non-letter characters: binary or garbled?)",
        "failed: text too long (5500006 > 200000 characters)",  # title + "\n\n" + body
        "failed: no sentences (fewer than 3 words)",
        "failed: article text must be str, not NoneType",
    ]
    assert all(not a.relevant and a.relevance == 0.0 and not a.entities for a in out[1:6])
    assert out[6].error is None
    assert any("control characters" in w for w in out[6].warnings)
    assert {e.id for e in out[6].entities} == {"openai", "deepseek"}


def test_two_worker_processes_give_the_same_result(blank_analyzer: Analyzer) -> None:
    items = [(BODY + f" Item {i}.", f"Title {i}") for i in range(7)]
    one = list(blank_analyzer.analyze_many(items, batch_size=2))
    two = list(blank_analyzer.analyze_many(items, batch_size=2, n_process=2))
    assert [dataclasses.asdict(a) for a in one] == [dataclasses.asdict(a) for a in two]
