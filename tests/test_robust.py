"""No single article stops a run; the pipeline stamp follows every input of a stage."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.model

ARTICLE = (
    "Gunmen attacked a police checkpoint in the town of Farwell on Tuesday, killing three officers, "
    "the provincial governor said. Two other officers were wounded, he added.\n\n"
    "No group has said it carried out the attack."
)


def _jsonl(path: Path, texts: list[str]) -> Path:
    with path.open("w", encoding="utf-8") as fh:
        for i, t in enumerate(texts):
            fh.write(json.dumps({"text": t, "url": f"https://example.org/a{i}", "outlet": "Example Daily",
                                 "published": "2024-02-06", "title": f"Report {i}"}) + "\n")
    return path


def test_a_poison_article_is_recorded_and_the_batch_goes_on(store, tmp_path, monkeypatch):
    from rashomon.pipeline import analyze

    monkeypatch.setenv("RASHOMON_MAX_ARTICLE_CHARS", "20000")
    long_text = ("The council met again on Monday and discussed the budget at length. " * 600).strip()
    src = _jsonl(tmp_path / "in.jsonl", [ARTICLE, long_text, ARTICLE.replace("three", "four")])
    run = analyze(store, [str(src)], framing=False)
    assert run.analyzed == 3 and run.failed == 1
    rejected = list(store.rows("rejected"))
    assert [r["reason"] for r in rejected] == ["too_long"]
    assert "[E401]" in rejected[0]["message"] and "RASHOMON_MAX_ARTICLE_CHARS" in rejected[0]["message"]
    assert run.event_mentions >= 2  # the two good articles were analyzed
    again = analyze(store, [], framing=False)  # a later run neither crashes nor retries it
    assert again.analyzed == 0 and again.failed == 0
    assert len(list(store.rows("rejected"))) == 1


def test_an_article_whose_extraction_raises_is_failed_not_fatal(store, tmp_path, monkeypatch):
    import rashomon.extract as ex
    from rashomon.pipeline import analyze

    real = ex.analyze_doc

    def flaky(doc, article, nlp, *, framing=True):
        if "four" in article.text:
            raise RecursionError("maximum recursion depth exceeded")
        return real(doc, article, nlp, framing=framing)

    monkeypatch.setattr(ex, "analyze_doc", flaky)
    src = _jsonl(tmp_path / "in.jsonl", [ARTICLE, ARTICLE.replace("three", "four")])
    run = analyze(store, [str(src)], framing=False)
    assert run.failed == 1 and run.analyzed == 2
    (row,) = list(store.rows("rejected"))
    assert row["reason"] == "analysis_failed" and "[E402]" in row["message"] and "RecursionError" in row["message"]
    statuses = sorted(r["status"] for r in store.rows("analyses"))
    assert statuses == ["analyzed", "failed"]


def test_the_stamp_changes_when_any_stage_input_changes(monkeypatch):
    import rashomon.pipeline as pl

    files = {p for st in pl.STAGE_INPUTS for p in pl.stage_inputs(st)}
    names = {p.relative_to(pl.PACKAGE).as_posix() for p in files}
    assert {"data/actors.yaml", "data/cues.txt", "extract/lexicon.py", "annotate/quantities.py"} <= names
    assert any(n.startswith("data/models/") for n in names)
    pl._stage_stamp.cache_clear()
    before = pl._stage_stamp(True)
    real = Path.read_bytes
    for target in sorted(files):
        monkeypatch.setattr(Path, "read_bytes", lambda self, t=target: real(self) + (b"#changed" if self == t else b""))
        pl._stage_stamp.cache_clear()
        assert pl._stage_stamp(True) != before, target
        monkeypatch.setattr(Path, "read_bytes", real)
    pl._stage_stamp.cache_clear()
    assert pl._stage_stamp(True) == before


def test_analyze_says_how_many_results_were_stale(store, tmp_path):
    from rashomon.pipeline import analyze

    src = _jsonl(tmp_path / "in.jsonl", [ARTICLE])
    analyze(store, [str(src)], framing=False)
    with store.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE analyses SET pipeline_version = 'rashomon-0.0.1|old'")
    run = analyze(store, [], framing=False)
    assert run.stale == 1 and run.analyzed == 1


def test_no_scheduler_is_a_coded_error_within_seconds(monkeypatch):
    from rashomon.errors import UsageError
    from rashomon.scale import client_for

    monkeypatch.setenv("RASHOMON_SCHEDULER_TIMEOUT", "1")
    t0 = time.perf_counter()
    with pytest.raises(UsageError, match=r"\[E403\].*127\.0\.0\.1:9"):
        client_for("tcp://127.0.0.1:9")
    assert time.perf_counter() - t0 < 10
