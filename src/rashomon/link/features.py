"""Pair features of the Story linker: time, place, type, participants, text.

Each feature returns a score in [0, 1] or ``CONFLICT`` (the two records cannot be the
same event: day dates days apart, two countries, two places). Unknown is neutral (0),
never a match.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

CONFLICT = -1.0
DAY_WINDOW = 1  # two day-precise dates at most this many days apart are compatible

FAMILY = {
    "Battles": "violence",
    "Explosions/Remote violence": "violence",
    "Violence against civilians": "violence",
    "Protests": "unrest",
    "Riots": "unrest",
    "Strategic developments": "strategic",
    "Diplomacy": "political",
    "Policy": "political",
}

_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][\w'\-]+")
_PLACE_NOISE = re.compile(r"\b(province|city|district|governorate|region)\b", re.I)


def family(event_type: str) -> str:
    """The event family used for blocking: violence, unrest, strategic, political."""
    return FAMILY.get(event_type, event_type.casefold() or "other")


@dataclass(frozen=True, slots=True)
class Interval:
    """A resolved date as a closed interval of proleptic ordinals, with its precision."""

    start: int
    end: int
    precision: str


def _month_end(y: int, m: int) -> int:
    nxt = date(y + 1, 1, 1) if m == 12 else date(y, m + 1, 1)
    return nxt.toordinal() - 1


def parse_interval(value: str | None, precision: str | None = None) -> Interval | None:
    """``2024-01-03`` (day), ``2024-01`` (month), ``2024`` (year), ``a/b`` (range).

    Example:
        >>> parse_interval("2024-01").precision
        'month'
    """
    if not value:
        return None
    try:
        if "/" in value:
            a, b = value.split("/", 1)
            ia, ib = parse_interval(a), parse_interval(b)
            if ia is None or ib is None:
                return None
            return Interval(ia.start, ib.end, "range")
        parts = [int(p) for p in value[:10].split("-")]
        if len(parts) >= 3:
            o = date(parts[0], parts[1], parts[2]).toordinal()
            iv = Interval(o, o, "day")
        elif len(parts) == 2:
            iv = Interval(date(parts[0], parts[1], 1).toordinal(), _month_end(parts[0], parts[1]), "month")
        else:
            iv = Interval(date(parts[0], 1, 1).toordinal(), date(parts[0], 12, 31).toordinal(), "year")
    except ValueError:
        return None
    if precision == "month" and iv.precision == "day":
        d = date.fromordinal(iv.start)
        return Interval(date(d.year, d.month, 1).toordinal(), _month_end(d.year, d.month), "month")
    return iv


def time_score(a: Interval | None, b: Interval | None) -> float:
    """1 same day; 0.7 adjacent days; 0.5 day within month / same month; 0.2 same
    year; 0 unknown; CONFLICT when the intervals are too far apart."""
    if a is None or b is None:
        return 0.0
    gap = max(a.start, b.start) - min(a.end, b.end)  # <= 0 when they overlap
    if a.precision == "day" and b.precision == "day":
        if gap == 0:
            return 1.0
        return 0.7 if gap <= DAY_WINDOW else CONFLICT
    if gap > DAY_WINDOW:
        return CONFLICT
    if "year" in (a.precision, b.precision):
        return 0.2
    return 0.5


@lru_cache(maxsize=65536)  # called for both records of every candidate pair: cache the regexes' work
def norm_place(place: str | None) -> str | None:
    if not place:
        return None
    p = _PLACE_NOISE.sub(" ", place.casefold())
    p = re.sub(r"[^\w]+", " ", p).strip()
    return p or None


def place_score(pa: str | None, ca: str | None, pb: str | None, cb: str | None) -> float:
    """1 same place; 0.3 same country, a place unknown; 0 unknown; CONFLICT for two
    countries, or two different places (two bombings in two cities the same day)."""
    if ca and cb and ca != cb:
        return CONFLICT
    a, b = norm_place(pa), norm_place(pb)
    if a and b:
        if a == b or a in b or b in a:
            return 1.0
        return CONFLICT
    if ca and cb:
        return 0.3
    return 0.0


def type_score(ta: str, sa: str, tb: str, sb: str) -> float:
    """1 same sub-event type; 0.6 same event type; 0.3 same family; 0 otherwise."""
    if sa and sa == sb:
        return 1.0
    if ta == tb:
        return 0.6
    return 0.3 if family(ta) == family(tb) else 0.0


def overlap(a: frozenset[str], b: frozenset[str]) -> float:
    """Overlap coefficient |A ∩ B| / min(|A|, |B|); 0 when either is empty."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def trigger_match(a: str, b: str) -> float:
    """1 when the trigger lemmas match or share a stem of five letters or more
    ("assassinate" / "assassination", "bomb" / "bombing")."""
    a, b = a.casefold().strip(), b.casefold().strip()
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return 1.0 if n >= min(5, len(a), len(b)) and n >= 4 else 0.0


def names(text: str) -> frozenset[str]:
    """Capitalised words not starting a sentence: a cheap stand-in for named entities."""
    return frozenset(m.group(0).casefold() for m in _NAME.finditer(text))
