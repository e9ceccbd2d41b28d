"""Exports: every table a user may want, as JSON, JSONL, CSV or Parquet.

``rows(store, what)`` yields plain dicts (streamed from the database); ``write`` puts them
in a file or on standard output. Nested values (lists, objects) are JSON in CSV cells.
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
from rashomon.store import Store

FORMATS = ("json", "jsonl", "csv", "parquet")


def _articles(store: Store) -> Iterator[dict[str, Any]]:
    for r in store.rows("articles"):
        yield {
            "id": r["id"], "url": r["url"], "outlet": r["outlet"], "domain": r["domain"],
            "title": r["title"], "authors": json.loads(r["authors"] or "[]"),
            "published": r["published"], "published_precision": r["published_precision"],
            "language": r["language"], "genre": r["genre"], "text": r["text"],
            "duplicate_of": r["duplicate_of"], "similarity": r["similarity"], "source": r["source"],
        }


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
    for r in _with_outlet(store, "event_mentions"):
        r = dict(r)
        for k in ("evidence", "perpetrators", "targets", "victims"):
            r[k] = json.loads(r[k] or "[]")
        r["story_id"] = stories.get(r["id"])
        yield r


def _stories(store: Store) -> Iterator[dict[str, Any]]:
    for r in store.rows("stories", order_by=["-n_outlets", "-n_articles", "id"]):
        yield json.loads(r["data"])


def _framing(store: Store) -> Iterator[dict[str, Any]]:
    for r in _with_outlet(store, "framing"):
        r = dict(r)
        r["profile"] = json.loads(r["profile"] or "{}")
        yield r


def _outlets(store: Store) -> Iterator[dict[str, Any]]:
    from rashomon.framing.profile import outlet_profiles

    profiles = outlet_profiles(_with_outlet(store, "framing"), _with_outlet(store, "techniques"))
    yield from (profiles[k] for k in sorted(profiles))


def _acled(store: Store) -> Iterator[dict[str, Any]]:
    from rashomon.report.acled import events_rows

    yield from events_rows(store)


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
    "actors": lambda st: st.rows("actors"),
}


def rows(store: Store, what: str) -> Iterable[dict[str, Any]]:
    if what not in EXPORTS:
        raise UsageError(Errors.E301.format(what=what, choices=", ".join(EXPORTS)))
    return EXPORTS[what](store)


def _cell(v: Any) -> Any:
    if isinstance(v, (list, dict)):
        return json.dumps(v, ensure_ascii=False)
    return v


def write(data: Iterable[dict[str, Any]], fmt: str, out: Path | None = None) -> int:
    """Write rows in ``fmt`` to ``out`` (stdout when None); return the row count."""
    if fmt not in FORMATS:
        raise UsageError(Errors.E302.format(fmt=fmt, choices=", ".join(FORMATS)))
    if fmt == "parquet":
        if out is None:
            raise UsageError(Errors.E304)
        import pyarrow as pa
        import pyarrow.parquet as pq

        items = [{k: _cell(v) for k, v in r.items()} for r in data]
        pq.write_table(pa.Table.from_pylist(items), out)
        return len(items)
    fh: IO[str] = open(out, "w", encoding="utf-8", newline="") if out else io.TextIOWrapper(  # noqa: SIM115
        sys.stdout.buffer, encoding="utf-8", newline="", write_through=True
    )
    n = 0
    try:
        if fmt == "json":
            fh.write("[")
            for n, r in enumerate(data, 1):
                fh.write(("\n" if n == 1 else ",\n") + json.dumps(r, ensure_ascii=False, default=str))
            fh.write("\n]\n")
        elif fmt == "jsonl":
            for r in data:
                fh.write(json.dumps(r, ensure_ascii=False, default=str) + "\n")
                n += 1
        else:
            writer: csv.DictWriter[str] | None = None
            for r in data:
                if writer is None:
                    writer = csv.DictWriter(fh, fieldnames=list(r.keys()), extrasaction="ignore")
                    writer.writeheader()
                writer.writerow({k: _cell(v) for k, v in r.items()})
                n += 1
    finally:
        if out:
            fh.close()
        else:
            fh.flush()
            fh.detach()  # type: ignore[attr-defined]
    return n
