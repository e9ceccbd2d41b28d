"""Header and trailer heuristics for plain-text exports.

Real exports start with a few metadata lines (title, ``By NAME``, ``Author: NAME``, a
date, sometimes glued together: ``21.01.2024 Author: Alexandr Svaranc``) and end with
bios, disclaimers and "Related articles:". We read metadata from them but never remove
them: the stored text stays the whole normalized file, and ``body_end`` marks where the
trailing material starts. See docs/formats.md for the rules and their limits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from rashomon.model import Precision

_MONTHS = {
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_MON = r"(?P<mon>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_WEEKDAY = r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?"
_PREFIX = r"(?:(?:published|updated|posted|date|dated)(?:\s+on)?\s*:?\s*)?"
_DATE_FORMS = (
    r"(?P<y1>\d{4})-(?P<m1>\d{1,2})-(?P<d1>\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2})?(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?)?",
    r"(?P<d2>\d{1,2})(?P<sep>[./])(?P<m2>\d{1,2})(?P=sep)(?P<y2>\d{4})",
    _WEEKDAY
    + _MON.replace("mon>", "mon3>")
    + r"\s+(?P<d3>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y3>\d{4})",
    _WEEKDAY
    + r"(?P<d4>\d{1,2})(?:st|nd|rd|th)?\s+"
    + _MON.replace("mon>", "mon4>")
    + r",?\s+(?P<y4>\d{4})",
    _MON.replace("mon>", "mon5>") + r",?\s+(?P<y5>\d{4})",
)
_DATE = "(?:" + "|".join(_DATE_FORMS) + ")"
_DATE_START = re.compile(r"^" + _PREFIX + _DATE + r"\b", re.IGNORECASE)
_DATE_FULL = re.compile(r"^" + _PREFIX + _DATE + r"\s*$", re.IGNORECASE)
_DATE_TAIL = re.compile(r"(?:,\s*|\s+)" + _DATE + r"\s*$", re.IGNORECASE)
_TIME = re.compile(
    r"^(?:\d{1,2}[:.]\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?|[AP]M)?)?\s*(?:GMT|UTC|[A-Z]{1,4}T|[+-]\d{2}:?\d{2})?$"
)
_SEPARATORS = re.compile(r"\s*(?:[|•·]|\s[–—-]\s)\s*")
_AUTHOR_CLAUSE = re.compile(
    r"^(?:By|BY|Written by|Words by|Authors?\s*:|AUTHORS?\s*:|Author)\s*:?\s+(?P<names>.+)$"
)
_NAME_SPLIT = re.compile(r"\s*(?:,|;|&|\band\b)\s*")
_PARTICLES = {
    "de",
    "da",
    "di",
    "del",
    "van",
    "von",
    "der",
    "den",
    "la",
    "le",
    "du",
    "bin",
    "ibn",
    "al",
    "el",
    "ben",
}
_URL_LINE = re.compile(
    r"^(?:(?:source|url|link|original)\s*:\s*)?(?P<url>https?://\S+)$", re.IGNORECASE
)


def _ymd(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def _from_match(m: re.Match[str]) -> tuple[str, Precision] | None:
    g = m.groupdict()
    if g["y1"]:
        iso = _ymd(int(g["y1"]), int(g["m1"]), int(g["d1"]))
    elif g["y2"]:
        first, second = int(g["d2"]), int(g["m2"])
        # Day first (21.01.2024, 21/01/2024) unless only month-first is possible (01/21/2024).
        iso = (
            _ymd(int(g["y2"]), second, first) if second <= 12 else _ymd(int(g["y2"]), first, second)
        )
    elif g["y3"]:
        iso = _ymd(int(g["y3"]), _MONTHS[g["mon3"].lower()], int(g["d3"]))
    elif g["y4"]:
        iso = _ymd(int(g["y4"]), _MONTHS[g["mon4"].lower()], int(g["d4"]))
    else:
        year = int(g["y5"])
        return (
            (f"{year:04d}-{_MONTHS[g['mon5'].lower()]:02d}", "month")
            if 1800 < year < 2200
            else None
        )
    return (iso, "day") if iso else None


def parse_date(value: str) -> tuple[str, Precision] | None:
    """An ISO date and its precision from a whole date string, or None.

    >>> parse_date("21.01.2024"), parse_date("January 21, 2024"), parse_date("2024-01")
    (('2024-01-21', 'day'), ('2024-01-21', 'day'), None)
    """
    m = _DATE_FULL.match(value.strip())
    return _from_match(m) if m else None


def _names(raw: str) -> list[str] | None:
    raw = raw.strip().rstrip(".")
    names = [n.strip() for n in _NAME_SPLIT.split(raw) if n.strip()]
    if not names:
        return None
    for name in names:
        words = name.split()
        if not 1 <= len(words) <= 5 or len(name) > 60 or any(ch.isdigit() for ch in name):
            return None
        if not all(
            w[0].isupper() or w.lower() in _PARTICLES or w.lower().startswith(("al-", "el-"))
            for w in words
        ):
            return None
    return names


@dataclass(slots=True)
class Meta:
    """What one metadata line says."""

    authors: list[str] = field(default_factory=list)
    published: tuple[str, Precision] | None = None


def parse_meta_line(line: str) -> Meta | None:
    """Read a pure metadata line (date, author, or both); None for any other line.

    >>> parse_meta_line("21.01.2024 Author: Alexandr Svaranc")
    Meta(authors=['Alexandr Svaranc'], published=('2024-01-21', 'day'))
    """
    meta = Meta()
    rest = line.strip()
    m = _DATE_START.match(rest)
    if m:
        meta.published = _from_match(m)
        rest = rest[m.end() :]
    for part in _SEPARATORS.split(rest.strip(" \t,|")):
        part = part.strip(" \t,")
        if not part or _TIME.match(part):
            continue
        clause = _AUTHOR_CLAUSE.match(part)
        if clause:
            names = clause.group("names")
            tail = _DATE_TAIL.search(names)
            if tail and meta.published is None:
                meta.published = _from_match(tail)
                names = names[: tail.start()]
            found = _names(names)
            if found is None:
                return None
            meta.authors.extend(found)
            continue
        full = _DATE_FULL.match(part)
        if full and meta.published is None:
            meta.published = _from_match(full)
            continue
        return None
    return meta if (meta.authors or meta.published) else None


@dataclass(slots=True)
class Header:
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    published: str | None = None
    precision: Precision = "unknown"
    url: str | None = None


#: Header lines looked at, at most (non-blank).
HEADER_LINES = 8


def _title_like(line: str) -> bool:
    words = line.split()
    return (
        2 <= len(words) <= 30
        and len(line) <= 200
        and not line.endswith((".", ",", ";", ":"))
        and (line[0].isupper() or line[0].isdigit() or line[0] in "\"“‘'«")
    )


def analyze_header(text: str) -> Header:
    """Title, authors, date and URL from the first lines of a plain-text export.

    The title is the first title-like line (short, no final full stop) before the body;
    when the text opens straight into the body, the title is None (never invented).
    """
    head = Header()
    lines = [ln.strip() for ln in text.split("\n", 60)[:60] if ln.strip()]
    lines = lines[:HEADER_LINES]
    for i, line in enumerate(lines):
        meta = parse_meta_line(line)
        if meta is not None:
            for a in meta.authors:
                if a not in head.authors:
                    head.authors.append(a)
            if meta.published and head.published is None:
                head.published, head.precision = meta.published
            continue
        url = _URL_LINE.match(line)
        if url:
            head.url = head.url or url.group("url")
            continue
        if head.title is None and i + 1 < len(lines) and _title_like(line):
            head.title = line
            continue
        if head.title is None and len(line) <= 25 and len(line.split()) == 1:
            continue  # a section label such as "OPINION"
        break
    return head


# ---- trailer -------------------------------------------------------------------------

_RELATED = re.compile(
    r"^(?:related(?: articles?| posts?| stories| news| content| reading)?|read (?:more|also)|see also"
    r"|more on this(?: topic)?|you may also like|recommended(?: for you)?)\b\s*:?",
    re.IGNORECASE,
)
_DISCLAIMER = re.compile(
    r"views (?:and opinions )?expressed .{0,120}(?:do not|don't|does not) necessarily reflect",
    re.IGNORECASE,
)
_EXCLUSIVE = re.compile(
    r"\b(?:exclusively|especially|written) for (?:the )?(?:online |weekly |daily )?(?:magazine|journal|newspaper|website|portal)?\s*[“\"«„']?[A-Z]"
)
_BOILER = re.compile(
    r"^(?:©|\(c\)|copyright\b|all rights reserved|follow us\b|subscribe\b|share this\b|tags?\s*:|sources?\s*:|e-?mail\s*:)",
    re.IGNORECASE,
)
_BIO = re.compile(r"^(?P<name>[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,4}) (?:is|was) (?:a|an|the)\b")
_OCCUPATION = re.compile(
    r"\b(?:writer|journalist|analyst|author|editor|correspondent|researcher|professor|columnist"
    r"|contributor|commentator|expert|reporter|scholar|fellow|historian|economist)\b",
    re.IGNORECASE,
)
_REFLECT_OUTLET = re.compile(
    r"reflect (?:those|the (?:views|opinions?|position|policy|editorial (?:policy|position|line))) of "
    r"(?:the )?(?P<o>[A-Z][^.()\n]{1,60}?)\s*\.?\s*\)?\s*$"
)
_EXCLUSIVE_OUTLET = re.compile(
    r"\bexclusively for (?:the )?(?:(?:online|weekly|daily) )?(?:magazine|journal|newspaper|website|portal)?\s*"
    r"[“\"«„']?(?P<o>[A-Z][^”\"»“\n]{1,60}?)\s*[”\"»“']?\s*[.!]?\s*$"
)
#: Trailing lines looked at, at most (non-blank).
TRAILER_LINES = 12
_MAX_TRAILER_LINE = 700


@dataclass(slots=True)
class Trailer:
    body_end: int | None = None
    outlet: str | None = None


def _is_trailer_line(line: str, authors: list[str]) -> bool:
    if len(line) > _MAX_TRAILER_LINE:
        return False
    if _DISCLAIMER.search(line) or _EXCLUSIVE.search(line) or _BOILER.match(line):
        return True
    bio = _BIO.match(line)
    if bio:
        name = bio.group("name").lower()
        known = any(
            name == a.lower() or name.endswith(a.lower().split()[-1]) for a in authors if a.split()
        )
        return known or bool(_OCCUPATION.search(line))
    return False


def analyze_trailer(text: str, authors: list[str] | None = None) -> Trailer:
    """Where trailing bios/disclaimers/"Related articles" start, and the outlet they name."""
    authors = authors or []
    spans: list[tuple[int, str]] = []
    pos = 0
    for raw in text.split("\n"):
        if raw.strip():
            spans.append((pos, raw.strip()))
        pos += len(raw) + 1
    tail = spans[-TRAILER_LINES:]
    if len(tail) < 2:
        return Trailer()
    cut = len(tail)
    for k, (_, line) in enumerate(tail):
        if k > 0 and _RELATED.match(line) and len(line) <= 80:
            cut = k
            break
    while cut - 1 > 0 and _is_trailer_line(tail[cut - 1][1], authors):
        cut -= 1
    if cut == len(tail) or (cut == 0):
        return Trailer()
    out = Trailer(body_end=tail[cut][0])
    for _, line in tail[cut:]:
        m = _REFLECT_OUTLET.search(line) or _EXCLUSIVE_OUTLET.search(line)
        if m:
            out.outlet = m.group("o").strip()
            break
    return out
