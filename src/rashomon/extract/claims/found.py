"""The record every claim pass returns, before it becomes a :class:`~rashomon.model.Claim`."""

from __future__ import annotations

from dataclasses import dataclass, field

from rashomon.model import ClaimKind, SpeakerType

Range = tuple[int, int]


@dataclass
class Found:
    """One claim before it becomes a :class:`Claim` (character ranges).

    ``rule`` names the pass and the rule inside it that produced the claim
    ("verb.clause", "quote.after", ...); ``cue_tokens`` are the token indices the claim
    consumes, which later passes may not reuse as cues."""

    cue: Range | None
    cue_text: str
    content: Range
    rule: str
    kind: ClaimKind = "statement"
    source: Range | None = None
    speaker_type: SpeakerType = "actor"
    target: Range | None = None
    hedge: str | None = None
    quoted: bool = False
    cue_tokens: set[int] = field(default_factory=set)
    antecedent: Range | None = None  # the named speaker a pronoun/title source refers to
