"""Exports: every table a user may want, as JSON, JSONL, CSV or Parquet.

One code path serves the command line (``rashomon export``) and the web app
(``/download/{what}.{fmt}``), so both give the same bytes:

* ``rows(store, what)`` yields plain dicts, nested where the data is nested (JSON, JSONL);
* ``flat_rows(store, what)`` yields the same records flattened into readable columns for
  the tabular formats (CSV, Parquet): no JSON in any cell. A story's slots become
  ``killed_status, killed_low, killed_best, killed_high, killed_values, ...``; a place
  becomes ``place_name, place_country``; lists are joined with ``"; "`` (spans as
  ``start-end``); nested records are written as short phrases ("Press TV (the article):
  blamed Israel");
* ``chunks(store, what, fmt)`` yields the text of a JSON/JSONL/CSV export piece by piece,
  ``parquet_bytes(store, what)`` the bytes of a Parquet file, and ``write`` puts either in a
  file or on standard output.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from rashomon.errors import Errors, UsageError
from rashomon.model import COUNT_SLOTS, SLOTS
from rashomon.store import Store

FORMATS = ("json", "jsonl", "csv", "parquet")
#: Formats that get ``flat_rows`` (one value per cell).
TABULAR = ("csv", "parquet")
SEP = "; "
NAMED_SLOTS = frozenset({"perpetrator", "responsibility_claimed_by", "blamed", "denied_by", "place"})


def actor_name_map(store: Store) -> dict[str, str]:
    """Actor id -> display name: the store's actors, then the bundled registry."""
    names = {r["id"]: r["name"] for r in store.execute("SELECT id, name FROM actors") if r["name"]}
    try:
        from rashomon.annotate.actors import load_registry

        for a in load_registry().actors.values():
            names.setdefault(a.id, a.name)
    except ImportError:  # the registry needs the annotate extra; names from the store remain
        pass
    return names


def _articles(store: Store) -> Iterator[dict[str, Any]]:
    for r in store.rows("articles"):
        yield {
            "id": r["id"], "url": r["url"], "outlet": r["outlet"], "domain": r["domain"],
            "title": r["title"], "authors": _json(r["authors"], []),
            "published": r["published"], "published_precision": r["published_precision"],
            "language": r["language"], "genre": r["genre"], "text": r["text"],
            "duplicate_of": r["duplicate_of"], "similarity": r["similarity"], "source": r["source"],
        }


def _json(value: Any, default: Any) -> Any:
    if value is None or value == "":
        return default
    if not isinstance(value, str):
        return value
    try:
        return json.loads(value)
    except ValueError:
        return default


def _with_outlet(store: Store, table: str) -> Iterator[dict[str, Any]]:
    outlets = {r["id"]: r["outlet"] for r in store.execute("SELECT id, outlet FROM articles")}
    for r in store.rows(table):
        yield {"outlet": outlets.get(r["article_id"]), **r}


def _mentions(store: Store) -> Iterator[dict[str, Any]]:
    names = {r["id"]: (r["name"], r["kind"]) for r in store.execute("SELECT id, name, kind FROM actors")}
    try:
        from rashomon.annotate.actors import load_registry

        for a in load_registry().actors.values():
            names.setdefault(a.id, (a.name, a.kind))
    except ImportError:
        pass
    for r in store.rows("mentions", order_by=["article_id", "start"]):
        name, kind = names.get(r["actor_id"] or "", (None, None))
        yield {
            "article_id": r["article_id"], "start": r["start"], "end": r["end"], "text": r["text"],
            "kind": r["kind"], "actor_id": r["actor_id"], "actor_name": name, "actor_kind": kind,
            "register": r["register"], "unnamed": r["unnamed"], "label": r["label"],
            "place_name": r["place_name"], "country": r["country"], "lat": r["lat"], "lon": r["lon"],
            "place_precision": r["place_precision"], "date": r["date"], "date_end": r["date_end"],
            "date_precision": r["date_precision"], "anchored": r["anchored"], "value": r["value"],
            "low": r["low"], "high": r["high"], "qualifier": r["qualifier"],
        }


def _events(store: Store) -> Iterator[dict[str, Any]]:
    stories = {r["event_mention_id"]: r["story_id"] for r in store.rows("story_members")}
    names = actor_name_map(store)
    for r in _with_outlet(store, "event_mentions"):
        r = dict(r)
        r["evidence"] = _json(r["evidence"], [])
        for k, label in (("perpetrators", "perpetrator_names"), ("targets", "target_names"),
                         ("victims", "victim_names")):
            ids = [str(x) for x in _json(r[k], [])]
            r[k] = ids
            r[label] = [names[i] for i in ids if i in names]
        r["story_id"] = stories.get(r["id"])
        yield r


def _stories(store: Store) -> Iterator[dict[str, Any]]:
    for r in store.rows("stories", order_by=["-n_outlets", "-n_articles", "id"]):
        yield _json(r["data"], {})


def _framing(store: Store) -> Iterator[dict[str, Any]]:
    for r in _with_outlet(store, "framing"):
        r = dict(r)
        r["profile"] = _json(r["profile"], {})
        yield r


def _outlets(store: Store) -> Iterator[dict[str, Any]]:
    from rashomon.framing.profile import outlet_profiles

    profiles = outlet_profiles(_with_outlet(store, "framing"), _with_outlet(store, "techniques"))
    yield from (profiles[k] for k in sorted(profiles))


def _acled(store: Store) -> Iterator[dict[str, Any]]:
    from rashomon.report.acled import events_rows

    yield from events_rows(store)


def _actors(store: Store) -> Iterator[dict[str, Any]]:
    for r in store.rows("actors"):
        yield {**r, "aliases": _json(r["aliases"], [])}


EXPORTS: dict[str, Callable[[Store], Iterable[dict[str, Any]]]] = {
    "articles": _articles,
    "rejected": lambda st: st.rows("rejected"),
    "mentions": _mentions,
    "events": _events,
    "claims": lambda st: _with_outlet(st, "claims"),
    "facts": lambda st: _with_outlet(st, "facts"),
    "stories": _stories,
    "techniques": lambda st: _with_outlet(st, "techniques"),
    "framing": _framing,
    "outlets": _outlets,
    "acled": _acled,
    "actors": _actors,
}


def rows(store: Store, what: str) -> Iterable[dict[str, Any]]:
    """The records of one export, nested where the data is (as JSON shows them)."""
    if what not in EXPORTS:
        raise UsageError(Errors.E301.format(what=what, choices=", ".join(EXPORTS)))
    return EXPORTS[what](store)


# -- flattening ------------------------------------------------------------------------


def _num(v: Any) -> Any:
    """Whole floats as integers (``84`` rather than ``84.0``) in readable columns."""
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return v


def _phrase(x: Any) -> str:
    """One list item as text: a span ``start-end``, a record as ``key=value, ...``."""
    if isinstance(x, (list, tuple)):
        if len(x) == 2 and all(isinstance(i, int) for i in x):
            return f"{x[0]}-{x[1]}"
        return ", ".join(_phrase(i) for i in x)
    if isinstance(x, dict):
        return ", ".join(f"{k}={_phrase(v)}" for k, v in x.items() if v not in (None, "", [], {}))
    return "" if x is None else str(_num(x))


def cell(v: Any) -> Any:
    """A value fit for one CSV/Parquet cell: scalars as they are, lists joined with "; "."""
    if isinstance(v, bytes):
        return v.hex()
    if isinstance(v, (list, tuple)):
        return SEP.join(p for p in (_phrase(x) for x in v) if p)
    if isinstance(v, dict):
        return SEP.join(f"{k}: {_phrase(x)}" for k, x in v.items() if x not in (None, "", [], {}))
    return _num(v)


def _slot_value(v: dict[str, Any]) -> str:
    if v.get("slot") in NAMED_SLOTS:  # an actor or place: its name, not its id
        shown = v.get("value_name") or v.get("value") or ""
    elif v.get("value_num") is not None:
        shown = str(_num(v["value_num"]))
    else:  # method, date: the normalized value
        shown = v.get("value") or v.get("value_name") or ""
    text = f"{v['qualifier']} {shown}" if v.get("qualifier") else str(shown)
    who = v.get("outlet") or v.get("article_id") or "?"
    per = v.get("speaker") if v.get("speaker_type") not in (None, "article") else None
    return f"{who}: {text}" + (f" (per {per})" if per else "") + (f" as of {v['as_of']}" if v.get("as_of") else "")


def _responsibility(r: dict[str, Any]) -> str:
    who = r.get("outlet") or "?"
    speaker = r.get("speaker")
    head = f"{who} ({speaker})" if speaker and speaker != "the article" else who
    rel = str(r.get("relation") or "").replace("_", " ")
    return f"{head}: {rel} {r.get('target') or r.get('target_id') or '?'}" + (" (hedged)" if r.get("hedged") else "")


def _flat_story(st: dict[str, Any]) -> dict[str, Any]:
    place = st.get("place") or {}
    out: dict[str, Any] = {
        "id": st.get("id"), "title": st.get("title"), "event_type": st.get("event_type"),
        "sub_event_type": st.get("sub_event_type"), "date": st.get("date"),
        "date_precision": st.get("date_precision"),
        "place_name": place.get("name") if isinstance(place, dict) else None,
        "place_country": place.get("country") if isinstance(place, dict) else None,
        "n_articles": len(st.get("article_ids") or []), "n_outlets": len(st.get("outlets") or []),
        "outlets": cell(st.get("outlets") or []), "article_ids": cell(st.get("article_ids") or []),
        "member_ids": cell(st.get("member_ids") or []),
        "algorithm": st.get("algorithm"), "rules": st.get("rules"),
    }
    slots = st.get("slots") or {}
    for slot in SLOTS:
        raw = slots.get(slot)
        rec: dict[str, Any] = raw if isinstance(raw, dict) else {}
        out[f"{slot}_status"] = rec.get("status")
        if slot in COUNT_SLOTS:
            for k in ("low", "best", "high"):
                out[f"{slot}_{k}"] = _num(rec.get(k))
            out[f"{slot}_rule"] = rec.get("rule")
        vals = [v for v in rec.get("values") or [] if isinstance(v, dict)]
        out[f"{slot}_values"] = SEP.join(_slot_value({**v, "slot": slot}) for v in vals) or None
        out[f"{slot}_explanation"] = rec.get("explanation")
    resp = [r for r in st.get("responsibility") or [] if isinstance(r, dict)]
    out["responsibility"] = SEP.join(_responsibility(r) for r in resp) or None
    return out


def _label(x: dict[str, Any]) -> str:
    who = x.get("actor_name") or x.get("actor_id") or "?"
    return f"{who}: {x.get('label')} ({x.get('register')}) x{x.get('count', 1)}"


def _profile_columns(p: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    raw_att, raw_shares = p.get("attribution"), None
    att: dict[str, Any] = raw_att if isinstance(raw_att, dict) else {}
    raw_shares = att.get("shares")
    shares: dict[str, Any] = raw_shares if isinstance(raw_shares, dict) else {}
    labels = [x for x in p.get("loaded_labels", p.get("labels")) or [] if isinstance(x, dict)]
    out = {
        f"{prefix}loaded_labels": SEP.join(_label(x) for x in labels) or None,
        f"{prefix}n_loaded": p.get("n_loaded"), f"{prefix}n_neutral": p.get("n_neutral"),
        f"{prefix}n_loaded_outlet": p.get("n_loaded_outlet"), f"{prefix}n_loaded_quoted": p.get("n_loaded_quoted"),
        f"{prefix}hedged": p.get("hedged"), f"{prefix}categorical": p.get("categorical"),
    }
    for k in ("named", "unnamed", "article"):
        out[f"{prefix}attributed_{k}"] = att.get(k)
        out[f"{prefix}attributed_{k}_share"] = shares.get(k)
    return out


def _flat_framing(r: dict[str, Any]) -> dict[str, Any]:
    raw = r.get("profile")
    p: dict[str, Any] = raw if isinstance(raw, dict) else {}
    base = {k: cell(v) for k, v in r.items() if k != "profile"}
    return {**base, "profile_version": p.get("version"), **_profile_columns(p)}


def _flat_outlet(r: dict[str, Any]) -> dict[str, Any]:
    return {"outlet": r.get("outlet"), "articles": r.get("articles"), "genres": cell(r.get("genres") or {}),
            "techniques": cell(r.get("techniques") or {}), **_profile_columns(r)}


def _flat_actor(r: dict[str, Any]) -> dict[str, Any]:
    aliases = [a for a in r.get("aliases") or [] if a]
    shown = [f"{a.get('text')} ({a.get('register')})" if isinstance(a, dict) else str(a) for a in aliases]
    return {**{k: cell(v) for k, v in r.items() if k != "aliases"}, "aliases": SEP.join(shown) or None}


FLATTEN: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "stories": _flat_story,
    "framing": _flat_framing,
    "outlets": _flat_outlet,
    "actors": _flat_actor,
}


def flat_rows(store: Store, what: str) -> Iterator[dict[str, Any]]:
    """The records of one export with one readable value per column (CSV, Parquet)."""
    fn = FLATTEN.get(what)
    for r in rows(store, what):
        yield fn(r) if fn else {k: cell(v) for k, v in r.items()}


# -- writing ---------------------------------------------------------------------------


class _Count:
    n = 0


def _check(fmt: str) -> None:
    if fmt not in FORMATS:
        raise UsageError(Errors.E302.format(fmt=fmt, choices=", ".join(FORMATS)))


def chunks(store: Store, what: str, fmt: str, *, counter: _Count | None = None) -> Iterator[str]:
    """The text of a JSON, JSONL or CSV export, a few hundred rows at a time."""
    _check(fmt)
    if fmt == "parquet":
        raise UsageError(Errors.E304)
    data = flat_rows(store, what) if fmt in TABULAR else rows(store, what)
    count = counter or _Count()
    if fmt == "json":
        yield "["
        for n, r in enumerate(data, 1):
            count.n = n
            yield ("\n" if n == 1 else ",\n") + json.dumps(r, ensure_ascii=False, default=str)
        yield "\n]\n"
        return
    if fmt == "jsonl":
        for r in data:
            count.n += 1
            yield json.dumps(r, ensure_ascii=False, default=str) + "\n"
        return
    buf = io.StringIO()
    writer: csv.DictWriter[str] | None = None
    for r in data:
        if writer is None:
            writer = csv.DictWriter(buf, fieldnames=list(r), extrasaction="ignore")
            writer.writeheader()
        writer.writerow(r)
        count.n += 1
        if count.n % 500 == 0:
            yield buf.getvalue()
            buf.seek(0)
            buf.truncate()
    yield buf.getvalue()


def parquet_bytes(store: Store, what: str) -> tuple[bytes, int]:
    """A Parquet file of the flat rows, and its row count."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    items = list(flat_rows(store, what))
    table = pa.Table.from_pylist(items) if items else pa.table({})
    sink = io.BytesIO()
    pq.write_table(table, sink)
    return sink.getvalue(), len(items)


def write(store: Store, what: str, fmt: str, out: Path | None = None) -> int:
    """Write one export in ``fmt`` to ``out`` (stdout when None); return the row count."""
    _check(fmt)
    rows(store, what)  # unknown export: a usage error before any file is created
    if fmt == "parquet":
        if out is None:
            raise UsageError(Errors.E304)
        data, n = parquet_bytes(store, what)
        out.write_bytes(data)
        return n
    fh: IO[str] = open(out, "w", encoding="utf-8", newline="") if out else io.TextIOWrapper(  # noqa: SIM115
        sys.stdout.buffer, encoding="utf-8", newline="", write_through=True
    )
    count = _Count()
    try:
        for piece in chunks(store, what, fmt, counter=count):
            fh.write(piece)
    finally:
        if out:
            fh.close()
        else:
            fh.flush()
            fh.detach()  # type: ignore[attr-defined]
    return count.n
