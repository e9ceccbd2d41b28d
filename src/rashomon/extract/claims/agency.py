"""Agency: who the text says did the act, whoever's voice it is in.

Not a claim pass (it finds no cue and no content, so PolNeAR never sees it): it reads
the parse for the agent of an attack or an operation, and ``extract/facts.py`` turns
each finding into a responsibility fact in the voice of the claim whose content covers
it (else the article's own voice). Rules (``Agency.rule``):

- ``agency.noun``: an attack or weapon noun whose modifier, possessor or compound names
  the agent: "the Israeli attack", "Russia's strike on Dnipro", "a Hezbollah rocket",
  "the Russian bombing of the theatre", "an Israeli Air Force strike";
- ``agency.noun_by``: "an operation by the IDF", "a strike by Russian forces";
- ``agency.verb``: the subject of an attack or operation verb: "Russian forces struck
  Dnipro", "Israeli forces rescued four hostages", "Israel carried out its largest rescue
  operation", "the air force launched strikes";
- ``agency.passive``: the agent of a passive attack verb: "rescued by the Israeli
  military", "destroyed by a Russian missile" (the noun rule names the missile's agent);
- ``agency.behind``: "X is behind the blast", "X is responsible for the attack", "X is
  to blame for": an attribution of the act (negated: a denial);
- ``agency.not_act``: a negated attack verb, "the Russian armed forces do not strike
  residential buildings", "the aviation did not carry out missions": a denial by the
  subject.

``kind`` is ``attack`` (a violent act: blame when another voice says it, an
acknowledgement when the agent's own voice does), ``operation`` (an operation or rescue
a state or its forces openly conducted: an acknowledgement), ``behind`` (an attribution)
or ``not_act`` (a denial). Acts of another event are skipped: "in retaliation for an
Israeli strike", "Hamas's October 7 attack" (an act named by its date), "since it
launched its invasion", and hypothetical ones ("could be used to carry out strikes").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rashomon.extract.cues import SPEECH

#: Nouns of a violent act or of the weapon that did it ("a Russian missile hit").
ATTACK_NOUNS = frozenset({
    "attack", "strike", "airstrike", "raid", "assault", "bombing", "bombardment", "shelling",
    "missile", "rocket", "drone", "bomb", "shell", "munition", "artillery", "incursion",
    "aggression", "barrage", "counter-rocket", "interceptor", "airstrikes", "massacre",
    "detonation", "blast", "explosion", "offensive",
})
#: Nouns of an operation a state conducts openly ("the Israeli military operation").
OPERATION_NOUNS = frozenset({"operation", "rescue", "mission"})
#: Verbs whose subject did the act.
ATTACK_VERBS = frozenset({
    "strike", "hit", "bomb", "shell", "attack", "target", "raid", "pound", "blow", "detonate",
    "torch", "destroy", "fire",
})
OPERATION_VERBS = frozenset({"rescue", "free", "eliminate"})
#: Light verbs that carry an act only with an act noun as object ("launched strikes").
LIGHT_VERBS = frozenset({"carry", "conduct", "launch", "execute", "stage", "mount", "commit", "return", "use", "employ", "drop"})
#: Verbs of blame: in "X was blamed for the bombing by officials" the "by" names the blamer.
BLAME_VERBS = frozenset({"blame", "accuse", "implicate", "suspect", "fault"})
#: Predicates of "X is behind / responsible for / to blame for".
BEHIND = frozenset({"behind", "responsible", "blame"})
#: Words that place an act in another event.
OTHER_EVENT = frozenset({"retaliation", "response", "revenge", "since", "retaliatory", "avenge", "anniversary"})
#: Modifiers of an act noun that make it another act: "similar attacks", "previous strikes".
EARLIER = frozenset({"similar", "previous", "past", "earlier", "prior", "other", "former"})
#: Verbs of hostage-taking that describe captives by an earlier act ("hostages abducted in").
TAKEN = frozenset({"kidnap", "abduct", "seize", "capture", "take", "snatch"})
MODALS = frozenset({"could", "would", "may", "might", "will", "can", "should", "must"})
WEEKDAYS = frozenset({"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
                      "today", "yesterday", "tonight", "night", "morning", "evening"})


@dataclass(frozen=True, slots=True)
class Agency:
    """One agent of one act: ``agent`` is the token range naming the agent (a demonym,
    possessor, subject or "by" object), ``act`` the token of the act."""

    agent: tuple[int, int]
    act: int
    kind: str  # attack | operation | behind | not_act
    rule: str
    self_ref: bool = False  # "it", "we", "its aircraft": the speaker of the claim around it


#: Subjects that refer back to the speaker of the claim they stand in.
SELF_WORDS = frozenset({"it", "we", "they", "its", "our", "their", "us"})
#: Bodies a spokesman's statement calls itself ("the group denies", "the organization is").
GROUP_SELF = frozenset({"group", "organization", "organisation", "movement", "party", "militia"})


def self_reference(tok: Any) -> bool:
    """'it', 'we', 'its aircraft', 'our forces', 'the group' inside a statement."""
    if tok.lower_ in {"it", "we", "they"}:
        return True
    if any(c.dep_ == "poss" and c.lower_ in SELF_WORDS for c in tok.children):
        return True
    return tok.lemma_.lower() in GROUP_SELF and any(c.lower_ == "the" for c in tok.children) and not any(
        t.pos_ == "PROPN" for t in tok.subtree
    )


def _act_kind(tok: Any) -> str | None:
    low = tok.lemma_.lower()
    kids = {c.lower_ for c in tok.children if c.dep_ in {"compound", "amod"}}
    if low in {"defense", "defence"} and "air" in kids:
        return "attack"  # "Ukraine's air defence shot it down"
    if low in {"launch", "fire", "salvo"} and kids & {"rocket", "missile", "drone", "mortar", "artillery"}:
        return "attack"  # "a failed rocket launch by Islamic Jihad"
    if low in {"system", "systems", "battery", "unit"} and kids & {"defense", "defence", "missile"}:
        return "attack"  # "a Ukrainian air defense system"
    if low in ATTACK_NOUNS or tok.lower_ in ATTACK_NOUNS:
        return "attack"
    if low in OPERATION_NOUNS:
        return "operation"
    return None


def _other_event(tok: Any, published: str | None = None) -> bool:
    """An act of another event, or a hypothetical one (``published``: the article's
    publication date, ISO, which tells this event's date from another's)."""
    if tok.sent.text.rstrip().endswith("?"):
        return True  # "Who will become the target of Iran's strikes?"
    governing = next((a for a in tok.ancestors if a.pos_ in {"VERB", "AUX"}), None) if tok.pos_ != "VERB" else None
    if governing is not None and any(c.dep_ == "aux" and c.lower_ in MODALS for c in governing.children):
        return True  # "Iran's strikes will ...", "what an Israeli attack would mean"
    for a in [tok, *tok.ancestors]:
        if a.lemma_.lower() in OTHER_EVENT:
            return True
        if a.pos_ == "VERB" and any(c.dep_ == "advmod" and c.lower_ in {"earlier", "previously", "before"} for c in a.children):
            return True  # "Earlier on Sunday, Hamas fired rockets"
        if a.pos_ == "VERB" and any(c.dep_ == "mark" and c.lower_ in {"after", "before", "since", "until"} for c in a.children):
            return True  # "hours after Hamas fired rockets": an earlier act
        if a.dep_ == "prep" and a.lower_ in {"after", "before", "since"} and any(c.dep_ == "npadvmod" for c in a.children):
            return True  # "hours after an Israeli airstrike on south Lebanon"
        if a.pos_ == "VERB" and a.dep_ in {"acl", "relcl"} and a.lemma_.lower() in TAKEN and a is not tok:
            return True  # "the hostages kidnapped during Hamas's raid": when they were taken, before
        if a.dep_ == "prep" and a.lower_ in {"during", "in"} and any(
            t.pos_ == "VERB" and t.dep_ in {"acl", "relcl"} and t.lemma_.lower() in TAKEN
            for t in tok.doc[a.head.i + 1 : a.i]
        ):
            return True  # the same, with "during ..." hung on the main verb by the parser
        if a.dep_ == "relcl" and any(c.lower_ in {"where", "when"} for c in a.children):
            return True  # "Kobani, where Turkish forces have carried out operations"
        if a.pos_ == "VERB" and a.dep_ in {"relcl", "ccomp"} and any(c.dep_ == "aux" and c.lemma_ == "have" and c.tag_ in {"VBP", "VBZ"} for c in a.children) and a is tok:
            return True  # "movements have targeted Istanbul before": a record, not this act
        if a.pos_ == "VERB" and any(o.dep_ in {"dobj", "obj"} and any(g.lemma_.lower() in OTHER_EVENT | EARLIER for g in o.children) for o in a.children):
            return True  # "launched a retaliatory offensive", "carried out similar attacks"
        if a.pos_ == "VERB" and any(c.dep_ == "prep" and c.lower_ in {"in", "over", "for"} and any(
                g.lower_ == "past" or g.lower_ in {"years", "decades", "months"} for g in c.children) for c in a.children):
            return True  # "have carried out attacks in the past", "... in recent years"
        near = a is tok or (a is tok.head and tok.dep_ in {"xcomp", "pcomp"})
        if near and a.pos_ in {"VERB", "AUX"} and any(c.dep_ == "aux" and c.lower_ in MODALS for c in a.children):
            return True  # "could strike", "would carry out attacks"
        if a is tok and any(c.dep_ == "aux" and c.lower_ == "to" for c in a.children):
            return True  # "could be used to carry out strikes"
        if a.dep_ == "ROOT":
            break
    if any(c.dep_ == "amod" and c.lower_ in EARLIER for c in tok.children):
        return True  # "similar attacks in the past", "previous strikes"
    date = _naming_date(tok)
    return date is not None and not _this_events_date(tok, date, published)


def _naming_date(tok: Any) -> Any | None:
    """The date token an act is named by: "the October 7 attack", "the 2016 bombings",
    "Hamas's October 7 attack" (parsed as a possessive), "a Hamas attack Oct. 7 last
    year"; not a weekday ("Sunday's strike")."""
    for c in tok.children:
        if c.dep_ in {"compound", "nmod", "nummod", "amod"} and c.ent_type_ == "DATE" and c.lower_ not in WEEKDAYS:
            return c
        if c.dep_ == "poss" and c.ent_type_ == "DATE" and any(g.ent_type_ == "DATE" and g.like_num for g in c.subtree):
            return c
        if c.dep_ == "npadvmod" and c.ent_type_ == "DATE" and c.i > tok.i and any(g.like_num for g in c.subtree):
            return c
    return None


#: Days before publication (and after it) within which a date names the article's own event.
THIS_EVENT_DAYS = (14, 2)
#: Sentences at the top of an article (title, lede) that name the article's own event.
LEDE_SENTENCES = 3


def _this_events_date(tok: Any, date_tok: Any, published: str | None) -> bool:
    """Whether the date an act is named by is the article's own event's: within two
    weeks before publication ("The death toll from a January 14 Russian missile attack
    has risen", published 20 January), or, with no publication date, in the title or the
    lede and of no other year. "Hamas's October 7 attack" in a June article is another."""
    from datetime import date as _date

    from rashomon.annotate.dates import resolve_date

    ent = next((e for e in tok.doc.ents if e.start <= date_tok.i < e.end and e.label_ == "DATE"), None)
    text = ent.text if ent is not None else date_tok.text
    value = resolve_date(text, published)
    if published and value is not None and value.start and len(value.start) == 10:
        try:
            days = (_date.fromisoformat(published[:10]) - _date.fromisoformat(value.start)).days
        except ValueError:
            return False
        return -THIS_EVENT_DAYS[1] <= days <= THIS_EVENT_DAYS[0]
    if published or value is None or (value.start and len(value.start) >= 4 and value.anchored):
        return False  # a year is named ("the 2016 bombings"), or the date is not a day
    if any(w in text.lower() for w in ("last", "ago", "previous", "earlier")):
        return False
    lede = list(tok.doc.sents)[:LEDE_SENTENCES]
    return any(s.start <= tok.i < s.end for s in lede)


def _hyphen_parts(tok: Any) -> list[Any]:
    """The first part of a hyphenated noun the tokenizer split and the parser hung apart:
    "an Israeli counter-rocket" -> "counter" (which carries "Israeli")."""
    doc = tok.doc
    if tok.i < 2 or doc[tok.i - 1].text != "-" or doc[tok.i - 1].whitespace_ or doc[tok.i - 2].whitespace_:
        return []
    first = doc[tok.i - 2]
    return [first] if first.head.i == tok.head.i and first.pos_ in {"NOUN", "PROPN"} else []


def _noun_agents(tok: Any) -> list[tuple[Any, str]]:
    """Tokens naming the agent of an act noun, with the rule."""
    out: list[tuple[Any, str]] = []
    mods = [tok, *(c for c in tok.children if c.dep_ == "compound"), *_hyphen_parts(tok)]
    for m in mods:
        for c in m.children:
            if c.dep_ in {"amod", "poss", "compound", "nmod"} and c is not tok and (c.pos_ in {"PROPN", "ADJ", "NOUN"}):
                if c.ent_type_ in {"DATE", "TIME", "CARDINAL", "ORDINAL", "GPE_LOC"}:
                    continue
                out.append((c, "agency.noun"))
    blamed_for = tok.dep_ == "pobj" and tok.head.lower_ in {"for", "of"} and tok.head.head.lemma_ in BLAME_VERBS
    for c in tok.children:
        if c.dep_ == "prep" and c.lower_ == "by" and not blamed_for:  # not "blamed for the bombing by officials"
            obj = next((g for g in c.children if g.dep_ == "pobj"), None)
            if obj is not None:
                out.append((obj, "agency.noun_by"))
    return out


def _act_object(verb: Any) -> Any | None:
    return next((o for o in verb.children if o.dep_ in {"dobj", "obj"} and _act_kind(o) is not None), None)


def _negated(verb: Any) -> bool:
    return any(c.dep_ == "neg" for c in verb.children)


def _subject(verb: Any) -> Any | None:
    subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    if subj is None and verb.dep_ == "conj":
        subj = next((c for c in verb.head.children if c.dep_ == "nsubj"), None)
    return subj


def _span(tok: Any) -> tuple[int, int]:
    """The agent phrase: the token with its compounds and flat name parts."""
    lo, hi = tok.i, tok.i + 1
    for c in tok.children:
        if c.dep_ in {"compound", "amod", "flat", "det"} and c.i < tok.i:
            lo = min(lo, c.left_edge.i)
    return lo, hi


def find(doc: Any, published: str | None = None) -> list[Agency]:
    out: list[Agency] = []
    for tok in doc:
        kind = _act_kind(tok) if tok.pos_ in {"NOUN", "PROPN"} else None
        if kind is not None and tok.dep_ == "nsubj" and tok.head.lemma_ in SPEECH:
            kind = None  # "Ukraine's Air Defense reported": a speaker, not an act
        if kind is not None and not _other_event(tok, published):
            # "the Israeli raid that rescued four hostages": an attack and an open operation
            rescued = kind == "attack" and any(
                c.dep_ in {"relcl", "acl"} and c.lemma_.lower() in OPERATION_VERBS and not _negated(c) for c in tok.children)
            for ag, rule in _noun_agents(tok):
                out.append(Agency(_span(ag), tok.i, kind, rule))
                if rescued:
                    out.append(Agency(_span(ag), tok.i, "operation", rule))
        if tok.pos_ not in {"VERB", "AUX", "ADJ", "ADP", "NOUN"}:
            continue
        low = tok.lemma_.lower()
        # "X is behind the blast", "X is responsible for", "X is to blame"
        if low in BEHIND and tok.dep_ in {"acomp", "prep", "xcomp", "attr"} and tok.head.lemma_ == "be":
            be = tok.head
            subj = _subject(be)
            if subj is not None and (subj.pos_ != "PRON" or self_reference(subj)) and not _other_event(be, published):
                kind = "not_act" if _negated(be) or any(c.dep_ == "neg" for c in tok.children) else "behind"
                out.append(Agency(_span(subj), tok.i, kind, "agency.behind", self_reference(subj)))
            continue
        if tok.pos_ not in {"VERB"}:
            continue
        obj = _act_object(tok) if low in LIGHT_VERBS else None
        if obj is None and low in LIGHT_VERBS:  # "the attack was carried out by IS"
            obj = next((c for c in tok.children if c.dep_ == "nsubjpass" and _act_kind(c) is not None), None)
        if low in ATTACK_VERBS or low in OPERATION_VERBS or obj is not None:
            vkind = "operation" if low in OPERATION_VERBS else (_act_kind(obj) if obj is not None else "attack")
            passive = any(c.dep_ in {"nsubjpass", "auxpass"} for c in tok.children)
            if passive:
                agent = next((g for c in tok.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"), None)
                if agent is not None and _act_kind(agent) is None and not _negated(tok) and not _other_event(tok, published):
                    out.append(Agency(_span(agent), tok.i, vkind or "attack", "agency.passive"))
                continue
            subj = _subject(tok)
            if subj is None or (subj.pos_ == "PRON" and not self_reference(subj)) or _act_kind(subj) is not None:
                continue  # "a Russian missile hit": the noun rule names the agent
            own = self_reference(subj)
            if _negated(tok):
                if vkind == "attack":
                    out.append(Agency(_span(subj), tok.i, "not_act", "agency.not_act", own))
                continue
            if tok.tag_ == "VBG" and tok.dep_ in {"pcomp", "xcomp", "advcl"}:
                continue  # "accused it of detonating": the accusation rule's business
            if not _other_event(tok, published):
                out.append(Agency(_span(subj), tok.i, vkind or "attack", "agency.verb", own))
    return out
