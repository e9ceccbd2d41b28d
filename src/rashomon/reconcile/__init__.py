"""Stories and their reconciliation, kept up to date incrementally.

``update_stories`` links every event mention into Stories (``rashomon.link.stories``),
keeps the ids of stories that already existed, and rewrites only the stories whose
membership changed: a new article joins existing stories or starts new ones without
recomputing the rest.
"""

from __future__ import annotations

import json
import sys
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import cache
from typing import Any

from sqlalchemy import func, select

from rashomon.model import SLOTS, SlotValue, Story
from rashomon.reconcile.rules import VERSION, reconcile_slot, responsibility_matrix, story_date
from rashomon.reconcile.sources import outlet_name, source_key_for
from rashomon.store import Store
from rashomon.store import schema as s

__all__ = ["VERSION", "build_story", "update_stories"]


#: Slots of who claims, blames or denies: said of the article's own event (``extra_facts``).
RESP_SLOTS = frozenset({"responsibility_claimed_by", "blamed", "denied_by"})
STORY_BATCH = 200  # stories built and written at a time (update_stories)
LIGHT_MENTION = ("id", "article_id", "trigger_start", "date", "date_precision", "place_name", "country",
                 "killed", "injured", "reference")


def _records(store: Store) -> tuple[list[Any], dict[str, dict[str, Any]], dict[str, list[dict[str, Any]]]]:
    """Every event mention as an EventRecord, the articles' light fields, and each
    article's light mention rows.

    What repeats across rows (article ids, dates, places, types) is one string object
    each (``sys.intern``), not one per row: these records are held for the whole pool."""
    from rashomon.link.stories import EventRecord

    records = []
    mentions: dict[str, list[dict[str, Any]]] = defaultdict(list)
    with store.engine.connect() as conn:
        # article texts are not all held at once (memory stays flat in corpus size): each
        # event mention row is streamed with its article's text, and only the evidence
        # sentence is kept
        arts = {
            sys.intern(r.id): {k: _shared(v) for k, v in r._mapping.items()}
            for r in conn.execute(select(s.articles.c.id, s.articles.c.outlet, s.articles.c.published,
                                         s.articles.c.duplicate_of, s.articles.c.title, s.articles.c.domain))
        }
        q = (
            select(s.event_mentions, s.articles.c.text.label("_article_text"))
            .select_from(s.event_mentions.outerjoin(s.articles, s.articles.c.id == s.event_mentions.c.article_id))
            .order_by(s.event_mentions.c.id)
        )
        rows = conn.execution_options(yield_per=1000).execute(q)
        for r in rows:
            records.append(_record(r._mapping, arts, EventRecord))
            mentions[sys.intern(r.article_id)].append({k: _shared(r._mapping[k]) for k in LIGHT_MENTION})
    return records, arts, mentions


def _shared(value: Any) -> Any:
    """One object per distinct short string (ids, dates, names), via ``sys.intern``."""
    return sys.intern(value) if type(value) is str and len(value) <= 64 else value


def _record(m: Any, arts: dict[str, dict[str, Any]], record_cls: Any) -> Any:
    """One streamed event mention row (with its article's text) as an EventRecord."""
    art = arts.get(m["article_id"], {})
    text = m["_article_text"] or ""
    ev = json.loads(m["evidence"] or "[]")
    sent = text[ev[0][0] : ev[0][1]] if ev else m["trigger_text"] or ""
    participants = frozenset(
        json.loads(m["perpetrators"] or "[]") + json.loads(m["victims"] or "[]") + json.loads(m["targets"] or "[]")
    )
    return record_cls(
        id=m["id"], doc_id=_shared(m["article_id"]), event_type=_shared(m["event_type"]),
        sub_event_type=_shared(m["sub_event_type"]), date=_shared(m["date"]),
        date_precision=_shared(m["date_precision"]), country=_shared(m["country"]),
        place=_shared(m["place_name"]), participants=participants,
        trigger=_shared((m["trigger_text"] or "").lower()), text=sent, published=art.get("published"),
        victims=frozenset(v for v in json.loads(m["victims"] or "[]") if _person_ids().get(v)),
    )




def _rows_in(store: Store, table: Any, column: str, ids: Iterable[str], chunk: int = 500) -> Iterator[dict[str, Any]]:
    """Rows of ``table`` whose ``column`` is one of ``ids`` (chunked IN queries)."""
    wanted = sorted(ids)
    with store.engine.connect() as conn:
        for i in range(0, len(wanted), chunk):
            q = select(table).where(table.c[column].in_(wanted[i : i + chunk]))
            for r in conn.execute(q):
                yield dict(r._mapping)


@cache
def _person_ids() -> dict[str, bool]:
    from rashomon.annotate.actors import load_registry

    return {a.id: a.kind == "person" for a in load_registry().actors.values()}


def _actor_kinds(store: Store) -> dict[str, str]:
    """Actor id -> kind (registry, then the corpus's provisional actors): the official-source rule needs it."""
    from rashomon.annotate.actors import load_registry

    kinds = {a.id: a.kind for a in load_registry().actors.values()}
    for r in store.rows("actors"):
        kinds.setdefault(r["id"], r["kind"] or "")
    return kinds


def near_duplicates(articles: dict[str, dict[str, Any]]) -> dict[str, str]:
    """Article id -> the article it is a near-duplicate of."""
    return {aid: a["duplicate_of"] for aid, a in articles.items() if a.get("duplicate_of")}


def build_story(
    story_id: str,
    members: Sequence[dict[str, Any]],
    facts: Sequence[dict[str, Any]],
    articles: dict[str, dict[str, Any]],
    hedges: dict[str, bool],
    actor_kinds: dict[str, str],
    algorithm: str,
    records: Sequence[Any] = (),
    duplicates: dict[str, str] | None = None,
    contributing: set[str] | None = None,
    article_ids: Sequence[str] | None = None,
    mains: set[str] | None = None,
    extra_facts: Sequence[dict[str, Any]] = (),
) -> Story:
    """Reconcile one story from its member event mentions and their facts.

    ``duplicates`` (article id -> the article it near-duplicates) is derived from
    ``articles`` when not given; ``update_stories`` computes it once per run, since
    deriving it per story costs O(stories x articles).

    ``contributing`` (default: every member that is not a passing reference) are the
    members that report the story's own event: only their facts fill slots, and only
    they give the story its type, date, place and title (all members do when none
    contributes: an event only recalled in passing). Other members (passing
    references, other events an article mentions) are linked but contribute nothing.
    ``extra_facts`` are responsibility facts (claimed, blamed, denied) of the story's
    articles' mentions that report no story: who claims or blames is said about the
    article's own event.
    ``article_ids`` (default: the contributing members' articles) are the articles whose
    main event this is."""
    if contributing is None:
        contributing = {m["id"] for m in members if not m["reference"]}
    facts = [f for f in facts if f["event_mention_id"] in contributing] + list(extra_facts)
    # a story of an event only recalled in passing is still described by those mentions
    # (type, date, place, title), though they fill no slot
    own = [m for m in members if m["id"] in contributing] or list(members)
    records = [r for r in records if r.id in contributing] or list(records)
    from rashomon.link.stories import make_title

    by_slot: dict[str, list[SlotValue]] = defaultdict(list)
    for f in sorted(facts, key=lambda f: (f["as_of"] or "", f["article_id"], f["id"])):
        by_slot[f["slot"]].append(SlotValue(
            value=f["value"], value_num=f["value_num"], low=f["low"], high=f["high"],
            qualifier=f["qualifier"], outlet=f["outlet"], article_id=f["article_id"],
            speaker=f["speaker_name"] or "the article", speaker_type=f["speaker_type"] or "article",
            as_of=f["as_of"], evidence_text=f["evidence_text"] or "",
            evidence_start=f["evidence_start"], evidence_end=f["evidence_end"], fact_id=f["id"],
            value_name=f["value_name"], speaker_id=f["speaker_id"],
        ))
    if duplicates is None:
        duplicates = near_duplicates(articles)
    keys = source_key_for(articles)

    def shown(v: SlotValue) -> str:
        return outlet_name(articles.get(v.article_id) or {"outlet": v.outlet})
    slots = {
        slot: reconcile_slot(slot, by_slot[slot], duplicates=duplicates, actor_kinds=actor_kinds,
                             source_key=keys, source_name=shown)
        for slot in SLOTS if by_slot.get(slot)
    }
    # the story's own type, date and place: from its articles' main events (what their
    # headlines and leads report) when it has any, else from every contributing member;
    # the most specific and most reported
    lead = [m for m in own if m["id"] in (mains or ())] or own
    ranked = sorted(lead or members, key=lambda m: (m["sub_event_type"] in {"Attack", "Remote explosive/landmine/IED"}, m["id"]))
    head = ranked[0]
    # every contributing account votes on the date, the articles' main events twice
    date = story_date([m["date"] for m in lead if m["date"]] + [m["date"] for m in own if m["date"]])
    places = [m for m in lead if m["place_name"]] or [m for m in own if m["place_name"]]
    place_counts = Counter(m["place_name"] for m in places)  # the first most reported (linear, not m^2)
    place = max(places, key=lambda m: place_counts[m["place_name"]]) if places else None
    article_ids = sorted(set(article_ids) if article_ids is not None else {m["article_id"] for m in own})
    outlets = sorted({outlet_name(articles[a]) for a in article_ids if a in articles})
    story = Story(
        id=story_id, title="", event_type=head["event_type"], sub_event_type=head["sub_event_type"],
        date=date, date_precision=next((m["date_precision"] for m in own if m["date"] == date), None),
        place_name=place["place_name"] if place else None, country=place["country"] if place else None,
        member_ids=sorted(m["id"] for m in members), article_ids=article_ids, outlets=outlets,
        algorithm=algorithm, slots=slots,
        responsibility=responsibility_matrix(by_slot, hedges),
    )
    lead_ids = {m["id"] for m in lead}
    story.title = make_title([r for r in records if r.id in lead_ids] or list(records), when=(date or "")[:10]) \
        if records else story.event_type
    return story


def story_rows(story: Story) -> dict[str, Any]:
    data = {
        "id": story.id, "title": story.title, "event_type": story.event_type,
        "sub_event_type": story.sub_event_type, "date": story.date,
        "date_precision": story.date_precision,
        "place": {"name": story.place_name, "country": story.country},
        "article_ids": story.article_ids, "outlets": story.outlets,
        "member_ids": story.member_ids, "algorithm": story.algorithm, "rules": VERSION,
        "slots": {
            k: {
                "status": r.status, "low": r.low, "best": r.best, "high": r.high, "rule": r.rule,
                "explanation": r.explanation,
                "values": [
                    {
                        "value": v.value, "value_name": v.value_name, "value_num": v.value_num,
                        "low": v.low, "high": v.high, "qualifier": v.qualifier, "outlet": v.outlet,
                        "article_id": v.article_id, "speaker": v.speaker,
                        "speaker_type": v.speaker_type, "as_of": v.as_of,
                        "evidence_text": v.evidence_text, "evidence_start": v.evidence_start,
                        "evidence_end": v.evidence_end, "fact_id": v.fact_id,
                        "speaker_id": v.speaker_id,
                    }
                    for v in r.values
                ],
            }
            for k, r in story.slots.items()
        },
        "responsibility": story.responsibility,
    }
    return {
        "id": story.id, "title": story.title, "event_type": story.event_type,
        "sub_event_type": story.sub_event_type, "date": story.date,
        "date_precision": story.date_precision, "place_name": story.place_name,
        "country": story.country, "n_articles": len(story.article_ids),
        "n_outlets": len(story.outlets),
        "n_conflicts": sum(1 for r in story.slots.values() if r.status == "conflicting"),
        "algorithm": story.algorithm, "data": json.dumps(data, ensure_ascii=False),
    }


def _leads(store: Store, ids: Iterable[str], chunk: int = 500) -> Iterator[tuple[str, str]]:
    """(article id, the first ``LEAD_CHARS`` characters of its text), streamed."""
    from rashomon.link.docs import LEAD_CHARS

    wanted = sorted(ids)
    col = func.substr(s.articles.c.text, 1, LEAD_CHARS)
    with store.engine.connect() as conn:
        for i in range(0, len(wanted), chunk):
            q = select(s.articles.c.id, col).where(s.articles.c.id.in_(wanted[i : i + chunk]))
            for r in conn.execute(q):
                yield r[0], r[1] or ""


def _article_texts(store: Store, ids: Iterable[str]) -> Iterator[dict[str, Any]]:
    cols = ("id", "title", "text", "body_end", "published", "outlet", "domain")
    for r in _rows_in(store, s.articles, "id", ids):
        yield {k: r[k] for k in cols}


def _body_texts(store: Store, ids: Sequence[str], chunk: int = 500) -> Iterator[str]:
    """Each article's body as the document linker reads it, in the order of ``ids``."""
    from rashomon.link.docs import body_text

    cols = (s.articles.c.id, s.articles.c.text, s.articles.c.body_end)
    with store.engine.connect() as conn:
        for i in range(0, len(ids), chunk):
            part = list(ids[i : i + chunk])
            rows = {r.id: body_text(dict(r._mapping)) for r in conn.execute(select(*cols).where(s.articles.c.id.in_(part)))}
            for a in part:
                yield rows.get(a, "")


def _previous_docs(store: Store, known: set[str]) -> dict[str, str]:
    """Article id -> the story whose main event it reported in the last run."""
    out: dict[str, str] = {}
    for r in store.rows("stories"):
        data = json.loads(r["data"] or "{}")
        for a in data.get("article_ids") or []:
            if a in known:
                out.setdefault(a, r["id"])
    return out


SPLIT_DAYS = 3  # an article's main event this many days from its cluster's is another event


def _ordinal(day: str) -> int:
    from datetime import date

    return date.fromisoformat(day[:10]).toordinal()


def _elsewhere_later(rec: Any, where: tuple[str | None, str | None] | None, day: str) -> bool:
    """An undated main event at another place than the cluster's, in an article published
    more than ``SPLIT_DAYS`` after the cluster's day: a later event of the same kind
    nearby (a strike on a school ten days after a strike on a camp), not a follow-up."""
    from rashomon.link.features import CONFLICT, place_score

    pub = (rec.published or "")[:10]
    if where is None or not rec.place or len(pub) < 10:
        return False
    try:
        late = _ordinal(pub) - _ordinal(day) > SPLIT_DAYS
    except ValueError:
        return False
    return late and place_score(rec.place, rec.country, where[0], where[1]) == CONFLICT


def main_mentions(mentions: dict[str, list[dict[str, Any]]]) -> set[str]:
    """Each article's main event mention: its first non-reference mention in text order
    (extraction puts the main event, the headline's and lead's, first and never marks it
    a reference)."""
    out = set()
    for ms in mentions.values():
        own = [m for m in ms if not m["reference"]]
        if own:
            out.add(min(own, key=lambda m: (m.get("trigger_start") or 0, m["id"]))["id"])
    return out


def _conflicts(rec: Any, place: str | None, country: str | None, day: str | None) -> bool:
    """Does a mention's place or date contradict a story's main-event profile?"""
    from rashomon.link.features import CONFLICT, parse_interval, place_score, time_score

    return place_score(rec.place, rec.country, place, country) == CONFLICT or time_score(
        parse_interval(rec.date, rec.date_precision), parse_interval(day)) == CONFLICT


def _profile_ok(rec: Any, place: str | None, country: str | None, day: str | None) -> bool:
    """Whether a non-reference mention can be the cluster's main event (no place, country
    or day conflict with the cluster's main-event profile)."""
    from rashomon.link.features import CONFLICT, parse_interval, place_score, time_score

    if place_score(rec.place, rec.country, place, country) == CONFLICT:
        return False
    t = time_score(parse_interval(rec.date, rec.date_precision), parse_interval(day))
    if t == CONFLICT:
        return False
    # something positive in common: a mention with neither place nor date ("and thousands
    # of martyrs") is not shown to be the cluster's event
    return bool(rec.place or rec.country or rec.date)


def assign_stories(
    records: Sequence[Any],
    refs: set[str],
    doc_cluster: dict[str, int],
    doc_records: dict[str, Any],
    previous_docs: dict[str, str],
    previous: dict[str, str],
    mains: set[str] | None = None,
) -> tuple[dict[str, str], dict[str, set[str]], dict[str, list[str]]]:
    """Stories of the linked articles: (mention -> story, story -> contributing mention
    ids, story -> main-event article ids), for the articles in ``doc_cluster``.

    Each article cluster is one story, holding its articles' non-reference mentions that
    agree with the cluster's main event. A passing reference, or a mention of another
    event (another place, a day far off), joins the story whose main event it matches
    best (``link.stories.score_pair`` >= its threshold); a passing reference contributes
    no values there, a reported other event does (its article is not added to that
    story's articles: its main event is elsewhere). Reported other events that match no
    story are linked among themselves (``link.stories.link_events``) into stories of
    their own. A passing reference that matches nothing stays, contributing nothing, in
    its own article's story."""
    from rashomon.link import stories as ls

    by_cluster: dict[int, list[str]] = defaultdict(list)
    for a, c in doc_cluster.items():
        by_cluster[c].append(a)
    # an article new to a cluster whose main event is days away from the day most of the
    # cluster reports is not about that event: it gets a story of its own
    extra = max(by_cluster, default=-1) + 1
    for c in list(by_cluster):
        days = Counter(doc_records[a].event_date for a in by_cluster[c] if doc_records[a].event_date)
        if not days:
            continue
        day, n = min(days.items(), key=lambda kv: (-kv[1], kv[0]))
        if n < 2 or list(days.values()).count(n) > 1:
            continue
        places = Counter((doc_records[a].place, doc_records[a].country) for a in by_cluster[c] if doc_records[a].place)
        where = min(places, key=lambda k: (-places[k], str(k))) if places else None
        for a in sorted(by_cluster[c]):
            d = doc_records[a].event_date
            if a in previous_docs:
                continue
            if (d and abs(_ordinal(d) - _ordinal(day)) > SPLIT_DAYS) or (not d and _elsewhere_later(doc_records[a], where, day)):
                by_cluster[c].remove(a)
                by_cluster[extra] = [a]
                extra += 1
    rec_by_article: dict[str, list[Any]] = defaultdict(list)
    for r in records:
        rec_by_article[r.doc_id].append(r)
    assignment: dict[str, str] = {}
    contributing: dict[str, set[str]] = defaultdict(set)
    story_articles: dict[str, list[str]] = {}
    referents: list[Any] = []
    home: dict[str, str] = {}
    profile: dict[str, tuple[str | None, str | None, str | None]] = {}
    for c in sorted(by_cluster, key=lambda c: min(by_cluster[c])):
        arts = sorted(by_cluster[c])
        ids = sorted(r.id for a in arts for r in rec_by_article.get(a, []))
        olds = {previous_docs[a] for a in arts if a in previous_docs}
        olds |= {previous[m] for m in ids if m in previous and m not in refs}
        if olds:
            first = {o: min([m for m in ids if previous.get(m) == o] + [f"~{o}"]) for o in olds}
            sid = min(olds, key=lambda o: (first[o], o))
        elif ids:
            sid = ls.story_id(ids)
        else:
            continue  # an article with no event mentions and no company: no story
        places = Counter((doc_records[a].place, doc_records[a].country) for a in arts if doc_records[a].place)
        place, country = (min(places, key=lambda k: (-places[k], str(k))) if places else (None, None))
        if country is None:
            cs = Counter(doc_records[a].country for a in arts if doc_records[a].country)
            country = min(cs, key=lambda k: (-cs[k], k)) if cs else None
        days = Counter(doc_records[a].event_date for a in arts if doc_records[a].event_date)
        day = min(days, key=lambda k: (-days[k], k)) if days else None
        story_articles[sid] = arts
        profile[sid] = (place, country, day)
        for a in arts:
            for r in rec_by_article.get(a, []):
                home[r.id] = sid
                ref = r.id in refs
                # an article's main event is what put it in this cluster: it always
                # reports the story (a place resolved differently, or a date misread,
                # must not silence its toll); its other own events must agree
                if not ref and (r.id in (mains or ()) or _profile_ok(r, place, country, day)):
                    assignment[r.id] = sid
                    contributing[sid].add(r.id)
                else:
                    referents.append(r)
    # passing references and other events: to the story whose main event they match
    main = [r for r in records if r.id in assignment]
    keys = ls.affected_blocks(referents)
    pool = referents + [r for r in main if any(k in keys for k in ls.blocking_keys(r))]
    best: dict[str, tuple[float, str]] = {}
    ref_ids = {r.id for r in referents}
    if referents:
        # only reference-to-account pairs are scored, so only those are made
        pairs, _ = ls.candidate_pairs(pool, cross=[r.id in ref_ids for r in pool])
        text = ls._Text([r.text for r in pool])
        for (i, j), sim in zip(pairs, text.cos(pairs), strict=True):
            a, b = pool[i], pool[j]
            if (a.id in ref_ids) == (b.id in ref_ids):
                continue
            ref, hit = (a, b) if a.id in ref_ids else (b, a)
            if ref.victims and not ref.victims & hit.victims:
                continue  # the killing of a named person is the story of that killing
            score = ls.score_pair(ref, hit, sim)
            # matched to one account, it must also fit the story's main event: the 2020
            # killing a 2024 article recalls is not the 2024 bombing, whatever it shares
            if score >= ls.THRESHOLD and score > best.get(ref.id, (0.0, ""))[0] and not _conflicts(
                    ref, *profile.get(assignment[hit.id], (None, None, None))):
                best[ref.id] = (score, assignment[hit.id])
    for r in referents:
        if r.id in best:
            assignment[r.id] = best[r.id][1]
            if r.id not in refs:  # another event the text reports (not in passing): its facts count
                contributing[best[r.id][1]].add(r.id)
    # other events, and passing references, that match no story's main event: linked
    # among themselves by the event linker into stories of their own (an analysis that
    # covers two attacks gives both a story; an old killing that two articles recall is
    # one story). Passing references contribute no values; a lone one stays home.
    rest = [r for r in referents if r.id not in best]
    groups = ls.link_events(rest, {r.id: previous[r.id] for r in rest if r.id in previous})
    by_group: dict[str, list[Any]] = defaultdict(list)
    for r in rest:
        by_group[groups[r.id]].append(r)
    for sid, rs in sorted(by_group.items()):
        if sid in story_articles and not any(previous.get(r.id) == sid for r in rs):
            # a new id made from the same earliest mention as an article cluster's story
            sid = ls.story_id([f"{sid}|recalled"])
        own = [r for r in rs if r.id not in refs]
        if len({r.doc_id for r in rs}) < 2 and not any(r.place or r.country or r.date for r in own):
            # a lone passing reference, or one article's other mention that says neither
            # where nor when ("Taylor was killed two weeks after his birthday"): it stays
            # in its article's story and makes no story of its own
            for r in own:
                if r.doc_id in doc_cluster and home.get(r.id) in story_articles:
                    contributing[home[r.id]].add(r.id)
            continue
        for r in rs:
            assignment[r.id] = sid
            if r.id not in refs:
                contributing[sid].add(r.id)
            if r.doc_id not in story_articles.setdefault(sid, []):
                story_articles[sid].append(r.doc_id)
    for r in referents:
        assignment.setdefault(r.id, home[r.id])
    return assignment, contributing, story_articles


def update_stories(store: Store, *, progress: Callable[[str, int, int], None] | None = None) -> tuple[int, int]:
    """Link articles into stories (document clustering, then events); rewrite the stories
    that changed. Incremental: only the articles sharing a block with a new article are
    linked again, earlier stories are never split and keep their ids.

    Returns (stories rewritten, stories in total).
    """
    from rashomon.link import docs as ld
    from rashomon.link.stories import ALGORITHM as EVENT_ALGORITHM

    algorithm = f"{ld.ALGORITHM}+{EVENT_ALGORITHM}+{VERSION}"
    records, articles, mentions = _records(store)
    refs = {m["id"] for ms in mentions.values() for m in ms if m["reference"]}
    mains = main_mentions(mentions)
    all_ids = {m["id"] for ms in mentions.values() for m in ms}
    known = set(articles)
    previous = {r["event_mention_id"]: r["story_id"] for r in store.rows("story_members")}
    previous = {k: v for k, v in previous.items() if k in all_ids}  # re-analyzed articles drop old ids
    previous_docs = _previous_docs(store, known)
    stories_before = {r["id"]: r["algorithm"] for r in store.rows("stories")}
    stale = any(a != algorithm for a in stories_before.values())
    new_docs = {a for a in known if a not in previous_docs and (mentions.get(a) or not previous_docs)}
    new_docs |= {m["article_id"] for ms in mentions.values() for m in ms if m["id"] not in previous}
    if stale:
        previous_docs, new_docs = {}, set(known)  # a new algorithm relinks everything (ids kept)
    if not new_docs and not stale:
        return 0, len(stories_before)

    if len(new_docs) == len(known):
        pool = set(known)
    else:
        # the block keys of the new articles, then every article sharing one (leads
        # streamed twice rather than held)
        keys = {k for a, lead in _leads(store, new_docs)
                for k in ld.blocking_keys(ld.doc_record({**articles[a], "text": lead}, mentions.get(a, [])))}
        pool = set(new_docs) | {a for a, lead in _leads(store, known) if any(
            k in keys for k in ld.blocking_keys(ld.doc_record({**articles[a], "text": lead}, mentions.get(a, []))))}
        # a story touched is relinked whole, so that no story is split
        touched = {previous_docs[a] for a in pool if a in previous_docs}
        pool |= {a for a, sid in previous_docs.items() if sid in touched}
    # texts streamed: each article's record keeps its lead only; the linker reads the
    # bodies from the store as it fits its text features (never all held at once)
    doc_records = {r["id"]: ld.doc_record(r, mentions.get(r["id"], []), keep=ld.LEAD_CHARS)
                   for r in _article_texts(store, pool)}
    doc_records = {a: doc_records[a] for a in sorted(doc_records)}
    if progress:
        progress("link", 0, len(doc_records))
    dups = near_duplicates(articles)  # once per run, not once per story
    # a near-duplicate goes with its original, unscored: the linker reads distinct texts
    doc_cluster = ld.link_documents(list(doc_records.values()), {a: previous_docs[a] for a in doc_records
                                                                  if a in previous_docs},
                                    texts=lambda ids: _body_texts(store, ids), same=dups)
    pool_records = [r for r in records if r.doc_id in doc_records]
    assignment, contributing, story_articles = assign_stories(
        pool_records, refs, doc_cluster, doc_records, previous_docs, previous, mains)
    # mentions of articles outside the pool keep their stories
    for eid, sid in previous.items():
        assignment.setdefault(eid, sid)

    members_of: dict[str, set[str]] = defaultdict(set)
    for eid, sid in assignment.items():
        members_of[sid].add(eid)
    old_members: dict[str, set[str]] = defaultdict(set)
    for eid, sid in previous.items():
        old_members[sid].add(eid)
    prev_articles: dict[str, set[str]] = defaultdict(set)
    for a, x in previous_docs.items():
        prev_articles[x].add(a)
    changed = sorted(
        sid for sid in story_articles
        if members_of.get(sid) and (members_of[sid] != old_members.get(sid) or stories_before.get(sid) != algorithm
                                    or set(story_articles[sid]) != prev_articles.get(sid))
    )
    kept = {previous_docs[a] for a in previous_docs if a not in doc_records}
    gone = sorted((set(old_members) | set(stories_before)) - kept
                  - {sid for sid in story_articles if members_of.get(sid)} - (set(members_of) - set(story_articles)))
    if not changed and not gone:
        return 0, len(set(members_of))

    kinds = _actor_kinds(store)
    rec_by_id = {r.id: r for r in records}
    # who claims, blames or denies is said about the article's own event: responsibility
    # facts of an article's mentions that report no story count for its main event's story
    taken = set().union(*contributing.values()) if contributing else set()
    by_doc: dict[str, list[str]] = defaultdict(list)
    for r in records:
        by_doc[r.doc_id].append(r.id)
    resp_extra = {
        sid: {m for a in story_articles.get(sid, []) if set(by_doc[a]) & mains & contributing.get(sid, set())
              for m in by_doc[a] if m not in taken}
        for sid in changed
    }

    def batches() -> Iterator[tuple[list[dict[str, Any]], list[dict[str, Any]]]]:
        # the changed stories STORY_BATCH at a time: only one batch's mention, fact and
        # claim rows are read (by indexed id look-ups in chunks) and built at once, so a
        # full run over a large corpus holds one batch, not every fact of the corpus
        done = 0
        for lo in range(0, len(changed), STORY_BATCH):
            sids = changed[lo : lo + STORY_BATCH]
            wanted = {eid for sid in sids for eid in members_of.get(sid, set())}
            wanted |= {m for sid in sids for m in resp_extra.get(sid, ())}
            ev_rows = {r["id"]: r for r in _rows_in(store, s.event_mentions, "id", wanted)}
            facts_by_ev: dict[str, list[dict[str, Any]]] = defaultdict(list)
            fact_rows = sorted(_rows_in(store, s.facts, "event_mention_id", wanted), key=lambda f: f["id"])
            for f in fact_rows:
                facts_by_ev[f["event_mention_id"]].append(f)
            claim_ids = {f["claim_id"] for f in fact_rows if f["claim_id"]}
            claim_hedge = {c["id"]: bool(c["hedged"]) for c in _rows_in(store, s.claims, "id", claim_ids)}
            hedges = {f["id"]: claim_hedge.get(f["claim_id"] or "", False) for f in fact_rows}
            story_out, member_out = [], []
            for sid in sids:
                mids = sorted(members_of.get(sid, set()))
                members = [ev_rows[m] for m in mids if m in ev_rows]
                facts = [f for m in mids for f in facts_by_ev.get(m, [])]
                extra = [f for m in sorted(resp_extra.get(sid, ())) for f in facts_by_ev.get(m, [])
                         if f["slot"] in RESP_SLOTS]
                story = build_story(sid, members, facts, articles, hedges, kinds, algorithm,
                                    [rec_by_id[m] for m in mids if m in rec_by_id], duplicates=dups,
                                    contributing=contributing.get(sid, set()), article_ids=story_articles[sid],
                                    mains=mains, extra_facts=extra)
                story_out.append(story_rows(story))
                member_out += [{"event_mention_id": m, "story_id": sid} for m in mids]
            done += len(sids)
            if progress:
                progress("reconcile", done, len(changed))
            yield story_out, member_out

    # a member that moved changed its old story too, so that story is in `changed` or `gone`
    store.replace_stories_in_batches(batches(), story_ids=changed + gone)
    return len(changed), len(set(members_of))
