"""Place resolution: pure look-ups, context disambiguation, and the seeds accuracy gate."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from rashomon.annotate.places import Place, country_name, key, resolve_place, skeleton
from seed_helpers import seed_value_mentions

GOLD = Path(__file__).resolve().parents[1] / "eval" / "gold" / "seeds_places.yaml"
PLACES_P_FLOOR = 0.90
PLACES_R_FLOOR = 0.90


@pytest.mark.parametrize(
    ("name", "country", "precision"),
    [
        ("Damascus", "SY", "city"),
        ("Kerman", "IR", "city"),
        ("Beirut", "LB", "city"),
        ("Tel Aviv", "IL", "city"),
        ("Shujayeh", "PS", "city"),
        ("Shujaiya", "PS", "city"),
        ("Shuja'iyya", "PS", "city"),
        ("the Gaza Strip", "PS", "region"),
        ("Gaza", "PS", "region"),
        ("Gaza City", "PS", "city"),
        ("West Bank", "PS", "region"),
        ("Nagorno-Karabakh", "AZ", "region"),
        ("Donbas", "UA", "region"),
        ("Crimea", "UA", "region"),
        ("Golan Heights", "SY", "region"),
        ("Sinai", "EG", "region"),
        ("Darfur", "SD", "region"),
        ("Idlib", "SY", "region"),
        ("Anatolia", "TR", "region"),
        ("US", "US", "country"),
        ("U.S.", "US", "country"),
        ("Great Britain", "GB", "country"),
        ("Palestine", "PS", "country"),
        ("Iran", "IR", "country"),
        ("Washington", "US", "city"),
        ("Bagdad", "IQ", "city"),
        ("Kiev", "UA", "city"),
        ("California", "US", "region"),
    ],
)
def test_resolve_known_places(name: str, country: str, precision: str) -> None:
    p = resolve_place(name)
    assert p is not None, name
    assert (p.country, p.precision) == (country, precision), p


def test_cross_border_regions_have_no_country() -> None:
    p = resolve_place("the Middle East")
    assert p == Place("Middle East", None, 29.0, 42.0, "region", None)


def test_context_prefers_article_countries_but_not_blindly() -> None:
    # Damascus stays in Syria even in an article mostly about the US
    assert resolve_place("Damascus", ["US", "SY"]).country == "SY"  # type: ignore[union-attr]
    assert resolve_place("Kerman", ["US", "IL"]).country == "IR"  # type: ignore[union-attr]
    # "Georgia" in an article about the US is the state
    assert resolve_place("Georgia").country == "GE"  # type: ignore[union-attr]
    assert resolve_place("Georgia", ["US"]).precision == "region"  # type: ignore[union-attr]


def test_geonames_fields_and_coordinates() -> None:
    p = resolve_place("Kerman")
    assert p is not None and p.geonames_id == 128234
    assert p.lat is not None and 29 < p.lat < 31 and p.lon is not None and 56 < p.lon < 58
    c = resolve_place("Lebanon")
    assert c is not None and c.precision == "country" and c.lat is not None  # capital's point


def test_misses_and_noise() -> None:
    for junk in ("", "n’t", "Daesh", "Counterpunch", "Zionist entity", "12"):
        assert resolve_place(junk) is None, junk


def test_fuzzy_fallback_is_strict() -> None:
    assert resolve_place("Damascuss").country == "SY"  # type: ignore[union-attr]
    assert resolve_place("Arouri") is None


def test_keys() -> None:
    assert key("the Nagorno-Karabakh") == "nagorno karabakh"
    assert key("Türkiye") == "turkiye"
    assert skeleton(key("Shujayeh")) == skeleton(key("Shujaiyeh")) == skeleton(key("Shuja'iyya"))
    assert country_name("PS") == "Palestinian Territory"


# --- the seeds gate -----------------------------------------------------------------


def score_places(seeds_dir: Path) -> tuple[float, float, list[str]]:
    gold = yaml.safe_load(GOLD.read_text("utf-8"))["articles"]
    tp = n_pred = n_gold = 0
    errors: list[str] = []
    mentions = seed_value_mentions(str(seeds_dir))
    for name, items in gold.items():
        want = {key(s): set(c if isinstance(c, list) else [c]) for s, c in items}
        got = {
            (key(m.text), m.country or "-")
            for m in mentions[name]
            if m.kind == "place" and m.place_name
        }
        n_pred += len(got)
        n_gold += len(want)
        for k, c in sorted(got):
            if c in want.get(k, ()):
                tp += 1
            else:
                errors.append(f"{name}: extra {k!r} -> {c}")
        for k, cs in want.items():
            if not any((k, c) in got for c in cs):
                errors.append(f"{name}: missed {k!r} ({'/'.join(sorted(cs))})")
    return tp / max(n_pred, 1), tp / max(n_gold, 1), errors


@pytest.mark.model
@pytest.mark.shared
def test_seeds_places_gate(seeds_dir: Path) -> None:
    p, r, errors = score_places(seeds_dir)
    print(f"\nplaces on the seeds: precision {p:.3f} recall {r:.3f}")
    for e in errors:
        print("  " + e)
    assert p >= PLACES_P_FLOOR and r >= PLACES_R_FLOOR, errors


# ---- place in the article's own context (issue 12 item 3) ---------------------------

from rashomon.annotate.places import (  # noqa: E402
    PlaceContext,
    article_place_context,
    dateline,
    state_code,
    text_states,
)


def test_york_in_a_pennsylvania_paper_is_york_pa() -> None:
    text = "Two men were wounded in a shooting on Sunday night, police said."
    ctx = article_place_context(text, "ydr.com")  # the registry: York Daily Record, US-PA
    york = resolve_place("York", context=ctx)
    assert york is not None and york.country == "US" and 39.8 < (york.lat or 0) < 40.1
    assert resolve_place("York").country == "GB"  # type: ignore[union-attr]  # without context
    # the dateline alone says so too, with no outlet known
    ctx = article_place_context("YORK, Pa. — Two men were wounded, police said.", None)
    assert (ctx.countries[0], ctx.regions[0]) == ("US", "US-PA")
    assert resolve_place("York", context=ctx).country == "US"  # type: ignore[union-attr]


def test_strip_district_in_a_pittsburgh_paper_is_not_gaza() -> None:
    text = "PITTSBURGH — A man was shot near a bar in the Strip District early Saturday."
    ctx = article_place_context(text, "pittsburgh.cbslocal.com")
    for name in ("Strip District", "the Strip"):
        p = resolve_place(name, context=ctx)
        assert p is None or p.country == "US", (name, p)
    # in a Gaza context "the Strip" is still the Gaza Strip, and "Gaza Strip" always is
    gaza = article_place_context("GAZA CITY — Strikes hit the Strip overnight.", None, ["PS", "IL"])
    assert resolve_place("the Strip", context=gaza).name == "Gaza Strip"  # type: ignore[union-attr]
    assert resolve_place("Gaza Strip", context=ctx).name == "Gaza Strip"  # type: ignore[union-attr]


def test_datelines() -> None:
    assert dateline("KERMAN, Iran — Two blasts") == ("Kerman", None, "IR")
    assert dateline("Please enable Javascript\n\nGAINESVILLE, Fla. (AP) — A man") == ("Gainesville", "FL", "US")
    assert dateline("HARRISBURG, Pa. -- The") == ("Harrisburg", "PA", "US")
    assert dateline("Police said on Sunday, Pa. residents — were") is None
    ctx = article_place_context("KERMAN, Iran — Two blasts near the cemetery.", None, ["US"])
    assert ctx.countries[0] == "IR"
    assert resolve_place("Kerman", context=ctx).country == "IR"  # type: ignore[union-attr]


def test_states_named_in_the_text_and_after_a_mention() -> None:
    assert state_code("Pa.") == state_code("Pennsylvania") == "PA"
    assert text_states("It happened in Ohio. Later, in Columbus, Ohio, and Erie, Pa., too.") == ["OH", "PA"]
    text = "LOUISVILLE, Ky. — A man was shot in Georgetown, Ind., on Sunday."
    ctx = article_place_context(text, None)
    end = text.index("Georgetown") + len("Georgetown")
    g = resolve_place("Georgetown", context=ctx.for_mention(text, end))
    assert g is not None and g.country == "US" and -86.1 < (g.lon or 0) < -85.8  # Indiana, by Louisville
    assert ctx.for_mention(text, 5) is ctx  # no state after it: unchanged


def test_a_local_paper_does_not_send_a_neighbourhood_to_another_state() -> None:
    ctx = PlaceContext(countries=("US",), regions=("US-IL",), home=True)
    # a small town of another state is more likely a neighbourhood the gazetteer lacks
    assert resolve_place("Hesston", context=ctx) is None  # a Kansas town, in an Illinois paper
    englewood = resolve_place("Englewood", context=ctx)  # Chicago's, not Colorado's
    assert englewood is not None and 41.6 < (englewood.lat or 0) < 42.0
    # a big city of another state, or a place of the home state, still resolves
    assert resolve_place("Dallas", context=ctx).country == "US"  # type: ignore[union-attr]
    assert resolve_place("Peoria", context=ctx).country == "US"  # type: ignore[union-attr]
    # and without a home region nothing changes
    assert resolve_place("Hesston", context=PlaceContext(countries=("US",))) is not None


def test_value_mentions_use_the_article_context(nlp) -> None:  # type: ignore[no-untyped-def]
    from rashomon.annotate.values import value_mentions
    from rashomon.model import Article

    text = (
        "YORK, Pa. — Two men were wounded in a shooting in York on Sunday night, police said. "
        "Officers from York and nearby Springettsbury Township responded to the scene."
    )
    art = Article(text=text, domain="example-local-news.test")
    york = [m for m in value_mentions(nlp(text), art) if m.kind == "place" and m.text == "York"]
    assert york and all(m.country == "US" for m in york)


def test_packed_index_keeps_missing_values() -> None:
    import marshal

    from rashomon.annotate import places as P

    raw = {"names": ["A", "B"], "ccs": ["US", None], "lats": [1.5, None], "lons": [-2.25, None],
           "pops": [10, 0], "gids": [7, None], "tiers": [P._CITY, P._CONTINENT], "capital": [True, False],
           "adm1": ["PA", ""], "exact": {}, "skel": {}, "fuzzy": []}  # fmt: skip
    ix = P._unpack(marshal.loads(marshal.dumps(P._pack(raw))))
    a, b = P._place(ix, 0), P._place(ix, 1)
    assert (a.lat, a.lon, a.geonames_id, a.country) == (1.5, -2.25, 7, "US")
    assert (b.lat, b.lon, b.geonames_id, b.country) == (None, None, None, None)
    assert ix["pops"][0] == 10 and ix["capital"][0] and not ix["capital"][1]
    assert P._near_bonus(ix["lats"][1], ix["lons"][1], (0.0, 0.0)) == 0.0


def test_demonym_before_place_kind_names_the_country() -> None:
    from rashomon.annotate.nlp import load_nlp, text_doc
    from rashomon.annotate.values import value_mentions
    from rashomon.model import Article

    nlp = load_nlp()

    def places(text: str) -> list[tuple[str, str | None]]:
        doc = nlp(text_doc(nlp, text))
        return [(m.text, m.country) for m in value_mentions(doc, Article(text=text, published="2022-11-14"))
                if m.kind == "place"]  # fmt: skip

    # GeoNames' towns list has a Bali in India but not the Indonesian island
    assert ("Bali", "ID") in places("The president landed in the Indonesian resort island of Bali on Monday.")
    assert ("Aleppo", "SY") in places("Rebels shelled the Syrian city of Aleppo on Monday.")


def test_key_table_answers_like_the_dict_it_replaces() -> None:
    import marshal
    import random

    from rashomon.annotate.places import KeyTable

    rng = random.Random(3)
    d = {"".join(rng.choice("abcdefgh ") for _ in range(rng.randint(2, 9))):
         tuple(rng.randint(0, 470_000) for _ in range(rng.randint(1, 4))) for _ in range(3000)}  # fmt: skip
    t = KeyTable.from_bytes(marshal.loads(marshal.dumps(KeyTable.from_dict(d).to_bytes())))
    assert len(t) == len(d)
    assert all(t.get(k) == v and k in t and t[k] == v for k, v in d.items())
    probes = ["".join(rng.choice("abcdefgh ") for _ in range(rng.randint(2, 9))) for _ in range(3000)]
    assert all((p in t) == (p in d) and t.get(p) == d.get(p) for p in probes)
    assert 42 not in t and t.get("no such place") is None
    with pytest.raises(KeyError):
        t["no such place"]


def test_packed_index_tables_round_trip() -> None:
    import marshal

    from rashomon.annotate import places as P

    raw = {"names": ["Kerman", "Kermanshah"], "ccs": ["IR", "IR"], "lats": [30.3, 34.3],
           "lons": [57.1, 47.1], "pops": [500, 900], "gids": [1, 2], "tiers": [P._CITY, P._CITY],
           "capital": [False, False], "adm1": ["", ""], "exact": {"kerman": (0, 3), "kermanshah": (2,)},
           "skel": {"krmn": (0, 1)}, "fuzzy": ["kermanshah"]}  # fmt: skip
    ix = P._unpack(marshal.loads(marshal.dumps(P._pack(raw))))
    assert ix["exact"].get("kerman") == (0, 3) and ix["exact"]["kermanshah"] == (2,)
    assert ix["skel"]["krmn"] == (0, 1) and "krm" not in ix["skel"]


def test_us_city_state_names_only_large_cities() -> None:
    from rashomon.annotate.places import us_city_state

    assert us_city_state("York") == "Pennsylvania" and us_city_state("Kerman") is None
    # a small-town name is shared by too many places to pick a state from the name alone
    assert us_city_state("Newtown") is None
