"""Source-less appearance: "X appeared poised to win", "the race seemed his to lose"."""

from __future__ import annotations

from typing import Any

from rashomon.extract import cues as C
from rashomon.extract.claims.found import Found, Range
from rashomon.extract.claims.syntax import (
    cue_range,
    in_ranges,
    subtree_range,
    trim,
)


def find(doc: Any, quotes: list[Range], taken: frozenset[int]) -> list[Found]:
    """Source-less "X appeared poised to win", "the race seemed to be his to lose"."""
    found: list[Found] = []
    used = set(taken)
    for tok in doc:
        if tok.lemma_ not in C.RAISING or tok.i in used or in_ranges(tok.idx, quotes):
            continue
        subj = next((c for c in tok.children if c.dep_ == "nsubj"), None)
        comp = next((c for c in tok.children if c.dep_ in {"xcomp", "acomp"} and c.i > tok.i), None)
        if subj is None or comp is None or subj.lower_ in {"it", "there"}:
            continue
        content = trim(doc, subtree_range(subj)[0], subtree_range(comp)[1])
        cue = trim(doc, *cue_range(doc, tok))
        if content is None or cue is None:
            continue
        used.add(tok.i)
        found.append(
            Found(
                rule="raising.subject_xcomp",
                cue_tokens={tok.i},
                cue=cue,
                cue_text=tok.lemma_,
                content=content,
                kind="assessment",
                speaker_type="unnamed",
                hedge=tok.lower_,
            )
        )
    return found

