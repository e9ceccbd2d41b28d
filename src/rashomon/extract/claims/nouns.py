"""Nominal cues: "allegations of X", "the view that X", "questions about X"."""

from __future__ import annotations

from typing import Any

from rashomon.extract import cues as C
from rashomon.extract.claims.found import Found, Range
from rashomon.extract.claims.syntax import (
    OBJ_DEPS,
    cue_range,
    in_ranges,
    speaker_range,
    speaker_type_of,
    subject_of,
    subtree_range,
    trim,
)
from rashomon.model import ClaimKind, SpeakerType


def find(doc: Any, quotes: list[Range], taken: frozenset[int]) -> list[Found]:
    """ "allegations of X", "the view that X", "questions about X", "his call to X"."""
    found: list[Found] = []
    used = set(taken)
    for tok in doc:
        if tok.i in used or tok.pos_ != "NOUN" or tok.lemma_.lower() not in C.NOUNS:
            continue
        if in_ranges(tok.idx, quotes):
            continue
        content_tok = None
        cue_hi = tok.i + 1
        for c in tok.children:
            if c.i < tok.i:
                continue
            if c.dep_ in {"acl", "ccomp", "relcl"} and any(
                g.lower_ == "that" and g.dep_ == "mark" for g in c.children
            ):
                content_tok = c
                break
            if c.dep_ == "acl" and any(g.dep_ == "aux" and g.lower_ == "to" for g in c.children):
                content_tok = c
                break
            if (
                c.dep_ == "prep"
                and c.lower_ in {"of", "about", "that", "over"}
                and c.i == tok.i + 1
            ):
                pobj = [g for g in c.children if g.dep_ in {"pobj", "pcomp"}]
                if pobj:
                    content_tok = pobj[0]
                    cue_hi = c.i + 1
                    break
        if content_tok is None:
            continue
        content = trim(doc, *subtree_range(content_tok))
        if content is None:
            continue
        src = None
        stype: SpeakerType = "unnamed"
        cue_lo = tok.i
        cue_tokens = {tok.i}
        for c in tok.children:
            if c.dep_ == "poss":
                src = speaker_range(doc, c)
                stype = "actor"
        if src is None and tok.dep_ in OBJ_DEPS and tok.head.lemma_ in C.LIGHT_VERBS:
            # "X shares the view that", "X made these allegations"
            subj = subject_of(tok.head)
            if subj is not None:
                src, stype = speaker_range(doc, subj), speaker_type_of(doc, subj)
                # the light verb is part of the cue ("issued a statement of concern
                # about"), and no later pass may take it with the noun as its object
                vs, ve = cue_range(doc, tok.head)
                if ve <= tok.i and ve - 1 not in used:
                    cue_lo = vs
                    cue_tokens |= set(range(vs, ve))
        kind: ClaimKind = "statement"
        if tok.lemma_.lower() in {"allegation", "accusation", "charge", "criticism"}:
            kind = "accusation"
        elif tok.lemma_.lower() in {"denial"}:
            kind = "denial"
        elif tok.lemma_.lower() in {"view", "belief", "opinion", "assessment", "suspicion"}:
            kind = "assessment"
        used.add(tok.i)
        found.append(
            Found(
                rule="noun." + ("possessor" if stype == "actor" and src is not None else "unnamed"),
                cue_tokens=cue_tokens,
                cue=trim(doc, cue_lo, cue_hi),
                cue_text=tok.lemma_.lower(),
                content=content,
                kind=kind,
                source=src,
                speaker_type=stype,
            )
        )
    return found

