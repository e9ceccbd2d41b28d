"""Date resolution against the publication date, and the seeds gate."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml

from rashomon.annotate.dates import DateValue, resolve_date
from seed_helpers import counter_prf, seed_value_mentions

GOLD = Path(__file__).resolve().parents[1] / "eval" / "gold" / "seeds_dates.yaml"
DATES_P_FLOOR = 0.90
DATES_R_FLOOR = 0.90
PUB = "2024-01-21"  # a Sunday


@pytest.mark.parametrize(
    ("text", "start", "end", "precision"),
    [
        ("January 3 this year", "2024-01-03", None, "day"),
        ("4 January", "2024-01-04", None, "day"),
        ("December 18", "2023-12-18", None, "day"),
        ("Oct. 7", "2023-10-07", None, "day"),
        ("December 25, 2023", "2023-12-25", None, "day"),
        ("the 5th of January", "2024-01-05", None, "day"),
        ("21.01.2024", "2024-01-21", None, "day"),
        ("2024-01-03", "2024-01-03", None, "day"),
        ("last Wednesday", "2024-01-17", None, "day"),
        ("Tuesday", "2024-01-16", None, "day"),
        ("on Sunday", "2024-01-21", None, "day"),
        ("next Tuesday", "2024-01-23", None, "day"),
        ("yesterday", "2024-01-20", None, "day"),
        ("today", "2024-01-21", None, "day"),
        ("two weeks ago", "2024-01-07", None, "day"),
        ("in August", "2023-08", None, "month"),
        ("January", "2024-01", None, "month"),
        ("mid-December", "2023-12", None, "month"),
        ("this month", "2024-01", None, "month"),
        ("2005", "2005", None, "year"),
        ("last year", "2023", None, "year"),
        ("the last two years", "2022-01-21", "2024-01-21", "range"),
        ("the past week", "2024-01-14", "2024-01-21", "range"),
        ("last week", "2024-01-08", "2024-01-14", "range"),
        ("September 19-20, 2023", "2023-09-19", "2023-09-20", "range"),
        ("the 1990s", "1990-01-01", "1999-12-31", "range"),
    ],
)
def test_resolve_against_publication(
    text: str, start: str, end: str | None, precision: str
) -> None:
    d = resolve_date(text, PUB)
    assert d is not None, text
    assert (d.start, d.end, d.precision, d.anchored) == (start, end, precision, True)


def test_since_is_a_range_start() -> None:
    d = resolve_date("since October 7", PUB)
    assert d == DateValue("2023-10-07", None, "day", True, "since October 7", None, "since")


@pytest.mark.parametrize(
    "text",
    ["three months", "three-month-long", "almost three months", "15 minutes", "recent weeks",
     "days", "the day", "annual", "the fourth anniversary", "on the fourth anniversary",
     "the last several weeks", "", "Kerman"],
)  # fmt: skip
def test_not_dates(text: str) -> None:
    assert resolve_date(text, PUB) is None


def test_undated_article_never_guesses_a_year() -> None:
    d = resolve_date("4 January", None)
    assert d is not None and d.start is None and not d.anchored and d.partial == "--01-04"
    d = resolve_date("in August", None)
    assert d is not None and d.start is None and d.partial == "--08" and d.precision == "month"
    d = resolve_date("last Wednesday", None)
    assert d is not None and d.start is None and not d.anchored
    d = resolve_date("January 3 this year", None)
    assert d is not None and d.start is None and d.partial == "--01-03"
    # explicit dates still resolve
    d = resolve_date("December 25, 2023", None)
    assert d is not None and d.start == "2023-12-25" and d.anchored


def test_month_precision_publication() -> None:
    d = resolve_date("yesterday", "2024-01", "month")
    assert d is not None and not d.anchored
    d = resolve_date("last year", "2024-01", "month")
    assert d is not None and d.start == "2023"


# --- the seeds gate -----------------------------------------------------------------


def _value(m) -> str | None:  # type: ignore[no-untyped-def]
    if m.date:
        return str(m.date)
    part = [x for x in (m.label or "").split("|") if x.startswith("partial=")]
    return part[0][len("partial=") :] if part else None


def score_dates(seeds_dir: Path) -> tuple[float, float, list[str]]:
    gold = yaml.safe_load(GOLD.read_text("utf-8"))["articles"]
    mentions = seed_value_mentions(str(seeds_dir))
    return counter_prf(
        (
            name,
            Counter((str(s).lower(), v, p, a) for s, v, p, a in spec["dates"]),
            Counter(
                (m.text.lower(), _value(m), m.date_precision, m.anchored)
                for m in mentions[name]
                if m.kind == "date" and m.date_precision is not None
            ),
        )
        for name, spec in gold.items()
    )


@pytest.mark.model
@pytest.mark.shared
def test_seeds_dates_gate(seeds_dir: Path) -> None:
    p, r, errors = score_dates(seeds_dir)
    print(f"\ndates on the seeds: precision {p:.3f} recall {r:.3f}")
    for e in errors:
        print("  " + e)
    neo = seed_value_mentions(str(seeds_dir))["003_53fb924569d5c67b.txt"]
    hit = [m for m in neo if m.text == "January 3 this year"]
    assert hit and (hit[0].date, hit[0].date_precision) == ("2024-01-03", "day")
    assert p >= DATES_P_FLOOR and r >= DATES_R_FLOOR, errors


@pytest.mark.parametrize("text", ["1313 GMT", "0800 GMT", "4.13 p.m. (1313 GMT)", "1313"])
def test_clock_times_are_no_years(text: str) -> None:
    # dateparser reads "1313" as the year 1313 (and "4.13 p.m. (1313 GMT)" as 1313-11-14)
    assert resolve_date(text, "2022-11-14") is None


def test_year_less_dates_still_take_the_publication_year() -> None:
    d = resolve_date("the 5th of January", "2022-11-14")
    assert d is not None and d.start == "2022-01-05"
