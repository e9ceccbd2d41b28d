"""Casualty counts as people write them: candidates, rules, and a learned filter.

Algorithm ``rashomon.extract.casualties.v1``, in three steps:

1. **Candidates** (rules over the parse, sentence by sentence). A count is a quantity
   mention ("at least 84", "dozens", "One", "between 100 and 300") next to a casualty word,
   or a person named or described in the singular ("a 17-year-old male", "the victim",
   "he") who is the subject of a killing, death or wounding verb ("was shot and killed",
   "died hours later", "succumbed", "was found dead", "critically wounded") - that person
   counts as one. The rule that found each candidate is kept (``rule``):

   ``verb_before``  "killing 73", "wounding 171", "claimed 63 lives"
   ``word_after``   "two people found dead", "three others wounded", "13 dead"
   ``toll``         "the toll rose to 84", "the number of martyrs ... has risen to 103"
   ``parse``        the count's noun is the subject/object of kill, die, wound ... in the parse
   ``implicit_one`` a singular victim as above
   ``shot``/``derived``  "8 men shot, 2 dead": 8 shot, so 6 injured; "four people were shot"
                    with nobody dead: four injured

2. **Exclusions** (rules, precise): subsets ("including 12 children", "Among the dead are
   32 men", a group count such as "13 US service members" when a larger total is given),
   combined figures ("50 killed or wounded", "casualties"), people missing, rescued,
   trapped or sheltering, and tolls of other events (an earlier bombing, "last year",
   "since the start of the war", "so far", a year before the publication's). An excluded
   candidate carries its reason in ``excluded`` and never becomes a fact.

3. **Learned filter**: a logistic regression over parse and document features (the rule,
   the governing lemma, qualifier, subset/other-event markers, headline, sentence index,
   how often the value recurs in the article, whether it is the largest...) scores each
   remaining candidate; candidates under the slot's threshold are dropped. It was trained
   by distant supervision on the GVA training split (a candidate is positive when its
   value equals the incident's true count), thresholds by 5-fold cross-validation split by
   incident; see :mod:`rashomon.extract.train_casualties` for the command. When no
   candidate survives, there is no value: an article about nobody killed stays silent.

Each count keeps its own offset, so a revision inside one sentence ("first put it at 95,
before the interior minister said 84") gives two values, in order, each with its speaker.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from rashomon.model import Mention, Quantity, Span

VERSION = "rashomon.extract.casualties.v1"
MODEL_FILE = "casualties-lr.json"
MODEL_PATH = Path(__file__).resolve().parents[1] / "data" / "models" / MODEL_FILE

KILL_LEMMAS = frozenset({"kill", "murder", "slay", "massacre", "execute", "assassinate", "martyr"})
DIE_LEMMAS = frozenset({"die", "perish", "succumb"})
INJURE_LEMMAS = frozenset({"injure", "wound", "hurt", "hospitalize", "hospitalise", "maim"})
SHOOT_LEMMAS = frozenset({"shoot", "stab", "strike", "hit"})
KILLED_WORDS = frozenset({
    "killed", "dead", "died", "dies", "die", "deaths", "fatalities", "martyred", "martyrs",
    "slain", "perished", "bodies", "murdered", "fatally", "lifeless", "deceased", "lives",
})  # fmt: skip
INJURED_WORDS = frozenset({"injured", "wounded", "hurt", "injuries", "hospitalized", "hospitalised", "wounds"})
KILL_BEFORE = frozenset({"killing", "killed", "kill", "kills", "claimed", "claiming", "claim", "claims",
                         "leaving", "left", "leaves", "murdering", "murdered"})  # fmt: skip
INJURE_BEFORE = frozenset({"wounding", "wounded", "injuring", "injured", "wound", "injure", "injures",
                           "wounds", "hurting", "hurt", "hospitalizing"})  # fmt: skip
SKIP_AFTER = frozenset({
    "people", "persons", "person", "others", "other", "more", "were", "was", "are", "is", "have",
    "has", "had", "been", "be", "being", "reportedly", "also", "now", "later", "found", "pronounced",
    "confirmed", "reported", "believed", "feared", "presumed", "declared", "left", "lay", "laying",
    "and", "all", "of", "them", "whom", "who", "a", "total", "in", "the", "their", "lost", "already",
    "so", "far", "since",
})  # fmt: skip
SINGULAR_PERSONS = frozenset({
    "man", "woman", "boy", "girl", "teen", "teenager", "child", "toddler", "baby", "infant", "person",
    "victim", "male", "female", "officer", "deputy", "trooper", "driver", "student", "father",
    "mother", "son", "daughter", "husband", "wife", "brother", "sister", "resident", "suspect",
    "gunman", "shooter", "youth", "juvenile", "passenger", "pedestrian", "customer", "employee",
    "clerk", "security", "guard", "neighbor", "friend", "girlfriend", "boyfriend", "grandmother",
    "grandfather", "cousin", "uncle", "aunt", "nephew", "niece", "soldier", "policeman",
    "individual", "patient", "worker", "owner", "homeowner", "motorist", "adult", "senior",
})  # fmt: skip
PRONOUNS = frozenset({"he", "she"})
# plural people nouns that count every victim of a local shooting ("four men were shot"),
# as against a group ("13 US service members", "dozens of Palestinians")
GENERIC_GROUPS = frozenset({"man", "woman", "boy", "girl", "teen", "teenager", "male", "female", "adult", "juvenile",
                            "youth", "child", "kid", "men", "women", "children"})  # fmt: skip
GROUP_NOUNS = frozenset({
    "children", "kids", "women", "men", "boys", "girls", "soldiers", "troops", "police", "policemen",
    "officers", "members", "fighters", "commanders", "officials", "leaders", "militants", "marines",
    "personnel", "staff", "servicemen", "service", "americans", "afghans", "israelis", "palestinians",
    "iranians", "foreigners", "nationals", "citizens", "workers", "journalists", "doctors",
    "students", "minors", "babies", "infants", "hostages", "operatives", "terrorists", "gunmen",
    "attackers", "assailants", "bombers", "firefighters", "paramedics", "rescuers",
    "officer", "soldier", "policeman", "member", "commander", "official", "leader", "fighter",
})  # fmt: skip
SUBSET_BEFORE = ("including", "among them", "among whom", "of whom", "among the dead", "among those",
                 "among the victims", "among the killed", "among the wounded", "among the injured",
                 "of them", "among", "in addition to", "besides", "apart from")  # fmt: skip
NOT_CASUALTY_AFTER = frozenset({"missing", "rescued", "trapped", "sheltering", "evacuated", "displaced",
                                "arrested", "detained", "freed", "released", "saved", "survived",
                                "unaccounted", "homeless", "sheltered"})  # fmt: skip
OTHER_EVENT_WORDS = frozenset({"ago", "retaliation", "previous", "since", "overall", "cumulative", "altogether",
                               "separately", "elsewhere"})
# "on the anniversary of the martyrdom of X": X's killing is another event (the day's
# bombing happened on its anniversary, and is not one)
MEMORY_WORDS = frozenset({"anniversary", "commemoration", "remembrance"})  # not "vigil"/"memorial": for the dead of THIS event  # fmt: skip
_AGE_AFTER = re.compile(r"^\s*-?\s*(?:years?|yrs?|months?|weeks?|days?)[- ]old\b|^\s*-\s*year", re.I)
_YEAR = re.compile(r"\b(19[5-9]\d|20[0-4]\d)\b")
_TIME_AFTER = re.compile(r"^\s*(?:a\.?m\.?|p\.?m\.?|o'clock|:\d\d|percent|%|years?|months?|weeks?|days?|hours?|minutes?|"
                         r"miles?|feet|foot|yards?|blocks?|rounds?|shots?|times|bullets?|cases?|dollars?|cents?)\b", re.I)
SLOTS = ("killed", "injured")


@dataclass(slots=True)
class Casualty:
    """One candidate count: a slot, its quantity, where it is and which rule found it."""

    slot: str  # killed | injured | shot (people hit by gunfire, not a fact slot)
    quantity: Quantity
    sent_i: int
    start: int  # character span of the count phrase
    end: int
    rule: str
    lemma: str = ""  # the governing verb or noun lemma
    noun: str = ""  # the counted noun ("people", "children"), "" when none
    group: bool = False  # a group noun or a nationality modifier ("US service members")
    generic: bool = False  # the group is plain men, women or children ("four women were injured")
    subset_marker: bool = False
    combined: bool = False
    other_event: bool = False
    excluded: str | None = None  # subset | combined | not_casualty | other_event
    features: dict[str, float] = field(default_factory=dict)
    score: float = 1.0

    @property
    def value(self) -> float | None:
        return self.quantity.value


def _num_token(doc: Any, start: int, end: int) -> Any:
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or not len(span):
        return None
    nums = [t for t in span if t.like_num or t.pos_ == "NUM"]
    return nums[-1] if nums else span[-1]


def _nominal(tok: Any) -> Any:
    """The noun a number counts ("84 people" -> people), else the number itself."""
    t = tok
    for _ in range(3):
        if t.dep_ in {"nummod", "quantmod", "compound", "amod", "advmod"} and t.head != t and t.head.pos_ in {"NOUN", "PROPN", "NUM", "PRON"}:
            t = t.head
            if t.pos_ in {"NOUN", "PROPN", "PRON"}:
                return t
        else:
            break
    return t


def _death_modified(verb: Any) -> bool:
    """'shot dead', 'shot to death', 'fatally shot', 'shot and killed'."""
    for c in verb.children:
        w = c.lower_
        if w in {"dead", "fatally", "lifeless"}:
            return True
        if c.dep_ == "prep" and w == "to" and any(g.lower_ == "death" for g in c.children):
            return True
        if c.dep_ == "conj" and c.lemma_.lower() in KILL_LEMMAS | DIE_LEMMAS:
            return True
    return False


def _verb_slot(nominal: Any, _head: Any = None, _dep: str = "") -> tuple[str | None, str]:
    """Slot implied by the verb the nominal is the subject or object of (``_head`` and
    ``_dep``: a conjoined verb the nominal is the subject of, see the end)."""
    _chained = _head is not None
    head = nominal.head if _head is None else _head
    dep = nominal.dep_ if _head is None else _dep
    if dep == "conj" and not _chained:  # "a man and a woman were killed"
        while nominal.dep_ == "conj" and nominal.head != nominal:
            nominal = nominal.head
        head, dep = nominal.head, nominal.dep_
    if head == nominal:
        return None, ""
    lemma = head.lemma_.lower()
    if _negated(head):
        return None, lemma  # "A 17-year-old girl and a 20-year-old man were not injured"
    subj = dep in {"nsubjpass", "nsubj", "nsubj:pass"}
    obj = dep in {"dobj", "obj"}
    if lemma in KILL_LEMMAS and ((subj and dep != "nsubj") or obj):
        return "killed", lemma
    if lemma in DIE_LEMMAS and subj:
        return "killed", lemma
    if lemma in {"find", "pronounce", "declare", "leave", "lie", "lay"} and ((subj and lemma != "leave") or obj) and any(
        c.lower_ in {"dead", "lifeless"} for c in head.children
    ):
        return "killed", lemma
    if lemma in _TRANSPORT and ((subj and dep != "nsubj") or obj) and _to_hospital(head):
        return "injured", "hospital"  # "two people were taken to the hospital", "sent three people to hospitals"
    if lemma == "be" and dep == "nsubj" and any(c.dep_ == "acomp" and c.lower_ in {"dead", "deceased"} for c in head.children):
        return "killed", "dead"  # "a 7-year-old is dead after an accidental shooting"
    if lemma in {"suffer", "sustain", "receive"} and dep == "nsubj" and any(
            c.dep_ in {"dobj", "obj"} and c.lemma_.lower() in {"wound", "injury"} for c in head.children):
        return "injured", "wound"  # "Four people suffered non-life-threatening injuries"
    if lemma in {"be", "remain", "list", "stay"} and subj and _in_condition(head):
        return "injured", "condition"  # "two are in critical condition", "was listed in stable condition"
    if lemma in INJURE_LEMMAS | KILL_LEMMAS and dep == "nsubj" and head.dep_ == "conj" and head.tag_ in {"VBN", "VBD"} \
            and head.head.lemma_.lower() == "leave" and any(c.dep_ == "oprd" for c in head.head.children):
        # "left a 7-year-old girl dead and her grandmother wounded": the object of "left", not an agent
        return ("killed" if lemma in KILL_LEMMAS else "injured"), lemma
    if lemma == "find" and ((subj and dep != "nsubj") or obj) and any(
            c.dep_ == "prep" and c.lower_ == "with" and any(g.dep_ == "pobj" and g.lemma_.lower() in {"wound", "injury"}
                                                          for g in c.children) for c in head.children):
        return "shot", "find"  # "three people were found with gunshot wounds" (injured when nobody died)
    if lemma == "find" and ((subj and dep != "nsubj") or obj):
        shot = next((c for c in head.children if c.dep_ in {"xcomp", "oprd", "ccomp", "acomp"} and c.lemma_.lower() == "shoot"
                     and c.tag_ == "VBN"), None)
        if shot is not None:  # "a young man was found shot", "was found shot dead"
            return ("killed", "shoot") if _death_modified(shot) else ("shot", "shoot")
    if lemma == "treat" and subj and dep != "nsubj" and _treated_for_wounds(head):
        return "injured", "treat"  # "was treated and released", "was treated for a gunshot wound"
    if lemma in {"hit", "strike", "graze"} and subj and dep != "nsubj" and any(
            c.dep_ == "agent" and any(g.lower_ in _GUNFIRE for g in c.children) for c in head.children):
        return ("killed", lemma) if _death_modified(head) else ("shot", "shoot")  # "hit by gunfire"
    if lemma in SHOOT_LEMMAS and ((subj and dep != "nsubj") or obj):
        if _death_modified(head):
            return "killed", lemma
        # "was shot and wounded", "was shot and injured"
        if any(c.dep_ == "conj" and (c.lemma_.lower() in INJURE_LEMMAS or (c.lemma_.lower() == "treat" and _treated_for_wounds(c)))
               for c in head.children):
            return "injured", lemma  # also "was shot in the back and treated and released"
        return ("shot", lemma) if lemma == "shoot" else (None, lemma)
    if lemma in INJURE_LEMMAS and ((subj and dep != "nsubj") or obj):
        return "injured", lemma
    if lemma == "kill" and dep == "nsubj" and head.tag_ == "VBN":
        return "killed", lemma
    if dep == "nsubj" and not _chained:
        # "a girl ran into the room and was hit by a bullet": the subject of a clause is the
        # passive subject of a conjoined verb with no subject of its own
        for w in head.children:
            if w.dep_ == "conj" and w.pos_ in {"VERB", "AUX"} and not any(
                    g.dep_ in {"nsubj", "nsubjpass", "nsubj:pass", "expl"} for g in w.children) and (
                    any(g.dep_ == "auxpass" for g in w.children) or w.lemma_.lower() in DIE_LEMMAS):
                slot, lem = _verb_slot(nominal, w, "nsubjpass" if any(g.dep_ == "auxpass" for g in w.children) else "nsubj")
                if slot is not None:
                    return slot, lem
    return None, lemma


_CONDITIONS = frozenset({"critical", "serious", "stable", "fair", "grave", "guarded", "good", "satisfactory"})


def _in_condition(verb: Any) -> bool:
    """'in critical condition', 'in serious but stable condition' (a hospital's word for a patient)."""
    return any(c.dep_ == "prep" and c.lower_ == "in" and any(
        g.dep_ == "pobj" and g.lemma_.lower() == "condition" and any(x.lower_ in _CONDITIONS for x in g.subtree)
        for g in c.children) for c in verb.children)


def _treated_for_wounds(verb: Any) -> bool:
    """'treated and released', 'treated for a gunshot wound', 'treated at a hospital'."""
    for c in verb.children:
        if c.dep_ == "conj" and c.lemma_.lower() == "release":
            return True
        if c.dep_ == "prep" and c.lower_ == "for" and any(g.lower_ in _WOUND_NOUNS | {"gunshot", "gunshots"} for g in c.subtree):
            return True
        if c.dep_ == "prep" and c.lower_ in {"at", "in"} and any(g.lower_ in _HOSPITALS for g in c.subtree):
            return True
    return False


_TRANSPORT = frozenset({"take", "rush", "transport", "airlift", "fly", "send", "drive", "bring", "carry", "hospitalize"})
_HOSPITALS = frozenset({"hospital", "hospitals", "trauma", "er"})


def _to_hospital(verb: Any) -> bool:
    """The verb has "to (a / the / an area) hospital" (or "... Medical Center")."""
    for c in verb.children:
        if c.dep_ in {"prep", "dative"} and c.lower_ == "to":
            for g in c.children:
                if g.dep_ == "pobj" and (g.lower_ in _HOSPITALS or any(x.lower_ in _HOSPITALS for x in g.subtree)
                                         or (g.lower_ in {"center", "centre"} and any(x.lower_ == "medical" for x in g.subtree))):
                    return True
    return False


_GUNFIRE = frozenset({"gunfire", "bullet", "bullets", "shots", "shot", "round", "rounds", "gunshot", "gunshots", "shotgun",
                      "pellets", "shrapnel"})


_VICTIM_NOUNS = frozenset({"others", "people", "persons", "victims", "more"})
_NEGATIONS = frozenset({"not", "n't", "never", "neither", "nor"})


def _negated(verb: Any) -> bool:
    """'were not injured', 'was never shot': the verb is denied."""
    return any(c.dep_ == "neg" or (c.dep_ == "advmod" and c.lower_ in _NEGATIONS) for c in verb.children)


def _has_phrase(text: str, phrases: Sequence[str]) -> bool:
    return any(re.search(r"\b" + re.escape(p) + r"\b", text) for p in phrases)


def _slot_for_quantity(doc: Any, sent: Any, q: Mention) -> tuple[str | None, str, Any, str]:
    """(slot, rule, nominal token, lemma) for a quantity mention, by the surface rules
    first, then the parse."""
    toks = [t for t in sent]
    before = [t for t in toks if t.idx + len(t) <= q.span.start][-12:]
    after = [t for t in toks if t.idx >= q.span.end][:8]
    num = _num_token(doc, q.span.start, q.span.end)
    nominal = _nominal(num) if num is not None else None
    lemma = ""
    prev = before[-1].lower_ if before else ""
    first_word = next((t.lower_ for t in after[:5] if t.lower_ in KILLED_WORDS | INJURED_WORDS), "")
    if prev in KILL_BEFORE and not (prev in {"left", "leaving", "leaves"} and first_word not in KILLED_WORDS):
        if prev in {"claimed", "claiming", "claim", "claims"} and not any(t.lower_ in {"lives", "life"} for t in after[:3]):
            pass
        else:
            return "killed", "verb_before", nominal, prev
    if prev in INJURE_BEFORE or (prev in {"left", "leaving", "leaves"} and first_word in INJURED_WORDS):
        return "injured", "verb_before", nominal, prev
    for i, t in enumerate(after):
        w = t.lower_
        if i and after[i - 1].lower_ == "and" and t.pos_ == "VERB" and t.tag_ == "VBD" and any(
                c.dep_ in {"dobj", "obj"} for c in t.children):
            break  # "hurt 15 people and killed one man": the verb after "and" has its own object
        if t.tag_ in {"VBD", "VBZ", "VBP"} and nominal is not None and nominal.dep_ == "nsubj" and nominal.head == t and (
                w in KILLED_WORDS | INJURED_WORDS or w == "shot") and not (
                nominal.lower_ in _VICTIM_NOUNS and not any(c.dep_ in {"dobj", "obj"} for c in t.children)):
            break  # "Two explosions killed 90 people", "Two gunmen shot ...": the count is the agent
            # (not "one dead and a dozen others wounded", parsed as if the others wounded someone)
        if w in _NEGATIONS:
            break  # "two people were not hurt"
        if w in KILLED_WORDS:
            if w == "lives" and not any(x.lower_ in {"lost", "claimed", "their"} for x in before[-3:] + after[:i + 2]):
                break
            return "killed", "word_after", nominal, w
        if w in INJURED_WORDS:
            return "injured", "word_after", nominal, w
        if w == "shot":
            nxt = " ".join(x.lower_ for x in after[i + 1 : i + 4])
            if re.match(r"(dead|to death|and killed|fatally)\b", nxt):
                return "killed", "word_after", nominal, "shot"
            if re.match(r"and (wounded|injured|hurt)\b", nxt):
                return "injured", "word_after", nominal, "shot"
            return "shot", "word_after", nominal, "shot"
        if w in SKIP_AFTER or (t.is_punct and w not in {".", ";", ":"}) or t.pos_ in {"ADV", "ADJ", "AUX", "DET", "PART"}:
            continue
        if t.pos_ in {"NOUN", "PROPN"} and nominal is not None and t == nominal:
            continue
        if t.pos_ in {"NOUN", "PROPN"} and t.dep_ in {"compound", "amod"}:
            continue
        break
    tv = _toll_verb(num) if num is not None else None
    if tv is not None:
        return tv, "toll", nominal, "toll"
    words = [t.lower_ for t in before]
    low = " ".join(words)
    if re.search(r"\b(deaths?|killing|lives) of\s*$", low):
        return "killed", "verb_before", nominal, "death"
    if re.search(r"\b(death|casualty|fatality|martyr) toll\b|\btoll\b|\bnumber of (the )?(dead|martyrs|victims|fatalities|deaths|people killed|those killed|killed)\b", low):
        if re.search(r"\b(injury|injured|wounded) toll\b|number of (the )?(injured|wounded)", low):
            return "injured", "toll", nominal, "toll"
        return "killed", "toll", nominal, "toll"
    if re.search(r"\bnumber of (the )?(injured|wounded)\b", low):
        return "injured", "toll", nominal, "number"
    if nominal is not None:
        if nominal.dep_ == "pobj" and nominal.head.lower_ == "of" and nominal.head.head.lemma_.lower() == "total":
            nominal = nominal.head.head  # "a total of six people ... were injured"
        slot, lemma = _verb_slot(nominal)
        if slot is not None:
            return slot, "parse", nominal, lemma
    return None, "", nominal, lemma


_TOLL_NOUNS = frozenset({"toll", "number", "count", "tally", "figure", "total"})
_TOLL_VERBS = frozenset({"rise", "reach", "climb", "stand", "remain", "increase", "jump", "grow", "go", "hit", "put",
                         "be", "mount", "soar", "surpass", "exceed", "top", "raise", "revise", "lower", "update",
                         "place", "set", "give", "cite", "fall", "drop"})  # fmt: skip


def _toll_verb(num: Any) -> str | None:
    """'the death toll ... has risen to 45', 'the number of martyrs has risen to 103',
    'put the toll at 95', 'first put it at 95' (a toll named just before)."""
    t = num
    if t.dep_ == "pobj" and t.head.lower_ in {"to", "at", "from"}:
        t = t.head.head
    elif t.dep_ in {"attr", "dobj", "obj", "npadvmod"}:
        t = t.head
    else:
        return None
    if t.lemma_.lower() not in _TOLL_VERBS:
        return None
    for c in t.children:
        if c.dep_ in {"nsubj", "nsubjpass", "dobj", "obj"}:
            words = {x.lower_ for x in c.subtree}
            if c.lemma_.lower() in _TOLL_NOUNS or (c.lower_ == "it" and "toll" in _context_words(t)):
                if c.lemma_.lower() == "number" and not words & (KILLED_WORDS | INJURED_WORDS | {"martyrs", "victims", "dead", "casualties"}):
                    continue
                if words & {"injured", "wounded", "injuries", "hurt"} and not words & {"death", "dead", "killed", "martyrs"}:
                    return "injured"
                if "casualties" in words or ("casualty" in words and "death" not in words):
                    return None
                return "killed"
    return None


def _context_words(tok: Any) -> set[str]:
    doc = tok.doc
    sent = tok.sent
    start = max(0, sent.start - 60)
    return {t.lower_ for t in doc[start : sent.end]}


# "ages 14, 16, 17 and 18", "ranging in age from 23 to 31", "aged 19": ages, not counts
_AGE_BEFORE = re.compile(r"\b(?:ages?|aged)(?:\s+(?:of|from|between))?(?:\s*(?:\d{1,3}|,|and|to|through|or|-|\u2013))*\s*$", re.I)
# "room number 8", "Apt. 4", "Highway 12": a label, not a count
_LABEL_BEFORE = re.compile(r"\b(?:number|no\.|room|apartment|apt\.?|unit|suite|route|highway|interstate|channel|lot|"
                           r"building|exit|page|case|lane|pier|gate|station|precinct|district|ward|grade)[ \t]*#?[ \t]*$", re.I)
_DECADE_AFTER = re.compile(r"^'?s\b")  # "in their 20's", "in his 30s"
# "four gunshot wounds", "two stab wounds": wounds, not people
_WOUNDS_AFTER = re.compile(r"^\s*(?:(?:gunshot|gun-shot|bullet|stab|knife|entry|exit)\s+)?(?:wounds|injuries)\b", re.I)


def _age_apposition(doc: Any, q: Mention) -> bool:
    """'Calvin Williams, 24 was shot', 'Jane Doe, 31, and ...': the number after a name and
    a comma is the person's age."""
    span = doc.char_span(q.span.start, q.span.end, alignment_mode="expand")
    if span is None or span.start < 2:
        return False
    comma, name = doc[span.start - 1], doc[span.start - 2]
    nxt = doc[span.end] if span.end < len(doc) else None
    person = (name.pos_ == "PROPN" and name.ent_type_ in {"PERSON", "ORG", ""}) or name.lower_ in SINGULAR_PERSONS
    return comma.text == "," and person and (nxt is None or nxt.pos_ not in {"NOUN", "PROPN"})  # "son, 3, shot himself"


def _is_count(doc: Any, q: Mention) -> bool:
    if q.value is None or q.value < 0 or q.value > 2_000_000:
        return False
    tail = doc.text[q.span.end : q.span.end + 24]
    if _AGE_AFTER.match(tail) or _TIME_AFTER.match(tail) or _DECADE_AFTER.match(tail) or _WOUNDS_AFTER.match(tail):
        return False
    if _AGE_BEFORE.search(doc.text[max(0, q.span.start - 40) : q.span.start]) or _age_apposition(doc, q):
        return False
    if _LABEL_BEFORE.search(doc.text[max(0, q.span.start - 16) : q.span.start]):  # on the same line: not "IDF Unit\n\n35 were killed"
        return False
    if re.match(r"^\s*,\s*\d", tail) or re.search(r"\d[:/]\d", q.text):
        return False
    head = doc.text[max(0, q.span.start - 2) : q.span.start]
    if "$" in head or "#" in head or (q.value >= 1900 and q.value <= 2100 and q.qualifier is None and "," not in q.text):
        return False
    return q.value != 0 or "no " in q.text.lower()


def _person_names(doc: Any) -> frozenset[str]:
    """The capitalised words of the article's person names ("Breyon Rooks" -> Breyon,
    Rooks): a later "Rooks was pronounced dead" is that person, however it is tagged."""
    return frozenset(t.text for e in doc.ents if e.label_ == "PERSON" for t in e
                     if t.is_alpha and t.text[:1].isupper() and len(t) > 2 and t.lower_ not in _TITLES)


def _implicit_ones(doc: Any, sent: Any, taken: set[int], names: frozenset[str] = frozenset()) -> list[tuple[str, Any, str]]:
    """Singular victims: (slot, head token, lemma) for 'a man was killed', 'he died'."""
    out: list[tuple[str, Any, str]] = []
    for t in sent:
        if t.i in taken:
            continue
        singular = (t.pos_ == "NOUN" and t.tag_ == "NN" and t.lemma_.lower() in SINGULAR_PERSONS) or (
            t.pos_ == "PROPN" and t.tag_ == "NNP" and t.dep_ != "compound" and (
                t.ent_type_ in {"PERSON", ""} or any(c.dep_ == "amod" and c.lower_ == "old" for c in t.children))
        ) or (t.text in names and t.dep_ != "compound") or (t.lower_ == "one" and any(c.lower_ in _ORDINALS for c in t.children)) or (t.pos_ == "PRON" and (t.lower_ in PRONOUNS or (t.lower_ in {"him", "her"} and t.dep_ in {"dobj", "obj"}))) or (
            t.lower_ == "old" and any(c.lower_ in {"year", "month"} for c in t.children)  # "a 17-year-old was killed"
        )
        if not singular:
            continue
        if any(c.dep_ == "nummod" for c in t.children):
            continue  # the numeric candidate handles "two men"
        if any(c.dep_ == "det" and c.lower_ in {"no", "every", "each", "any"} for c in t.children):
            continue
        if t.dep_ in {"poss", "compound"}:
            continue
        slot, lemma = _verb_slot(t)
        if slot is None:
            slot, lemma = _wound_holder(t)
        if slot is None:
            slot, lemma = _acl_slot(t)
        if slot is not None:
            out.append((slot, t, lemma))
    return out


def _acl_slot(t: Any) -> tuple[str | None, str]:
    """Headline style: 'Girl, 11, fatally shot', 'Man killed in crash', 'Teen wounded'."""
    for c in t.children:
        if c.dep_ == "acl" and c.tag_ == "VBN":
            lemma = c.lemma_.lower()
            if lemma in KILL_LEMMAS:
                return "killed", lemma
            if lemma in SHOOT_LEMMAS:
                if _death_modified(c):
                    return "killed", lemma
                return ("shot", lemma) if lemma == "shoot" else (None, lemma)
            if lemma in INJURE_LEMMAS:
                return "injured", lemma
    return None, ""


_WOUND_NOUNS = frozenset({"wound", "wounds", "injury", "injuries"})
_CONDITION = frozenset({"critical", "stable", "serious", "good", "fair", "grave"})


def c_kill_self(verb: Any) -> bool:
    """'killed himself', 'killing herself'."""
    return any(c.dep_ in {"dobj", "obj"} and c.lower_ in {"himself", "herself"} for c in verb.children)


def _wound_holder(t: Any) -> tuple[str | None, str]:
    """'X suffered a gunshot wound', 'found a 15-year-old with a gunshot wound', 'X shot
    himself', 'X is in critical condition': one person hurt."""
    head = t.head
    lemma = head.lemma_.lower()
    if t.dep_ in {"nsubj", "nsubjpass"} and not _negated(head):
        for c in head.children:
            if c.dep_ in {"dobj", "obj"} and c.lower_ in _WOUND_NOUNS and lemma in {"suffer", "sustain", "receive", "have"}:
                return "injured", "wound"
            if c.dep_ in {"dobj", "obj"} and c.lower_ in {"himself", "herself"} and lemma == "shoot" and not _death_modified(head):
                return "injured", "shoot"
            if c.dep_ in {"dobj", "obj"} and c.lower_ in {"himself", "herself"} and lemma == "shoot":
                return "killed", "shoot"  # "shot himself dead"
            if c.dep_ == "conj" and c.lemma_.lower() in KILL_LEMMAS and lemma == "shoot" and any(
                    g.dep_ in {"dobj", "obj"} and g.lower_ in {"himself", "herself"} for g in c.children):
                return "killed", "kill"  # "accidentally shot and killed himself"
        if c_kill_self(head) and lemma in KILL_LEMMAS:
            return "killed", "kill"  # "the gunman then killed himself": he is one of the dead
        for c in head.children:  # "the victim is in stable condition" (unreachable from 2026-12-03 to 12-04)
            if c.dep_ == "prep" and c.lower_ == "in" and any(g.lower_ == "condition" and any(x.lower_ in _CONDITION for x in g.children)
                                                          for g in c.children) and lemma == "be":
                return "injured", "condition"
        if lemma == "fight" and t.dep_ == "nsubj" and any(
                c.dep_ == "prep" and c.lower_ == "for" and any(g.lower_ == "life" for g in c.children) for c in head.children):
            return "injured", "condition"  # "a 20-year-old man is fighting for his life"
    for c in t.children:  # "a one-year-old with a gunshot wound"
        if c.dep_ == "prep" and c.lower_ == "with" and any(g.lower_ in _WOUND_NOUNS for g in c.children):
            return "injured", "wound"
    return None, ""


def _conj_sums(doc: Any, sent: Any, si: int, cands: list[Casualty], pub_year: int | None) -> list[Casualty]:
    """'Two teenage girls and two men were shot and wounded' -> 4; 'a man and a woman
    were killed' -> 2: conjoined victims of one verb add up."""
    out: list[Casualty] = []
    used: set[int] = set()  # members of a list summed already
    for t in sent:
        if t.i in used:
            continue
        conj = [c for c in t.children if _list_member(c)]
        if t.dep_ in {"nsubj", "nsubjpass"} and t.head != t:
            # "a 15-year-old girl, two women and a man were shot": the parser makes the
            # first item a second subject of the verb, beside the conjoined rest
            subs = [c for c in t.head.children if c.dep_ == t.dep_ and c.pos_ in {"NOUN", "PROPN"}]
            if len(subs) > 1 and subs[0].i == t.i and all(
                    a.right_edge.text == "," or (a.right_edge.i + 1 < len(doc) and doc[a.right_edge.i + 1].text == ",")
                    for a in subs[:-1]):
                conj += subs[1:]
        if not conj or t.pos_ not in {"NOUN", "PROPN"} or t.dep_ in {"conj", "appos"}:
            continue
        members = [t]
        todo = list(conj)
        while todo and len(members) < 20:
            m = todo.pop(0)
            members.append(m)
            todo.extend(c for c in m.children if _list_member(c))
        total = 0.0
        for m in members:
            num = next((c for c in m.children if c.dep_ == "nummod"), None)
            if num is not None:
                from rashomon.annotate.quantities import parse_quantity

                q = parse_quantity(num.text)
                if q is None or q.value is None or q.qualifier is not None or q.value > 10:
                    total = -1
                    break
                total += q.value
            elif m.tag_ in {"NN", "NNP"} and (m.lemma_.lower() in SINGULAR_PERSONS or m.ent_type_ == "PERSON" or (
                    m.tag_ == "NNP" and any(c.dep_ == "amod" and c.lower_ == "old" for c in m.children))):  # "27-year-old Kiearra Durr"
                total += 1
            else:
                total = -1
                break
        if total < 2:
            continue
        used.update(m.i for m in members)
        slot, lemma = _verb_slot(t)
        if slot not in {"killed", "injured", "shot"}:
            continue
        s0 = min(x.idx for m in members for x in m.subtree)
        e0 = max(x.idx + len(x) for m in members for x in m.subtree)
        out.append(Casualty(slot, Quantity(total, total, total, None, doc.text[s0:e0]), si, s0, e0, "conj_sum", lemma=lemma,
                            noun=t.lemma_.lower(), other_event=other_event_clause(doc, sent, t, pub_year)))
        for c in cands:
            if c.sent_i == si and s0 <= c.start < e0 and c.slot == slot:
                c.excluded = "subset"  # the parts of the sum
    return out


def _list_member(c: Any) -> bool:
    """The next item of a list of victims: a conjunct, or an apposition that itself has a
    conjunct ("X, Y, Z and W were found dead" parsed as X <appos Y <conj Z <conj W)."""
    if c.pos_ not in {"NOUN", "PROPN"}:
        return False
    return c.dep_ == "conj" or (c.dep_ == "appos" and any(g.dep_ == "conj" and g.pos_ in {"NOUN", "PROPN"} for g in c.children))


def _noun_phrase(tok: Any) -> tuple[int, int]:
    left = min([tok.i] + [c.i for c in tok.lefts if c.dep_ in {"det", "amod", "compound", "nummod", "poss", "npadvmod"}])
    sub = tok.doc[left : tok.i + 1]
    return sub.start_char, sub.end_char


def _group(nominal: Any) -> bool:
    if nominal is None:
        return False
    if nominal.lower_ in GROUP_NOUNS or nominal.ent_type_ == "NORP":
        return True
    for c in nominal.children:  # "dozens of Palestinians", "12 of its personnel"
        if c.dep_ == "prep" and c.lower_ == "of":
            objs = [g for g in c.children if g.dep_ == "pobj"]
            if any(g.lower_ in GROUP_NOUNS or g.ent_type_ == "NORP" or g.lower_ in {"them", "dead", "victims", "those"}
                   or any(x.lower_ in {"its", "their", "the"} for x in g.children) for g in objs):
                return True
    return any(c.dep_ in {"amod", "compound", "nmod"} and (c.ent_type_ in {"NORP", "GPE", "ORG"} or c.lower_ in {"us", "u.s.", "american"})
               for c in nominal.children)


def _generic(nominal: Any) -> bool:
    """'four women', 'two teenage boys': plain people, no nationality, unit or 'of' part."""
    if nominal is None or nominal.lemma_.lower() not in GENERIC_GROUPS or nominal.ent_type_ == "NORP":
        return False
    return not any((c.dep_ in {"amod", "compound", "nmod"} and c.ent_type_ in {"NORP", "GPE", "ORG"})
                   or (c.dep_ == "prep" and c.lower_ == "of") for c in nominal.children)


_FACILITY = frozenset({"hospital", "hospitals", "facility", "morgue", "clinic", "point", "centre", "center", "mortuary"})


def _partial(nominal: Any) -> bool:
    """A count of one group or one place: the clause's subject is a group ('About 120
    hostages remain, with 43 pronounced dead'), or the count is one facility's ('142
    bodies had been counted at the medical facility', 'the hospital received 28 dead')."""
    if nominal is None:
        return False
    v = nominal
    for _ in range(8):
        if v.pos_ in {"VERB", "AUX"} or v.head == v:
            break
        v = v.head
    for c in v.children:
        if (c.dep_ in {"nsubj", "nsubjpass"} and c != nominal and not any(t == nominal for t in c.subtree)
                and (c.lower_ in GROUP_NOUNS or c.lower_ in _FACILITY
                     or any(x.lower_ in _FACILITY for x in c.subtree if x.dep_ == "compound"))):
            return True
        if c.dep_ == "prep" and c.lower_ in {"at", "in", "to"} and any(g.lower_ in _FACILITY for g in c.children):
            return v.lemma_.lower() in {"count", "receive", "admit", "bring", "record", "take", "treat"}
    return v.lemma_.lower() in {"receive", "admit"} and any(
        c.dep_ in {"nsubj"} and any(x.lower_ in _FACILITY for x in c.subtree) for c in v.children)


def _combined(doc: Any, sent: Any, start: int, end: int) -> bool:
    """'50 killed or wounded', 'killed or injured 50', '40 casualties': one figure for both."""
    after = doc.text[end : min(sent.end_char, end + 50)].lower()
    before = doc.text[max(sent.start_char, start - 30) : start].lower()
    both = r"(killed|dead|died|deaths|killing)\s+(or|and|and/or)\s+(injured|wounded|hurt|injuring|wounding)"
    if re.match(r"^\s*([a-z]+\s+){0,3}?casualties\b", after):
        return True
    if re.match(r"^\s*([a-z]+\s+){0,3}?" + both + r"\b", after):
        return True
    return bool(re.search(both + r"\s+(at least |more than |over |about |some |nearly )?$", before))


def _verb_of(tok: Any) -> Any:
    t = tok
    for _ in range(12):
        if t.pos_ in {"VERB", "AUX"} or t.head == t:
            return t
        t = t.head
    return t


def clause_verbs(tok: Any) -> set[int]:
    """Token indexes of the verb of ``tok``'s clause and of the clauses it hangs from
    (a relative clause's noun, a participle's main clause)."""
    out: set[int] = set()
    v = _verb_of(tok)
    for _ in range(6):
        out.add(v.i)
        if v.dep_ == "conj" and v.head != v and v.head.pos_ in {"VERB", "AUX"}:
            v = v.head  # "bombings in 2016 that killed 38 and wounded 155": wounded is killed's
            continue
        if v.dep_ in {"relcl", "acl", "advcl"} and v.head != v:
            h = v.head
            # "after the rampage, which killed 1,200": an earlier event by its preposition
            if h.dep_ == "pobj" and h.head.lower_ in {"since", "like", "than"}:
                out.add(-1)
            # "after the Hamas rampage, which killed 1,200": a named event before this one
            if h.dep_ == "pobj" and h.head.lower_ in {"after", "before", "following"} and any(
                c.dep_ in {"compound", "amod", "poss", "nmod"} and (c.pos_ == "PROPN" or c.ent_type_ in {"NORP", "GPE", "ORG", "DATE", "EVENT"})
                for c in h.children
            ):
                out.add(-1)
            v = _verb_of(h)
        else:
            break
    return out


_PHRASE_RX = re.compile(r"\b(last (year|month|week)|so far|to date|since the (start|beginning)|in total|years? ago|months? ago|"
                        r"in the past|"
                        # a city's roundup: "twelve people were shot in Chicago in about ten hours"
                        r"(in|over|within) (about |nearly |roughly |just |under |less than |more than |the (past|last) )?"
                        r"([a-z0-9]+[- ])?(hours|days)|over the (holiday )?weekend|this (past )?weekend)\b")


def other_event_clause(doc: Any, sent: Any, tok: Any, pub_year: int | None) -> bool:
    """The clause of ``tok`` is about another time or event: an earlier bombing ("in
    December 2016", "last year", "four years ago"), a war total ("so far", "since the
    start"), retaliation for a previous strike."""
    verbs = clause_verbs(tok)
    if -1 in verbs:
        return True
    t = tok
    for _ in range(8):  # a trigger inside "the anniversary of the martyrdom of ..."
        if t.head == t or t.pos_ in {"VERB", "AUX"}:
            break
        t = t.head
        if t.lower_ in MEMORY_WORDS:
            return True
    marks: list[Any] = [t for t in sent if t.lower_ in OTHER_EVENT_WORDS
                        ]
    if pub_year is not None:
        marks += [t for t in sent if _YEAR.fullmatch(t.text) and int(t.text) < pub_year]
    for m in _PHRASE_RX.finditer(sent.text.lower()):
        span = doc.char_span(sent.start_char + m.start(), sent.start_char + m.end(), alignment_mode="expand")
        if span is not None and len(span):
            marks.append(span[0])
    return any(_verb_of(m).i in verbs for m in marks)


def _subset_marker(doc: Any, sent: Any, start: int) -> bool:
    low = doc.text[max(sent.start_char, start - 30) : start].lower()
    return any(re.search(r"\b" + re.escape(p) + r"\s+((are|were|is|was)\s+)?$", low) for p in SUBSET_BEFORE) or bool(
        re.search(r"\b(including|among them|among the dead are|among whom|of whom)\b[^.;]*$", low)
    ) or bool(re.search(r"\b(one|two|three|\d+) of (the )?$", low))  # "a boy, one of three people hit, has died"


_N_EVENTS = (r"(?:\d+|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|several|multiple|many|a (?:dozen|number of)|"
             r"dozens of)\s+(?:separate\s+|different\s+|other\s+|unrelated\s+)?(?:shootings|incidents|attacks)")
_ROUNDUP_AFTER = re.compile(r"\b(?:in|across|during|from)\s+" + _N_EVENTS + r"\b|\bin (?:separate|different|unrelated) "
                            r"(?:shootings|incidents)\b|\bin (?:shootings|incidents) (?:across|around|throughout|spanning)\b|"
                            r"\b(?:across|throughout|around) the (?:city|state|county|country)\b", re.I)
_ROUNDUP_BEFORE = re.compile(r"\b" + _N_EVENTS + r"\s+(?:that|which)\s+(?:\w+\s+){0,2}$", re.I)


_STILL_RX = re.compile(r"^\s*(?:[\w-]+\s+){0,2}?(?:are |were |is |was )?(?:still|remain|remained|remaining)\s+"
                       r"(?:in (?:the )?hospital|hospitali[sz]ed|in intensive care|being treated)\b", re.I)


def _still_treated(doc: Any, sent: Any, end: int) -> bool:
    """"the 31 wounded still in hospital", "12 remain hospitalized": those not yet sent
    home, a floor of the injured (others have left), never their total."""
    return bool(_STILL_RX.match(doc.text[end : sent.end_char]))


def _several_events(doc: Any, sent: Any, start: int, end: int) -> bool:
    """A total over several events: "Seven people were shot in four shootings", "20 people
    wounded in 12 separate incidents", "21 shot in incidents across the five boroughs",
    "the five shootings that wounded 15 people" (a round-up, not one incident's count)."""
    after = doc.text[end : sent.end_char]
    before = doc.text[max(sent.start_char, start - 60) : start]
    return bool(_ROUNDUP_AFTER.search(after) or _ROUNDUP_BEFORE.search(before))


def _not_casualty(doc: Any, sent: Any, end: int) -> bool:
    after = doc.text[end : min(sent.end_char, end + 30)].lower()
    return bool(re.match(r"^\s*(\w+\s+){0,3}?(" + "|".join(NOT_CASUALTY_AFTER) + r")\b", after))


def reference_year(published: str | None, text: str) -> int | None:
    """The year the article is written in: its publication year, else the latest year it
    names (an undated excerpt about "a twin blast in 2016" that names 2022 is from 2022)."""
    if published and published[:4].isdigit():
        return int(published[:4])
    years = [int(y) for y in _YEAR.findall(text)]
    return max(years) if years else None


_WORD_NUMS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
              "ten": 10, "eleven": 11, "twelve": 12}  # fmt: skip
_ORDINALS = {"second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6}
_NOT_A_COUNT_BEFORE = frozenset({"second", "third", "fourth", "fifth", "sixth", "no", "every", "any", "some", "each", "the", "this", "that", "which", "another", "only"})


def missed_numbers(doc: Any, quantities: Sequence[Mention]) -> list[Mention]:
    """Small cardinals the entity recognizer did not tag ("Four people were shot, one
    fatally"): a number word or a 1-3 digit number outside every quantity mention and
    every other entity, not "no one", "the one who", "one another"."""
    starts = sorted((q.span.start, q.span.end) for q in quantities)
    aid = quantities[0].span.article_id if quantities else ""
    out: list[Mention] = []
    for t in doc:
        if t.ent_type_ not in {"", "CARDINAL"}:
            continue
        v = _WORD_NUMS.get(t.lower_)  # digits the recognizer left out are mostly dates and addresses
        if not v or any(a <= t.idx < b for a, b in starts):
            continue
        prev = doc[t.i - 1].lower_ if t.i else ""
        nxt = doc[t.i + 1].lower_ if t.i + 1 < len(doc) else ""
        if prev in _NOT_A_COUNT_BEFORE or nxt in {"another", "-", "day", "time"} or (t.ent_type_ == "" and t.pos_ != "NUM"):
            continue
        out.append(Mention(Span(aid, t.idx, t.idx + len(t)), t.text, "quantity", label="CARDINAL",
                           value=float(v), low=float(v), high=float(v)))
    return out


def find_casualties(doc: Any, quantities: Sequence[Mention], *, pub_year: int | None = None,
                    title_end: int = 0, body_end: int | None = None, title: str | None = None) -> list[Casualty]:
    """Every casualty candidate of a parsed article, in text order, with its exclusion
    reason (if any) and its features (before scoring). ``title`` is the headline when the
    text does not start with it: its counts are features, never candidates."""
    out: list[Casualty] = []
    quantities = sorted([*quantities, *missed_numbers(doc, [q for q in quantities if q.kind == "quantity"])],
                        key=lambda q: q.span.start)
    sents = list(doc.sents)
    names = _person_names(doc)
    limit = body_end if body_end is not None else len(doc.text)
    for si, sent in enumerate(sents):
        if sent.start_char >= limit:
            break
        qs = [q for q in quantities if sent.start_char <= q.span.start < sent.end_char and q.kind == "quantity"]
        taken: set[int] = set()
        for q in qs:
            if not _is_count(doc, q):
                continue
            slot, rule, nominal, lemma = _slot_for_quantity(doc, sent, q)
            span = doc.char_span(q.span.start, q.span.end, alignment_mode="expand")
            if span is not None:
                taken.update(t.i for t in span)
            if nominal is not None:
                taken.add(nominal.i)
            if slot is None:
                continue
            qty = Quantity(q.value, q.low, q.high, q.qualifier, q.text)
            if slot == "injured" and q.qualifier is None and q.value is not None and _still_treated(doc, sent, q.span.end):
                qty = Quantity(q.value, q.value, None, "at least", q.text)
            c = Casualty(slot, qty, si, q.span.start, q.span.end, rule, lemma=lemma,
                         noun=(nominal.lemma_.lower() if nominal is not None and nominal.pos_ in {"NOUN", "PROPN", "PRON"} else ""),
                         group=_group(nominal) or _partial(nominal), generic=_generic(nominal), subset_marker=_subset_marker(doc, sent, q.span.start),
                         combined=_combined(doc, sent, q.span.start, q.span.end),
                         other_event=other_event_clause(doc, sent, nominal if nominal is not None else span.root if span is not None else sent.root, pub_year))
            if rule == "toll" and re.search(r"\b(\w+) (death )?toll\b", doc.text[sent.start_char : q.span.start]) and any(
                t.lower_ == "toll" and any(ch.ent_type_ in {"NORP", "GPE"} for ch in t.children) for t in sent):
                c.group = True
            if rule == "toll" and re.search(r"number of (the )?(\w+ )?(" + "|".join(GROUP_NOUNS) + r")\b", doc.text[sent.start_char : q.span.start].lower()):
                c.group = True
            if _not_casualty(doc, sent, q.span.end) and rule not in {"verb_before", "toll"}:
                c.excluded = "not_casualty"
            if _several_events(doc, sent, q.span.start, q.span.end):
                c.other_event = True  # "Seven people were shot in four shootings": a round-up of several
                c.excluded = c.excluded or "other_event"
            out.append(c)
        for slot, tok, lemma in _implicit_ones(doc, sent, taken, names):
            s, e = _noun_phrase(tok)
            qty = Quantity(1.0, 1.0, 1.0, None, doc.text[s:e])
            rule = "implicit_wounded" if slot == "injured" and lemma in INJURE_LEMMAS else "implicit_one"
            nth = next((_ORDINALS[c.lower_] for c in tok.children if c.lower_ in _ORDINALS and c.dep_ in {"amod", "nummod"}), 0)
            if nth and slot in SLOTS and any(c.dep_ == "det" and c.lower_ in {"a", "an"} for c in tok.children):  # "a second victim died", "a third man has died": that many dead
                qty, rule = Quantity(float(nth), float(nth), None, "at least", doc.text[s:e]), "ordinal"
            out.append(Casualty(slot, qty, si, s, e, rule, lemma=lemma, noun=tok.lemma_.lower(),
                                other_event=other_event_clause(doc, sent, tok, pub_year), subset_marker=_subset_marker(doc, sent, s)))
        out.extend(_conj_sums(doc, sent, si, out, pub_year))
    _fatal_event(doc, sents, out, limit, pub_year)
    _victim_sums(doc, out)
    _derive(out, sents)
    _clause_sums(doc, out)
    _ordinals(out)
    _others_sums(out)
    _another_sums(doc, out)
    _headline_died(out, title)
    _of_which(doc, out)
    _mark(out)
    headline = title_counts(title)
    if "killed" not in headline and title_single_death(title):
        headline["killed"] = 1.0
    _features(out, title_end, headline)
    return out


_FATAL_NOUNS = frozenset({"shooting", "stabbing", "attack", "incident", "crash", "accident", "wound", "gunshot"})


def _fatal_event(doc: Any, sents: Sequence[Any], out: list[Casualty], limit: int, pub_year: int | None) -> None:
    """'a fatal shooting', 'the shooting death of', 'a deadly shooting': somebody died;
    one candidate (value 1) for the first such phrase when nothing else counts the dead."""
    for si, sent in enumerate(sents):
        if sent.start_char >= limit:
            break
        for t in sent:
            hit = (t.lower_ in {"fatal", "deadly", "fatally"} and t.head.lower_ in _FATAL_NOUNS | {"shot", "wounded", "injured"}) or (
                t.lower_ in {"death", "homicide"} and any(c.lower_ == "shooting" for c in t.children) and t.dep_ != "compound")
            if hit:
                tok = t.head if t.lower_ in {"fatal", "deadly", "fatally"} else t
                s, e = _noun_phrase(tok) if tok.pos_ in {"NOUN", "PROPN"} else (t.idx, t.idx + len(t))
                out.append(Casualty("killed", Quantity(1.0, 1.0, None, None, doc.text[s:e]), si, s, e, "fatal_event",
                                    lemma=tok.lemma_.lower(), other_event=other_event_clause(doc, sent, tok, pub_year)))
                return


_SUICIDE_RX = re.compile(r"\b(kill(ed|ing)|shot|shooting|turn(ed|ing) the gun on) (him|her|them)sel(f|ves)\b|\bmurder[- ]suicide\b", re.I)


def _victim_sums(doc: Any, out: list[Casualty]) -> None:
    """Victims counted one by one: distinct named people killed ("X was pronounced dead
    ... Y later died") -> their number; a murder-suicide adds the gunman to the largest
    count of his victims."""
    for slot in SLOTS:
        named = [c for c in out if c.slot == slot and c.rule in _IMPLICIT and c.noun not in {"he", "she", "him", "her"}
                 and c.noun and not c.other_event and " " not in c.noun and c.noun not in SINGULAR_PERSONS and c.noun != "old"]
        names = _distinct_people(c.quantity.text for c in named)
        if len(names) >= 2:
            first = named[0]
            v = float(len(names))
            out.append(Casualty(slot, Quantity(v, v, v, None, first.quantity.text), first.sent_i, first.start, first.end,
                                "named_sum", lemma=first.lemma, noun="names"))
    sents = list(doc.sents)
    done: set[int] = set()
    for m in _SUICIDE_RX.finditer(doc.text):
        si = next((i for i, st in enumerate(sents) if st.start_char <= m.start() < st.end_char), None)
        if si is None or si in done:
            continue
        # the gunman's victims, in the sentence that says he killed himself: "shot his
        # wife and two sons before killing himself" (the number never includes him there)
        base = [c for c in out if c.slot == "killed" and c.sent_i == si and not c.excluded and not c.other_event and c.value
                and c.start < m.start() and (c.rule not in _IMPLICIT or c.noun not in {"he", "she", "him", "her"})
                and c.rule not in {"word_after", "toll", "fatal_event"} and _victim_of_another(doc, c)]
        if not base or m.group(0).lower().startswith("murder"):
            continue
        if re.search(r"\baccident(al|ally)?\b", sents[si].text, re.I) and not m.group(0).lower().startswith("kill"):
            continue  # "A 3-year-old boy was killed when he accidentally shot himself": one death
        top = max(base, key=lambda c: c.value or 0)
        v = (top.value or 0) + 1
        done.add(si)
        out.append(Casualty("killed", Quantity(v, v, v, None, top.quantity.text), top.sent_i, top.start, top.end,
                            "plus_suicide", lemma=top.lemma, noun=top.noun))
        for c in base:
            c.excluded = "subset"  # the victims are part of the dead


_ANYONE = frozenset({"victim", "person", "individual", "patient", "he", "she", "him", "her"})


def _clause_sums(doc: Any, out: list[Casualty]) -> None:
    """Two single victims in coordinated clauses of one sentence: "the uncle was shot in the
    hand, while the child was shot in the chest", "a man was shot in the leg and a woman
    was wounded in the arm" -> 2 (rule ``clause_sum``, scored by the model; the parts stay).
    Nouns that may name either of them ("the victim", "he") never count."""
    for slot in SLOTS:
        by_sent: dict[int, list[tuple[Casualty, Any]]] = {}
        for c in out:
            if c.slot != slot or c.rule not in _IMPLICIT or c.excluded or c.other_event or c.noun in _ANYONE:
                continue
            span = doc.char_span(c.start, c.end, alignment_mode="expand")
            if span is None or not len(span) or span.root.dep_ not in {"nsubj", "nsubjpass"}:
                continue
            by_sent.setdefault(c.sent_i, []).append((c, span.root.head))
        for items in by_sent.values():
            verbs = {v.i: v for _c, v in items}
            linked = {i for i, v in verbs.items() if (v.dep_ == "conj" or (v.dep_ == "advcl" and any(
                m.dep_ == "mark" and m.lower_ in {"while", "and"} for m in v.children))) and v.head.i in verbs}
            if not linked:
                continue
            heads = linked | {verbs[i].head.i for i in linked}
            parts = [c for c, v in items if v.i in heads]
            nouns = {c.noun for c in parts}
            if len(parts) < 2 or len(nouns) < len(parts):
                continue
            first = min(parts, key=lambda c: c.start)
            v = float(len(parts))
            out.append(Casualty(slot, Quantity(v, v, v, None, first.quantity.text), first.sent_i, first.start,
                                max(c.end for c in parts), "clause_sum", lemma=first.lemma, noun="others"))


def _others_sums(out: list[Casualty]) -> None:
    """'A 20-year-old man was critically wounded and four others were hurt': the others are
    besides the one before them in the sentence, of the same slot -> 5 (rule ``others_sum``;
    the parts are kept in the record as subsets). Different slots never add up ("One man
    was killed and three others wounded" stays 1 killed, 3 injured)."""
    for c in [c for c in out if c.noun in {"other", "others"} and c.slot in SLOTS and not c.excluded
              and not c.other_event and c.quantity.qualifier is None and c.value]:
        before = [k for k in out if k.slot == c.slot and k.sent_i == c.sent_i and k.start < c.start and not k.excluded
                  and not k.other_event and k.value and k.rule not in _SUMS and k.quantity.qualifier is None]
        if not before:
            continue
        first = before[-1]
        v = (first.value or 0) + (c.value or 0)
        out.append(Casualty(c.slot, Quantity(v, v, v, None, c.quantity.text), c.sent_i, first.start, c.end, "others_sum",
                            lemma=c.lemma, noun="others"))
        first.excluded = c.excluded = "subset"


def _ordinals(out: list[Casualty]) -> None:
    """'Four people were shot ... and a fifth person was wounded': the four before the
    ordinal are part of its "at least five". An injured ordinal after a death counts the
    victims, not the wounded ("One man was killed ... A second man was wounded"): dropped."""
    killed = any(c.slot == "killed" and not c.excluded and not c.other_event for c in out)
    for o in [c for c in out if c.rule == "ordinal" and not c.excluded]:
        if o.slot == "injured" and killed:
            o.excluded = "subset"
            continue
        for c in out:
            if c is not o and c.slot == o.slot and c.start < o.start and not c.excluded and (c.value or 0) < (o.value or 0):
                c.excluded = "subset"


_ANOTHER = frozenset({"another", "also", "second", "too", "other"})


def _another_sums(doc: Any, out: list[Casualty]) -> None:
    """Single victims told one after the other: "An 18-year-old woman was shot ... An
    18-year-old man was also shot", "A man was wounded. Another man was treated at a
    hospital": the first one plus each one marked as another ("another", "also", "a
    second", "too") -> their number (rule ``another_sum``), when no number counts the slot."""
    for slot in ("injured", "killed"):
        if any(c.slot == slot and c.rule not in _IMPLICIT and c.rule != "fatal_event" and not c.other_event for c in out):
            continue
        ones = sorted((c for c in out if c.slot == slot and c.rule in _IMPLICIT and not c.excluded and not c.other_event
                       and c.noun not in {"he", "she", "him", "her"}), key=lambda c: c.start)
        if len(ones) < 2:
            continue
        marked = [c for c in ones[1:] if _marked_another(doc, c)]
        if not marked or _marked_another(doc, ones[0]):
            continue
        v = float(1 + len({c.sent_i for c in marked}))
        first = ones[0]
        out.append(Casualty(slot, Quantity(v, v, v, None, first.quantity.text), first.sent_i, first.start, first.end,
                            "another_sum", lemma=first.lemma, noun="others"))


def _marked_another(doc: Any, c: Casualty) -> bool:
    """The victim phrase or its verb says it is one more: "another man", "a second victim",
    "was also shot", "the other man"."""
    span = doc.char_span(c.start, c.end, alignment_mode="expand")
    if span is None or not len(span):
        return False
    head = span.root
    if any(t.lower_ in _ANOTHER for t in span):
        return True
    verb = head.head
    return any(ch.lower_ in {"also", "too"} and ch.dep_ == "advmod" for ch in verb.children)


_TITLES = frozenset({"officer", "sgt", "sgt.", "sergeant", "deputy", "detective", "trooper", "cpl", "cpl.", "lt", "lt.",
                     "mr", "mr.", "mrs", "mrs.", "ms", "ms.", "dr", "dr.", "victim", "the", "a", "an"})  # fmt: skip


def _distinct_people(texts: Iterable[str]) -> set[tuple[str, ...]]:
    """Distinct people among name phrases: "Walesha Williams" and "Paris Williams" are two,
    "Williams" alone is one of them (a surname or first name of a fuller name given)."""
    keys = set()
    for text in texts:
        words = tuple(w.lower() for w in re.findall(r"[A-Z][\w'-]*\.?", text) if w.lower() not in _TITLES and len(w.rstrip(".")) > 1)
        if words:
            keys.add(words)
    full = [k for k in keys if len(k) > 1]
    return {k for k in keys if len(k) > 1 or not any(k[0] in (f[0], f[-1]) for f in full)}


def _victim_of_another(doc: Any, c: Casualty) -> bool:
    """The count is someone's victims (the object of the killing, or its passive subject),
    not the one who died by his own hand ("a man died after accidentally shooting himself")."""
    span = doc.char_span(c.start, c.end, alignment_mode="expand")
    if span is None or not len(span):
        return False
    t = span.root
    if t.dep_ in {"nummod", "quantmod"}:
        t = t.head
    while t.dep_ == "conj" and t.head != t:
        t = t.head
    return t.dep_ != "nsubj" and t.head.lemma_.lower() not in DIE_LEMMAS


def _derive(cands: list[Casualty], sents: Sequence[Any]) -> None:
    """'8 men shot, 2 dead' -> injured 6; 'four people were shot' with no death -> injured 4."""
    # a death of another event ("angry over the fatal police shooting of X on Nov. 15") is no death of this one
    killed_any = any(c.slot == "killed" and c.rule not in _IMPLICIT and not c.other_event and not c.excluded for c in cands)
    dead = [k.value for k in cands if k.slot == "killed" and k.value and not k.excluded and not k.other_event
            and not k.group and k.rule != "fatal_event"]
    # a number of dead the text states ("killing 3 people") before single victims ("X died")
    stated = [k.value for k in cands if k.slot == "killed" and k.value and not k.excluded and not k.other_event
              and not k.group and k.rule not in _IMPLICIT | _SUMS]
    for c in [c for c in cands if c.slot == "shot" and c.rule != "implicit_one" and c.value is not None
              and c.excluded not in {"other_event", "subset"}]:
        same = [k for k in cands if k.slot == "killed" and k.sent_i == c.sent_i and k.value is not None]
        if same:
            k = same[0]
            rest = (c.value or 0) - (k.value or 0)
            if rest >= 0:
                cands.append(Casualty("injured", Quantity(rest, rest, rest, None, c.quantity.text), c.sent_i, c.start, c.end,
                                      "derived", lemma="shoot", noun=c.noun, other_event=c.other_event))
        elif dead:
            # "Four people were shot at the club. ... Damien Simpson died": the shot who
            # lived are the injured (the article's most stated death count taken away)
            k_val = Counter(stated or dead).most_common(1)[0][0]
            rest = (c.value or 0) - k_val
            if rest >= 1 and c.quantity.qualifier is None:
                cands.append(Casualty("injured", Quantity(rest, rest, rest, None, c.quantity.text), c.sent_i, c.start, c.end,
                                      "shot_minus", lemma="shoot", noun=c.noun, group=c.group,
                                      subset_marker=c.subset_marker, other_event=c.other_event))
        elif not killed_any:
            cands.append(Casualty("injured", Quantity(c.value, c.quantity.low, c.quantity.high, c.quantity.qualifier, c.quantity.text),
                                  c.sent_i, c.start, c.end, "shot", lemma="shoot", noun=c.noun, group=c.group,
                                  subset_marker=c.subset_marker, other_event=c.other_event))
    for c in [c for c in cands if c.slot == "shot" and c.rule == "implicit_one"]:
        if not any(k.slot == "killed" and abs(k.sent_i - c.sent_i) <= 0 for k in cands):
            cands.append(Casualty("injured", c.quantity, c.sent_i, c.start, c.end, "implicit_shot", lemma="shoot",
                                  noun=c.noun, other_event=c.other_event))
    cands.sort(key=lambda c: (c.start, c.slot))


_OF_WHICH = re.compile(r"^\s*(?:of|among)\s+(?:which|whom|them|those)\b", re.I)


def _of_which(doc: Any, cands: list[Casualty]) -> None:
    """"64 people were wounded, 59 of which were hospitalized": a count followed by "of
    which / of whom / of them" is a part of a larger count of the same slot given before
    it in the sentence (while "Four were shot; two of them died" counts the dead)."""
    text = doc.text
    for c in cands:
        if c.excluded or c.value is None or not _OF_WHICH.match(text[c.end : c.end + 20]):
            continue
        if any(o is not c and not o.excluded and o.slot == c.slot and o.sent_i == c.sent_i and o.start < c.start
               and o.value is not None and o.value > c.value for o in cands):
            c.excluded = "subset"


def _mark(cands: list[Casualty]) -> None:
    """Exclusions that need the whole article: a group count is a subset when a larger
    total of the same slot is given."""
    for c in cands:
        if c.excluded:
            continue
        if c.combined and c.rule != "verb_before":
            c.excluded = "combined"
        elif c.subset_marker:
            c.excluded = "subset"
    totals = {s: [c.value for c in cands if c.slot == s and not c.excluded and not c.group and not c.other_event
                  and c.value is not None and c.rule not in _IMPLICIT | _SUMS - {"plus_suicide"}] for s in SLOTS}
    # "Four men fatally shot": a count of men, women or children is a total for the
    # single victims it holds, though a part of a larger count of people
    people = {s: [c.value for c in cands if c.slot == s and not c.excluded and c.generic
                  and not c.other_event and c.value is not None and c.rule not in _IMPLICIT | _SUMS] for s in SLOTS}
    for c in cands:
        if c.excluded or not (c.group or c.rule in _IMPLICIT | {"fatal_event"}) or c.value is None or c.slot not in SLOTS:
            continue
        if any(v > c.value for v in totals[c.slot] if v is not None) or (not c.group and any(v > c.value for v in people[c.slot] if v is not None)):
            c.excluded = "subset"
    _breakdowns(cands)


def _breakdowns(cands: list[Casualty]) -> None:
    """Counts of one slot in one sentence that add up to a count of that slot stated
    elsewhere are its parts ("750 people were wounded in the south, 150 in the valley and
    the other 1,850 in the capital", after "2,750 people were wounded"): subsets."""
    groups: dict[tuple[int, str], list[Casualty]] = {}
    for c in cands:
        # stated figures only ("750"), never a count read off words ("a 4-year-old girl")
        if (c.slot in SLOTS and not c.excluded and not c.other_event and c.value and c.rule not in _SUMS | _IMPLICIT
                and any(ch.isdigit() for ch in c.quantity.text)):
            groups.setdefault((c.sent_i, c.slot), []).append(c)
    for (si, slot), parts in groups.items():
        if len(parts) < 2:
            continue
        total = sum(c.value or 0 for c in parts)
        if any(c.value == total for c in cands if c.slot == slot and c.sent_i != si and not c.excluded
               and not c.other_event):
            for c in parts:
                c.excluded = "subset"


_N = r"(\d{1,3}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
_T_GAP = r"\s+(?:[\w'-]+\s+){0,2}?"
_T_KILLED = r"(?:killed|dead|die|dies|died|slain|murdered|fatally|shot dead|shot to death|shot and killed)\b"
_T_INJURED = r"(?:injured|wounded|hurt|hospitalized)\b"
_TITLE_RX = (
    ("shot_fatal", re.compile(_N + r"\s+(?:[\w'-]+\s+){0,2}?shot,?\s+" + _N + r"\s+(?:of them\s+)?(?:fatally|dead|killed|dies|died)\b", re.I)),
    ("killed", re.compile(r"\b" + _N + _T_GAP + _T_KILLED, re.I)),
    ("injured", re.compile(r"\b" + _N + _T_GAP + _T_INJURED, re.I)),
    ("shot", re.compile(r"\b" + _N + _T_GAP + r"(?:shot|hit by gunfire|struck by gunfire)\b(?!\s+(?:dead|to death|and killed))", re.I)),
)
_T_DEATH = re.compile(r"\b(fatal|fatally|deadly|killed|kills|killing|dead|dies|died|death|homicide|murder|slain)\b", re.I)


def _title_num(w: str) -> float:
    return float(w) if w.isdigit() else float(_WORD_NUMS[w.lower()])


_T_PERSON = (r"(?:man|woman|boy|girl|teen|teenager|child|toddler|baby|infant|juvenile|student|officer|deputy|trooper|"
             r"father|mother|son|daughter|husband|wife|grandmother|grandfather|motorist|driver|\d+-year-old)")
_T_SINGLE_DEATH = re.compile(r"\b" + _T_PERSON + r"\b,?(?:\s+(?!(?:who|charged|accused|arrested|sentenced|convicted|"
                             r"indicted|kills|killed|shoots|shot|in|at|after|for|of)\b)[\w',-]+){0,4}?\s+(?:is\s+|was\s+)?"
                             r"(?:killed|dies|died|dead|fatally shot|shot dead|shot and killed|shot to death|slain)\b", re.I)


def title_single_death(title: str | None) -> bool:
    """The headline says one person died: "Female Juvenile Killed After Accidental
    Shooting", "21-year-old man dead after accidentally shooting self", "Teen dies days
    after shooting" (a count in the headline is :func:`title_counts`' instead)."""
    if not title or "killed" in title_counts(title):
        return False
    return bool(_T_SINGLE_DEATH.search(title))


def _headline_died(cands: list[Casualty], title: str | None) -> None:
    """One person shot, in an article whose body says nobody died but whose headline
    says that person died ("Boy, 6, dies after shooting" over "a 6-year-old boy shot
    himself"): the shot person is the one killed (rule ``headline_died``), not injured."""
    if not title_single_death(title) or any(
            c.slot == "killed" and not c.excluded and not c.other_event for c in cands):
        return
    ones = [c for c in cands if c.slot == "injured" and not c.excluded and not c.other_event]
    if not ones or any(c.value != 1 or c.rule not in {"implicit_one", "implicit_shot"} for c in ones):
        return
    for c in ones:
        c.excluded = "died"
        cands.append(Casualty("killed", c.quantity, c.sent_i, c.start, c.end, "headline_died", lemma=c.lemma, noun=c.noun))
    cands.sort(key=lambda c: (c.start, c.slot))


def title_counts(title: str | None) -> dict[str, float]:
    """The counts a headline states: "2 dead, 3 injured in shooting" -> killed 2, injured
    3; "5 Shot, 1 Fatally" -> killed 1, injured 4; "Four hurt in drive-by" -> injured 4;
    "3 shot in Austin" with no death word -> injured 3. Features of the body's
    candidates (the headline is not in the text, so it is no evidence of its own)."""
    out: dict[str, float] = {}
    if not title:
        return out
    for kind, rx in _TITLE_RX:
        m = rx.search(title)
        if m is None:
            continue
        if kind == "shot_fatal":
            shot, dead = _title_num(m.group(1)), _title_num(m.group(2))
            out.setdefault("killed", dead)
            if shot > dead:
                out.setdefault("injured", shot - dead)
        elif kind == "shot":
            if "injured" not in out and not _T_DEATH.search(title):
                out["injured"] = _title_num(m.group(1))
        else:
            out.setdefault(kind, _title_num(m.group(1)))
    return out


def _features(cands: list[Casualty], title_end: int, headline: dict[str, float] | None = None) -> None:
    headline = headline or {}
    for slot in SLOTS:
        pool = [c for c in cands if c.slot == slot and not c.excluded]
        counts = Counter(c.value for c in pool)
        numeric = [c.value for c in pool if c.rule not in _IMPLICIT | _SUMS and c.value is not None]
        mx = max(numeric) if numeric else None
        title_vals = {c.value for c in pool if c.start < title_end}
        for c in pool:
            f: dict[str, float] = {
                f"rule={c.rule}": 1.0,
                f"lemma={c.lemma}" if c.lemma in _KNOWN_LEMMAS else "lemma=other": 1.0,
                "qualified": float(c.quantity.qualifier is not None),
                "vague": float(c.quantity.qualifier in _VAGUE_Q),
                "group": float(c.group),
                "other_event": float(c.other_event),
                "in_title": float(c.start < title_end),
                "value_in_title": float(c.value in title_vals),
                "headline_same": float(headline.get(slot) == c.value),
                "headline_other": float(slot in headline and headline[slot] != c.value),
                "generic": float(c.generic),
                "sent0": float(c.sent_i == 0),
                "sent_le2": float(c.sent_i <= 2),
                "sent_log": math.log1p(c.sent_i),
                "repeat": math.log1p(counts[c.value] - 1),
                "n_values": math.log1p(len(counts)),
                "is_max": float(mx is not None and c.value == mx),
                "one": float(c.value == 1),
                "larger_numeric": float(mx is not None and c.value is not None and mx > c.value),
                "words": float(not any(ch.isdigit() for ch in c.quantity.text)),
                "noun_person": float(c.noun in {"people", "person", "persons", "others", "victim", "victims"}),
                "noun_none": float(not c.noun),
                "pronoun": float(c.rule in _IMPLICIT and c.noun in {"he", "she", "him", "her"}),
                "same_person_other_slot": float(c.rule in _IMPLICIT and any(
                    k.slot != slot and k.rule in _IMPLICIT and k.noun == c.noun for k in cands)),
                "distinct_persons": math.log1p(len({k.noun for k in pool if k.rule in _IMPLICIT and k.noun not in {"he", "she", "him", "her"}})),
                "other_slot": float(any(k.slot != slot and k.slot in SLOTS and not k.excluded for k in cands)),
                "killed_same_sent": float(any(k.slot == "killed" and k.sent_i == c.sent_i and not k.excluded for k in cands)
                                          if slot == "injured" else 0.0),
            }
            c.features = f


_KNOWN_LEMMAS = frozenset({
    "kill", "die", "shoot", "wound", "injure", "hurt", "find", "killing", "killed", "wounding", "injuring",
    "wounded", "injured", "dead", "died", "toll", "claimed", "leaving", "left", "lives", "deaths", "shot",
    "murder", "succumb", "hospitalize", "number", "fatally", "martyrs", "strike", "hit", "stab", "pronounce",
    "condition", "shooting", "death", "leave", "hospital", "treat",
})  # fmt: skip
_IMPLICIT = frozenset({"implicit_one", "implicit_shot", "implicit_wounded"})
# counts made from other candidates: they never make another candidate a subset
_SUMS = frozenset({"fatal_event", "named_sum", "plus_suicide", "another_sum", "others_sum", "clause_sum"})
_VAGUE_Q = frozenset({"dozens", "hundreds", "thousands", "scores", "several", "a few", "a handful", "a couple"})


@dataclass(slots=True)
class CasualtyModel:
    """Logistic regression per slot over the candidate features (weights in JSON)."""

    weights: dict[str, dict[str, float]]
    bias: dict[str, float]
    threshold: dict[str, float]
    meta: dict[str, Any] = field(default_factory=dict)

    def score(self, c: Casualty) -> float:
        if c.slot not in self.weights:
            return 0.0
        w = self.weights[c.slot]
        z = self.bias[c.slot] + sum(w.get(k, 0.0) * v for k, v in c.features.items())
        return 1.0 / (1.0 + math.exp(-z))

    def keep(self, c: Casualty) -> bool:
        return c.slot in self.threshold and self.score(c) >= self.threshold[c.slot]

    def to_json(self) -> str:
        return json.dumps({"weights": self.weights, "bias": self.bias, "threshold": self.threshold, "meta": self.meta},
                          indent=1, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> CasualtyModel:
        d = json.loads(text)
        return cls(d["weights"], d["bias"], d["threshold"], d.get("meta", {}))


@cache
def load_model() -> CasualtyModel | None:
    """The shipped model (src/rashomon/data/models/casualties-lr.json), or None."""
    path = MODEL_PATH
    if not path.is_file():
        return None
    text = path.read_text()
    return CasualtyModel.from_json(text)


def select(cands: list[Casualty], model: CasualtyModel | None = None) -> list[Casualty]:
    """The candidates that become facts: killed / injured, not excluded, and (with a
    model) scored at or above the slot's threshold. Precise rules ("killing 73", "the
    toll rose to 84"), and counts larger than any the model was trained on (GVA's
    incidents are small; "at least 274 Palestinians were killed" is outside its range),
    and counts the headline states too, keep the rules' verdict, unless the count is
    about another event."""
    model = model if model is not None else load_model()
    out = []
    for c in cands:
        if c.slot not in SLOTS or c.excluded:
            continue
        if model is not None:
            c.score = model.score(c)
            # a count the text states (not one made by arithmetic: "219 people shot" minus the dead)
            beyond = c.value is not None and c.value > model.meta.get("max_value", {}).get(c.slot, float("inf")) and (
                c.rule not in _MADE_RULES)
            headline = c.features.get("headline_same", 0.0) > 0  # the headline states this count
            if (c.other_event or not (beyond or headline or c.rule in PRECISE_RULES)) and c.score < model.threshold.get(c.slot, 0.5):
                continue
        out.append(c)
    return _drop_parts(out)


_MADE_RULES = frozenset({"shot", "derived", "shot_minus", "conj_sum", "named_sum", "plus_suicide", "another_sum", "headline_died",
                         "clause_sum"})
CONFIDENT = 0.6  # a count kept with this score (or by a precise rule) outweighs single victims


def _drop_parts(kept: list[Casualty]) -> list[Casualty]:
    """Single victims ("a man was killed", "one victim died", "a fatal shooting") are
    parts of a larger count of the same slot that is kept with confidence ("Two people
    were killed"): they are no values of their own, so that several singles do not
    outvote the article's toll."""
    out = kept
    for slot in SLOTS:
        big = [c for c in out if c.slot == slot and (c.value or 0) > 1 and c.rule not in _IMPLICIT and not c.other_event
               and (not c.group or c.generic) and (c.score >= CONFIDENT or c.rule in PRECISE_RULES)]
        if big:
            out = [c for c in out if not (c.slot == slot and c.value == 1 and c.rule not in PRECISE_RULES)]
    return out


PRECISE_RULES = frozenset({"verb_before", "toll", "implicit_wounded", "ordinal", "others_sum"})
