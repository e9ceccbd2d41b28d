"""Reconciliation rules ``rashomon.reconcile.v3``: per story and slot, status and range.

A *source* is an independent voice: an outlet, folded together with every outlet of the
same owner or state (the outlet registry's independence key) and with the articles its
copy was republished in (near-duplicates point to the earliest publication).

Each source's *current* value is taken from its latest article (by publication date);
inside one article that states several figures ("risen to 12 ... earlier, 11"), the
current one is the figure stated most often, preferring one stated with a revision cue
("rose to", "now") over one marked as superseded ("earlier", "initially"), then the
first stated. An article that states two figures is a revision inside that article,
never a conflict between sources.

Counts are compared as intervals, not as bare numbers:

=========================  ====================================================
value as written           interval
=========================  ====================================================
"91"                       [91, 91]
"at least / more than 84"  [84, inf)   (a floor)
"under / up to / nearly N" [0.9 N, N]  ("nearly" and "under" are just below N)
"about / around N"         [0.95 N, 1.05 N]  (an estimate)
"dozens", "hundreds"       the band (24-99, 200-999, ...)
"between 100 and 300"      [100, 300]
=========================  ====================================================

Two values are *compatible* when their intervals overlap, with one exception: a floor
and an estimate are two sources' different counts, so "at least 91" and "about 100" are
compatible only if the estimate's interval holds the floor. An exact figure above an
earlier floor ("at least 84", then 91) is the count growing, which is compatible; so is
any figure reported on a later day that is not below an earlier day's figure (34 killed
on the day, 100 the next: the toll rose between the reports). A later figure below an
earlier one, or two undated figures, are compared as they stand.

Statuses, per slot:

* ``conflicting``: two independent sources' current values are incompatible;
* ``corroborated``: at least two independent sources, every current value compatible,
  and at least two of them equal (a source that revised its figure is named);
* ``revised``: the values differ but can all be true: one source's figure changed over
  time, or different sources give different compatible figures (floors, bands, a toll
  rising through the day); the explanation lists them in order;
* ``single_source``: one source only.

Other slots are compared by meaning, not by string (so that a story never shows red
where the accounts can all be true):

* actors (perpetrator, claimed, blamed): the same actor, one a part of the other
  ("Russian Armed Forces" and "Russia"; "ISIS-K" and "Islamic State"), or two organs of
  one state ("Russian Ministry of Defence" and "Russian Armed Forces") *agree*;
* denials never conflict: two sources reporting two different denials can both be right;
* places: one place inside the other's country when that is all it names ("Peshawar"
  and "Pakistan") is compatible, though it does not corroborate;
* dates: the same day at two precisions agrees ("2024-01" and "2024-01-03"); days one
  apart are compatible (time zones, overnight events, "late on Monday");
* methods: close descriptions of one attack are compatible ("air/drone strike" and
  "missile/shelling"; a "vehicle bomb" and a suicide bombing or planted explosives); a
  suicide bombing and planted explosives are not.

Two sources whose values differ but are all compatible make the slot ``revised`` (the
values differ but can all be true), not ``conflicting``.

Counts (killed, injured) also get ``low`` / ``best`` / ``high``, following UCDP practice
(Sundberg & Melander 2013; UCDP GED codebook): every figure is kept; superseded figures
do not bound the range; ``low`` and ``high`` are the lowest and highest of the sources'
current figures; ``best`` is

1. ``official-latest``: the most recent figure attributed to an official source (a
   state, government, ministry, armed force or agency, a person in an office such as
   "Health Minister X", or unnamed "officials"), unless
   another source's current figure is dated later (the officials' count is then
   superseded); of several official figures of one date, one stated as an update
   ("rose to") first, then the one most sources give, then the lowest; an official
   band or range ("dozens", per the police) counts only when no source gives an exact
   figure or floor; else
2. ``corroborated``: the exact figure or floor that the most independent sources
   currently give, when at least two do and no other figure has as many (three outlets
   say 4 wounded, one says 2 and another 5: 4), else
3. ``conservative``: the lowest count that all the sources' current figures allow.
   Floors ("at least 84") and people described rather than counted ("a 6-year-old boy
   was killed", "the victim": at least one) are lower bounds, so the count is at least
   the highest of them; ``best`` is the lowest exact figure or estimate at or above that
   bound ("at least 84" and 91: 91; "a man was wounded" and "three people were shot":
   3), else the bound itself; a band such as "dozens" is used only when no source gives
   a number. When the sources conflict, it is the lowest of their current figures.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from rashomon.annotate.quantities import QUALIFIERS, parse_number
from rashomon.model import COUNT_SLOTS, SlotReconciliation, SlotValue

VERSION = "rashomon.reconcile.v4"
OFFICIAL_KINDS = frozenset({"state", "government", "armed_force", "intelligence", "agency", "ministry", "igo"})
OFFICIAL_WORDS = ("official", "ministry", "authorities", "government", "governor", "police", "health")
ESTIMATE_BAND = 0.05  # "about N" is compared as [0.95 N, 1.05 N]
NEARLY_BAND = 0.10  # "nearly N" as [0.9 N, N]
NAMED_SLOTS = frozenset({"perpetrator", "responsibility_claimed_by", "blamed", "denied_by", "place"})
_UPDATE_CUE = re.compile(r"\b(rose|risen|rises|climbed|climbs|increased|jumped|reached|now|latest|updated|revised|new toll)\b", re.I)
_STALE_CUE = re.compile(r"\b(earlier|previous(ly)?|initial(ly)?|first put|had said|originally|before)\b", re.I)

SourceKey = Callable[[SlotValue], str]


def _num_text(v: float | None) -> str:
    if v is None:
        return "?"
    return f"{int(v):,}" if float(v).is_integer() else f"{v:g}"


def display(v: SlotValue, slot: str | None = None) -> str:
    """'at least 91', 'about 100', 'dozens', 'suicide bombing', 'Islamic State'."""
    if v.value_num is not None:
        if v.value_name and not written_number(v.value_name):
            return v.value_name  # "dozens", "tens of thousands": as written
        q = f"{v.qualifier} " if v.qualifier else ""
        return f"{q}{_num_text(v.value_num)}"
    if slot is None or slot in NAMED_SLOTS:
        return v.value_name or v.value
    return v.value


@dataclass(frozen=True, slots=True)
class CountInterval:
    """What a reported count allows: ``kind`` is exact / floor / estimate / cap / band."""

    kind: str
    low: float
    high: float
    value: float


_AGE = re.compile(r"\d+\s*-?\s*(?:years?|months?|weeks?|days?)\s*-?\s*old|\b(?:aged?|ages)\s+\d+|,\s*\d+\b", re.I)


def written_number(name: str | None) -> bool:
    """Whether a value's words state a number ("84", "3 people"); a person's age does not
    ("a 17-year-old boy", "Jamal Hill, 24": one person, described)."""
    return bool(name) and any(ch.isdigit() for ch in _AGE.sub(" ", name or ""))


_BAND_WORDS = re.compile(r"\b(dozens|scores|hundreds|thousands|millions|tens|several|few|handful|couple|many|numerous|some)\b", re.I)


def count_interval(v: SlotValue) -> CountInterval | None:
    """The interval a count value allows (see the module docstring's table)."""
    n = v.value_num
    if n is None:
        return None
    cls = QUALIFIERS.get((v.qualifier or "").lower())
    # no number written: a band ("dozens") or a count read off the words ("a man", "fatally"),
    # which a stated figure outranks; a number word ("three") is a figure like "3"
    band = bool(_BAND_WORDS.search(v.value_name or ""))
    vague = bool(v.value_name) and not written_number(v.value_name) and (
        band or parse_number((v.value_name or "").strip()) is None)
    if cls is None and v.low is not None and v.high is not None and v.high > v.low:
        return CountInterval("band", float(v.low), float(v.high), n)  # "dozens", "between 100 and 300"
    if vague and v.low is not None:
        if not band:
            # people described, not counted ("a 6-year-old boy was killed", "the victim"):
            # at least that many, so a source's "three killed" is no contradiction
            return CountInterval("band", float(v.low), math.inf, n)
        return CountInterval("band", float(v.low), float(v.high if v.high is not None else math.inf), n)
    if cls in {"min", "above"}:
        return CountInterval("floor", n + (1 if cls == "above" else 0), math.inf, n)
    if cls in {"approx", "just_above"}:
        return CountInterval("estimate", n * (1 - ESTIMATE_BAND), n * (1 + ESTIMATE_BAND), n)
    if cls == "below_approx":
        return CountInterval("estimate", n * (1 - NEARLY_BAND), n, n)
    if cls in {"below", "max"}:
        return CountInterval("cap", 0.0, n - (1 if cls == "below" else 0), n)
    return CountInterval("exact", n, n, n)


ACTOR_SLOTS = frozenset({"perpetrator", "responsibility_claimed_by", "blamed"})
# pairs of method values that can describe one attack (see the module docstring)
COMPATIBLE_METHODS = frozenset({
    frozenset({"air/drone strike", "missile/shelling"}),
    frozenset({"vehicle bomb", "suicide bombing"}),
    frozenset({"vehicle bomb", "planted explosives, remote detonation"}),
})


def compatible(slot: str, a: SlotValue, b: SlotValue) -> bool:
    """Can both values be true? Counts by interval; other slots by meaning."""
    if slot not in COUNT_SLOTS:
        if slot == "denied_by" or agree(slot, a, b):
            return True
        if slot == "date":
            return _days_apart(a.value, b.value) <= 1
        if slot == "method":
            return frozenset({a.value, b.value}) in COMPATIBLE_METHODS
        if slot == "place":
            return _place_within(a, b) or _place_within(b, a) or _place_near(a, b)
        return False
    ia, ib = count_interval(a), count_interval(b)
    if ia is None or ib is None:
        return True
    kinds = {ia.kind, ib.kind}
    if kinds == {"floor", "estimate"}:  # two counts: the estimate must hold the floor
        floor, est = (ia, ib) if ia.kind == "floor" else (ib, ia)
        return est.low <= floor.low <= est.high
    return max(ia.low, ib.low) <= min(ia.high, ib.high)


def rising(a: SlotValue, b: SlotValue) -> bool:
    """Two dated counts on different days where the later is not below the earlier: a
    toll that grew between reports (34 on the day, 100 the next), not a disagreement.
    A later figure below an earlier one stays a conflict; undated figures are compared
    as they stand."""
    if not a.as_of or not b.as_of or a.as_of[:10] == b.as_of[:10]:
        return False
    early, late = (a, b) if a.as_of[:10] < b.as_of[:10] else (b, a)
    ie, il = count_interval(early), count_interval(late)
    return ie is not None and il is not None and il.high >= ie.low


def agree(slot: str, a: SlotValue, b: SlotValue) -> bool:
    """The same value (counts: the same number and the same kind of figure)."""
    if slot in COUNT_SLOTS:
        ia, ib = count_interval(a), count_interval(b)
        return a.value_num == b.value_num and (ia is None or ib is None or ia.kind == ib.kind)
    if slot == "date":
        return a.value.startswith(b.value) or b.value.startswith(a.value)
    if a.value.strip().lower() == b.value.strip().lower():
        return True
    return slot in ACTOR_SLOTS and same_side(a.value, b.value)


@cache
def _lineage(actor_id: str) -> tuple[frozenset[str], frozenset[str]]:
    """(the actor and all its ancestors, the states among them) in the actor registry."""
    from rashomon.annotate.registry import load_registry

    reg = load_registry()
    seen: set[str] = set()
    todo = [actor_id]
    while todo:
        cur = todo.pop()
        if cur in seen:
            continue
        seen.add(cur)
        actor = reg.get(cur)
        if actor is not None:
            todo.extend(actor.parents)
    states = frozenset(x for x in seen if (reg.get(x) is not None and reg.actors[x].kind == "state"))
    return frozenset(seen), states


def same_side(a: str, b: str) -> bool:
    """One actor is part of the other, or both are organs of one state."""
    la, sa = _lineage(a)
    lb, sb = _lineage(b)
    return a in lb or b in la or bool(sa & sb)


def _days_apart(a: str, b: str) -> float:
    from datetime import date as _date

    try:
        da, db = _date.fromisoformat(a[:10]), _date.fromisoformat(b[:10])
    except ValueError:
        return math.inf  # a month or a year against something else: not "a day apart"
    return abs((da - db).days)


def story_date(dates: Sequence[str]) -> str | None:
    """The event date most of the accounts support: each date counts the dates that agree
    with it (the same day at another precision, or a day apart); ties go to the more
    precise, then the more often stated, then the earlier date. A stray date (a recalled
    event's "September 2013" in a 2023 report) never outvotes the accounts that agree."""
    if not dates:
        return None
    exact = Counter(dates)

    def support(d: str) -> int:
        return sum(n for e, n in exact.items() if e.startswith(d) or d.startswith(e) or _days_apart(d, e) <= 1)

    return min(exact, key=lambda d: (-support(d), -len(d), -exact[d], d))


def _country_of(v: SlotValue) -> str | None:
    m = re.search(r",\s*([A-Z]{2})$", v.value_name or "")
    return m[1] if m else None


def _place_within(inner: SlotValue, outer: SlotValue) -> bool:
    """``outer`` names only the country ``inner`` lies in ("Pakistan" for "Peshawar")."""
    from rashomon.annotate.places import country_name

    cc = _country_of(inner)
    if not cc or cc != _country_of(outer):
        return False
    names = {outer.value.strip().casefold(), (outer.value_name or "").split(",")[0].strip().casefold()}
    return (country_name(cc) or "").casefold() in names or _is_country_alias(outer.value, cc)


NEAR_KM = {"city": 3.0, "region": 60.0}


def _place_near(a: SlotValue, b: SlotValue) -> bool:
    """Two names of one area: a city and the region around it ("Rafah", "the Gaza Strip";
    "Majdal Shams", "the Golan Heights": the region's centre within 60 km), or two names
    of one town (within 3 km). A city and a region far from it still conflict."""
    pa, pb = _resolved(a), _resolved(b)
    if pa is None or pb is None or None in (pa.lat, pa.lon, pb.lat, pb.lon) or pa.country != pb.country:
        return False
    if "country" in (pa.precision, pb.precision):
        return False  # handled by _place_within
    limit = NEAR_KM["region"] if "region" in (pa.precision, pb.precision) else NEAR_KM["city"]
    return _km(pa.lat, pa.lon, pb.lat, pb.lon) <= limit


def _resolved(v: SlotValue) -> Any:
    from rashomon.annotate.places import resolve_place

    cc = _country_of(v)
    return resolve_place(v.value, (cc,) if cc else ())


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def _is_country_alias(name: str, cc: str) -> bool:
    from rashomon.annotate.places import resolve_place

    place = resolve_place(name, (cc,))
    return place is not None and place.precision == "country" and place.country == cc


def _outlet_key(v: SlotValue) -> str:
    return v.outlet or v.article_id


#: A person speaking in an office: "Health Minister Firas Abiad", "Police Chief X", "the
#: county coroner" (an official figure, as the ministry's or the police's own would be).
OFFICIAL_TITLE = re.compile(r"\b(minister|ministry|governor|mayor|sheriff|police|coroner|medical examiner|"
                            r"officials?|authorities)\b", re.I)


def is_official(v: SlotValue, actor_kinds: dict[str, str]) -> bool:
    if v.speaker_type == "actor":
        kind = actor_kinds.get(v.speaker_id or "", "")
        if kind in OFFICIAL_KINDS:
            return True
        return kind in {"person", ""} and bool(OFFICIAL_TITLE.search(v.speaker or ""))
    if v.speaker_type == "unnamed":
        return any(w in v.speaker.lower() for w in OFFICIAL_WORDS)
    return False


def _root(article_id: str, duplicates: Mapping[str, str]) -> str:
    seen = {article_id}
    while article_id in duplicates and duplicates[article_id] not in seen:
        article_id = duplicates[article_id]
        seen.add(article_id)
    return article_id


def _current_count(vs: Sequence[SlotValue]) -> SlotValue:
    """One article's current figure among the several it states."""
    counts = Counter(v.value_num for v in vs)
    first = {id(v): i for i, v in enumerate(vs)}

    def rank(v: SlotValue) -> tuple[int, int, int]:
        text = v.evidence_text or ""
        cue = 1 if _UPDATE_CUE.search(text) else (-1 if _STALE_CUE.search(text) else 0)
        return (-cue, -counts[v.value_num], first[id(v)])

    return min(vs, key=rank)


def reconcile_slot(
    slot: str,
    values: Sequence[SlotValue],
    *,
    duplicates: dict[str, str] | None = None,
    actor_kinds: dict[str, str] | None = None,
    source_key: SourceKey | None = None,
    source_name: SourceKey | None = None,
) -> SlotReconciliation:
    """Status, range and explanation of one slot from all reported values.

    ``duplicates`` maps an article to the article it republishes; ``source_key`` maps a
    value to its independent source (default: its outlet; the pipeline passes the
    outlet registry's owner/state key); ``source_name`` names it for the explanation."""
    duplicates = duplicates or {}
    actor_kinds = actor_kinds or {}
    key_of = source_key or _outlet_key
    present = {v.article_id: v for v in values}

    def src_of(v: SlotValue) -> str:
        root = _root(v.article_id, duplicates)
        return key_of(present[root]) if root != v.article_id and root in present else key_of(v)

    by_source: dict[str, list[SlotValue]] = defaultdict(list)
    for v in values:
        by_source[src_of(v)].append(v)

    named = source_name or (lambda v: v.outlet or "unknown outlet")

    def name(src: str) -> str:  # the outlets behind a source key, as readers know them
        return " / ".join(dict.fromkeys(named(v) for v in by_source[src]))

    current: dict[str, list[SlotValue]] = {}
    history: dict[str, list[str]] = {}
    revised_by: list[str] = []
    for src, vs in by_source.items():
        dated = sorted(vs, key=lambda v: v.as_of or "")  # stable: article order within a date
        last = dated[-1].as_of or ""
        newest = [v for v in dated if (v.as_of or "") == last]
        if slot in COUNT_SLOTS:
            by_article: dict[str, list[SlotValue]] = defaultdict(list)
            for v in newest:
                by_article[v.article_id].append(v)
            current[src] = [_current_count(x) for x in by_article.values()]
        else:
            current[src] = newest
        steps: list[str] = []
        for v in dated:
            if not steps or steps[-1] != display(v, slot):
                steps.append(display(v, slot))
        if slot in COUNT_SLOTS and len({v.value_num for v in dated}) > 1:
            revised_by.append(name(src))
            history[src] = steps

    disagree = _sources_conflict(slot, current)
    latest_values = [v for src in sorted(current) for v in current[src]]
    n_sources = len(current)
    agreeing = any(
        agree(slot, a, b)
        for s1, s2 in _pairs(sorted(current))
        for a in current[s1]
        for b in current[s2]
    )
    differ = any(not agree(slot, a, b) for i, a in enumerate(latest_values) for b in latest_values[i + 1:])
    if disagree:
        status = "conflicting"
    elif n_sources >= 2 and agreeing:
        status = "corroborated"
    elif revised_by or (differ and (slot in COUNT_SLOTS or n_sources >= 2)):
        status = "revised"
    else:
        status = "single_source"

    rec = SlotReconciliation(slot=slot, status=status, values=list(values))  # type: ignore[arg-type]
    parts = []
    for src in sorted(current):
        shown = " → ".join(history[src]) if src in history else "; ".join(dict.fromkeys(display(v, slot) for v in current[src]))
        parts.append(f"{name(src)}: {shown}")
    verdict = {
        "conflicting": "sources disagree",
        "revised": ("revised over time by " + ", ".join(revised_by)) if revised_by and not differ
        else ("different figures that can all be true (floors, bands or a rising count)" if slot in COUNT_SLOTS
              else "different values that can all be true (one more specific, or close descriptions)"),
        "corroborated": "independent sources agree",
        "single_source": "one source only",
    }[status]
    if status in {"conflicting", "corroborated"} and revised_by:
        verdict += "; revised over time by " + ", ".join(revised_by)
    rec.explanation = "; ".join(parts) + ": " + verdict

    if slot in COUNT_SLOTS:
        # how many independent sources currently give each figure (exact figures and floors)
        backing = Counter(x for vs in current.values() for x in {v.value_num for v in vs if v.value_num is not None and (
            count_interval(v) or CountInterval("exact", 0, 0, 0)).kind in {"exact", "floor"}})
        _count_range(rec, latest_values, actor_kinds, backing)
    return rec


def _pairs(items: Sequence[str]) -> list[tuple[str, str]]:
    return [(a, b) for i, a in enumerate(items) for b in items[i + 1:]]


def _sources_conflict(slot: str, current: Mapping[str, Sequence[SlotValue]]) -> bool:
    """Two independent sources whose current values cannot both be true."""
    for s1, s2 in _pairs(sorted(current)):
        if slot in COUNT_SLOTS:
            if any(not compatible(slot, a, b) and not rising(a, b) for a in current[s1] for b in current[s2]):
                return True
        elif not any(compatible(slot, a, b) for a in current[s1] for b in current[s2]):
            return True  # nothing in common: "suicide bombers" vs "planted explosives"
    return False


def _is_range(v: SlotValue) -> bool:
    """A value that allows several counts ("dozens", "between 100 and 300")."""
    iv = count_interval(v)
    return iv is not None and iv.kind == "band" and iv.high > iv.low


def _count_range(rec: SlotReconciliation, latest_values: Sequence[SlotValue], actor_kinds: dict[str, str],
                 backing: Mapping[float, int] | None = None) -> None:
    nums = [v for v in latest_values if v.value_num is not None]
    if not nums:
        return
    rec.low = min(v.value_num for v in nums if v.value_num is not None)
    rec.high = max(v.value_num for v in nums if v.value_num is not None)
    firm = [v for v in nums if (count_interval(v) or CountInterval("exact", 0, 0, 0)).kind in {"exact", "floor", "estimate"}]
    # a band or range ("dozens", per the police) is no official figure to report while
    # some source states one: it would put its lower bound (24) over four outlets' 81.
    # (A count read off the police's words, "the boy", is one person, not a range.)
    official = [v for v in nums if is_official(v, actor_kinds) and not (firm and _is_range(v))]
    newest_any = max((v.as_of or "") for v in nums)
    newest = max((v.as_of or "" for v in official), default="")
    # an official figure older than another source's current one is superseded: the toll
    # of the day after ("170", three outlets) is not the officials' first count ("72")
    if official and not (newest and newest_any and newest < newest_any):
        same = [v for v in official if (v.as_of or "") == newest]
        # several official figures of one date (or all undated): one stated as an update
        # ("the toll rose to 40") over one that is not ("21 had died"), then the one
        # most sources give, then the lowest
        cued = [v for v in same if _UPDATE_CUE.search(v.evidence_text or "")]
        pool_o = cued or same
        pick = min(pool_o, key=lambda v: (-(backing or {}).get(v.value_num or 0, 0), v.value_num or 0))
        rec.best, rec.rule = pick.value_num, "official-latest: the most recent figure from an official source"
        return
    if backing:
        top = max(backing.values())
        tops = [x for x, n in backing.items() if n == top]
        if top >= 2 and len(tops) == 1:
            rec.best = tops[0]
            rec.rule = "corroborated: the figure most independent sources currently give (no official figure)"
            return
    if rec.status == "conflicting":  # the sources disagree: the lowest figure any of them gives
        pool = firm or nums
        rec.best = min(v.value_num for v in pool if v.value_num is not None)
        rec.rule = "conservative: the lowest of the sources' latest figures (they conflict; no official figure)"
        return
    rec.best = conservative(nums)
    rec.rule = "conservative: the lowest count all the sources' latest figures allow (no official figure)"


def conservative(values: Sequence[SlotValue]) -> float | None:
    """The lowest count that every current figure allows: floors ("at least 84") and
    people described rather than counted ("a 6-year-old boy", "the victim": at least one)
    are lower bounds, so the count is at least the highest of them; of the exact figures
    and estimates, the lowest one at or above that bound (else the lowest of them: the
    sources disagree). A band ("dozens") is used only when no source gives a number."""
    ivs = [(v, count_interval(v) or CountInterval("exact", 0, 0, 0)) for v in values if v.value_num is not None]
    if not ivs:
        return None
    firm = [(v, iv) for v, iv in ivs if iv.kind in {"exact", "estimate"}]
    floors = [(v, iv) for v, iv in ivs if iv.kind == "floor" or (iv.kind == "band" and iv.high == math.inf
                                                                    and not _BAND_WORDS.search(v.value_name or ""))]
    if not firm and not floors:
        return min(float(v.value_num) for v, _ in ivs if v.value_num is not None)
    bound = max((float(v.value_num) for v, _ in floors if v.value_num is not None), default=-math.inf)
    above = [float(v.value_num) for v, _ in firm if v.value_num is not None and v.value_num >= bound]
    if above:
        return min(above)
    if firm:
        return min(float(v.value_num) for v, _ in firm if v.value_num is not None)
    return bound


def responsibility_matrix(values_by_slot: Mapping[str, Sequence[SlotValue]], hedges: Mapping[str, bool]) -> list[dict[str, Any]]:
    """Who claimed it, who blamed whom, who denied, who attributed it to whom: per source."""
    relation = {
        "responsibility_claimed_by": "claimed",
        "blamed": "blamed",
        "denied_by": "denied",
        "perpetrator": "attributed",
    }
    rows: list[dict[str, Any]] = []
    for slot, rel in relation.items():
        for v in values_by_slot.get(slot, []):
            # target: the actor the relation is about (who claimed, who denied, who is
            # blamed or said to have done it); speaker: who says so
            actor_name = v.value_name or v.value
            speaker, speaker_type, target, target_id = v.speaker, v.speaker_type, actor_name, v.value
            rows.append({
                "outlet": v.outlet, "article_id": v.article_id, "speaker": speaker,
                "speaker_type": speaker_type, "relation": rel, "target": target,
                "target_id": target_id,
                "hedged": hedges.get(v.fact_id, False), "evidence_text": v.evidence_text,
                "evidence_start": v.evidence_start, "evidence_end": v.evidence_end,
            })
    return rows
