"""The claim pattern files are valid data, and the phrase matcher works without a trained model."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import spacy

from nlp.claims import ClaimContext, extract_claims, load_lexicon
from nlp.claims.lexicon import (
    PATTERNS_DIR,
    CueIndex,
    _cue,
    load_claim_types,
    parse_phrase,
    read_jsonl,
)
from nlp.types import LEGAL_STATUSES, STANCES

DESIGN_TYPES = {
    "distillation",
    "data_theft",
    "unauthorized_access",
    "tos_violation",
    "trade_secret_theft",
    "leak",
    "copyright_infringement",
    "scraping",
    "patent_infringement",
    "trademark_or_likeness",
    "ip_theft",
}
FRAMES = {
    "report",
    "deny_verb",
    "charge_noun",
    "wrong_word",
    "refuse_verb",
    "inquiry_noun",
    "focus_verb",
    "source",
    "accuse",
    "respond",
    "sanction",
    "prosecutor_name",
    "act_head",
    "court_noun",
    "face_legal",
    "speaker_noun",
    "anaphor",
    "legal_noun",
    "prevent",
    "perpetrate",
    "counter_prefix",
    "claim_dropped",
    "possess",
    "idiom_quantifier",
    "licensed_use",
    "speaks_for_title",
    "person_noun",
    "individual_noun",
    "firm_noun",
    "outsider_noun",
    "act_anaphor",
    "file_legal",
    "bystander_title",
    "party_title",
    "work_noun",
    "commitment",
}


@pytest.mark.parametrize("name", ["claim_types.jsonl", "stance.jsonl", "legal.jsonl"])
def test_every_line_is_a_json_object(name: str) -> None:
    for n, line in enumerate((PATTERNS_DIR / name).read_text(encoding="utf-8").splitlines(), 1):
        assert line.strip(), f"{name}:{n} is blank"
        assert isinstance(json.loads(line), dict), f"{name}:{n}"


def test_claim_types_are_the_design_list_and_all_have_cues() -> None:
    lex = load_lexicon()
    assert set(lex.types) == DESIGN_TYPES
    cued = {cue.label for cue in lex.type_cues.cues}
    assert cued == DESIGN_TYPES
    assert [t for t, ct in lex.types.items() if ct.generic] == ["ip_theft"]
    for ct in lex.types.values():
        assert ct.family
        assert ct.label
        assert ct.description
        assert 1 <= ct.severity <= 3


def test_stances_statuses_and_frames_are_known() -> None:
    lex = load_lexicon()
    assert {c.label for c in lex.stance_cues.cues} == set(STANCES) - {"asserted"}
    assert {c.label for c in lex.legal_cues.cues} == set(LEGAL_STATUSES)
    assert set(lex.legal_rank) == set(LEGAL_STATUSES)
    assert set(lex.frames) == FRAMES
    # A verb frames one role only: an accusing verb is no reporting verb.
    exclusive = ["report", "accuse", "respond", "sanction", "source"]
    for i, a in enumerate(exclusive):
        for b in exclusive[i + 1 :]:
            assert not lex.frame(a) & lex.frame(b), (a, b, lex.frame(a) & lex.frame(b))


def test_no_duplicate_cue_phrases() -> None:
    records = read_jsonl(PATTERNS_DIR / "claim_types.jsonl")
    phrases = [(r["type"], r["phrase"]) for r in records if r["kind"] == "cue"]
    assert len(phrases) == len(set(phrases))


def test_cue_for_undeclared_type_is_rejected(tmp_path: Path) -> None:
    for name in ("stance.jsonl", "legal.jsonl"):
        (tmp_path / name).write_text((PATTERNS_DIR / name).read_text())
    (tmp_path / "claim_types.jsonl").write_text(
        '{"kind": "cue", "type": "espionage", "phrase": "spied"}\n'
    )
    with pytest.raises(ValueError, match="undeclared"):
        load_lexicon(tmp_path)


def test_claim_type_properties_are_data() -> None:
    types = load_lexicon().types
    assert {t for t, ct in types.items() if ct.subject_may_be_taken} == {
        "leak",
        "data_theft",
        "trade_secret_theft",
    }
    assert {t for t, ct in types.items() if ct.anonymous_ok} == {
        "leak",
        "data_theft",
        "trade_secret_theft",
        "unauthorized_access",
    }
    assert {t for t, ct in types.items() if ct.also_a_technique} == {"distillation"}
    assert {t: ct.by_outsider for t, ct in types.items() if ct.by_outsider} == {
        "trade_secret_theft": "data_theft"
    }


@pytest.mark.parametrize(
    ("extra", "error"),
    [('"anonymous_okay": true', "unknown keys"), ('"by_outsider": "espionage"', "by_outsider")],
)
def test_claim_type_record_with_a_misspelt_or_dangling_property_is_rejected(
    tmp_path: Path, extra: str, error: str
) -> None:
    (tmp_path / "claim_types.jsonl").write_text(
        '{"kind": "type", "type": "leak", "family": "disclosure", "severity": 2, '
        f'"label": "Leak", "description": "Weights posted online.", {extra}}}\n'
    )
    with pytest.raises(ValueError, match=error):
        load_claim_types(tmp_path)


def test_phrase_syntax() -> None:
    segs = parse_phrase("steal|stole ... trade secret*|source code")
    assert segs == (
        ((("steal", False),), (("stole", False),)),
        ((("trade", False), ("secret", True)), (("source", False), ("code", False))),
    )
    with pytest.raises(ValueError, match="shorter"):
        parse_phrase("ban* ... accounts")


def test_matcher_on_a_blank_pipeline_uses_text_and_gaps() -> None:
    nlp = spacy.blank("en")
    index = CueIndex(
        [
            _cue("trade_secret_theft", {"phrase": "stole|stealing ... trade secret*"}),
            _cue("leak", {"phrase": "weights ... leaked", "gap": 2}),
        ]
    )
    doc = nlp("He stole a trove of trade secrets, and the weights were later leaked.")
    found = {(m.cue.label, m.text) for m in index.find(doc)}
    assert found == {("trade_secret_theft", "stole trade secrets"), ("leak", "weights leaked")}
    far = nlp("The weights of the big new model were leaked.")
    assert index.find(far) == []  # five tokens apart, gap is two


def test_extract_claims_needs_a_parse() -> None:
    doc = spacy.blank("en")("OpenAI accused DeepSeek of distilling its models.")
    assert extract_claims(doc, ClaimContext()) == []
