"""The cluster job builds its ArticleRecords from stored rows through the one nlp adapter."""

from __future__ import annotations

import datetime as dt

from ipwire.jobs.cluster import to_record
from nlp.incidents.features import (
    ArticleRecord,
    ClaimRef,
    EntityRef,
    MentionRef,
    QuoteRef,
    SourceRef,
)
from store.cluster_state import ArticleData

WHEN = dt.datetime(2031, 5, 4, 9, 30, tzinfo=dt.UTC)
TITLE = "Corvane says Lumetra copied its tutor model"


def _stored() -> ArticleData:
    claim = {
        "id": 41,
        "article_id": 7,
        "type": "distillation",
        "accuser_id": "corvane",
        "accuser_text": "Corvane",
        "accused_id": "lumetra",
        "accused_text": "Lumetra",
        "victim_id": "corvane",
        "victim_text": "Corvane",
        "speaker_id": None,
        "speaker_text": None,
        "stance": "alleged",
        "legal_status": None,
        "cues": ["says"],
        "sentence": "Corvane says Lumetra trained its model on the tutor's answers.",
        "start_char": 50,
        "end_char": 112,
        "sentence_index": 1,
        "published_at": WHEN,
    }
    return ArticleData(
        article_id=7,
        published_at=WHEN,
        title=TITLE,
        text="Corvane says Lumetra trained its model on the tutor's answers.",
        url="https://news.example/corvane",
        site_name="Example News",
        relevance=0.9,
        is_relevant=True,
        nlp_version="0.1.0+kb.test",
        dated=False,
        entities=[("corvane", "Corvane", "ORG", 2), ("lumetra", "Lumetra", "ORG", 0)],
        mentions=[("corvane", 0, 0, 7, "Corvane"), ("corvane", 1, 50, 57, "Corvane")],
        claims=[claim],
        quotes=[(3, "corvane", "Corvane", "they copied us", False, 60, 74)],
        copies=[(8, "https://mirror.example/corvane", None, WHEN)],
    )


def test_a_stored_article_maps_field_for_field() -> None:
    assert to_record(_stored()) == ArticleRecord(
        article_id=7,
        published_at=WHEN,
        title=TITLE,
        text="Corvane says Lumetra trained its model on the tutor's answers.",
        relevance=0.9,
        is_relevant=True,
        url="https://news.example/corvane",
        outlet="Example News",
        entities=(
            EntityRef("corvane", "Corvane", "ORG", 2),
            EntityRef("lumetra", "Lumetra", "ORG", 0),
        ),
        mentions=(MentionRef("corvane", 0, True), MentionRef("corvane", 1, False)),
        claims=(
            ClaimRef(
                type="distillation",
                stance="alleged",
                legal_status=None,
                sentence="Corvane says Lumetra trained its model on the tutor's answers.",
                sentence_index=1,
                accuser_id="corvane",
                accuser="Corvane",
                accused_id="lumetra",
                accused="Lumetra",
                victim_id="corvane",
                victim="Corvane",
                claim_id=41,
            ),
        ),
        quotes=(QuoteRef("they copied us", "corvane", "Corvane", False, 3),),
        copies=(SourceRef(8, "https://mirror.example/corvane", None, WHEN),),
        dated=False,
    )
