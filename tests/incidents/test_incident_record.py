"""Incident records: titles, parties, the status timeline (denials included), ranking."""

from __future__ import annotations

import datetime as dt

from incident_stories import NOW, acme_borg, cyra_dunmore

from nlp.incidents import build_record, load_config, rank_score

CFG = load_config()
KEYS = frozenset({"acme", "borg", "cyra", "dunmore"})


def test_a_denial_after_an_allegation_is_a_dated_step_of_the_timeline() -> None:
    stories = [acme_borg(1, 0), acme_borg(2, 2, stance="denied"), acme_borg(3, 5, legal="lawsuit")]
    rec = build_record([s.record() for s in stories], KEYS, CFG, NOW)
    steps = [(s.status, s.article_id) for s in rec.timeline]
    assert steps == [("alleged", 1), ("denied", 2), ("lawsuit", 3)]
    assert rec.timeline[1].occurred_at == stories[1].published_at
    assert rec.timeline[1].url == "https://news.example/2"
    assert rec.legal_status == "lawsuit"


def test_title_and_parties_come_from_the_dominant_claim() -> None:
    rec = build_record([acme_borg(1, 0).record(), acme_borg(2, 1).record()], KEYS, CFG, NOW)
    assert rec.title == "Acme Labs accuses Borg Intelligence of distilling its models"
    roles = {(p.name, p.role) for p in rec.parties}
    assert roles == {("Acme Labs", "accuser"), ("Borg Intelligence", "accused")}
    assert rec.slug_base.startswith("2026-05-acme-labs-borg-intelligence-distillation")
    sued = build_record([cyra_dunmore(3, 0).record()], KEYS, CFG, NOW)
    assert sued.title == "Cyra Media Group sues Dunmore AI over copyright"
    assert sued.summary
    assert sued.summary[0].article_id == 3


def test_counts_outlets_and_status() -> None:
    rec = build_record([acme_borg(n, n).record() for n in range(1, 5)], KEYS, CFG, NOW)
    assert (rec.article_count, rec.source_count, rec.outlet_count) == (4, 4, 3)
    assert rec.status == "open"
    assert rec.first_seen_at < rec.last_seen_at
    old = build_record([acme_borg(1, 0).record()], KEYS, CFG, NOW + dt.timedelta(days=90))
    assert old.status == "dormant"


def test_rank_score_rewards_recency_sources_severity_and_legal_steps() -> None:
    base = {
        "last_seen_at": NOW,
        "now": NOW,
        "source_count": 3,
        "outlet_count": 3,
        "severity": 2,
        "legal_weight": 1,
    }
    score = rank_score(**base)  # type: ignore[arg-type]
    assert 0 < score <= 100
    assert rank_score(**{**base, "last_seen_at": NOW - dt.timedelta(days=14)}) < score  # type: ignore[arg-type]
    assert rank_score(**{**base, "outlet_count": 6, "source_count": 6}) > score  # type: ignore[arg-type]
    assert rank_score(**{**base, "severity": 3}) > score  # type: ignore[arg-type]
    assert rank_score(**{**base, "legal_weight": 4}) > score  # type: ignore[arg-type]
