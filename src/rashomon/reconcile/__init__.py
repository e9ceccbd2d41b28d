"""Stories and their reconciliation, kept up to date incrementally.

``update_stories`` links every event mention into Stories (``rashomon.link.stories``),
keeps the ids of stories that already existed, and rewrites only the stories whose
membership changed: a new article joins existing stories or starts new ones without
recomputing the rest.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import cache
from typing import Any

from sqlalchemy import select

from rashomon.model import SLOTS, SlotValue, Story
from rashomon.reconcile.rules import VERSION, reconcile_slot, responsibility_matrix
from rashomon.reconcile.sources import outlet_name, source_key_for
from rashomon.store import Store
from rashomon.store import schema as s

__all__ = ["VERSION", "build_story", "update_stories"]


def _records(store: Store) -> tuple[list[Any], dict[str, dict[str, Any]]]:
    from rashomon.link.stories import EventRecord

    records = []
    with store.engine.connect() as conn:
        # article texts are not all held at once (memory stays flat in corpus size): each
        # event mention row is streamed with its article's text, and only the evidence
        # sentence is kept
        arts = {
            r.id: dict(r._mapping)
            for r in conn.execute(select(s.articles.c.id, s.articles.c.outlet, s.articles.c.domain,
                                         s.articles.c.title, s.articles.c.published, s.articles.c.duplicate_of))
        }
        q = (
            select(s.event_mentions, s.articles.c.text.label("_article_text"))
            .select_from(s.event_mentions.outerjoin(s.articles, s.articles.c.id == s.event_mentions.c.article_id))
            .order_by(s.event_mentions.c.id)
        )
        rows = conn.execution_options(yield_per=1000).execute(q)
        for r in rows:
            records.append(_record(r._mapping, arts, EventRecord))
    return records, arts


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
        id=m["id"], doc_id=m["article_id"], event_type=m["event_type"],
        sub_event_type=m["sub_event_type"], date=m["date"], date_precision=m["date_precision"],
        country=m["country"], place=m["place_name"], participants=participants,
        trigger=(m["trigger_text"] or "").lower(), text=sent, published=art.get("published"),
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
) -> Story:
    """Reconcile one story from its member event mentions and their facts.

    ``duplicates`` (article id -> the article it near-duplicates) is derived from
    ``articles`` when not given; ``update_stories`` computes it once per run, since
    deriving it per story costs O(stories x articles)."""
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
    # the story's own type, date and place: the most specific and most reported among members
    ranked = sorted(members, key=lambda m: (m["reference"] is True, m["sub_event_type"] in {"Attack", "Remote explosive/landmine/IED"}, m["id"]))
    head = ranked[0]
    dates = sorted((m["date"] for m in members if m["date"]), key=lambda d: (-len(d), d))
    date = max(set(dates), key=dates.count) if dates else None
    places = [m for m in members if m["place_name"]]
    place_counts = Counter(m["place_name"] for m in places)  # the first most reported (linear, not m^2)
    place = max(places, key=lambda m: place_counts[m["place_name"]]) if places else None
    article_ids = sorted({m["article_id"] for m in members})
    outlets = sorted({outlet_name(articles[a]) for a in article_ids if a in articles})
    story = Story(
        id=story_id, title="", event_type=head["event_type"], sub_event_type=head["sub_event_type"],
        date=date, date_precision=next((m["date_precision"] for m in members if m["date"] == date), None),
        place_name=place["place_name"] if place else None, country=place["country"] if place else None,
        member_ids=sorted(m["id"] for m in members), article_ids=article_ids, outlets=outlets,
        algorithm=algorithm, slots=slots,
        responsibility=responsibility_matrix(by_slot, hedges),
    )
    story.title = make_title(list(records)) if records else story.event_type
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


def update_stories(store: Store, *, progress: Callable[[str, int, int], None] | None = None) -> tuple[int, int]:
    """Link all event mentions into stories; rewrite the stories that changed.

    Returns (stories rewritten, stories in total).
    """
    from rashomon.link.stories import ALGORITHM, link_events, select_affected

    records, articles = _records(store)
    known = {r.id for r in records}
    previous = {r["event_mention_id"]: r["story_id"] for r in store.rows("story_members")}
    previous = {k: v for k, v in previous.items() if k in known}  # re-analyzed articles drop old ids
    new = [r for r in records if r.id not in previous]
    if previous and new:
        # incremental: only the blocks the new mentions fall into are linked again
        assignment = {**previous, **link_events(select_affected(records, new), previous=previous)}
    elif previous:
        assignment = dict(previous)
    else:
        assignment = link_events(records)
    members_of: dict[str, set[str]] = defaultdict(set)
    for eid, sid in assignment.items():
        members_of[sid].add(eid)
    old_members: dict[str, set[str]] = defaultdict(set)
    for eid, sid in previous.items():
        old_members[sid].add(eid)
    existing = {r["id"]: r["algorithm"] for r in store.rows("stories")}
    changed = sorted(
        sid for sid, ms in members_of.items()
        if ms != old_members.get(sid) or existing.get(sid) != f"{ALGORITHM}+{VERSION}"
    )
    gone = sorted(set(old_members) - set(members_of))
    if not changed and not gone:
        return 0, len(members_of)

    kinds = _actor_kinds(store)
    rec_by_id = {r.id: r for r in records}
    wanted = {eid for sid in changed for eid in members_of[sid]}
    # only the rows of the changed stories, by indexed id look-ups in chunks (not full scans)
    ev_rows = {r["id"]: r for r in _rows_in(store, s.event_mentions, "id", wanted)}
    facts_by_ev: dict[str, list[dict[str, Any]]] = defaultdict(list)
    fact_rows = sorted(_rows_in(store, s.facts, "event_mention_id", wanted), key=lambda f: f["id"])
    for f in fact_rows:
        facts_by_ev[f["event_mention_id"]].append(f)
    claim_ids = {f["claim_id"] for f in fact_rows if f["claim_id"]}
    claim_hedge = {c["id"]: bool(c["hedged"]) for c in _rows_in(store, s.claims, "id", claim_ids)}
    hedges = {f["id"]: claim_hedge.get(f["claim_id"] or "", False) for f in fact_rows}
    dups = near_duplicates(articles)  # once per run, not once per story
    story_out, member_out = [], []
    for i, sid in enumerate(changed):
        mids = sorted(members_of[sid])
        members = [ev_rows[m] for m in mids if m in ev_rows]
        facts = [f for m in mids for f in facts_by_ev.get(m, [])]
        story = build_story(sid, members, facts, articles, hedges, kinds, f"{ALGORITHM}+{VERSION}",
                            [rec_by_id[m] for m in mids if m in rec_by_id], duplicates=dups)
        story_out.append(story_rows(story))
        member_out += [{"event_mention_id": m, "story_id": sid} for m in mids]
        if progress and i % 50 == 0:
            progress("reconcile", i + 1, len(changed))
    # a member that moved changed its old story too, so that story is in `changed` or `gone`
    store.replace_stories(story_out, member_out, story_ids=changed + gone)
    return len(changed), len(members_of)
