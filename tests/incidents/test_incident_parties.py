"""Who the sides of an incident are: officers and speakers are no sides, leads decide the title.

Fictional parties only (see ``test_incident_disputes`` for the helpers): Orrin Systems lost chip
designs; Pell Tanaka is charged; a public officer announces the charges; Vantor Images, Rowan
Collective and Lumen Diffusion are in a copyright dispute.
"""

from __future__ import annotations

import dataclasses

from nlp.incidents import (
    ArticleRecord,
    ClaimRef,
    IncidentRecord,
    build_facets,
    build_record,
    entity_key,
)
from tests.incidents.test_incident_disputes import CFG, NAMES, T0, article, claim, partition

NAMES.update(
    {
        "new:dara-quist": ("Dara Quist", "PERSON"),
        "new:moss-feld": ("Moss Feld", "PERSON"),
        "new:ivo-brandt": ("Ivo Brandt", "PERSON"),
    }
)

TANAKA, ORRIN, QUIST = "new:pell-tanaka", "new:orrin-systems", "new:dara-quist"


def test_a_prosecutor_named_by_title_is_an_investigator_not_a_side() -> None:
    # The extraction made the announcing officer the accuser (and, elsewhere, the accused).
    charged = article(
        1,
        0,
        "Engineer charged over Orrin Systems chip designs",
        "U.S. Attorney Dara Quist announced that Pell Tanaka was charged. Pell Tanaka took "
        "designs from Orrin Systems, prosecutors said.",
        claim("trade_secret_theft", QUIST, TANAKA, legal="charged", victim=QUIST),
        claim("trade_secret_theft", None, QUIST, legal="charged"),
        claim("trade_secret_theft", None, TANAKA, legal="charged", victim=ORRIN),
    )
    facets = build_facets(charged, CFG)
    assert [(p.left, p.accused) for f in facets for p in f.pairs] == [
        (None, "tanaka"),
        ("orrin", "tanaka"),
    ]
    rec = build_record([charged], frozenset().union(*(f.keys for f in facets)), CFG, T0)
    roles = {p.name: p.role for p in rec.parties}
    assert roles["Dara Quist"] == "investigator"
    assert roles["Pell Tanaka"] == "accused"
    assert roles["Orrin Systems"] == "victim"
    assert rec.title == "Pell Tanaka charged with stealing trade secrets from Orrin Systems"


def test_an_officer_named_after_the_name_and_a_lawyer_are_no_sides() -> None:
    ruling = article(
        1,
        0,
        "Vantor Images wins a round against Lumen Diffusion",
        "Moss Feld, the district judge, let the claims go ahead. Ivo Brandt, a lawyer for "
        "Vantor Images, welcomed it. Lumen Diffusion said it would appeal.",
        claim("copyright_infringement", "new:moss-feld", "new:lumen-diffusion", legal="ruling"),
        claim("copyright_infringement", "new:ivo-brandt", "new:lumen-diffusion", legal="lawsuit"),
        claim(
            "copyright_infringement", "new:vantor-images", "new:lumen-diffusion", legal="lawsuit"
        ),
    )
    facets = build_facets(ruling, CFG)
    assert {(p.left, p.accused) for f in facets for p in f.pairs} == {
        (None, "lumen"),
        ("vantor", "lumen"),
    }
    rec = build_record([ruling], frozenset().union(*(f.keys for f in facets)), CFG, T0)
    assert rec.title == "Vantor Images sues Lumen Diffusion over copyright"
    roles = {p.name: p.role for p in rec.parties}
    assert roles["Moss Feld"] == "investigator"
    assert "Ivo Brandt" not in roles


def test_someone_charged_by_prosecutors_is_not_an_officer() -> None:
    story = article(
        1,
        0,
        "Pell Tanaka charged",
        "Prosecutors said that Pell Tanaka took the designs. Pell Tanaka, who was charged by "
        "prosecutors, denies it. The designs belong to Orrin Systems.",
        claim("trade_secret_theft", None, TANAKA, legal="charged", victim=ORRIN),
    )
    assert [(p.left, p.accused) for f in build_facets(story, CFG) for p in f.pairs] == [
        ("orrin", "tanaka")
    ]


def test_a_surname_only_one_known_person_has_is_that_person() -> None:
    cfg = dataclasses.replace(CFG, kb_keys={("PERSON", "okonkwo"): "kb-person"})
    assert entity_key("new:selma-okonkwo", "Selma Okonkwo", cfg, "PERSON") == "kb-person"
    assert entity_key("new:okonkwo", "Okonkwo", cfg, "PERSON") == "kb-person"
    assert entity_key("new:okonkwo-labs", "Okonkwo Labs", cfg, "ORG") == "okonkwo"
    # The real knowledge base: a surname two people share names neither.
    real = CFG.kb_keys
    assert all(k[0] == "PERSON" and v != k[1] for k, v in real.items())


def test_the_title_follows_each_articles_lead_not_its_background() -> None:
    # Each article reports Rowan Collective's suit first, and mentions an older suit by Vantor
    # Images twice in its background paragraphs.
    def report(n: int) -> ArticleRecord:
        return article(
            n,
            n,
            "Rowan Collective sues Lumen Diffusion",
            "Rowan Collective says Lumen Diffusion trained on its art. Vantor Images sued "
            "Lumen Diffusion last year. Vantor Images also says its photos were copied.",
            claim("copyright_infringement", "new:rowan-collective", "new:lumen-diffusion"),
            dataclasses.replace(
                claim("copyright_infringement", "new:vantor-images", "new:lumen-diffusion"),
                sentence_index=2,
            ),
            dataclasses.replace(
                claim("scraping", "new:vantor-images", "new:lumen-diffusion"), sentence_index=3
            ),
        )

    arts = [report(1), report(2)]
    keys = frozenset().union(*(f.keys for a in arts for f in build_facets(a, CFG)))
    rec = build_record(arts, keys, CFG, T0)
    assert rec.title.startswith("Rowan Collective accuses Lumen Diffusion of")


def test_denials_alone_still_title_the_incident_by_its_parties() -> None:
    denial = article(
        1,
        0,
        "Lumen Diffusion rejects the claims",
        "Lumen Diffusion denied copying photos from Vantor Images.",
        claim(
            "copyright_infringement",
            "new:vantor-images",
            "new:lumen-diffusion",
            stance="denied",
        ),
    )
    rec = build_record([denial], frozenset({"lumen", "vantor"}), CFG, T0)
    assert "Lumen Diffusion" in rec.title
    assert "Vantor Images" in rec.title
    assert partition(denial) == {frozenset({1})}


NAMES.update(
    {
        "new:tamsin-ode": ("Tamsin Ode", "PERSON"),
        "new:corrow-institute": ("Corrow Institute", "ORG"),
        "new:brisk-models": ("Brisk Models", "ORG"),
        "new:yarrow-team": ("Yarrow Team", "ORG"),
    }
)


def test_a_round_up_story_whose_claim_was_missed_is_not_glued_to_its_neighbour() -> None:
    # A round-up: Yarrow Team's story carries a claim, the Brisk Models story (its claim
    # missed by the extraction) is told in other sentences. It must not take Yarrow's incident
    # to a later article about Brisk Models.
    roundup = article(
        1,
        0,
        "The week in model disputes",
        "Yarrow Team admitted that it copied a model. Brisk Models and Tamsin Ode said "
        "Corrow Institute took their data. Corrow Institute and Brisk Models will meet.",
        claim("copyright_infringement", None, "new:yarrow-team", stance="asserted"),
    )
    facets = build_facets(roundup, CFG)
    assert len(facets) == 2
    assert [f.is_anchor for f in facets].count(True) == 1
    brisk = article(
        2,
        1,
        "Brisk Models accuses Corrow Institute",
        "Brisk Models said Corrow Institute took its data, Tamsin Ode said. Corrow Institute "
        "denied it. Brisk Models will sue Corrow Institute.",
        claim("data_theft", "new:brisk-models", "new:corrow-institute"),
    )
    # Two incidents: Yarrow's (the round-up alone) and Brisk's (the round-up and the report).
    assert partition(roundup, brisk) == {frozenset({1}), frozenset({1, 2})}


def test_undated_retellings_of_one_event_at_a_hub_link_by_their_words() -> None:
    # A hub (Orbitrix) in the foreground of both, a non-hub name prominent on one side only,
    # neither page dated: linked only when the texts tell the same event.
    words = (
        "An intruder entered the internal discussion board of Orbitrix and read messages "
        "about unreleased designs; Pell Tanaka had warned the board about weak security."
    )
    first = dataclasses.replace(
        article(
            1,
            0,
            "Orbitrix board breached",
            f"{words} Pell Tanaka was later dismissed. Orbitrix said no customer data was taken.",
            claim("unauthorized_access", None, "orbitrix", victim="orbitrix"),
        ),
        dated=False,
    )
    retold = dataclasses.replace(
        article(
            2,
            0,
            "Orbitrix kept the breach quiet",
            f"{words} Orbitrix informed its staff. Orbitrix did not tell the police.",
            claim("unauthorized_access", None, "orbitrix"),
        ),
        dated=False,
    )
    other = dataclasses.replace(
        article(
            3,
            0,
            "Orbitrix opens an office",
            "Orbitrix opened an office; Pell Tanaka spoke at the opening about hiring plans. "
            "Orbitrix expects growth in sales across several regions next year.",
            claim("unauthorized_access", None, "orbitrix"),
        ),
        dated=False,
    )
    assert partition(first, retold, other) == {frozenset({1, 2}), frozenset({3})}


NAMES.update({"new:daybreak-herald": ("Daybreak Herald", "MEDIA")})


def test_a_newspaper_suing_over_its_own_articles_is_a_party() -> None:
    suit = article(
        1,
        0,
        "Daybreak Herald sues Garnet Search",
        "Daybreak Herald says Garnet Search copied its articles. Garnet Search declined to "
        "comment.",
        claim(
            "copyright_infringement",
            "new:daybreak-herald",
            "new:garnet-search",
            legal="lawsuit",
            victim="new:daybreak-herald",
        ),
    )
    facets = build_facets(suit, CFG)
    assert [(p.left, p.accused) for f in facets for p in f.pairs] == [("daybreak", "garnet")]
    rec = build_record([suit], frozenset().union(*(f.keys for f in facets)), CFG, T0)
    assert rec.title == "Daybreak Herald sues Garnet Search over copyright"
    # An outlet that only reports (no claim of its own) stays out of the keys.
    report = article(
        2,
        0,
        "Garnet Search sued",
        "Garnet Search was sued, the Daybreak Herald reported.",
        claim("copyright_infringement", None, "new:garnet-search", legal="lawsuit"),
    )
    assert all("daybreak" not in f.keys for f in build_facets(report, CFG))


def test_a_leak_with_no_one_accused_still_founds_an_incident() -> None:
    leak = article(
        1,
        0,
        "Weights of Vantor Images' model leak online",
        "The weights of a Vantor Images model were posted on a forum. Vantor Images confirmed "
        "the leak.",
        claim("leak", None, None, victim="new:vantor-images", stance="confirmed"),
    )
    facets = build_facets(leak, CFG)
    assert [f.is_anchor for f in facets] == [True]
    assert not facets[0].pairs
    rec = build_record([leak], facets[0].keys, CFG, T0)
    assert rec.title == "Leak of Vantor Images' model"
    assert partition(leak) == {frozenset({1})}


def test_a_company_named_accused_and_victim_of_one_claim_is_its_victim() -> None:
    # "Orrin Systems was breached" read as a claim against Orrin Systems, its victim.
    hack = article(
        1,
        0,
        "Orrin Systems breached by an intruder",
        "Orrin Systems said an intruder read its engineering forum. Orrin Systems told staff.",
        claim("unauthorized_access", None, ORRIN, victim=ORRIN),
    )
    facets = build_facets(hack, CFG)
    assert [f.is_anchor for f in facets] == [True]
    assert not facets[0].pairs
    rec = build_record([hack], facets[0].keys, CFG, T0)
    assert {p.name: p.role for p in rec.parties} == {"Orrin Systems": "victim"}


NAMES.update(
    {
        "new:cadence-music": ("Cadence Music", "ORG"),
        "new:brightwave": ("Brightwave", "ORG"),
        "new:lumo": ("Lumo", "PRODUCT"),
        "new:zeller-audio": ("Zeller Audio", "ORG"),
        "new:quillon": ("Quillon", "ORG"),
    }
)


def _record(*arts: ArticleRecord) -> IncidentRecord:
    keys = frozenset().union(*(f.keys for a in arts for f in build_facets(a, CFG)))
    return build_record(list(arts), keys, CFG, T0)


def test_the_accused_is_voted_over_articles_not_taken_from_one_full_claim() -> None:
    # Two articles accuse Brightwave; the second's lead claim was misread (Zeller Audio against
    # Quillon, named in passing), and only its later claim names Cadence Music as the accuser.
    first = article(
        1,
        0,
        "Brightwave accused of copying lyrics",
        "Brightwave copied song lyrics, a complaint says. Cadence Music filed it.",
        claim("copyright_infringement", None, "new:brightwave"),
    )
    second = article(
        2,
        1,
        "Cadence Music presses its case against Brightwave",
        "Zeller Audio once sued Quillon. Cadence Music says Brightwave copied its lyrics.",
        dataclasses.replace(
            claim("copyright_infringement", "new:zeller-audio", "new:quillon"), sentence_index=1
        ),
        dataclasses.replace(
            claim("copyright_infringement", "new:cadence-music", "new:brightwave"),
            sentence_index=2,
        ),
    )
    assert _record(first, second).title == (
        "Cadence Music accuses Brightwave of copyright infringement"
    )


def test_a_product_stands_for_its_maker_in_the_title_and_the_parties() -> None:
    # The article names the maker as the product's owner ("Brightwave's Lumo chatbot").
    lyrics = article(
        1,
        0,
        "Cadence Music says Brightwave's Lumo chatbot copies its lyrics",
        "Cadence Music said Lumo reproduced its lyrics word for word. Brightwave said it "
        "filters lyrics.",
        claim("copyright_infringement", "new:cadence-music", "new:lumo"),
    )
    rec = _record(lyrics)
    assert rec.title == "Cadence Music accuses Brightwave of copyright infringement"
    assert {p.name: p.role for p in rec.parties} == {
        "Cadence Music": "accuser",
        "Brightwave": "accused",
    }
    # "Brightwave Lumo" (no possessive) says the same; an article that names no owner keeps
    # the product as it is.
    plain = dataclasses.replace(lyrics, title="Cadence Music says Brightwave Lumo copies lyrics")
    assert _record(plain).title.startswith("Cadence Music accuses Brightwave of")
    alone = article(
        2,
        0,
        "Cadence Music says Lumo copies its lyrics",
        "Cadence Music said Lumo reproduced its lyrics word for word.",
        claim("copyright_infringement", "new:cadence-music", "new:lumo"),
    )
    assert _record(alone).title == "Cadence Music accuses Lumo of copyright infringement"


def test_a_known_product_named_as_victim_is_its_maker() -> None:
    # Nimbus is Orbitrix's model (the knowledge base's parent).
    leak = article(
        1,
        0,
        "Nimbus weights leak online",
        "The weights of Nimbus were posted on a forum. Orbitrix confirmed the leak of Nimbus.",
        claim("leak", None, None, victim="nimbus", stance="confirmed"),
        claim("leak", "orbitrix", None, victim="orbitrix", stance="confirmed"),
    )
    assert {p.name: p.role for p in _record(leak).parties} == {"Orbitrix": "accuser"}


NAMES.update(
    {
        "new:kestrel-ai": ("Kestrel AI", "ORG"),
        "new:halden-soft": ("Halden Soft", "ORG"),
        "new:ines-varga": ("Ines Varga", "PERSON"),
    }
)


def suspicion() -> ClaimRef:
    """Halden Soft suspects someone of taking Orrin Systems' data (sentence 1); no accused."""
    found = claim("data_theft", "new:halden-soft", None, victim=ORRIN, stance="suspected")
    return dataclasses.replace(found, sentence_index=1)


def _probe(title: str, body: str, *claims: ClaimRef) -> IncidentRecord:
    return _record(article(1, 0, title, body, *claims))


def test_a_claim_naming_no_culprit_points_at_the_one_party_its_sentence_and_headline_name() -> None:
    # "whether a group linked to Kestrel AI took its data": the extraction found no accused.
    sentence_claim = suspicion()
    rec = _probe(
        "Halden Soft probes whether Kestrel AI group took Orrin Systems data",
        "Halden Soft is investigating whether a group linked to Kestrel AI took data from "
        "Orrin Systems. Neither company commented.",
        sentence_claim,
    )
    assert rec.title == "Halden Soft accuses Kestrel AI of taking its data"
    assert {p.name: p.role for p in rec.parties}["Kestrel AI"] == "accused"


def test_no_suspect_when_the_headline_does_not_name_it_or_two_stand_out() -> None:
    sentence_claim = suspicion()
    # Named in the sentence only: context ("a customer of Kestrel AI"), not the suspect.
    quiet = _probe(
        "Halden Soft probes a data breach at Orrin Systems",
        "Halden Soft is investigating whether a customer of Kestrel AI took data from "
        "Orrin Systems. Neither company commented.",
        sentence_claim,
    )
    assert "Kestrel AI" not in {p.name for p in quiet.parties}
    # Two candidates in the sentence and the headline: no guess.
    two = _probe(
        "Halden Soft probes whether Kestrel AI or Lumen Diffusion took Orrin Systems data",
        "Halden Soft is investigating whether Kestrel AI or Lumen Diffusion took data from "
        "Orrin Systems. Neither company commented.",
        sentence_claim,
    )
    assert {p.role for p in two.parties} == {"accuser", "victim"}
    # A lawyer quoted in the sentence is no suspect.
    lawyer = _probe(
        "Orrin Systems data taken, Ines Varga says",
        "Someone took data from Orrin Systems, said Ines Varga, a lawyer for the company. "
        "The company is investigating.",
        dataclasses.replace(
            claim("data_theft", None, None, victim="new:orrin-systems", stance="asserted"),
            sentence_index=1,
        ),
    )
    assert "Ines Varga" not in {p.name for p in lawyer.parties}


NAMES.update(
    {
        "new:tarn-books": ("Tarn Books", "ORG"),
        "new:olu-bisi": ("Olu Bisi", "PERSON"),
        "new:pellam-ai": ("Pellam AI", "ORG"),
    }
)


def test_an_officer_the_article_names_by_title_stands_for_the_organisation() -> None:
    before = article(
        1,
        0,
        "Tarn Books sues Pellam AI",
        "Tarn Books president Olu Bisi said Pellam AI trained its chatbot on the catalogue.",
        claim("copyright_infringement", "new:olu-bisi", "new:pellam-ai", legal="lawsuit"),
    )
    rec = _record(before)
    assert rec.title == "Tarn Books sues Pellam AI over copyright"
    assert {p.name: p.role for p in rec.parties} == {
        "Tarn Books": "accuser",
        "Pellam AI": "accused",
    }
    after = article(
        2,
        0,
        "Publisher accuses Pellam AI",
        "Olu Bisi, the chief executive of Tarn Books, said Pellam AI copied its catalogue.",
        claim("copyright_infringement", "new:olu-bisi", "new:pellam-ai"),
    )
    assert _record(after).title == "Tarn Books accuses Pellam AI of copyright infringement"


def test_a_former_officer_or_an_accused_officer_stands_for_nobody_else() -> None:
    former = article(
        1,
        0,
        "Olu Bisi accuses Pellam AI",
        "Olu Bisi, the former president of Tarn Books, said Pellam AI copied her novels.",
        claim("copyright_infringement", "new:olu-bisi", "new:pellam-ai"),
    )
    assert _record(former).title == "Olu Bisi accuses Pellam AI of copyright infringement"
    # An officer accused of taking the organisation's files is not the organisation.
    accused = article(
        2,
        0,
        "Tarn Books accuses its president",
        "Tarn Books said its files were taken by Tarn Books president Olu Bisi.",
        claim("trade_secret_theft", "new:tarn-books", "new:olu-bisi"),
    )
    assert _record(accused).title == "Tarn Books accuses Olu Bisi of stealing trade secrets"


def test_a_charge_against_a_suspect_names_whom_it_harmed() -> None:
    charged = article(
        1,
        0,
        "Kestrel AI unit charged over Orrin Systems data",
        "Prosecutors charged a unit tied to Kestrel AI with taking data from Orrin Systems. "
        "The unit has not commented.",
        dataclasses.replace(
            claim("data_theft", None, None, victim=ORRIN, legal="charged"), sentence_index=1
        ),
    )
    assert _record(charged).title == "Kestrel AI charged with data theft from Orrin Systems"


NAMES.update({"new:daily-lantern": ("Daily Lantern", "ORG"), "new:lantern": ("Lantern", "ORG")})


def test_a_short_form_of_a_name_in_the_same_article_is_the_same_party() -> None:
    suit = article(
        1,
        0,
        "Daily Lantern sues Pellam AI over its archive",
        "The Daily Lantern says Pellam AI copied its archive. The Lantern wants damages.",
        claim("copyright_infringement", "new:daily-lantern", "new:pellam-ai", legal="lawsuit"),
        dataclasses.replace(
            claim("copyright_infringement", "new:lantern", "new:pellam-ai", legal="lawsuit"),
            sentence_index=2,
        ),
    )
    facets = build_facets(suit, CFG)
    assert [sorted(f.keys) for f in facets] == [["daily", "pellam"]]
    assert {p.name: p.role for p in _record(suit).parties} == {
        "Daily Lantern": "accuser",
        "Pellam AI": "accused",
    }
    # A short form two longer names share stays apart ("Lantern Books" is another company).
    NAMES["new:lantern-books"] = ("Lantern Books", "ORG")
    both = article(
        2,
        0,
        "Daily Lantern and Lantern Books sue Pellam AI",
        "The Daily Lantern and Lantern Books say Pellam AI copied them. The Lantern wants more.",
        claim("copyright_infringement", "new:lantern", "new:pellam-ai", legal="lawsuit"),
    )
    keys = build_facets(both, CFG)[0].keys
    assert {"daily", "lantern"} <= keys
    # (the short form keeps its own key, which "Lantern Books" shares)
    assert {p.name for p in _record(both).parties if p.role == "accuser"} == {"Lantern Books"}


NAMES.update({"new:hal-brenner": ("Hal Brenner", "PERSON"), "new:dana-moy": ("Dana Moy", "PERSON")})


def test_an_officer_whose_title_follows_the_name_without_an_article_is_no_side() -> None:
    # "Hal Brenner, U.S. Attorney for ..." and "Dana Moy, special agent in charge of ...": no
    # "the" before the title, initials inside it.
    charged = article(
        1,
        0,
        "Engineer charged with taking Orrin Systems designs",
        "Pell Tanaka was charged with stealing trade secrets from Orrin Systems, said Hal "
        'Brenner, U.S. Attorney for the Northern District. "A calculated theft," said Dana '
        "Moy, special agent in charge of the field office.",
        claim("trade_secret_theft", "new:hal-brenner", TANAKA, legal="charged", victim=ORRIN),
        claim("trade_secret_theft", "new:dana-moy", TANAKA, legal="charged"),
    )
    rec = _record(charged)
    assert rec.title == "Pell Tanaka charged with stealing trade secrets from Orrin Systems"
    roles = {p.name: p.role for p in rec.parties}
    assert roles["Hal Brenner"] == roles["Dana Moy"] == "investigator"
    # A person whose apposition tells what was done (or names a job that is no office) stays.
    sued = article(
        2,
        0,
        "Ivo Brandt sues Pellam AI",
        "Ivo Brandt, an engineer whose attorney filed the suit, says Pellam AI copied his "
        "code. Moss Feld, a U.S. novelist, joined him.",
        claim("copyright_infringement", "new:ivo-brandt", "new:pellam-ai"),
        claim("copyright_infringement", "new:moss-feld", "new:pellam-ai"),
    )
    roles = {p.name: p.role for p in _record(sued).parties}
    assert roles["Ivo Brandt"] == roles["Moss Feld"] == "accuser"
