"""Attitude and evidential adjectives: "X is confident that", "it is clear that"."""

from __future__ import annotations

from typing import Any

from rashomon.extract import cues as C
from rashomon.extract.claims.found import Found, Range
from rashomon.extract.claims.syntax import (
    in_ranges,
    speaker_range,
    speaker_type_of,
    subtree_range,
    trim,
)
from rashomon.model import SpeakerType


def find(doc: Any, quotes: list[Range], taken: frozenset[int]) -> list[Found]:
    """ "X is confident that ...", "X is not interested in ...", "it is clear that ..."."""
    found: list[Found] = []
    used = set(taken)
    for adj in doc:
        lemma = adj.lemma_.lower()
        if adj.tag_ == "VBN":
            lemma = adj.lower_  # "they are convinced that": the participle as an adjective
        passive = _passive_attitude(adj)
        if not passive and (adj.dep_ != "acomp" or adj.head.lemma_ not in {"be", "seem", "appear", "remain"}):
            continue
        if lemma not in C.EXPERIENCER_ADJ and lemma not in C.EVIDENTIAL_ADJ:
            continue
        if adj.i in used or in_ranges(adj.idx, quotes):
            continue
        cop = adj if passive else adj.head
        subj = next((c for c in cop.children if c.dep_ in {"nsubj", "expl", "nsubjpass"}), None)
        comp = next(
            (c for c in [*adj.children, *cop.children] if c.dep_ in {"ccomp", "xcomp"}), None
        )
        prep_obj = None
        for c in adj.children:
            if c.dep_ == "prep" and c.i > adj.i:
                prep_obj = next((g for g in c.children if g.dep_ in {"pobj", "pcomp"}), None)
                cue_end = c.i + 1
                break
        else:
            cue_end = adj.i + 1
        source = None
        stype: SpeakerType = "unnamed"
        if lemma in C.EXPERIENCER_ADJ:
            if subj is None or subj.dep_ == "expl":
                continue
            target_tok = comp or prep_obj
            if target_tok is None:
                continue
            lo, hi = subtree_range(target_tok)
            if comp is not None and comp.dep_ == "xcomp":
                cue_end = adj.i + 1
            source, stype = speaker_range(doc, subj), speaker_type_of(doc, subj)
        else:
            if comp is not None:
                lo, hi = subtree_range(comp)
            elif subj is not None and subj.dep_ == "nsubj" and subj.pos_ != "PRON":
                lo, hi = subtree_range(subj)
            else:
                continue
            cue_end = adj.i + 1
            # "it is clear that ...", "X is likely to win": nobody else's judgement, the
            # article's own (PolNeAR attributes 28% of these to a source at overlap 0.3)
            stype = "article"
        content = trim(doc, lo, hi)
        cs = min(
            (c.i for c in cop.children if c.dep_ in {"aux", "auxpass", "neg"} and c.i < cop.i),
            default=cop.i,
        )
        cue = trim(doc, min(cs, adj.i), cue_end)
        if content is None or cue is None:
            continue
        used.update(range(min(cs, adj.i), cue_end))
        found.append(
            Found(
                rule="adjective.experiencer" if lemma in C.EXPERIENCER_ADJ else "adjective.evidential",
                cue_tokens=set(range(min(cs, adj.i), cue_end)),
                cue=cue,
                cue_text=lemma,
                content=content,
                kind="assessment",
                source=source,
                speaker_type=stype,
                hedge=lemma if lemma in C.HEDGE_WORDS else None,
            )
        )
    return found



def _passive_attitude(tok: Any) -> bool:
    """A participle of attitude read as a passive verb: "they are convinced that",
    "voters were worried about" (the parser's VBN with a "be" auxiliary)."""
    return (
        tok.tag_ == "VBN"
        and tok.lower_ in C.EXPERIENCER_ADJ
        and any(c.dep_ == "auxpass" and c.lemma_ == "be" for c in tok.children)
        and any(c.dep_ == "nsubjpass" for c in tok.children)
    )
