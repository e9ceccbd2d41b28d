"""The data model: a few typed records that every stage passes around.

Everything extracted is anchored to a :class:`Span`, ``(article_id, start, end)``
character offsets into the article's normalized text (end exclusive). Nothing is
stored without its evidence.

    Article ──< Mention >── Actor
       │
       ├──< EventMention ──< Fact
       │          │
       ├──< Claim ┘
       └──< TechniqueSpan
    Story ──< EventMention          (cross-document)
    Story ──< SlotReconciliation    (per slot: values, status, low/best/high)
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any, Literal

Precision = Literal["day", "month", "year", "range", "unknown"]
Register = Literal["neutral", "loaded"]
MentionKind = Literal["actor", "place", "date", "quantity"]
SpeakerType = Literal["actor", "unnamed", "article"]
# "absence": an explicit report that nobody has claimed something ("No group has claimed
# responsibility"), in the article's voice; never a claim by anyone.
ClaimKind = Literal["statement", "accusation", "denial", "responsibility_claim", "assessment", "absence"]
SlotStatus = Literal["corroborated", "single_source", "conflicting", "revised"]

#: Slots a Fact can fill, in the order reports show them.
SLOTS: tuple[str, ...] = (
    "killed",
    "injured",
    "method",
    "perpetrator",
    "responsibility_claimed_by",
    "blamed",
    "denied_by",
    "date",
    "place",
)
COUNT_SLOTS: frozenset[str] = frozenset({"killed", "injured"})


def article_id_for(text: str) -> str:
    """Content hash of normalized text: the same text always gets the same id.

    >>> article_id_for("hello")[:8]
    '2cf24dba'
    """
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class Span:
    """Character offsets ``[start, end)`` into one article's normalized text."""

    article_id: str
    start: int
    end: int

    def text(self, article_text: str) -> str:
        return article_text[self.start : self.end]

    def __len__(self) -> int:
        return self.end - self.start


@dataclass(slots=True)
class Article:
    """One news article, its normalized text and what we know about where it came from."""

    text: str
    title: str | None = None
    url: str | None = None
    outlet: str | None = None  # display name, e.g. "Press TV"
    domain: str | None = None  # e.g. "presstv.ir"
    authors: list[str] = field(default_factory=list)
    published: str | None = None  # ISO date (YYYY-MM-DD, YYYY-MM or YYYY)
    published_precision: Precision = "unknown"
    language: str | None = None  # ISO 639-1
    genre: str | None = None  # opinion / reporting / satire
    source: str | None = None  # path or URL it was read from
    body_end: int | None = None  # offset where trailing bio/disclaimer starts, if any
    id: str = ""

    def __post_init__(self) -> None:
        if not self.id:
            self.id = article_id_for(self.text)


@dataclass(frozen=True, slots=True)
class Rejected:
    """An input that could not be read: a typed outcome, never a silent skip."""

    source: str
    reason: str  # short machine key, e.g. "binary", "empty", "oversize", "unreachable"
    message: str  # one human line: what was wrong and what to do


@dataclass(slots=True)
class Alias:
    text: str
    register: Register = "neutral"


@dataclass(slots=True)
class Actor:
    """A canonical actor; loaded aliases stay visible as data."""

    id: str  # Wikidata QID where known, else a stable slug ("prov:..." for provisional)
    name: str
    kind: str  # state, government, armed_force, armed_group, agency, party, person, media, igo, ...
    country: str | None = None  # ISO 3166-1 alpha-2 where it applies
    aliases: list[Alias] = field(default_factory=list)
    parents: list[str] = field(default_factory=list)  # e.g. Takfiris -> jihadist groups
    provisional: bool = False


@dataclass(slots=True)
class Mention:
    """A span naming an actor, place, date or quantity, with what it resolved to."""

    span: Span
    text: str
    kind: MentionKind
    label: str | None = None  # NER label or resolver tag
    actor_id: str | None = None
    register: Register | None = None
    unnamed: bool = False  # "Iranian sources", "officials"
    # places
    place_name: str | None = None
    country: str | None = None
    lat: float | None = None
    lon: float | None = None
    place_precision: str | None = None  # city / region / country
    # dates
    date: str | None = None  # ISO date (start of the range)
    date_end: str | None = None
    date_precision: Precision | None = None
    anchored: bool = True  # False when resolved relative to an unknown publication date
    # quantities
    value: float | None = None
    low: float | None = None
    high: float | None = None
    qualifier: str | None = None  # "at least", "about", "over", ...


@dataclass(slots=True)
class Quantity:
    value: float | None
    low: float | None
    high: float | None
    qualifier: str | None = None
    text: str = ""


@dataclass(slots=True)
class EventMention:
    """One article's account of one event."""

    id: str
    article_id: str
    event_type: str  # ACLED event_type or one of ours (Diplomacy, Policy)
    sub_event_type: str
    trigger: Span
    evidence: list[Span] = field(default_factory=list)  # sentences
    trigger_text: str = ""
    date: str | None = None
    date_precision: Precision | None = None
    place_name: str | None = None
    country: str | None = None
    lat: float | None = None
    lon: float | None = None
    place_precision: str | None = None
    perpetrators: list[str] = field(default_factory=list)  # actor ids
    targets: list[str] = field(default_factory=list)
    victims: list[str] = field(default_factory=list)
    killed: Quantity | None = None
    injured: Quantity | None = None
    method: str | None = None
    reference: bool = False  # a passing reference rather than the article's own report


@dataclass(slots=True)
class Claim:
    """Who says what."""

    id: str
    article_id: str
    speaker_type: SpeakerType
    kind: ClaimKind
    content: Span
    speaker: Span | None = None
    speaker_id: str | None = None  # actor id for named or demonym-resolved speakers
    speaker_name: str = ""  # surface or canonical name; "the article" for own voice
    cue: str = ""
    cue_span: Span | None = None
    target_id: str | None = None
    target_name: str | None = None
    target_ids: list[str] = field(default_factory=list)  # every target (coordinated: two)
    hedged: bool = False
    hedge: str | None = None
    event_mention_id: str | None = None
    quoted: bool = False  # direct quotation
    rule: str = ""  # the extraction rule that produced it ("verb.clause", "quote.after", ...)


@dataclass(slots=True)
class Fact:
    """One reported value for one slot of one event mention."""

    id: str
    article_id: str
    event_mention_id: str
    slot: str
    value: str  # display value ("91", "suicide bombing", actor id for actor slots)
    evidence: Span
    value_num: float | None = None
    low: float | None = None
    high: float | None = None
    qualifier: str | None = None
    value_name: str | None = None  # human name for actor-valued slots
    speaker_type: SpeakerType = "article"
    speaker_id: str | None = None
    speaker_name: str = ""
    claim_id: str | None = None
    as_of: str | None = None  # publication date of the article
    outlet: str | None = None
    rule: str = ""  # the rule (or model) that produced the value


@dataclass(slots=True)
class TechniqueSpan:
    """A persuasion technique detected in a paragraph (and, where possible, a span)."""

    article_id: str
    paragraph: int
    technique: str
    confidence: float
    span: Span


@dataclass(slots=True)
class SlotValue:
    value: str
    value_num: float | None
    low: float | None
    high: float | None
    qualifier: str | None
    outlet: str | None
    article_id: str
    speaker: str
    speaker_type: SpeakerType
    as_of: str | None
    evidence_text: str
    evidence_start: int
    evidence_end: int
    fact_id: str
    value_name: str | None = None
    speaker_id: str | None = None


@dataclass(slots=True)
class SlotReconciliation:
    slot: str
    status: SlotStatus
    values: list[SlotValue]
    low: float | None = None
    best: float | None = None
    high: float | None = None
    rule: str | None = None
    explanation: str = ""


@dataclass(slots=True)
class Story:
    """The cross-source event: the EventMentions that refer to one real-world event."""

    id: str
    title: str
    event_type: str
    sub_event_type: str
    date: str | None
    date_precision: Precision | None
    place_name: str | None
    country: str | None
    member_ids: list[str]  # event mention ids
    article_ids: list[str]
    outlets: list[str]
    algorithm: str
    slots: dict[str, SlotReconciliation] = field(default_factory=dict)
    responsibility: list[dict[str, Any]] = field(default_factory=list)
