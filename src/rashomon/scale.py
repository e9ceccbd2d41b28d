"""The Dask engine: per-article stages on a Dask cluster, results streamed back.

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
from collections.abc import Iterator, Sequence
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
