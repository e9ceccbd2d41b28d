"""Worker processes: the auto rule, the overrides, and forked runs that match one process."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rashomon.scale import process_count, resolve_processes
from rashomon.store import Store

SAMPLE = Path(__file__).resolve().parents[1] / "src" / "rashomon" / "data" / "sample" / "articles.jsonl"
MODELS = Path(__file__).resolve().parents[1] / "src" / "rashomon" / "data" / "models"
FRAMING = (MODELS / "techniques.npz").is_file() and (MODELS / "genre.npz").is_file()
TABLES = ("mentions", "event_mentions", "claims", "facts", "actors") + (("techniques", "framing") if FRAMING else ())


def test_rule_takes_the_smallest_limit() -> None:
    # cores limit
    assert process_count(10_000, cores=4, memory_mb=64_000, process_memory_mb=1500, articles_per_process=50) == 4
    # memory limit: 4000 MB / 1500 MB per process
    assert process_count(10_000, cores=16, memory_mb=4000, process_memory_mb=1500, articles_per_process=50) == 2
    # work limit: 120 articles / 50 per process -> 3
    assert process_count(120, cores=16, memory_mb=64_000, process_memory_mb=1500, articles_per_process=50) == 3


def test_rule_never_goes_below_one() -> None:
    assert process_count(0, cores=8, memory_mb=64_000) == 1
    assert process_count(10, cores=8, memory_mb=64_000, articles_per_process=50) == 1
    assert process_count(10_000, cores=8, memory_mb=500, process_memory_mb=1500) == 1
    assert process_count(10_000, cores=1, memory_mb=64_000) == 1


def test_unknown_memory_does_not_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    import rashomon.scale as scale

    monkeypatch.setattr(scale, "available_memory_mb", lambda: None)
    assert process_count(10_000, cores=3) == 3


def test_settings_feed_the_rule(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RASHOMON_ARTICLES_PER_PROCESS", "10")
    assert process_count(35, cores=16, memory_mb=64_000) == 4
    monkeypatch.setenv("RASHOMON_PROCESS_MEMORY_MB", "30000")
    assert process_count(35, cores=16, memory_mb=64_000) == 2


def test_explicit_count_and_setting_override_auto(monkeypatch: pytest.MonkeyPatch) -> None:
    import rashomon.scale as scale

    monkeypatch.setattr(scale, "process_count", lambda n: 7)
    monkeypatch.delenv("RASHOMON_N_PROCESS", raising=False)
    assert resolve_processes(None, 1000) == 7  # default 0 = auto
    assert resolve_processes(3, 1000) == 3  # --n-process wins
    assert resolve_processes(1, 1000) == 1
    monkeypatch.setenv("RASHOMON_N_PROCESS", "2")
    assert resolve_processes(None, 1000) == 2
    assert resolve_processes(0, 1000) == 7  # --n-process 0 asks for auto


def _rows(store: Store, name: str) -> list[dict]:
    return list(store.rows(name))


def _stories(store: Store) -> list[tuple]:
    out = []
    for r in store.rows("stories"):
        data = json.loads(r["data"])
        out.append((r["id"], r["title"], json.dumps(data, sort_keys=True)))
    return out


@pytest.mark.model
def test_forked_run_matches_one_process(tmp_path: Path) -> None:
    """Two forked workers, tasks of 3 articles (so both workers get several and the
    results come back out of order): the database is the one-process database, row for
    row, ids, provisional actors and stories included."""
    from rashomon.pipeline import analyze

    one = Store(str(tmp_path / "one.db"))
    two = Store(str(tmp_path / "two.db"))
    try:
        run1 = analyze(one, [str(SAMPLE)], n_process=1, batch_size=3, framing=FRAMING)
        run2 = analyze(two, [str(SAMPLE)], n_process=2, batch_size=3, framing=FRAMING)
        assert (run1.processes, run2.processes) == (1, 2)
        assert run1.analyzed == run2.analyzed == 17
        for name in TABLES:
            a, b = _rows(one, name), _rows(two, name)
            assert a, f"no {name} in the one-process run"
            assert a == b, name
        assert _stories(one) == _stories(two)
        assert run1.stories == run2.stories > 0
    finally:
        one.close()
        two.close()


@pytest.mark.model
def test_provisional_actors_do_not_depend_on_earlier_articles() -> None:
    """A resolver names a provisional actor as the article at hand spells it, whatever
    it resolved before (so a worker process gives what one process gives)."""
    from rashomon.annotate.nlp import load_nlp
    from rashomon.extract import annotate_mentions
    from rashomon.model import Article

    nlp = load_nlp()
    a = Article(text="Spokesman Zorvan Kellig of the Velmor Coalition said the talks failed.", language="en")
    b = Article(text="ZORVAN KELLIG, a spokesman, left the Velmor Coalition on Monday.", language="en")
    alone = {p.id: p.name for p in annotate_mentions(nlp(b.text), b, nlp)[1]}
    annotate_mentions(nlp(a.text), a, nlp)
    after = {p.id: p.name for p in annotate_mentions(nlp(b.text), b, nlp)[1]}
    assert alone["prov:zorvan-kellig"] == "ZORVAN KELLIG"
    assert alone == after


@pytest.mark.model
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")
def test_workers_exit_when_analyze_is_killed(tmp_path: Path) -> None:
    """A SIGKILLed `analyze --n-process 2` leaves no worker behind holding memory."""
    import os
    import signal
    import subprocess
    import sys
    import time

    psutil = pytest.importorskip("psutil")
    corpus = tmp_path / "corpus.jsonl"
    rows = [json.loads(line) for line in SAMPLE.read_text(encoding="utf-8").splitlines() if line.strip()]
    with corpus.open("w", encoding="utf-8") as fh:  # enough work that the workers are busy
        for k in range(8):
            for r in rows:
                fh.write(json.dumps({**r, "url": f"{r.get('url', 'https://example.test/a')}?copy={k}",
                                     "text": r["text"] + f"\n\nCopy {'x' * k}."}) + "\n")
    src = str(Path(__file__).resolve().parents[1] / "src")
    proc = subprocess.Popen(
        [sys.executable, "-m", "rashomon.cli", "analyze", str(corpus), "--db", str(tmp_path / "k.db"),
         "--quiet", "--n-process", "2", "--batch-size", "4", "--no-framing"],
        env={**os.environ, "PYTHONPATH": src}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        parent = psutil.Process(proc.pid)
        workers: list = []
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and len(workers) < 2 and proc.poll() is None:
            time.sleep(0.2)
            workers = [c for c in parent.children(recursive=True) if "python" in c.name().lower()]
        if len(workers) < 2:
            pytest.skip("the run ended before two workers were seen")
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        _gone, alive = psutil.wait_procs(workers, timeout=15)
        assert not alive, f"workers still running after the parent was killed: {[p.pid for p in alive]}"
    finally:
        if proc.poll() is None:
            proc.kill()
