"""Clustering logic without a database: order independence, round-ups, leaves, merges."""

from __future__ import annotations

import dataclasses
import random

from incident_stories import acme_borg, cyra_dunmore, roundup

from nlp.incidents import IncidentGraph, build_facets, entity_key, load_config
from nlp.incidents.config import ClusterConfig
from nlp.incidents.features import ArticleRecord, Facet
from nlp.incidents.synthetic import make_corpus

CFG = load_config()


def facets(records: list[ArticleRecord], cfg: ClusterConfig | None = None) -> list[Facet]:
    return [f for r in records for f in build_facets(r, cfg or CFG)]


def partition(graph: IncidentGraph) -> set[frozenset[int]]:
    return {frozenset(a) for a in graph.incidents().values()}


def saved_state(graph: IncidentGraph) -> tuple[list[Facet], dict[int, int], list[tuple[int, int]]]:
    """What the store keeps between runs."""
    labels = {f.id: graph.find(f.id) for f in graph.facets.values() if not f.is_leaf}
    links = [(leaf, core) for leaf, cores in graph.leaf_links.items() for core in cores]
    return list(graph.facets.values()), labels, links


def test_incremental_batches_in_any_order_give_the_rebuild_partition() -> None:
    corpus = make_corpus(400, seed=3, days=120).articles
    full = IncidentGraph(CFG)
    full.add(facets(corpus))
    expected = partition(full)
    assert len(expected) > 10
    shuffled = corpus[:]
    random.Random(5).shuffle(shuffled)  # articles arrive out of publication order
    graph = IncidentGraph(CFG)
    for start in range(0, len(shuffled), 37):
        # Each run starts from the saved state, as `ipwire cluster` does.
        state, labels, links = saved_state(graph)
        anchored = {graph.find(f.id) for f in state if f.is_anchor}
        graph = IncidentGraph(CFG)
        graph.restore(state, labels, links, anchored)
        graph.add(facets(shuffled[start : start + 37]))
    assert partition(graph) == expected


def test_adding_the_same_articles_again_changes_nothing() -> None:
    graph = IncidentGraph(CFG)
    stories = [acme_borg(1, 0).record(), acme_borg(2, 1).record()]
    graph.add(facets(stories))
    before = partition(graph)
    delta = graph.add(facets(stories))
    assert partition(graph) == before
    assert not delta.touched
    assert not delta.merged
    assert not delta.leaf_links


def test_a_round_up_joins_both_incidents_without_merging_them() -> None:
    graph = IncidentGraph(CFG)
    graph.add(facets([s.record() for s in (acme_borg(1, 0), acme_borg(2, 1))]))
    graph.add(facets([s.record() for s in (cyra_dunmore(3, 2), cyra_dunmore(4, 3))]))
    graph.add(facets([roundup(5, 4).record()]))
    assert partition(graph) == {frozenset({1, 2, 5}), frozenset({3, 4, 5})}


def test_non_relevant_articles_take_no_part_by_default() -> None:
    assert CFG.leaves is False  # the shipped config: an incident's articles are its coverage
    graph = IncidentGraph(CFG)
    graph.add(facets([acme_borg(1, 0).record()]))
    passing = acme_borg(2, 1)
    passing.relevant, passing.relevance = False, 0.4
    graph.add(facets([passing.record()]))
    assert partition(graph) == {frozenset({1})}


def test_non_relevant_articles_join_but_never_found_or_bridge() -> None:
    """With leaves allowed (a config switch), a non-relevant article joins, never founds."""
    cfg = dataclasses.replace(CFG, leaves=True)
    alone = acme_borg(1, 0)
    alone.relevant, alone.relevance = False, 0.4
    graph = IncidentGraph(cfg)
    graph.add(facets([alone.record()], cfg))
    assert graph.incidents() == {}
    graph.add(facets([acme_borg(2, 1).record()], cfg))
    assert partition(graph) == {frozenset({1, 2})}
    passing = acme_borg(3, 2)
    passing.relevance = 0.05  # below min_relevance: no part at all
    passing.relevant = False
    graph.add(facets([passing.record()], cfg))
    assert partition(graph) == {frozenset({1, 2})}


def test_an_article_linking_two_incidents_merges_them_into_the_older_label() -> None:
    graph = IncidentGraph(CFG)
    # Beyond the signature window of each other: two incidents.
    far = CFG.sig_window_days + 50
    graph.add(facets([acme_borg(1, 0).record(), acme_borg(2, far).record()]))
    assert len(graph.incidents()) == 2
    delta = graph.add(facets([acme_borg(3, far / 2).record()]))
    (label,) = graph.incidents()
    assert graph.incidents()[label] == {1, 2, 3}
    assert delta.merged == {2 * 64: label}
    assert label == 1 * 64


def test_entity_keys_absorb_the_nlp_naming_noise() -> None:
    assert entity_key("new:halcyon-labs", "Halcyon Labs", CFG) == "halcyon"
    assert entity_key("new:halcyon", "Halcyon", CFG) == "halcyon"
    assert entity_key("new:quillmark-a-i", "Quillmark A.I.", CFG) == "quillmark"
    assert entity_key("new:quillmark-ai", "Quillmark AI", CFG) == "quillmark"
    assert entity_key("new:marcus-teoh", "Marcus Teoh", CFG, "PERSON") == "teoh"
    assert entity_key("new:media-group", "Media Group", CFG) is None
    assert entity_key("openai", "OpenAI", CFG) == "openai"
