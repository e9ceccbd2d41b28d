"""Article-voice blame: "Daesh is only a cover for the Zionist entity"."""

from __future__ import annotations

from typing import Any

from rashomon.extract import cues as C
from rashomon.extract.claims.found import Found, Range
from rashomon.extract.claims.syntax import (
    np_range,
    trim,
)


def find(doc: Any, quotes: list[Range], taken: frozenset[int]) -> list[Found]:
    """Article-voice blame: "X is (only) a cover for Y" -> accusation with target Y."""
    found: list[Found] = []
    for tok in doc:
        if tok.lemma_.lower() not in C.BLAME_NOUNS or tok.dep_ != "attr" or tok.i in taken:
            continue
        cop = tok.head
        if cop.lemma_ != "be":
            continue
        preps = [c for c in tok.children if c.dep_ == "prep" and c.lower_ in {"for", "of"}]
        pobj = [g for p in preps for g in p.children if g.dep_ == "pobj"]
        if not pobj:
            continue
        sent = tok.sent
        content = trim(doc, sent.start, sent.end)
        if content is None:
            continue
        found.append(
            Found(
                rule="article_voice.cover_for",
                cue_tokens={tok.i},
                cue=trim(doc, tok.i, tok.i + 1),
                cue_text=tok.lemma_.lower(),
                content=content,
                kind="accusation",
                speaker_type="article",
                target=np_range(doc, pobj[0]),
            )
        )
    return found

