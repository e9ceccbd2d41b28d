"""Reporting, belief, intention, denial, accusation and responsibility verbs with a clause
or object: "X said that", "X dismissed all allegations", "X accused Y of",
"X took the responsibility for"."""

from __future__ import annotations

from typing import Any

from rashomon.extract import cues as C
from rashomon.extract.claims.found import Found, Range
from rashomon.extract.claims.responsibility import ACT_OBJECTS
from rashomon.extract.claims.syntax import (
    CONTENT_DEPS,
    OBJ_DEPS,
    content_of,
    cue_kind,
    cue_range,
    drop_appended_relcl,
    extend_tail,
    hedge_of,
    in_ranges,
    np_range,
    perpetrator_span,
    speaker_range,
    speaker_type_of,
    subject_of,
    subtree_range,
    trim,
)
from rashomon.model import SpeakerType


def find(doc: Any, quotes: list[Range], taken: frozenset[int]) -> list[Found]:
    found: list[Found] = []
    used = set(taken)
    verbs = C.verb_cues()
    for tok in doc:
        if tok.i in used or tok.pos_ not in {"VERB", "AUX"}:
            continue
        if tok.lemma_ not in verbs and not (
            tok.lemma_ in C.RESPONSIBILITY_VERBS
            and any(c.lemma_ in C.RESPONSIBILITY_NOUNS for c in tok.children)
        ):
            continue
        if in_ranges(tok.idx, quotes):
            continue
        f = claim_for(doc, tok)
        if f is not None:
            used.update(f.cue_tokens)
            found.append(f)
    return found


def claim_for(doc: Any, tok: Any, rule_prefix: str = "verb") -> Found | None:
    """The claim a cue verb introduces (content, source, kind, target), or None."""
    lemma = tok.lemma_
    if tok.dep_ == "amod" and lemma not in C.SPEECH:
        return None
    if tok.dep_ == "acl" and lemma not in C.SPEECH and not (tok.tag_ == "VBG" and rule_prefix == "verb"):
        return None  # "a super PAC backing Rubio" speaks; "the plan proposed by X" does not
    subj = subject_of(tok)
    if (lemma in C.ACCUSATION or lemma == "suspect") and tok.tag_ == "VBN" and any(
        c.dep_ == "nsubjpass" and c.pos_ != "PRON" for c in tok.children
    ):
        return None  # "Hamas was blamed for the bombing": the blamed, not a speaker (responsibility pass)
    if (
        lemma in C.EVIDENCE_VERBS
        and lemma not in C.SPEECH
        and lemma != "show"
        and (subj is None or subj.lemma_.lower() not in C.EVIDENCE_SUBJECTS)
        and not any(c.dep_ == "ccomp" for c in tok.children)
    ):
        return None
    rng, head = content_of(doc, tok, wide=tok.lemma_ in C.verb_cues())
    if rng is None or head is None:
        return None
    if head.dep_ in OBJ_DEPS and lemma in C.NO_OBJECT_CONTENT and head.i > tok.i:
        return None  # "told reporters", "added a line": the addressee or the thing added
    if lemma not in C.SPEECH and subj is None:
        return None
    rng = extend_tail(doc, tok, rng)
    rng = drop_appended_relcl(doc, head, rng)
    content = trim(doc, *rng)
    if content is None or content[1] - content[0] < 2:
        return None
    cs, ce = cue_range(doc, tok)
    if head.dep_ == "pobj" and head.head.i == ce and ce < rng[0]:
        ce += 1  # the preposition is part of the cue: "referring to", "warned of"
    cue = trim(doc, cs, ce)
    kind = cue_kind(lemma, True)
    if head.dep_ == "pobj":  # "called for X", "pushed for X": an appeal, not a judgement
        kind = "statement"
    target = None
    rule = "verb." + ("clause" if head.dep_ in CONTENT_DEPS else "object" if head.dep_ in OBJ_DEPS else "other")
    if head.dep_ == "pobj":
        rule = "verb.appeal"
    if lemma in C.RESPONSIBILITY_VERBS and head.lemma_ in C.RESPONSIBILITY_NOUNS:
        kind = "responsibility_claim"
        rule = "verb.responsibility"
        ce2 = subtree_range(head)[1]
        # cue covers "took the responsibility"; content is what it was taken for
        fors = [c for c in head.children if c.dep_ == "prep" and c.lower_ == "for"]
        cue = trim(doc, cs, (fors[0].i if fors else ce2))
        if fors:
            hi = subtree_range(fors[0])[1]
            for c in tok.children:  # "for the organization and carrying out the act"
                if c.dep_ == "conj" and c.i > hi - 1 and c.i - hi <= 2:
                    hi = subtree_range(c)[1]
            content = trim(doc, fors[0].i + 1, hi) or content
    elif lemma in C.ACCUSATION and head.dep_ in OBJ_DEPS:
        target = np_range(doc, head)
        rule = "verb.accusation_object"
        # "on" hung on the verb or, as parsers often do, on the act ("the attack on Israel")
        on = next((g for c in (*tok.children, *head.children) if c.dep_ == "prep" and c.lower_ == "on"
                   for g in c.children if g.dep_ == "pobj"), None)
        if lemma == "blame" and on is not None and head.lemma_.lower() in ACT_OBJECTS:
            target, rule = np_range(doc, on), "verb.blamed_on"  # "Iran blamed the attack on Israel"
        if lemma == "attack" and not any(
            c.dep_ == "prep" and c.lower_ in {"for", "over"} for c in tok.children
        ):
            kind, target, rule = "statement", None, "verb.object"  # "Russia attacked the theatre"
    elif kind == "denial" and head.dep_ in OBJ_DEPS and head.lemma_.lower() in C.INVOLVEMENT_NOUNS:
        # "Abdi denied SDF involvement": the party whose involvement is denied
        party = [c for c in head.children if c.dep_ in {"compound", "poss"}]
        if party:
            target = np_range(doc, party[0])
            rule = "verb.denial_of_involvement"
    elif lemma == "hold" and any(c.lower_ == "responsible" for c in tok.children):
        kind = "accusation"
        target = np_range(doc, head)
        rule = "verb.hold_responsible"
    elif kind in {"assessment", "statement"}:
        target = perpetrator_span(doc, head)
        if target is not None:
            rule = "verb.perpetrator_in_content"
        if target is not None and kind == "statement" and lemma in C.BELIEF:
            kind = "assessment"
    source = speaker_range(doc, subj, tok.i) if subj is not None else None
    if subj is not None and subj.dep_ == "nsubjpass" and rng[0] <= subj.i:
        # "The bank is expected to act", "X is believed to have fled": the subject is
        # part of what is expected, not who expects it
        source = None
    hedge = hedge_of(doc, lemma, rng[0], rng[1], tok.text)
    # "it is believed that": hedged, no speaker
    if subj is not None and subj.lower_ == "it" and tok.tag_ == "VBN":
        source = None
        if lemma in C.HEDGE_CUES:
            hedge = f"it is {tok.text}"
    stype: SpeakerType = "unnamed" if subj is None else speaker_type_of(doc, subj)
    if source is None:
        stype = "unnamed"
    if rule_prefix != "verb":
        rule = rule_prefix + rule[len("verb"):]
    f = Found(
        rule=rule,
        cue=cue,
        cue_text=lemma,
        content=content,
        kind=kind,
        source=source,
        speaker_type=stype,
        target=target,
        hedge=hedge,
        quoted=False,
    )
    f.cue_tokens.update(range(cs, ce))
    return f

