"""Seed a store with a small fictional world (and hostile content) through store's public API.

Everything goes through the store's repository functions, as the pipeline would:
``add_article``, ``save_annotations``, ``upsert_source``, the crawl-run functions, and
``store.incidents.upsert_incident`` standing in for the clusterer (the records, with their
timeline steps, parties and claims, are written by hand here).
All organisations, people and outlets are fictional.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker

from nlp.types import Annotations, Claim, Entity, Mention, Quote, Role
from store import (
    ArticleIn,
    add_article,
    finish_crawl_run,
    save_annotations,
    session_scope,
    start_crawl_run,
    upsert_source,
)
from store.incidents import IncidentData, upsert_incident
from store.models import Article, IncidentAlias
from store.models import Claim as ClaimRow

# Every payload a hostile page might carry. Each must come out inert: escaped text, no script,
# no request, no non-http(s) link.
HOSTILE = {
    "script": "<script>alert(1)</script>",
    "img": "<img src=x onerror=alert(1)>",
    "js_link": "javascript:alert(1)",
    "textarea": "</textarea><b>out</b>",
    "svg": "<svg onload=alert(1)>",
    "iframe": '"><iframe srcdoc="<script>alert(1)</script>">',
    "style": "</style><style>body{background:url(https://evil.example/x.png)}</style>",
    "rtl": "gpj.\u202eexe.txt",
    "zero_width": "Zen\u200btrix\ufeff",
    "template": "{{ 7*7 }}{% raw %}",
}
HOSTILE_TEXT = " ".join(HOSTILE.values())
HOSTILE_URLS = (
    "javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    " JaVaScRiPt:alert(1)",
    "java\tscript:alert(1)",
    "vbscript:msgbox(1)",
    "//evil.example/protocol-relative",
)
# An http(s) URL is kept as a link, so its quotes and brackets must stay inside the attribute.
HOSTILE_HTTP_URL = 'https://evil.example/x"onmouseover="alert(1)"<script>alert(1)</script>'

ORGS = [
    Entity("zentrix-labs", "Zentrix Labs", "ORG", ("Zentrix",)),
    Entity("quillon-ai", "Quillon AI", "ORG", ("Quillon",)),
    Entity("orbis-models", "Orbis Models", "ORG"),
    Entity("federal-trade-office", "Federal Trade Office", "GOV"),
    Entity("harbor-ledger", "Harbor Ledger", "MEDIA"),
    Entity("marla-voss", "Marla Voss", "PERSON"),
    Entity("tobin-reyes", "Tobin Reyes", "PERSON"),
]
EVIL = Entity("evil-corp", f"Evil Corp {HOSTILE['script']}{HOSTILE['img']}{HOSTILE['rtl']}", "ORG")
EVIL2 = Entity("evil/../../x", f"{HOSTILE['svg']}{HOSTILE['iframe']}", "ORG")


@dataclass(frozen=True)
class World:
    """Ids of what was seeded."""

    articles: dict[str, int]
    incidents: dict[str, int]
    now: dt.datetime


def _claim(
    type_: str,
    accuser: Entity | None,
    accused: Entity | None,
    stance: str,
    sentence: str,
    *,
    legal: str | None = None,
    speaker: Entity | None = None,
    victim: Entity | None = None,
) -> Claim:
    return Claim(
        type=type_,
        accuser_id=accuser.id if accuser else None,
        accuser=accuser.name if accuser else None,
        accused_id=accused.id if accused else None,
        accused=accused.name if accused else None,
        victim_id=victim.id if victim else None,
        victim=victim.name if victim else None,
        speaker_id=speaker.id if speaker else None,
        speaker=speaker.name if speaker else None,
        stance=stance,
        legal_status=legal,
        sentence=sentence,
        start=0,
        end=len(sentence),
        sentence_index=1,
        cues=("accused",),
    )


def _ann(
    entities: list[Entity], claims: list[Claim], quotes: list[Quote] = (), roles: list[Role] = ()
) -> Annotations:  # type: ignore[assignment]
    mentions = tuple(Mention(e.id, 0, len(e.name), e.name, 0) for e in entities)
    return Annotations(
        nlp_version="test-1",
        relevant=True,
        relevance=0.9,
        entities=tuple(entities),
        mentions=mentions,
        roles=tuple(roles),
        claims=tuple(claims),
        quotes=tuple(quotes),
    )


def seed_world(
    factory: sessionmaker[Session], *, now: dt.datetime | None = None, hostile: bool = True
) -> World:
    """Sources, crawl runs, articles with annotations, three incidents (one hostile), an alias."""
    now = now or dt.datetime.now(dt.UTC)
    zen, qui, orb, fto, hl, voss, reyes = ORGS
    arts: dict[str, int] = {}
    with session_scope(factory) as s:
        src = upsert_source(
            s, name="ledger-feed", kind="feed", url="https://ledger.example/feed", config={}
        )
        bad = upsert_source(
            s, name="flaky-listing", kind="listing", url="https://flaky.example/", config={}
        )
        run = start_crawl_run(s, src.id)
        finish_crawl_run(
            s, run.id, stats={"pages_fetched": 5, "articles_new": 3}, errors=[], outcome="ok"
        )
        run = start_crawl_run(s, bad.id)
        finish_crawl_run(
            s,
            run.id,
            stats={"pages_fetched": 1},
            errors=[f"HTTP 500 on {HOSTILE['script']}"],
            outcome="failed",
        )

        def article(key: str, title: str, hours_ago: float, text: str, **kw: object) -> int:
            fields: dict[str, object] = {
                "source_id": src.id,
                "url": f"https://ledger.example/{key}",
                "canonical_url": f"https://ledger.example/{key}",
                "title": title,
                "text": text,
                "published_at": now - dt.timedelta(hours=hours_ago + 1),
                "fetched_at": now - dt.timedelta(hours=hours_ago),
                "authors": ["Ada Quell"],
                "site_name": "Harbor Ledger",
            }
            fields.update(kw)
            res = add_article(s, ArticleIn(**fields))  # type: ignore[arg-type]
            arts[key] = res.article_id
            return res.article_id

        old = article(
            "zentrix-first",
            "Zentrix Labs says a rival copied its model",
            24 * 9,
            "Zentrix Labs said on Monday that a rival had copied its model through the API.",
        )
        save_annotations(
            s,
            old,
            _ann(
                [zen, qui, hl],
                [
                    _claim(
                        "distillation",
                        zen,
                        qui,
                        "suspected",
                        "Zentrix Labs suspects Quillon AI distilled its model.",
                    )
                ],
            ),
            "test-1",
        )
        a1 = article(
            "zentrix-accuses",
            "Zentrix Labs accuses Quillon AI of distilling its flagship model",
            3,
            "Zentrix Labs accused Quillon AI of distilling its flagship model, "
            "general counsel Marla Voss said.",
        )
        save_annotations(
            s,
            a1,
            _ann(
                [zen, qui, voss, hl],
                [
                    _claim(
                        "distillation",
                        zen,
                        qui,
                        "alleged",
                        "Zentrix Labs accused Quillon AI of distilling its flagship model.",
                        speaker=voss,
                        legal="lawsuit",
                    )
                ],
                [
                    Quote(
                        "marla-voss",
                        "Marla Voss",
                        "We will defend our models in court.",
                        True,
                        0,
                        10,
                    )
                ],
                [
                    Role(
                        "marla-voss",
                        "Marla Voss",
                        "general counsel",
                        "zentrix-labs",
                        "Zentrix Labs",
                        "Marla Voss, general counsel at Zentrix Labs, said.",
                        0,
                        10,
                    )
                ],
            ),
            "test-1",
        )
        a2 = article(
            "quillon-denies",
            "Quillon AI denies it distilled Zentrix model; regulator opens inquiry",
            2,
            "Quillon AI denied the accusation. The Federal Trade Office opened an investigation.",
        )
        save_annotations(
            s,
            a2,
            _ann(
                [zen, qui, fto, reyes],
                [
                    _claim(
                        "distillation",
                        zen,
                        qui,
                        "denied",
                        "Quillon AI denied that it distilled the model.",
                        speaker=qui,
                    ),
                    _claim(
                        "distillation",
                        fto,
                        qui,
                        "suspected",
                        "The Federal Trade Office opened an investigation into Quillon AI.",
                        legal="investigation",
                    ),
                ],
                [
                    Quote(
                        "federal-trade-office",
                        "Federal Trade Office",
                        "We are examining the matter closely.",
                        True,
                        0,
                        10,
                    )
                ],
            ),
            "test-1",
        )
        a3 = article(
            "orbis-sued",
            "Harbor Ledger sues Orbis Models over training data",
            1,
            "Harbor Ledger sued Orbis Models, alleging its articles were used to train a model.",
        )
        save_annotations(
            s,
            a3,
            _ann(
                [orb, hl],
                [
                    _claim(
                        "copyright_infringement",
                        hl,
                        orb,
                        "alleged",
                        "Harbor Ledger alleges Orbis Models trained on its articles.",
                        legal="lawsuit",
                    )
                ],
            ),
            "test-1",
        )
        hostile_ids: list[int] = []
        if hostile:
            for i, bad_url in enumerate((*HOSTILE_URLS, HOSTILE_HTTP_URL)):
                aid = article(
                    f"hostile-{i}",
                    f"Hostile {i} {HOSTILE['script']}{HOSTILE['img']}",
                    0.5,
                    f"Body {i}: {HOSTILE_TEXT}",
                    url=bad_url,
                    canonical_url=f"https://evil.example/canonical-{i}",
                    authors=[HOSTILE["iframe"], HOSTILE["textarea"]],
                    site_name=f"Evil News {HOSTILE['svg']}",
                    description=HOSTILE_TEXT,
                )
                hostile_ids.append(aid)
                save_annotations(
                    s,
                    aid,
                    _ann(
                        [EVIL, EVIL2, zen],
                        [
                            _claim(
                                "data_theft",
                                EVIL,
                                zen,
                                "asserted",
                                f"Evil Corp says {HOSTILE_TEXT}",
                                speaker=EVIL2,
                            )
                        ],
                        [Quote(EVIL.id, EVIL.name, f"Quote {HOSTILE_TEXT}", True, 0, 5)],
                        [
                            Role(
                                EVIL.id,
                                EVIL.name,
                                HOSTILE["svg"],
                                EVIL2.id,
                                EVIL2.name,
                                HOSTILE_TEXT,
                                0,
                                5,
                            )
                        ],
                    ),
                    "test-1",
                )
        incidents: dict[str, int] = {}

        def incident(
            key: str,
            slug: str,
            title: str,
            art_ids: list[int],
            parties: list[tuple[str, str]],
            types: list[str],
            events: list[tuple[str, int]],
        ) -> None:
            published = {
                aid: when
                for aid, when in s.execute(
                    sa.select(Article.id, Article.published_at).where(Article.id.in_(art_ids))
                )
            }
            claims = s.execute(
                sa.select(ClaimRow.id, ClaimRow.article_id, ClaimRow.sentence).where(
                    ClaimRow.article_id.in_(art_ids)
                )
            ).all()
            first = min(published.values())
            data = IncidentData(
                title=title,
                slug_base=slug,
                summary=f"Summary of {title}",
                status="open",
                legal_status=None,
                score=50.0,
                claim_types=types,
                first_seen_at=first,
                last_seen_at=max(published.values()),
                article_count=len(art_ids),
                source_count=len(art_ids),
                outlet_count=1,
                articles=[(aid, 0.9) for aid in art_ids],
                parties=[(eid, role, first, art_ids[0]) for eid, role in parties],
                events=[
                    (
                        status,
                        published[aid],
                        aid,
                        next((c.id for c in claims if c.article_id == aid), None),
                        next((c.sentence for c in claims if c.article_id == aid), ""),
                    )
                    for status, aid in events
                ],
                claim_ids=[c.id for c in claims],
            )
            incidents[key] = upsert_incident(s, len(incidents) + 1, data).id

        incident(
            "zentrix",
            "2026-zentrix-labs-quillon-ai-distillation",
            "Zentrix Labs accuses Quillon AI of distillation",
            [old, a1, a2],
            [
                ("zentrix-labs", "accuser"),
                ("quillon-ai", "accused"),
                ("federal-trade-office", "investigator"),
            ],
            ["distillation"],
            [("alleged", old), ("lawsuit", a1), ("denied", a2), ("investigation", a2)],
        )
        incident(
            "orbis",
            "2026-orbis-models-copyright",
            "Harbor Ledger v. Orbis Models",
            [a3],
            [("harbor-ledger", "accuser"), ("orbis-models", "accused")],
            ["copyright_infringement"],
            [("alleged", a3), ("lawsuit", a3)],
        )
        if hostile:
            incident(
                "hostile",
                f"hostile-{HOSTILE['script']}/../x",
                f"Hostile incident {HOSTILE_TEXT}",
                hostile_ids,
                [(EVIL.id, "accuser"), (EVIL2.id, "accused"), ("zentrix-labs", "victim")],
                ["data_theft", HOSTILE["img"]],
                [("alleged", hostile_ids[0])],
            )
        # An old slug that now names the Zentrix incident (as a merge leaves behind).
        s.add(IncidentAlias(old_slug="zentrix-old-slug", incident_id=incidents["zentrix"]))
    return World(arts, incidents, now)
