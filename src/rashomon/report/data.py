"""Read what the pipeline stored into plain, JSON-ready view data.

The same dictionaries feed the static report, the web pages and their JSON twins, so
what a page shows and what its API returns cannot drift apart. Nothing here formats
HTML: that is :mod:`rashomon.report.render`'s job.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from typing import Any

from sqlalchemy import desc, func, or_, select

from rashomon.model import COUNT_SLOTS, SLOTS
from rashomon.reconcile.rules import written_number
from rashomon.store import schema as s
from rashomon.store.db import Store

RELATIONS = ("claimed", "blamed", "denied", "attributed")
SLOT_LABELS = {
    "killed": "Killed",
    "injured": "Injured",
    "method": "Method",
    "perpetrator": "Perpetrator",
    "responsibility_claimed_by": "Claimed by",
    "blamed": "Blamed",
    "denied_by": "Denied by",
    "date": "Date",
    "place": "Place",
}
STATUS_LABELS = {
    "conflicting": "Conflicting",
    "revised": "Revised",
    "corroborated": "Corroborated",
    "single_source": "Single source",
}
ARTICLE_COLUMNS = ("id", "title", "outlet", "domain", "published", "genre", "url", "language")


def loads(value: str | None, default: Any) -> Any:
    """Parse a JSON text column; a broken value reads as ``default`` rather than crashing a page."""
    if not value:
        return default
    try:
        return json.loads(value)
    except (TypeError, ValueError):
        return default


def fmt_num(x: float | None) -> str:
    """``91.0 -> "91"``, ``1234.5 -> "1,234.5"``, ``None -> "—"``."""
    if x is None:
        return "—"
    if float(x).is_integer():
        return f"{int(x):,}"
    return f"{x:,.1f}"


def slot_label(slot: str) -> str:
    return SLOT_LABELS.get(slot, slot.replace("_", " ").capitalize())


def value_text(v: dict[str, Any]) -> str:
    """How one reported value reads: ``at least 91``, ``ISIS``, ``suicide bombing``."""
    num, name, q = v.get("value_num"), v.get("value_name"), v.get("qualifier")
    if num is not None:
        if name and not written_number(name):
            return str(name)  # "dozens", "tens of thousands": as the source wrote it
        return f"{q} {fmt_num(num)}" if q else fmt_num(num)
    shown = name or v.get("value") or ""
    return f"{q} {shown}" if q else str(shown)


def _articles_by_id(store: Store, ids: list[str]) -> dict[str, dict[str, Any]]:
    if not ids:
        return {}
    cols = [s.articles.c[c] for c in ARTICLE_COLUMNS]
    out: dict[str, dict[str, Any]] = {}
    with store.engine.connect() as conn:
        for i in range(0, len(ids), 500):
            q = select(*cols).where(s.articles.c.id.in_(ids[i : i + 500]))
            for r in conn.execute(q):
                out[r.id] = dict(r._mapping)
    return out


# -- overview ------------------------------------------------------------------------


def story_summary(row: dict[str, Any]) -> dict[str, Any]:
    """The columns of one ``stories`` row that lists and filters need (no slot detail)."""
    data = loads(row.get("data"), {})
    return {
        "id": row["id"],
        "title": row.get("title") or "(untitled story)",
        "event_type": row.get("event_type"),
        "sub_event_type": row.get("sub_event_type"),
        "date": row.get("date"),
        "date_precision": row.get("date_precision"),
        "place_name": row.get("place_name"),
        "country": row.get("country"),
        "n_articles": row.get("n_articles") or 0,
        "n_outlets": row.get("n_outlets") or 0,
        "n_conflicts": row.get("n_conflicts") or 0,
        "outlets": data.get("outlets") or [],
        "conflicting_slots": [
            k for k, v in (data.get("slots") or {}).items()
            if isinstance(v, dict) and v.get("status") in ("conflicting", "revised")
        ],
        "algorithm": row.get("algorithm"),
    }


def story_order() -> list[Any]:
    """Stories ranked by coverage: outlets, then articles, then conflicts, newest first."""
    c = s.stories.c
    return [desc(c.n_outlets), desc(c.n_articles), desc(c.n_conflicts), desc(c.date), c.id]


def load_overview(store: Store, *, limit: int | None = None) -> dict[str, Any]:
    """Stories ranked by coverage, outlets by article count, and corpus totals."""
    with store.engine.connect() as conn:
        q = select(s.stories).order_by(*story_order())
        if limit:
            q = q.limit(limit)
        stories = [story_summary(dict(r._mapping)) for r in conn.execute(q)]
        outlets = [
            {"name": name, "n_articles": n}
            for name, n in conn.execute(
                select(s.articles.c.outlet, func.count())
                .where(s.articles.c.outlet.is_not(None))
                .group_by(s.articles.c.outlet)
                .order_by(desc(func.count()), s.articles.c.outlet)
            )
        ]
        totals = {
            t: int(conn.execute(select(func.count()).select_from(s.metadata.tables[t])).scalar_one())
            for t in ("articles", "stories", "claims", "facts", "rejected")
        }
    return {"stories": stories, "outlets": outlets, "totals": totals}


def list_articles(store: Store, ids: list[str] | None = None, limit: int | None = None) -> list[dict[str, Any]]:
    cols = [s.articles.c[c] for c in ARTICLE_COLUMNS]
    q = select(*cols).order_by(desc(s.articles.c.published), s.articles.c.id)
    if ids is not None:
        q = q.where(s.articles.c.id.in_(ids))
    if limit:
        q = q.limit(limit)
    with store.engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(q)]


# -- one story -----------------------------------------------------------------------


def load_story(store: Store, story_id: str) -> dict[str, Any] | None:
    """One story with its comparison table, figures over time and responsibility matrix."""
    with store.engine.connect() as conn:
        row = conn.execute(select(s.stories).where(s.stories.c.id == story_id)).first()
    if row is None:
        return None
    r = dict(row._mapping)
    data = loads(r.get("data"), {})
    summary = story_summary(r)
    slots: dict[str, Any] = {k: v for k, v in (data.get("slots") or {}).items() if isinstance(v, dict)}
    responsibility = [x for x in data.get("responsibility") or [] if isinstance(x, dict)]

    # Columns: one per article, in the story's order, then any article only seen in values.
    article_ids: list[str] = [a for a in data.get("article_ids") or [] if isinstance(a, str)]
    for rec in slots.values():
        for v in rec.get("values") or []:
            if v.get("article_id") and v["article_id"] not in article_ids:
                article_ids.append(v["article_id"])
    for x in responsibility:
        if x.get("article_id") and x["article_id"] not in article_ids:
            article_ids.append(x["article_id"])
    from rashomon.annotate.outlets import describe, lookup

    meta = _articles_by_id(store, article_ids)
    columns = []
    for aid in article_ids:
        m = meta.get(aid, {})
        outlet = m.get("outlet") or m.get("domain") or _outlet_from_values(aid, slots, responsibility) or "unknown outlet"
        info = lookup(name=m.get("outlet"), domain=m.get("domain")) if m else None
        columns.append({
            "article_id": aid,
            "outlet": outlet,
            "outlet_about": describe(info),  # "Iranian state broadcaster", "unknown outlet"
            "outlet_owner": info.owner if info else None,
            "title": m.get("title"),
            "published": m.get("published"),
            "genre": m.get("genre"),
            "missing": not m,
        })

    order = [k for k in SLOTS if k in slots] + sorted(k for k in slots if k not in SLOTS)
    rows = []
    for slot in order:
        rec = slots[slot]
        values = [v for v in rec.get("values") or [] if isinstance(v, dict)]
        cells = [[v for v in values if v.get("article_id") == c["article_id"]] for c in columns]
        rows.append({
            "slot": slot,
            "label": slot_label(slot),
            "status": rec.get("status") or "single_source",
            "status_label": STATUS_LABELS.get(rec.get("status") or "", str(rec.get("status"))),
            "is_count": slot in COUNT_SLOTS,
            "low": rec.get("low"),
            "best": rec.get("best"),
            "high": rec.get("high"),
            "rule": rec.get("rule"),
            "explanation": rec.get("explanation") or "",
            "cells": cells,
            "n_values": len(values),
        })
    missing_slots = [k for k in SLOTS if k not in slots]

    matrix = []
    for c in columns:
        cells_r = {rel: [x for x in responsibility if x.get("article_id") == c["article_id"]
                         and x.get("relation") == rel] for rel in RELATIONS}
        matrix.append({"column": c, "cells": cells_r})
    other_rel = sorted({str(x.get("relation")) for x in responsibility} - set(RELATIONS))

    series: dict[str, list[dict[str, Any]]] = {}
    for slot in ("killed", "injured"):
        if slot in slots:
            series[slot] = [v for v in slots[slot].get("values") or [] if isinstance(v, dict)]

    return {
        **summary,
        "place": data.get("place") or {"name": r.get("place_name"), "country": r.get("country")},
        "rules": data.get("rules"),
        "member_ids": data.get("member_ids") or [],
        "article_ids": article_ids,
        "columns": columns,
        "rows": rows,
        "missing_slots": missing_slots,
        "conflicts": [x for x in rows if x["status"] in ("conflicting", "revised")],
        "responsibility": responsibility,
        "matrix": matrix,
        "relations": list(RELATIONS),
        "other_relations": other_rel,
        "figures": series,
        "slots": slots,
    }


def _outlet_from_values(aid: str, slots: dict[str, Any], resp: list[dict[str, Any]]) -> str | None:
    for rec in slots.values():
        for v in rec.get("values") or []:
            if v.get("article_id") == aid and v.get("outlet"):
                return str(v["outlet"])
    for x in resp:
        if x.get("article_id") == aid and x.get("outlet"):
            return str(x["outlet"])
    return None


def story_json(view: dict[str, Any]) -> dict[str, Any]:
    """The API twin of a story page: the story record as stored, plus its sources."""
    keep = ("id", "title", "event_type", "sub_event_type", "date", "date_precision", "place",
            "n_articles", "n_outlets", "n_conflicts", "outlets", "article_ids", "member_ids",
            "algorithm", "rules", "slots", "responsibility", "columns")
    return {k: view.get(k) for k in keep}


# -- one article ---------------------------------------------------------------------


def stories_for_article(store: Store, article_id: str) -> list[dict[str, Any]]:
    with store.engine.connect() as conn:
        ids = set(conn.execute(
            select(s.story_members.c.story_id)
            .join(s.event_mentions, s.event_mentions.c.id == s.story_members.c.event_mention_id)
            .where(s.event_mentions.c.article_id == article_id)
        ).scalars())
        q = select(s.stories)
        # Stories also name their articles in `data`; a bound LIKE catches those too.
        cond = s.stories.c.data.contains(article_id, autoescape=True)
        q = q.where(or_(s.stories.c.id.in_(ids), cond) if ids else cond)
        out = []
        for r in conn.execute(q.order_by(*story_order())):
            d = dict(r._mapping)
            if d["id"] in ids or article_id in (loads(d.get("data"), {}).get("article_ids") or []):
                out.append(d)
    return [story_summary(d) for d in out]


def referenced_spans(store: Store, article_id: str) -> set[tuple[int, int]]:
    """Every evidence span of this article that some story page links to."""
    spans: set[tuple[int, int]] = set()
    with store.engine.connect() as conn:
        rows = conn.execute(select(s.stories.c.data).where(
            s.stories.c.data.contains(article_id, autoescape=True))).scalars()
        for raw in rows:
            spans |= spans_in_story(loads(raw, {})).get(article_id, set())
    return spans


def spans_in_story(data: dict[str, Any]) -> dict[str, set[tuple[int, int]]]:
    """Article id -> evidence spans referenced by one story's data."""
    out: dict[str, set[tuple[int, int]]] = defaultdict(set)
    items: list[dict[str, Any]] = [x for x in data.get("responsibility") or [] if isinstance(x, dict)]
    for rec in (data.get("slots") or {}).values():
        if isinstance(rec, dict):
            items += [v for v in rec.get("values") or [] if isinstance(v, dict)]
    for x in items:
        aid, a, b = x.get("article_id"), x.get("evidence_start"), x.get("evidence_end")
        if isinstance(aid, str) and isinstance(a, int) and isinstance(b, int) and a < b:
            out[aid].add((a, b))
    return out


def load_article(store: Store, article_id: str, *, extra_spans: set[tuple[int, int]] | None = None,
                 stories: list[dict[str, Any]] | None = None) -> dict[str, Any] | None:
    """One article: text, every annotation with offsets, framing profile and stories."""
    with store.engine.connect() as conn:
        row = conn.execute(select(s.articles).where(s.articles.c.id == article_id)).first()
        if row is None:
            return None
        art = dict(row._mapping)

        def rows(t: Any, order: Any) -> list[dict[str, Any]]:
            return [dict(r._mapping) for r in conn.execute(
                select(t).where(t.c.article_id == article_id).order_by(*order))]

        mentions = rows(s.mentions, [s.mentions.c.start, s.mentions.c.id])
        claims = rows(s.claims, [s.claims.c.content_start, s.claims.c.id])
        facts = rows(s.facts, [s.facts.c.evidence_start, s.facts.c.id])
        techniques = rows(s.techniques, [s.techniques.c.start, s.techniques.c.id])
        events = rows(s.event_mentions, [s.event_mentions.c.trigger_start])
        fr = conn.execute(select(s.framing).where(s.framing.c.article_id == article_id)).first()
    framing = dict(fr._mapping) if fr else None
    profile = loads(framing.get("profile"), {}) if framing else {}
    art["authors"] = loads(art.get("authors"), [])
    anchors = {(f["evidence_start"], f["evidence_end"]) for f in facts}
    anchors |= {(c["content_start"], c["content_end"]) for c in claims}
    anchors |= extra_spans if extra_spans is not None else referenced_spans(store, article_id)
    for e in events:
        e["evidence"] = loads(e.get("evidence"), [])
        for k in ("perpetrators", "targets", "victims"):
            e[k] = loads(e.get(k), [])
    return {
        "article": art,
        "mentions": mentions,
        "claims": claims,
        "facts": facts,
        "techniques": techniques,
        "event_mentions": events,
        "framing": {
            "genre": framing.get("genre") if framing else art.get("genre"),
            "genre_confidence": framing.get("genre_confidence") if framing else None,
            "profile": profile,
        },
        "anchors": sorted(anchors),
        "stories": stories if stories is not None else stories_for_article(store, article_id),
        "technique_counts": Counter(t["technique"] for t in techniques).most_common(),
    }


def article_json(view: dict[str, Any]) -> dict[str, Any]:
    out = dict(view)
    out["technique_counts"] = dict(view["technique_counts"])
    out["anchors"] = [list(a) for a in view["anchors"]]
    return out


# -- one outlet ----------------------------------------------------------------------


def load_outlet(store: Store, name: str) -> dict[str, Any] | None:
    """An outlet's framing profile aggregated over its articles."""
    arts = list_articles_by_outlet(store, name)
    if not arts:
        return None
    ids = [a["id"] for a in arts]
    genres: Counter[str] = Counter()
    techniques: Counter[str] = Counter()
    labels: dict[tuple[str, str, str], dict[str, Any]] = {}
    attribution: Counter[str] = Counter()
    hedged = categorical = 0
    with store.engine.connect() as conn:
        framed = {}
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            for r in conn.execute(select(s.framing).where(s.framing.c.article_id.in_(chunk))):
                framed[r.article_id] = dict(r._mapping)
            for tech, n in conn.execute(
                select(s.techniques.c.technique, func.count())
                .where(s.techniques.c.article_id.in_(chunk))
                .group_by(s.techniques.c.technique)
            ):
                techniques[tech] += int(n)
    for a in arts:
        f = framed.get(a["id"])
        genres[(f or {}).get("genre") or a.get("genre") or "unknown"] += 1
        prof = loads((f or {}).get("profile"), {})
        for lab in prof.get("loaded_labels") or []:
            if not isinstance(lab, dict):
                continue
            key = (str(lab.get("label") or ""), str(lab.get("actor_name") or lab.get("actor_id") or ""),
                   str(lab.get("register") or "loaded"))
            entry = labels.setdefault(key, {"label": key[0], "actor": key[1], "register": key[2],
                                            "count": 0, "articles": []})
            entry["count"] += int(lab.get("count") or len(lab.get("spans") or []) or 1)
            if a["id"] not in entry["articles"]:
                entry["articles"].append(a["id"])
        attr = prof.get("attribution") or {}
        for k in ("named", "unnamed", "article"):
            attribution[k] += int(attr.get(k) or 0)
        hedged += int(prof.get("hedged") or 0)
        categorical += int(prof.get("categorical") or 0)
    total_attr = sum(attribution.values())
    shares = {k: (attribution[k] / total_attr if total_attr else 0.0) for k in ("named", "unnamed", "article")}
    with store.engine.connect() as conn:
        story_rows = [dict(r._mapping) for r in conn.execute(
            select(s.stories).where(s.stories.c.data.contains(name, autoescape=True))
            .order_by(*story_order()).limit(200))]
    stories = [story_summary(r) for r in story_rows if name in (loads(r.get("data"), {}).get("outlets") or [])]
    return {
        "name": name,
        "articles": arts,
        "n_articles": len(arts),
        "genres": genres.most_common(),
        "techniques": techniques.most_common(),
        "loaded_labels": sorted(labels.values(), key=lambda x: (-x["count"], x["label"])),
        "attribution": dict(attribution),
        "attribution_shares": shares,
        "hedged": hedged,
        "categorical": categorical,
        "stories": stories,
    }


def list_articles_by_outlet(store: Store, name: str) -> list[dict[str, Any]]:
    cols = [s.articles.c[c] for c in ARTICLE_COLUMNS]
    q = (select(*cols).where(s.articles.c.outlet == name)
         .order_by(desc(s.articles.c.published), s.articles.c.id))
    with store.engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(q)]


def outlet_json(view: dict[str, Any]) -> dict[str, Any]:
    out = dict(view)
    out["genres"] = dict(view["genres"])
    out["techniques"] = dict(view["techniques"])
    return out


def actor_names(store: Store) -> dict[str, str]:
    """Actor id -> canonical name, for hover explanations."""
    with store.engine.connect() as conn:
        return {i: n for i, n in conn.execute(select(s.actors.c.id, s.actors.c.name))}
