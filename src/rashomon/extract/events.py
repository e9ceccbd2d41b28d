"""Event mentions: find what happened, sentence by sentence, then merge within the article.

Algorithm ``rashomon.extract.events.v1``:

1. Triggers: tokens whose lemma is in ``lexicon.TRIGGERS`` (with part-of-speech and
   context guards) start a candidate event, typed with ACLED event/sub-event types; cues
   in the sentence ("suicide", "drone", "planted") refine the sub-event type.
2. Arguments from the same sentence: the place and date mentions nearest the trigger,
   the actor mentions in the trigger's subject (perpetrators) and object / "of" phrase
   (victims), casualty counts (quantities next to "killed", "dead", "injured"...), and the
   method ("two suicide bombers" -> suicide bombing).
3. Follow-up sentences that report casualties or a method without a trigger of their own
   ("As a result, about 100 people were killed") attach to the event of the sentence
   before (or the one before that).
4. Merge within the article: candidates of the same family whose places, dates and named
   victims do not conflict, and that share a place, date or victim (or follow each other
   within two sentences), are one event mention.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from rashomon.annotate.quantities import VAGUE
from rashomon.extract import lexicon as lx
from rashomon.extract.casualties import (
    Casualty,
    find_casualties,
    other_event_clause,
    reference_year,
    select,
)
from rashomon.model import Article, EventMention, Mention, Span

VERSION = "rashomon.extract.events.v1"
TARGETED = frozenset({"assassination", "killing"})
_METHOD_RES = [(re.compile(p, re.I), v) for p, v in lx.METHODS]


@dataclass(slots=True)
class Candidate:
    sent_i: int
    para: int
    trigger: Any  # spaCy Token
    event_type: str
    sub_event_type: str
    kind: str
    specific: bool = False
    places: list[Mention] = field(default_factory=list)
    dates: list[Mention] = field(default_factory=list)
    perpetrators: list[str] = field(default_factory=list)
    victims: list[str] = field(default_factory=list)
    counts: list[Casualty] = field(default_factory=list)  # killed / injured counts, in text order
    other: bool = False  # the trigger's clause is about another time or event (a passing reference)
    methods: list[tuple[str, str, int]] = field(default_factory=list)  # value, surface, sentence
    sents: list[int] = field(default_factory=list)


def _paragraph_index(text: str) -> list[int]:
    """Start offsets of paragraphs (lines)."""
    starts = [0]
    for m in re.finditer(r"\n", text):
        starts.append(m.end())
    return starts


def _para_of(offset: int, starts: Sequence[int]) -> int:
    """Index of the paragraph (or sentence) whose start is the last one <= offset."""
    return max(0, bisect_right(starts, offset) - 1)


def _is_trigger(tok: Any, lowers: set[str]) -> tuple[str, str, str] | None:
    lemma = tok.lemma_.lower()
    entry = lx.TRIGGERS.get(lemma)
    if entry is None:
        return None
    allowed = lx.TRIGGER_POS.get(lemma)
    pos = "NOUN" if tok.pos_ == "PROPN" and _title_case_line(tok) else tok.pos_
    if allowed is not None and pos not in allowed:
        return None
    if tok.pos_ not in {"NOUN", "VERB", "PROPN"}:
        return None
    ctx = lx.NEEDS_CONTEXT.get(lemma)
    if ctx is not None and not (ctx & lowers):
        return None
    if lemma == "attack" and tok.pos_ == "VERB" and tok.dep_ in {"amod", "compound"}:
        return None
    if lemma == "visit" and tok.pos_ == "VERB" and tok.dep_ == "xcomp":
        return None
    return entry


def _title_case_line(tok: Any) -> bool:
    """Is ``tok`` a capitalised word of a Title Case headline ("The Terrorist Attack in
    Kerman"), where the tagger reads every capitalised noun as a proper name?"""
    if not tok.is_title:
        return False
    words = [t for t in tok.sent if t.is_alpha and len(t) > 3]
    return len(words) >= 3 and sum(t.is_title for t in words) >= 0.8 * len(words)


def _subtype(sent_lowers: set[str], event_type: str, sub: str) -> tuple[str, str, bool]:
    for cues, etype, stype in lx.SUBTYPE_CUES:
        if cues & sent_lowers and event_type in {lx.EXPLOSIONS, lx.VAC}:
            return etype, stype, True
    return event_type, sub, False


def _nearest(mentions: Sequence[Mention], pos: int) -> list[Mention]:
    return sorted(mentions, key=lambda m: abs(m.span.start - pos))


def _methods(sent_text: str, offset: int = 0) -> list[tuple[str, str, int]]:
    """Methods a sentence names, with their offsets. Overlapping patterns keep the most
    specific (first) one, so "a drone fired missiles" is an air/drone strike, not also
    shelling; distinct methods for distinct events ("a drone strike in Beirut, two
    suicide bombers in Kerman") are all kept. Offsets are match ends, so "suicide
    bombers" belongs to the "bombers" trigger it ends on."""
    found: list[tuple[str, str, int]] = []
    for rx, value in _METHOD_RES:
        for m in rx.finditer(sent_text):
            if _NOT_METHOD.search(sent_text[max(0, m.start() - 45) : m.start()]):
                continue  # "contradicting early reports of a car bomb", "ruled out a drone"
            if not any(abs(m.end() + offset - p) < 40 for _v, _s, p in found):
                found.append((value, m.group(0), m.end() + offset))
            break
    return sorted(found, key=lambda x: x[2])


_NOT_METHOD = re.compile(
    r"\b(contradict\w*|ruled? out|rather than|instead of)\b[^.;]{0,40}$|\b(not|no)\s+(an?\s+|the\s+)?$"
    r"|\b(early|initial|first|earlier) reports? of\s+(an?\s+)?$",
    re.I,
)
_SPEECH_LEMMAS = frozenset({"say", "claim", "announce", "tell", "confirm", "report", "state", "deny", "add",
                            "release", "publish", "issue", "post", "accuse", "blame", "vow", "warn", "statement",
                            "declare", "identify", "reveal", "update", "respond", "recount", "describe",
                            "explain", "note", "write", "tweet", "insist", "allege", "recall", "stress"})
_MODIFIER_DEPS = frozenset({"compound", "poss", "amod", "nmod"})
_PLACE_PREPS = frozenset({"in", "at", "near", "outside", "inside", "across", "on", "to", "into", "over", "through"})


def _root_token(doc: Any, m: Mention) -> Any:
    span = doc.char_span(m.span.start, m.span.end, alignment_mode="expand")
    return span.root if span is not None and len(span) else None


def _under(tok: Any, mentions: Sequence[Mention], *, skip_modifiers: bool = True) -> list[Mention]:
    """Mentions inside ``tok``'s subtree that are not mere modifiers ("Iran's commander")."""
    lo = min(t.idx for t in tok.subtree)
    hi = max(t.idx + len(t) for t in tok.subtree)
    found = [m for m in mentions if lo <= m.span.start and m.span.end <= hi]
    if not skip_modifiers or len(found) <= 1:
        return found
    doc = tok.doc
    heads = [m for m in found if (r := _root_token(doc, m)) is None or r.dep_ not in _MODIFIER_DEPS]
    return heads or found


def _actors_under(tok: Any, actors: Sequence[Mention]) -> list[str]:
    return [m.actor_id for m in _under(tok, actors) if m.actor_id and not m.unnamed]


_NESTED_CLAUSES = frozenset({"relcl", "acl", "advcl", "ccomp", "pcomp", "xcomp", "csubj"})
# a person who acts is not where the act happened: "the bomber had passed through Afrin"
_AGENT_TRIGGERS = frozenset({"bomber", "bombers", "gunman", "gunmen", "attacker", "attackers", "shooter",
                             "shooters", "assailant", "assailants", "militant", "militants", "suspect"})
_MOTION_PREPS = frozenset({"through", "to", "into", "across"})
_PATH_DEPS = frozenset({"pobj", "appos", "conj", "cc", "compound", "prep"})


def _clause_free(top: Any) -> set[int]:
    """Token indices of ``top``'s subtree outside any clause nested below it: in "near
    the Baron Hotel, where the UK has been processing ..." the UK is not a setting."""
    out: set[int] = set()
    todo = [top]
    while todo:
        t = todo.pop()
        out.add(t.i)
        todo.extend(c for c in t.children if c.dep_ not in _NESTED_CLAUSES)
    return out


def _in_tokens(doc: Any, m: Mention, toks: set[int]) -> bool:
    r = _root_token(doc, m)
    return r is not None and r.i in toks


def _city_level(m: Mention) -> bool:
    return m.place_precision not in {None, "country"}


def _locative_path(trigger: Any, root: Any) -> bool:
    """Is ``root`` (a place's head) reached from a noun trigger through a locative phrase
    only ("blast at a market in Kabul", "the Kabul explosions")? Not through "including
    U.S. personnel" or a clause ("strike that killed fighters in Lebanon")."""
    if root.i == trigger.i:
        return False
    if root.head.i == trigger.i and root.dep_ in {"compound", "appos"}:
        return True  # "Kabul explosions" (city-level only, checked by the caller)
    t = root
    while t.head.i != t.i:
        if t.dep_ not in _PATH_DEPS or (t.dep_ == "prep" and t.lower_ not in _PLACE_PREPS):
            return False
        if t.head.i == trigger.i:
            return t.dep_ in {"prep", "appos"}
        t = t.head
    return False


def _places_for(trigger: Any, places: Sequence[Mention]) -> list[Mention]:
    """The setting of a trigger, from locative phrases only: a locative preposition on it
    or on its verb ("bombing in Kerman", "struck a procession in Kerman"), the verb's
    object when the trigger is the subject ("attacks ripped the streets of Kerman"), an
    apposition, a city-level name before it ("the Kabul explosions"), or the place a
    relative clause hangs from ("Damascus, where X was killed"). A place inside a clause
    nested in those phrases is another event's or another topic's, never the trigger's;
    a person trigger's verb tells where the person went, not where the act was."""
    if not places:
        return []
    doc = trigger.doc

    def usable(m: Mention) -> bool:
        r = _root_token(doc, m)
        if r is None or r.dep_ not in {"poss", "compound", "amod", "nmod"}:
            return True
        # "outside Kabul airport": a city-level name modifying the place noun of a phrase
        return r.dep_ == "compound" and _city_level(m) and r.head.dep_ == "pobj"

    ok = [m for m in places if usable(m)]
    heads = [trigger]
    agent = trigger.lower_ in _AGENT_TRIGGERS
    if trigger.dep_ in {"nsubj", "nsubjpass", "dobj", "obj", "attr", "pobj"} and trigger.head.pos_ in {"VERB", "AUX", "NOUN"}:
        heads.append(trigger.head)
    elif trigger.dep_ == "pobj" and trigger.head.head.pos_ in {"VERB", "NOUN"}:
        heads.append(trigger.head.head)  # "the martyrs of Wednesday's attack in Kerman"
    subject = trigger.dep_ in {"nsubj", "nsubjpass", "attr", "oprd"}
    # "the attack that struck Istanbul's heart": the trigger is the relative clause's subject
    rel = [c for c in trigger.children if c.dep_ == "relcl"
           and any(g.dep_ in {"nsubj", "nsubjpass"} and g.lower_ in {"that", "which"} for g in c.children)]
    heads += rel
    out: list[Mention] = []
    for h in heads:
        for child in h.children:
            if agent and h is not trigger and child.lower_ in _MOTION_PREPS:
                continue
            if (child.dep_ == "prep" and child.lower_ in _PLACE_PREPS) or (h is not trigger and child.dep_ in {"dobj", "obj"} and (subject or h in rel)) or child.dep_ in {"appos", "npadvmod"}:
                free = _clause_free(child)
                out += [m for m in _under(child, ok, skip_modifiers=False) if _in_tokens(doc, m, free)]
    if not out and trigger.pos_ in {"NOUN", "PROPN"}:
        for m in places:
            r = _root_token(doc, m)
            if r is not None and _locative_path(trigger, r) and (r.head.i != trigger.i or r.dep_ != "compound" or _city_level(m)):
                out.append(m)
    if not out:
        anc = trigger
        while anc.dep_ not in {"ROOT"} and anc.head is not anc:
            if anc.dep_ == "relcl":
                h = anc.head
                out += [m for m in ok if m.span.start <= h.idx < m.span.end]
                break
            anc = anc.head
    return sorted(out, key=lambda m: abs(m.span.start - trigger.idx))


_REPRISAL = frozenset({"revenge", "retaliation", "response", "reprisal", "retribution"})


def _nested_other(tok: Any, main: Any, lowers: set[str]) -> bool:
    """Is ``tok`` inside another event's phrase or clause below ``main``'s? Walks up from
    ``tok`` to the first ancestor ``main`` shares: a reprisal word or another event word on
    the way means yes ("revenge for an air strike that killed four fighters in X": the
    killing is the strike's, and the strike is not the attack; "the killing of his brother
    in August 2022" dates the killing)."""
    above = {a.i for a in main.ancestors} | {main.i}
    t = tok
    while t.i not in above and t.head.i != t.i:
        t = t.head
        if t.i in above:
            break
        if t.lemma_.lower() in _REPRISAL or (t.pos_ in {"NOUN", "VERB"} and _is_trigger(t, lowers) is not None):
            return True
    return False


def _dates_other(doc: Any, m: Mention, trigger: Any) -> bool:
    """Does the date hang from another event (:func:`_nested_other`)?"""
    root = _root_token(doc, m)
    return root is not None and _nested_other(root, trigger, {x.lower_ for x in trigger.sent})


_DATE_PREPS = frozenset({"on", "in", "at", "during"})


def _statement_date(doc: Any, m: Mention, trigger: Any) -> bool:
    """'IS claimed the attack on Thursday', 'police said Friday': the date of a statement,
    not of the event (unless it hangs on the trigger itself)."""
    root = _root_token(doc, m)
    if root is None:
        return False
    t = root
    for _ in range(6):
        if t.i == trigger.i:
            return False
        if t.pos_ in {"VERB", "AUX"} or t.head.i == t.i:
            break
        t = t.head
    return t.i != trigger.i and t.lemma_.lower() in _SPEECH_LEMMAS


def _dates_for(trigger: Any, dates: Sequence[Mention]) -> list[Mention]:
    """The event's date: one attached to the trigger or its verb ("on Wednesday"), else
    the nearest in the sentence; never a relative anchor ("since the 1979 revolution")."""
    usable = [m for m in dates if "relation=" not in (m.label or "") and not _statement_date(trigger.doc, m, trigger)]
    if not usable:
        return []
    heads = [trigger] + ([trigger.head] if trigger.head is not trigger else [])
    attached: list[Mention] = []
    for h in heads:
        for child in h.children:
            if (child.dep_ == "prep" and child.lower_ in _DATE_PREPS) or child.dep_ in {"npadvmod", "tmod", "poss"}:
                attached += _under(child, usable, skip_modifiers=False)
    if attached:
        return attached
    near = [m for m in usable if not _inside_since(trigger.doc, m, trigger) and not _dates_other(trigger.doc, m, trigger)]
    return _nearest(near, trigger.idx)


_ANCHOR_WORDS = frozenset({"since", "before", "until", "after"})


def _inside_since(doc: Any, m: Mention, trigger: Any = None) -> bool:
    """Is the date inside a "since ..." / "before ..." phrase or clause (a relative anchor:
    "the deadliest since twin bombings killed scores in September 2013") that does not
    hold the trigger itself?"""
    root = _root_token(doc, m)
    anc = root
    while anc is not None and anc.head.i != anc.i:  # spaCy makes a new Token per .head: compare indices (identity never ends at the root)
        if anc.dep_ == "prep" and anc.lower_ in _ANCHOR_WORDS:
            return True
        if anc.dep_ in {"advcl", "ccomp"} and any(c.dep_ == "mark" and c.lower_ in _ANCHOR_WORDS for c in anc.children):
            lo, hi = anc.left_edge.i, anc.right_edge.i
            if trigger is None or not lo <= trigger.i <= hi:
                return True
        anc = anc.head
    return False


def _conjunct_victims(trigger: Any, actors: Sequence[Mention], places: Sequence[Mention]) -> list[tuple[list[str], list[Mention]]]:
    """Split "the assassination of X in Damascus, as well as Y in Beirut" at each place:
    one (victims, place) pair per segment of the "of" phrase, when it names 2+ places."""
    of = next((c for c in trigger.children if c.dep_ == "prep" and c.lower_ == "of"), None)
    if of is None:
        return []
    # from "of" to the end of the trigger's phrase (the parser may hang the second
    # victim and its place on the trigger rather than inside the "of" phrase)
    last = max(trigger.subtree, key=lambda t: t.i)
    lo, hi = of.idx, last.idx + len(last)
    inside = sorted((m for m in places if lo <= m.span.start and m.span.end <= hi), key=lambda m: m.span.start)
    if len(inside) < 2:
        return []
    groups: list[tuple[list[str], list[Mention]]] = []
    seg_start = lo
    for place in inside:
        vs = [m.actor_id for m in actors if m.actor_id and seg_start <= m.span.start and m.span.end <= place.span.start
              and not m.unnamed and ((r := _root_token(trigger.doc, m)) is None or r.dep_ not in _MODIFIER_DEPS)]
        if vs:
            groups.append((list(dict.fromkeys(vs)), [place]))
        seg_start = place.span.end
    return groups if len(groups) >= 2 else []


def _roles(trigger: Any, actors: Sequence[Mention]) -> tuple[list[str], list[str]]:
    """Perpetrators (subject / 'by' agent) and victims (object / 'of' phrase) of a trigger."""

    def actors_in(tok: Any) -> list[str]:
        return _actors_under(tok, actors)

    perps: list[str] = []
    victims: list[str] = []
    head = trigger
    # "carried out an attack", "launched strikes": look at the governing verb
    if trigger.dep_ in {"dobj", "obj", "attr", "nsubjpass"} and trigger.head.pos_ == "VERB":
        head = trigger.head
    suffer = head.lemma_ in {"receive", "suffer", "sustain", "face"}
    agentive = head is trigger or head.lemma_ in lx.AGENTIVE_HEADS
    for child in head.children:
        if child.dep_ == "nsubj" and not agentive and not suffer:
            continue
        if (child.dep_ == "nsubj" and suffer) or (child.dep_ == "nsubjpass" and head is trigger):
            victims += actors_in(child)
        elif child.dep_ in {"nsubj"} or child.dep_ == "agent":
            perps += actors_in(child)
        elif child.dep_ in {"dobj", "obj"} and child is not trigger and head is trigger:
            victims += actors_in(child)
    for child in trigger.children:
        if (child.dep_ == "prep" and child.lower_ == "of") or child.dep_ in {"dobj", "obj"}:
            victims += actors_in(child)
        elif child.dep_ == "prep" and child.lower_ == "by":
            perps += actors_in(child)
        elif child.dep_ in {"poss"}:
            perps += actors_in(child) if trigger.lemma_ not in {"assassination", "killing", "martyrdom"} else []
            if trigger.lemma_ in {"assassination", "killing", "martyrdom"}:
                victims += actors_in(child)
    # "X carried out an operation ..., killing Y": X is the perpetrator of the killing
    if trigger.dep_ == "advcl" and trigger.head.lemma_ in lx.AGENTIVE_HEADS:
        for child in trigger.head.children:
            if child.dep_ == "nsubj":
                perps += actors_in(child)
    # participial "killing General Soleimani" attached to the main verb
    for tok in trigger.sent:
        if tok.dep_ == "advcl" and tok.lemma_ in {"kill", "assassinate"} and tok.head.i == head.i:
            for child in tok.children:
                if child.dep_ in {"dobj", "obj"}:
                    victims += actors_in(child)
    return list(dict.fromkeys(perps)), list(dict.fromkeys(victims))


#: regions spanning many countries: "the situation in the Middle East" never locates an
#: event (ACLED and UCDP code a location at admin level; a sea or a disputed territory
#: such as the Red Sea or Kashmir does locate one)
_MACRO_REGIONS = frozenset({
    "middle east", "europe", "africa", "asia", "the west", "latin america", "south america", "north america",
    "central america", "central asia", "south asia", "southeast asia", "east asia", "west asia", "eurasia",
    "balkans", "caucasus", "levant", "maghreb", "sub-saharan africa", "west africa", "east africa",
    "north africa", "western europe", "eastern europe", "the americas", "oceania", "arab world",
})


def _macro_region(m: Mention) -> bool:
    return m.place_precision == "region" and not m.country and (m.place_name or "").lower() in _MACRO_REGIONS


def find_candidates(doc: Any, article: Article, mentions: Sequence[Mention]) -> list[Candidate]:
    """Sentence-level candidates, before the within-article merge."""
    text = doc.text
    para_starts = _paragraph_index(text)
    by_kind: dict[str, list[Mention]] = {"actor": [], "place": [], "date": [], "quantity": []}
    for m in mentions:
        by_kind.setdefault(m.kind, []).append(m)
    body_end = article.body_end if article.body_end is not None else len(text)
    pub_year = reference_year(article.published, text)
    title_end = len(article.title) if article.title and text.startswith(article.title) else 0
    cas = select(find_casualties(doc, by_kind["quantity"], pub_year=pub_year, title_end=title_end, body_end=body_end,
                                 title=article.title))
    cands: list[Candidate] = []
    orphans: list[tuple[Casualty, frozenset[str]]] = []  # with the places their sentence names
    last_violent: Candidate | None = None
    for si, sent in enumerate(doc.sents):
        if sent.start_char >= body_end:
            break
        s0, s1 = sent.start_char, sent.end_char
        para = _para_of(s0, para_starts)
        lowers = {t.lower_ for t in sent}

        def inside(ms: list[Mention], s0: int = s0, s1: int = s1) -> list[Mention]:
            return [m for m in ms if s0 <= m.span.start < s1]

        places = [m for m in inside(by_kind["place"]) if (m.country or m.place_name) and not _macro_region(m)]
        dates = [m for m in inside(by_kind["date"]) if m.date and m.anchored]
        actors = inside(by_kind["actor"])
        counts = [c for c in cas if c.sent_i == si]
        methods = _methods(sent.text, s0)
        found: list[Candidate] = []
        for tok in sent:
            entry = _is_trigger(tok, lowers)
            if entry is None:
                continue
            etype, sub, kind = entry
            targeted = kind in TARGETED
            etype, sub, specific = _subtype(lowers, etype, sub)
            fam = lx.FAMILY[etype]
            perps, victims = _roles(tok, actors)
            if fam != "violence":  # participants of talks, protests...: no perpetrators
                perps, victims = [], list(dict.fromkeys(perps + victims))
            tplaces = _places_for(tok, places)
            split = _conjunct_victims(tok, actors, places) if targeted else []
            # one candidate per family per sentence (targeted killings apart)
            prev = next((c for c in found if lx.FAMILY[c.event_type] == fam and (c.kind in TARGETED) == targeted
                         and (not targeted or not victims or not c.victims or set(victims) & set(c.victims))
                         and not (tplaces and c.places and tplaces[0].place_name != c.places[0].place_name)), None)
            if prev is not None and not split:
                if not prev.specific and specific:
                    prev.event_type, prev.sub_event_type, prev.specific = etype, sub, True
                prev.perpetrators += [p for p in perps if p not in prev.perpetrators]
                prev.victims += [v for v in victims if v not in prev.victims]
                if not prev.places and tplaces and not _nested_other(tok, prev.trigger, lowers):
                    prev.places = tplaces[:1]  # never from another event's phrase or clause
                continue
            if targeted and not victims and (not tplaces or tok.pos_ == "VERB"):
                continue  # "the threat of assassination", "100 people were killed": no named victim
            for vs, ps in split or [(victims, tplaces)]:
                c = Candidate(
                    sent_i=si, para=para, trigger=tok, event_type=etype, sub_event_type=sub,
                    kind=kind, specific=specific, places=ps[:1],
                    dates=_dates_for(tok, dates)[:1], perpetrators=list(perps), victims=list(vs),
                    sents=[si], other=other_event_clause(doc, sent, tok, pub_year),
                )
                found.append(c)
        # casualties and methods go to the nearest preceding violent event of the sentence
        # (mass-casualty events before targeted killings)
        violent = [c for c in found if lx.FAMILY[c.event_type] == "violence"]
        main = next((c for c in violent if c.kind not in TARGETED), violent[0] if violent else None)

        def owner(pos: int, violent: list[Candidate] = violent, main: Candidate | None = main) -> Candidate | None:
            pool = [c for c in violent if c.kind not in TARGETED] or violent
            before = [c for c in pool if c.trigger.idx <= pos]
            return max(before, key=lambda c: c.trigger.idx) if before else main

        if main is not None:
            back = bool(_BACK_RE.search(sent.text))
            for k in counts:
                o = owner(k.start)
                if k.other_event:  # "an earlier bombing that killed 38": that event's, or nobody's
                    o = o if o is not None and o.other else next((c for c in violent if c.other), None)
                    if o is not None:
                        o.counts.append(k)
                    continue
                if o is not None and o.other and o.trigger.idx > k.start:
                    # "103 people had been killed ..., the deadliest attack since 1979": no
                    # event before the count, and the one after it is a comparison
                    own = [c for c in violent if not c.other]
                    o = own[0] if own else None
                if o is not None:
                    o.counts.append(k)
                elif _orphan_ok(k, back):
                    orphans.append((k, frozenset()))
            for v, surf, pos in methods:
                o = owner(pos)
                if o is not None:
                    o.methods.append((v, surf, si))
        elif found and counts:
            # "police arrested a man suspected of shooting into a house and wounding five
            # partygoers": only a non-violent event word in the sentence; the count is the
            # main event's (as a toll in a sentence with no event word), never dropped
            back = bool(_BACK_RE.search(sent.text))
            orphans.extend((k, frozenset()) for k in counts if not k.other_event and _orphan_ok(k, back))
        if found:
            cands.extend(found)
            violent_here = [c for c in found if lx.FAMILY[c.event_type] == "violence"]
            if violent_here:
                last_violent = main or violent_here[0]
        elif (counts or methods) and last_violent is not None and not last_violent.other and si - last_violent.sents[-1] <= 2:
            # a follow-up sentence ("As a result, about 100 people were killed"): the
            # violent event of the sentence before (or the one before that)
            prev = last_violent
            prev.counts += [k for k in counts if not k.other_event]
            prev.methods += [(v, s, si) for v, s, _p in methods]
            if methods and not prev.specific:
                for _cues, etype, stype in lx.SUBTYPE_CUES:
                    if any(v == "suicide bombing" for v, _s, _p in methods) and stype == "Suicide bomb":
                        prev.event_type, prev.sub_event_type, prev.specific = etype, stype, True
                if any(v.startswith("planted") for v, _s, _p in methods):
                    prev.event_type, prev.sub_event_type, prev.specific = lx.EXPLOSIONS, "Remote explosive/landmine/IED", True
            prev.sents.append(si)
        else:
            # a toll stated apart from any event sentence ("The number of martyrs has risen
            # to 103"): the article's main event, once it is known, when it is in the
            # headline or lead, is an explicit toll, or points back at the event
            back = bool(_BACK_RE.search(sent.text))
            named = frozenset(p.place_name or "" for p in places) | frozenset(p.country or "" for p in places)
            orphans.extend((k, named - {""}) for k in counts if not k.other_event and _orphan_ok(k, back))
    if orphans:
        main_c = _main_candidate(cands, title_end)
        if main_c is None:
            main_c = _toll_event(doc, [k for k, _ in orphans], para_starts)
            cands.insert(0, main_c)
        # a toll in a sentence set somewhere else ("In the war in Gaza, where almost
        # 23,000 have died") is not the main event's, whose place is elsewhere
        here = {main_c.places[0].place_name, main_c.places[0].country} if main_c.places else set()
        keep = [k for k, named in orphans if not (here and named and not named & here)]
        main_c.counts.extend(k for k in keep if k not in main_c.counts)
        main_c.counts.sort(key=lambda k: k.start)
    return cands


_BACK_RE = re.compile(
    r"\b(the|this|these|that|those|sunday's|monday's|tuesday's|wednesday's|thursday's|friday's|saturday's|"
    r"yesterday's|today's|last night's)\s+(\w+\s+)?(attacks?|bombings?|blasts?|explosions?|strikes?|shootings?|"
    r"incident|assault|raid|massacre|tragedy|shelling|airstrikes?|violence)\b",
    re.I,
)


def _orphan_ok(k: Casualty, back: bool) -> bool:
    """A count with no event in its sentence goes to the main event unless it counts one
    group ("The Israeli death toll stands at more than 500") or is a vague band far from
    the lead that neither is a toll nor points back at the event ("and thousands of
    martyrs")."""
    if k.group and not k.generic:  # "four women were injured" is the toll of a local shooting
        return False
    vague = k.quantity.qualifier is not None and k.quantity.qualifier in VAGUE
    return not vague or k.sent_i <= 2 or k.rule == "toll" or back


def _toll_event(doc: Any, counts: Sequence[Casualty], para_starts: Sequence[int]) -> Candidate:
    """An article that reports a toll and no event word the trigger lexicon knows ("the
    death toll from the fall of a rocket has risen to 12", "11 people were killed"): the
    event is the killing itself, anchored on the word that governs the first count."""
    first = counts[0]
    sents = list(doc.sents)
    sent = sents[first.sent_i]
    span = doc.char_span(first.start, first.end, alignment_mode="expand")
    tok = span.root.head if span is not None and len(span) else sent.root
    etype, sub, specific = _subtype({t.lower_ for t in sent}, lx.VAC, "Attack")
    return Candidate(sent_i=first.sent_i, para=_para_of(sent.start_char, para_starts), trigger=tok,
                     event_type=etype, sub_event_type=sub, kind="casualties", specific=specific, sents=[first.sent_i])


def _main_candidate(cands: Sequence[Candidate], title_end: int) -> Candidate | None:
    """The article's main event: the first violent event of the headline or lead (the
    first three sentences) that is not a passing reference, else the first violent one."""
    violent = [c for c in cands if lx.FAMILY[c.event_type] == "violence" and not c.other]
    if not violent:
        return None
    lead = [c for c in violent if c.sent_i <= 2]
    return (lead or violent)[0]


def _key(c: Candidate) -> tuple[str | None, str | None, frozenset[str]]:
    place = c.places[0].place_name if c.places else None
    date = c.dates[0].date if c.dates else None
    return place, date, frozenset(c.victims)


def _conflict(a: Candidate, b: Candidate, *, anaphor: bool = False) -> bool:
    if lx.FAMILY[a.event_type] != lx.FAMILY[b.event_type]:
        return True
    if a.other != b.other:
        return True  # "killed in a drone strike four years ago" is not today's bombing
    pa, da, va = _key(a)
    pb, db, vb = _key(b)
    if pa and pb and pa != pb and not _within(a.places[0], b.places[0]):
        return True
    if da and db and da[:7] != db[:7]:
        return True
    if va and vb and not (va & vb):
        return True
    # a targeted killing and a mass-casualty attack are different events (but "this
    # attack" may point back at an assassination)
    return not anaphor and (a.kind in TARGETED) != (b.kind in TARGETED) and bool(va or vb)


def _within(a: Mention, b: Mention) -> bool:
    """A country and a place inside it ("Pakistan", "Peshawar"): both can be true."""
    if not a.country or a.country != b.country:
        return False
    return a.place_precision == "country" or b.place_precision == "country"


def _link(a: Candidate, b: Candidate) -> bool:
    pa, da, va = _key(a)
    pb, db, vb = _key(b)
    shared = (pa and pa == pb) or (da and da == db) or (va & vb)
    near = min(abs(x - y) for x in a.sents for y in b.sents) <= 2
    return bool(shared or near)


def merge_candidates(cands: list[Candidate]) -> list[list[Candidate]]:
    """Greedy, order-preserving merge: join the first group with which a candidate has no
    conflict (place, month, victims, family) and a link (shared place/date/victim, or
    within two sentences of a member)."""
    groups: list[list[Candidate]] = []
    for c in cands:
        for g in groups:
            if not any(_conflict(c, o) for o in g) and any(_link(c, o) for o in g):
                g.append(c)
                break
        else:
            # "the attack", with no place, date or victim of its own: the article's main
            # event of that family (the largest group it does not conflict with)
            # No place, date or victim of its own: "the attack" points back at the most
            # recent event of its family; "two explosive devices" is most likely part of
            # the article's main event of that family (its largest group).
            bare = _key(c) == (None, None, frozenset())
            definite = any(t.lower_ in {"the", "this", "that", "these"} for t in c.trigger.children)
            fits = [g for g in groups if not any(_conflict(c, o, anaphor=definite) for o in g)] if bare else []
            if fits and definite:
                max(fits, key=lambda g: max(x.sents[-1] for x in g)).append(c)
            elif fits:
                max(fits, key=lambda g: (len({x for o in g for x in o.sents}), max(x.sents[-1] for x in g))).append(c)
            else:
                groups.append([c])
    return groups


def build_event_mentions(
    doc: Any, article: Article, groups: list[list[Candidate]], main: Candidate | None = None
) -> tuple[list[EventMention], dict[str, list[Candidate]]]:
    """One EventMention per group. The group holding the main event is never a
    reference; a group whose every candidate is about another time or event ("killed in
    a US drone strike four years ago", "an earlier bombing") is one, and so is a lone
    sentence beside a longer account."""
    sents = list(doc.sents)
    events: list[EventMention] = []
    members: dict[str, list[Candidate]] = {}
    largest = max((len({s for c in g for s in c.sents}) for g in groups), default=0)
    for n, g in enumerate(groups):
        spec = next((c for c in g if c.specific), g[0])
        first = g[0]
        place = next((c.places[0] for c in g if c.places), None)
        date = next((c.dates[0] for c in g if c.dates), None)
        ev_sents = sorted({s for c in g for s in c.sents})
        killed = next((k.quantity for c in g for k in c.counts if k.slot == "killed"), None)
        injured = next((k.quantity for c in g for k in c.counts if k.slot == "injured"), None)
        is_main = main is not None and any(c is main for c in g)
        reference = not is_main and (all(c.other for c in g) or (len(ev_sents) < largest and len(ev_sents) == 1)
                                     or _aftermath(g, main))
        method = next((v for c in g for v, _s, _i in c.methods), None)
        if spec.sub_event_type == "Suicide bomb":
            method = method or "suicide bombing"
        eid = f"{article.id}:e{n}"
        tok = first.trigger
        em = EventMention(
            id=eid,
            article_id=article.id,
            event_type=spec.event_type,
            sub_event_type=spec.sub_event_type,
            trigger=Span(article.id, tok.idx, tok.idx + len(tok)),
            trigger_text=tok.text,
            evidence=[Span(article.id, sents[i].start_char, sents[i].end_char) for i in ev_sents],
            date=date.date if date else None,
            date_precision=date.date_precision if date else None,
            place_name=place.place_name if place else None,
            country=place.country if place else None,
            lat=place.lat if place else None,
            lon=place.lon if place else None,
            place_precision=place.place_precision if place else None,
            perpetrators=list(dict.fromkeys(p for c in g for p in c.perpetrators)),
            victims=list(dict.fromkeys(v for c in g for v in c.victims)),
            killed=killed,
            injured=injured,
            method=method,
            reference=reference,
        )
        events.append(em)
        members[eid] = g
    return events, members


def _aftermath(g: Sequence[Candidate], main: Candidate | None) -> bool:
    """An arrest, a charge or a vigil in an article that reports a violent main event,
    with no count of its own ("Police arrested a 19-year-old in the shooting"): the
    aftermath of that event, told in passing - not a story of its own."""
    return main is not None and all(lx.FAMILY[c.event_type] in _AFTERMATH and not c.counts for c in g)


_AFTERMATH = frozenset({"strategic", "protest"})


def extract_events(
    doc: Any, article: Article, mentions: Sequence[Mention]
) -> tuple[list[EventMention], dict[str, list[Candidate]]]:
    """Event mentions of one article, merged within the article, with their candidates."""
    cands = find_candidates(doc, article, mentions)
    return build_event_mentions(doc, article, merge_candidates(cands), _main_candidate(cands, 0))
