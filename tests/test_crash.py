"""Crashes and resume: SIGKILL `rashomon analyze` at random moments, then finish the run.

After a few kills at seeded random delays and one complete run, every article must be
stored exactly once and analyzed exactly once with the current pipeline version; no
analysis row may be left without its ``analyses`` stamp (each article's analysis commits
atomically with its version), after every kill as well as at the end. The per-article
row counts must equal those of an uninterrupted run over the same corpus. The same code
runs many more trials in bench/crash_trials.py (figures in docs/reliability.md).
"""

from __future__ import annotations

import random
import sys
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from crash_trials import (
    inspect_store,
    make_corpus,
    per_article_counts,
    pg_store,
    run_to_end,
    trial,
)

pytestmark = pytest.mark.model
KILLS = 3
WINDOW = (1.0, 14.0)  # seconds after start: model loading, ingest, analysis and linking


@pytest.fixture(scope="module")
def version() -> str:
    from rashomon.pipeline import pipeline_version

    return pipeline_version()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str], dict[str, Any]]:
    """60 articles and the per-article counts of one uninterrupted run (the reference)."""
    d = tmp_path_factory.mktemp("crash")
    folder = d / "corpus"
    urls = make_corpus(folder, 60, seed=31)
    ref_db = str(d / "reference.db")
    res = run_to_end(folder, ref_db)
    assert res.returncode == 0, res.stderr[-3000:]
    return folder, urls, per_article_counts(ref_db)


def assert_intact(db: str, urls: list[str], version: str, reference: dict[str, Any], res: dict[str, Any]) -> None:
    for state in res["after_kill"]:  # after every SIGKILL, before resuming
        assert state["orphans"] == 0 and state["duplicated"] == 0 and state["foreign"] == 0, state
        assert state.get("integrity", "ok") == "ok", state
    final = inspect_store(db, urls, version)
    assert final["lost"] == 0 and final["duplicated"] == 0 and final["foreign"] == 0, final
    assert final["articles"] == len(urls) and final["analyzed"] == len(urls), final
    assert final["unanalyzed"] == 0 and final["stale_version"] == 0, final
    assert final["orphans"] == 0 and final["analyses_without_article"] == 0, final
    assert final["dangling_story_members"] == 0, final
    assert final.get("integrity", "ok") == "ok", final
    assert per_article_counts(db) == reference  # nothing analyzed twice, nothing half-written


def test_sigkill_during_analyze_then_resume_sqlite(tmp_path: Path, corpus: Any, version: str) -> None:
    folder, urls, reference = corpus
    db = str(tmp_path / "r.db")
    res = trial(folder, db, urls, random.Random(7), KILLS, WINDOW)
    assert_intact(db, urls, version, reference, res)


def test_sigkill_during_analyze_then_resume_postgresql(corpus: Any, version: str) -> None:
    folder, urls, reference = corpus
    with pg_store() as db:
        res = trial(folder, db, urls, random.Random(8), KILLS, WINDOW)
        assert_intact(db, urls, version, reference, res)
