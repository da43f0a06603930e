"""The example SQL queries of the README, in one place.

The README shows them, a test runs every one on SQLite and PostgreSQL, and
``bench/store_bench.py`` times them at two database sizes. They use only the documented views
and named parameters, so they run unchanged in ``ipwire sql``, ``sqlite3`` or ``psql``.
Dates are passed as ``YYYY-MM-DD`` text, which both databases compare correctly with the
stored timestamps.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["EXAMPLES", "ExampleQuery", "markdown"]


@dataclass(frozen=True, slots=True)
class ExampleQuery:
    """One documented query: a name, what it answers, the SQL and sample parameters."""

    name: str
    question: str
    sql: str
    params: dict[str, str] = field(default_factory=dict)

    def cli(self) -> str:
        """The query as an ``ipwire sql`` command line."""
        sql = " ".join(self.sql.split())
        args = "".join(f" --param {k}={v}" for k, v in self.params.items())
        return f'ipwire sql "{sql}"{args}'


EXAMPLES: tuple[ExampleQuery, ...] = (
    ExampleQuery(
        "latest_claims",
        "The newest claims: who accuses whom of what, and how sure the article is.",
        """SELECT published_at, claim_type, stance, accuser_name, accused_name, article_url
FROM v_claims
ORDER BY published_at DESC
LIMIT 20""",
    ),
    ExampleQuery(
        "claims_against",
        "Claims against one entity since a date, with the evidence sentence.",
        """SELECT published_at, claim_type, stance, legal_status, accuser_name, sentence
FROM v_claims
WHERE accused_id = :entity_id AND published_at >= :since
ORDER BY published_at DESC
LIMIT 50""",
        {"entity_id": "new:zhenhe-intelligence", "since": "2026-01-01"},
    ),
    ExampleQuery(
        "top_accused",
        "The most-accused entities since a date.",
        """SELECT accused_id, accused_name, count(*) AS claims,
       count(DISTINCT article_id) AS articles
FROM v_claims
WHERE published_at >= :since AND accused_id IS NOT NULL
GROUP BY accused_id, accused_name
ORDER BY claims DESC, accused_id
LIMIT 10""",
        {"since": "2026-01-01"},
    ),
    ExampleQuery(
        "stance_mix",
        "How sure is the news? Claims by type and stance since a date.",
        """SELECT claim_type, stance, count(*) AS claims
FROM v_claims
WHERE published_at >= :since
GROUP BY claim_type, stance
ORDER BY claim_type, claims DESC""",
        {"since": "2026-01-01"},
    ),
    ExampleQuery(
        "legal_actions",
        "The latest claims with a legal status: investigations, lawsuits, charges, rulings.",
        """SELECT published_at, legal_status, claim_type, accuser_name, accused_name,
       article_title
FROM v_claims
WHERE legal_status IS NOT NULL
ORDER BY published_at DESC
LIMIT 20""",
    ),
    ExampleQuery(
        "entity_mentions",
        "Articles that mention one entity since a date, and how often.",
        """SELECT published_at, article_title, article_url, count(*) AS mentions
FROM v_entity_mentions
WHERE entity_id = :entity_id AND published_at >= :since
GROUP BY article_id, published_at, article_title, article_url
ORDER BY published_at DESC
LIMIT 20""",
        {"entity_id": "new:zhenhe-intelligence", "since": "2026-01-01"},
    ),
    ExampleQuery(
        "recent_incidents",
        "The most recently active incidents, with their parties.",
        """SELECT slug, title, status, article_count, accusers, accused, last_seen_at
FROM v_incidents
ORDER BY last_seen_at DESC
LIMIT 20""",
    ),
)


def markdown() -> str:
    """The examples as a Markdown section body (for the README's SQL guide)."""
    parts = []
    for ex in EXAMPLES:
        params = "".join(f" --param {k}={v}" for k, v in ex.params.items())
        parts.append(f"**{ex.question}** (`{ex.name}`)\n\n```sql\n{ex.sql}\n```\n")
        if params:
            parts.append(f'Run it with `ipwire sql "…"{params}`.\n')
    return "\n".join(parts)


if __name__ == "__main__":  # pragma: no cover - `python -m store.examples` prints the section
    print(markdown())
