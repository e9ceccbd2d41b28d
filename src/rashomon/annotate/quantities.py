"""Count expressions -> :class:`~rashomon.model.Quantity` (value, low, high, qualifier).

    parse_quantity("at least 91")        # value 91, low 91, high None, qualifier 'at least'
    parse_quantity("about 100")          # value 100, low 90, high 110, qualifier 'about'
    parse_quantity("over 200")           # value 200, low 201, high None, qualifier 'over'
    parse_quantity("almost 23,000")      # value 23000, low 20700, high 23000, qualifier 'almost'
    parse_quantity("tens of thousands")  # value 20000, low 20000, high 99999, qualifier 'tens of thousands'
    parse_quantity("half a million")     # value 500000, exact

``qualifier`` is the normalized surface phrase ("around" stays "around"), so reports
can print ``qualifier value`` as the source wrote it; its *class* (lower bound,
approximate, upper bound, range, vague) decides ``low``/``high``. Vague amounts
("dozens", "hundreds") take the conservative reading as ``value`` (the band's low end,
as UCDP's low estimates do). Bands: docs/resolution.md.
"""

from __future__ import annotations

import re
from functools import lru_cache

from rashomon.model import Quantity

__all__ = ["ALGORITHM", "QUALIFIERS", "parse_number", "parse_quantity"]

ALGORITHM = "rashomon.quantities.v1"

# qualifier phrase -> class
QUALIFIERS: dict[str, str] = {
    "at least": "min", "no fewer than": "min", "no less than": "min", "not less than": "min",
    "a minimum of": "min", "at a minimum": "min",
    "over": "above", "more than": "above", "above": "above", "in excess of": "above",
    "upwards of": "above", "exceeding": "above", "well over": "above", "just over": "just_above",
    "slightly more than": "just_above", "a little over": "just_above", "just above": "just_above",
    "about": "approx", "around": "approx", "some": "approx", "approximately": "approx",
    "roughly": "approx", "an estimated": "approx", "estimated": "approx", "approx.": "approx",
    "approx": "approx", "circa": "approx", "c.": "approx", "or so": "approx", "an approximate": "approx",
    "nearly": "below_approx", "almost": "below_approx", "close to": "below_approx",
    "just under": "below_approx", "just shy of": "below_approx", "just below": "below_approx",
    "less than": "below", "fewer than": "below", "under": "below", "below": "below",
    "up to": "max", "as many as": "max", "at most": "max", "no more than": "max",
    "not more than": "max", "a maximum of": "max", "as much as": "max",
}  # fmt: skip
APPROX_BAND = 0.10  # about N -> [0.9 N, 1.1 N]; nearly N -> [0.9 N, N]
_QUAL_RX = re.compile(
    r"^(?P<q>"
    + "|".join(re.escape(q) for q in sorted(QUALIFIERS, key=len, reverse=True))
    + r")\s+",
)

UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
        "eighty": 80, "ninety": 90}  # fmt: skip
SCALES = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000,
          "k": 1_000, "m": 1_000_000, "mn": 1_000_000, "bn": 1_000_000_000}  # fmt: skip

# vague amounts: phrase -> (low, high); value = low
VAGUE: dict[str, tuple[int, int]] = {
    "a handful": (2, 5), "a couple": (2, 3), "several": (3, 9), "a few": (2, 5),
    "dozens": (24, 99), "scores": (40, 199),
    "hundreds": (200, 999), "thousands": (2_000, 9_999),
    "tens of thousands": (20_000, 99_999), "hundreds of thousands": (200_000, 999_999),
    "millions": (2_000_000, 9_999_999), "tens of millions": (20_000_000, 99_999_999),
    "hundreds of millions": (200_000_000, 999_999_999),
}  # fmt: skip
# "several hundred", "a few dozen": multiplier bands times the unit
_MULT = {"several": (3, 9), "a few": (2, 5), "a couple of": (2, 3), "a couple": (2, 3)}
_MULT_UNITS = {"dozen": 12, "hundred": 100, "thousand": 1_000, "million": 1_000_000}
_VAGUE_RX = re.compile(
    r"^(?:(?P<mult>several|a few|a couple of|a couple)\s+(?P<unit>dozen|hundred|thousand|million)"
    r"|(?P<phrase>" + "|".join(re.escape(v) for v in sorted(VAGUE, key=len, reverse=True)) + r"))"
    r"(?:\s+of)?\b",
)
_DIGITS = re.compile(
    r"^(?P<num>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?P<scale>\s*(?:thousand|million|billion|bn|mn|k|m)\b)?"
)
_RANGE = re.compile(r"^(?:between\s+)?(?P<a>.+?)\s*(?:-|–|—|\bto\b|\band\b|\bor\b)\s*(?P<b>.+)$")
_DATE_LIKE = re.compile(r"^\d{1,2}[./]\d{1,2}[./]\d{2,4}$|^\d{4}-\d{2}-\d{2}$")
_TOKEN = re.compile(r"[a-z]+|\d[\d,]*(?:\.\d+)?")


def parse_number(text: str) -> tuple[float, int] | None:
    """Parse a leading number ("1,200", "1.5 million", "twenty-five", "half a million").

    Returns ``(value, characters consumed)`` or None.

    >>> parse_number("two hundred and fifty people")
    (250.0, 21)
    """
    s = text.lower()
    m = _DIGITS.match(s)
    if m:
        value = float(m["num"].replace(",", ""))
        if m["scale"]:
            value *= SCALES[m["scale"].strip()]
        return value, m.end()
    total = 0.0
    current = 0.0
    seen = False
    end = 0
    pos = 0
    half = False
    tokens = [(t.group(0), t.start(), t.end()) for t in re.finditer(r"[a-z]+", s)]
    for idx, (w, start, stop) in enumerate(tokens):
        gap = s[pos:start]
        if seen and gap.strip(" -") not in ("",):
            break
        nxt = tokens[idx + 1][0] if idx + 1 < len(tokens) else ""
        if w in UNITS:
            current += UNITS[w]
        elif w in TENS:
            current += TENS[w]
        elif w in ("a", "an") and nxt in ("hundred", "thousand", "million", "billion", "dozen"):
            current = max(current, 0.0)
            pos = stop
            continue
        elif w == "half" and not seen and nxt in ("a", "an"):
            half = True
            pos = stop
            continue
        elif w == "and" and seen:
            if nxt == "a" and idx + 2 < len(tokens) and tokens[idx + 2][0] == "half":
                current += 0.5
                pos = tokens[idx + 2][2]
                # skip the "a half" tokens
                tokens[idx + 1] = ("", 0, 0)
                tokens[idx + 2] = ("", 0, 0)
                end = pos
                continue
            if nxt in UNITS or nxt in TENS:
                pos = stop
                continue
            break
        elif w == "" and seen:
            continue
        elif w == "dozen":
            current = max(current, 1.0) * 12
        elif w == "hundred":
            current = max(current, 1.0) * 100
        elif w in ("thousand", "million", "billion"):
            total += max(current, 1.0) * SCALES[w]
            current = 0.0
        else:
            break
        seen = True
        end = stop
        pos = stop
    if not seen:
        return None
    value = total + current
    if half:
        value *= 0.5
    return value, end


def _band(cls: str, n: float) -> tuple[float | None, float | None]:
    integer = float(n).is_integer()
    if cls == "min":
        return n, None
    if cls == "above":
        return (n + 1 if integer else n), None
    if cls == "just_above":
        return (n + 1 if integer else n), round(n * (1 + APPROX_BAND))
    if cls == "approx":
        return round(n * (1 - APPROX_BAND)), round(n * (1 + APPROX_BAND))
    if cls == "below_approx":
        return round(n * (1 - APPROX_BAND)), n
    if cls == "below":
        return None, (n - 1 if integer else n)
    if cls == "max":
        return None, n
    return n, n


def _num(v: float) -> float:
    return float(int(v)) if float(v).is_integer() else v


def _vague(s: str) -> tuple[int, int, str, int] | None:
    m = _VAGUE_RX.match(s)
    if not m:
        return None
    if m["mult"]:
        lo, hi = _MULT[m["mult"]]
        unit = _MULT_UNITS[m["unit"]]
        return lo * unit, hi * unit, f"{m['mult']} {m['unit']}", m.end()
    lo, hi = VAGUE[m["phrase"]]
    return lo, hi, m["phrase"], m.end()


def _range(a_text: str, b_text: str) -> tuple[float, float] | None:
    """'80' and '100'; '1.5' and '2 million' (the second's scale applies to both)."""
    a, b = parse_number(a_text), parse_number(b_text)
    if a is None or b is None or a[1] != len(a_text) or b[1] != len(b_text):
        return None
    lo, hi = a[0], b[0]
    scale = re.search(r"\b(thousand|million|billion)\b", b_text)
    if scale and not re.search(r"[a-z]{2,}$", a_text) and lo < 1000 <= hi:
        lo *= SCALES[scale.group(1)]
    return (_num(lo), _num(hi)) if lo < hi else None


@lru_cache(maxsize=16384)
def _parse(text: str) -> Quantity | None:
    s = re.sub(r"\s+", " ", text.strip().lower().replace("–", "-").replace("—", "-")).strip(
        " ,.;:()"
    )
    if not s or _DATE_LIKE.match(s):
        return None
    qual = None
    m = _QUAL_RX.match(s)
    if m:
        qual = m["q"]
        s = s[m.end() :]
    if s.endswith(" or so"):
        qual, s = qual or "or so", s[:-6]
    vague = _vague(s)
    if vague is not None:
        lo, hi, phrase, _ = vague
        if qual and QUALIFIERS[qual] in ("min", "above"):
            return Quantity(float(lo), float(lo), None, f"{qual} {phrase}", text)
        return Quantity(float(lo), float(lo), float(hi), phrase, text)
    rng = _RANGE.match(s) if qual is None else None
    if rng:
        found = _range(rng["a"].strip(), rng["b"].strip())
        if found is not None:
            lo_v, hi_v = found
            return Quantity(_num((lo_v + hi_v) / 2), lo_v, hi_v, "between", text)
    n = parse_number(s)
    if n is None:
        return None
    value = _num(n[0])
    if qual is None:
        return Quantity(value, value, value, None, text)
    b_lo, b_hi = _band(QUALIFIERS[qual], value)
    return Quantity(
        value,
        _num(b_lo) if b_lo is not None else None,
        _num(b_hi) if b_hi is not None else None,
        qual,
        text,
    )


def parse_quantity(text: str) -> Quantity | None:
    """Parse a count with its qualifier; None when the text holds no count.

    >>> q = parse_quantity("at least 91")
    >>> (q.value, q.low, q.high, q.qualifier)
    (91.0, 91.0, None, 'at least')
    """
    if not text or len(text) > 80:
        return None
    return _parse(text)
