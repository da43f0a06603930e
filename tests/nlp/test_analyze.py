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


def test_poisoned_articles_do_not_stop_the_batch(blank_analyzer: Analyzer) -> None:
    garbage = bytes(range(256)).decode("latin-1") * 40
    huge = "OpenAI sued DeepSeek. " * 250_000  # ~5.5 MB
    items = [
        (BODY, "First"),
        ("", None),
        (garbage, None),
        (huge, "Huge"),
        ("......", None),
        (None, None),  # not text at all
        (BODY, "Last"),
    ]
    out = list(blank_analyzer.analyze_many(items, batch_size=3))  # type: ignore[arg-type]
    assert len(out) == len(items)
    assert out[0].error is None and out[-1].error is None
    assert out[0].entities == out[-1].entities
    assert "empty text" in out[1].warnings
    assert any("control characters" in w for w in out[2].warnings)
    assert any("truncated" in w for w in out[3].warnings) and out[3].error is None
    assert out[5].error is not None and not out[5].relevant


def test_two_worker_processes_give_the_same_result(blank_analyzer: Analyzer) -> None:
    items = [(BODY + f" Item {i}.", f"Title {i}") for i in range(7)]
    one = list(blank_analyzer.analyze_many(items, batch_size=2))
    two = list(blank_analyzer.analyze_many(items, batch_size=2, n_process=2))
    assert [dataclasses.asdict(a) for a in one] == [dataclasses.asdict(a) for a in two]
