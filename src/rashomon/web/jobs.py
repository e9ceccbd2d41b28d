"""Background analysis jobs: one writer thread, progress you can poll.

SQLite allows one writer at a time, so every submitted batch goes through a single
worker thread in submission order (Datasette's model). The HTTP request returns at once
with a job id; ``GET /api/jobs/{id}`` reports state, stage, done/total and messages.
"""

from __future__ import annotations

import inspect
import queue
import shutil
import threading
import time
import uuid
from collections import OrderedDict
from dataclasses import asdict, dataclass, field, is_dataclass
from pathlib import Path
from typing import Any

from rashomon.store.db import Store

MAX_JOBS = 200
MAX_MESSAGES = 200


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

    def public(self) -> dict[str, Any]:
        return {
            "id": self.id, "state": self.state, "stage": self.stage, "done": self.done,
            "total": self.total, "messages": list(self.messages), "article_ids": list(self.article_ids),
            "titles": dict(self.titles), "summary": self.summary, "error": self.error,
            "n_sources": len(self.sources),
        }

    def say(self, msg: str) -> None:
        self.messages.append(msg)
        del self.messages[:-MAX_MESSAGES]


class JobManager:
    """Queue analysis jobs and run them one at a time on a daemon thread."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._queue: queue.Queue[Job] = queue.Queue()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def submit(self, sources: list[str], *, outlet: str | None = None, workdir: str | None = None) -> Job:
        job = Job(id=uuid.uuid4().hex[:16], sources=sources, outlet=outlet, workdir=workdir)
        job.say(f"queued {len(sources)} source(s)")
        with self._lock:
            self._jobs[job.id] = job
            while len(self._jobs) > MAX_JOBS:
                self._jobs.popitem(last=False)
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._work, name="rashomon-writer", daemon=True)
                self._thread.start()
        self._queue.put(job)
        return job

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)

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
                self._queue.task_done()

    def _run(self, job: Job) -> None:
        job.state = "running"
        before = set(self.store.article_ids())

        def progress(stage: str, done: int, total: int) -> None:
            if stage != job.stage:
                job.say(f"{stage}…")
            job.stage, job.done, job.total = stage, int(done), int(total)

        failed: str | None = None
        try:
            from rashomon import pipeline  # imported here: heavy, and optional for read-only use

            kwargs: dict[str, Any] = {"outlet": job.outlet, "progress": progress, "allow_private": False}
            if "on_message" in inspect.signature(pipeline.analyze).parameters:
                kwargs["on_message"] = job.say
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
