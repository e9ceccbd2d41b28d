"""The Dask engine gives the same results as the local engine; the fast paths hold.

The Dask run uses a real ``LocalCluster`` (2 worker processes), so this test is slow-ish
(~30-60 s on a busy 2-core machine) and marked ``model``.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pytest

from rashomon.store import Store

SAMPLE = Path(__file__).resolve().parents[1] / "src" / "rashomon" / "data" / "sample" / "articles.jsonl"
MODELS = Path(__file__).resolve().parents[1] / "src" / "rashomon" / "data" / "models"
# The framing models are trained artefacts; without them, compare the rest of the pipeline.
FRAMING = (MODELS / "techniques.npz").is_file() and (MODELS / "genre.npz").is_file()
TABLES = ("mentions", "event_mentions", "claims", "facts") + (("techniques", "framing") if FRAMING else ())


def _table(store: Store, name: str) -> list[dict]:
    return list(store.rows(name))  # ordered by primary key; ids included


def _stories(store: Store) -> list[tuple]:
    out = []
    for r in store.rows("stories"):
        data = json.loads(r["data"])
        slots = {k: v["status"] for k, v in data["slots"].items()}
        out.append((r["id"], tuple(data["member_ids"]), tuple(sorted(slots.items())), r["title"]))
    return out


def _members(store: Store) -> list[tuple]:
    return sorted((r["event_mention_id"], r["story_id"]) for r in store.rows("story_members"))


@pytest.mark.model
def test_dask_engine_matches_local(tmp_path: Path) -> None:
    from rashomon.pipeline import analyze

    local = Store(str(tmp_path / "local.db"))
    dask = Store(str(tmp_path / "dask.db"))
    try:
        run_l = analyze(local, [str(SAMPLE)], engine="local", link=True, framing=FRAMING)
        with warnings.catch_warnings():
            # distributed may warn about a busy port or about closing comms while the
            # LocalCluster shuts down; neither concerns the results compared here.
            warnings.filterwarnings("ignore", module=r"distributed(\..*)?")
            warnings.filterwarnings("ignore", message=r".*[Pp]ort .* is already in use.*")
            run_d = analyze(dask, [str(SAMPLE)], engine="dask", link=True, framing=FRAMING)
        assert run_l.analyzed == run_d.analyzed == 17
        assert run_l.pipeline_version == run_d.pipeline_version
        for name in TABLES:
            a, b = _table(local, name), _table(dask, name)
            assert a, f"no {name} in the local run"
            assert a == b, name
        assert _stories(local) == _stories(dask)
        assert _members(local) == _members(dask)
        assert run_l.stories == run_d.stories > 0
    finally:
        local.close()
        dask.close()


@pytest.mark.model
def test_already_analyzed_articles_are_skipped(tmp_path: Path) -> None:
    from rashomon.pipeline import analyze

    st = Store(str(tmp_path / "s.db"))
    try:
        first = analyze(st, [str(SAMPLE)], link=True, framing=False)
        stamps = {r["article_id"]: r["analyzed_at"] for r in st.rows("analyses")}
        facts = _table(st, "facts")
        again = analyze(st, [str(SAMPLE)], link=True, framing=False)
        assert first.analyzed == 17 and first.skipped == 0
        assert again.analyzed == 0 and again.skipped == 17
        assert again.ingest.duplicates == 17
        assert again.stories_touched == 0 and again.stories == first.stories
        # nothing was rewritten
        assert {r["article_id"]: r["analyzed_at"] for r in st.rows("analyses")} == stamps
        assert _table(st, "facts") == facts
        # a new pipeline version re-analyzes everything
        with st._begin() as conn:
            conn.exec_driver_sql("UPDATE analyses SET pipeline_version = 'old'")
        third = analyze(st, [], link=False, framing=False)
        assert third.analyzed == 17 and third.skipped == 0
    finally:
        st.close()
