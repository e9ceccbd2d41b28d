"""Per-article analysis: annotate -> mentions -> events, claims, facts -> framing.

``analyze_articles`` runs spaCy over a stream of articles in batches (``nlp.pipe``) and
yields, per article, a dict of table rows ready for ``Store.save_analyses``. It is a
plain function over plain data, so the local engine and the Dask engine share it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import ExitStack, suppress
from dataclasses import asdict, dataclass, field
from functools import cache
from typing import Any

from rashomon.annotate.nlp import memory_zone
from rashomon.model import Actor, Article, Claim, EventMention, Fact, Mention, Span, TechniqueSpan

EXTRACT_VERSION = "extract.v2"
SUPPORTED_LANGUAGES = frozenset({"en"})
#: Articles parsed in one spaCy memory zone (see analyze_articles)
ZONE_ARTICLES = 1000
ANAPHOR_RE = re.compile(
    r"\b(attack|act|crime|bombings?|explosions?|blasts?|incident|assault|operation|killing|assassination|strike)\b",
    re.I,
)


@dataclass(slots=True)
class ArticleAnalysis:
    article: Article
    mentions: list[Mention] = field(default_factory=list)
    events: list[EventMention] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    techniques: list[TechniqueSpan] = field(default_factory=list)
    genre: tuple[str, float] | None = None
    profile: dict[str, Any] = field(default_factory=dict)
    provisional: list[Actor] = field(default_factory=list)
    status: str = "analyzed"


@cache
def _resolver(nlp: Any) -> Any:
    from rashomon.annotate.actors import ActorResolver, load_registry

    return ActorResolver(nlp, load_registry())


def _technique_model() -> Any:
    """The technique model the ``framing`` setting names (``fast`` or ``accurate``)."""
    from rashomon.framing.techniques import load_technique_model

    return load_technique_model()


@cache
def _genre_model() -> Any:
    from rashomon.framing.genre import GenreModel

    return GenreModel.load()


@cache
def actor_names() -> dict[str, str]:
    """Registry actor id -> name (cached; do not mutate)."""
    from rashomon.annotate.actors import load_registry

    reg = load_registry()
    return {a.id: a.name for a in reg.actors.values()}


def annotate_mentions(doc: Any, article: Article, nlp: Any) -> tuple[list[Mention], list[Actor]]:
    """Actor, place, date and quantity mentions of one parsed article."""
    from collections import Counter

    from rashomon.annotate.values import value_mentions

    resolver = _resolver(nlp)
    actors = resolver(doc, article.id)
    countries = Counter(_actor_country(m.actor_id) for m in actors if m.actor_id)
    ctx = [c for c, _ in countries.most_common() if c]
    values = value_mentions(doc, article, ctx)
    used = {m.actor_id for m in actors if m.actor_id and m.actor_id.startswith("prov:")}
    provisional = [a for a in resolver.provisional_actors() if a.id in used] if used else []
    mentions = sorted(actors + values, key=lambda m: (m.span.start, m.span.end))
    return mentions, provisional


@cache
def _countries() -> dict[str, str | None]:
    from rashomon.annotate.actors import load_registry

    return {a.id: a.country for a in load_registry().actors.values()}


def _actor_country(actor_id: str | None) -> str | None:
    return _countries().get(actor_id or "")


def _extract_claims(doc: Any, article_id: str) -> tuple[list[Claim], dict[str, Span]]:
    from rashomon.extract import claims as cl

    if hasattr(cl, "extract_claims_with_targets"):
        found, targets = cl.extract_claims_with_targets(doc, article_id)
        return list(found), dict(targets)
    return list(cl.extract_claims(doc, article_id)), {}


def link_claims(
    doc: Any,
    claims: list[Claim],
    targets: dict[str, Span],
    mentions: list[Mention],
    events: list[EventMention],
    names: dict[str, str],
) -> None:
    """Resolve claim speakers and targets to actors, and tie each claim to an event.

    Targets are split on coordination ("blamed Israel and the United States" -> two
    target ids) and resolve to the group a branch belongs to ("the Islamic State's
    Afghanistan-based branch" -> Islamic State, never Afghanistan). A person speaking for
    a body named in the speaker phrase ("SDF commander Mazloum Abdi", "a spokesman for
    Hamas", "the group's spokesman") speaks for that body: ``speaker_id`` is the body's id
    (``speaker_name`` keeps the words). A pronoun or title speaker the claim passes
    resolved ("he said" -> "Mazloum Abdi") is found by name among the actor mentions
    before the claim."""
    actors = [m for m in mentions if m.kind == "actor"]
    for c in claims:
        if c.speaker_type != "article" and c.speaker is not None:
            m = _speaker_actor(doc, c, actors) or _relative_speaker(doc, c, actors)
            if m is not None:
                m = _group_speaker(doc, c, m, actors) or _qualified_body(doc, m, actors)
            if m is not None:
                c.speaker_id = m.actor_id
                if m.unnamed:
                    c.speaker_type = "unnamed"
                c.speaker_name = c.speaker_name or m.text
                if c.speaker_name.lower() in RELATIVES:
                    c.speaker_name = f"{c.speaker_name} [{m.text}]"  # "who [Alexey Arestovich]"
                party = _party(doc, c.speaker, m, actors)
                if party is not None and party != c.speaker_id:
                    c.speaker_id = party
                    c.rule = (c.rule + "+speaker.affiliation").lstrip("+")
            elif c.speaker_type == "actor" and _generic_source(c.speaker_name):
                c.speaker_type = "unnamed"  # "police said", "witnesses told"
        tspan = targets.get(c.id)
        if tspan is not None and c.target_id is None:
            found = target_actors(doc, tspan, actors)
            if not found and c.kind == "accusation" and c.rule.startswith(("verb.accusation", "responsibility.held")):
                found = _anaphoric_target(doc, tspan, c, actors)
            if found:
                c.target_ids = list(dict.fromkeys(str(m.actor_id) for m in found))
                c.target_id = c.target_ids[0]
                c.target_name = c.target_name or found[0].text
        elif c.target_id is not None and not c.target_ids:
            c.target_ids = [c.target_id]
        c.event_mention_id = _event_for(doc, c, events)


@cache
def _kinds() -> dict[str, str]:
    from rashomon.annotate.actors import load_registry

    return {a.id: a.kind for a in load_registry().actors.values()}


def _is_person(m: Mention) -> bool:
    aid = m.actor_id or ""
    return _kinds().get(aid) == "person" or (aid.startswith("prov:") and m.label == "PERSON")


_BODY_KINDS = frozenset({"state", "government", "armed_force", "intelligence", "armed_group", "igo", "party", "media"})
_GROUP_WORDS = frozenset({"group", "outfit", "organization", "organisation", "movement", "militia", "faction", "party"})


def _is_body(m: Mention) -> bool:
    aid = m.actor_id or ""
    if aid.startswith("prov:"):
        return m.label in {"ORG", "registry"}
    return _kinds().get(aid) in _BODY_KINDS


def _covering(actors: list[Mention], start: int, end: int) -> Mention | None:
    """The actor mention covering a character range, widest first."""
    best = None
    for m in actors:
        wider = best is None or m.span.end - m.span.start > best.span.end - best.span.start
        if m.actor_id and m.span.start <= start and end <= m.span.end and wider:
            best = m
    return best


def _modifier_only(doc: Any, m: Mention) -> bool:
    """'Afghanistan-based branch', 'Iran-backed': a place or state used as a modifier."""
    after = doc.text[m.span.end : m.span.end + 10].lower()
    return after.startswith(("-based", "-backed", "-linked", "-affiliated", "-allied", " based"))


def target_actors(doc: Any, span: Span, actors: list[Mention]) -> list[Mention]:
    """The actors a target phrase names, one per conjunct.

    Each conjunct's head resolves to the mention covering it; a head that names no actor
    ("branch", "affiliate", "wing") resolves through its possessor, compound or "of"
    phrase ("the Islamic State's branch", "the branch of the Islamic State"); modifiers
    like "Afghanistan-based" never name the target."""
    from rashomon.extract.facts import link_actor

    sp = doc.char_span(span.start, span.end, alignment_mode="expand")
    if sp is None or not len(sp):
        m = link_actor(span, actors)
        return [m] if m is not None else []
    heads = [sp.root]
    for h in heads:
        heads.extend(c for c in h.children if c.dep_ == "conj" and sp.start <= c.i < sp.end)
    out: list[Mention] = []
    for h in heads:
        m = _covering(actors, h.idx, h.idx + len(h.text))
        if m is None or _modifier_only(doc, m):
            m = None
            for c in sorted(h.children, key=lambda c: c.dep_ != "appos"):
                # "Israeli strikes", "a Ukrainian air defense system", "Russian troops"
                demonym = c.dep_ == "amod" and h.lemma_.lower() in EVENT_NOUNS | FORCE_NOUNS
                if demonym or c.dep_ in {"poss", "compound", "nmod", "appos"} or (c.dep_ == "prep" and c.lower_ in {"of", "for", "from"}):
                    head = c if c.dep_ != "prep" else next((g for g in c.children if g.dep_ == "pobj"), None)
                    if head is None:
                        continue
                    cand = _covering(actors, head.idx, head.idx + len(head.text))
                    if cand is not None and not _modifier_only(doc, cand):
                        m = cand
                        break
        if m is None:  # "the group — also known as the Islamic State Khorasan"
            m = next((cand for v in h.children if v.dep_ == "acl" and v.lemma_ in {"know", "call"}
                      for p in v.children if p.dep_ == "prep" and p.lower_ == "as"
                      for g in p.children if g.dep_ == "pobj"
                      for cand in [_covering(actors, g.idx, g.idx + len(g.text))] if cand is not None), None)
        if m is not None and m not in out and _can_be_party(m):
            out.append(m)
    return out


from rashomon.extract.claims.syntax import EVENT_NOUNS  # noqa: E402

#: Heads whose demonym names their state: "Ukrainian air defense system", "Russian troops".
FORCE_NOUNS = frozenset({
    "system", "force", "forces", "troop", "troops", "army", "military", "jet", "aircraft",
    "warplane", "battery", "unit", "soldier", "interceptor", "defense", "defence", "navy",
})

#: Words that refer back to a party named before: "blamed the group", "accusing it".
ANAPHORIC_TARGETS = {"it": None, "them": None, "group": "armed_group", "militants": "armed_group",
                     "organization": "armed_group", "organisation": "armed_group", "movement": "armed_group"}
RELATIVES = frozenset({"which", "who", "that"})


def _anaphoric_target(doc: Any, span: Span, c: Claim, actors: list[Mention]) -> list[Mention]:
    """'Officials blamed the group' -> the nearest armed group named before; 'accusing it
    of detonating pagers' -> the nearest party named before that is not the speaker."""
    words = doc.text[span.start : span.end].lower().split()
    if not words or len(words) > 3 or words[0] not in {"the", "it", "them"}:
        return []
    if words[-1] not in ANAPHORIC_TARGETS:
        return []
    want = ANAPHORIC_TARGETS[words[-1]]
    before = [a for a in actors if a.actor_id and a.span.end <= span.start and span.start - a.span.end < 1500]
    for a in reversed(before):
        kind = _kinds().get(a.actor_id or "")
        if a.actor_id == c.speaker_id or (c.speaker is not None and c.speaker.start <= a.span.start < c.speaker.end):
            continue
        if (want is None and kind in _BODY_KINDS - {"media", "igo"}) or (want is not None and kind == want):
            return [a]
    return []


def _group_speaker(doc: Any, c: Claim, m: Mention, actors: list[Mention]) -> Mention | None:
    """'The militant group later denied ...' resolved by the claim passes to a name that
    is no registered body (a commander the parser took for an organisation): the
    nearest armed group named before instead."""
    assert c.speaker is not None
    words = doc.text[c.speaker.start : c.speaker.end].lower().split()
    if not words or words[0] != "the" or words[-1] not in _GROUP_WORDS or _kinds().get(m.actor_id or "") in _BODY_KINDS:
        return None
    groups = [a for a in actors if a.span.end <= c.speaker.start and _kinds().get(a.actor_id or "") == "armed_group"]
    return groups[-1] if groups else None


def _relative_speaker(doc: Any, c: Claim, actors: list[Mention]) -> Mention | None:
    """'the group ISIS-K, which has claimed responsibility': the relative pronoun's noun."""
    assert c.speaker is not None
    if doc.text[c.speaker.start : c.speaker.end].lower() not in RELATIVES:
        return None
    sp = doc.char_span(c.speaker.start, c.speaker.end, alignment_mode="expand")
    if sp is None or not len(sp):
        return None
    verb = sp.root.head
    if verb.dep_ != "relcl":
        return None
    noun = verb.head
    for _ in range(4):  # "Alexey X, a freelance adviser to the office, who suggested": up to the name
        found = target_actors(doc, Span(c.article_id, noun.left_edge.idx, noun.idx + len(noun.text)), actors)
        if found:
            return found[0]
        if noun.dep_ == "pobj" and noun.head.dep_ == "prep":
            noun = noun.head.head
        elif noun.dep_ == "appos":
            noun = noun.head
        else:
            break
    return None


#: Bodies named without their state: "the Ministry of Defense", "the military".
UNQUALIFIED_BODIES = {
    "ministry of defense": "defen", "ministry of defence": "defen", "defense ministry": "defen",
    "defence ministry": "defen", "military": "", "army": "", "air force": "", "armed forces": "",
    "foreign ministry": "foreign", "ministry of foreign affairs": "foreign", "government": "",
}


def _qualified_body(doc: Any, m: Mention, actors: list[Mention]) -> Mention:
    """An unqualified body ("the Ministry of Defense said") is the body of that kind
    named last before it ("the Russian Defense Ministry"), else the state named last
    before it; an actor the registry knows is kept."""
    aid = m.actor_id or ""
    if not aid.startswith("prov:"):
        return m
    words = m.text.lower().removeprefix("the ").strip()
    if words not in UNQUALIFIED_BODIES:
        return m
    key = UNQUALIFIED_BODIES[words]
    before = [a for a in actors if a.actor_id and a.span.end <= m.span.start and not (a.actor_id or "").startswith("prov:")]
    for a in reversed(before):
        if _kinds().get(a.actor_id or "") in {"government", "armed_force"} and key and key in a.text.lower():
            return a
    for a in reversed(before):
        if _kinds().get(a.actor_id or "") == "state":
            return a
    return m


def _can_be_party(m: Mention) -> bool:
    """Registry actors and unregistered organisations, people and groups; not places or
    buildings the parser took for names ("KABUL", "Hamid Karzai International Airport")."""
    aid = m.actor_id or ""
    return not aid.startswith("prov:") or m.label in {"ORG", "PERSON", "NORP"}


def _speaker_actor(doc: Any, c: Claim, actors: list[Mention]) -> Mention | None:
    """The actor mention of a claim's speaker: the one overlapping the speaker span, else,
    for a pronoun or title speaker resolved by name, the latest mention of that name
    before the claim."""
    from rashomon.extract.facts import link_actor

    assert c.speaker is not None
    heads = target_actors(doc, c.speaker, actors)
    if heads:
        return heads[0]
    m = link_actor(c.speaker, actors)
    if m is not None:
        return m
    said = doc.text[c.speaker.start : c.speaker.end]
    ref = c.speaker_name[len(said) :].strip(" []") if c.speaker_name.startswith(said + " [") else ""
    if ref:  # "he [Interior Minister X]": resolved by the claim passes
        before = [a for a in actors if a.actor_id and a.span.start < c.speaker.start and a.text in ref]
        if before:
            return max(before, key=lambda a: (a.span.end - a.span.start, a.span.start))
    return None


def _party(doc: Any, speaker: Span, m: Mention, actors: list[Mention]) -> str | None:
    """The body a person speaks for, when the speaker phrase names it: "SDF commander
    Mazloum Abdi", "Hezbollah's spokesman", "a spokesman for Hamas", "the leader of the
    TTP", or "the group's spokesman" (the nearest armed group named before)."""
    if not _is_person(m) and not (m.actor_id or "").startswith("prov:"):
        return None
    if _is_body(m) and not _is_person(m):
        return None
    inside = [a for a in actors if a is not m and a.actor_id and speaker.start <= a.span.start and a.span.end <= speaker.end]
    bodies = [a for a in inside if _kinds().get(a.actor_id or "") in _BODY_KINDS - {"state"}]
    if bodies:
        return bodies[0].actor_id
    words = doc.text[speaker.start : speaker.end].lower().replace("’", "'").split()
    if any(w.rstrip("'s,") in _GROUP_WORDS for w in words):
        groups = [a for a in actors if a.span.end <= speaker.start and _kinds().get(a.actor_id or "") == "armed_group"]
        if groups:
            return groups[-1].actor_id
    return None


VIOLENT = frozenset({"Explosions/Remote violence", "Violence against civilians", "Battles"})
NEAR_CHARS = 400  # a blame or claim this close after an event's sentence is about it


GENERIC_SOURCES = frozenset({
    "police", "officials", "official", "witnesses", "witness", "residents", "sources", "source",
    "authorities", "spokesman", "spokeswoman", "spokesperson", "medics", "doctors", "rescuers",
    "activists", "analysts", "observers", "diplomats", "investigators", "prosecutors",
})


def _generic_source(name: str) -> bool:
    words = name.lower().replace("'s", "").split()
    return bool(words) and words[-1] in GENERIC_SOURCES


def _event_for(doc: Any, c: Claim, events: list[EventMention]) -> str | None:
    """The event a claim is about: one whose evidence overlaps the claim's content, else
    the nearest violent event before it, when the claim points back at it ("the act",
    "the attack") or follows it closely."""
    for ev in events:
        for sp in ev.evidence:
            if sp.start < c.content.end and c.content.start < sp.end:
                return ev.id
    start = c.cue_span.start if c.cue_span is not None else c.content.start
    best: tuple[int, int, str] | None = None
    for ev in events:
        if ev.event_type not in VIOLENT:
            continue
        before = [sp.end for sp in ev.evidence if sp.end <= start]
        if before:
            key = (max(before), len(ev.evidence), ev.id)
            if best is None or key > best:
                best = key
    content = doc.text[c.content.start : c.content.end]
    if best is not None and (ANAPHOR_RE.search(content) or start - best[0] <= NEAR_CHARS):
        return best[2]
    if c.kind in RESPONSIBILITY_KINDS and (ANAPHOR_RE.search(content) or c.kind == "absence" or _involvement(c, content)):
        # a claim, denial or blame of "the attack" with no event before it (a headline):
        # the article's main violent event, the one with the most evidence
        violent = [ev for ev in events if ev.event_type in VIOLENT]
        if violent:
            return max(violent, key=lambda ev: (len(ev.evidence), -ev.trigger.start)).id
    return None


RESPONSIBILITY_KINDS = frozenset({"accusation", "denial", "responsibility_claim", "absence"})
INVOLVEMENT_RE = re.compile(r"^\W*(any|all|the|its|their|his|her|an?)?\s*(involvement|role|link|links|connection|responsibility)\b", re.I)


OWNED_ALLEGATION_RE = re.compile(
    r"^\W*(the\s+)?(([A-Z][\w'’-]*\s+)+(allegations?|accusations?|claims?)\b|(allegations?|accusations?|claims?)\s+(of|by|from)\s+(?!\w+ing\b)[A-Za-z])")


def _involvement(c: Claim, content: str) -> bool:
    """'Hezbollah denied any involvement', 'denies Israeli allegations of targeting', 'rejected
    the accusations of Kyiv': a denial of the attack the article is about, with no word
    pointing back at it (allegations count only with their owner: "all accusations of
    supporting ..." may be about anything)."""
    return c.kind == "denial" and bool(INVOLVEMENT_RE.match(content) or OWNED_ALLEGATION_RE.match(content))


def responsibility_event(doc: Any, article: Article, claims: list[Claim]) -> EventMention | None:
    """An event for an article the event rules found none in but that blames, claims or
    denies an attack ("Hezbollah denied any involvement" in a wire brief with no toll):
    the first attack noun of the article is the trigger, its sentence the evidence, so
    the responsibility facts have an event to hang on. Only when a responsibility claim
    or an attack noun with a named agent is there; ``sub_event_type`` says how it came
    about."""
    from rashomon.extract.claims import agency

    acts = [a for a in agency.find(doc, article.published) if a.kind != "operation"]
    if not any(c.kind in RESPONSIBILITY_KINDS for c in claims) and not acts:
        return None
    first_act = min((a.act for a in acts), default=None)
    for tok in doc:
        noun = tok.pos_ == "NOUN" and (tok.lemma_.lower() in agency.ATTACK_NOUNS or ANAPHOR_RE.fullmatch(tok.text))
        if noun or tok.i == first_act:
            sent = tok.sent
            return EventMention(
                id=f"{article.id}:e0", article_id=article.id, event_type="Explosions/Remote violence",
                sub_event_type="responsibility only", trigger=Span(article.id, tok.idx, tok.idx + len(tok)),
                trigger_text=tok.text, evidence=[Span(article.id, sent.start_char, sent.end_char)],
            )
    return None


def analyze_doc(doc: Any, article: Article, nlp: Any, *, framing: bool = True) -> ArticleAnalysis:
    """Everything Rashomon extracts from one parsed article."""
    from rashomon.annotate.nlp import freeze_tokens
    from rashomon.extract.events import extract_events
    from rashomon.extract.facts import (
        agency_facts,
        allegation_facts,
        extract_facts,
        new_facts,
        screen_responsibility,
    )

    freeze_tokens(doc)
    out = ArticleAnalysis(article=article)
    mentions, provisional = annotate_mentions(doc, article, nlp)
    out.mentions, out.provisional = mentions, provisional
    names = {**actor_names(), **{a.id: a.name for a in provisional}}
    events, members = extract_events(doc, article, mentions)
    claims, targets = _extract_claims(doc, article.id)
    fallback = responsibility_event(doc, article, claims) if not events else None
    if fallback is not None:
        events = [fallback]
    link_claims(doc, claims, targets, mentions, events, names)
    out.events, out.claims = events, claims
    out.facts = extract_facts(doc, article, events, members, claims, names)
    more = agency_facts(doc, article, events, claims, mentions, names)
    more += allegation_facts(doc, article, events, claims, mentions, names)
    out.facts += new_facts(out.facts, more)
    out.facts = screen_responsibility(out.facts, mentions)
    if fallback is not None and not any(f.event_mention_id == fallback.id for f in out.facts):
        # the fallback event carries no responsibility fact: it was never an event
        out.events = []
        for c in claims:
            c.event_mention_id = None
    if framing:
        add_framing([out])
    return out


def add_framing(batch: list[ArticleAnalysis]) -> None:
    """Techniques, genre and framing profile for a batch of analyzed articles.

    The technique model scores the whole batch's paragraphs in one pass (three times
    faster than article by article, same results)."""
    from rashomon.framing.profile import article_profile

    if not batch:
        return
    spans = _technique_model().predict_many([a.article.text for a in batch], [a.article.id for a in batch])
    genre = _genre_model()
    for a, techniques in zip(batch, spans, strict=True):
        a.techniques = list(techniques)
        a.genre = genre.predict(a.article.text)
        names = {**actor_names(), **{p.id: p.name for p in a.provisional}}
        a.profile = article_profile(a.article, a.mentions, a.claims, a.facts, names)


def analyze_articles(
    articles: Iterable[Article], nlp: Any, *, batch_size: int = 64, n_process: int = 1,
    framing: bool = True, memory_zones: bool = True,
) -> Iterator[dict[str, Any]]:
    """Parse and analyze a stream of articles; yield table rows per article.

    ``framing=False`` skips the technique and genre models and the framing profile (a
    fast path for runs that only need events, claims and facts).

    No single article can stop the stream: an article longer than the
    ``max_article_chars`` setting is not parsed (status ``failed``, E401), and an
    article whose parse or extraction raises is yielded as ``failed`` with the error
    (E402) while the rest of its batch goes on.

    ``memory_zones``: parse in spaCy memory zones of :data:`ZONE_ARTICLES` articles, closed
    by the time the stream ends (only in one process and on the main thread: the
    vocabulary is process state, and a zone closing under another thread's parse would
    free its strings). A worker process that analyzes task after task keeps one rotating
    zone across its tasks instead (:func:`worker_zone`)."""
    import threading

    from rashomon import settings

    limit = int(settings.get("max_article_chars") or 200_000)
    buf: list[ArticleAnalysis] = []

    def flush() -> Iterator[dict[str, Any]]:
        if framing and buf:
            try:
                add_framing(buf)
            except Exception:  # one article breaks the batched models: score one by one
                for a in list(buf):
                    try:
                        add_framing([a])
                    except Exception as exc:
                        buf.remove(a)
                        yield failed_rows(a.article, _e402(a.article, exc))
        yield from (to_rows(a) for a in buf)
        buf.clear()

    # spaCy memory zones of ZONE_ARTICLES articles: what a zone's parses add to the
    # vocabulary is freed when it closes (a zone per 64-article chunk cost about 3% of
    # the analysis, its tokenizer and lexeme caches rebuilt each time)
    zoned = memory_zones and n_process <= 1 and threading.current_thread() is threading.main_thread()
    with ExitStack() as zones:  # closed however the stream ends
        in_zone = ZONE_ARTICLES
        # a parse batch per chunk, so one failing article is retried alone; with worker
        # processes the chunks are larger so the pool is not restarted too often
        for chunk in _chunks(articles, batch_size if n_process <= 1 else batch_size * n_process * 8):
            todo: list[Article] = []
            for art in chunk:
                if art.language and art.language not in SUPPORTED_LANGUAGES:
                    yield unsupported_rows(art)
                elif len(art.text) > limit:
                    yield failed_rows(art, _e401(art, limit))
                else:
                    todo.append(art)
            if not todo:
                continue
            _outside_zones(nlp)
            # the records kept (ArticleAnalysis) hold plain strings and offsets, never a Doc,
            # so every Doc, lexeme and string of the zone's parses can go when it closes
            if zoned and in_zone >= ZONE_ARTICLES:
                zones.close()
                zones.enter_context(memory_zone(nlp))
                in_zone = 0
            in_zone += len(todo)
            for art, doc_or_exc in _parse(nlp, todo, batch_size=batch_size, n_process=n_process):
                if isinstance(doc_or_exc, Exception):
                    yield failed_rows(art, _e402(art, doc_or_exc))
                    continue
                try:
                    buf.append(analyze_doc(doc_or_exc, art, nlp, framing=False))
                except Exception as exc:  # a rule that breaks on this text must not stop the run
                    yield failed_rows(art, _e402(art, exc))
            if len(buf) >= batch_size:
                yield from flush()
        yield from flush()


def _outside_zones(nlp: Any) -> None:
    """Build what must outlive every memory zone: the actor matchers (a pattern string
    added inside a zone is gone when it closes). Where they cannot be built, each
    article's analysis reports why (E402)."""
    with suppress(Exception):
        _resolver(nlp)


_WORKER_ZONE: list[Any] = [None, ZONE_ARTICLES]  # the worker's zone and the articles it has seen


def worker_zone(nlp: Any, n_articles: int) -> None:
    """In a worker process that only analyzes (forked by ``scale.analyze_forked``): count
    ``n_articles`` more into the process's memory zone, closing it and opening a new one
    every :data:`ZONE_ARTICLES` articles. Tasks are small (tens of articles), and a zone
    per task would rebuild spaCy's tokenizer and lexeme caches each time."""
    if _WORKER_ZONE[1] >= ZONE_ARTICLES:
        if _WORKER_ZONE[0] is not None:
            _WORKER_ZONE[0].close()
        _outside_zones(nlp)
        stack = ExitStack()
        stack.enter_context(memory_zone(nlp))
        _WORKER_ZONE[:] = [stack, 0]
    _WORKER_ZONE[1] += n_articles


def _chunks(items: Iterable[Article], n: int) -> Iterator[list[Article]]:
    import itertools

    it = iter(items)
    while chunk := list(itertools.islice(it, max(1, n))):
        yield chunk


#: Characters of text per parse minibatch. spaCy's parser holds a transient of about 3.5
#: KB per character of the minibatch it parses (en_core_web_sm: 64 local news articles,
#: 120,000 characters, +505 MB; one 100,000-character article +355 MB), so a minibatch of
#: a fixed number of articles peaks with the longest articles a corpus holds. Cut at this
#: many characters, it is bounded by the text instead. 300 GVA articles, one process, the
#: whole analysis: peak 746 MB with 64 articles a minibatch, 521 MB at 60,000 characters,
#: 431 at 30,000; parse CPU on 200 PolNeAR articles against 64-article minibatches, two
#: alternating runs: +0-3% at 60,000, +7-10% at 30,000 (docs/scale.md).
PARSE_CHARS = 60_000


def parse_groups(articles: Sequence[Article], batch_size: int, max_chars: int | None = None) -> Iterator[list[Article]]:
    """``articles`` in order, in groups of at most ``batch_size`` articles and
    ``max_chars`` (default :data:`PARSE_CHARS`) characters (an article longer than that
    is a group of its own)."""
    max_chars = max_chars or PARSE_CHARS
    group: list[Article] = []
    size = 0
    for a in articles:
        if group and (len(group) >= batch_size or size + len(a.text) > max_chars):
            yield group
            group, size = [], 0
        group.append(a)
        size += len(a.text)
    if group:
        yield group


def _pipe_bounded(nlp: Any, articles: Sequence[Article], batch_size: int) -> Iterator[Any]:
    """The Docs of ``articles`` in order, parsed :func:`parse_groups` at a time; an article
    longer than :data:`PARSE_CHARS` a piece at a time (``annotate.nlp.parse_long``)."""
    from rashomon.annotate.nlp import parse_long, text_doc

    for group in parse_groups(articles, batch_size):
        if len(group) == 1 and len(group[0].text) > PARSE_CHARS:
            yield parse_long(nlp, group[0].text, PARSE_CHARS)
        else:
            yield from nlp.pipe((text_doc(nlp, a.text) for a in group), batch_size=len(group))


def _parse(nlp: Any, articles: list[Article], *, batch_size: int, n_process: int) -> Iterator[tuple[Article, Any]]:
    """(article, Doc) pairs, streamed (one parsed Doc held at a time, as with a bare
    ``nlp.pipe`` loop); when the batched parse raises, the articles not yet paired are
    parsed one by one and the failing one is paired with its exception instead.

    Minibatches are bounded by characters (:func:`parse_groups`), and an article longer
    than :data:`PARSE_CHARS` is parsed a piece at a time, so that the parser's transient
    memory is set by :data:`PARSE_CHARS`, not by the longest articles of a corpus."""
    if not articles:
        return
    done = 0
    try:
        if n_process > 1:
            docs = nlp.pipe((a.text for a in articles), batch_size=batch_size, n_process=n_process)
        else:  # Docs that compute .text once (the extractors read it often)
            docs = _pipe_bounded(nlp, articles, batch_size)
        for doc in docs:
            art = articles[done]
            done += 1
            yield art, doc
        if done != len(articles):
            raise RuntimeError(f"nlp.pipe returned {done} docs for {len(articles)} texts")
        return
    except GeneratorExit:
        raise
    except Exception:
        pass
    for a in articles[done:]:
        try:
            yield a, next(_pipe_bounded(nlp, [a], 1))
        except Exception as exc:
            yield a, exc


def _e401(article: Article, limit: int) -> str:
    from rashomon.errors import Errors

    return Errors.E401.format(source=article.source or article.id, chars=len(article.text), limit=limit)


def _e402(article: Article, exc: BaseException) -> str:
    from rashomon.errors import Errors

    detail = f"{type(exc).__name__}: {str(exc).splitlines()[0][:300] if str(exc) else ''}".rstrip(": ")
    return Errors.E402.format(source=article.source or article.id, detail=detail)


def failed_rows(article: Article, message: str) -> dict[str, Any]:
    """A failed analysis: stored with its reason so later runs neither crash nor retry it
    until the pipeline version changes."""
    reason = "too_long" if message.startswith("[E401]") else "analysis_failed"
    return {"article_id": article.id, "status": "failed", "reason": reason, "message": message,
            "source": article.source or article.id}


def unsupported_rows(article: Article) -> dict[str, Any]:
    return {"article_id": article.id, "status": "unsupported_language", "source": article.source or article.id}


def to_rows(a: ArticleAnalysis) -> dict[str, Any]:
    """Flatten one analysis into rows for the store's tables."""
    art = a.article
    text = art.text
    rows: dict[str, Any] = {"article_id": art.id, "status": a.status}
    rows["mentions"] = [
        {
            "article_id": art.id, "start": m.span.start, "end": m.span.end, "text": m.text,
            "kind": m.kind, "label": m.label, "actor_id": m.actor_id, "register": m.register,
            "unnamed": m.unnamed, "place_name": m.place_name, "country": m.country, "lat": m.lat,
            "lon": m.lon, "place_precision": m.place_precision, "date": m.date,
            "date_end": m.date_end, "date_precision": m.date_precision, "anchored": m.anchored,
            "value": m.value, "low": m.low, "high": m.high, "qualifier": m.qualifier,
        }
        for m in a.mentions
    ]
    rows["event_mentions"] = [
        {
            "id": e.id, "article_id": art.id, "event_type": e.event_type,
            "sub_event_type": e.sub_event_type, "trigger_start": e.trigger.start,
            "trigger_end": e.trigger.end, "trigger_text": e.trigger_text,
            "evidence": json.dumps([[s.start, s.end] for s in e.evidence]),
            "date": e.date, "date_precision": e.date_precision, "place_name": e.place_name,
            "country": e.country, "lat": e.lat, "lon": e.lon, "place_precision": e.place_precision,
            "perpetrators": json.dumps(e.perpetrators), "targets": json.dumps(e.targets),
            "victims": json.dumps(e.victims),
            "killed": e.killed.value if e.killed else None,
            "killed_qualifier": e.killed.qualifier if e.killed else None,
            "injured": e.injured.value if e.injured else None,
            "injured_qualifier": e.injured.qualifier if e.injured else None,
            "method": e.method, "reference": e.reference,
        }
        for e in a.events
    ]
    rows["claims"] = [
        {
            "id": c.id, "article_id": art.id, "speaker_type": c.speaker_type,
            "speaker_id": c.speaker_id, "speaker_name": c.speaker_name,
            "speaker_start": c.speaker.start if c.speaker else None,
            "speaker_end": c.speaker.end if c.speaker else None,
            "cue": c.cue, "cue_start": c.cue_span.start if c.cue_span else None,
            "cue_end": c.cue_span.end if c.cue_span else None, "kind": c.kind,
            "target_id": c.target_id, "target_name": c.target_name, "hedged": c.hedged,
            "hedge": c.hedge, "quoted": c.quoted, "content_start": c.content.start,
            "content_end": c.content.end, "content_text": text[c.content.start : c.content.end],
            "event_mention_id": c.event_mention_id,
            "target_ids": json.dumps(c.target_ids), "rule": c.rule,
        }
        for c in a.claims
    ]
    rows["facts"] = [
        {
            "id": f.id, "article_id": art.id, "event_mention_id": f.event_mention_id,
            "slot": f.slot, "value": f.value, "value_name": f.value_name,
            "value_num": f.value_num, "low": f.low, "high": f.high, "qualifier": f.qualifier,
            "speaker_type": f.speaker_type, "speaker_id": f.speaker_id,
            "speaker_name": f.speaker_name, "claim_id": f.claim_id, "as_of": f.as_of,
            "outlet": f.outlet, "evidence_start": f.evidence.start, "evidence_end": f.evidence.end,
            "evidence_text": text[f.evidence.start : f.evidence.end], "rule": f.rule,
        }
        for f in a.facts
    ]
    rows["techniques"] = [
        {
            "article_id": art.id, "paragraph": t.paragraph, "technique": t.technique,
            "confidence": round(float(t.confidence), 4), "start": t.span.start, "end": t.span.end,
            "text": text[t.span.start : t.span.end],
        }
        for t in a.techniques
    ]
    rows["framing"] = [
        {
            "article_id": art.id,
            "genre": a.genre[0] if a.genre else None,
            "genre_confidence": round(float(a.genre[1]), 4) if a.genre else None,
            "profile": json.dumps(a.profile, ensure_ascii=False),
        }
    ]
    rows["actors"] = [
        {
            "id": p.id, "name": p.name, "kind": p.kind, "country": p.country, "provisional": True,
            "aliases": json.dumps([asdict(x) for x in p.aliases], ensure_ascii=False),
        }
        for p in a.provisional
    ]
    return rows
