"""Speaker resolution: pronoun and title speakers to the nearest compatible named one.

Rules (``Claim.rule`` gets "+speaker.pronoun" or "+speaker.title"):

- "he said", "she added": the nearest earlier claim whose speaker phrase names a person
  (a PERSON entity), else the nearest PERSON entity before the claim in the article;
- "it said", "the group said", "the ministry added", "they said": the nearest earlier
  claim whose speaker phrase names an organisation, state or group (no PERSON entity);
- "the minister added", "the spokesman said", "the official said": the nearest earlier
  claim whose speaker phrase has the same head word and names someone ("Interior
  Minister Soylu"); else the nearest earlier named person with that word.

The speaker span stays the words the article used ("he"); the resolved speaker is
``antecedent`` (a character range); the claim's ``speaker_name`` shows both, "he
[Interior Minister X]", and :func:`rashomon.extract.link_claims` resolves the bracketed
name to an actor. Only earlier antecedents
count, and only within 1,500 characters (news attribution rarely reaches further).
"""

from __future__ import annotations

from typing import Any

from rashomon.extract.claims.found import Found, Range

PERSON_PRONOUNS = frozenset({"he", "she", "him", "her"})
GROUP_PRONOUNS = frozenset({"it", "they", "we"})
GROUP_HEADS = frozenset(
    ["group", "organization", "organisation", "movement", "militia", "ministry", "army", "military", "government", "office", "agency", "party", "faction", "outfit", "authorities", "police", "force", "forces", "service", "council", "committee"]
)
TITLE_HEADS = frozenset(
    ["minister", "spokesman", "spokeswoman", "spokesperson", "official", "president", "commander", "leader", "chief", "adviser", "advisor", "secretary", "ambassador", "governor", "mayor", "general", "director", "envoy", "premier", "officer"]
)
WINDOW = 1500


def _span(doc: Any, rng: Range) -> Any | None:
    sp = doc.char_span(rng[0], rng[1], alignment_mode="expand")
    return sp if sp is not None and len(sp) else None


def _named(sp: Any) -> bool:
    """A proper name or a nationality ("the Israeli military" names its state)."""
    return any(t.pos_ == "PROPN" or t.ent_type_ in {"NORP", "GPE", "ORG"} for t in sp)


def _has_person(sp: Any) -> bool:
    return any(t.ent_type_ == "PERSON" for t in sp)


def _kind(sp: Any) -> tuple[str, str] | None:
    """('pronoun', 'person'|'group') or ('title', head word) for an unnamed speaker."""
    if _named(sp):
        return None
    words = [t.lower_ for t in sp if not t.is_punct]
    if len(words) == 1 and words[0] in PERSON_PRONOUNS:
        return "pronoun", "person"
    if len(words) == 1 and words[0] in GROUP_PRONOUNS:
        return "pronoun", "group"
    head = sp.root.lemma_.lower()
    if sp[0].lower_ in {"the", "this", "that"} and len(words) <= 4:
        if head in TITLE_HEADS:
            return "title", head
        if head in GROUP_HEADS:
            return "pronoun", "group"
    return None


def resolve(doc: Any, found: list[Found]) -> None:
    """Set ``antecedent`` on claims whose speaker is a pronoun or a bare title."""
    named: list[tuple[int, Range, Any]] = []  # (cue start, source range, span)
    for f in found:
        if f.source is None or f.speaker_type == "article":
            continue
        sp = _span(doc, f.source)
        if sp is None:
            continue
        kind = _kind(sp)
        start = f.source[0]
        if kind is None:
            if _named(sp):
                named.append((start, f.source, sp))
            continue
        best: Range | None = None
        for s, rng, cand in reversed(named):
            if s >= start or start - s > WINDOW:
                continue
            if (kind == ("pronoun", "person") and _has_person(cand)) or (kind == ("pronoun", "group") and not _has_person(cand)) or (kind[0] == "title" and any(t.lemma_.lower() == kind[1] for t in cand)):
                best = rng
            if best is not None:
                break
        if (best is None and kind[0] != "pronoun") or (best is None and kind[1] == "person"):
            best = _nearest_person(doc, start, kind[1] if kind[0] == "title" else None)
        if best is not None:
            f.antecedent = best
            f.rule = f"{f.rule}+speaker.{kind[0]}"


def _nearest_person(doc: Any, start: int, title: str | None) -> Range | None:
    """The nearest PERSON entity before ``start`` (with ``title`` just before it, if given)."""
    for ent in reversed(doc.ents):
        if ent.end_char > start or start - ent.start_char > WINDOW:
            continue
        if ent.label_ != "PERSON":
            continue
        if title is not None:
            lead = doc[max(0, ent.start - 3) : ent.start]
            if not any(t.lemma_.lower() == title for t in lead):
                continue
        return int(ent.start_char), int(ent.end_char)
    return None
