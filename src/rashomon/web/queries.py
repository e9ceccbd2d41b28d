"""Search and filters for the web app: always bound parameters.

Text search uses ``ILIKE`` (SQLAlchemy renders ``lower(x) LIKE lower(?)`` on SQLite and
``ILIKE`` on PostgreSQL) with ``%``, ``_`` and ``\\`` escaped, so a query is only ever
a value, never SQL.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, desc, func, or_, select

from rashomon.report.data import ARTICLE_COLUMNS, story_order, story_summary
from rashomon.report.highlight import excerpt
from rashomon.store import schema as s
from rashomon.store.db import Store

#: Download formats (the files themselves come from :mod:`rashomon.export`, as on the CLI).
FORMATS = ("csv", "json", "parquet")


@dataclass(slots=True)
class Filters:
    q: str | None = None
    outlet: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    actor: str | None = None
    event_type: str | None = None
    limit: int = 50
    offset: int = 0

    def params(self, **override: Any) -> dict[str, Any]:
        """The non-empty filters as query parameters (for pagination links)."""
        out = {k: getattr(self, k) for k in ("q", "outlet", "date_from", "date_to", "actor", "event_type")}
        out.update(limit=self.limit, offset=self.offset)
        out.update(override)
        return {k: v for k, v in out.items() if v not in (None, "")}


def like(value: str) -> str:
    """A LIKE pattern matching ``value`` anywhere, with wildcards escaped (escape char ``\\``)."""
    esc = value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{esc}%"


def _ilike(col: Any, value: str) -> ColumnElement[bool]:
    return col.ilike(like(value), escape="\\")


def article_conditions(f: Filters, *, text: bool = True) -> list[ColumnElement[bool]]:
    a, m, em = s.articles, s.mentions, s.event_mentions
    conds: list[ColumnElement[bool]] = []
    if f.q and text:
        conds.append(or_(_ilike(a.c.title, f.q), _ilike(a.c.text, f.q)))
    if f.outlet:
        conds.append(a.c.outlet == f.outlet)
    if f.date_from:
        conds.append(a.c.published >= f.date_from)
    if f.date_to:
        conds.append(a.c.published <= f.date_to)
    if f.actor:
        ids = select(s.actors.c.id).where(or_(s.actors.c.id == f.actor, _ilike(s.actors.c.name, f.actor)))
        conds.append(a.c.id.in_(
            select(m.c.article_id).where(or_(m.c.actor_id == f.actor, m.c.actor_id.in_(ids), _ilike(m.c.text, f.actor)))
        ))
    if f.event_type:
        conds.append(a.c.id.in_(select(em.c.article_id).where(em.c.event_type == f.event_type)))
    return conds


def search_articles(store: Store, f: Filters) -> tuple[int, list[dict[str, Any]]]:
    """Articles matching the filters (and ``q`` in title or text), newest first."""
    a = s.articles
    conds = article_conditions(f)
    where = and_(*conds) if conds else None
    cols = [a.c[c] for c in ARTICLE_COLUMNS]
    q = select(*cols, a.c.text).order_by(desc(a.c.published), a.c.id).limit(f.limit).offset(f.offset)
    cq = select(func.count()).select_from(a)
    if where is not None:
        q, cq = q.where(where), cq.where(where)
    with store.engine.connect() as conn:
        total = int(conn.execute(cq).scalar_one())
        rows = [dict(r._mapping) for r in conn.execute(q)]
    for r in rows:
        text = r.pop("text") or ""
        r["snippet"] = excerpt(text, f.q or "", 110)
    return total, rows


def search_claims(store: Store, f: Filters) -> tuple[int, list[dict[str, Any]]]:
    """Claims whose content matches ``q``, in articles matching the other filters."""
    c, a = s.claims, s.articles
    conds: list[ColumnElement[bool]] = []
    if f.q:
        conds.append(or_(_ilike(c.c.content_text, f.q), _ilike(c.c.speaker_name, f.q), _ilike(c.c.cue, f.q)))
    art = article_conditions(f, text=False)
    if art:
        conds.append(c.c.article_id.in_(select(a.c.id).where(and_(*art))))
    q = (select(c, a.c.title, a.c.outlet, a.c.published).join(a, a.c.id == c.c.article_id)
         .order_by(desc(a.c.published), c.c.article_id, c.c.content_start).limit(f.limit).offset(f.offset))
    cq = select(func.count()).select_from(c)
    if conds:
        q, cq = q.where(and_(*conds)), cq.where(and_(*conds))
    with store.engine.connect() as conn:
        total = int(conn.execute(cq).scalar_one())
        rows = [dict(r._mapping) for r in conn.execute(q)]
    for r in rows:
        r["snippet"] = excerpt(r.get("content_text") or "", f.q or "", 140)
    return total, rows


def search_stories(store: Store, f: Filters) -> tuple[int, list[dict[str, Any]]]:
    st = s.stories
    conds: list[ColumnElement[bool]] = []
    if f.q:
        conds.append(or_(_ilike(st.c.title, f.q), _ilike(st.c.place_name, f.q)))
    if f.event_type:
        conds.append(st.c.event_type == f.event_type)
    if f.date_from:
        conds.append(st.c.date >= f.date_from)
    if f.date_to:
        conds.append(st.c.date <= f.date_to)
    # Outlets and actors live in the story's JSON: a bound LIKE narrows, Python confirms.
    if f.outlet:
        conds.append(st.c.data.contains(f.outlet, autoescape=True))
    if f.actor:
        conds.append(_ilike(st.c.data, f.actor))
    q = select(st).order_by(*story_order())
    if conds:
        q = q.where(and_(*conds))
    with store.engine.connect() as conn:
        rows = [dict(r._mapping) for r in conn.execute(q)]
    out = [story_summary(r) for r in rows]
    if f.outlet:
        out = [x for x in out if f.outlet in x["outlets"]]
    return len(out), out[f.offset : f.offset + f.limit]


def facet_values(store: Store) -> dict[str, list[str]]:
    """Choices for the filter drop-downs: outlets and event types."""
    with store.engine.connect() as conn:
        outlets = [o for o in conn.execute(
            select(s.articles.c.outlet).where(s.articles.c.outlet.is_not(None)).distinct().order_by(s.articles.c.outlet)
        ).scalars()]
        types = sorted({t for t in conn.execute(select(s.event_mentions.c.event_type).distinct()).scalars() if t}
                       | {t for t in conn.execute(select(s.stories.c.event_type).distinct()).scalars() if t})
    return {"outlets": outlets[:500], "event_types": types[:200]}


def count_violent_stories(store: Store) -> int:
    """Rows of the ACLED export: stories of ACLED's violent event types."""
    from rashomon.report.acled import VIOLENT_EVENT_TYPES

    q = select(func.count()).select_from(s.stories).where(s.stories.c.event_type.in_(VIOLENT_EVENT_TYPES))
    with store.engine.connect() as conn:
        return int(conn.execute(q).scalar_one())
