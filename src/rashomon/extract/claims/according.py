"""Prepositional attribution: "according to X ...", "in a poll ..."."""

from __future__ import annotations

from typing import Any

from rashomon.extract.claims.found import Found, Range
from rashomon.extract.claims.syntax import (
    CLAUSE_DEPS,
    hedge_of,
    speaker_range,
    speaker_type_of,
    subtree_range,
    trim,
)


def find(doc: Any, quotes: list[Range], taken: frozenset[int]) -> list[Found]:
    """ "according to X ...", "in a poll ..."."""
    found: list[Found] = []
    used = set(taken)
    for tok in doc:
        if tok.i in used:
            continue
        src_tok = None
        cue_lo, cue_hi = tok.i, tok.i + 1
        if tok.lower_ == "according" and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "to":
            to = doc[tok.i + 1]
            pobj = [c for c in to.children if c.dep_ == "pobj"] or [
                c for c in tok.children if c.dep_ == "pobj"
            ]
            if not pobj:
                continue
            src_tok = pobj[0]
            cue_hi = tok.i + 2
            prep_root = tok
        elif tok.lower_ in {"in", "by"} and tok.dep_ == "prep":
            pobj = [c for c in tok.children if c.dep_ == "pobj"]
            if not pobj or pobj[0].lemma_.lower() not in {"poll", "survey"}:
                continue
            src_tok = pobj[0]
            prep_root = tok
        else:
            continue
        head = prep_root.head
        while head.dep_ not in CLAUSE_DEPS and head.head is not head:
            head = head.head
        skip = {t.i for t in prep_root.subtree}
        sent = tok.sent
        if head.i in skip:
            lo, hi = sent.start, sent.end
        else:
            lo, hi = subtree_range(head, skip)
        lo, hi = max(lo, sent.start), min(hi, sent.end)
        # the clause on the far side of the prepositional phrase
        if prep_root.i < lo or prep_root.i >= hi:
            pass
        elif prep_root.i - lo < hi - max(skip) - 1:
            lo = max(skip) + 1
        else:
            hi = min(skip)
        opens = [t.i for t in doc[sent.start : prep_root.i] if t.text in "()"]
        if opens and doc[opens[-1]].text == "(":
            # "(according to official sources, the president had postponed ...)"
            close = next((t.i for t in doc[prep_root.i : sent.end] if t.text == ")"), sent.end)
            lo, hi = max(skip) + 1, close
        content = trim(doc, lo, hi)
        if content is None:
            continue
        used.update(range(cue_lo, cue_hi))
        source = speaker_range(doc, src_tok)
        found.append(
            Found(
                rule="according.to" if tok.lower_ == "according" else "according.poll",
                cue_tokens=set(range(cue_lo, cue_hi)),
                cue=trim(doc, cue_lo, cue_hi),
                cue_text=doc[cue_lo:cue_hi].text.lower(),
                content=content,
                source=source,
                speaker_type=speaker_type_of(doc, src_tok),
                hedge=hedge_of(doc, "", lo, hi, ""),
            )
        )
    return found

