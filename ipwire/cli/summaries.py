"""What the crawl and the chain of stages did, as readable sections and as JSON documents.

One place turns a stage's counts into a sentence ("44 processed (27 relevant, 0 failed) …"), so
that ``ipwire run --once`` and ``ipwire demo`` say the same thing about the same work, and one
place shapes the JSON that monitoring parses (``docs/cli-json.schema.json``).
"""

from __future__ import annotations

from typing import Any

from ipwire.cli.output import Section
from ipwire.jobs.scheduled import ChainResult, StageOutcome

__all__ = [
    "CRAWL_COLUMNS",
    "chain_json",
    "crawl_json",
    "crawl_section",
    "describe_stage",
    "stage_section",
]

#: (summary key, column header) of the crawl summary; headers are whole words, never cut.
CRAWL_COLUMNS = (
    ("pages_fetched", "pages"),
    ("new", "new"),
    ("duplicate", "duplicate"),
    ("near_duplicate", "near-duplicate"),
    ("not_modified", "not modified"),
    ("already_stored", "already stored"),
    ("robots_skipped", "robots"),
    ("skipped", "skipped"),
    ("failed", "failed"),
)


def _n(counts: dict[str, Any], key: str) -> int:
    value = counts.get(key, 0)
    return int(value) if isinstance(value, int | float) else 0


def _reasons(mapping: object, prefix: str = "") -> str:
    if not isinstance(mapping, dict) or not mapping:
        return ""
    return ", ".join(f"{prefix}{k}={v}" for k, v in sorted(mapping.items()))


def _plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n} {word if n == 1 else (many or word + 's')}"


def _generic(counts: dict[str, Any]) -> str:
    parts = []
    for key, value in counts.items():
        if isinstance(value, float):
            value = round(value, 2)
        if isinstance(value, dict):
            value = f"({_reasons(value)})" if value else "()"
        if isinstance(value, list):
            value = len(value)
        parts.append(f"{key}={value}")
    return ", ".join(parts)


def describe_stage(outcome: StageOutcome, chain: ChainResult | None = None) -> str:
    """One sentence on what a stage did (or its error)."""
    if not outcome.ok:
        return outcome.error or "failed"
    c = outcome.counts
    if outcome.stage == "crawl" and "sources" in c:
        text = (
            f"{_plural(_n(c, 'sources'), 'source')}: {_n(c, 'new')} new, "
            f"{_n(c, 'duplicate')} duplicate, {_n(c, 'near_duplicate')} near-duplicate, "
            f"{_n(c, 'failed')} failed"
        )
        why = _reasons(c.get("failed_by_reason"))
        return f"{text} ({why})" if why else text
    if outcome.stage == "process" and "processed" in c:
        text = (
            f"{_n(c, 'processed')} processed ({_n(c, 'relevant')} relevant, "
            f"{_n(c, 'failed')} failed) in {_plural(_n(c, 'batches'), 'batch', 'batches')}"
        )
        if _n(c, "clustered"):
            text += (
                f"; clustered as it went: {_plural(_n(c, 'clustered'), 'article')} into "
                f"{_n(c, 'incidents_new')} new and {_n(c, 'incidents_updated')} updated incidents"
            )
        return text
    if outcome.stage == "cluster" and "articles" in c:
        if not _n(c, "articles") and not _n(c, "copies"):
            during = chain is not None and any(
                s.stage == "process" and _n(s.counts, "clustered") for s in chain.stages
            )
            return "nothing left to cluster" + (" (process clustered each batch)" if during else "")
        copies = _plural(_n(c, "copies"), "copy", "copies")
        return (
            f"{_plural(_n(c, 'articles'), 'article')} and {copies}: "
            f"{_n(c, 'incidents_new')} new incidents, {_n(c, 'incidents_updated')} updated, "
            f"{_n(c, 'merged')} merged" + (" (rebuilt)" if c.get("rebuilt") else "")
        )
    if outcome.stage == "briefing" and "status" in c:
        return (
            f"{c.get('date')} ({c.get('audience')}): {c.get('status')}, "
            f"{_plural(_n(c, 'developments'), 'development')}, {_plural(_n(c, 'files'), 'file')}, "
            f"{_plural(_n(c, 'recipients'), 'recipient')}"
        )
    if outcome.stage == "site" and "pages" in c:
        entities = _plural(_n(c, "entities"), "entity", "entities")
        return (
            f"{_plural(_n(c, 'pages'), 'page')}: {_n(c, 'written')} written, "
            f"{_n(c, 'unchanged')} unchanged, {_n(c, 'deleted')} deleted "
            f"({_plural(_n(c, 'incidents'), 'incident')}, {entities})"
        )
    return _generic(c)


def stage_section(result: ChainResult, title: str) -> Section:
    """One row per stage: outcome, seconds (rounded) and what it did."""
    return Section(
        title,
        ("stage", "outcome", "seconds", "what it did"),
        [
            (o.stage, "ok" if o.ok else "FAILED", f"{o.seconds:.1f}", describe_stage(o, result))
            for o in result.stages
        ],
        numeric=frozenset({"seconds"}),
        noun="stages",
    )


def _rounded(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, 3)
    if isinstance(value, dict):
        return {str(k): _rounded(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_rounded(v) for v in value]
    return value


def chain_json(result: ChainResult) -> dict[str, Any]:
    """The chain as JSON: each stage's outcome, seconds, counts and error; what failed."""
    return {
        "seconds": round(sum(o.seconds for o in result.stages), 3),
        "failed_stages": result.failed,
        "stages": [
            {
                "stage": o.stage,
                "ok": o.ok,
                "seconds": round(o.seconds, 3),
                "summary": describe_stage(o, result),
                "counts": _rounded(o.counts),
                "error": o.error,
            }
            for o in result.stages
        ],
    }


def crawl_section(summaries: list[dict[str, Any]]) -> Section:
    """The end-of-crawl summary: one row per source, failures and skips by reason."""
    rows = []
    for s in summaries:
        reasons = ", ".join(
            part
            for part in (
                _reasons(s.get("failed_by_reason")),
                _reasons(s.get("skipped_by_reason"), "skip:"),
            )
            if part
        )
        rows.append(
            (
                str(s["source"]),
                str(s["outcome"]),
                *(str(s.get(key, 0)) for key, _ in CRAWL_COLUMNS),
                reasons,
            )
        )
    columns = ("source", "outcome", *(label for _, label in CRAWL_COLUMNS), "failures by reason")
    numeric = frozenset(label for _, label in CRAWL_COLUMNS)
    return Section("crawl summary", columns, rows, numeric, noun="sources")


def crawl_json(
    summaries: list[dict[str, Any]], totals: dict[str, Any], seconds: float
) -> dict[str, Any]:
    """The crawl as JSON: totals and one object per source."""
    keys = ("source", "outcome", *(k for k, _ in CRAWL_COLUMNS))
    sources = []
    for s in summaries:
        item: dict[str, Any] = {k: s.get(k, 0) for k in keys}
        item["failed_by_reason"] = dict(s.get("failed_by_reason") or {})
        item["skipped_by_reason"] = dict(s.get("skipped_by_reason") or {})
        sources.append(item)
    return {"seconds": round(seconds, 3), "totals": totals, "sources": sources}
