"""Exports people load into other tools: ACLED rows, flat CSV, and one code path for CLI and web."""

from __future__ import annotations

import csv
import io
import json
import re
import warnings

import pytest
from typer.testing import CliRunner

from fixtures_story import Builder, build_kerman, slot
from rashomon.cli import app
from rashomon.store import Store

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

runner = CliRunner()
ACLED_TYPES = {"Battles", "Explosions/Remote violence", "Violence against civilians"}
ID_LIKE = re.compile(r"\b(?:prov|rsh):|\bQ\d{2,}\b")
HEX_ID = re.compile(r"\b[0-9a-f]{16}\b")  # an article id standing in for an outlet

RAID = ("Militiamen raided the market town of Oldbridge on Sunday, killing at least 14 villagers, "
        "the district officer said. The Red Hand Brigade was blamed by residents.")
RAID_2 = ("Fourteen people died when gunmen attacked Oldbridge market, a hospital worker said. "
          "Others put the toll at 17.")
UNDATED = "A roadside bomb struck a convoy somewhere in the hills, a local radio station reported."
MARCH = "Thousands marched through the capital to demand early elections."


def build_acled(store: Store) -> dict[str, str]:
    """Three stories: a violent one with provisional actors, an undated blast, a protest."""
    b = Builder()
    a1 = b.article(RAID, title="Raid on Oldbridge", outlet="Valley Courier", published="2024-05-06")
    a2 = b.article(RAID_2, title="Market attack", outlet="Coastline Radio", published="2024-05-07")
    a3 = b.article(UNDATED, title="Convoy hit", domain="hillradio.example")  # no outlet name: its domain
    a5 = b.article(UNDATED.replace("hills", "valley"), title="Convoy")  # neither: not a source
    a4 = b.article(MARCH, title="March", outlet="Valley Courier", published="2024-05-08")
    e1 = b.event(a1, "em-raid-1", "raided", event_type="Violence against civilians", sub="Attack",
                 date="2024-05-05", place="Oldbridge", country="GB", lat=51.5, lon=-0.1)
    e2 = b.event(a2, "em-raid-2", "attacked", event_type="Violence against civilians", sub="Attack",
                 date="2024-05-05", place="Oldbridge", country="GB", lat=51.5, lon=-0.1)
    b.tables["event_mentions"][0]["targets"] = json.dumps(["prov:villagers"])
    e3 = b.event(a3, "em-bomb", "roadside bomb", event_type="Explosions/Remote violence",
                 sub="Remote explosive/landmine/IED", date=None, place=None, country=None, lat=None, lon=None)
    e4 = b.event(a4, "em-march", "marched", event_type="Protests", sub="Peaceful protest",
                 date="2024-05-08", place="London", country="GB", lat=51.5, lon=-0.1)
    killed = [b.fact(a1, e1, "killed", "14", "killing at least 14 villagers", value_num=14.0, low=14.0,
                     high=14.0, qualifier="at least"),
              b.fact(a2, e2, "killed", "17", "Others put the toll at 17.", value_num=17.0, low=17.0, high=17.0)]
    perp = [b.fact(a1, e1, "perpetrator", "prov:red-hand-brigade", "The Red Hand Brigade was blamed by residents.",
                   value_name=None)]
    b.story("raid", "Attack in Oldbridge", event_type="Violence against civilians", sub="Attack",
            date="2024-05-05", place="Oldbridge", country="GB", articles=[a1, a2], members=[e1, e2],
            slots={"killed": slot("conflicting", killed, "Valley Courier: at least 14; Coastline Radio: 17",
                                  low=14, best=14, high=17, rule="conservative"),
                   "perpetrator": slot("single_source", perp, "Valley Courier: Red Hand Brigade")},
            responsibility=[b.resp(a1, "blamed", "Red Hand Brigade", "prov:red-hand-brigade",
                                   "The Red Hand Brigade was blamed by residents.", speaker="residents")])
    b.story("bomb", "Roadside bomb", event_type="Explosions/Remote violence", sub="Remote explosive/landmine/IED",
            date=None, place=None, country=None, articles=[a3, a5], members=[e3], slots={}, responsibility=[])
    bomb = b.tables["stories"][-1]
    data = json.loads(bomb["data"])
    data["outlets"] = sorted([a3.id, a5.id])  # as reconcile lists articles that name no outlet
    bomb["data"] = json.dumps(data)
    b.story("march", "March in London", event_type="Protests", sub="Peaceful protest", date="2024-05-08",
            place="London", country="GB", articles=[a4], members=[e4], slots={}, responsibility=[])
    b.tables["actors"] += [
        {"id": "prov:red-hand-brigade", "name": "Red Hand Brigade", "kind": "armed_group", "country": None,
         "provisional": True, "aliases": json.dumps([{"text": "Red Hand", "register": "neutral"}])},
        {"id": "prov:villagers", "name": "villagers", "kind": "civilians", "country": None,
         "provisional": True, "aliases": "[]"},
    ]
    b.write(store)
    return {"raid": "raid", "bomb": "bomb", "march": "march"}


def cli(*args: str) -> str:
    res = runner.invoke(app, list(args), catch_exceptions=False)
    assert res.exit_code == 0, res.output
    return res.stdout


def _acled_csv(tmp_path) -> str:
    db = str(tmp_path / "a.db")
    with Store(db) as st:
        build_acled(st)
    out = tmp_path / "acled.csv"
    cli("export", "acled", "--format", "csv", "--db", db, "--out", str(out))
    return str(out)


def test_acled_csv_has_acled_column_types(tmp_path):
    """The same checks as the pandas test below, with the standard library only."""
    import datetime

    from rashomon.report.acled import COLUMNS

    with open(_acled_csv(tmp_path), encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        assert tuple(reader.fieldnames or ()) == COLUMNS
        rows = list(reader)
    assert len(rows) == 2 and {r["event_type"] for r in rows} <= ACLED_TYPES
    for r in rows:
        if r["event_date"]:
            assert datetime.date.fromisoformat(r["event_date"]).year == int(r["year"])
            assert not r["event_date_flag"] or "disagree" in r["event_date_flag"] or "span" in r["event_date_flag"]
        else:
            assert r["event_date_flag"], "an empty event_date must be explained"
        assert int(r["fatalities"]) >= 0 and int(r["time_precision"]) in (1, 2, 3)
        assert int(r["geo_precision"]) in (1, 2, 3)
        for k in ("fatalities_low", "fatalities_best", "fatalities_high"):
            assert r[k] == "" or int(r[k]) >= 0
        if r["latitude"]:
            assert -90 <= float(r["latitude"]) <= 90 and -180 <= float(r["longitude"]) <= 180
        assert r["source"] and not any(ID_LIKE.search(v) or HEX_ID.search(v) for v in r.values())
    raid = next(r for r in rows if r["event_id_cnty"].endswith("-raid"))
    assert raid["source"] == "Coastline Radio; Valley Courier" and raid["actor1"] == "Red Hand Brigade"
    assert raid["fatalities"] == "14" and raid["event_date"] == "2024-05-05"
    bomb = next(r for r in rows if r["event_id_cnty"].endswith("-bomb"))
    assert bomb["source"] == "hillradio.example" and "1 of its 2 articles name no outlet" in bomb["notes"]


def test_acled_csv_loads_in_pandas_with_acled_types(tmp_path):
    pd = pytest.importorskip("pandas")  # not in the pinned test extra; the test above runs everywhere
    df = pd.read_csv(_acled_csv(tmp_path), dtype={"event_date": str}, keep_default_na=True)
    # one row per violent story: the protest is not an ACLED violent event
    assert set(df["event_type"]) <= ACLED_TYPES and len(df) == 2
    assert "march" not in " ".join(df["event_id_cnty"])
    # event_date is a date wherever it is not flagged; flagged rows say why
    dated = df[df["event_date"].notna()]
    parsed = pd.to_datetime(dated["event_date"], format="%Y-%m-%d", errors="raise")
    assert (parsed.dt.year == dated["year"].astype(int)).all()
    undated = df[df["event_date"].isna()]
    assert len(undated) == 1 and undated["event_date_flag"].str.contains("no source states").all()
    assert undated.iloc[0]["source"] == "hillradio.example"
    assert "1 of its 2 articles name no outlet" in undated.iloc[0]["notes"]
    # ACLED column types
    assert pd.api.types.is_integer_dtype(df["fatalities"]) and (df["fatalities"] >= 0).all()
    assert pd.api.types.is_integer_dtype(df["time_precision"]) and set(df["time_precision"]) <= {1, 2, 3}
    assert pd.api.types.is_integer_dtype(df["geo_precision"]) and set(df["geo_precision"]) <= {1, 2, 3}
    assert pd.api.types.is_float_dtype(df["latitude"]) and df["latitude"].dropna().between(-90, 90).all()
    assert df["source"].notna().all()
    raid = df[df["event_id_cnty"].str.endswith("raid")].iloc[0]
    assert raid["event_date"] == "2024-05-05" and raid["time_precision"] == 1
    # fatalities: the reconciled best of the killed slot, range beside it
    assert (raid["fatalities"], raid["fatalities_low"], raid["fatalities_best"], raid["fatalities_high"]) == (14, 14, 14, 17)
    # names, never internal ids; source: outlet names joined ACLED's way
    assert raid["actor1"] == "Red Hand Brigade" and raid["actor2"] == "villagers"
    assert raid["source"] == "Coastline Radio; Valley Courier"
    for col in df.columns:
        for v in df[col].dropna().astype(str):
            assert not ID_LIKE.search(v), (col, v)
    # readable notes: a sentence, not a dump of slot explanations
    assert raid["notes"].startswith("On 2024-05-05, attack in Oldbridge")
    assert "at least 14 (Valley Courier)" in raid["notes"] and "best estimate 14 (range 14-17)" in raid["notes"]
    assert "{" not in raid["notes"] and "'killed'" not in raid["notes"] and '"killed"' not in raid["notes"]


def test_acled_on_the_kerman_fixture_uses_the_best_figure(store):
    from rashomon.report.acled import events_rows

    build_kerman(store)
    rows = list(events_rows(store))
    assert rows and all(r["event_type"] in ACLED_TYPES for r in rows)
    k = rows[0]
    assert k["fatalities"] == k["fatalities_best"] == 91
    assert not any(ID_LIKE.search(str(v)) for r in rows for v in r.values())


def _no_json_cells(text: str) -> list[dict[str, str]]:
    rows = list(csv.DictReader(io.StringIO(text)))
    for r in rows:
        for k, v in r.items():
            assert not (v.startswith(("[", "{")) and v.endswith(("]", "}"))), (k, v[:80])
    return rows


@pytest.mark.parametrize("what", ["articles", "events", "claims", "facts", "stories", "acled", "mentions",
                                  "techniques", "framing", "actors"])
def test_csv_cells_are_readable_not_json(tmp_path, what):
    db = str(tmp_path / "k.db")
    with Store(db) as st:
        build_kerman(st)
        build_acled(st)
    rows = _no_json_cells(cli("export", what, "--format", "csv", "--db", db))
    assert rows
    if what == "stories":
        k = next(r for r in rows if r["id"] == "kerman-2024-01-03")
        assert (k["killed_status"], k["killed_low"], k["killed_best"], k["killed_high"]) == ("conflicting", "84", "91", "103")
        assert k["place_name"] == "Kerman" and k["place_country"] == "IR"
        assert "Press TV" in k["outlets"] and "; " in k["outlets"]
        assert "Press TV: at least 91" in k["killed_values"]
        assert k["responsibility"] and "{" not in k["responsibility"]
    if what == "events":
        assert any(r["evidence"] and re.fullmatch(r"\d+-\d+(; \d+-\d+)*", r["evidence"]) for r in rows)
        raid = next(r for r in rows if r["id"] == "em-raid-1")
        assert raid["targets"] == "prov:villagers" and raid["target_names"] == "villagers"
    if what == "actors":
        rh = next(r for r in rows if r["id"] == "prov:red-hand-brigade")
        assert rh["aliases"] == "Red Hand (neutral)"


def test_json_keeps_nested_values(tmp_path):
    db = str(tmp_path / "k.db")
    with Store(db) as st:
        build_kerman(st)
    stories = json.loads(cli("export", "stories", "--db", db))
    assert isinstance(stories[0]["slots"], dict) and isinstance(stories[0]["outlets"], list)


@pytest.mark.parametrize("what", ["articles", "events", "claims", "facts", "stories", "acled"])
def test_web_downloads_are_the_cli_exports_byte_for_byte(tmp_path, what, monkeypatch):
    import pyarrow.parquet as pq

    from rashomon.web import create_app

    monkeypatch.delenv("RASHOMON_TOKEN", raising=False)
    db = str(tmp_path / "k.db")
    with Store(db) as st:
        build_kerman(st)
        build_acled(st)
    with TestClient(create_app(db)) as c:
        for fmt in ("csv", "json"):
            web = c.get(f"/download/{what}.{fmt}")
            assert web.status_code == 200
            out = tmp_path / f"{what}.{fmt}"
            cli("export", what, "--format", fmt, "--db", db, "--out", str(out))
            assert web.content == out.read_bytes(), (what, fmt)
        web_pq = pq.read_table(io.BytesIO(c.get(f"/download/{what}.parquet").content))
        out = tmp_path / f"{what}.parquet"
        cli("export", what, "--format", "parquet", "--db", db, "--out", str(out))
        assert web_pq.equals(pq.read_table(out))
        assert web_pq.column_names == list(csv.DictReader(io.StringIO(c.get(f"/download/{what}.csv").text)).fieldnames)
