"""An incident is one dispute: hubs do not link stories, time is weak, titles name the sides.

Fictional parties: Orbitrix is a big lab named everywhere (a hub, maker of the Nimbus models);
Quenby Guild, Pellucid Forum, Vantor Images, Rowan Collective and Orrin Systems are not.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

from nlp.incidents import (
    ArticleRecord,
    ClaimRef,
    EntityRef,
    IncidentGraph,
    MentionRef,
    build_facets,
    build_record,
    load_config,
)

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
CFG = dataclasses.replace(
    load_config(), hubs=frozenset({"orbitrix"}), family={"nimbus": "orbitrix"}
)

#: id -> (name, type); ids without "new:" stand for knowledge-base entities.
NAMES = {
    "orbitrix": ("Orbitrix", "ORG"),
    "nimbus": ("Nimbus", "PRODUCT"),
    "new:quenby-guild": ("Quenby Guild", "ORG"),
    "new:pellucid-forum": ("Pellucid Forum", "ORG"),
    "new:garnet-search": ("Garnet Search", "ORG"),
    "new:hollow-crawl": ("Hollow Crawl", "ORG"),
    "new:vantor-images": ("Vantor Images", "ORG"),
    "new:lumen-diffusion": ("Lumen Diffusion", "ORG"),
    "new:rowan-collective": ("Rowan Collective", "ORG"),
    "new:pell-tanaka": ("Pell Tanaka", "PERSON"),
    "new:orrin-systems": ("Orrin Systems", "ORG"),
    "new:usao-north": ("Northfield District Attorney's Office", "GOV"),
}

FILLER = (
    "The complaint describes the training of image and text models on material collected "
    "without a licence. Lawyers for both sides declined to comment on the filing."
)


def claim(
    ctype: str,
    accuser: str | None,
    accused: str | None,
    *,
    legal: str | None = None,
    victim: str | None = None,
    stance: str = "alleged",
) -> ClaimRef:
    """A claim between two of :data:`NAMES`."""

    def name(eid: str | None) -> str | None:
        return NAMES[eid][0] if eid else None

    return ClaimRef(
        ctype,
        stance,
        legal,
        "A sentence of the article.",
        1,
        accuser,
        name(accuser),
        accused,
        name(accused),
        victim,
        name(victim),
    )


def article(
    n: int, day: float, title: str, body: str, *claims: ClaimRef, relevance: float = 0.9
) -> ArticleRecord:
    """An article whose entities and mentions are found by name in its title and body."""
    sentences = [title, *re.split(r"(?<=\.)\s+", body)]
    mentions = [
        MentionRef(eid, i, i == 0)
        for i, s in enumerate(sentences)
        for eid, (name, _) in NAMES.items()
        for _ in re.finditer(re.escape(name), s)
    ]
    counts: dict[str, int] = {}
    for m in mentions:
        counts[m.entity_id] = counts.get(m.entity_id, 0) + 1
    return ArticleRecord(
        article_id=n,
        published_at=T0 + dt.timedelta(days=day),
        title=title,
        text=body,
        relevance=relevance,
        is_relevant=True,
        url=f"https://news.example/{n}",
        outlet=f"outlet{n}",
        entities=tuple(EntityRef(e, *NAMES[e], count=c) for e, c in counts.items()),
        mentions=tuple(mentions),
        claims=claims,
    )


def vantor_filing() -> ArticleRecord:
    """Article 1, day 0: Vantor Images sues Lumen Diffusion."""
    return article(
        1,
        0,
        "Vantor Images sues Lumen Diffusion over copyright",
        f"Vantor Images says Lumen Diffusion copied millions of its photos. {FILLER}",
        claim(
            "copyright_infringement", "new:vantor-images", "new:lumen-diffusion", legal="lawsuit"
        ),
    )


def vantor_ruling() -> ArticleRecord:
    """Article 2, day 700: the ruling in the same dispute."""
    return article(
        2,
        700,
        "Judge rules for Lumen Diffusion in Vantor Images case",
        "The court found that Lumen Diffusion did not store the photos. Vantor Images may appeal.",
        claim("copyright_infringement", "new:vantor-images", "new:lumen-diffusion", legal="ruling"),
    )


def partition(*articles: ArticleRecord) -> set[frozenset[int]]:
    graph = IncidentGraph(CFG)
    graph.add([f for a in articles for f in build_facets(a, CFG)])
    return {frozenset(v) for v in graph.incidents().values()}


def test_a_hub_and_its_product_do_not_link_two_stories() -> None:
    guild = article(
        1,
        0,
        "Quenby Guild sues Orbitrix over Nimbus training",
        f"Quenby Guild says Orbitrix copied its members' novels into Nimbus. {FILLER}",
        claim("copyright_infringement", "new:quenby-guild", "orbitrix", legal="lawsuit"),
    )
    # Another story about the same lab: only the hub and its product in common, similar words.
    other = article(
        2,
        5,
        "Orbitrix pulls Nimbus image model after complaints",
        f"Orbitrix withdrew Nimbus this week. Nimbus had drawn complaints. {FILLER}",
        claim("copyright_infringement", None, "orbitrix"),
    )
    assert partition(guild, other) == {frozenset({1}), frozenset({2})}


def test_same_accuser_against_another_company_is_another_story() -> None:
    first = article(
        1,
        0,
        "Pellucid Forum sues Garnet Search over scraping",
        f"Pellucid Forum says Garnet Search scraped its threads. {FILLER}",
        claim("scraping", "new:pellucid-forum", "new:garnet-search", legal="lawsuit"),
    )
    second = article(
        2,
        20,
        "Pellucid Forum now sues Hollow Crawl",
        "The new suit names Hollow Crawl as the scraper. Pellucid Forum sued Garnet Search "
        f"last month. Garnet Search denied it. {FILLER}",
        claim("scraping", None, "new:hollow-crawl", legal="lawsuit"),
    )
    assert partition(first, second) == {frozenset({1}), frozenset({2})}


def test_one_dispute_at_two_stages_years_apart_is_one_incident() -> None:
    filing = vantor_filing()
    ruling = vantor_ruling()
    artists = article(
        3,
        30,
        "Rowan Collective sues Lumen Diffusion",
        f"Rowan Collective says Lumen Diffusion trained on its members' art. {FILLER}",
        claim("copyright_infringement", "new:rowan-collective", "new:lumen-diffusion"),
    )
    assert CFG.window_days < 700 < CFG.sig_window_days
    assert partition(filing, ruling, artists) == {frozenset({1, 2}), frozenset({3})}


def test_a_prosecutor_is_never_the_victim_in_a_title() -> None:
    usao, tanaka, orrin = "new:usao-north", "new:pell-tanaka", "new:orrin-systems"
    charged = article(
        1,
        0,
        "Engineer charged with stealing Orrin Systems chip secrets",
        "The Northfield District Attorney's Office charged Pell Tanaka. Pell Tanaka "
        "copied files from Orrin Systems, prosecutors said.",
        # The extraction puts the prosecutor on the victim's side, as it often does.
        claim("trade_secret_theft", usao, tanaka, legal="charged", victim=usao),
        claim("trade_secret_theft", usao, tanaka, legal="charged", victim=usao),
        claim("trade_secret_theft", None, tanaka, legal="charged", victim=orrin),
    )
    convicted = article(
        2,
        300,
        "Pell Tanaka convicted over Orrin Systems files",
        "A jury convicted Pell Tanaka. The Northfield District Attorney's Office "
        "welcomed the verdict.",
        claim("trade_secret_theft", None, tanaka, legal="ruling", victim=orrin, stance="confirmed"),
    )
    rec = build_record([charged, convicted], frozenset({"tanaka", "orrin"}), CFG, T0)
    assert rec.title == "Pell Tanaka charged with stealing trade secrets from Orrin Systems"
    roles = {p.name: p.role for p in rec.parties}
    assert roles[NAMES[usao][0]] == "investigator"
    assert roles["Orrin Systems"] == "victim"


def test_a_follow_up_without_a_claim_joins_its_story_but_founds_none() -> None:
    suit = article(
        1,
        0,
        "Quenby Guild sues Orbitrix over its novels",
        f"Quenby Guild says Orbitrix copied its members' novels. {FILLER}",
        claim("copyright_infringement", "new:quenby-guild", "orbitrix", legal="lawsuit"),
    )
    follow_up = article(
        2,
        20,
        "Quenby Guild and Orbitrix meet in court",
        f"Quenby Guild asked the judge for a trial date; Orbitrix objected. {FILLER}",
        relevance=0.95,
    )
    assert partition(follow_up) == set()  # no claim: no incident of its own
    assert partition(suit, follow_up) == {frozenset({1, 2})}


def test_an_undated_follow_up_joins_its_story_whatever_its_stand_in_date() -> None:
    filing = vantor_filing()
    # No claim, and its page declared no date: it stands at its fetch time, 500 days later.
    body = "Vantor Images and Lumen Diffusion met in court again. Lumen Diffusion said little."
    follow_up = article(2, 500, "Vantor Images and Lumen Diffusion in court", f"{body} {FILLER}")
    assert CFG.far_window_days < 500 < CFG.sig_window_days
    dated = partition(filing, follow_up)
    undated = partition(filing, dataclasses.replace(follow_up, dated=False))
    assert dated == {frozenset({1})}
    assert undated == {frozenset({1, 2})}


def test_an_accuser_the_other_article_never_names_is_another_dispute() -> None:
    suit = article(
        1,
        0,
        "Pellucid Forum sues Garnet Search over scraping",
        "Pellucid Forum says Garnet Search scraped its threads. Hollow Crawl had flagged "
        f"Garnet Search too. Hollow Crawl blocked it. {FILLER}",
        claim("scraping", "new:pellucid-forum", "new:garnet-search", legal="lawsuit"),
    )
    # The same crawler accused by someone else (unnamed in the claim), Pellucid never named.
    report = article(
        2,
        3,
        "Hollow Crawl catches Garnet Search crawlers",
        f"Garnet Search evaded Hollow Crawl blocks, it is alleged. Hollow Crawl published logs. "
        f"{FILLER}",
        claim("scraping", None, "new:garnet-search"),
    )
    assert partition(suit, report) == {frozenset({1}), frozenset({2})}


def test_the_record_says_why_its_articles_are_one_story() -> None:
    filing = vantor_filing()
    ruling = vantor_ruling()
    facets = [f for a in (filing, ruling) for f in build_facets(a, CFG)]
    rec = build_record(
        [filing, ruling], frozenset().union(*(f.keys for f in facets)), CFG, T0, facets=facets
    )
    assert [(m.article_id, m.joined_article_id) for m in rec.merges] == [(2, 1)]
    assert rec.merges[0].reason == "the same dispute: Vantor Images against Lumen Diffusion"


NAMES.update(
    {"new:mira-castell": ("Mira Castell", "PERSON"), "new:leona-marsh": ("Leona Marsh", "PERSON")}
)


def test_reports_naming_no_accuser_and_the_plaintiff_once_each_are_one_story() -> None:
    # Neither report names the accuser in its claim; both name the lead plaintiff in passing.
    words = (
        "The complaint says the company trained its models on pirated copies of novels taken "
        "from a shadow library, and asks for damages for each book."
    )
    filing = article(
        1,
        0,
        "Authors sue Lumen Diffusion over pirated novels",
        f"A group of authors led by Mira Castell sued Lumen Diffusion. {words}",
        claim("copyright_infringement", None, "new:lumen-diffusion", legal="lawsuit"),
    )
    ruling = article(
        2,
        40,
        "Judge lets authors' case against Lumen Diffusion go ahead",
        "Leona Marsh ruled that the authors, among them Mira Castell, may pursue Lumen "
        f"Diffusion. {words}",
        claim("copyright_infringement", None, "new:lumen-diffusion", legal="ruling"),
    )
    assert partition(filing, ruling) == {frozenset({1, 2})}
    # The same accused and a name in passing, but the words of another dispute: two stories.
    other = article(
        3,
        10,
        "Lumen Diffusion faces a photographers' claim over stock pictures",
        "Mira Castell, a photographer, is among those who say Lumen Diffusion copied a stock "
        "photo archive. The filing lists forty thousand pictures, their captions and the "
        "watermarks that appeared in generated images; an agency in Oslo licensed them until "
        "last year. Photographers want a share of licence fees and the removal of pictures "
        "from datasets used to build image generators.",
        claim("copyright_infringement", None, "new:lumen-diffusion", legal="lawsuit"),
    )
    assert partition(filing, other) == {frozenset({1}), frozenset({3})}


def test_a_background_mention_of_suits_against_a_hub_founds_no_incident() -> None:
    # The article's story is Vantor Images against Lumen Diffusion; a later sentence mentions
    # other suits against Orbitrix (a hub), naming nobody who brings them.
    report = article(
        1,
        0,
        "Vantor Images sues Lumen Diffusion over copyright",
        "Vantor Images says Lumen Diffusion copied millions of its photos. Similar suits are "
        f"pending against Orbitrix. {FILLER}",
        claim(
            "copyright_infringement", "new:vantor-images", "new:lumen-diffusion", legal="lawsuit"
        ),
        dataclasses.replace(claim("copyright_infringement", None, "orbitrix"), sentence_index=2),
    )
    facets = build_facets(report, CFG)
    assert [(sorted(f.keys), f.is_anchor) for f in facets] == [
        (["lumen", "vantor"], True),
        (["orbitrix"], False),
    ]
    assert partition(report) == {frozenset({1})}
    # A brief whose only story is such a claim against the hub still founds one.
    brief = article(
        2,
        0,
        "Orbitrix sued over novels",
        "Orbitrix was sued for copying novels into its models, a filing shows.",
        claim("copyright_infringement", None, "orbitrix", legal="lawsuit"),
    )
    assert partition(brief) == {frozenset({2})}
    # A later story naming who accuses the hub is no background.
    named = article(
        3,
        0,
        "Vantor Images sues Lumen Diffusion over copyright",
        "Vantor Images says Lumen Diffusion copied millions of its photos. Quenby Guild sued "
        f"Orbitrix last month. {FILLER}",
        report.claims[0],
        dataclasses.replace(
            claim("copyright_infringement", "new:quenby-guild", "orbitrix"), sentence_index=2
        ),
    )
    assert [f.is_anchor for f in build_facets(named, CFG)] == [True, True]
