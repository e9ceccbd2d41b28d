"""Facts: one reported value per slot of an event mention, with who reported it.

Algorithm ``rashomon.extract.facts.v1``. The attribution of a sentence is the claim
whose content covers it ("According to Iranian sources, there were two explosions"), or,
for the sentence right after an "according to" sentence in the same paragraph that has
no attribution of its own, the same speaker (news writing continues an attribution that
way: "According to X, ... . The explosives were planted ..."). Otherwise the article's
own voice.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from rashomon.extract.events import Candidate, _para_of
from rashomon.model import Article, Claim, EventMention, Fact, Mention, Span

VERSION = "rashomon.extract.facts.v1"

_PERPETRATOR_WORDS = ("carried out by", "behind", "responsible", "perpetrated", "orchestrated", "masterminded", "was the work of")


def sentence_speakers(doc: Any, claims: Sequence[Claim]) -> dict[int, Claim]:
    """Sentence index -> the claim that attributes it (content covering the sentence)."""
    sents = list(doc.sents)
    out: dict[int, Claim] = {}
    for i, s in enumerate(sents):
        best: Claim | None = None
        for c in claims:
            if not _attributable(c):
                continue
            lo, hi = max(s.start_char, c.content.start), min(s.end_char, c.content.end)
            cue_in = c.cue_span is not None and s.start_char <= c.cue_span.start < s.end_char
            if hi - lo > 0.5 * (s.end_char - s.start_char) or (cue_in and hi > lo):
                best = c
                break
        if best is not None:
            out[i] = best
    # carry an "according to" attribution into the next sentence of the same paragraph
    for i in sorted(out):
        c = out[i]
        j = i + 1
        if c.cue.lower().startswith("according") and j < len(sents) and j not in out:
            between = doc.text[sents[i].end_char : sents[j].start_char]
            if "\n" not in between and "\n" not in sents[j].text.strip():
                out[j] = c
    return out


# Cues that attribute the facts in their content to the speaker. Claims cued by other
# verbs ("Millions observed a day of mourning") do not make the speaker the source.
ATTRIBUTION_CUES = frozenset({
    "say", "tell", "state", "add", "claim", "report", "announce", "confirm", "quote",
    "according to", "believe", "allege", "insist", "warn", "write", "note", "describe",
    "explain", "estimate", "put", "give", "reveal", "declare", "acknowledge", "admit",
    "suggest", "assert", "argue", "cite", "show", "revise", "lower", "raise", "update",
    "publish", "broadcast", "post", "list", "record", "count", "told", "said",
})


def _attributable(c: Claim) -> bool:
    """Only a real source can carry a fact: a resolved actor or an unnamed source, not
    "the article", "you" or "the latest incident"."""
    if c.kind in {"responsibility_claim", "denial"}:
        return False  # "IS claimed the bombings that killed 103": the 103 is not IS's figure
    if c.cue.lower() not in ATTRIBUTION_CUES and not c.quoted:
        return False
    return (c.speaker_type == "actor" and c.speaker_id is not None) or c.speaker_type == "unnamed"


def negated(doc: Any, c: Claim) -> bool:
    """'nor have they directly blamed', 'did not claim': the claim is denied by its own verb."""
    if c.cue_span is None:
        return False
    span = doc.char_span(c.cue_span.start, c.cue_span.end, alignment_mode="expand")
    if span is None or not len(span):
        return False
    tok = span.root
    if any(ch.dep_ == "neg" for ch in tok.children) or any(ch.dep_ == "neg" for ch in tok.head.children if tok.dep_ in {"xcomp", "dobj"}):
        return True
    left = [t.lower_ for t in doc[max(tok.sent.start, tok.i - 4) : tok.i]]
    return any(w in {"not", "never", "nor", "n't", "no"} for w in left)


def _speaker_fields(c: Claim | None) -> dict[str, Any]:
    if c is None:
        return {"speaker_type": "article", "speaker_id": None, "speaker_name": "the article", "claim_id": None}
    return {"speaker_type": c.speaker_type, "speaker_id": c.speaker_id, "speaker_name": c.speaker_name, "claim_id": c.id}


def extract_facts(
    doc: Any,
    article: Article,
    events: Sequence[EventMention],
    members: dict[str, list[Candidate]],
    claims: Sequence[Claim],
    actor_names: dict[str, str],
) -> list[Fact]:
    sents = list(doc.sents)
    attributed = sentence_speakers(doc, claims)
    facts: list[Fact] = []

    def add(ev: EventMention, slot: str, value: str, sent_i: int, *, span: Span | None = None,
            claim: Claim | None = None, own_voice: bool = False, **kw: Any) -> None:
        s = sents[sent_i]
        ev_span = span or Span(article.id, s.start_char, s.end_char)
        who = None if own_voice else claim if claim is not None else attributed.get(sent_i)
        facts.append(Fact(
            id=f"{ev.id}:f{len(facts)}", article_id=article.id, event_mention_id=ev.id,
            slot=slot, value=value, evidence=ev_span, as_of=article.published,
            outlet=article.outlet, **_speaker_fields(who), **kw,
        ))

    for ev in events:
        group = members.get(ev.id, [])
        for c in group:
            for k in c.counts:
                q = k.quantity
                who = _speaker_at(k.start, k.sent_i, claims, attributed, doc.text)
                add(ev, k.slot, _num(q.value), k.sent_i, value_num=q.value, low=q.low, high=q.high, qualifier=q.qualifier,
                    value_name=q.text, claim=who, own_voice=who is None)
            seen_methods: set[str] = set()
            for value, surface, si in c.methods:
                if value in seen_methods:
                    continue
                seen_methods.add(value)
                add(ev, "method", value, si, value_name=surface)
            for p in c.perpetrators:
                add(ev, "perpetrator", p, c.sent_i, value_name=actor_names.get(p, p))
        # date and place, from the first candidate that has them
        for c in group:
            if c.dates:
                d = c.dates[0]
                add(ev, "date", d.date or "", c.sent_i, value_name=d.text)
                break
        for c in group:
            if c.places:
                pl = c.places[0]
                add(ev, "place", pl.place_name or pl.text, c.sent_i,
                    value_name=f"{pl.place_name or pl.text}" + (f", {pl.country}" if pl.country else ""))
                break

    by_id = {e.id: e for e in events}
    sent_of = _sentence_finder(sents)
    for cl in claims:
        about = by_id.get(cl.event_mention_id or "")
        if about is None or (cl.kind != "absence" and negated(doc, cl)):
            continue
        si = sent_of(cl.content.start if cl.cue_span is None else cl.cue_span.start)
        if cl.kind != "absence" and other_year(doc, sents[si], article):
            continue  # "An offshoot of the PKK claimed twin bombings ... in December 2016"
        for slot, value, rule in responsibility_values(cl, doc):
            if slot != UNCLAIMED and not is_party(value):
                continue  # a person, an outlet, an ethnic group: not a party to the act
            if slot in {"blamed", "perpetrator"} and cl.target_name and PERSON_APPOSITION.search(cl.target_name):
                continue  # "carried out by Huziafa, a 25-year-old suicide bomber"
            name = actor_names.get(value, cl.target_name if slot in {"blamed", "perpetrator"} else cl.speaker_name)
            add(about, slot, value, si, claim=_voice(cl), value_name=name or value, rule=rule)
    return _dedupe(facts)


#: Accusation cues that criticise without saying who did it.
CRITICISM = frozenset({"criticize", "criticise", "condemn", "denounce", "slam", "attack"})


def _denies_responsibility(cl: Claim, doc: Any) -> bool:
    """A denial of an act or of an allegation ("denied involvement", "rejected the
    accusations", "denied it"), not of anything else ("rejected condolences")."""
    from rashomon.extract.cues import DENIED_OBJECTS

    if cl.cue in {"deny", "no role"} or cl.rule.startswith("responsibility."):
        return True
    words = doc.text[cl.content.start : cl.content.end].lower().replace("’", "'").split()[:6]
    return any(w.strip(".,;:\"'") in DENIED_OBJECTS or w.rstrip("s") in DENIED_OBJECTS for w in words)


def _voice(cl: Claim) -> Claim | None:
    """The claim a responsibility fact is attributed to; None for the article's own voice."""
    return None if cl.speaker_type == "article" else cl


#: Slot of the explicit absence of a responsibility claim ("No group has claimed
#: responsibility"): value "none", in the article's voice. Kept apart from
#: ``responsibility_claimed_by`` so that no actor is ever read as the claimant.
UNCLAIMED = "responsibility_unclaimed"


def responsibility_values(cl: Claim, doc: Any) -> list[tuple[str, str, str]]:
    """(slot, value, rule) of the responsibility facts one linked claim carries.

    - responsibility claim / acknowledgement: ``responsibility_claimed_by`` = the speaker
      (the body a spokesman speaks for, when named);
    - denial: ``denied_by`` = the speaker;
    - accusation: ``blamed`` = each target ("blamed Israel and the United States" -> two);
      the speaker may be an actor, an unnamed source or the article itself;
    - assessment naming a perpetrator ("the US believes ... carried out by ISIS"):
      ``perpetrator`` with the speaker (an attribution, hedged by its cue);
    - absence: ``responsibility_unclaimed`` = "none".
    """
    rule = f"claim:{cl.rule}" if cl.rule else "claim"
    if cl.kind == "absence":
        return [(UNCLAIMED, "none", rule)]
    if cl.kind == "responsibility_claim":
        return [("responsibility_claimed_by", cl.speaker_id, rule)] if cl.speaker_id else []
    if cl.kind == "denial":
        if not cl.speaker_id or cl.speaker_type == "unnamed" or not _denies_responsibility(cl, doc):
            return []
        if cl.target_id and cl.rule.startswith("verb.denial_of_involvement"):
            return [("denied_by", cl.target_id, rule)]  # "Abdi denied SDF involvement"
        return [("denied_by", cl.speaker_id, rule)]
    targets = [t for t in (cl.target_ids or ([cl.target_id] if cl.target_id else [])) if t != cl.speaker_id]
    if not targets:
        return []
    if cl.kind == "accusation":
        if cl.cue in CRITICISM:
            return []  # "criticized the government": criticism, not an attribution of the act
        named = cl.speaker_type in {"article", "unnamed"} or cl.speaker_id
        if not named and cl.speaker_name.lower() in {"this", "that", "it", "which", "these", "those"}:
            return []
        return [("blamed", t, rule) for t in targets]  # "the foreign ministry blamed ..."
    if cl.kind in {"assessment", "statement"} and _attributable(cl):
        content = doc.text[cl.content.start : cl.content.end].lower()
        if any(w in content for w in _PERPETRATOR_WORDS):
            return [("perpetrator", t, rule) for t in targets]
    return []

_CONTRAST = re.compile(r"\b(before|after|while|whereas|but|then|later|until)\b|;")


def _speaker_at(offset: int, sent_i: int, claims: Sequence[Claim], attributed: dict[int, Claim], text: str) -> Claim | None:
    """The speaker of one count: the attributable claim whose content holds the count
    ("Health Minister X first put it at 95, before Interior Minister Y said 84": 95 is X's,
    84 is Y's), else the sentence's attribution."""
    best: Claim | None = None
    not_theirs: set[str] = set()
    for c in claims:
        if not (_attributable(c) and c.content.start <= offset < c.content.end):
            continue
        if c.speaker is not None and c.speaker.start > offset and _CONTRAST.search(text[offset : c.speaker.start]):
            not_theirs.add(c.id)  # "X first put it at 95, before Y said 84": 95 is not Y's
            continue
        if best is None or (c.content.end - c.content.start) < (best.content.end - best.content.start):
            best = c
    if best is not None:
        return best
    fallback = attributed.get(sent_i)
    if fallback is not None and (fallback.id in not_theirs or (
            fallback.speaker is not None and fallback.speaker.start > offset
            and _CONTRAST.search(text[offset : fallback.speaker.start]))):
        return None
    return fallback


def _dedupe(facts: list[Fact]) -> list[Fact]:
    """One fact per (event, slot, value, speaker, evidence sentence)."""
    seen: dict[tuple[Any, ...], Fact] = {}
    out = []
    for f in facts:
        key = (f.event_mention_id, f.slot, f.value, f.speaker_type, f.speaker_id, f.evidence.start, f.value_name if f.slot in ("killed", "injured") else None)
        if key not in seen:
            seen[key] = f
            out.append(f)
        elif f.rule and not seen[key].rule:
            seen[key].rule = f.rule  # an event's candidate perpetrator a rule also names
    return out


def _num(v: float | None) -> str:
    if v is None:
        return ""
    return str(int(v)) if float(v).is_integer() else f"{v:g}"


def _sentence_finder(sents: Sequence[Any]) -> Any:
    starts = [s.start_char for s in sents]
    return lambda offset: _para_of(offset, starts)


def link_actor(span: Span | None, actors: Sequence[Mention]) -> Mention | None:
    """The actor mention that best overlaps a span (for speakers and targets)."""
    if span is None:
        return None
    best, best_ov = None, 0
    for m in actors:
        ov = min(span.end, m.span.end) - max(span.start, m.span.start)
        if ov > best_ov and m.actor_id:
            best, best_ov = m, ov
    return best


# ---------------------------------------------------------------------------
# Responsibility from agency: who the text says did the act (claims/agency.py)

#: Actor kinds that are a state or speak for one.
STATE_KINDS = frozenset({"state", "government", "armed_force", "intelligence"})
#: Actor kinds that can be a party to an attack.
PARTY_KINDS = STATE_KINDS | frozenset({"armed_group", "party", "other"})


def _registry_actor(actor_id: str | None) -> Any:
    from rashomon.annotate.actors import load_registry

    return load_registry().actors.get(actor_id or "")


def state_of(actor_id: str | None) -> str | None:
    """The state an actor is or speaks for: Israel for the IDF (its parent) or for the
    Israeli ministry of defence (its country); None for groups, people and unknowns."""
    from rashomon.annotate.actors import load_registry

    a = _registry_actor(actor_id)
    if a is None or a.kind not in STATE_KINDS:
        return None
    if a.kind == "state":
        return str(a.id)
    actors = load_registry().actors
    for p in a.parents:
        pa = actors.get(p)
        if pa is not None and pa.kind == "state":
            return str(pa.id)
    if a.country:
        return next((str(s.id) for s in actors.values() if s.kind == "state" and s.country == a.country), None)
    return None


def same_party(a: str | None, b: str | None) -> bool:
    """One actor, or two bodies of one state (the IDF and Israel)."""
    if not a or not b:
        return False
    if a == b:
        return True
    sa, sb = state_of(a), state_of(b)
    if sa is None or sb is None:  # a state's official ("Peskov") speaks for the state
        pa, pb = _registry_actor(a), _registry_actor(b)
        if pa is not None and pa.kind == "person" and pa.country and sb is not None:
            return state_of_country(pa.country) == sb
        if pb is not None and pb.kind == "person" and pb.country and sa is not None:
            return state_of_country(pb.country) == sa
    return sa is not None and sa == sb


def state_of_country(country: str) -> str | None:
    from rashomon.annotate.actors import load_registry

    return next((str(s.id) for s in load_registry().actors.values() if s.kind == "state" and s.country == country), None)


def _agent_actor(doc: Any, ag: Any, actors: Sequence[Mention]) -> Mention | None:
    """The actor the agent phrase names: the mention covering its head, else one inside
    it ("Israeli" in "Israeli forces"). A state named as a compound ("a Lebanon rocket
    attack", "Gaza strikes") is the place the act came from or hit, not its agent."""
    lo, hi = ag.agent
    head = doc[hi - 1]
    start, end = doc[lo].idx, head.idx + len(head.text)
    covering = [m for m in actors if m.actor_id and m.span.start <= head.idx and head.idx + len(head.text) <= m.span.end]
    inside = [m for m in actors if m.actor_id and start <= m.span.start and m.span.end <= end]
    pool = covering or inside
    best = max(pool, key=lambda m: m.span.end - m.span.start) if pool else None
    if best is None:
        return None
    aid = best.actor_id or ""
    reg = _registry_actor(aid)
    if reg is None:
        return best if aid.startswith("prov:") and best.label == "ORG" and ag.kind in {"behind", "not_act"} else None
    if reg.kind not in PARTY_KINDS:
        return None
    if reg.kind == "state" and head.dep_ == "compound" and ag.rule == "agency.noun" and best.label != "NORP":
        return None
    return best


import re as _re  # noqa: E402

#: "Huziafa, a 25-year-old suicide bomber": an apposition that makes a name a person.
PERSON_APPOSITION = _re.compile(
    r"\s*,\s*(?:a|an|the)\s+[\w\s-]{0,40}?\b(?:bomber|man|woman|boy|girl|attacker|gunman|assailant|"
    r"suspect|teenager|resident|student|soldier|officer|father|mother|son|daughter)\b", _re.I)


def names_a_person(doc_text: str, end: int) -> bool:
    """Whether the name ending at ``end`` is followed by a person apposition."""
    return bool(PERSON_APPOSITION.match(doc_text[end : end + 80]))


def _no_source(c: Claim) -> bool:
    """A speaker that is no source: a relative or demonstrative pronoun, a thing ("the
    video", "photos") or nothing; "the army said" is a source even unresolved."""
    from rashomon.extract.claims.speakers import GROUP_HEADS, TITLE_HEADS

    words = c.speaker_name.lower().split()
    return not words or words[-1].strip(",.") not in GROUP_HEADS | TITLE_HEADS


def _voice_of(offset: int, claims: Sequence[Claim]) -> Claim | None:
    """The innermost claim whose content covers a character offset."""
    inside = [c for c in claims if c.content.start <= offset < c.content.end and c.kind != "absence"]
    if not inside:
        return None
    return min(inside, key=lambda c: c.content.end - c.content.start)


def _main_event(events: Sequence[EventMention]) -> EventMention | None:
    from rashomon.extract import VIOLENT

    violent = [ev for ev in events if ev.event_type in VIOLENT] or list(events)
    if not violent:
        return None
    return max(violent, key=lambda ev: (len(ev.evidence), -ev.trigger.start))


def _event_at(offset: int, events: Sequence[EventMention]) -> EventMention | None:
    for ev in events:
        if any(sp.start <= offset < sp.end for sp in ev.evidence):
            return ev
    return _main_event(events)


def agency_facts(
    doc: Any,
    article: Article,
    events: Sequence[EventMention],
    claims: Sequence[Claim],
    mentions: Sequence[Mention],
    actor_names: dict[str, str],
    start: int = 0,
) -> list[Fact]:
    """Responsibility facts carried by who did the act (see ``claims/agency.py``).

    - an attack whose agent is named in another's voice (or the article's): ``blamed``
      = the agent, with that speaker ("the Israeli strike", "Russian forces struck");
    - an act named in the agent's own voice (the IDF saying "Israeli jets struck", "the
      group said its fighters attacked"): ``responsibility_claimed_by`` = the agent;
    - an operation a state or its forces conducted ("Israeli forces rescued four
      hostages", "the Israeli military operation"): ``responsibility_claimed_by``, an
      open acknowledgement;
    - "X is behind / responsible for the attack": ``blamed`` (or the claim, in X's voice);
    - "X does not strike residential buildings", "X is not responsible": ``denied_by``."""
    from rashomon.extract.claims import agency

    actors = [m for m in mentions if m.kind == "actor"]
    sents = list(doc.sents)
    sent_of = _sentence_finder(sents)
    facts: list[Fact] = []
    for ag in agency.find(doc):
        act = doc[ag.act]
        voice = _voice_of(act.idx, claims)
        m: Mention | None
        if ag.self_ref:  # "the IDF said its aircraft struck", "IS said it was behind"
            if voice is None or voice.speaker_type != "actor" or not voice.speaker_id:
                continue
            m = Mention(span=voice.speaker or voice.content, text=voice.speaker_name, kind="actor", actor_id=voice.speaker_id)
        else:
            m = _agent_actor(doc, ag, actors)
        if m is None or not m.actor_id or names_a_person(doc.text, m.span.end):
            continue
        if voice is not None and (voice.kind == "denial" or negated(doc, voice)):
            continue  # "denied it was behind the attack": the denial rules' business
        if voice is not None and voice.speaker_type == "article":
            voice = None
        if voice is not None and voice.speaker_type != "unnamed" and not voice.speaker_id and _no_source(voice):
            continue  # "which said", "this shows": no source to attribute the act to
        agent = str(m.actor_id)
        own = voice is not None and same_party(voice.speaker_id, agent)
        reg = _registry_actor(agent)
        statelike = reg is not None and reg.kind in STATE_KINDS
        if ag.kind == "not_act":
            if voice is None or own or voice.speaker_type == "unnamed" or not statelike:
                slot = "denied_by"
            else:
                continue
        elif ag.kind == "operation":
            rescue = act.lemma_.lower() in {"rescue", "free"} or any(c.lemma_.lower() in {"rescue", "hostage"} for c in act.children)
            if not statelike or not (rescue or own or _in_evidence(act.idx, events)):
                continue  # "Russia's special military operation": the war, not this event
            slot = "responsibility_claimed_by"
        elif own:
            slot = "responsibility_claimed_by"
        elif voice is not None and voice.kind == "assessment":
            slot = "perpetrator"  # "the US believes the attack was carried out by IS": a belief
        else:
            slot = "blamed"
        ev = _event_at(act.idx, events)
        if ev is None or (ag.rule == "agency.verb" and ag.kind == "attack" and not ag.self_ref and not _in_evidence(act.idx, events)):
            continue  # an agent of a verb only in the event's own sentences
        if other_year(doc, act.sent, article) or years_ago(act.sent):
            continue
        si = sent_of(act.idx)
        s = sents[si]
        # an open operation is the agent's acknowledgement, whoever reports it
        who = voice if (slot != "denied_by" and ag.kind != "operation") or own else None
        facts.append(Fact(
            id=f"{ev.id}:r{start + len(facts)}", article_id=article.id, event_mention_id=ev.id,
            slot=slot, value=agent, evidence=Span(article.id, s.start_char, s.end_char),
            as_of=article.published, outlet=article.outlet, **_speaker_fields(who),
            value_name=actor_names.get(agent, m.text), rule=f"agency:{ag.rule}",
        ))
    return _dedupe(facts)


def _in_evidence(offset: int, events: Sequence[EventMention]) -> bool:
    return any(sp.start <= offset < sp.end for ev in events for sp in ev.evidence)


AGO_RE = _re.compile(r"\b(?:years?|decades?)\s+(?:ago|earlier)\b", _re.I)


def years_ago(sent: Any) -> bool:
    """'killed in a US drone strike in Iraq exactly four years ago': an act years back."""
    return any(ent.label_ == "DATE" and AGO_RE.search(ent.text) for ent in sent.ents)


def other_year(doc: Any, sent: Any, article: Article) -> bool:
    """A sentence dated to another year than the article's ("claimed twin bombings ...
    in December 2016"): about an earlier event."""
    year = (article.published or "")[:4]
    if not year.isdigit():
        return False
    for ent in sent.ents:
        if ent.label_ != "DATE":
            continue
        years = [t.text for t in ent if t.text.isdigit() and len(t.text) == 4 and t.text[:2] in {"19", "20"}]
        if years and year not in years and all(abs(int(y) - int(year)) >= 1 for y in years):
            return True
    return False


#: Actor kinds that are never a party to blame, claim or deny an attack in a fact.
NOT_PARTY_KINDS = frozenset({"person", "media", "ethnic_group", "igo"})


def is_party(actor_id: str | None) -> bool:
    """A state, a body of one, an armed group, a party or an unregistered organisation;
    not a person, an outlet, an ethnic group or a place."""
    a = _registry_actor(actor_id)
    if a is None:
        return bool(actor_id) and str(actor_id).startswith("prov:")
    return a.kind not in NOT_PARTY_KINDS


RESPONSIBILITY_SLOTS = frozenset({"blamed", "denied_by", "responsibility_claimed_by", "perpetrator"})


def screen_responsibility(facts: list[Fact], mentions: Sequence[Mention]) -> list[Fact]:
    """Responsibility facts name parties: drop those whose value is an unregistered
    person ("carried out by Huziafa, a 25-year-old suicide bomber"), then screen the
    event's candidate perpetrators (``screen_perpetrators``)."""
    labels: dict[str, set[str]] = {}
    for m in mentions:
        if m.kind == "actor" and m.actor_id:
            labels.setdefault(m.actor_id, set()).add(m.label or "")
    people = {a for a, ls in labels.items() if a.startswith("prov:") and ls == {"PERSON"}}
    places = {m.text.lower() for m in mentions if m.kind == "place"}
    people |= {m.actor_id for m in mentions if m.kind == "actor" and m.actor_id and m.actor_id.startswith("prov:") and m.text.lower() in places}
    kept = [f for f in facts if not (f.slot in RESPONSIBILITY_SLOTS and f.value in people)]
    return screen_perpetrators(kept)


def screen_perpetrators(facts: list[Fact]) -> list[Fact]:
    """Keep an event's candidate perpetrator (a fact with no rule, from the event's
    sentences) only where a responsibility rule names the same party as blamed: alone it
    catches other events' agents ("Hamas's October 7 attack") and places ("fired from
    Lebanon")."""
    named = {(f.article_id, f.value) for f in facts if f.slot in {"blamed", "perpetrator"} and f.rule}
    kept = [f for f in facts if not (f.slot == "perpetrator" and not f.rule and (f.article_id, f.value) not in named)]
    # a candidate kept says what an agency fact of the same speaker says: keep one
    cand = {(f.article_id, f.value, f.speaker_id) for f in kept if f.slot == "perpetrator" and not f.rule}
    return [f for f in kept if not (f.slot == "perpetrator" and f.rule.startswith("agency:") and (f.article_id, f.value, f.speaker_id) in cand)]


ALLEGATION_NOUNS = frozenset({"allegation", "accusation", "charge", "claim", "suggestion"})


def allegation_facts(
    doc: Any, article: Article, events: Sequence[EventMention], claims: Sequence[Claim],
    mentions: Sequence[Mention], actor_names: dict[str, str], start: int = 0,
) -> list[Fact]:
    """A denial of someone's allegations is that someone's blame of the denier:
    "Hezbollah denies Israeli allegations of targeting ...", "the Ministry of Defense
    rejected the accusations of Kyiv about an alleged air attack" -> ``blamed`` = the
    denier, speaker = whose allegations they are (a demonym, a possessor, "of"/"by" X).
    Allegations with no owner ("dismissed all allegations of its involvement") say no
    more than the denial; allegations that name another agent ("allegations that the
    theatre was destroyed by Y") are the agency rules' business."""
    actors = [m for m in mentions if m.kind == "actor" and m.actor_id]
    by_id = {e.id: e for e in events}
    facts: list[Fact] = []
    for cl in claims:
        ev = by_id.get(cl.event_mention_id or "")
        if ev is None or cl.kind != "denial" or not cl.speaker_id or not is_party(cl.speaker_id):
            continue
        span = doc.char_span(cl.content.start, cl.content.end, alignment_mode="expand")
        if span is None or not len(span) or any(t.dep_ == "agent" for t in span):
            continue
        noun = next((t for t in span[:6] if t.pos_ == "NOUN"), None)
        if noun is None or noun.lemma_.lower() not in ALLEGATION_NOUNS:
            continue
        owners = allegation_owners(noun)
        owner = None
        for o in owners:
            owner = _covering_actor(actors, o.idx, o.idx + len(o.text)) or _registry_mention(o)
            if owner is not None and is_party(owner.actor_id) and not same_party(owner.actor_id, cl.speaker_id):
                break
            owner = None
        if owner is None:
            continue
        s = noun.sent
        facts.append(Fact(
            id=f"{ev.id}:a{start + len(facts)}", article_id=article.id, event_mention_id=ev.id,
            slot="blamed", value=cl.speaker_id, evidence=Span(article.id, s.start_char, s.end_char),
            as_of=article.published, outlet=article.outlet, speaker_type="actor",
            speaker_id=owner.actor_id, speaker_name=owner.text, claim_id=cl.id,
            value_name=actor_names.get(cl.speaker_id, cl.speaker_name), rule=f"claim:{cl.rule}+denied_allegation",
        ))
    return facts


def allegation_owners(noun: Any) -> list[Any]:
    """Tokens that may name whose allegations these are: "Israeli allegations", "Russia's
    claims", "the accusations of Kyiv", "allegations reported by Israeli media"."""
    owners = [c for c in noun.children if c.dep_ in {"amod", "poss", "compound"}]
    objs = [g for c in noun.children if c.dep_ == "prep" and c.lower_ in {"of", "by", "from"} for g in c.children if g.dep_ == "pobj"]
    objs += [g for v in noun.children if v.dep_ == "acl" for a in v.children if a.dep_ == "agent" for g in a.children if g.dep_ == "pobj"]
    for o in objs:
        owners += [o, *(c for c in o.children if c.dep_ in {"amod", "compound", "poss"})]
    return owners


def _registry_mention(tok: Any) -> Mention | None:
    """A registry actor named by one token the resolver left alone ("accusations of kyiv")."""
    from rashomon.annotate.actors import load_registry

    hit = load_registry().lookup(tok.text) if tok.pos_ in {"PROPN", "NOUN"} else None
    if hit is None:
        return None
    return Mention(span=Span("", tok.idx, tok.idx + len(tok.text)), text=tok.text, kind="actor", actor_id=hit[0])


def _covering_actor(actors: Sequence[Mention], start: int, end: int) -> Mention | None:
    cover = [m for m in actors if m.span.start <= start and end <= m.span.end]
    return max(cover, key=lambda m: m.span.end - m.span.start) if cover else None


def new_facts(facts: Sequence[Fact], more: Sequence[Fact]) -> list[Fact]:
    """The facts of ``more`` that say something ``facts`` does not already say (same
    event, slot, value and speaker), each once."""
    seen = {(f.event_mention_id, f.slot, f.value, f.speaker_type, f.speaker_id) for f in facts}
    out = []
    for f in more:
        key = (f.event_mention_id, f.slot, f.value, f.speaker_type, f.speaker_id)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out
