"""Hand-written fictional articles, as clustering records or as stored articles."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from nlp.incidents import ArticleRecord, ClaimRef, EntityRef, MentionRef
from nlp.types import Annotations, Claim, Entity, Mention
from store import ArticleIn, add_article, save_annotations

T0 = dt.datetime(2026, 5, 4, 9, 0, tzinfo=dt.UTC)
NOW = T0 + dt.timedelta(days=30)

#: Fictional organisations and people: id -> (name, type).
ENTITIES: dict[str, tuple[str, str]] = {
    "new:acme-labs": ("Acme Labs", "ORG"),
    "new:borg-intelligence": ("Borg Intelligence", "ORG"),
    "new:cyra-media-group": ("Cyra Media Group", "ORG"),
    "new:dunmore-ai": ("Dunmore AI", "ORG"),
    "new:elin-sato": ("Elin Sato", "PERSON"),
    "new:trade-office": ("Federal Trade Office", "GOV"),
}


@dataclass
class Story:
    """One fictional article: text with entity names, and its claims as (type, accuser id,
    accused id, stance, legal status)."""

    n: int
    day: float
    title: str
    body: str
    entities: list[str]
    claims: list[tuple[str, str | None, str | None, str, str | None]] = field(default_factory=list)
    relevant: bool = True
    relevance: float = 0.9

    @property
    def published_at(self) -> dt.datetime:
        return T0 + dt.timedelta(days=self.day)

    def text(self) -> str:
        return f"{self.title}\n\n{self.body}"

    def sentences(self) -> list[tuple[int, int, str]]:
        """(start, end, text) of each sentence of the analysed text (the title is sentence 0)."""
        out, pos = [], 0
        for part in re.split(r"(?<=[.\n])\s+", self.text()):
            start = self.text().index(part, pos)
            out.append((start, start + len(part), part))
            pos = start + len(part)
        return out

    def mentions(self) -> list[Mention]:
        found = []
        for eid in self.entities:
            name = ENTITIES[eid][0]
            for m in re.finditer(re.escape(name), self.text()):
                idx = next(i for i, (s, e, _) in enumerate(self.sentences()) if s <= m.start() < e)
                found.append(Mention(eid, m.start(), m.end(), name, idx))
        return sorted(found, key=lambda m: m.start)

    def _sentence_of(self, accused: str | None) -> tuple[int, str]:
        name = ENTITIES[accused][0] if accused else ""
        for i, (_, _, text) in enumerate(self.sentences()):
            if i and name in text:
                return i, text
        return 1, self.sentences()[1][2]

    def annotations(self) -> Annotations:
        counts = {
            eid: sum(1 for m in self.mentions() if m.entity_id == eid) for eid in self.entities
        }
        claims = []
        for ctype, accuser, accused, stance, legal in self.claims:
            idx, sentence = self._sentence_of(accused)
            claims.append(
                Claim(
                    ctype,
                    accuser,
                    ENTITIES[accuser][0] if accuser else None,
                    accused,
                    ENTITIES[accused][0] if accused else None,
                    None,
                    None,
                    None,
                    None,
                    stance,
                    legal,
                    sentence,
                    0,
                    len(sentence),
                    idx,
                )
            )
        return Annotations(
            nlp_version="test-1",
            relevant=self.relevant,
            relevance=self.relevance,
            entities=tuple(Entity(e, *ENTITIES[e], count=max(counts[e], 1)) for e in self.entities),
            mentions=tuple(self.mentions()),
            claims=tuple(claims),
        )

    def record(self) -> ArticleRecord:
        ann = self.annotations()
        return ArticleRecord(
            article_id=self.n,
            published_at=self.published_at,
            title=self.title,
            text=self.body,
            relevance=self.relevance,
            is_relevant=self.relevant,
            url=f"https://news.example/{self.n}",
            outlet=f"outlet{self.n % 3}",
            entities=tuple(EntityRef(e.id, e.name, e.type, e.count) for e in ann.entities),
            mentions=tuple(
                MentionRef(m.entity_id, m.sentence_index, m.start < len(self.title))
                for m in ann.mentions
            ),
            claims=tuple(
                ClaimRef(
                    c.type,
                    c.stance,
                    c.legal_status,
                    c.sentence,
                    c.sentence_index,
                    c.accuser_id,
                    c.accuser,
                    c.accused_id,
                    c.accused,
                )
                for c in ann.claims
            ),
        )


_EXTRA = (
    "Engineers traced the traffic to data centres in three countries over four months.",
    "Investors asked whether the dispute would delay the next funding round.",
    "A spokesperson declined to say whether regulators had been told.",
    "Lawyers for both sides exchanged letters over the weekend.",
    "Analysts said the case could test how terms of service are enforced.",
    "Several customers paused contracts while the review continues.",
    "The company published a technical note describing its detection method.",
    "Shares of listed rivals moved little on the news.",
    "A trade group called for clearer rules on model access.",
    "The board is expected to discuss the matter at its next meeting.",
    "Former employees described a culture of rapid releases.",
    "One academic said such cases were hard to prove in court.",
    "The startup has raised money from two sovereign funds.",
    "Its chief executive spoke at a conference in Lisbon last month.",
    "Court filings ran to more than two hundred pages.",
    "A hearing date has not been set.",
    "Both firms employ a few hundred people each.",
    "Industry newsletters picked up the story within hours.",
    "The accounts were created with disposable email addresses.",
    "Cloud bills for the period rose sharply, according to people familiar with them.",
    "Insurers are reviewing whether their policies cover such disputes.",
    "A parliamentary committee has asked both firms to testify.",
    "Open-source developers debated the case on public forums.",
    "The dispute follows a year of rapid growth for both companies.",
)


def _extra(n: int) -> str:
    # Distinct follow-up text per article (disjoint sentences for n distinct modulo 8), so that
    # two articles of one story share only their lead and the store does not take them for
    # copies (word-shingle resemblance stays well under store.hashing's 0.5).
    return " ".join(_EXTRA[(3 * n + k) % len(_EXTRA)] for k in range(3))


def acme_borg(n: int, day: float, *, stance: str = "alleged", legal: str | None = None) -> Story:
    """An article of the Acme v Borg distillation story."""
    return Story(
        n,
        day,
        f"Acme Labs says Borg Intelligence copied its model ({n})",
        "Acme Labs said Borg Intelligence distilled its flagship model through thousands of "
        "fake accounts. Borg Intelligence did not comment on the distillation claims. " + _extra(n),
        ["new:acme-labs", "new:borg-intelligence"],
        [("distillation", "new:acme-labs", "new:borg-intelligence", stance, legal)],
    )


def cyra_dunmore(n: int, day: float, *, legal: str | None = "lawsuit") -> Story:
    """An article of the Cyra v Dunmore copyright story."""
    return Story(
        n,
        day,
        f"Cyra Media Group sues Dunmore AI over its archive ({n})",
        "Cyra Media Group sued Dunmore AI, saying the startup trained chatbots on its newspaper "
        "archive without a licence. Dunmore AI said its crawler respected paywalls. "
        + _extra(n + 3),
        ["new:cyra-media-group", "new:dunmore-ai"],
        [("copyright_infringement", "new:cyra-media-group", "new:dunmore-ai", "alleged", legal)],
    )


def roundup(n: int, day: float) -> Story:
    """A weekly round-up telling both stories in separate sentences."""
    return Story(
        n,
        day,
        "The week in AI disputes",
        "Acme Labs widened its case that Borg Intelligence distilled its model through fake "
        "accounts. Separately, Cyra Media Group pressed its archive lawsuit against Dunmore AI "
        "over training data.",
        ["new:acme-labs", "new:borg-intelligence", "new:cyra-media-group", "new:dunmore-ai"],
        [
            ("distillation", "new:acme-labs", "new:borg-intelligence", "alleged", None),
            ("copyright_infringement", "new:cyra-media-group", "new:dunmore-ai", "alleged", None),
        ],
    )


def store_story(session: Session, story: Story) -> int:
    """Add the story as an article and save its annotations; returns the article id."""
    res = add_article(
        session,
        ArticleIn(
            source_id=None,
            url=f"https://news.example/{story.n}",
            canonical_url=f"https://news.example/{story.n}",
            title=story.title,
            text=story.body,
            published_at=story.published_at,
            fetched_at=story.published_at,
            site_name=f"Outlet {story.n % 3}",
        ),
    )
    if res.status == "new":
        save_annotations(session, res.article_id, story.annotations(), "test-1")
    return res.article_id
