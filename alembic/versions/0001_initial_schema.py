# ruff: noqa: E501 (generated column comments)
"""Initial schema: every table, full-text search and the user views.

The search structures and views are dialect-specific SQL frozen here (later changes get their
own revision): SQLite uses an FTS5 external-content table kept in sync by triggers, PostgreSQL
a stored generated ``tsvector`` column with a GIN index. The views use only SQL that both
dialects accept, except the name lists of ``v_incidents`` (``group_concat``/``string_agg``).

Revision ID: 0001
Revises:
Create Date: 2026-11-28 15:22:24.881960
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "briefing",
        sa.Column("id", sa.Integer(), nullable=False, comment="Surrogate key."),
        sa.Column(
            "briefing_date", sa.Date(), nullable=False, comment="The date it covers (local date)."
        ),
        sa.Column(
            "audience", sa.Text(), nullable=False, comment="Audience name from the email settings."
        ),
        sa.Column(
            "window_start_at",
            sa.DateTime(timezone=True),
            nullable=False,
            comment="Start of the news window (UTC).",
        ),
        sa.Column(
            "window_end_at",
            sa.DateTime(timezone=True),
            nullable=False,
            comment="End of the news window (UTC).",
        ),
        sa.Column("subject", sa.Text(), nullable=False, comment="Email subject."),
        sa.Column("html", sa.Text(), nullable=False, comment="Rendered HTML body."),
        sa.Column("text", sa.Text(), nullable=False, comment="Rendered plain-text body."),
        sa.Column(
            "status", sa.Text(), nullable=False, comment="rendered (not sent yet), sent or failed."
        ),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            nullable=False,
            comment="When it was rendered (UTC).",
        ),
        sa.Column(
            "sent_at", sa.DateTime(timezone=True), nullable=True, comment="When it was sent (UTC)."
        ),
        sa.Column(
            "message_id", sa.Text(), nullable=True, comment="Message-ID header of the email sent."
        ),
        sa.Column("attempts", sa.Integer(), nullable=False, comment="Failed sending attempts."),
        sa.Column("error", sa.Text(), nullable=True, comment="Last sending error."),
        sa.CheckConstraint(
            "status IN ('rendered', 'sent', 'failed')", name=op.f("ck_briefing_status")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_briefing")),
        sa.UniqueConstraint(
            "briefing_date", "audience", name=op.f("uq_briefing_briefing_date_audience")
        ),
        comment="One daily briefing per date and audience; sending is idempotent.",
    )
    op.create_table(
        "entity",
        sa.Column("id", sa.Text(), nullable=False, comment="Stable slug, e.g. acme-labs."),
        sa.Column("name", sa.Text(), nullable=False, comment="Display name."),
        sa.Column(
            "type", sa.Text(), nullable=False, comment="ORG, GOV, PERSON, PRODUCT, MEDIA or GPE."
        ),
        sa.Column(
            "aliases", sa.JSON(), nullable=False, comment="Other names it goes by (JSON list)."
        ),
        sa.Column("wikidata_id", sa.Text(), nullable=True, comment="Wikidata id (Q…), if known."),
        sa.Column("description", sa.Text(), nullable=True, comment="One-line description."),
        sa.Column(
            "is_kb",
            sa.Boolean(),
            nullable=False,
            comment="True when it comes from the curated knowledge base.",
        ),
        sa.Column(
            "first_seen_at",
            sa.DateTime(timezone=True),
            nullable=False,
            comment="When the store first recorded it (UTC).",
        ),
        sa.CheckConstraint(
            "type IN ('ORG', 'GOV', 'PERSON', 'PRODUCT', 'MEDIA', 'GPE')",
            name=op.f("ck_entity_type"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_entity")),
        comment="A company, lab, agency, court, person, model/product, news outlet or place; seeded from the knowledge base (nlp/kb) and grown from the text.",
    )
    op.create_index("ix_entity_name", "entity", ["name"], unique=False)
    op.create_index("ix_entity_type", "entity", ["type"], unique=False)
    op.create_table(
        "fetch_state",
        sa.Column("url", sa.Text(), nullable=False, comment="The URL requested."),
        sa.Column(
            "etag", sa.Text(), nullable=True, comment="ETag response header of the last fetch."
        ),
        sa.Column(
            "last_modified",
            sa.Text(),
            nullable=True,
            comment="Last-Modified response header of the last fetch, verbatim.",
        ),
        sa.Column(
            "last_status", sa.Integer(), nullable=True, comment="HTTP status of the last fetch."
        ),
        sa.Column(
            "fetched_at",
            sa.DateTime(timezone=True),
            nullable=False,
            comment="When the URL was last fetched (UTC).",
        ),
        sa.PrimaryKeyConstraint("url", name=op.f("pk_fetch_state")),
        comment="HTTP validators of the last fetch of a URL, for conditional GET (If-None-Match / If-Modified-Since).",
    )
    op.create_table(
        "incident",
        sa.Column("id", sa.Integer(), nullable=False, comment="Surrogate key."),
        sa.Column(
            "slug",
            sa.Text(),
            nullable=False,
            comment="Stable URL slug, e.g. 2026-acme-labs-distillation.",
        ),
        sa.Column("title", sa.Text(), nullable=False, comment="Headline of the incident."),
        sa.Column("summary", sa.Text(), nullable=True, comment="Short summary."),
        sa.Column(
            "status",
            sa.Text(),
            nullable=False,
            comment="open (recent news), dormant (no news lately) or closed.",
        ),
        sa.Column(
            "claim_types",
            sa.JSON(),
            nullable=False,
            comment="Claim types seen in its articles (JSON list).",
        ),
        sa.Column(
            "first_seen_at",
            sa.DateTime(timezone=True),
            nullable=False,
            comment="Publication time of its earliest article (UTC).",
        ),
        sa.Column(
            "last_seen_at",
            sa.DateTime(timezone=True),
            nullable=False,
            comment="Publication time of its latest article (UTC).",
        ),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            nullable=False,
            comment="When the row was created (UTC).",
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            nullable=False,
            comment="When the incident last changed (UTC).",
        ),
        sa.CheckConstraint(
            "status IN ('open', 'dormant', 'closed')", name=op.f("ck_incident_status")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incident")),
        sa.UniqueConstraint("slug", name=op.f("uq_incident_slug")),
        comment="One story: a cluster of articles about the same accusation, suit or leak.",
    )
    op.create_index("ix_incident_first_seen_at", "incident", ["first_seen_at"], unique=False)
    op.create_index("ix_incident_last_seen_at", "incident", ["last_seen_at"], unique=False)
    op.create_table(
        "job_run",
        sa.Column("id", sa.Integer(), nullable=False, comment="Surrogate key."),
        sa.Column(
            "job",
            sa.Text(),
            nullable=False,
            comment="Job name, e.g. crawl:example-feed, process, publish.",
        ),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False, comment="Start (UTC)."),
        sa.Column(
            "finished_at",
            sa.DateTime(timezone=True),
            nullable=True,
            comment="End (UTC); NULL if running.",
        ),
        sa.Column(
            "outcome",
            sa.Text(),
            nullable=False,
            comment="running, then what the job reported (e.g. ok, failed).",
        ),
        sa.Column(
            "counts", sa.JSON(), nullable=False, comment="What the job did, as counters (JSON)."
        ),
        sa.Column("error", sa.Text(), nullable=True, comment="Error message when it failed."),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_job_run")),
        comment="Scheduler history: one row per job execution.",
    )
    op.create_index("ix_job_run_job_started_at", "job_run", ["job", "started_at"], unique=False)
    op.create_table(
        "source",
        sa.Column("id", sa.Integer(), nullable=False, comment="Surrogate key."),
        sa.Column("name", sa.Text(), nullable=False, comment="Unique source name from the config."),
        sa.Column(
            "kind",
            sa.Text(),
            nullable=False,
            comment="Discovery strategy: feed, sitemap, listing or urls.",
        ),
        sa.Column(
            "url", sa.Text(), nullable=True, comment="Feed, sitemap or listing URL (NULL for urls)."
        ),
        sa.Column(
            "config",
            sa.JSON(),
            nullable=False,
            comment="The source's settings as configured (politeness, selectors; JSON).",
        ),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            nullable=False,
            comment="When the source was first registered (UTC).",
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            nullable=False,
            comment="When its configuration last changed (UTC).",
        ),
        sa.CheckConstraint(
            "kind IN ('feed', 'sitemap', 'listing', 'urls')", name=op.f("ck_source_kind")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_source")),
        sa.UniqueConstraint("name", name=op.f("uq_source_name")),
        comment="A configured feed, sitemap, listing page or URL list (from ipwire.toml).",
    )
    op.create_table(
        "article",
        sa.Column("id", sa.Integer(), nullable=False, comment="Surrogate key."),
        sa.Column(
            "source_id",
            sa.Integer(),
            nullable=True,
            comment="The source it was found through (NULL if added by hand or source deleted).",
        ),
        sa.Column(
            "canonical_url",
            sa.Text(),
            nullable=False,
            comment="Canonical URL (rel=canonical, tracking parameters removed); unique.",
        ),
        sa.Column("url", sa.Text(), nullable=False, comment="The URL it was fetched from."),
        sa.Column(
            "content_hash",
            sa.Text(),
            nullable=True,
            comment="SHA-256 (hex) of the normalised text (NFKC, casefolded, whitespace collapsed); unique; NULL when the text is empty.",
        ),
        sa.Column(
            "simhash",
            sa.BigInteger(),
            nullable=True,
            comment="64-bit simhash of the text as a signed integer (near-duplicates).",
        ),
        sa.Column(
            "simhash_band0", sa.Integer(), nullable=True, comment="Bits 0-15 of the simhash."
        ),
        sa.Column(
            "simhash_band1", sa.Integer(), nullable=True, comment="Bits 16-31 of the simhash."
        ),
        sa.Column(
            "simhash_band2", sa.Integer(), nullable=True, comment="Bits 32-47 of the simhash."
        ),
        sa.Column(
            "simhash_band3", sa.Integer(), nullable=True, comment="Bits 48-63 of the simhash."
        ),
        sa.Column(
            "dup_group_id",
            sa.Integer(),
            nullable=True,
            comment="Id of the first article of its near-duplicate group (NULL: no near-duplicates).",
        ),
        sa.Column(
            "near_duplicate_of",
            sa.Integer(),
            nullable=True,
            comment="The earlier article this one nearly duplicates.",
        ),
        sa.Column(
            "is_near_duplicate",
            sa.Boolean(),
            nullable=False,
            comment="True when stored as a near-duplicate (not processed by NLP).",
        ),
        sa.Column("title", sa.Text(), nullable=True, comment="Headline."),
        sa.Column(
            "byline", sa.Text(), nullable=True, comment="Authors as one line, comma-separated."
        ),
        sa.Column("authors", sa.JSON(), nullable=False, comment="Author names (JSON list)."),
        sa.Column(
            "published_at",
            sa.DateTime(timezone=True),
            nullable=True,
            comment="Publication time stated by the page (UTC); NULL if unknown.",
        ),
        sa.Column(
            "fetched_at",
            sa.DateTime(timezone=True),
            nullable=False,
            comment="When the page was fetched (UTC).",
        ),
        sa.Column("language", sa.Text(), nullable=True, comment="Language code, e.g. en."),
        sa.Column(
            "site_name", sa.Text(), nullable=True, comment="Publication name (og:site_name)."
        ),
        sa.Column(
            "description", sa.Text(), nullable=True, comment="Summary from the page metadata."
        ),
        sa.Column("text", sa.Text(), nullable=False, comment="Extracted article body text."),
        sa.Column(
            "relevance",
            sa.Double(),
            nullable=True,
            comment="Relevance to AI IP incidents, 0 to 1, set by NLP.",
        ),
        sa.Column(
            "is_relevant",
            sa.Boolean(),
            nullable=True,
            comment="NLP's relevance decision; NULL until processed.",
        ),
        sa.Column(
            "state",
            sa.Text(),
            nullable=False,
            comment="Processing state: new, processing, done, failed or skipped.",
        ),
        sa.Column(
            "nlp_version",
            sa.Text(),
            nullable=True,
            comment="Version of the NLP pipeline that last processed it.",
        ),
        sa.Column(
            "processed_at",
            sa.DateTime(timezone=True),
            nullable=True,
            comment="When NLP last finished with it, successfully or not (UTC).",
        ),
        sa.Column(
            "lease_owner",
            sa.Text(),
            nullable=True,
            comment="Worker id holding it for processing (NULL when not leased).",
        ),
        sa.Column(
            "lease_expires_at",
            sa.DateTime(timezone=True),
            nullable=True,
            comment="When the lease lapses and another worker may take it (UTC).",
        ),
        sa.Column(
            "attempts", sa.Integer(), nullable=False, comment="Times a worker has claimed it."
        ),
        sa.Column(
            "error", sa.Text(), nullable=True, comment="Last processing error, if it failed."
        ),
        sa.CheckConstraint(
            "state IN ('new', 'processing', 'done', 'failed', 'skipped')",
            name=op.f("ck_article_state"),
        ),
        sa.ForeignKeyConstraint(
            ["dup_group_id"],
            ["article.id"],
            name=op.f("fk_article_dup_group_id_article"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["near_duplicate_of"],
            ["article.id"],
            name=op.f("fk_article_near_duplicate_of_article"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["source.id"],
            name=op.f("fk_article_source_id_source"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_article")),
        sa.UniqueConstraint("canonical_url", name=op.f("uq_article_canonical_url")),
        sa.UniqueConstraint("content_hash", name=op.f("uq_article_content_hash")),
        comment="One stored news article: where it came from, its text, its dedup keys and its NLP processing state.",
    )
    op.create_index("ix_article_dup_group_id", "article", ["dup_group_id"], unique=False)
    op.create_index("ix_article_published_at", "article", ["published_at"], unique=False)
    op.create_index("ix_article_simhash_band0", "article", ["simhash_band0"], unique=False)
    op.create_index("ix_article_simhash_band1", "article", ["simhash_band1"], unique=False)
    op.create_index("ix_article_simhash_band2", "article", ["simhash_band2"], unique=False)
    op.create_index("ix_article_simhash_band3", "article", ["simhash_band3"], unique=False)
    op.create_index(
        "ix_article_source_id_fetched_at", "article", ["source_id", "fetched_at"], unique=False
    )
    op.create_index("ix_article_state_id", "article", ["state", "id"], unique=False)
    op.create_index(
        "ix_article_state_lease_expires_at", "article", ["state", "lease_expires_at"], unique=False
    )
    op.create_index(
        "ix_article_state_nlp_version", "article", ["state", "nlp_version"], unique=False
    )
    op.create_index("ix_article_url", "article", ["url"], unique=False)
    op.create_table(
        "crawl_run",
        sa.Column("id", sa.Integer(), nullable=False, comment="Surrogate key."),
        sa.Column("source_id", sa.Integer(), nullable=False, comment="The source crawled."),
        sa.Column(
            "started_at",
            sa.DateTime(timezone=True),
            nullable=False,
            comment="When the run started (UTC).",
        ),
        sa.Column(
            "finished_at",
            sa.DateTime(timezone=True),
            nullable=True,
            comment="When the run finished (UTC); NULL while running or if it died.",
        ),
        sa.Column(
            "outcome",
            sa.Text(),
            nullable=False,
            comment="running while in progress, then what the crawler reported (for example ok, partial, failed).",
        ),
        sa.Column(
            "pages_fetched", sa.Integer(), nullable=False, comment="HTTP responses received."
        ),
        sa.Column("articles_new", sa.Integer(), nullable=False, comment="New articles stored."),
        sa.Column(
            "articles_duplicate",
            sa.Integer(),
            nullable=False,
            comment="Articles already stored (same canonical URL or same content).",
        ),
        sa.Column(
            "articles_near_duplicate",
            sa.Integer(),
            nullable=False,
            comment="Near-duplicates stored as skipped (simhash within the threshold).",
        ),
        sa.Column(
            "not_modified",
            sa.Integer(),
            nullable=False,
            comment="Responses 304 Not Modified (conditional GET).",
        ),
        sa.Column(
            "robots_skipped", sa.Integer(), nullable=False, comment="URLs refused by robots.txt."
        ),
        sa.Column(
            "articles_failed",
            sa.Integer(),
            nullable=False,
            comment="Pages that failed (HTTP errors, timeouts, extraction failures).",
        ),
        sa.Column(
            "failed_by_reason",
            sa.JSON(),
            nullable=False,
            comment='Failure counts by reason, e.g. {"http_404": 2} (JSON).',
        ),
        sa.Column(
            "stats", sa.JSON(), nullable=False, comment="Every counter the crawler reported (JSON)."
        ),
        sa.Column(
            "errors",
            sa.JSON(),
            nullable=False,
            comment="Error messages of the run, most important first (JSON list).",
        ),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["source.id"],
            name=op.f("fk_crawl_run_source_id_source"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_crawl_run")),
        comment="One crawl of one source: when, what was fetched, what was new, what failed.",
    )
    op.create_index(
        "ix_crawl_run_source_id_started_at", "crawl_run", ["source_id", "started_at"], unique=False
    )
    op.create_table(
        "incident_alias",
        sa.Column("old_slug", sa.Text(), nullable=False, comment="The former slug."),
        sa.Column(
            "incident_id", sa.Integer(), nullable=False, comment="The incident it now names."
        ),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            nullable=False,
            comment="When the alias was recorded (UTC).",
        ),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["incident.id"],
            name=op.f("fk_incident_alias_incident_id_incident"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("old_slug", name=op.f("pk_incident_alias")),
        comment="Old slugs of incidents that were merged or renamed, so old links resolve.",
    )
    op.create_index(
        "ix_incident_alias_incident_id", "incident_alias", ["incident_id"], unique=False
    )
    op.create_table(
        "incident_party",
        sa.Column("incident_id", sa.Integer(), nullable=False, comment="The incident."),
        sa.Column("entity_id", sa.Text(), nullable=False, comment="The entity."),
        sa.Column(
            "role",
            sa.Text(),
            nullable=False,
            comment="accuser, accused, victim, investigator or other.",
        ),
        sa.CheckConstraint(
            "role IN ('accuser', 'accused', 'victim', 'investigator', 'other')",
            name=op.f("ck_incident_party_role"),
        ),
        sa.ForeignKeyConstraint(
            ["entity_id"],
            ["entity.id"],
            name=op.f("fk_incident_party_entity_id_entity"),
            onupdate="CASCADE",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["incident.id"],
            name=op.f("fk_incident_party_incident_id_incident"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("incident_id", "entity_id", "role", name=op.f("pk_incident_party")),
        comment="An entity involved in an incident and its role.",
    )
    op.create_index("ix_incident_party_entity_id", "incident_party", ["entity_id"], unique=False)
    op.create_table(
        "claim",
        sa.Column("id", sa.Integer(), nullable=False, comment="Surrogate key."),
        sa.Column("article_id", sa.Integer(), nullable=False, comment="The article."),
        sa.Column(
            "type",
            sa.Text(),
            nullable=False,
            comment="Claim type, e.g. distillation, copyright_infringement (see nlp/patterns).",
        ),
        sa.Column("accuser_id", sa.Text(), nullable=True, comment="Who accuses."),
        sa.Column("accuser_text", sa.Text(), nullable=True, comment="The accuser as written."),
        sa.Column("accused_id", sa.Text(), nullable=True, comment="Who is accused."),
        sa.Column("accused_text", sa.Text(), nullable=True, comment="The accused as written."),
        sa.Column(
            "victim_id",
            sa.Text(),
            nullable=True,
            comment="Whose IP was taken, when not the accuser.",
        ),
        sa.Column("victim_text", sa.Text(), nullable=True, comment="The victim as written."),
        sa.Column(
            "speaker_id",
            sa.Text(),
            nullable=True,
            comment="Who the claim is attributed to (said, according to).",
        ),
        sa.Column("speaker_text", sa.Text(), nullable=True, comment="The speaker as written."),
        sa.Column(
            "stance",
            sa.Text(),
            nullable=False,
            comment="How sure: asserted, alleged, suspected, denied or confirmed.",
        ),
        sa.Column(
            "legal_status",
            sa.Text(),
            nullable=True,
            comment="Legal status when stated: investigation, lawsuit, charged, settled, ruling, dismissed.",
        ),
        sa.Column(
            "cues",
            sa.JSON(),
            nullable=False,
            comment="Cue words that set the stance and type (JSON list).",
        ),
        sa.Column("sentence", sa.Text(), nullable=False, comment="The evidence sentence."),
        sa.Column(
            "start_char", sa.Integer(), nullable=False, comment="Start offset in the analysed text."
        ),
        sa.Column("end_char", sa.Integer(), nullable=False, comment="End offset (exclusive)."),
        sa.Column(
            "sentence_index", sa.Integer(), nullable=False, comment="Index of the sentence, from 0."
        ),
        sa.Column(
            "published_at",
            sa.DateTime(timezone=True),
            nullable=True,
            comment="Publication time of the article (its fetch time when unknown), UTC; copied from the article so that time-window queries use an index.",
        ),
        sa.CheckConstraint(
            "legal_status IS NULL OR legal_status IN ('investigation', 'lawsuit', 'charged', 'settled', 'ruling', 'dismissed')",
            name=op.f("ck_claim_legal_status"),
        ),
        sa.CheckConstraint(
            "stance IN ('asserted', 'alleged', 'suspected', 'denied', 'confirmed')",
            name=op.f("ck_claim_stance"),
        ),
        sa.ForeignKeyConstraint(
            ["accused_id"],
            ["entity.id"],
            name=op.f("fk_claim_accused_id_entity"),
            onupdate="CASCADE",
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["accuser_id"],
            ["entity.id"],
            name=op.f("fk_claim_accuser_id_entity"),
            onupdate="CASCADE",
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["article.id"],
            name=op.f("fk_claim_article_id_article"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["speaker_id"],
            ["entity.id"],
            name=op.f("fk_claim_speaker_id_entity"),
            onupdate="CASCADE",
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["victim_id"],
            ["entity.id"],
            name=op.f("fk_claim_victim_id_entity"),
            onupdate="CASCADE",
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claim")),
        comment="Who accuses whom of what, how sure, who said it: one claim in one sentence of one article.",
    )
    op.create_index(
        "ix_claim_accused_id_published_at", "claim", ["accused_id", "published_at"], unique=False
    )
    op.create_index(
        "ix_claim_accuser_id_published_at", "claim", ["accuser_id", "published_at"], unique=False
    )
    op.create_index("ix_claim_article_id", "claim", ["article_id"], unique=False)
    op.create_index("ix_claim_published_at", "claim", ["published_at"], unique=False)
    op.create_index("ix_claim_speaker_id", "claim", ["speaker_id"], unique=False)
    op.create_index("ix_claim_type_published_at", "claim", ["type", "published_at"], unique=False)
    op.create_index("ix_claim_victim_id", "claim", ["victim_id"], unique=False)
    op.create_table(
        "incident_article",
        sa.Column("incident_id", sa.Integer(), nullable=False, comment="The incident."),
        sa.Column("article_id", sa.Integer(), nullable=False, comment="The article."),
        sa.Column("score", sa.Double(), nullable=True, comment="Clustering similarity, 0 to 1."),
        sa.Column(
            "added_at",
            sa.DateTime(timezone=True),
            nullable=False,
            comment="When the article joined the incident (UTC).",
        ),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["article.id"],
            name=op.f("fk_incident_article_article_id_article"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["incident.id"],
            name=op.f("fk_incident_article_incident_id_incident"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("incident_id", "article_id", name=op.f("pk_incident_article")),
        comment="Which articles belong to which incident.",
    )
    op.create_index(
        "ix_incident_article_article_id", "incident_article", ["article_id"], unique=False
    )
    op.create_table(
        "mention",
        sa.Column("id", sa.Integer(), nullable=False, comment="Surrogate key."),
        sa.Column("article_id", sa.Integer(), nullable=False, comment="The article."),
        sa.Column("entity_id", sa.Text(), nullable=False, comment="The entity mentioned."),
        sa.Column("text", sa.Text(), nullable=False, comment="The surface text as written."),
        sa.Column(
            "start_char", sa.Integer(), nullable=False, comment="Start offset in the analysed text."
        ),
        sa.Column("end_char", sa.Integer(), nullable=False, comment="End offset (exclusive)."),
        sa.Column(
            "sentence_index", sa.Integer(), nullable=False, comment="Index of the sentence, from 0."
        ),
        sa.Column(
            "published_at",
            sa.DateTime(timezone=True),
            nullable=True,
            comment="Publication time of the article (its fetch time when unknown), UTC; copied from the article so that time-window queries use an index.",
        ),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["article.id"],
            name=op.f("fk_mention_article_id_article"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["entity_id"],
            ["entity.id"],
            name=op.f("fk_mention_entity_id_entity"),
            onupdate="CASCADE",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mention")),
        comment="One occurrence of an entity in an article.",
    )
    op.create_index("ix_mention_article_id", "mention", ["article_id"], unique=False)
    op.create_index(
        "ix_mention_entity_id_published_at", "mention", ["entity_id", "published_at"], unique=False
    )
    op.create_table(
        "quote",
        sa.Column("id", sa.Integer(), nullable=False, comment="Surrogate key."),
        sa.Column("article_id", sa.Integer(), nullable=False, comment="The article."),
        sa.Column("speaker_id", sa.Text(), nullable=True, comment="Who said it."),
        sa.Column("speaker_text", sa.Text(), nullable=True, comment="The speaker as written."),
        sa.Column("text", sa.Text(), nullable=False, comment="What was said."),
        sa.Column(
            "is_direct",
            sa.Boolean(),
            nullable=False,
            comment="True for a direct (quotation-mark) quote.",
        ),
        sa.Column(
            "start_char", sa.Integer(), nullable=False, comment="Start offset in the analysed text."
        ),
        sa.Column("end_char", sa.Integer(), nullable=False, comment="End offset (exclusive)."),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["article.id"],
            name=op.f("fk_quote_article_id_article"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["speaker_id"],
            ["entity.id"],
            name=op.f("fk_quote_speaker_id_entity"),
            onupdate="CASCADE",
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quote")),
        comment="A direct or indirect quote in an article, with its resolved speaker.",
    )
    op.create_index("ix_quote_article_id", "quote", ["article_id"], unique=False)
    op.create_index("ix_quote_speaker_id", "quote", ["speaker_id"], unique=False)
    op.create_table(
        "role",
        sa.Column("id", sa.Integer(), nullable=False, comment="Surrogate key."),
        sa.Column("article_id", sa.Integer(), nullable=False, comment="The article stating it."),
        sa.Column("person_id", sa.Text(), nullable=True, comment="The person."),
        sa.Column(
            "person_text", sa.Text(), nullable=False, comment="The person's name as written."
        ),
        sa.Column(
            "title",
            sa.Text(),
            nullable=False,
            comment="The title or position, e.g. chief scientist.",
        ),
        sa.Column("org_id", sa.Text(), nullable=True, comment="The organisation."),
        sa.Column("org_text", sa.Text(), nullable=True, comment="The organisation as written."),
        sa.Column("sentence", sa.Text(), nullable=False, comment="The sentence stating the role."),
        sa.Column(
            "start_char", sa.Integer(), nullable=False, comment="Start offset in the analysed text."
        ),
        sa.Column("end_char", sa.Integer(), nullable=False, comment="End offset (exclusive)."),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["article.id"],
            name=op.f("fk_role_article_id_article"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["entity.id"],
            name=op.f("fk_role_org_id_entity"),
            onupdate="CASCADE",
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["entity.id"],
            name=op.f("fk_role_person_id_entity"),
            onupdate="CASCADE",
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_role")),
        comment="A person holding a title at an organisation, as an article states it; the article's date dates the statement.",
    )
    op.create_index("ix_role_article_id", "role", ["article_id"], unique=False)
    op.create_index("ix_role_org_id", "role", ["org_id"], unique=False)
    op.create_index("ix_role_person_id", "role", ["person_id"], unique=False)

    _create_search()
    _create_views()


def downgrade() -> None:
    _drop_views()
    _drop_search()
    op.drop_table("role")
    op.drop_table("quote")
    op.drop_table("mention")
    op.drop_table("incident_article")
    op.drop_table("claim")
    op.drop_table("incident_party")
    op.drop_table("incident_alias")
    op.drop_table("crawl_run")
    op.drop_table("article")
    op.drop_table("source")
    op.drop_table("job_run")
    op.drop_table("incident")
    op.drop_table("fetch_state")
    op.drop_table("entity")
    op.drop_table("briefing")


def _dialect() -> str:
    return op.get_bind().dialect.name


SQLITE_SEARCH = [
    "CREATE VIRTUAL TABLE article_fts USING fts5(title, text, content='article', "
    "content_rowid='id', tokenize='porter unicode61 remove_diacritics 2')",
    "CREATE TRIGGER article_fts_ai AFTER INSERT ON article BEGIN "
    "INSERT INTO article_fts(rowid, title, text) VALUES (new.id, new.title, new.text); END",
    "CREATE TRIGGER article_fts_ad AFTER DELETE ON article BEGIN "
    "INSERT INTO article_fts(article_fts, rowid, title, text) "
    "VALUES ('delete', old.id, old.title, old.text); END",
    # Only title/text changes touch the index: lease and state updates stay cheap.
    "CREATE TRIGGER article_fts_au AFTER UPDATE OF title, text ON article BEGIN "
    "INSERT INTO article_fts(article_fts, rowid, title, text) "
    "VALUES ('delete', old.id, old.title, old.text); "
    "INSERT INTO article_fts(rowid, title, text) VALUES (new.id, new.title, new.text); END",
    "INSERT INTO article_fts(article_fts) VALUES ('rebuild')",
]

POSTGRES_SEARCH = [
    "ALTER TABLE article ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('english', coalesce(title, '')), 'A') || "
    "setweight(to_tsvector('english', coalesce(text, '')), 'B')) STORED",
    "COMMENT ON COLUMN article.search_vector IS "
    "'Full-text search vector of title (weight A) and text (weight B); generated.'",
    "CREATE INDEX ix_article_search_vector ON article USING gin (search_vector)",
]


def _create_search() -> None:
    for stmt in SQLITE_SEARCH if _dialect() == "sqlite" else POSTGRES_SEARCH:
        op.execute(stmt)


def _drop_search() -> None:
    if _dialect() == "sqlite":
        for trigger in ("article_fts_ai", "article_fts_ad", "article_fts_au"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS article_fts")
    else:
        op.execute("DROP INDEX IF EXISTS ix_article_search_vector")
        op.execute("ALTER TABLE article DROP COLUMN IF EXISTS search_vector")


VIEWS: dict[str, str] = {
    "v_articles": """
        SELECT a.id AS article_id, a.title, a.url, a.canonical_url, s.name AS source_name,
               a.site_name, a.byline, a.published_at, a.fetched_at, a.language,
               a.description, a.relevance, a.is_relevant, a.state, a.nlp_version,
               a.is_near_duplicate, a.near_duplicate_of, a.dup_group_id
        FROM article AS a
        LEFT JOIN source AS s ON s.id = a.source_id""",
    "v_claims": """
        SELECT c.id AS claim_id, c.type AS claim_type, c.stance, c.legal_status,
               c.accuser_id, COALESCE(accuser.name, c.accuser_text) AS accuser_name,
               c.accused_id, COALESCE(accused.name, c.accused_text) AS accused_name,
               c.victim_id, COALESCE(victim.name, c.victim_text) AS victim_name,
               c.speaker_id, COALESCE(speaker.name, c.speaker_text) AS speaker_name,
               c.sentence, c.sentence_index, c.start_char, c.end_char, c.cues,
               a.id AS article_id, a.url AS article_url, a.title AS article_title,
               c.published_at, a.is_relevant
        FROM claim AS c
        JOIN article AS a ON a.id = c.article_id
        LEFT JOIN entity AS accuser ON accuser.id = c.accuser_id
        LEFT JOIN entity AS accused ON accused.id = c.accused_id
        LEFT JOIN entity AS victim ON victim.id = c.victim_id
        LEFT JOIN entity AS speaker ON speaker.id = c.speaker_id""",
    "v_incidents": """
        SELECT i.id AS incident_id, i.slug, i.title, i.summary, i.status, i.claim_types,
               i.first_seen_at, i.last_seen_at,
               (SELECT count(*) FROM incident_article AS ia
                WHERE ia.incident_id = i.id) AS article_count,
               (SELECT {agg} FROM incident_party AS p JOIN entity AS e ON e.id = p.entity_id
                WHERE p.incident_id = i.id AND p.role = 'accuser') AS accusers,
               (SELECT {agg} FROM incident_party AS p JOIN entity AS e ON e.id = p.entity_id
                WHERE p.incident_id = i.id AND p.role = 'accused') AS accused
        FROM incident AS i""",
    "v_incident_parties": """
        SELECT i.id AS incident_id, i.slug, p.role, p.entity_id, e.name AS entity_name,
               e.type AS entity_type
        FROM incident_party AS p
        JOIN incident AS i ON i.id = p.incident_id
        JOIN entity AS e ON e.id = p.entity_id""",
    "v_entity_mentions": """
        SELECT m.id AS mention_id, m.entity_id, e.name AS entity_name, e.type AS entity_type,
               m.text AS mention_text, m.sentence_index, m.start_char, m.end_char,
               a.id AS article_id, a.title AS article_title, a.url AS article_url,
               m.published_at
        FROM mention AS m
        JOIN entity AS e ON e.id = m.entity_id
        JOIN article AS a ON a.id = m.article_id""",
}


def _create_views() -> None:
    agg = "group_concat(e.name, ', ')" if _dialect() == "sqlite" else "string_agg(e.name, ', ')"
    for name, body in VIEWS.items():
        op.execute(f"CREATE VIEW {name} AS {body.format(agg=agg)}")


def _drop_views() -> None:
    for name in reversed(VIEWS):
        op.execute(f"DROP VIEW IF EXISTS {name}")
