"""The command line, in process (CliRunner) with temporary stores."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rashomon.cli import app
from rashomon.store import Store

runner = CliRunner()
SAMPLE = Path(__file__).resolve().parents[1] / "src" / "rashomon" / "data" / "sample" / "articles.jsonl"

GOOD = (
    "Floods in the north\n"
    "By Jane Roe\n"
    "March 4, 2024\n"
    "Heavy rain flooded three villages near the river on Sunday, officials said. "
    "At least 12 people were killed and dozens were injured, according to the regional governor. "
    "Rescue teams were still searching for missing residents on Monday.\n"
)


def invoke(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


def test_ingest_seeds_twice_leaves_two_articles(tmp_path, seeds_dir):
    db = str(tmp_path / "r.db")
    for _ in range(2):
        res = invoke("ingest", str(seeds_dir), "--db", db, "--quiet")
        assert res.exit_code == 0, res.output
    st = Store(db)
    rows = {r["source"].rsplit("/", 1)[-1]: r for r in st.rows("articles")}
    assert len(rows) == 2
    neo = rows["003_53fb924569d5c67b.txt"]
    assert neo["published"] == "2024-01-21" and neo["published_precision"] == "day"
    assert json.loads(neo["authors"]) == ["Alexandr Svaranc"]
    assert neo["title"] == "The Terrorist Attack in Kerman Jeopardizes the Situation in the Middle East"
    ptv = rows["000_646a362f4a7038b9.txt"]
    assert ptv["published"] is None  # no date in the text: none is invented
    assert json.loads(ptv["authors"]) == ["Julia Kassem"]


def test_mixed_folder_ingests_good_files_and_lists_the_rest(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    (d / "good.txt").write_text(GOOD)
    (d / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20)
    (d / "empty.txt").write_text("")
    (d / "broken.html").write_text("<html><head><title>x</ti")
    db = str(tmp_path / "r.db")
    res = invoke("ingest", str(d), "--db", db)
    assert res.exit_code == 1
    st = Store(db)
    assert st.count("articles") == 1
    reasons = {Path(r["source"]).name: r["reason"] for r in st.rows("rejected")}
    assert set(reasons) == {"image.png", "empty.txt", "broken.html"}
    for name in reasons:
        assert name in res.output  # one clear line per rejected input


def test_unknown_export_is_a_usage_error(tmp_path):
    res = invoke("export", "nonsense", "--db", str(tmp_path / "r.db"))
    assert res.exit_code == 2
    assert "E301" in res.output


@pytest.mark.model
def test_analyze_sample_and_export_every_format(tmp_path):
    db = str(tmp_path / "r.db")
    res = invoke("analyze", str(SAMPLE), "--db", db, "--quiet")
    assert res.exit_code == 0, res.output
    stories = json.loads(invoke("export", "stories", "--db", db).stdout)
    assert stories and all(s["algorithm"] and s["slots"] is not None for s in stories)
    facts_csv = invoke("export", "facts", "--format", "csv", "--db", db).stdout
    rows = list(csv.DictReader(io.StringIO(facts_csv)))
    assert rows and {"article_id", "outlet", "slot", "value", "qualifier", "speaker_name",
                     "evidence_start", "evidence_end", "evidence_text"} <= set(rows[0])
    lines = invoke("export", "claims", "--format", "jsonl", "--db", db).stdout.splitlines()
    assert lines and all(json.loads(x)["content_text"] for x in lines)
    out = tmp_path / "events.parquet"
    assert invoke("export", "events", "--format", "parquet", "--db", db, "--out", str(out)).exit_code == 0
    import pyarrow.parquet as pq

    assert pq.read_table(out).num_rows > 0
    # a second run analyzes nothing new
    again = invoke("analyze", "--db", db)
    assert "already analyzed" in again.output


def test_interrupted_ingest_resumes_without_loss_or_duplicates(tmp_path):
    d = tmp_path / "many"
    d.mkdir()
    n = 600
    for i in range(n):
        (d / f"a{i:04}.txt").write_text(GOOD.replace("three villages", f"{i + 3} villages"))
    db = str(tmp_path / "r.db")
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    cmd = [sys.executable, "-m", "rashomon.cli", "ingest", str(d), "--db", db, "--quiet"]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 60
    while time.time() < deadline:  # kill it once some batches have landed
        time.sleep(0.2)
        if Path(db).exists():
            try:
                if Store(db).count("articles") >= 100:
                    break
            except Exception:
                continue
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    partial = Store(db).count("articles")
    assert partial < n, "ingest finished before it could be interrupted; raise n"
    res = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    assert res.returncode == 0, res.stderr
    st = Store(db)
    assert st.count("articles") == n
    assert len(set(st.article_ids())) == n


def test_fixed_input_leaves_the_rejected_table(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    f = d / "later.txt"
    f.write_text("")
    db = str(tmp_path / "r.db")
    assert invoke("ingest", str(d), "--db", db, "--quiet").exit_code == 1
    assert Store(db).count("rejected") == 1
    f.write_text(GOOD)
    assert invoke("ingest", str(d), "--db", db, "--quiet").exit_code == 0
    st = Store(db)
    assert (st.count("rejected"), st.count("articles")) == (0, 1)


def test_version():
    from rashomon import __version__

    res = invoke("--version")
    assert res.exit_code == 0 and res.stdout.strip() == f"rashomon {__version__}"


def test_serve_token_option_and_environment(tmp_path, monkeypatch):
    """`serve --token` and RASHOMON_TOKEN both reach the app; without either it is read-only."""
    import uvicorn

    import rashomon.web as web

    seen: list[str | None] = []
    real = web.create_app

    def create_app(db, token=None, **kw):
        app = real(db, token, **kw)
        seen.append(token)
        return app

    monkeypatch.setattr(web, "create_app", create_app)
    monkeypatch.setattr(uvicorn, "run", lambda *a, **k: None)
    monkeypatch.delenv("RASHOMON_TOKEN", raising=False)
    db = str(tmp_path / "s.db")
    res = invoke("serve", "--db", db, "--token", "t0ken")
    assert res.exit_code == 0 and seen[-1] == "t0ken" and "Writes enabled" in res.output
    monkeypatch.setenv("RASHOMON_TOKEN", "from-env")
    assert invoke("serve", "--db", db).exit_code == 0 and seen[-1] == "from-env"
    monkeypatch.delenv("RASHOMON_TOKEN")
    res = invoke("serve", "--db", db)
    assert not seen[-1] and "Read-only" in res.output
    assert "--token" in invoke("serve", "--help").output


def test_export_rows_match_between_formats(tmp_path):
    """CSV is the JSON records flattened: same rows, same order, readable cells."""
    from fixtures_story import build_kerman

    db = str(tmp_path / "k.db")
    with Store(db) as st:
        build_kerman(st)
    as_json = json.loads(invoke("export", "facts", "--db", db).stdout)
    as_csv = list(csv.DictReader(io.StringIO(invoke("export", "facts", "--format", "csv", "--db", db).stdout)))
    assert [r["id"] for r in as_json] == [r["id"] for r in as_csv]
    stories = list(csv.DictReader(io.StringIO(invoke("export", "stories", "--format", "csv", "--db", db).stdout)))
    assert "slots" not in stories[0] and {"killed_status", "killed_best", "place_name"} <= set(stories[0])
