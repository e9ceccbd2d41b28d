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
        for slot, value, rule in responsibility_values(cl, doc):
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
    seen: set[tuple[Any, ...]] = set()
    out = []
    for f in facts:
        key = (f.event_mention_id, f.slot, f.value, f.speaker_type, f.speaker_id, f.evidence.start, f.value_name if f.slot in ("killed", "injured") else None)
        if key not in seen:
            seen.add(key)
            out.append(f)
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
