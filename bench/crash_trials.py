"""Crash trials: SIGKILL `rashomon analyze` at random moments, resume, and count the damage.

Each trial writes a corpus (synthetic articles from bench/synth.py), then runs
``python -m rashomon.cli analyze FOLDER --db DB`` and kills it with SIGKILL after a random
(seeded) delay, ``--kills`` times in a row, checking the store after every kill; a final
run must then complete. Afterwards every article must be stored exactly once and analyzed
exactly once with the current pipeline version, with no orphan rows. Usage:

    .venv/bin/python bench/crash_trials.py --trials 10 --kills 3            # SQLite
    .venv/bin/python bench/crash_trials.py --trials 5 --pg postgresql://postgres@127.0.0.1:5432/test

Prints one JSON object: trials, kills landed per phase, and the totals of lost, duplicated,
orphan, unanalyzed and stale-version rows (all must be 0). tests/test_crash.py runs the
same code with a few kills.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

PG_DEFAULT = "postgresql://postgres@127.0.0.1:5432/test"
#: Per-article tables written by the analyze step (see rashomon.store.schema.ANALYSIS_TABLES).
ANALYSIS = ("mentions", "event_mentions", "claims", "facts", "techniques", "framing")


# -- PostgreSQL: a fresh schema per run --------------------------------------------------


def pg_url() -> str | None:
    url = os.environ.get("RASHOMON_TEST_PG")
    if url:
        return url
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=0.5):
            return PG_DEFAULT
    except OSError:
        return None


def _missing(msg: str) -> None:
    """Skip (or fail under RASHOMON_REQUIRE_SERVICES=1) inside pytest; exit otherwise."""
    if "pytest" in sys.modules:
        import pytest

        if os.environ.get("RASHOMON_REQUIRE_SERVICES") == "1":
            pytest.fail(f"{msg} (required: RASHOMON_REQUIRE_SERVICES=1)")
        pytest.skip(msg)
    raise SystemExit(msg)


@contextlib.contextmanager
def pg_store(base: str | None = None) -> Iterator[str]:
    """Yield a database URL whose search_path is a fresh schema; drop it afterwards."""
    import sqlalchemy
    from sqlalchemy import text

    url = base or pg_url()
    if url is None:
        _missing("no PostgreSQL on 127.0.0.1:5432 (set RASHOMON_TEST_PG to point at one)")
        raise AssertionError("unreachable")
    schema = f"t_{uuid.uuid4().hex[:10]}"
    admin = sqlalchemy.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception as exc:
        admin.dispose()
        _missing(f"PostgreSQL at {url} is not usable: {exc}")
        raise
    sep = "&" if "?" in url else "?"
    try:
        yield f"{url}{sep}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


# -- corpus ----------------------------------------------------------------------------

_FALLBACK = (
    "Heavy rain flooded {n} villages near the river on Sunday, officials said. At least {k} people "
    "were killed and dozens were injured, according to the regional governor. Rescue teams were "
    "still searching for missing residents on Monday, and the army sent boats to the area."
)


def make_corpus(folder: Path, n: int = 60, seed: int = 11, per_file: int = 10) -> list[str]:
    """Write ``n`` distinct articles as JSONL files into ``folder``; return their URLs."""
    folder.mkdir(parents=True, exist_ok=True)
    try:
        from synth import generate

        docs = list(generate(n, seed=seed))
    except (ImportError, OSError):  # no sample corpus: plain template articles
        docs = [{"text": _FALLBACK.format(n=i + 2, k=i * 3 + 1), "url": f"https://synthetic.example/{i}",
                 "language": "en"} for i in range(n)]
    for i in range(0, n, per_file):
        lines = [json.dumps(d, ensure_ascii=False) for d in docs[i : i + per_file]]
        (folder / f"part{i // per_file:03}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return [d["url"] for d in docs]


# -- checks ----------------------------------------------------------------------------


def inspect_store(db: str, urls: list[str], version: str | None = None) -> dict[str, Any]:
    """Counts of everything that would mean damage (all 0 on a healthy store)."""
    from rashomon.store import Store

    st = Store(db)
    try:
        stored = Counter(r["url"] for r in st.execute("SELECT url FROM articles"))
        versions = Counter(r["v"] for r in st.execute("SELECT pipeline_version AS v FROM analyses"))
        out: dict[str, Any] = {
            "articles": sum(stored.values()),
            "analyzed": sum(versions.values()),
            "lost": sum(1 for u in urls if u not in stored),
            "duplicated": sum(c - 1 for c in stored.values() if c > 1),
            "foreign": sum(1 for u in stored if u not in set(urls)),
            "orphans": 0,
            "versions": dict(versions),
        }
        for t in ANALYSIS:
            out["orphans"] += st.execute(
                f"SELECT count(*) AS n FROM {t} WHERE article_id NOT IN (SELECT article_id FROM analyses)"
            )[0]["n"]
        out["analyses_without_article"] = st.execute(
            "SELECT count(*) AS n FROM analyses WHERE article_id NOT IN (SELECT id FROM articles)"
        )[0]["n"]
        out["dangling_story_members"] = st.execute(
            "SELECT count(*) AS n FROM story_members WHERE event_mention_id NOT IN (SELECT id FROM event_mentions)"
            " OR story_id NOT IN (SELECT id FROM stories)"
        )[0]["n"]
        if version is not None:
            out["unanalyzed"] = out["articles"] - sum(versions.values())
            out["stale_version"] = sum(c for v, c in versions.items() if v != version)
        if st.is_sqlite:
            out["integrity"] = st.execute("PRAGMA integrity_check")[0]["integrity_check"]
        return out
    finally:
        st.close()


def per_article_counts(db: str) -> dict[str, dict[str, int]]:
    """url -> {table: rows} for the analysis tables: a fingerprint of what was extracted."""
    from rashomon.store import Store

    st = Store(db)
    try:
        url_of = {r["id"]: r["url"] for r in st.execute("SELECT id, url FROM articles")}
        out: dict[str, dict[str, int]] = {u: dict.fromkeys(ANALYSIS, 0) for u in url_of.values()}
        for t in ANALYSIS:
            for r in st.execute(f"SELECT article_id, count(*) AS n FROM {t} GROUP BY article_id"):
                out[url_of[r["article_id"]]][t] = r["n"]
        return out
    finally:
        st.close()


# -- runs ------------------------------------------------------------------------------


def analyze_cmd(folder: Path, db: str, batch_size: int = 8) -> list[str]:
    return [sys.executable, "-m", "rashomon.cli", "analyze", str(folder), "--db", db, "--quiet",
            "--batch-size", str(batch_size)]


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONUNBUFFERED": "1", "PYTHONPATH": str(ROOT / "src")}


def run_to_end(folder: Path, db: str, timeout: float = 900) -> subprocess.CompletedProcess[str]:
    return subprocess.run(analyze_cmd(folder, db), env=_env(), capture_output=True, text=True,
                          timeout=timeout, check=False)


def kill_at_random(folder: Path, db: str, delay: float) -> str:
    """Start an analyze run, SIGKILL it after ``delay`` s; return the phase it was in."""
    with tempfile.TemporaryFile() as errf:
        proc = subprocess.Popen(analyze_cmd(folder, db), env=_env(), stdout=subprocess.DEVNULL, stderr=errf)
        try:
            proc.wait(timeout=delay)
            errf.seek(0)
            if proc.returncode not in (0, 1):
                raise RuntimeError(f"analyze failed before the kill: {errf.read().decode()[-2000:]}")
            return "finished"
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
    return "killed"


def trial(folder: Path, db: str, urls: list[str], rng: random.Random, kills: int,
          window: tuple[float, float]) -> dict[str, Any]:
    """One corpus, ``kills`` random SIGKILLs, one final run; invariants checked throughout."""
    phases: Counter[str] = Counter()
    after_kill: list[dict[str, Any]] = []
    for _ in range(kills):
        outcome = kill_at_random(folder, db, rng.uniform(*window))
        if outcome == "killed":
            state = inspect_store(db, urls) if _exists(db) else {"articles": 0, "analyzed": 0}
            phase = ("before any commit" if state["articles"] == 0 else
                     "ingest" if state["articles"] < len(urls) else
                     "analyze" if state["analyzed"] < len(urls) else "link/report")
            phases[phase] += 1
            after_kill.append(state)
        else:
            phases["finished before the kill"] += 1
    final = run_to_end(folder, db)
    if final.returncode != 0:
        raise RuntimeError(f"the resumed run failed ({final.returncode}): {final.stderr[-3000:]}")
    return {"phases": dict(phases), "after_kill": after_kill, "final": inspect_store(db, urls)}


def _exists(db: str) -> bool:
    return "://" in db or Path(db).exists()


def current_version() -> str:
    from rashomon.pipeline import pipeline_version

    return pipeline_version()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--trials", type=int, default=10, help="independent corpora (default 10)")
    ap.add_argument("--kills", type=int, default=3, help="SIGKILLs per trial before the final run (default 3)")
    ap.add_argument("--articles", type=int, default=60, help="articles per corpus (default 60)")
    ap.add_argument("--window", default="1,15", help="kill delay range in seconds (default 1,15)")
    ap.add_argument("--seed", type=int, default=2024)
    ap.add_argument("--pg", nargs="?", const=PG_DEFAULT, default=None, help="run on PostgreSQL (URL; fresh schema per trial)")
    args = ap.parse_args(argv)
    lo, hi = (float(x) for x in args.window.split(","))
    rng = random.Random(args.seed)
    version = current_version()
    totals: Counter[str] = Counter()
    phases: Counter[str] = Counter()
    t0 = time.perf_counter()
    for i in range(args.trials):
        with tempfile.TemporaryDirectory() as d:
            folder = Path(d) / "corpus"
            urls = make_corpus(folder, args.articles, seed=args.seed + i)
            ctx: Any = pg_store(args.pg) if args.pg else contextlib.nullcontext(str(Path(d) / "r.db"))
            with ctx as db:
                res = trial(folder, db, urls, rng, args.kills, (lo, hi))
                final = inspect_store(db, urls, version)
        phases.update(res["phases"])
        for state in res["after_kill"]:
            totals["orphans_after_kills"] += state.get("orphans", 0)
            totals["duplicated_after_kills"] += state.get("duplicated", 0)
        for key in ("lost", "duplicated", "orphans", "unanalyzed", "stale_version", "foreign",
                    "analyses_without_article", "dangling_story_members"):
            totals[key] += final[key]
        if final.get("integrity", "ok") != "ok":
            totals["integrity_failures"] += 1
        print(json.dumps({"trial": i, "phases": res["phases"], "final": {k: final[k] for k in
                          ("articles", "analyzed", "lost", "duplicated", "orphans", "unanalyzed")}}),
              file=sys.stderr, flush=True)
    report = {
        "backend": "postgresql" if args.pg else "sqlite",
        "trials": args.trials,
        "kills_per_trial": args.kills,
        "articles_per_trial": args.articles,
        "kill_window_s": [lo, hi],
        "seed": args.seed,
        "kills_landed_in": dict(phases),
        "pipeline_version": version,
        **{k: totals.get(k, 0) for k in ("lost", "duplicated", "orphans", "unanalyzed", "stale_version",
                                         "foreign", "analyses_without_article", "dangling_story_members",
                                         "orphans_after_kills", "duplicated_after_kills", "integrity_failures")},
        "seconds": round(time.perf_counter() - t0, 1),
    }
    print(json.dumps(report, indent=2))
    bad = sum(report[k] for k in ("lost", "duplicated", "orphans", "unanalyzed", "stale_version",
                                  "orphans_after_kills", "integrity_failures"))
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
