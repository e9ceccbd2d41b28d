"""Background analysis jobs: one writer thread, progress you can poll, kept in the store.

SQLite allows one writer at a time, so every submitted batch goes through a single
worker thread in submission order (Datasette's model). The HTTP request returns at once
with a job id; ``GET /api/jobs/{id}`` reports state, stage, done/total, progress and
messages.

Every job is also a row of the ``jobs`` table: written when it is queued, when it starts,
at most twice a second while it runs, and when it ends. So a finished job's outcome is
still there after the server restarts, and a job that was queued or running when the
server stopped is marked ``failed`` (stage ``interrupted``) with a message saying so when
the next server opens the store. Job rows are written outside the store's versioned
write transactions: they are not data, and they do not invalidate the page cache.
"""

from __future__ import annotations

import inspect
import json
import queue
import shutil
import threading
import time
import uuid
from collections import OrderedDict
from dataclasses import asdict, dataclass, field, is_dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select, update

from rashomon.store import schema as s
from rashomon.store.db import Store

MAX_JOBS = 200
MAX_MESSAGES = 200
SAVE_EVERY = 0.5  # seconds between progress writes of a running job
INTERRUPTED = ("Interrupted: the server stopped before this job finished. Articles it had "
               "stored before the stop are kept; submit the rest again.")


def _iso(t: float | None) -> str | None:
    return None if t is None else datetime.fromtimestamp(t, UTC).isoformat(timespec="seconds")


def _ts(v: str | None) -> float | None:
    return None if not v else datetime.fromisoformat(v).timestamp()


@dataclass(slots=True)
class Job:
    id: str
    sources: list[str]
    outlet: str | None = None
    state: str = "queued"  # queued -> running -> done | failed
    stage: str = ""
    done: int = 0
    total: int = 0
    messages: list[str] = field(default_factory=list)
    article_ids: list[str] = field(default_factory=list)
    titles: dict[str, str] = field(default_factory=dict)
    summary: dict[str, Any] | None = None
    error: str | None = None
    created: float = field(default_factory=time.time)
    finished: float | None = None
    workdir: str | None = None
    n_sources: int | None = None

    @property
    def progress(self) -> float:
        """0..1 for the progress bar: a finished job is 1 whatever its last stage reported."""
        if self.state == "done":
            return 1.0
        if self.total > 0:
            return max(0.0, min(1.0, self.done / self.total))
        return 0.0

    def public(self) -> dict[str, Any]:
        # the stages report as they go (reading has no known total; reconciling reports
        # every 50th story), so a finished job says so itself: done == total, progress 1
        total = max(self.total, self.done, 1) if self.state == "done" else self.total
        return {
            "id": self.id, "state": self.state, "stage": self.stage,
            "done": total if self.state == "done" else self.done, "total": total,
            "progress": round(self.progress, 4),
            "messages": list(self.messages), "article_ids": list(self.article_ids),
            "titles": dict(self.titles), "summary": self.summary, "error": self.error,
            "n_sources": self.n_sources if self.n_sources is not None else len(self.sources),
            "created": _iso(self.created), "finished": _iso(self.finished),
        }

    def say(self, msg: str) -> None:
        self.messages.append(msg)
        del self.messages[:-MAX_MESSAGES]

    def row(self) -> dict[str, Any]:
        return {
            "id": self.id, "state": self.state, "stage": self.stage, "done": int(self.done),
            "total": int(self.total), "messages": json.dumps(self.messages, ensure_ascii=False),
            "article_ids": json.dumps(self.article_ids),
            "summary": json.dumps(self.summary, ensure_ascii=False, default=str) if self.summary is not None else None,
            "error": self.error, "n_sources": self.n_sources if self.n_sources is not None else len(self.sources),
            "workdir": self.workdir, "created": _iso(self.created), "finished": _iso(self.finished),
        }

    @classmethod
    def from_row(cls, r: dict[str, Any]) -> Job:
        def js(v: Any, default: Any) -> Any:
            try:
                return json.loads(v) if v else default
            except ValueError:
                return default

        return cls(
            id=r["id"], sources=[], state=r["state"], stage=r["stage"] or "", done=int(r["done"] or 0),
            total=int(r["total"] or 0), messages=js(r["messages"], []), article_ids=js(r["article_ids"], []),
            summary=js(r["summary"], None), error=r["error"], created=_ts(r["created"]) or 0.0,
            finished=_ts(r["finished"]), workdir=r["workdir"], n_sources=r["n_sources"],
        )


class JobManager:
    """Queue analysis jobs, run them one at a time on a daemon thread, keep them in the store."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._queue: queue.Queue[Job] = queue.Queue()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._saved: dict[str, float] = {}
        self.recover()

    # -- persistence ----------------------------------------------------------------

    def recover(self) -> int:
        """Mark jobs left queued or running by a server that stopped; return how many."""
        t = s.jobs
        with self.store.engine.connect() as conn:
            left = [dict(r._mapping) for r in conn.execute(select(t).where(t.c.state.in_(("queued", "running"))))]
        for r in left:
            job = Job.from_row(r)
            job.state, job.stage, job.error = "failed", "interrupted", INTERRUPTED
            job.finished = time.time()
            job.say(INTERRUPTED)
            if job.workdir:
                shutil.rmtree(job.workdir, ignore_errors=True)
                job.workdir = None
            self._save(job, force=True)
        return len(left)

    def _save(self, job: Job, *, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._saved.get(job.id, 0.0) < SAVE_EVERY:
            return
        self._saved[job.id] = now
        row = job.row()
        t = s.jobs
        try:
            with self.store.engine.begin() as conn:
                if conn.execute(update(t).where(t.c.id == job.id).values(**row)).rowcount == 0:
                    conn.execute(insert(t).values(**row))
        except Exception as exc:  # a busy store must not stop the job; the next save catches up
            if force:
                job.say(f"could not record the job in the store: {type(exc).__name__}")

    def _load(self, job_id: str) -> Job | None:
        t = s.jobs
        with self.store.engine.connect() as conn:
            r = conn.execute(select(t).where(t.c.id == job_id)).first()
        if r is None:
            return None
        job = Job.from_row(dict(r._mapping))
        if job.article_ids:
            for a in self.store.iter_articles(job.article_ids[:100]):
                job.titles[a.id] = a.title or a.id
        return job

    # -- the queue ------------------------------------------------------------------

    def submit(self, sources: list[str], *, outlet: str | None = None, workdir: str | None = None) -> Job:
        job = Job(id=uuid.uuid4().hex[:16], sources=sources, outlet=outlet, workdir=workdir)
        job.say(f"queued {len(sources)} source(s)")
        self._save(job, force=True)
        with self._lock:
            self._jobs[job.id] = job
            while len(self._jobs) > MAX_JOBS:
                old, _ = self._jobs.popitem(last=False)
                self._saved.pop(old, None)
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._work, name="rashomon-writer", daemon=True)
                self._thread.start()
        self._queue.put(job)
        return job

    def get(self, job_id: str) -> Job | None:
        """A job of this server (live), else one recorded in the store by an earlier one."""
        with self._lock:
            job = self._jobs.get(job_id)
        return job if job is not None else self._load(job_id)

    def wait(self, job_id: str, timeout: float = 30.0) -> Job | None:
        """Block until a job finishes (tests and the CLI use this)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            job = self.get(job_id)
            if job is None or job.state in ("done", "failed"):
                return job
            time.sleep(0.05)
        return self.get(job_id)

    def _work(self) -> None:
        while True:
            job = self._queue.get()
            try:
                self._run(job)
            finally:
                if job.workdir:
                    shutil.rmtree(job.workdir, ignore_errors=True)
                    job.workdir = None
                self._save(job, force=True)
                self._queue.task_done()

    def _run(self, job: Job) -> None:
        job.state = "running"
        self._save(job, force=True)
        before = set(self.store.article_ids())

        def progress(stage: str, done: int, total: int) -> None:
            changed = stage != job.stage
            if changed:
                job.say(f"{stage}…")
            job.stage, job.done, job.total = stage, int(done), int(total)
            self._save(job, force=changed)

        def message(msg: str) -> None:
            job.say(msg)

        failed: str | None = None
        try:
            from rashomon import pipeline  # imported here: heavy, and optional for read-only use

            kwargs: dict[str, Any] = {"outlet": job.outlet, "progress": progress, "allow_private": False}
            if "on_message" in inspect.signature(pipeline.analyze).parameters:
                kwargs["on_message"] = message
            job.summary = _plain(pipeline.analyze(self.store, job.sources, **kwargs))
        except Exception as exc:  # the edge: report any failure on the job, keep the worker alive
            failed = f"{type(exc).__name__}: {exc}"
        try:
            new = [a for a in self.store.article_ids() if a not in before]
            job.article_ids = new
            for a in self.store.iter_articles(new[:100]):
                job.titles[a.id] = a.title or a.id
        except Exception as exc:  # listing results must not hide the job's own outcome
            job.say(f"could not list new articles: {exc}")
        job.finished = time.time()
        if failed:
            job.error = failed
            job.say(f"failed: {failed}")
            job.state = "failed"
        else:
            job.say(f"done: {len(job.article_ids)} new article(s)")
            job.state = "done"


def _plain(obj: Any) -> dict[str, Any] | None:
    if obj is None:
        return None
    if is_dataclass(obj) and not isinstance(obj, type):
        return dict(asdict(obj))
    if isinstance(obj, dict):
        return obj
    return {"result": str(obj)}


def new_workdir() -> Path:
    import tempfile

    return Path(tempfile.mkdtemp(prefix="rashomon-upload-"))
