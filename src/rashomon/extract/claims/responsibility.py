"""Responsibility: claims, acknowledgements, denials and their absence.

Two steps, both rule-based (``rule`` names below):

``find`` (a pass, after the verb pass) adds what no cue verb introduces:

- ``responsibility.no_role``: article-voice denial by negated involvement, "X had no
  role in the attack", "X was not involved", "X was not behind the blast";
- ``responsibility.absence``: "No group has claimed responsibility", "There was no
  immediate claim of responsibility": an explicit absence of a claim, kind
  ``"absence"`` in the article's voice (never a responsibility claim by "no group").

``refine`` (after all passes) reads what a speech claim says about its own speaker:

- ``responsibility.said_it_did``: "the group said it carried out the attack", "the
  military said it struck a compound" -> a responsibility claim by the speaker;
- ``responsibility.said_no_role``: "Hezbollah said it had no role", "said it was not
  involved" -> a denial by the speaker;
- ``responsibility.absence``: the verb pass's "No group has claimed responsibility"
  (subject "no group", "no one", "nobody") -> an absence, not a claim;
- ``responsibility.claimed_attack``: "the group claimed the attack" (claim + an attack
  noun as object) -> a responsibility claim;
- ``responsibility.said_by``: "Israel said the rocket was fired by Hezbollah" (a speech
  cue, not a belief) -> an accusation (Israel blames Hezbollah). Belief cues ("the US
  believes ... carried out by ISIS") stay assessments: an attribution with its hedge.
"""

from __future__ import annotations

from typing import Any

from rashomon.extract import cues as C
from rashomon.extract.claims import agency
from rashomon.extract.claims.found import Found, Range
from rashomon.extract.claims.syntax import (
    np_range,
    perpetrator_span,
    speaker_type_of,
    subtree_range,
    trim,
)

#: Nouns of involvement in "had no role / hand / part / link in".
INVOLVEMENT_NOUNS = C.INVOLVEMENT_NOUNS
#: Predicates whose negation denies involvement: "was not involved", "not responsible".
INVOLVED_PREDICATES = frozenset(["involve", "responsible", "behind", "implicate"])
#: Verbs an agent uses of its own act ("said it struck"): acknowledgement of the act.
OWN_ACT = C.PERPETRATION | frozenset(["strike", "hit", "fire", "conduct", "carry", "target", "raid", "shell", "bomb", "aim"])
#: Verbs that acknowledge an act only with an attack noun as object ("carried out the
#: strike", not "conducted an investigation").
LIGHT_ACT = frozenset(["carry", "conduct", "launch", "execute", "stage", "commit", "aim"])
ATTACK_NOUNS = frozenset(
    ["attack", "strike", "airstrike", "raid", "operation", "bombing", "assault", "blast", "explosion", "shelling", "rescue", "mission", "offensive"]
)
#: Subjects that refer back to the speaker inside its own statement.
SELF_WORDS = frozenset(["it", "we", "they", "its", "our", "their", "itself", "ourselves"])
#: Bodies a spokesman names as "the ...": "the military spokesman said the military fired".
BODY_WORDS = frozenset(["military", "army", "force", "forces", "navy", "group", "movement", "organization",
                        "organisation", "militia", "ministry", "police"])
#: Words of a subject that claims nothing: "no group", "no one", "nobody".
NOBODY = frozenset(["nobody", "none", "noone"])


def _negated(tok: Any) -> bool:
    if any(c.dep_ == "neg" for c in tok.children):
        return True
    return any(c.dep_ == "neg" for c in tok.head.children) and tok.dep_ in {"acomp", "attr", "prep"}


def _no_role(tok: Any) -> Any | None:
    """The verb of a negated-involvement clause headed at ``tok`` ("had no role", "was
    not involved", "was not behind"), else None."""
    if tok.lemma_ == "have":
        for o in tok.children:
            if o.dep_ not in {"dobj", "obj"}:
                continue
            no = any(d.lower_ in {"no", "nothing"} for d in o.children if d.dep_ == "det")
            if o.lemma_.lower() in INVOLVEMENT_NOUNS and (_negated(tok) or no):
                return tok
            if o.lower_ == "nothing" and any(p.lower_ == "with" for p in o.subtree):
                return tok  # "had nothing to do with"
    if tok.lemma_ in {"involve", "implicate"} and tok.tag_ == "VBN" and _negated(tok):
        return tok
    if tok.lemma_ == "be" and _negated(tok):
        for c in tok.children:
            if c.lemma_.lower() in {"responsible", "behind", "involved"} and c.dep_ in {"acomp", "prep", "attr"}:
                return tok
    return None


def _subject(tok: Any) -> Any | None:
    return next((c for c in tok.children if c.dep_ in {"nsubj", "nsubjpass"}), None)


def _nobody(subj: Any) -> bool:
    if subj.lower_ in NOBODY or (subj.lower_ in {"one"} and any(d.lower_ == "no" for d in subj.children)):
        return True
    return any(d.dep_ == "det" and d.lower_ == "no" for d in subj.children)


def _absence(doc: Any, tok: Any) -> Found | None:
    """'No group has claimed responsibility', 'there was no claim of responsibility'."""
    cue: Range | None = None
    if tok.lemma_ in C.RESPONSIBILITY_VERBS and tok.pos_ in {"VERB", "AUX"}:
        subj = _subject(tok)
        has_obj = any(c.lemma_ in C.RESPONSIBILITY_NOUNS for c in tok.children)
        if subj is None or not has_obj or not _nobody(subj):
            return None
        cue = trim(doc, subj.i, tok.i + 1)
    elif tok.lemma_ == "claim" and tok.pos_ == "NOUN" and any(d.lower_ == "no" for d in tok.children):
        if not any(c.lemma_ == "responsibility" for c in tok.subtree):
            return None
        cue = trim(doc, tok.i - 1, tok.i + 1)
    else:
        return None
    content = trim(doc, tok.sent.start, tok.sent.end)
    if content is None:
        return None
    return Found(cue=cue, cue_text="no claim", content=content, rule="responsibility.absence",
                 kind="absence", speaker_type="article", cue_tokens={tok.i})


#: Verbs that make a claim noun their subject's: "IS issued a claim of responsibility".
CLAIM_LIGHT = frozenset(["issue", "make", "post", "publish", "release", "send", "put"])


def _claim_noun(doc: Any, tok: Any) -> Found | None:
    """'The Islamic State issued a claim of responsibility', 'the group's claim of
    responsibility for the attack': a responsibility claim by the possessor or by the
    subject of the verb that issues it (not "no claim of responsibility": an absence)."""
    if tok.lemma_ != "claim" or tok.pos_ != "NOUN" or any(d.lower_ in {"no", "any"} for d in tok.children):
        return None
    if not any(c.dep_ == "prep" and c.lower_ == "of" and any(g.lemma_ in C.RESPONSIBILITY_NOUNS for g in c.children)
               for c in tok.children):
        return None
    owner = next((c for c in tok.children if c.dep_ == "poss" and c.pos_ in {"PROPN", "NOUN"}), None)
    verb = tok.head if tok.dep_ in {"dobj", "obj"} else None
    if owner is None and verb is not None and verb.lemma_ in CLAIM_LIGHT and not _negated(verb):
        owner = _subject(verb)
    if owner is None or owner.pos_ == "PRON" or _nobody(owner):
        return None
    lo, hi = subtree_range(tok)
    content = trim(doc, max(lo, tok.sent.start), min(hi, tok.sent.end))
    if content is None:
        return None
    return Found(cue=trim(doc, tok.i, tok.i + 1), cue_text="claim", content=content, rule="responsibility.claim_noun",
                 kind="responsibility_claim", source=np_range(doc, owner), cue_tokens={tok.i})


def _held_responsible(doc: Any, tok: Any) -> Found | None:
    """'X held Israel (fully) responsible for ...' -> X accuses Israel."""
    if tok.lemma_ != "hold" or tok.pos_ != "VERB":
        return None
    if not any(c.lemma_.lower() == "responsible" for c in tok.subtree if c.head.i == tok.i or c.head.head.i == tok.i):
        return None
    obj = next((c for c in tok.children if c.dep_ in {"dobj", "obj"}), None)
    subj = _subject(tok)
    if obj is None:
        return None
    if subj is None and tok.dep_ == "conj":
        subj = _subject(tok.head)
    lo, hi = subtree_range(tok)
    content = trim(doc, max(lo, tok.i + 1), min(hi, tok.sent.end))
    if content is None:
        return None
    return Found(cue=trim(doc, tok.i, tok.i + 1), cue_text="hold", content=content,
                 rule="responsibility.held_responsible", kind="accusation",
                 source=np_range(doc, subj) if subj is not None else None,
                 speaker_type="actor" if subj is not None else "article",
                 target=np_range(doc, obj), cue_tokens={tok.i})


#: Verbs of blame whose passive names the blamed as subject: "Hamas was blamed for the
#: bombing", "Israel was implicated by Lebanese officials", "X is suspected of carrying out".
PASSIVE_BLAME = frozenset(["blame", "accuse", "implicate", "suspect", "fault"])
#: What one is blamed for or accused of when it is the act: an attack, a death, an
#: involvement ("accused of leniency towards the group" is no blame for an attack).
ACT_OBJECTS = ATTACK_NOUNS | agency.ATTACK_NOUNS | frozenset([
    "launch", "firing", "ambush", "kidnapping", "abduction", "hijacking", "downing", "sabotage",
    "death", "killing", "incident", "tragedy", "massacre", "involvement", "responsibility", "role",
    "complicity", "crime", "act", "violence", "fire", "blaze", "shooting", "rocket", "missile",
    "drone", "bomb", "link", "links", "hand", "part", "murder", "genocide", "terrorism", "aggression",
    "atrocity", "assassination", "war", "casualty", "carnage", "bloodshed", "slaughter", "terror",
])


def blames_for_act(doc: Any, verb: Any) -> bool:
    """Whether an accusation verb blames for an act: not "accusing it of leniency towards
    the group" (an "of"/"for" object that is no act, death or involvement)."""
    for c in verb.children:
        objs = [g for g in c.children if g.dep_ in {"pobj", "pcomp"}]
        if c.dep_ == "prep" and c.lower_ in {"of", "for"} and objs and not _act_object(c) and all(g.pos_ == "NOUN" for g in objs):
            return False
    return True


#: Heads that make a passive subject a person ("a Felton man is accused of shooting").
PERSON_NOUNS = frozenset([
    "man", "woman", "boy", "girl", "daughter", "son", "father", "mother", "husband", "wife",
    "suspect", "teen", "teenager", "officer", "driver", "friend", "student", "resident", "attorney",
    "brother", "sister", "child", "person", "people", "individual", "gunman", "shooter",
])


def _act_object(prep: Any) -> bool:
    """'for the bombing', 'of carrying out the attack', 'of involvement', 'in the blasts'."""
    for g in prep.children:
        if g.dep_ == "pcomp" and g.pos_ in {"VERB", "AUX"}:
            return True  # "of supplying weapons", "of being behind"
        if g.dep_ == "pobj" and g.lemma_.lower() in ACT_OBJECTS:
            return True
    return False


def _passive_blame(doc: Any, tok: Any) -> Found | None:
    """'X was blamed for the attack (by Y)', 'the attack was blamed on X', 'with Israel
    being implicated by Lebanese officials', 'X is accused / suspected of carrying out':
    an accusation of the passive subject (or of the "on" object), by the agent where one
    is named, else by an unnamed source."""
    low = tok.lemma_.lower()
    if low not in PASSIVE_BLAME or tok.pos_ != "VERB" or tok.tag_ != "VBN" or _negated(tok):
        return None
    subj = next((c for c in tok.children if c.dep_ == "nsubjpass"), None)
    if subj is None:
        return None
    preps = [c for c in tok.children if c.dep_ == "prep"]
    on = next((g for c in preps if c.lower_ == "on" for g in c.children if g.dep_ == "pobj"), None)
    if low == "blame" and on is not None:
        target = on  # "the attack was blamed on the Islamic State"
    elif subj.lemma_.lower() in ACT_OBJECTS or subj.pos_ == "PRON":
        return None  # "it was blamed", "the attack was blamed" with no one named
    elif low == "implicate" or any(c.lower_ in {"for", "of", "in"} and _act_object(c) for c in preps):
        target = subj
    else:
        return None
    if any(t.ent_type_ == "PERSON" or t.lemma_.lower() in PERSON_NOUNS for t in target.subtree):
        return None  # "Derrick X and Norris Y Jr. are accused of shooting": people, not parties
    agent = next((g for c in tok.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"), None)
    if agent is None:  # "blamed for the bombing by Israeli officials": "by" hung on the act
        agent = next((g for c in preps if c.lower_ in {"for", "of"} for o in c.children if o.dep_ == "pobj"
                      for b in o.children if b.dep_ == "prep" and b.lower_ == "by"
                      for g in b.children if g.dep_ == "pobj" and (g.pos_ == "PROPN" or g.lemma_.lower() in C.UNNAMED_HEADS)), None)
    lo, hi = subtree_range(tok)
    content = trim(doc, max(lo, tok.sent.start), min(hi, tok.sent.end))
    if content is None:
        return None
    return Found(cue=trim(doc, tok.i, tok.i + 1), cue_text=low, content=content, rule="responsibility.passive_blame",
                 kind="accusation", source=np_range(doc, agent) if agent is not None else None,
                 speaker_type=speaker_type_of(doc, agent) if agent is not None else "unnamed",
                 target=np_range(doc, target), hedge=tok.text if low == "suspect" else None, cue_tokens={tok.i})


#: Verbs of distancing: "distanced the group from the bombing".
DISTANCE = frozenset(["distance", "dissociate", "disassociate"])


def _denial_clause(doc: Any, tok: Any) -> Found | None:
    """Denials the verb pass leaves: in a subordinate clause ("While Russia has denied
    targeting civilians, ..."), in the passive ("Responsibility ... was denied by the
    TTP", source: the agent), and distancing ("X distanced the group from the bombing")."""
    if tok.pos_ != "VERB" or _negated(tok):
        return None
    low = tok.lemma_.lower()
    passive = any(c.dep_ in {"nsubjpass", "auxpass"} for c in tok.children)
    if low in C.DENIAL and passive:
        agent = next((g for c in tok.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"), None)
        obj = next((c for c in tok.children if c.dep_ == "nsubjpass"), None)
        if agent is None or obj is None or obj.lemma_.lower() not in C.RESPONSIBILITY_NOUNS | C.INVOLVEMENT_NOUNS:
            return None
        content = trim(doc, obj.left_edge.i, obj.right_edge.i + 1)
        return None if content is None else Found(
            cue=trim(doc, tok.i, tok.i + 1), cue_text="deny", content=content, rule="responsibility.denied_passive",
            kind="denial", source=np_range(doc, agent), cue_tokens={tok.i})
    subj = _subject(tok)
    if subj is None or subj.pos_ == "PRON" or _nobody(subj):
        return None
    if low in C.DENIAL and tok.dep_ == "advcl":
        comp = next((c for c in tok.children if c.dep_ in {"xcomp", "dobj", "ccomp", "obj"}), None)
        if comp is None:
            return None
        content = trim(doc, comp.left_edge.i, comp.right_edge.i + 1)
        return None if content is None else Found(
            cue=trim(doc, tok.i, tok.i + 1), cue_text="deny", content=content, rule="responsibility.deny_clause",
            kind="denial", source=np_range(doc, subj), cue_tokens={tok.i})
    if low in DISTANCE:
        prep = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ == "from"), None)
        pobj = next((g for g in prep.children if g.dep_ == "pobj"), None) if prep is not None else None
        if pobj is None or pobj.lemma_.lower() not in ATTACK_NOUNS:
            return None
        content = trim(doc, pobj.left_edge.i, pobj.right_edge.i + 1)
        return None if content is None else Found(
            cue=trim(doc, tok.i, tok.i + 1), cue_text="deny", content=content, rule="responsibility.distanced",
            kind="denial", source=np_range(doc, subj), cue_tokens={tok.i})
    return None


#: "identified Hezbollah as the perpetrator", "named the group as responsible".
IDENTIFY = frozenset(["identify", "name", "designate", "single"])
CULPRIT = frozenset(["perpetrator", "culprit", "attacker", "responsible", "mastermind", "organizer", "organiser"])


def _identified_as(doc: Any, tok: Any) -> Found | None:
    if tok.lemma_.lower() not in IDENTIFY or tok.pos_ != "VERB" or _negated(tok):
        return None
    obj = next((c for c in tok.children if c.dep_ in {"dobj", "obj"}), None)
    prep = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ == "as"), None)
    if obj is None or prep is None:
        return None
    if not any(g.lemma_.lower() in CULPRIT for g in prep.subtree):
        return None
    subj = _subject(tok)
    lo, hi = subtree_range(tok)
    content = trim(doc, max(lo, tok.i + 1), min(hi, tok.sent.end))
    if content is None:
        return None
    return Found(cue=trim(doc, tok.i, tok.i + 1), cue_text="identify", content=content,
                 rule="responsibility.identified_as", kind="accusation",
                 source=np_range(doc, subj) if subj is not None else None,
                 speaker_type="actor" if subj is not None else "article",
                 target=np_range(doc, obj), cue_tokens={tok.i})


#: Lemmas some rule of ``find`` starts from; every other token is skipped unread (the
#: rules below return nothing for them), which keeps the pass cheap on long articles.
_FIND_LEMMAS = C.DENIAL | DISTANCE | IDENTIFY | PASSIVE_BLAME | C.RESPONSIBILITY_VERBS | frozenset(
    ["claim", "hold", "have", "involve", "implicate", "be"])


def find(doc: Any, quotes: list[Range], taken: frozenset[int]) -> list[Found]:
    found: list[Found] = []
    for tok in doc:
        if tok.lemma_ not in _FIND_LEMMAS and tok.lemma_.lower() not in _FIND_LEMMAS:
            continue
        if tok.i in taken or any(a <= tok.idx < b for a, b in quotes):
            continue
        extra = _denial_clause(doc, tok) or _identified_as(doc, tok) or _passive_blame(doc, tok)
        if extra is not None:
            found.append(extra)
            continue
        absent = _absence(doc, tok) or _claim_noun(doc, tok)
        if absent is not None:
            found.append(absent)
            continue
        held = _held_responsible(doc, tok)
        if held is not None:
            found.append(held)
            continue
        if tok.dep_ not in {"ROOT", "conj"} or _no_role(tok) is None:
            continue
        subj = _subject(tok)
        if subj is None or subj.pos_ == "PRON" or _nobody(subj):
            continue
        lo, hi = subtree_range(tok)
        content = trim(doc, max(lo, tok.sent.start), min(hi, tok.sent.end))
        source = np_range(doc, subj)
        if content is None or source is None:
            continue
        found.append(Found(cue=trim(doc, tok.i, tok.i + 1), cue_text="no role", content=content,
                           rule="responsibility.no_role", kind="denial", source=source,
                           cue_tokens={tok.i}))
    return found


def _cue_root(doc: Any, f: Found) -> Any | None:
    if f.cue is None:
        return None
    span = doc.char_span(f.cue[0], f.cue[1], alignment_mode="expand")
    return span.root if span is not None and len(span) else None


def _content_root(doc: Any, f: Found) -> Any | None:
    span = doc.char_span(f.content[0], f.content[1], alignment_mode="expand")
    if span is None or not len(span):
        return None
    return span.root


def _refers_to_speaker(doc: Any, subj: Any, f: Found) -> bool:
    """'it', 'we', 'its forces', 'the group', or the speaker's own words again."""
    from rashomon.extract.claims.agency import self_reference

    if subj.lower_ in SELF_WORDS or self_reference(subj):
        return True
    if any(c.dep_ == "poss" and c.lower_ in SELF_WORDS for c in subj.children):
        return True  # "its forces", "our troops"
    if f.source is not None:
        said = doc.text[f.source[0] : f.source[1]].lower().replace("’", "'").split()
        if subj.pos_ == "NOUN" and subj.lemma_.lower() in BODY_WORDS and any(d.lower_ == "the" for d in subj.children):
            return subj.lower_ in said  # "the chief military spokesman said the military fired"
        return bool(said) and subj.lower_ in said and subj.pos_ == "PROPN"
    return False


def _named_source(doc: Any, f: Found) -> bool:
    if f.source is None:
        return False
    sp = doc.char_span(f.source[0], f.source[1], alignment_mode="expand")
    return sp is not None and any(t.pos_ == "PROPN" for t in sp)


def refine(doc: Any, found: list[Found]) -> None:
    """Reclassify claims by what they say about their speaker (see the module doc)."""
    for f in found:
        if f.kind == "assessment" and f.cue_text == "suspect" and f.target is None and f.cue is not None:
            verb = _cue_root(doc, f)
            obj = next((c for c in verb.children if c.dep_ in {"dobj", "obj"}), None) if verb is not None else None
            if verb is not None and obj is not None and obj.pos_ != "PRON":
                ofs = [c for c in (*verb.children, *obj.children) if c.dep_ == "prep" and c.lower_ == "of" and c.i > obj.i]
                if any(_act_object(c) for c in ofs):  # "officials suspect ISIS-K of responsibility"
                    f.kind, f.target, f.rule = "accusation", np_range(doc, obj), "responsibility.suspected_of"
                    continue
        if f.kind == "accusation" and f.target is None and f.cue is not None:
            # "a drone attack killed 17; Ukraine blamed Russia": the accused is the object
            span = doc.char_span(f.cue[0], f.cue[1], alignment_mode="expand")
            verb = span.root if span is not None and len(span) else None
            obj = next((c for c in verb.children if c.dep_ in {"dobj", "obj"}), None) if verb is not None else None
            if obj is not None and obj.pos_ in {"PROPN", "NOUN"}:
                f.target = np_range(doc, obj)
                f.rule = f"{f.rule}+object_target"
        if f.kind == "responsibility_claim" and f.cue is not None:
            span = doc.char_span(f.cue[0], f.cue[1], alignment_mode="expand")
            verb = span.root if span is not None and len(span) else None
            subj = _subject(verb) if verb is not None else None
            if subj is not None and _nobody(subj):
                f.kind, f.speaker_type, f.source = "absence", "article", None
                f.cue_text, f.rule = "no claim", "responsibility.absence"
            continue
        if f.kind not in {"statement", "assessment"} or f.speaker_type == "article" or f.source is None:
            continue
        if f.cue_text not in C.SPEECH and f.cue_text != "according to":
            continue
        root = _content_root(doc, f)
        if root is None:
            continue
        if f.cue_text == "claim" and root.lemma_.lower() in ATTACK_NOUNS and root.dep_ in {"dobj", "obj"}:
            f.kind, f.rule = "responsibility_claim", "responsibility.claimed_attack"  # "IS claimed the attack"
            continue
        clause = [root, *(c for c in root.children if c.dep_ == "conj" and c.pos_ in {"VERB", "AUX"})]
        for verb in clause:
            subj = _subject(verb) or (_subject(root) if verb is not root else None)
            if subj is None:
                continue
            if _no_role(verb) is not None and _refers_to_speaker(doc, subj, f):
                f.kind, f.rule = "denial", "responsibility.said_no_role"
                break
            if verb.lemma_ in C.DENIAL and not _negated(verb) and _refers_to_speaker(doc, subj, f):
                f.kind, f.rule = "denial", "responsibility.said_denies"  # "said the group denies carrying out"
                break
            if _no_role(verb) is not None and subj.pos_ == "PROPN" and not _named_source(doc, f):
                # "Hezbollah was not involved, the group said": the denier is the subject
                f.kind, f.rule, f.source = "denial", "responsibility.said_no_role", np_range(doc, subj)
                break
            if (
                verb.lemma_ in OWN_ACT
                and verb.pos_ == "VERB"
                and subj.dep_ == "nsubj"
                and not any(c.dep_ == "neg" for c in verb.children)
                and _refers_to_speaker(doc, subj, f)
                and (
                    verb.lemma_ not in LIGHT_ACT
                    or any(o.dep_ in {"dobj", "obj"} and o.lemma_.lower() in ATTACK_NOUNS for o in verb.children)
                )
            ):
                f.kind, f.rule = "responsibility_claim", "responsibility.said_it_did"
                break
        else:
            if f.target is None and any(t.dep_ == "agent" for t in root.subtree):
                f.target = perpetrator_span(doc, root)  # "according to X, ... carried out by Y"
            if f.target is not None and f.kind == "statement":
                f.kind, f.rule = "accusation", "responsibility.said_by"
