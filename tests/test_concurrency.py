"""Concurrent writers on one store: SQLite (WAL + BEGIN IMMEDIATE) and PostgreSQL.

Two `rashomon ingest` processes on different folders into the same database at the same
moment must both finish, with counts that add up and an intact file; a writer that
cannot get the lock in time fails with the clear StoreError E103.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import event

from rashomon.errors import StoreError
from rashomon.model import Article
from rashomon.store import Store
from rashomon.store.db import _Tx

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from crash_trials import pg_store

ROOT = Path(__file__).resolve().parents[1]
N = 80  # articles per folder


def folder(tmp_path: Path, name: str, n: int = N, per_file: int = 10) -> Path:
    d = tmp_path / name
    d.mkdir()
    for i in range(0, n, per_file):
        lines = [
            json.dumps({"text": f"Report {name}-{j}: heavy rain flooded {j + 3} villages near the river in "
                                f"district {name.upper()}{j}, officials said on Sunday. At least {j % 40 + 1} people "
                                f"were killed, according to the governor of province {j * 7919 % 1000}.",
                        "url": f"https://{name}.example/{j}"})
            for j in range(i, min(i + per_file, n))
        ]
        (d / f"{i:04}.jsonl").write_text("\n".join(lines) + "\n")
    return d


def ingest_together(db: str, *folders: Path, overlap: Path | None = None) -> list[subprocess.CompletedProcess[str]]:
    """Start one `rashomon ingest` per folder at the same instant; wait for all."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    go = time.time() + 4.0  # all processes import first, then start together
    code = ("import sys,time; t=float(sys.argv[1]); sys.argv=['rashomon']+sys.argv[2:];"
            "time.sleep(max(0.0,t-time.time())); from rashomon.cli import main; main()")
    procs = []
    for f in folders:
        srcs = [str(f)] + ([str(overlap)] if overlap else [])
        procs.append(subprocess.Popen([sys.executable, "-c", code, str(go), "ingest", *srcs, "--db", db, "--quiet"],
                                      env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
    out = []
    for p in procs:
        stdout, stderr = p.communicate(timeout=300)
        out.append(subprocess.CompletedProcess(p.args, p.returncode, stdout, stderr))
    return out


def check_counts(db: str, expected: int, runs: list[subprocess.CompletedProcess[str]]) -> None:
    for r in runs:
        assert r.returncode == 0, r.stderr[-3000:]
    st = Store(db)
    try:
        assert st.count("articles") == expected
        urls = [r["url"] for r in st.execute("SELECT url FROM articles")]
        assert len(urls) == len(set(urls)) == expected
        assert st.count("rejected") == 0
        if st.is_sqlite:
            assert st.execute("PRAGMA integrity_check")[0]["integrity_check"] == "ok"
            assert st.execute("PRAGMA foreign_key_check") == []
    finally:
        st.close()


def test_two_ingests_into_one_fresh_sqlite_file(tmp_path: Path) -> None:
    """Both start on a file that does not exist yet: schema creation races too."""
    db = str(tmp_path / "shared.db")
    runs = ingest_together(db, folder(tmp_path, "alpha"), folder(tmp_path, "beta"))
    check_counts(db, 2 * N, runs)


def test_three_ingests_with_overlapping_input_sqlite(tmp_path: Path) -> None:
    db = str(tmp_path / "shared.db")
    Store(db).close()
    common = folder(tmp_path, "common", n=40)
    runs = ingest_together(db, folder(tmp_path, "a"), folder(tmp_path, "b"), folder(tmp_path, "c"), overlap=common)
    check_counts(db, 3 * N + 40, runs)  # the shared 40 are stored once


def test_two_ingests_on_postgresql(tmp_path: Path) -> None:
    with pg_store() as url:
        common = folder(tmp_path, "common", n=40)
        runs = ingest_together(url, folder(tmp_path, "alpha"), folder(tmp_path, "beta"), overlap=common)
        check_counts(url, 2 * N + 40, runs)


def test_writer_that_waits_too_long_gets_E103(tmp_path: Path) -> None:
    db = str(tmp_path / "locked.db")
    holder, waiter = Store(db), Store(db)

    @event.listens_for(waiter.engine, "connect")
    def short_busy(dbapi_conn, _rec):  # type: ignore[no-untyped-def]
        dbapi_conn.execute("PRAGMA busy_timeout=100")

    waiter.engine.dispose()
    with holder._begin() as conn:  # holds the write lock (BEGIN IMMEDIATE)
        conn.exec_driver_sql("SELECT 1")
        t0 = time.monotonic()
        with pytest.raises(StoreError) as info, _Tx(waiter, wait=1.0):
            pass
        assert time.monotonic() - t0 >= 1.0  # it retried for the whole wait
    msg = str(info.value)
    assert msg.startswith("[E103]") and db in msg and "Wait for the other run" in msg
    # once the lock is free the same writer goes through
    waiter.add_article(Article(text="A report long enough to be stored in the database. " * 3))
    assert waiter.count("articles") == 1
    holder.close()
    waiter.close()


def test_readers_are_not_blocked_by_a_writer(tmp_path: Path) -> None:
    """WAL: a reader sees the last committed state while a write transaction is open."""
    db = str(tmp_path / "wal.db")
    w, r = Store(db), Store(db)
    w.add_article(Article(text="First report, long enough to be stored as an article here. " * 3))
    with w._begin() as conn:
        conn.exec_driver_sql("DELETE FROM minhashes")
        assert r.count("articles") == 1 and r.count("minhashes") == 1  # not blocked, old snapshot
    assert r.count("minhashes") == 0
    w.close()
    r.close()
