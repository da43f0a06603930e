"""A hack or a leak told by its victim, with no culprit named: its retellings are one incident.

Fictional parties (helpers of ``test_incident_disputes``): Orbitrix is a hub lab named in many
stories; Orrin Systems is not; Pell Tanaka is a contractor.
"""

from __future__ import annotations

import dataclasses

from ipwire.jobs.cluster import facet_to_row, row_to_facet
from nlp.incidents import IncidentGraph, build_facets, explain_merges
from nlp.incidents.features import ArticleRecord, VictimClaim
from tests.incidents.test_incident_disputes import CFG, article, claim, partition

ORBITRIX, ORRIN, TANAKA = "orbitrix", "new:orrin-systems", "new:pell-tanaka"

BREACH = (
    "An intruder entered the internal discussion board of Orbitrix last spring and read "
    "messages in which engineers described unreleased designs. Orbitrix told its staff at an "
    "all-hands meeting but did not inform the police, believing no customer data was taken."
)


def breach(n: int, day: float, lead: str, *, undated: bool = False) -> ArticleRecord:
    art = article(
        n,
        day,
        f"Orbitrix kept a breach of its internal board quiet ({n})",
        f"{lead} {BREACH}",
        claim("unauthorized_access", None, None, victim=ORBITRIX, stance="asserted"),
    )
    return dataclasses.replace(art, dated=not undated)


def other_orbitrix_leak(n: int, day: float) -> ArticleRecord:
    """Another harm to the same hub, in other words: a model leaked by testers."""
    return article(
        n,
        day,
        "Orbitrix video model leaks online",
        "A group of artists who tested the video model posted a copy on a public code site, "
        "protesting unpaid work. Orbitrix paused early access while it reviewed the tester "
        "programme and said the leak broke the testers' agreement.",
        claim("leak", ORBITRIX, None, victim=ORBITRIX, stance="confirmed"),
    )


def test_a_claim_naming_no_culprit_keeps_its_victim_and_family() -> None:
    facets = build_facets(breach(1, 0, "Reports said so on Friday."), CFG)
    assert [f.victims for f in facets] == [
        (VictimClaim("orbitrix", CFG.groups_of("unauthorized_access")),)
    ]
    assert not facets[0].pairs


def test_retellings_of_one_break_in_at_a_hub_are_one_incident() -> None:
    a = breach(1, 0, "A newspaper first reported it on Thursday.")
    b = breach(2, 2, "Two people familiar with the matter confirmed the account.")
    c = breach(3, 5, "The company's security chief later left.", undated=True)
    # Another harm to the same hub, told in other words, is another incident.
    other = other_orbitrix_leak(4, 3)
    assert partition(a, b, c, other) == {frozenset({1, 2, 3}), frozenset({4})}


def test_the_victim_alone_links_nothing_without_the_same_words() -> None:
    a = breach(1, 0, "A newspaper first reported it on Thursday.")
    b = article(
        2,
        1,
        "Orbitrix says its chat logs were accessed",
        "Orbitrix said a vendor's support tool exposed customer chat logs to an unknown party "
        "for six hours. The vendor has since revoked the tool's keys and hired auditors.",
        claim("unauthorized_access", None, None, victim=ORBITRIX, stance="asserted"),
    )
    assert partition(a, b) == {frozenset({1}), frozenset({2})}


def test_retellings_months_apart_are_two_events() -> None:
    # Dated both: beyond the linking window the same words are another break-in.
    a = breach(1, 0, "A newspaper first reported it on Thursday.")
    b = breach(2, CFG.window_days + 30, "A second intrusion was reported this week.")
    assert partition(a, b) == {frozenset({1}), frozenset({2})}


def test_a_later_article_naming_the_culprit_joins_the_victims_story() -> None:
    words = (
        "Someone copied the chip layouts of Orrin Systems from its design server over a long "
        "weekend, and the company found the transfers in its logs weeks later."
    )
    first = article(
        1,
        0,
        "Orrin Systems finds its chip layouts copied",
        f"{words} Orrin Systems has hired investigators.",
        claim("data_theft", None, None, victim=ORRIN, stance="asserted"),
    )
    named = article(
        2,
        20,
        "Orrin Systems accuses Pell Tanaka of copying its layouts",
        f"{words} Orrin Systems says Pell Tanaka, a former contractor, made the copies.",
        claim("trade_secret_theft", ORRIN, TANAKA, victim=ORRIN),
    )
    assert partition(first, named) == {frozenset({1, 2})}
    graph = IncidentGraph(CFG)
    graph.add([f for art in (first, named) for f in build_facets(art, CFG)])
    reasons = explain_merges(list(graph.facets.values()), CFG)
    assert [r.reason.split(";")[0] for r in reasons] == [
        "harm to orrin retold, no culprit named on one side"
    ]


def test_incremental_runs_through_the_store_rows_equal_a_rebuild() -> None:
    arts = [
        breach(1, 0, "A newspaper first reported it on Thursday."),
        other_orbitrix_leak(2, 1),
        breach(3, 2, "Two people familiar with the matter confirmed the account.", undated=True),
        breach(4, 4, "The company's security chief later left."),
    ]
    full = partition(*arts)
    graph = IncidentGraph(CFG)
    for art in reversed(arts):
        # Each run restores the saved facets from their stored rows, as `ipwire cluster` does.
        saved = [row_to_facet(facet_to_row(f, graph.find(f.id))) for f in graph.facets.values()]
        labels = {f.id: graph.find(f.id) for f in graph.facets.values()}
        anchored = {graph.find(f.id) for f in saved if f.is_anchor}
        graph = IncidentGraph(CFG)
        graph.restore(saved, labels, [], anchored)
        graph.add(build_facets(art, CFG))
    assert {frozenset(v) for v in graph.incidents().values()} == full
    assert full == {frozenset({1, 3, 4}), frozenset({2})}
