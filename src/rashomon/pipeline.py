"""The main job: read -> annotate -> extract -> link -> reconcile, as a stream in batches.

Readers yield articles one by one; articles are stored in batches (one transaction each);
annotation and extraction run over the articles not yet analyzed with this pipeline
version, ``batch_size`` at a time, and each batch's results commit atomically with the
version stamp. Memory stays flat however many articles come in. Linking and
reconciliation then touch only the stories that the new event mentions can join.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from rashomon import settings
from rashomon.model import Article, Rejected
from rashomon.store import Store

Progress = Callable[[str, int, int], None]  # (stage, done, total); total 0 when unknown
Engine = Literal["local", "dask"]


@dataclass(slots=True)
class IngestSummary:
    read: int = 0
    stored: int = 0
    duplicates: int = 0
    near_duplicates: int = 0
    rejected: Counter[str] = field(default_factory=Counter)
    messages: list[str] = field(default_factory=list)

    @property
    def n_rejected(self) -> int:
        return sum(self.rejected.values())


@dataclass(slots=True)
class RunSummary:
    ingest: IngestSummary = field(default_factory=IngestSummary)
    analyzed: int = 0
    skipped: int = 0  # already analyzed with this pipeline version
    unsupported: int = 0  # stored, but not in a language the extractors handle
    event_mentions: int = 0
    claims: int = 0
    facts: int = 0
    stories: int = 0
    stories_touched: int = 0
    pipeline_version: str = ""
    seconds: dict[str, float] = field(default_factory=dict)


def _batched(items: Iterable[Any], n: int) -> Iterator[list[Any]]:
    it = iter(items)
    while chunk := list(itertools.islice(it, n)):
        yield chunk


def ingest(
    store: Store,
    sources: Sequence[str],
    *,
    outlet: str | None = None,
    allow_private: bool = False,
    batch_size: int = 50,
    outlet_from_dir: str | None = None,
    progress: Progress | None = None,
    on_message: Callable[[str], None] | None = None,
) -> IngestSummary:
    """Read every source and store the articles; rejected inputs are recorded, not fatal."""
    from rashomon.read import read_sources

    summary = IngestSummary()
    stream = read_sources(
        sources,
        outlet=outlet,
        outlet_from_dir=outlet_from_dir,
        allow_private=allow_private,
        max_bytes=int(settings.get("max_bytes") or 20_000_000),
        timeout=float(settings.get("timeout") or 20.0),
    )
    pending: list[Article] = []

    def flush() -> None:
        for art, out in zip(pending, store.add_articles(pending), strict=True):
            if out.status == "stored":
                summary.stored += 1
            elif out.status == "duplicate":
                summary.duplicates += 1
            else:
                summary.near_duplicates += 1
                msg = (
                    f"{art.source}: near-duplicate of article {out.duplicate_of} "
                    f"(similarity {out.similarity:.2f}); stored and linked to it."
                )
                summary.messages.append(msg)
                if on_message:
                    on_message(msg)
        pending.clear()

    for item in stream:
        if isinstance(item, Rejected):
            summary.rejected[item.reason] += 1
            summary.messages.append(item.message)
            store.add_rejected(item)
            if on_message:
                on_message(item.message)
            continue
        summary.read += 1
        pending.append(item)
        if len(pending) >= batch_size:
            flush()
        if progress:
            progress("read", summary.read, 0)
    if pending:
        flush()
    return summary


NO_FRAMING = "|no-framing"  # version suffix of articles analyzed with framing=False


def pipeline_version(nlp: Any = None, *, framing: bool = True) -> str:
    """Everything that changes analysis output, in one stamp stored with each article."""
    from rashomon import __version__
    from rashomon.annotate.nlp import load_nlp, pipeline_id
    from rashomon.extract import EXTRACT_VERSION

    nlp = nlp or load_nlp()
    full = f"rashomon-{__version__}|{pipeline_id(nlp)}|{EXTRACT_VERSION}"
    return full + "|" + _models_version() if framing else full + NO_FRAMING


def _models_version() -> str:
    """A short hash of the trained framing models' metadata: retraining re-analyzes."""
    import hashlib
    from pathlib import Path

    meta = Path(__file__).parent / "data" / "models" / "framing-models.json"
    digest = hashlib.sha1(meta.read_bytes()).hexdigest()[:8] if meta.exists() else "none"
    return f"models-{digest}"


def analyze(
    store: Store,
    sources: Sequence[str] = (),
    *,
    outlet: str | None = None,
    allow_private: bool = False,
    batch_size: int | None = None,
    n_process: int | None = None,
    engine: Engine = "local",
    scheduler: str | None = None,
    progress: Progress | None = None,
    on_message: Callable[[str], None] | None = None,
    link: bool = True,
    framing: bool = True,
    outlet_from_dir: str | None = None,
) -> RunSummary:
    """Ingest ``sources`` (if any), analyze every article not yet analyzed, link, reconcile.

    Fast paths: articles already analyzed with this pipeline version are skipped;
    ``framing=False`` skips the technique/genre models and framing profiles (stamped
    ``...|no-framing``, so a later full run redoes those articles, while a no-framing
    run accepts articles that were fully analyzed); ``link=False`` skips linking."""
    import time

    from rashomon.annotate.nlp import load_nlp

    run = RunSummary()
    t0 = time.perf_counter()
    if sources:
        run.ingest = ingest(
            store, sources, outlet=outlet, allow_private=allow_private,
            progress=progress, on_message=on_message, outlet_from_dir=outlet_from_dir,
        )
    run.seconds["ingest"] = round(time.perf_counter() - t0, 3)

    nlp = load_nlp()
    version = pipeline_version(nlp, framing=framing)
    run.pipeline_version = version
    if framing:
        todo = store.pending(version)
    else:  # a full analysis is a superset of a no-framing one
        full = version.removesuffix(NO_FRAMING)
        versions = store.analyzed_versions()
        todo = [a for a in store.article_ids() if versions.get(a) not in (version, full)]
    run.skipped = store.count("articles") - len(todo)
    bs = batch_size or int(settings.get("batch_size") or 64)
    t1 = time.perf_counter()
    if engine == "dask":
        from rashomon.scale import analyze_dask

        results_iter = analyze_dask(store, todo, scheduler=scheduler, batch_size=bs, framing=framing)
    else:
        from rashomon.extract import analyze_articles

        nproc = n_process or int(settings.get("n_process") or 1)
        results_iter = analyze_articles(
            store.iter_articles(todo, batch_size=bs), nlp, batch_size=bs, n_process=nproc, framing=framing
        )
    done = 0
    for batch in _batched(results_iter, bs):
        store.save_analyses(batch, version)
        for r in batch:
            done += 1
            if r.get("status") != "analyzed":
                run.unsupported += 1
            run.event_mentions += len(r.get("event_mentions", []))
            run.claims += len(r.get("claims", []))
            run.facts += len(r.get("facts", []))
        # one actors transaction per batch, not per article (later articles win, as before)
        actors = {a["id"]: a for r in batch for a in r.get("actors", [])}
        store.upsert_actors(list(actors.values()))
        if progress:
            progress("analyze", done, len(todo))
    run.analyzed = done
    run.seconds["analyze"] = round(time.perf_counter() - t1, 3)

    if link:
        from rashomon.reconcile import update_stories

        t2 = time.perf_counter()
        touched, total = update_stories(store, progress=progress)
        run.stories_touched = touched
        run.stories = total
        run.seconds["link+reconcile"] = round(time.perf_counter() - t2, 3)
    return run
