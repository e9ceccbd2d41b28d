"""Dependency-parse helpers the claim passes share (spans, subjects, cues, content)."""

from __future__ import annotations

from typing import Any

from rashomon.extract import cues as C
from rashomon.extract.claims.found import Range
from rashomon.model import ClaimKind, SpeakerType

CONTENT_DEPS = {"ccomp", "xcomp"}
OBJ_DEPS = {"dobj", "obj"}
SUBJ_DEPS = {"nsubj", "nsubjpass", "csubj"}
CUE_AUX = {"aux", "auxpass", "neg"}
#: Subjects of "killed"/"struck" that are the event, not its agent.
EVENT_NOUNS = frozenset(
    ["attack", "bombing", "blast", "explosion", "strike", "airstrike", "rocket", "missile", "shell", "shelling", "bomb", "pair", "fire", "raid", "assault", "device", "pager", "drone"]
)
CLAUSE_DEPS = {"ROOT", "ccomp", "conj", "advcl", "relcl", "parataxis"}


def trim(doc: Any, start: int, end: int) -> Range | None:
    """Token range -> char range without edge punctuation/spaces; None when empty."""
    while start < end and (
        (doc[start].is_punct and doc[start].text not in "“\"'‘(") or doc[start].is_space
    ):
        start += 1
    while end > start and (
        doc[end - 1].is_space
        or (doc[end - 1].is_punct and doc[end - 1].text not in "”\"'’)")
        or doc[end - 1].dep_ == "cc"
    ):
        end -= 1
    if start >= end:
        return None
    return doc[start].idx, doc[end - 1].idx + len(doc[end - 1].text)


def subtree_range(tok: Any, skip: set[int] | None = None) -> tuple[int, int]:
    """Token range of ``tok``'s subtree, optionally excluding child subtrees at its edges."""
    idx = sorted(t.i for t in tok.subtree if not skip or t.i not in skip)
    return idx[0], idx[-1] + 1


def np_range(doc: Any, head: Any) -> Range | None:
    """The speaker/target noun phrase: subtree of ``head`` minus parentheticals after it."""
    start, end = subtree_range(head)
    while start < head.i and doc[start].dep_ in {"advmod", "cc", "preconj"}:
        start += 1  # "Even US Defense Secretary Lloyd Austin" -> the NP itself
    conj_at = max((c.i for c in head.children if c.dep_ == "conj"), default=-1)
    for t in doc[head.i + 1 : end]:
        if t.text in "([" and t.i < conj_at:
            continue  # "the Kurdistan Workers' Party (PKK) and the People's Protection Units"
        if t.text in "([" or t.dep_ == "relcl":
            end = t.i
            break
    return trim(doc, start, end)


DASHES = frozenset({"—", "–", "--"})


def speaker_range(doc: Any, head: Any, cue: int | None = None) -> Range | None:
    """The speaker noun phrase as PolNeAR marks it: the subject's subtree less a
    dateline before a dash ("RENO, Nev. (AP) — Donald Trump" -> "Donald Trump"), a
    parenthesis after the head ("ISIS (a terrorist organization ...)" -> "ISIS") and a
    relative clause that holds the cue itself ("Barkley, who said" -> "Barkley"); other
    relative clauses and participles stay ("Chris Cox, who runs the NRA's lobbying arm,")."""
    start, end = subtree_range(head)
    for t in doc[start : head.i]:
        if t.text in DASHES:
            start = t.i + 1
    while start < head.i and doc[start].dep_ in {"advmod", "cc", "preconj"}:
        start += 1
    conj_at = max((c.i for c in head.children if c.dep_ == "conj"), default=-1)
    for t in doc[head.i + 1 : end]:
        if t.dep_ == "relcl" and cue is not None and t.left_edge.i <= cue < t.right_edge.i + 1:
            end = t.left_edge.i
            break
        if t.text in "([" and t.i > conj_at:
            end = t.i
            break
    if cue is not None and start <= cue < end:
        end = cue  # never the cue itself
    return trim(doc, start, end)


def in_ranges(pos: int, ranges: list[Range]) -> bool:
    return any(a <= pos < b for a, b in ranges)


def speaker_type_of(doc: Any, head: Any) -> SpeakerType:
    """'unnamed' for "sources", "officials", "Iranian sources"; else 'actor'."""
    if head.lemma_.lower() in C.UNNAMED_HEADS and head.pos_ != "PROPN":
        start, end = subtree_range(head)
        named = [t for t in doc[start:end] if t.pos_ == "PROPN" and t.ent_type_ not in {"NORP", ""}]
        if not named:
            return "unnamed"
    return "actor"


def subject_of(verb: Any) -> Any | None:
    """The verb's subject, inherited through conjunction, xcomp and participles."""
    seen = 0
    tok = verb
    while tok is not None and seen < 4:
        for child in tok.children:
            if child.dep_ in SUBJ_DEPS:
                return child
        if tok.dep_ == "pcomp" and tok.head.dep_ == "prep" and tok.head.head.pos_ in {"VERB", "AUX"}:
            tok = tok.head.head  # "ended the speech by thanking the crowd": the speaker ended it
            seen += 1
            continue
        if tok.dep_ in {"conj", "xcomp", "advcl", "acl"} and tok.head is not tok:
            if tok.dep_ == "acl" and tok.head.pos_ in {"NOUN", "PROPN", "PRON"}:
                return tok.head
            tok = tok.head
            seen += 1
            continue
        break
    # agent of a passive ("was quoted by X") is not a source here; subjects only
    return None


def cue_range(doc: Any, verb: Any) -> tuple[int, int]:
    """Token range of the cue: the verb with its auxiliaries, negation and particle."""
    start, end = verb.i, verb.i + 1
    left = {c.i for c in verb.children if c.dep_ in CUE_AUX or c.dep_ == "advmod"}
    while start - 1 in left:
        start -= 1
    while start < verb.i and doc[start].dep_ == "advmod":
        start += 1  # auxiliaries and negation, not a leading adverb
    for child in verb.children:
        if child.dep_ == "prt" and child.i == end:
            end = child.i + 1
    if verb.lemma_ == "quote":
        for child in verb.children:
            if child.dep_ in {"advcl", "xcomp", "prep"} and child.i > verb.i:
                last = max(child.i, *(c.i for c in child.children if c.lemma_ == "say"), 0)
                end = max(end, last + 1)
    return start, end


def hedge_of(doc: Any, cue_lemma: str, lo: int, hi: int, cue_text: str) -> str | None:
    if cue_lemma in C.HEDGE_CUES:
        return cue_text
    for t in doc[lo:hi]:
        low = t.lower_
        if low in C.HEDGE_WORDS and (t.pos_ in {"ADV", "AUX", "ADJ"} or t.tag_ == "MD"):
            return low
    return None


def perpetration(verb: Any) -> bool:
    """A verb of doing the act: "orchestrated", "carried out" (not "carried": "pagers
    carried by Hezbollah members" names who held them, not who set them off)."""
    if verb.lemma_ not in C.PERPETRATION:
        return False
    return verb.lemma_ != "carry" or any(c.dep_ == "prt" and c.lower_ == "out" for c in verb.children)


def perpetrator_span(doc: Any, content_tok: Any) -> Range | None:
    """Blamed party inside a content clause: agent of a passive or subject of a blame verb."""
    from rashomon.extract.claims.agency import _other_event

    for tok in content_tok.subtree:
        if tok.pos_ == "VERB" and perpetration(tok) and _other_event(tok):
            continue  # "Kobani, where Turkish forces have carried out operations": another act
        if tok.dep_ == "agent" and perpetration(tok.head):
            for child in tok.children:
                if child.dep_ == "pobj":
                    return np_range(doc, child)
        if perpetration(tok) and tok.pos_ == "VERB":
            for child in tok.children:
                if child.dep_ == "nsubj" and child.lemma_.lower() not in EVENT_NOUNS and child.lower_ not in {"which", "that"}:
                    return np_range(doc, child)  # not "the blast killed ...": no agent
        if tok.lemma_ in {"behind", "responsible"} and tok.head.lemma_ == "be":
            for child in tok.head.children:
                if child.dep_ == "nsubj":
                    return np_range(doc, child)
    return None


def cue_kind(lemma: str, has_content_clause: bool) -> ClaimKind:
    if lemma in C.DENIAL:
        return "denial"
    if lemma in C.ACCUSATION:
        return "accusation"
    if lemma in C.BELIEF or lemma in C.HEDGE_CUES:
        return "assessment"
    return "statement"


#: Prepositions whose object is the content of a cue verb right before them ("pushed
#: for X", "argued against X"); ``wide`` adds those of "referred to X", "warned of X",
#: "lashed out at X", "sided with X" (for lexicon cues only: with any verb they are places
#: and companions, "went to Ohio").
CONTENT_PREPS = frozenset({"for", "against", "about", "on"})
WIDE_PREPS = CONTENT_PREPS | {"of", "to", "at", "with", "over"}
#: Verbs of saying whose "to"/"at"/"with" phrase is the addressee or the medium.
PLAIN_SPEECH = frozenset({"say", "write", "add", "show", "tell", "post", "tweet", "speak", "explain"})


def content_of(doc: Any, verb: Any, wide: bool = False) -> tuple[tuple[int, int] | None, Any | None]:
    """Token range of a cue verb's content and the token heading it."""
    lemma = verb.lemma_
    clause = [c for c in verb.children if c.dep_ in CONTENT_DEPS]
    objs = [c for c in verb.children if c.dep_ in OBJ_DEPS]
    if lemma in C.RESPONSIBILITY_VERBS:
        for o in objs:
            if o.lemma_ in C.RESPONSIBILITY_NOUNS:
                return subtree_range(o), o
    if clause:
        marked = [c for c in clause if any(g.dep_ == "mark" for g in c.children)]
        after = [c for c in clause if c.i > verb.i]
        c = (marked or after or clause)[0]
        if c.dep_ == "xcomp" and objs and objs[0].i < c.i:
            # "urged him to resign", "asked a woman to smile"
            return (subtree_range(objs[0])[0], subtree_range(c)[1]), c
        if c.dep_ == "xcomp" and verb.tag_ == "VBN":
            # "Osman is believed to have been on the flight"
            subj = [s for s in verb.children if s.dep_ == "nsubjpass"]
            if subj:
                return (subtree_range(subj[0])[0], subtree_range(c)[1]), c
        if c.dep_ == "xcomp" and not (
            lemma in C.INTENTION or lemma in C.BELIEF or lemma in C.SPEECH or lemma in C.DENIAL
        ):  # "denied carrying out the strike" is a denial of the act
            return None, None
        return subtree_range(c), c
    for c in verb.children:  # "asked the contender if he had prepared"
        if (
            c.dep_ == "advcl"
            and c.i > verb.i
            and any(g.dep_ == "mark" and g.lower_ in {"if", "whether"} for g in c.children)
        ):
            return subtree_range(c), c
    if objs:
        o = objs[0]
        lo, hi = subtree_range(o)
        # "accused Y of Z", "blamed Y for Z", "called X a Y", "held Y responsible"
        for c in verb.children:
            if c.i > o.i and (
                (c.dep_ == "prep" and c.lower_ in {"of", "for", "over"}) or c.dep_ in {"oprd"}
            ):
                hi = max(hi, subtree_range(c)[1])
        return (lo, hi), o
    for c in verb.children:  # "calling for the US to step up"
        if (
            c.dep_ == "advcl"
            and c.i > verb.i
            and any(
                g.dep_ == "mark" and g.lower_ == "for" and g.i == verb.i + 1 for g in c.children
            )
        ):
            return (verb.i + 2, subtree_range(c)[1]), c
    preps = WIDE_PREPS if wide else CONTENT_PREPS
    after = verb.i + 1
    particle = wide and after < len(doc) and doc[after].dep_ == "prt" and doc[after].head == verb
    if particle:
        after += 1  # "weighed in on X", "lashed out at X"
    for c in verb.children:  # "pushed for X", "argued against X"
        if c.dep_ == "prep" and c.i == after and c.lower_ in preps:
            pobj = [g for g in c.children if g.dep_ in {"pobj", "pcomp"}]
            if pobj and (
                (c.lower_ not in CONTENT_PREPS and verb.lemma_ in PLAIN_SPEECH)
                or (particle and c.lower_ == "with")  # "pressed on with the offensive": going on, not saying
                or pobj[0].ent_type_ in {"DATE", "TIME", "GPE", "LOC", "FAC"}
            ):
                continue  # "said on Saturday", "wrote to her", "writing at Mediaite"
            if pobj:
                return subtree_range(pobj[0]), pobj[0]
    as_clause = verb.dep_ == "advcl" and any(
        c.dep_ == "mark" and c.lower_ == "as" for c in verb.children
    )
    if (verb.dep_ in {"parataxis", "ccomp"} or as_clause) and verb.head.pos_ in {"VERB", "AUX"}:
        # inverted: "The plan, he said, will fail."
        head = verb.head
        skip = {t.i for t in verb.subtree}
        lo, hi = subtree_range(head, skip)
        if as_clause and verb.i < head.i:
            # "As Arouri mentioned in a speech, death ... fail": the clause after the comma
            comma = next((t.i for t in doc[verb.i : head.i] if t.text == ","), None)
            if comma is not None:
                lo = comma + 1
        return (lo, hi), head
    return None, None


def drop_appended_relcl(doc: Any, head: Any, rng: tuple[int, int]) -> tuple[int, int]:
    """Cut a trailing non-restrictive relative clause (", which ...") off a content range."""
    lo, hi = rng
    for t in doc[lo:hi]:
        if t.dep_ in C.ASIDE_DEPS and t.i > head.i:
            r_lo, r_hi = subtree_range(t)
            # the clause runs to the end of the content, or to its closing punctuation
            at_end = r_hi == hi or all(u.is_punct or u.is_space for u in doc[r_hi:hi])
            if at_end and r_lo > lo + 1 and doc[r_lo - 1].text == ",":
                return lo, r_lo - 1
    return lo, hi


def extend_tail(doc: Any, verb: Any, rng: tuple[int, int]) -> tuple[int, int]:
    """Content after its cue runs on to the end of the cue's clause.

    PolNeAR contents keep the trailing modifiers the parser hangs on the cue verb ("she
    said the deal was ''a betrayal'' in the way the US responds"), so extend to the end
    of the verb's subtree unless another cue or an "according to" sits in the tail.
    """
    lo, hi = rng
    if lo <= verb.i:
        return rng
    end = subtree_range(verb)[1]
    end = min(end, verb.sent.end)
    if end <= hi:
        return rng
    verbs = C.verb_cues()
    comma = next((t.i for t in doc[hi:end] if t.text in {",", ";", "—", "–"}), None)
    if comma is not None:
        end = comma  # ", an oil-and-gas extraction method ..." is an aside, not content
    # "endorsed Trump last week and has appeared at ...": the verb's own conjunct is not content
    conj = min((c.i for c in verb.children if c.dep_ in {"cc", "conj"} and hi <= c.i < end), default=None)
    if conj is not None:
        end = conj
    # "opposed it as he positioned himself": a subordinate clause of the verb is no content
    sub = min((c.left_edge.i for c in verb.children if c.dep_ == "advcl" and hi <= c.left_edge.i < end
               and any(g.dep_ == "mark" for g in c.children)), default=None)
    if sub is not None:
        end = sub
    # "thanked the volunteers on Tuesday", "praised the plan in a radio interview": when and in
    # what medium the cue happened is not what was said
    stop = min((c.left_edge.i for c in verb.children if hi <= c.left_edge.i < end and _setting(c)), default=None)
    if stop is not None:
        end = stop
    for t in doc[hi:end]:
        if t.lower_ == "according" or (t.pos_ == "VERB" and t.lemma_ in verbs) or t.text in '“"':
            return rng
    return lo, end


def _setting(c: Any) -> bool:
    """A time ("on Tuesday", "last week") or medium ("in a tweet") modifier of a cue verb."""
    if c.dep_ == "npadvmod" and c.ent_type_ in {"DATE", "TIME"}:
        return True
    if c.dep_ != "prep":
        return False
    pobj = next((g for g in c.children if g.dep_ == "pobj"), None)
    if pobj is None:
        return False
    if pobj.ent_type_ in {"DATE", "TIME"}:
        return True
    return pobj.lemma_.lower() in C.MEDIUM_NOUNS

