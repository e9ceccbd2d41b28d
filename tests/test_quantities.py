"""Quantity parsing: qualifiers, bands, number words, ranges, and the seeds gate."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml

from rashomon.annotate.quantities import parse_number, parse_quantity
from seed_helpers import counter_prf, seed_value_mentions

GOLD = Path(__file__).resolve().parents[1] / "eval" / "gold" / "seeds_quantities.yaml"
QTY_P_FLOOR = 0.85
QTY_R_FLOOR = 0.95


@pytest.mark.parametrize(
    ("text", "value", "low", "high", "qualifier"),
    [
        ("at least 91", 91, 91, None, "at least"),
        ("about 100", 100, 90, 110, "about"),
        ("around 13,500", 13500, 12150, 14850, "around"),
        ("some 50", 50, 45, 55, "some"),
        ("nearly 1,000", 1000, 900, 1000, "nearly"),
        ("almost 23,000", 23000, 20700, 23000, "almost"),
        ("over 200", 200, 201, None, "over"),
        ("more than 500", 500, 501, None, "more than"),
        ("up to 30", 30, None, 30, "up to"),
        ("fewer than 10", 10, None, 9, "fewer than"),
        ("dozens", 24, 24, 99, "dozens"),
        ("scores", 40, 40, 199, "scores"),
        ("hundreds", 200, 200, 999, "hundreds"),
        ("thousands", 2000, 2000, 9999, "thousands"),
        ("tens of thousands", 20000, 20000, 99999, "tens of thousands"),
        ("several hundred", 300, 300, 900, "several hundred"),
        ("half a million", 500000, 500000, 500000, None),
        ("a dozen", 12, 12, 12, None),
        ("two", 2, 2, 2, None),
        ("twenty-five", 25, 25, 25, None),
        ("two hundred and fifty", 250, 250, 250, None),
        ("one and a half million", 1_500_000, 1_500_000, 1_500_000, None),
        ("91", 91, 91, 91, None),
        ("1,200", 1200, 1200, 1200, None),
        ("1.5 million", 1_500_000, 1_500_000, 1_500_000, None),
        ("between 80 and 100", 90, 80, 100, "between"),
        ("80-100", 90, 80, 100, "between"),
        ("1.5 to 2 million", 1_750_000, 1_500_000, 2_000_000, "between"),
        ("more than a dozen", 12, 13, None, "more than"),
    ],
)
def test_parse_quantity(
    text: str, value: float, low: float | None, high: float | None, qualifier: str | None
) -> None:
    q = parse_quantity(text)
    assert q is not None, text
    assert (q.value, q.low, q.high, q.qualifier) == (value, low, high, qualifier)
    assert q.text == text


@pytest.mark.parametrize("text", ["", "the", "fourth", "21.01.2024", "2024-01-21", "people"])
def test_not_quantities(text: str) -> None:
    assert parse_quantity(text) is None


def test_parse_number_reports_what_it_consumed() -> None:
    assert parse_number("two hundred and fifty people") == (250.0, 21)
    assert parse_number("5,000 injured") == (5000.0, 5)


@pytest.mark.model
def test_value_mentions_take_the_qualifier_into_the_span(nlp) -> None:
    from rashomon.annotate.values import value_mentions
    from rashomon.model import Article

    text = "Officials said more than 40 people died and dozens of others were hurt in Kerman on Tuesday."
    art = Article(text=text, published="2024-01-21", published_precision="day")
    ms = value_mentions(nlp(text), art)
    for m in ms:
        assert text[m.span.start : m.span.end] == m.text and m.span.article_id == art.id
    qs = {m.text: m for m in ms if m.kind == "quantity"}
    assert qs["more than 40"].qualifier == "more than" and qs["more than 40"].low == 41
    assert qs["dozens"].low == 24
    places = [m for m in ms if m.kind == "place"]
    assert [(m.text, m.country) for m in places] == [("Kerman", "IR")]
    dates = [m for m in ms if m.kind == "date"]
    assert [(m.text, m.date) for m in dates] == [("Tuesday", "2024-01-16")]


# --- the seeds gate -----------------------------------------------------------------


def score_quantities(seeds_dir: Path) -> tuple[float, float, list[str]]:
    gold = yaml.safe_load(GOLD.read_text("utf-8"))["articles"]
    mentions = seed_value_mentions(str(seeds_dir))
    return counter_prf(
        (
            name,
            Counter((str(s).lower(), float(v), q) for s, v, q in items),
            Counter(
                (m.text.lower(), m.value, m.qualifier)
                for m in mentions[name]
                if m.kind == "quantity" and m.value is not None
            ),
        )
        for name, items in gold.items()
    )


@pytest.mark.model
@pytest.mark.shared
def test_seeds_quantities_gate(seeds_dir: Path) -> None:
    p, r, errors = score_quantities(seeds_dir)
    print(f"\nquantities on the seeds: precision {p:.3f} recall {r:.3f}")
    for e in errors:
        print("  " + e)
    required = {
        ("at least 91", 91.0, "at least"),
        ("about 100", 100.0, "about"),
        ("over 200", 200.0, "over"),
    }
    found = {
        (m.text, m.value, m.qualifier)
        for ms in seed_value_mentions(str(seeds_dir)).values()
        for m in ms
        if m.kind == "quantity"
    }
    assert required <= found
    for text in ("almost 23,000", "half a million", "around 13,500", "more than 500"):
        assert any(t == text and v for t, v, _ in found), text
    assert p >= QTY_P_FLOOR and r >= QTY_R_FLOOR, errors
