"""The main job: read -> annotate -> extract -> link -> reconcile, as a stream in batches.

Readers yield articles one by one; articles are stored in batches (one transaction each);
annotation and extraction run over the articles not yet analyzed with this pipeline
version, ``batch_size`` at a time, and each batch's results commit atomically with the
version stamp. Memory stays flat however many articles come in. Linking and
reconciliation then touch only the stories that the new event mentions can join.
"""

from __future__ import annotations

import hashlib
import itertools
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
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
    unsupported_sources: list[str] = field(default_factory=list)
    failed: int = 0  # stored, but the analysis failed (E401 too long, E402 raised); recorded in `rejected`
    stale: int = 0  # analyzed before with an older pipeline version: re-analyzed now
    event_mentions: int = 0
    claims: int = 0
    facts: int = 0
    stories: int = 0
    stories_touched: int = 0
    pipeline_version: str = ""
    processes: int = 1  # worker processes of the per-article stages (1: in this process)
    seconds: dict[str, float] = field(default_factory=dict)
    # this process's peak resident memory (MB) at the end of each stage: where it rises
    # is the stage that set it (empty where the platform does not report it)
    peak_rss_mb: dict[str, float] = field(default_factory=dict)


def peak_rss_mb() -> float | None:
    """This process's peak resident set size so far, in MB (None where unknown)."""
    try:
        import resource
    except ImportError:  # Windows
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(peak / (1024 * 1024 if sys.platform == "darwin" else 1024), 1)


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

    stream = read_sources(
        sources,
        outlet=outlet,
        outlet_from_dir=outlet_from_dir,
        allow_private=allow_private,
        max_bytes=int(settings.get("max_bytes") or 20_000_000),
        timeout=float(settings.get("timeout") or 20.0),
    )
    return store_outcomes(store, stream, batch_size=batch_size, progress=progress, on_message=on_message)


def store_outcomes(
    store: Store,
    stream: Iterable[Article | Rejected],
    *,
    batch_size: int = 50,
    progress: Progress | None = None,
    on_message: Callable[[str], None] | None = None,
) -> IngestSummary:
    """Store readers' outcomes in batches: articles (with near-duplicate links) and
    rejections (with their reasons)."""
    summary = IngestSummary()
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
PACKAGE = Path(__file__).parent
#: What each per-article stage reads: its code (rules and lexicons live in code) and its
#: data and model files. The pipeline stamp hashes all of it, so changing a rule, a
#: lexicon, the actor registry, the cue list or a trained model re-analyzes on next run.
STAGE_INPUTS: dict[str, tuple[str, ...]] = {
    "annotate": ("annotate/*.py", "data/actors.yaml", "data/outlets.yaml", "model.py"),
    "extract": ("extract/*.py", "extract/**/*.py", "lite.py", "data/cues.txt", "data/models/casualties*", "data/models/claims*"),
    "framing": ("framing/*.py", "lite.py", "data/models/framing-models.json", "data/models/techniques.npz", "data/models/genre.npz",
                "data/models/techniques-encoder*"),
}
#: Stages whose output a no-framing run also produces (framing is added by a full run).
BASE_STAGES = ("annotate", "extract")


def stage_inputs(stage: str) -> list[Path]:
    """The files a stage reads, sorted (globs relative to the package; missing ones skipped)."""
    found: set[Path] = set()
    for pattern in STAGE_INPUTS[stage]:
        found.update(p for p in PACKAGE.glob(pattern) if p.is_file() and "__pycache__" not in p.parts)
    return sorted(found)


def stage_digest(stage: str) -> str:
    """Short hash of a stage's declared inputs (paths and bytes)."""
    h = hashlib.sha1()
    for path in stage_inputs(stage):
        h.update(path.relative_to(PACKAGE).as_posix().encode())
        h.update(b"\0")
        h.update(path.read_bytes())
        h.update(b"\0")
    return h.hexdigest()[:10]


@cache
def _stage_stamp(framing: bool, mode: str = "fast") -> str:
    """``mode`` is the ``framing`` setting: an accurate run's stamp says so (its technique
    rows come from another model), a fast run's stays as it was."""
    from rashomon.extract import EXTRACT_VERSION

    base = f"{EXTRACT_VERSION}|" + "|".join(f"{st}-{stage_digest(st)}" for st in BASE_STAGES)
    if not framing:
        return base + NO_FRAMING
    return base + f"|framing-{stage_digest('framing')}" + ("" if mode == "fast" else f"-{mode}")


def pipeline_version(nlp: Any = None, *, framing: bool = True) -> str:
    """Everything that changes analysis output, in one stamp stored with each article:
    the package version, the spaCy pipeline, and each per-article stage's declared
    version plus the hash of the code, data and model files it reads (``STAGE_INPUTS``).
    A full run's stamp ends in the framing stage's hash; a no-framing run's in
    ``|no-framing`` (so removing the suffix gives the matching full stamp's prefix)."""
    from rashomon import __version__
    from rashomon.annotate.nlp import load_nlp, pipeline_id

    nlp = nlp or load_nlp()
    mode = str(settings.get("framing") or "fast")
    return f"rashomon-{__version__}|{pipeline_id(nlp)}|{_stage_stamp(framing, mode)}"


def full_version_prefix(no_framing_version: str) -> str:
    """The part of a full stamp a no-framing stamp shares (everything before framing)."""
    return no_framing_version.removesuffix(NO_FRAMING) + "|framing-"


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
        store.release_near_dup_index()  # corpus-sized; the analysis after ingest does not use it
    run.seconds["ingest"] = round(time.perf_counter() - t0, 3)
    _mark(run, "ingest")

    nlp = load_nlp()
    version = pipeline_version(nlp, framing=framing)
    run.pipeline_version = version
    versions = store.analyzed_versions()  # one read: what is pending and what is stale
    if framing:
        todo = [a for a in store.article_ids() if versions.get(a) != version]
    else:  # a full analysis is a superset of a no-framing one
        full = full_version_prefix(version)
        todo = [a for a in store.article_ids() if versions.get(a) != version and not (versions.get(a) or "").startswith(full)]
    run.skipped = store.count("articles") - len(todo)
    run.stale = sum(1 for a in todo if a in versions)
    bs = batch_size or int(settings.get("batch_size") or 64)
    t1 = time.perf_counter()
    from rashomon.scale import resolve_processes

    nproc = resolve_processes(n_process, len(todo))
    run.processes = nproc
    if engine == "dask":
        from rashomon.scale import analyze_dask

        results_iter = analyze_dask(store, todo, scheduler=scheduler, batch_size=bs, n_workers=nproc,
                                    framing=framing)
    elif nproc > 1:
        from rashomon.scale import analyze_forked

        # tasks small enough that every worker gets several (the last ones finish together)
        task = max(1, min(bs, -(-len(todo) // (4 * nproc))))
        results_iter = analyze_forked(store.iter_articles(todo, batch_size=bs), nlp, n_process=nproc,
                                      batch_size=bs, task_size=task, framing=framing)
    else:
        from rashomon.extract import analyze_articles

        results_iter = analyze_articles(store.iter_articles(todo, batch_size=bs), nlp, batch_size=bs, framing=framing)
    done = 0
    for batch in _batched(results_iter, bs):
        store.save_analyses(batch, version)
        for r in batch:
            done += 1
            if r.get("status") == "failed":
                run.failed += 1
                store.add_rejected(Rejected(source=r["source"], reason=r["reason"], message=r["message"]))
                if on_message:
                    on_message(r["message"])
            elif r.get("status") != "analyzed":
                run.unsupported += 1
                run.unsupported_sources.append(r.get("source") or r["article_id"])
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
    _mark(run, "analyze")
    release_memory()  # what the analysis freed goes back before the linker's pool is built

    if link:
        from rashomon.reconcile import update_stories

        t2 = time.perf_counter()
        touched, total = update_stories(store, progress=progress)
        run.stories_touched = touched
        run.stories = total
        run.seconds["link+reconcile"] = round(time.perf_counter() - t2, 3)
        _mark(run, "link+reconcile")
    return run


def release_memory() -> None:
    """Collect garbage and hand the C heap's free pages back to the system (glibc's
    ``malloc_trim``; elsewhere only the collection). Freed memory a process keeps counts
    in its resident size; trimmed, the next stage starts from what is still in use."""
    import gc

    gc.collect()
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            ctypes.CDLL("libc.so.6").malloc_trim(0)
        except (OSError, AttributeError):  # not glibc (musl): nothing to trim
            pass


def _mark(run: RunSummary, stage: str) -> None:
    peak = peak_rss_mb()
    if peak is not None:
        run.peak_rss_mb[stage] = peak
