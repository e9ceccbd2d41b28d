"""Using the cores: the process-count rule, forked local workers, and the Dask engine.

``process_count`` picks how many worker processes a run gets (docs/scale.md,
"Processes"). ``analyze_forked`` runs every per-article stage (parse, extraction,
framing) in that many forked processes of this machine; the parent loads the models
before forking, so the workers share those pages and start at once.

The Dask engine: per-article stages on a Dask cluster, results streamed back.

``analyze_dask`` sends batches of articles to the workers (a ``LocalCluster`` when no
scheduler address is given). Each worker process loads the spaCy pipeline and the
trained models once (``functools.cache`` per process) and returns plain table rows,
which the caller writes to the database batch by batch. At most ``2 x workers`` batches
are in flight, so memory on the client stays flat however large the corpus.

On a real cluster, start a scheduler and workers where Rashomon is installed (same
version, same pinned model), then pass ``--scheduler tcp://HOST:8786``; see
docs/scale.md for SLURM (dask-jobqueue) and Kubernetes (dask-kubernetes) set-ups.
"""

from __future__ import annotations

import itertools
import math
import os
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import fields
from typing import Any

from rashomon.model import Article
from rashomon.store import Store


def _work(batch: list[dict[str, Any]], framing: bool = True) -> list[dict[str, Any]]:
    """Runs on a worker: analyze one batch of articles, return their table rows."""
    from rashomon.annotate.nlp import load_nlp
    from rashomon.extract import analyze_articles

    nlp = load_nlp()
    arts = [Article(**a) for a in batch]
    return list(analyze_articles(arts, nlp, batch_size=len(arts), framing=framing))


def available_cores() -> int:
    """Cores this process may run on (its CPU affinity where the OS has one)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def available_memory_mb() -> int | None:
    """Memory available to new processes without swapping (MemAvailable), in MB."""
    try:
        import psutil

        return int(psutil.virtual_memory().available / 2**20)
    except Exception:
        pass
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) // 1024
    except OSError:
        pass
    try:
        return int(os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE") / 2**20)
    except (ValueError, OSError, AttributeError):
        return None


def process_count(
    n_articles: int,
    *,
    cores: int | None = None,
    memory_mb: int | None = None,
    process_memory_mb: int | None = None,
    articles_per_process: int | None = None,
) -> int:
    """How many worker processes to analyze ``n_articles`` with (``n_process`` 0 = auto).

    The smallest of: the cores available; the available memory divided by the
    ``process_memory_mb`` setting (1000: a worker's peak on real news with framing, about
    0.5 GB with the character-bounded parse, plus headroom); and one process per ``articles_per_process`` articles (50,
    so a handful of articles stays in one process, where forking would cost more than
    it saves). Never less than 1. Unknown memory does not limit."""
    from rashomon import settings

    cores = cores if cores is not None else available_cores()
    memory_mb = memory_mb if memory_mb is not None else available_memory_mb()
    per_proc = process_memory_mb or int(settings.get("process_memory_mb") or 1000)
    per_art = articles_per_process or int(settings.get("articles_per_process") or 50)
    by_memory = memory_mb // max(1, per_proc) if memory_mb is not None else cores
    by_work = math.ceil(max(0, n_articles) / max(1, per_art))
    return max(1, min(cores, by_memory, by_work))


def resolve_processes(requested: int | None, n_articles: int) -> int:
    """``--n-process`` if given, else the ``n_process`` setting; 0 (or unset) = auto."""
    from rashomon import settings

    n = requested if requested is not None else int(settings.get("n_process") or 0)
    return n if n > 0 else process_count(n_articles)


#: a short text that touches every lazily loaded model and index (registry, places,
#: dates, claims, events, framing), so forked workers inherit them loaded
WARM_TEXT = (
    "KABUL, Afghanistan (Reuters) - At least 12 people were killed and 20 wounded on Monday "
    "when a suicide bomber struck a market, police said. The Islamic State claimed the attack, "
    'and the Taliban denied any role. "We condemn it," a spokesman told reporters.'
)


def warm_up(nlp: Any, framing: bool = True) -> None:
    """Load what the stages load lazily, by analyzing one short article (per-article
    models and indexes), and load the language detector, the outlet registry, the US
    city -> state map and the document linker's pair model (ingest, linking, titles),
    so that forked workers inherit them and a timed run counts articles, not loads."""
    from rashomon.annotate import dates, places
    from rashomon.annotate.outlets import _registry as outlet_registry
    from rashomon.extract import analyze_articles
    from rashomon.link.docs import load_model
    from rashomon.read.language import detect_language

    art = Article(text=WARM_TEXT, published="2024-01-08", published_precision="day", language="en",
                  outlet="warm-up")
    list(analyze_articles([art], nlp, batch_size=1, framing=framing))
    places.warm()
    dates.warm()
    detect_language(WARM_TEXT)
    outlet_registry()
    places.us_city_state("York")
    load_model()


def _start_method() -> str:
    import multiprocessing as mp

    # fork shares the loaded models copy-on-write; macOS and Windows get spawn (each
    # worker loads the models itself)
    return "fork" if sys.platform.startswith("linux") and "fork" in mp.get_all_start_methods() else "spawn"


def analyze_forked(
    articles: Iterable[Article],
    nlp: Any,
    *,
    n_process: int,
    batch_size: int = 64,
    task_size: int | None = None,
    framing: bool = True,
) -> Iterator[dict[str, Any]]:
    """Per-article rows from ``n_process`` worker processes, in input order.

    Each task is ``task_size`` articles (default ``batch_size``); each worker runs the
    whole per-article analysis on it (``analyze_articles``: parse, extraction, framing)
    and sends back plain table rows, so nothing but article texts and rows crosses
    processes. At most ``2 x n_process`` tasks are in flight (memory stays flat), and
    results are consumed in submission order, so the rows and the database written from
    them are those of a one-process run. A worker that dies (killed, out of memory)
    raises ``BrokenProcessPool`` here instead of hanging."""
    import multiprocessing as mp
    from collections import deque
    from concurrent.futures import ProcessPoolExecutor

    size = max(1, task_size or batch_size)
    if _start_method() == "fork":
        warm_up(nlp, framing)
    ctx = mp.get_context(_start_method())
    tasks = (list(chunk) for chunk in _chunks(iter(articles), size))
    with ProcessPoolExecutor(max_workers=n_process, mp_context=ctx, initializer=_watch_parent,
                             initargs=(os.getpid(),)) as pool:
        queue = deque(pool.submit(_work_articles, t, framing) for t in itertools.islice(tasks, 2 * n_process))
        try:
            while queue:
                rows = queue.popleft().result()
                nxt = next(tasks, None)
                if nxt is not None:
                    queue.append(pool.submit(_work_articles, nxt, framing))
                yield from rows
        finally:
            for fut in queue:
                fut.cancel()


#: How often a worker checks that the ``analyze`` process that started it is alive.
PARENT_CHECK_S = 1.0


def _watch_parent(parent: int) -> None:
    """Worker start-up: exit as soon as the parent process is gone.

    A worker blocks reading its task queue, and it holds a copy of that pipe's write end,
    so a parent killed with SIGKILL (or by the out-of-memory killer) would leave it
    waiting forever, holding its memory. A daemon thread polls ``os.getppid()``: once the
    worker has been handed to another parent, it exits."""
    import threading
    import time

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_CHECK_S)
        os._exit(1)

    threading.Thread(target=watch, name="rashomon-parent-watch", daemon=True).start()


def _work_articles(arts: list[Article], framing: bool = True) -> list[dict[str, Any]]:
    """Runs in a worker process: the whole per-article analysis of one task."""
    from rashomon.annotate.nlp import load_nlp
    from rashomon.extract import analyze_articles, worker_zone

    nlp = load_nlp()
    worker_zone(nlp, len(arts))  # one memory zone across tasks, renewed every 1,000 articles
    return list(analyze_articles(arts, nlp, batch_size=len(arts), framing=framing, memory_zones=False))


def _as_dict(a: Article) -> dict[str, Any]:
    return {f.name: getattr(a, f.name) for f in fields(a)}


def client_for(scheduler: str | None, n_workers: int = 2) -> Any:
    from dask.distributed import Client, LocalCluster

    if scheduler:
        from rashomon import settings
        from rashomon.errors import Errors, UsageError

        seconds = float(settings.get("scheduler_timeout") or 5.0)
        try:
            return Client(scheduler, timeout=seconds)
        except (OSError, TimeoutError, ValueError) as exc:  # refused, unresolvable, timed out, bad address
            detail = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
            raise UsageError(Errors.E403.format(address=scheduler, seconds=seconds, detail=detail)) from None
    cluster = LocalCluster(
        n_workers=n_workers, threads_per_worker=1, processes=True,
        dashboard_address=None, silence_logs=40,
    )
    return Client(cluster)


def analyze_dask(
    store: Store,
    ids: Sequence[str],
    *,
    scheduler: str | None = None,
    batch_size: int = 64,
    n_workers: int = 2,
    client: Any = None,
    framing: bool = True,
) -> Iterator[dict[str, Any]]:
    """Yield per-article rows computed on the cluster, in input order.

    Rows come back in the order the articles were submitted (not completion order), so
    the database the client writes is the same, autoincrement ids included, as with the
    local engine. With ``2 x workers`` batches in flight, waiting on the oldest batch
    rarely idles a worker."""
    from collections import deque

    own = client is None
    client = client or client_for(scheduler, n_workers)
    try:
        workers = max(1, len(client.scheduler_info().get("workers", {})) or n_workers)
        window = 2 * workers
        batches = (
            [_as_dict(a) for a in chunk]
            for chunk in _chunks(store.iter_articles(ids, batch_size=batch_size), batch_size)
        )
        queue = deque(client.submit(_work, b, framing, pure=False) for b in itertools.islice(batches, window))
        while queue:
            fut = queue.popleft()
            rows = fut.result()
            fut.release()
            nxt = next(batches, None)
            if nxt is not None:
                queue.append(client.submit(_work, nxt, framing, pure=False))
            yield from rows
    finally:
        if own:
            cluster = getattr(client, "cluster", None)
            client.close()
            if cluster is not None:
                cluster.close()


def _chunks(items: Iterator[Article], n: int) -> Iterator[list[Article]]:
    while chunk := list(itertools.islice(items, n)):
        yield chunk
