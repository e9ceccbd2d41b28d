"""Alerts: what changed in the stories that a desk following the feeds wants to know.

Kinds, each with the story, the slot, the values with their outlets and evidence:

* ``new_story``: a story is now reported by two or more outlets;
* ``conflict``: a slot became ``conflicting`` (independent sources disagree);
* ``revision``: an outlet reported a different figure for a count than before;
* ``responsibility``: a new responsibility claim, blame or denial by a source.

An alert is identified by a hash of what it is about (story, kind, slot, the outlet and
value where they matter), kept in the ``alerts`` table: detecting again finds nothing
new, so a restarted watcher never repeats an alert. What is already true when watching
begins on a store is recorded as ``baseline`` and not sent.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from xml.sax.saxutils import escape

from sqlalchemy import insert, select, update

from rashomon.model import COUNT_SLOTS, SlotValue
from rashomon.store import schema as s
from rashomon.store.db import Store

KINDS = ("new_story", "conflict", "revision", "responsibility")
RELATIONS = {"claimed": "claimed responsibility", "blamed": "blamed", "denied": "denied"}


@dataclass(slots=True)
class Alert:
    key: str
    story_id: str
    kind: str
    slot: str | None
    title: str
    data: dict[str, Any]
    created: str = ""
    baseline: bool = False


def _key(*parts: Any) -> str:
    return hashlib.sha1("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()


def _value(v: dict[str, Any]) -> dict[str, Any]:
    return {k: v.get(k) for k in ("value", "value_name", "qualifier", "outlet", "article_id", "speaker",
                                  "as_of", "evidence_text", "evidence_start", "evidence_end")}


def _shown(v: dict[str, Any]) -> str:
    """A count as the reports show it: "at least 19", "12", "dozens"."""
    from rashomon.reconcile.rules import display

    sv = SlotValue(value=str(v.get("value") or ""), value_num=v.get("value_num"), low=v.get("low"), high=v.get("high"),
                   qualifier=v.get("qualifier"), outlet=v.get("outlet"), article_id=str(v.get("article_id") or ""),
                   speaker="", speaker_type="article", as_of=v.get("as_of"), evidence_text="", evidence_start=0,
                   evidence_end=0, fact_id="", value_name=v.get("value_name"))
    if sv.value_num is not None and sv.value_name and not any(ch.isdigit() for ch in sv.value_name) and sv.low == sv.high:
        sv.value_name = None  # "Twelve" is 12; "dozens" stays a word
    return display(sv)


def story_alerts(story: dict[str, Any]) -> Iterator[Alert]:
    """Every alert that holds for one story (``stories.data`` as a dict)."""
    sid, title = story["id"], story.get("title") or story["id"]
    outlets = story.get("outlets") or []
    if len(outlets) >= 2:
        yield Alert(_key(sid, "new_story"), sid, "new_story", None,
                    f"{title}: reported by {len(outlets)} outlets ({', '.join(outlets[:6])})",
                    {"outlets": outlets, "articles": story.get("article_ids") or []})
    for slot, rec in (story.get("slots") or {}).items():
        values = rec.get("values") or []
        if rec.get("status") == "conflicting":
            yield Alert(_key(sid, "conflict", slot), sid, "conflict", slot,
                        f"{title}: sources disagree on {slot.replace('_', ' ')}: {rec.get('explanation', '')}",
                        {"explanation": rec.get("explanation"), "values": [_value(v) for v in values]})
        if slot in COUNT_SLOTS:
            by_outlet: dict[str, list[dict[str, Any]]] = defaultdict(list)
            for v in sorted(values, key=lambda v: (v.get("as_of") or "", v.get("evidence_start") or 0)):
                by_outlet[v.get("outlet") or v.get("article_id") or "?"].append(v)
            for outlet, vs in by_outlet.items():
                steps: list[str] = []
                for v in vs:
                    if not steps or steps[-1] != _shown(v):
                        steps.append(_shown(v))
                if len(steps) > 1:
                    yield Alert(_key(sid, "revision", slot, outlet, *steps), sid, "revision", slot,
                                f"{title}: {outlet} revised {slot}: {' → '.join(steps)}",
                                {"outlet": outlet, "steps": steps, "values": [_value(v) for v in vs]})
    for r in story.get("responsibility") or []:
        rel = r.get("relation")
        if rel not in RELATIONS:
            continue
        who = r.get("speaker") or "the article"
        text = (f"{title}: {r.get('target')} {RELATIONS[rel]} ({r.get('outlet')})" if rel in ("claimed", "denied")
                else f"{title}: {who} blamed {r.get('target')} ({r.get('outlet')})")
        yield Alert(_key(sid, "responsibility", rel, r.get("target_id"), r.get("outlet"), who), sid,
                    "responsibility", {"claimed": "responsibility_claimed_by", "blamed": "blamed",
                                       "denied": "denied_by"}[rel], text, dict(r))


def detect(store: Store, *, baseline: bool = False, now: datetime | None = None) -> list[Alert]:
    """Find alerts not recorded yet, record them and return them (``baseline``: record
    them as already known, not to be sent)."""
    when = (now or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="seconds")
    with store.engine.connect() as conn:
        known = set(conn.execute(select(s.alerts.c.key)).scalars())
        rows = conn.execute(select(s.stories.c.data)).scalars().all()
    fresh: dict[str, Alert] = {}
    for raw in rows:
        for a in story_alerts(json.loads(raw)):
            if a.key not in known and a.key not in fresh:
                a.created, a.baseline = when, baseline
                fresh[a.key] = a
    if fresh:
        with store.transaction() as conn:
            conn.execute(insert(s.alerts), [
                {"key": a.key, "story_id": a.story_id, "kind": a.kind, "slot": a.slot, "title": a.title[:2000],
                 "data": json.dumps(a.data, ensure_ascii=False, default=str), "created": a.created,
                 "baseline": int(a.baseline), "delivered": int(a.baseline)}
                for a in fresh.values()
            ])
    return [a for a in fresh.values() if not a.baseline]


def _from_row(r: Any) -> Alert:
    return Alert(r.key, r.story_id, r.kind, r.slot, r.title, json.loads(r.data), r.created, bool(r.baseline))


def undelivered(store: Store, limit: int = 500) -> list[Alert]:
    t = s.alerts
    with store.engine.connect() as conn:
        rows = conn.execute(select(t).where((t.c.delivered == 0) & (t.c.baseline == 0)).order_by(t.c.created).limit(limit)).all()
    return [_from_row(r) for r in rows]


def mark_delivered(store: Store, keys: Sequence[str]) -> None:
    if keys:
        with store.transaction() as conn:
            conn.execute(update(s.alerts).where(s.alerts.c.key.in_(list(keys))).values(delivered=1))


def recent(store: Store, limit: int = 100, kind: str | None = None) -> list[Alert]:
    """The newest alerts that were sent (not baseline), newest first."""
    t = s.alerts
    q = select(t).where(t.c.baseline == 0)
    if kind:
        q = q.where(t.c.kind == kind)
    with store.engine.connect() as conn:
        rows = conn.execute(q.order_by(t.c.created.desc(), t.c.key).limit(limit)).all()
    return [_from_row(r) for r in rows]


def to_json(a: Alert, base_url: str = "") -> dict[str, Any]:
    return {"id": a.key, "kind": a.kind, "story_id": a.story_id, "slot": a.slot, "title": a.title,
            "created": a.created, "story_url": f"{base_url}/stories/{a.story_id}", "data": a.data}


def atom(alerts: Sequence[Alert], base_url: str, *, title: str = "Rashomon alerts") -> str:
    """An Atom 1.0 feed of alerts (every text escaped: titles carry article text)."""
    updated = alerts[0].created if alerts else datetime.now(UTC).isoformat(timespec="seconds")
    out = ['<?xml version="1.0" encoding="utf-8"?>', '<feed xmlns="http://www.w3.org/2005/Atom">',
           f"<title>{escape(title)}</title>", f"<id>{escape(base_url)}/alerts</id>",
           f'<link rel="self" href="{escape(base_url, {chr(34): "&quot;"})}/alerts.atom"/>', f"<updated>{escape(updated)}</updated>"]
    for a in alerts:
        link = f"{base_url}/stories/{a.story_id}"
        values = a.data.get("values") or []
        lines = [a.title] + [f"{v.get('outlet')}: {v.get('evidence_text') or ''}" for v in values[:10]]
        out += ["<entry>", f"<id>urn:rashomon:alert:{a.key}</id>", f"<title>{escape(a.title[:300])}</title>",
                f"<updated>{escape(a.created)}</updated>", f'<link href="{escape(link, {chr(34): "&quot;"})}"/>',
                f"<category term=\"{escape(a.kind)}\"/>",
                f'<content type="text">{escape(chr(10).join(lines))}</content>', "</entry>"]
    out.append("</feed>")
    return "\n".join(out) + "\n"
