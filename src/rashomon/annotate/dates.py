"""Date expressions -> :class:`DateValue`, resolved against the publication date.

    resolve_date("January 3 this year", "2024-01-21")   # 2024-01-03, day
    resolve_date("in August", "2024-01-21")             # 2023-08, month (the recent past)
    resolve_date("since Oct. 7", "2024-01-21")          # 2023-10-07, day, relation 'since'
    resolve_date("September 19-20, 2023", None)         # 2023-09-19 .. 2023-09-20, range
    resolve_date("December 18", None)                   # unanchored: partial '--12-18'
    resolve_date("three months", "2024-01-21")          # None: a duration, not a date

Own rules first (they cover what news writes, and are cheap); ``dateparser`` only for
leftovers that contain a month name or a digit, with ``RELATIVE_BASE`` = publication and
``PREFER_DATES_FROM='past'``. Results are cached. A year-less date takes the year that
puts it on or before publication + 30 days (news mostly refers to the recent past).
Without a publication date, absolute dates still resolve; relative ones come back
``anchored=False`` with ``start=None`` and, where a month/day is known, ``partial``
("--12-18", the ISO 8601 form of a month-day with no year): a year is never guessed.
Rules and examples: docs/resolution.md.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Any, Literal

__all__ = ["ALGORITHM", "DateValue", "resolve_date"]

ALGORITHM = "rashomon.dates.v1"
DatePrecision = Literal["day", "month", "year", "range"]
FORWARD_DAYS = 30  # a year-less date may lie this far after publication


@dataclass(frozen=True, slots=True)
class DateValue:
    """A resolved date or range. ``start``/``end`` are ISO (YYYY-MM-DD, YYYY-MM or YYYY)."""

    start: str | None
    end: str | None
    precision: DatePrecision
    anchored: bool
    text: str
    partial: str | None = None  # "--12-18" / "--08" when the year is unknown
    relation: str | None = None  # since / until / before / after / by / from


MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip
WEEKDAYS = {
    "monday": 0, "mon": 0, "tuesday": 1, "tue": 1, "tues": 1, "wednesday": 2, "wed": 2,
    "thursday": 3, "thu": 3, "thurs": 3, "friday": 4, "fri": 4, "saturday": 5, "sat": 5, "sunday": 6, "sun": 6,
}  # fmt: skip
NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
    "thirty": 30,
}  # fmt: skip
UNITS = {"day": "day", "days": "day", "week": "week", "weeks": "week", "month": "month",
         "months": "month", "year": "year", "years": "year", "decade": "decade", "decades": "decade"}  # fmt: skip
RELATIONS = ("since", "until", "till", "before", "after", "by", "from", "as of", "through")

_MON = r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_DAY = r"(?P<d1>\d{1,2})(?:st|nd|rd|th)?(?:\s*(?:-|–|to|and)\s*(?P<d2>\d{1,2})(?:st|nd|rd|th)?)?"
_YEAR = r"(?P<year>(?:1[89]|20)\d{2})"
_SUFFIX = r"(?:\s*(?P<rel>this|last|next|of this|of last|of next)\s+year)?"
RX_MDY = re.compile(rf"^{_MON}\s+{_DAY}(?:,?\s*{_YEAR})?{_SUFFIX}$")
RX_DMY = re.compile(rf"^{_DAY}\s+(?:of\s+)?{_MON}(?:,?\s*{_YEAR})?{_SUFFIX}$")
RX_MY = re.compile(
    rf"^(?:(?P<part>early|mid|late|the end of|the beginning of|the start of|the middle of)[\s-]+)?{_MON}(?:,?\s*{_YEAR})?{_SUFFIX}$"
)
RX_ISO = re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})$")
RX_DOTTED = re.compile(r"^(?P<a>\d{1,2})([./])(?P<b>\d{1,2})\2(?P<y>\d{4})$")
RX_YEAR = re.compile(rf"^(?:the\s+)?(?:year\s+)?{_YEAR}$")
RX_DECADE = re.compile(r"^(?:the\s+)?(?P<dec>(?:1[89]|20)\d0)['’]?s$")
RX_AGO = re.compile(r"^(?P<n>\d+|[a-z]+)\s+(?P<unit>days?|weeks?|months?|years?|decades?)\s+ago$")
RX_LASTN = re.compile(
    r"^(?:the\s+)?(?:last|past|previous)\s+(?:(?P<n>\d+|[a-z]+)\s+)?(?P<unit>days?|weeks?|months?|years?|decades?)$"
)
RX_REL_UNIT = re.compile(
    r"^(?P<which>this|last|next|previous|earlier this|later this)\s+(?P<unit>week|month|year)$"
)
RX_WEEKDAY = re.compile(
    r"^(?:(?P<which>last|this|next|past|on)\s+)?(?P<wd>[a-z]+)\.?(?:\s+(?P<part>morning|afternoon|evening|night))?$"
)
RX_LEADING = re.compile(r"^(?:on|in|at|of|during|the|over|early|earlier)\s+", re.I)
_DURATION = re.compile(
    r"^(?:almost|nearly|about|around|some|over|more than|less than|the|a|an)?\s*(?:\d+|[a-z]+)(?:[\s-]+(?:and a half|half))?[\s-]+(?:days?|weeks?|months?|years?|decades?|hours?|minutes?|centur(?:y|ies))(?:[\s-]+(?:long|old))?$"
)
_VAGUE = re.compile(
    r"\b(?:recent|several|few|some|many|coming|annual|anniversary|the day|days|weeks|months|years|decades|ages|times?)\b"
)
_DATEISH = re.compile(r"\d|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b")


def _parse_pub(published: str | None, precision: str) -> tuple[date | None, str]:
    """The publication date and what we may resolve against it: 'day', 'month', 'year' or ''."""
    if not published:
        return None, ""
    p = published.strip()[:10]
    try:
        if len(p) == 10:
            d = date.fromisoformat(p)
            return d, precision if precision in ("day", "month", "year") else "day"
        if len(p) == 7:
            return date(int(p[:4]), int(p[5:7]), 1), "month"
        if len(p) == 4:
            return date(int(p), 1, 1), "year"
    except ValueError:
        return None, ""
    return None, ""


def _num(s: str | None) -> int | None:
    if s is None:
        return 1
    if s.isdigit():
        return int(s)
    return NUMBER_WORDS.get(s)


def _shift(d: date, unit: str, n: int) -> date:
    """``d`` moved back by ``n`` units (months and years clamp the day)."""
    if unit == "day":
        return d - timedelta(days=n)
    if unit == "week":
        return d - timedelta(weeks=n)
    months = n * {"month": 1, "year": 12, "decade": 120}[unit]
    y, m = divmod(d.year * 12 + d.month - 1 - months, 12)
    return date(y, m + 1, min(d.day, calendar.monthrange(y, m + 1)[1]))


def _year_for(month: int, day: int, pub: date) -> int:
    """The year that puts month/day on or before publication + FORWARD_DAYS."""
    y = pub.year
    try:
        cand = date(y, month, min(day, calendar.monthrange(y, month)[1]))
    except ValueError:
        return y
    return y if cand <= pub + timedelta(days=FORWARD_DAYS) else y - 1


def _iso(y: int, m: int, d: int) -> str | None:
    try:
        return date(y, m, d).isoformat()
    except ValueError:
        return None


def _split_relation(s: str) -> tuple[str | None, str]:
    for r in RELATIONS:
        if s.startswith(r + " "):
            return r, s[len(r) + 1 :].strip()
    return None, s


def _month_day(
    m: re.Match[str], text: str, pub: date | None, level: str, relation: str | None
) -> DateValue | None:
    month = MONTHS[m["mon"].lower()]
    d1 = int(m["d1"])
    d2 = int(m["d2"]) if m["d2"] else None
    if not 1 <= d1 <= 31 or (d2 is not None and not d1 < d2 <= 31):
        return None
    prec: DatePrecision = "range" if d2 else "day"
    rel = m["rel"]
    if m["year"]:
        y: int | None = int(m["year"])
        anchored = True
    elif pub is not None and level in ("day", "month") and not rel:
        y, anchored = _year_for(month, d1, pub), True
    elif pub is not None and level and rel:
        y = pub.year + (-1 if "last" in rel else 1 if "next" in rel else 0)
        anchored = True
    else:
        y, anchored = None, False
    if y is None:
        part = f"--{month:02d}-{d1:02d}"
        return DateValue(None, None, prec, False, text, part, relation)
    start = _iso(y, month, d1)
    if start is None:
        return None
    end = _iso(y, month, d2) if d2 else None
    return DateValue(start, end, prec, anchored, text, None, relation)


def _month(
    m: re.Match[str], text: str, pub: date | None, level: str, relation: str | None
) -> DateValue | None:
    month = MONTHS[m["mon"].lower()]
    rel = m["rel"]
    if m["year"]:
        y: int | None = int(m["year"])
    elif pub is not None and level and rel:
        y = pub.year + (-1 if "last" in rel else 1 if "next" in rel else 0)
    elif pub is not None and level in ("day", "month"):
        y = _year_for(month, 1, pub)
    else:
        y = None
    if y is None:
        return DateValue(None, None, "month", False, text, f"--{month:02d}", relation)
    return DateValue(f"{y}-{month:02d}", None, "month", True, text, None, relation)


def _weekday(
    wd: int, which: str | None, pub: date | None, level: str, text: str, relation: str | None
) -> DateValue:
    if pub is None or level != "day":
        return DateValue(None, None, "day", False, text, None, relation)
    back = (pub.weekday() - wd) % 7
    if which == "next":
        d = pub + timedelta(days=(wd - pub.weekday()) % 7 or 7)
    elif which in ("last", "past"):
        d = pub - timedelta(days=back or 7)
    else:  # "Tuesday", "on Tuesday", "this Tuesday": the most recent one (today included)
        d = pub - timedelta(days=back)
    return DateValue(d.isoformat(), None, "day", True, text, None, relation)


def _range(start: date, end: date, text: str, relation: str | None) -> DateValue:
    return DateValue(start.isoformat(), end.isoformat(), "range", True, text, None, relation)


def _relative(
    s: str, text: str, pub: date | None, level: str, relation: str | None
) -> DateValue | None:
    """today / yesterday / last week / this year / two days ago / the last two years."""
    unanchored = DateValue(None, None, "day", False, text, None, relation)
    day_words = {"today": 0, "tonight": 0, "this morning": 0, "this afternoon": 0, "this evening": 0,
                 "yesterday": 1, "last night": 1, "tomorrow": -1, "the day before yesterday": 2}  # fmt: skip
    if s in day_words:
        if pub is None or level != "day":
            return unanchored
        return DateValue(
            (pub - timedelta(days=day_words[s])).isoformat(),
            None,
            "day",
            True,
            text,
            None,
            relation,
        )
    m = RX_REL_UNIT.match(s)
    if m:
        which, unit = m["which"], m["unit"]
        need = {"week": ("day",), "month": ("day", "month"), "year": ("day", "month", "year")}[unit]
        if pub is None or level not in need:
            vague: DatePrecision = (
                "range" if unit == "week" else "month" if unit == "month" else "year"
            )
            return DateValue(None, None, vague, False, text, None, relation)
        step = -1 if which in ("last", "past", "previous") else 1 if which == "next" else 0
        if unit == "year":
            if which in ("earlier this", "later this"):
                lo, hi = (
                    (date(pub.year, 1, 1), pub)
                    if which == "earlier this"
                    else (pub, date(pub.year, 12, 31))
                )
                return _range(lo, hi, text, relation)
            return DateValue(str(pub.year + step), None, "year", True, text, None, relation)
        if unit == "month":
            if which in ("earlier this", "later this"):
                last = date(pub.year, pub.month, calendar.monthrange(pub.year, pub.month)[1])
                lo, hi = (pub.replace(day=1), pub) if which == "earlier this" else (pub, last)
                return _range(lo, hi, text, relation)
            y, mo = divmod(pub.year * 12 + pub.month - 1 + step, 12)
            return DateValue(f"{y}-{mo + 1:02d}", None, "month", True, text, None, relation)
        monday = pub - timedelta(days=pub.weekday()) + timedelta(weeks=step)
        return _range(monday, monday + timedelta(days=6), text, relation)
    m = RX_AGO.match(s)
    if m:
        n = _num(m["n"])
        unit = UNITS[m["unit"]]
        if n is None:
            return None
        if pub is None or level != "day":
            return unanchored
        d = _shift(pub, unit, n)
        if unit in ("day", "week"):
            return DateValue(d.isoformat(), None, "day", True, text, None, relation)
        if unit == "month":
            return DateValue(d.isoformat()[:7], None, "month", True, text, None, relation)
        return DateValue(str(d.year), None, "year", True, text, None, relation)
    m = RX_LASTN.match(s)
    if m:
        n = _num(m["n"])
        if n is None:  # "the last several weeks": too vague to place
            return None
        if pub is None or level != "day":
            return DateValue(None, None, "range", False, text, None, relation)
        return _range(_shift(pub, UNITS[m["unit"]], n), pub, text, relation)
    return None


def _explicit(
    s: str, text: str, pub: date | None, level: str, relation: str | None
) -> DateValue | None:
    m = RX_ISO.match(s)
    if m:
        iso = _iso(int(m["y"]), int(m["m"]), int(m["d"]))
        return DateValue(iso, None, "day", True, text, None, relation) if iso else None
    m = RX_DOTTED.match(s)
    if m:
        a, b = int(m["a"]), int(m["b"])
        # dots: day.month.year (European); slashes: month/day/year unless that is impossible
        day, mon = (a, b) if m.group(2) == "." or a > 12 else (b, a)
        iso = _iso(int(m["y"]), mon, day)
        return DateValue(iso, None, "day", True, text, None, relation) if iso else None
    for rx in (RX_MDY, RX_DMY):
        m = rx.match(s)
        if m:
            return _month_day(m, text, pub, level, relation)
    m = RX_MY.match(s)
    if m:
        return _month(m, text, pub, level, relation)
    m = RX_YEAR.match(s)
    if m:
        return DateValue(m["year"], None, "year", True, text, None, relation)
    m = RX_DECADE.match(s)
    if m:
        y = int(m["dec"])
        return DateValue(f"{y}-01-01", f"{y + 9}-12-31", "range", True, text, None, relation)
    return None


@lru_cache(maxsize=32768)
def _resolve(text: str, published: str | None, precision: str) -> DateValue | None:
    pub, level = _parse_pub(published, precision)
    s = re.sub(r"\s+", " ", text.strip().lower().replace("’", "'")).strip(" ,.;:")
    relation, s = _split_relation(s)
    for _ in range(2):
        s2 = RX_LEADING.sub("", s) if not RX_MY.match(s) else s
        if s2 == s:
            break
        s = s2
    if not s:
        return None
    hit = _explicit(s, text, pub, level, relation)
    if hit is not None:
        return hit
    m = RX_WEEKDAY.match(s)
    if m and m["wd"] in WEEKDAYS:
        return _weekday(WEEKDAYS[m["wd"]], m["which"], pub, level, text, relation)
    hit = _relative(s, text, pub, level, relation)
    if hit is not None or RX_LASTN.match(s):
        return hit
    if _DURATION.match(s) or _VAGUE.search(s) or not _DATEISH.search(s):
        return None
    return _dateparser(s, text, pub, level, relation)


def _dateparser(
    s: str, text: str, pub: date | None, level: str, relation: str | None
) -> DateValue | None:
    """Leftovers with a digit or a month name ('the 5th of January 2024', 'Jan 5th')."""
    has_year = re.search(r"\b(?:1[89]|20)\d{2}\b", s) is not None
    if not has_year and (pub is None or level not in ("day", "month")):
        return None  # no year and nothing to anchor to: never guess one
    res = _parser(pub.isoformat() if pub else None, has_year).get_date_data(s)
    if res is None or res.date_obj is None:
        return None
    d = res.date_obj.date()
    period = res.period or "day"
    if not has_year and (pub is None or abs(d.year - pub.year) > 1):
        return None  # "(1313 GMT)", "0800 GMT": a clock time read as the year 1313 or 800
    if period == "year":
        return DateValue(str(d.year), None, "year", True, text, None, relation)
    if period == "month":
        return DateValue(d.isoformat()[:7], None, "month", True, text, None, relation)
    if period != "day":
        return None
    return DateValue(d.isoformat(), None, "day", True, text, None, relation)


def warm() -> None:
    """Load dateparser's English data now (a worker's start-up) rather than on the first
    date that needs it (about 0.2 s)."""
    _parser(None, True).get_date_data("5 January 2024")


@lru_cache(maxsize=64)
def _parser(pub: str | None, has_year: bool) -> Any:
    """A dateparser ``DateDataParser`` (English only) per publication date."""
    from datetime import datetime

    from dateparser.date import DateDataParser

    settings: dict[str, Any] = {"PREFER_DATES_FROM": "past", "RETURN_AS_TIMEZONE_AWARE": False}
    if has_year:
        settings["REQUIRE_PARTS"] = ["year"]
    if pub:
        settings["RELATIVE_BASE"] = datetime.fromisoformat(pub)
    return DateDataParser(languages=["en"], settings=settings)


def resolve_date(
    text: str, published: str | None, published_precision: str = "day"
) -> DateValue | None:
    """Resolve a date expression against the article's publication date (ISO, or None).

    Returns None for durations ("three months", "three-month-long"), vague spans ("recent
    weeks") and event-relative phrases ("on the fourth anniversary").

    >>> resolve_date("January 3 this year", "2024-01-21").start
    '2024-01-03'
    >>> resolve_date("4 January", None).partial
    '--01-04'
    """
    if not text or len(text) > 80:
        return None
    return _resolve(text, published, published_precision)
