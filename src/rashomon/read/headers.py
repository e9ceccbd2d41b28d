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
    outlet: str | None = None


#: Header lines looked at, at most (non-blank): metadata and page furniture before the body.
HEADER_LINES = 12
#: A line this long, or a sentence of this many words, is body text: the header ends there.
_BODY_CHARS = 160
_BODY_WORDS = 14

_LEAD_TIME = re.compile(
    r"^\d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\.?|[AP]M)?\s*(?:GMT|UTC|[A-Z]{1,4}T)?\s*,?\s+(?=\S)"
)
_UPDATED = re.compile(r"^(?:last\s+)?(?:updated|modified|edited)\b\s*:?\s*(?P<rest>.*)$", re.IGNORECASE)
_STAFF_BYLINE = re.compile(
    r"^(?:by|from)\s+(?P<o>.{2,60}?)\s+(?:staff(?:\s+(?:writers?|reporters?))?|news\s*desk|newsroom"
    r"|editorial\s+(?:team|staff|board)|news\s+team|web\s+desk|digital\s+desk)(?=[A-Z0-9\s,|]|$)\s*,?\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
_NOT_IN_OUTLET = frozenset(
    ["say", "says", "said", "is", "are", "was", "were", "be", "been", "has", "have", "had", "will", "would", "to", "in", "on", "at", "after", "as", "with", "over", "from", "by", "kill", "kills", "killed", "dead", "die", "dies", "attack", "attacks", "who", "what", "why", "how", "when", "this", "that", "these", "we", "you", "i", "it", "they", "he", "she", "our", "your", "my"]
)
_FURNITURE = frozenset(
    ["menu", "home", "news", "world", "search", "share", "subscribe", "login", "advertisement", "opinion", "politics", "business", "sports", "sport", "latest", "live", "video", "videos", "breaking", "trending", "more", "national", "international"]
) | {"log in", "sign in", "breaking news", "top stories", "world news", "local news"}
_MEDIA_WORDS = re.compile(
    r"\b(?:news|times|post|press|agency|tv|radio|daily|herald|journal|tribune|network|channel"
    r"|gazette|telegraph|express|chronicle|observer|monitor|review|website|online|media|wire"
    r"|broadcasting|television|courier|mail|star|sun|globe|insider|report|today|pravda|outlook)\b",
    re.IGNORECASE,
)
_WEBSITE_SUFFIX = re.compile(r"\s+(?:english\s+)?(?:web\s*site|online|web\s+portal)$", re.IGNORECASE)


def _is_date(part: str) -> tuple[str, Precision] | None:
    """A whole string that is a date, optionally with a time before or after it."""
    part = _LEAD_TIME.sub("", part.strip(" \t,|"))
    m = _DATE_START.match(part)
    if not m:
        return None
    rest = part[m.end() :].strip(" \t,")
    if rest and not _TIME.match(rest):
        return None
    return _from_match(m)


def _outlet_like(part: str) -> bool:
    """A short name such as "Devdiscourse", "The Morning Telegraph", "bne IntelliNews"."""
    part = part.strip()
    words = part.split()
    if not 1 <= len(words) <= 6 or len(part) > 60 or part.endswith((",", ";", ":", "!", "?")):
        return False
    if part.lower() in _FURNITURE or _is_date(part) or _AUTHOR_CLAUSE.match(part):
        return False
    if any(w.lower().strip("’'\".,") in _NOT_IN_OUTLET for w in words):
        return False
    if part.endswith(".") and not re.search(r"\.[a-z]{2,}$", part):  # "Pravda.ru" yes, a sentence no
        return False
    return any(ch.isupper() for ch in part) and (
        part[0].isupper() or part[0].isdigit() or _registry_name(part) is not None
    )


def _registry_name(name: str) -> str | None:
    from rashomon.annotate.outlets import lookup

    info = lookup(name=name)
    return info.name if info else None


def _staff_byline(line: str) -> tuple[str, str] | None:
    """"By Example News staff" -> ("Example News", rest of the line)."""
    m = _STAFF_BYLINE.match(line.strip())
    if not m or not _outlet_like(m.group("o")):
        return None
    name = m.group("o").strip()
    return ("The" + name[3:] if name.startswith("the ") else name), m.group("rest")


def _outlet_date_line(line: str) -> tuple[str | None, tuple[str, Precision] | None, list[str]] | None:
    """"Example News | January 3, 2024" (parts in any order, an author clause allowed):
    (outlet, date, authors), or None when any part is something else."""
    parts = [p.strip(" \t,") for p in _SEPARATORS.split(line.strip()) if p.strip(" \t,")]
    dashed = not re.search(r"[|•·]", line)  # "NAME - date" is a byline, "Outlet | date" a masthead
    if len(parts) < 2:
        return None
    outlet: str | None = None
    published: tuple[str, Precision] | None = None
    authors: list[str] = []
    for part in parts:
        d = _is_date(part)
        if d:
            published = published or d
            continue
        if _TIME.match(part):
            continue
        upd = _UPDATED.match(part)
        if upd and (_is_date(upd.group("rest")) or _TIME.match(upd.group("rest"))):
            continue
        clause = _AUTHOR_CLAUSE.match(part)
        if clause and (names := _names(clause.group("names"))):
            authors.extend(names)
            continue
        if outlet is None and not authors and _person_like(part) and (part.isupper() or dashed):
            authors.append(" ".join(w.capitalize() if w.isupper() else w for w in part.split()))
            continue
        if outlet is None and _outlet_like(part):
            outlet = part
            continue
        return None
    if not published and not (outlet and authors):
        return None
    return outlet, published, authors


def _person_like(part: str) -> bool:
    """"ROMAN PETRENKO", "Jane Roe": two or three capitalized words that name no medium."""
    words = part.split()
    return (
        2 <= len(words) <= 3
        and all(w[:1].isupper() and w.replace("-", "").replace("'", "").isalpha() for w in words)
        and words[0].lower() != "the"
        and not _MEDIA_WORDS.search(part)
        and _registry_name(part) is None
    )


#: page furniture that asks the reader for something: never a headline
_PROMO = re.compile(
    r"^(?:help us\b|support (?:us|our)\b|subscribe\b|sign up\b|donate\b|join (?:us|our)\b|become a (?:member|subscriber)"
    r"|save & read\b|save and read\b|bookmark\b|download (?:our|the)\b|follow us\b|listen to\b|get (?:our|the) (?:app|newsletter))",
    re.IGNORECASE,
)


def _title_like(line: str) -> bool:
    words = line.split()
    return (
        2 <= len(words) <= 30
        and len(line) <= 200
        and not line.endswith((".", ",", ";", ":"))
        and (line[0].isupper() or line[0].isdigit() or line[0] in "\"“‘'«")
        and not _PROMO.match(line)
        and not (_DATE_START.match(line) and not _is_date(line))  # "May 26, 2024 Israel-Hamas war": a kicker
        and not _person_like(line)  # a bare name is a byline, not a headline
    )


def _headline_candidate(line: str) -> bool:
    """Title-like and nothing the header reads as metadata (a date, a byline, a
    masthead, a URL, a menu item)."""
    return (
        _title_like(line)
        and line.lower() not in _FURNITURE
        and _is_date(line) is None
        and parse_meta_line(line) is None
        and _outlet_date_line(line) is None
        and _staff_byline(line) is None
        and not _URL_LINE.match(line)
    )


def _byline(line: str) -> bool:
    """"By Jane Roe", "by The Example News desk January 3, 2024": a line that names who wrote."""
    if _staff_byline(line) is not None:
        return True
    meta = parse_meta_line(line)
    return meta is not None and bool(meta.authors)


def _body_like(line: str) -> bool:
    return len(line) >= _BODY_CHARS or (
        len(line.split()) >= _BODY_WORDS and line.rstrip().endswith((".", "\"", "”", "?", "!"))
    )


def _lines_with_blocks(text: str, limit: int) -> list[tuple[str, int]]:
    """The first ``limit`` non-blank lines, each with the index of its paragraph block."""
    out: list[tuple[str, int]] = []
    block, blank = 0, False
    for raw in text.split("\n", 200)[:200]:
        line = raw.strip()
        if not line:
            blank = True
            continue
        if blank and out:
            block += 1
        blank = False
        out.append((line, block))
        if len(out) >= limit:
            break
    return out


def analyze_header(text: str) -> Header:
    """Title, authors, date, URL and outlet from the first lines of a plain-text export.

    The header is the run of short lines before the body (at most ``HEADER_LINES``): page
    furniture ("Menu", "World"), the headline, a byline, a date line. Read from it:

    * dates: a line that is a date (``January 3, 2024``, ``Published: 2024-01-03``,
      ``Posted Aug 26, 2021 4:29 pm``, ``7:29 p.m. ET, May 26, 2024``), or a date in an
      ``Outlet | date`` or byline line. A date anywhere else is never the publication date.
    * the outlet: ``Outlet | date``; ``By Outlet staff`` / ``by Outlet news desk``; or a
      short name on the line right under the headline in the headline's own block
      (``headline / outlet / date``) or a name the outlet registry knows just above it.
    * the title: the first title-like line (short, no final full stop) before the body;
      when the text opens straight into the body, the title is None (never invented).
    """
    head = Header()
    lines = _lines_with_blocks(text, HEADER_LINES)
    title_at: int | None = None
    for i, (line, block) in enumerate(lines):
        if _body_like(line):
            break
        if line.lower() in _FURNITURE:
            continue
        if (
            title_at is not None
            and i >= 1
            and title_at < i - 1
            and _headline_candidate(lines[i - 1][0])
            and _byline(line)
        ):
            # the line right above the byline is the headline; what came first was a
            # kicker or furniture ("Saturday's briefing" / headline / "By Jane Roe")
            head.title, title_at = lines[i - 1][0], i - 1
        staff = _staff_byline(line)
        if staff is not None:
            head.outlet = head.outlet or staff[0]
            d = _is_date(staff[1]) if staff[1] else None
            if d and head.published is None:
                head.published, head.precision = d
            continue
        meta = parse_meta_line(line)
        if meta is None and (d := _is_date(line)) is not None:
            meta = Meta(published=d)
        if meta is not None:
            for a in meta.authors:
                if a not in head.authors:
                    head.authors.append(a)
            if meta.published and head.published is None:
                head.published, head.precision = meta.published
            continue
        od = _outlet_date_line(line)
        if od is not None:
            head.outlet = head.outlet or od[0]
            if od[1] and head.published is None:
                head.published, head.precision = od[1]
            head.authors.extend(a for a in od[2] if a not in head.authors)
            continue
        url = _URL_LINE.match(line)
        if url:
            head.url = head.url or url.group("url")
            continue
        if (
            head.title is None
            and head.outlet is None
            and i + 1 < len(lines)
            and lines[i + 1][1] == block
            and _title_like(lines[i + 1][0])
            and _registry_name(line)
        ):
            head.outlet = line  # a known outlet's name just above the headline
            continue
        if head.title is None and i + 1 < len(lines) and _title_like(line):
            head.title, title_at = line, i
            continue
        if (
            title_at is not None
            and i == title_at + 1
            and block == lines[title_at][1]
            and (title_at == 0 or lines[title_at - 1][1] != block)
            and head.outlet is None
            and _outlet_like(line)
            and (
                i + 1 >= len(lines)
                or lines[i + 1][1] != block
                or _is_date(lines[i + 1][0]) is not None
                or parse_meta_line(lines[i + 1][0]) is not None
            )
        ):
            head.outlet = line  # headline / outlet [/ date], one block
            continue
        if len(line) <= 25 and len(line.split()) <= 2:
            continue  # a section label or menu item such as "OPINION", "World News"
        if line.endswith((".", "!", "?", "\"", "”")) and (head.title is None or len(line.split()) >= 6):
            break  # a sentence: the body has begun
        # furniture before the headline ("Help us reach 10,000 members"), a sub-heading or
        # a kicker after it: keep looking for the byline and the date line
    if head.published is None:
        dl = _dateline_date(text)
        if dl is not None:
            head.published, head.precision = dl
    return head


_DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Z .'’-]{1,40}(?:,\s*[A-Z][\w.]*(?:\s+[A-Z][\w.]*){0,2})?)\s*"
    r"(?:\((?P<paren>[^)]{4,40})\)|,\s*(?P<comma>[A-Z][a-z]{2,8}\.?\s+\d{1,2},?\s+\d{4}))"
    r"\s*(?:[-–—]{1,2}|:)\s"
)
_CREDIT = re.compile(
    r"^[A-Z][A-Z .'’-]{1,40}(?:,\s*[A-Z][\w.]*(?:\s+[A-Z][\w.]*){0,2})?"
    r"(?:,\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2}\.?)?\s*(?:/(?P<slash>[A-Z][A-Za-z-]{1,15})/|\((?P<paren>[A-Z][A-Za-z-]{1,15})\))"
)


def _first_body_line(text: str) -> str | None:
    for line, _block in _lines_with_blocks(text, HEADER_LINES + 1):
        if _body_like(line):
            return line
    return None


def _dateline_date(text: str) -> tuple[str, Precision] | None:
    """The date of a dateline that states a full one: "BEIRUT (September 17, 2024) —"."""
    line = _first_body_line(text)
    m = _DATELINE.match(line) if line else None
    if not m:
        return None
    d = _is_date(m.group("paren") or m.group("comma") or "")
    return d if d and d[1] == "day" else None


def dateline_credit(text: str) -> str | None:
    """The agency credited in the first body line's dateline: "TEL AVIV, July 28. /TASS/."
    -> "TASS", "ISTANBUL (AP) —" -> "AP"; only names the outlet registry knows."""
    line = _first_body_line(text)
    m = _CREDIT.match(line) if line else None
    if not m:
        return None
    name = m.group("slash") or m.group("paren")
    return name if name and _registry_name(name) else None


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
    url: str | None = None


_SOURCE_NAME = re.compile(r"^source\s*:\s*(?P<o>[^:/]{2,60}?)\s*\.?$", re.IGNORECASE)


def _source_outlet(line: str) -> str | None:
    """"Source: Example News Website" -> "Example News": a closing source line naming a
    medium (a registry name, or a name with a media word such as News, TV, Agency)."""
    m = _SOURCE_NAME.match(line)
    if not m:
        return None
    name = m.group("o").strip()
    if not _outlet_like(name):
        return None
    known = _registry_name(name)
    if known:
        return known
    if not _MEDIA_WORDS.search(name):
        return None
    short = _WEBSITE_SUFFIX.sub("", name).strip()
    return short if short and _registry_name(short) else name


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
    found = Trailer()
    for _, line in tail[-3:]:
        url = _URL_LINE.match(line)
        if url:
            found.url = url.group("url")
        found.outlet = _source_outlet(line) or found.outlet
    cut = len(tail)
    for k, (_, line) in enumerate(tail):
        if k > 0 and _RELATED.match(line) and len(line) <= 80:
            cut = k
            break
    while cut - 1 > 0 and _is_trailer_line(tail[cut - 1][1], authors):
        cut -= 1
    if cut == len(tail) or (cut == 0):
        return found
    out = Trailer(body_end=tail[cut][0], url=found.url)
    for _, line in tail[cut:]:
        m = _REFLECT_OUTLET.search(line) or _EXCLUSIVE_OUTLET.search(line)
        if m:
            out.outlet = m.group("o").strip()
            break
    out.outlet = out.outlet or found.outlet
    return out
