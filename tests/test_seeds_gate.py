"""Accuracy gate on the two seed articles (skips without ../shared).

Floors are deliberate: lowering one is a visible change. Figures are printed (-s).
"""

from __future__ import annotations

import json

import pytest

from rashomon.eval.seeds import evaluate_seeds

pytestmark = [pytest.mark.model, pytest.mark.shared]


@pytest.fixture(scope="module")
def result(tmp_path_factory):
    from conftest import SEEDS

    if not SEEDS.is_dir():
        pytest.skip(f"{SEEDS} not present (the seeds live in ../shared beside the project)")
    return evaluate_seeds(SEEDS, db=str(tmp_path_factory.mktemp("seeds") / "s.db"))


def test_kerman_facts_precision_recall(result):
    print(f"\nseeds facts: precision {result['precision']} recall {result['recall']} "
          f"({result['n_pred']} predicted, {result['n_gold']} gold)")
    assert result["story_articles"] == 2, "both seeds must join one Kerman story"
    assert result["recall"] >= 0.9
    assert result["precision"] >= 0.8


def test_kerman_slot_statuses(result):
    for slot, check in result["story_checks"].items():
        for key, want in check["want"].items():
            got = check["got"][key]
            assert got == want, f"{slot}.{key}: want {want}, got {got}"


def test_shared_stories(result):
    from rashomon.store import Store

    st = Store(result["db"])
    shared = [json.loads(r["data"]) for r in st.rows("stories") if r["n_articles"] >= 2]
    places = {s["place"]["name"] for s in shared}
    assert {"Kerman", "Damascus", "Beirut"} <= places  # the bombing, Mousavi, al-Arouri
    assert any(s["date"] == "2020-01-03" for s in shared)  # the Soleimani killing
    titles = [s["title"] for s in shared]
    print("shared stories:", titles)
