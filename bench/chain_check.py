"""Invariants of a store after the whole chain ran (used by the kill trials and their test).

Read-only SQL over the documented tables; nothing here writes.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

# child table, its column, parent table: a child row whose parent is gone is an orphan.
REFERENCES = (
    ("mention", "article_id", "article"),
    ("claim", "article_id", "article"),
    ("quote", "article_id", "article"),
    ("role", "article_id", "article"),
    ("incident_article", "article_id", "article"),
    ("incident_article", "incident_id", "incident"),
    ("incident_party", "incident_id", "incident"),
    ("incident_claim", "incident_id", "incident"),
    ("incident_claim", "claim_id", "claim"),
    ("incident_event", "incident_id", "incident"),
    ("article_cluster", "article_id", "article"),
    ("crawl_run", "source_id", "source"),
)

ANNOTATION_QUERIES = {
    "mention": "SELECT a.canonical_url, m.entity_id, m.text, m.start_char, m.end_char "
    "FROM mention m JOIN article a ON a.id = m.article_id",
    "claim": "SELECT a.canonical_url, c.type, c.accuser_id, c.accused_id, c.victim_id, "
    "c.speaker_id, c.stance, c.legal_status, c.start_char, c.end_char "
    "FROM claim c JOIN article a ON a.id = c.article_id",
    "quote": "SELECT a.canonical_url, q.speaker_id, q.text, q.start_char, q.end_char "
    "FROM quote q JOIN article a ON a.id = q.article_id",
    "role": "SELECT a.canonical_url, r.person_text, r.title, r.org_text, r.start_char "
    "FROM role r JOIN article a ON a.id = r.article_id",
}


def _tables(conn: sa.Connection) -> set[str]:
    return set(sa.inspect(conn).get_table_names())


def fingerprint(url: str) -> dict[str, Any]:
    """Per canonical URL: state, NLP version and the sorted annotation rows of the article."""
    engine = sa.create_engine(url)
    out: dict[str, Any] = {}
    with engine.connect() as conn:
        for row in conn.execute(
            sa.text("SELECT canonical_url, state, nlp_version FROM article")
        ).mappings():
            out[row["canonical_url"]] = {
                "state": row["state"],
                "nlp_version": row["nlp_version"],
                "rows": [],
            }
        for table, q in ANNOTATION_QUERIES.items():
            for r in conn.execute(sa.text(q)):
                out[r[0]]["rows"].append((table, *(str(v) for v in r[1:])))
    engine.dispose()
    for v in out.values():
        v["rows"] = tuple(sorted(v["rows"]))
    return out


def orphans(url: str) -> dict[str, int]:
    """Child rows whose parent row does not exist, per ``child.column``."""
    engine = sa.create_engine(url)
    found: dict[str, int] = {}
    with engine.connect() as conn:
        tables = _tables(conn)
        for child, col, parent in REFERENCES:
            if child not in tables or parent not in tables:
                continue
            n = conn.execute(
                sa.text(
                    f"SELECT count(*) FROM {child} c LEFT JOIN {parent} p ON p.id = c.{col} "
                    f"WHERE c.{col} IS NOT NULL AND p.id IS NULL"
                )
            ).scalar_one()
            if n:
                found[f"{child}.{col}"] = int(n)
        if "incident" in tables and "incident_article" in tables:
            n = conn.execute(
                sa.text(
                    "SELECT count(*) FROM incident i WHERE NOT EXISTS "
                    "(SELECT 1 FROM incident_article ia WHERE ia.incident_id = i.id)"
                )
            ).scalar_one()
            if n:
                found["incident without articles"] = int(n)
    engine.dispose()
    return found


def check(url: str, reference: dict[str, Any]) -> dict[str, Any]:
    """Every invariant of a finished chain, compared with a clean run's ``fingerprint``.

    Returns:
        Counts per invariant (0 everywhere means it holds) and the lists behind them.
    """
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        total, distinct_url = conn.execute(
            sa.text("SELECT count(*), count(DISTINCT canonical_url) FROM article")
        ).one()
        hashes = conn.execute(
            sa.text(
                "SELECT count(content_hash) - count(DISTINCT content_hash) FROM article "
                "WHERE content_hash IS NOT NULL"
            )
        ).scalar_one()
        pending = conn.execute(
            sa.text("SELECT count(*) FROM article WHERE state IN ('new', 'processing')")
        ).scalar_one()
        briefings = conn.execute(
            sa.text(
                "SELECT briefing_date, audience, count(*), count(sent_at) FROM briefing "
                "GROUP BY briefing_date, audience"
            )
        ).all()
    engine.dispose()
    got = fingerprint(url)
    done = {u: v for u, v in got.items() if v["state"] == "done"}
    ref_done = {u for u, v in reference.items() if v["state"] == "done"}
    # Of two syndicated copies, the one stored first is processed and the other is skipped as
    # a near-duplicate; which one comes first depends on fetch order, which varies between
    # runs. Such a swapped pair is not comparable annotation by annotation; it is counted.
    mismatched = [
        u
        for u, v in done.items()
        if u in ref_done
        and (v["nlp_version"] != reference[u]["nlp_version"] or v["rows"] != reference[u]["rows"])
    ]
    versions = {v["nlp_version"] for u, v in reference.items() if u in ref_done}
    wrong_version = [u for u, v in done.items() if v["nlp_version"] not in versions]
    return {
        "articles": int(total),
        "duplicate_urls": int(total - distinct_url),
        "duplicate_content": int(hashes or 0),
        "missing_vs_clean": sorted(set(reference) - set(got)),
        "extra_vs_clean": sorted(set(got) - set(reference)),
        "unprocessed": int(pending),
        "annotation_mismatch": mismatched,
        "wrong_nlp_version": wrong_version,
        "processed": len(done),
        "processed_vs_clean": len(done) - len(ref_done),
        "swapped_copies": sorted(set(done) - ref_done),
        "orphans": orphans(url),
        "briefing_rows_twice": [tuple(map(str, b[:2])) for b in briefings if b[2] > 1],
        "briefings_marked_sent": sum(int(b[3]) for b in briefings),
    }


def violations(result: dict[str, Any]) -> list[str]:
    """Names of the invariants that do not hold in a :func:`check` result."""
    bad = []
    for key in ("duplicate_urls", "duplicate_content", "unprocessed", "processed_vs_clean"):
        if result[key]:
            bad.append(f"{key}={result[key]}")
    for key in (
        "missing_vs_clean",
        "extra_vs_clean",
        "annotation_mismatch",
        "wrong_nlp_version",
        "orphans",
        "briefing_rows_twice",
    ):
        if result[key]:
            bad.append(f"{key}={len(result[key])}")
    return bad
