"""Scale benchmarks: throughput vs bare spaCy, peak memory, linking growth, Dask, increments.

Every figure is measured in this run on this machine and printed as JSON; ratios compare
two measurements taken in the same run (the machine may be shared and noisy: CPU-time
ratios are given beside wall-clock ones). Synthetic corpora come from bench/synth.py and
are cached in bench/corpora/. Usage:

    .venv/bin/python bench/scale.py                      # default sizes 1000,10000
    .venv/bin/python bench/scale.py --sizes 500,1000,2000 --throughput 500 --dask 1000 \
        --incremental 2000 --link-scale 1,2,4,8,16 --out bench/results/scale.json

Sections:
  throughput   full per-article analysis (annotate + extract [+ framing]) vs bare nlp.pipe
  runs         one complete `analyze` per size, each in its own process: peak RSS,
               articles/s, link + reconcile time and its fitted exponent (time ~ n^k)
  link_scaling the linker alone over k copies of the largest store's event mentions
  dask         LocalCluster with 2 workers vs the local engine on the same corpus
  incremental  adding 1% new articles to the analyzed store of that size vs its full run

Framing runs when its trained models are in src/rashomon/data/models (--framing auto).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
CORPORA = HERE / "corpora"


def corpus(n: int) -> Path:
    from synth import write

    return write(n, CORPORA / f"{n}.jsonl")


def framing_default() -> bool:
    """Framing runs when its trained models are present (they are build artefacts)."""
    models = HERE.parent / "src" / "rashomon" / "data" / "models"
    return (models / "techniques.npz").is_file() and (models / "genre.npz").is_file()


def _child(code: str) -> dict:
    """Run code in a fresh interpreter; it prints one JSON line (with its own peak RSS)."""
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr[-2000:])
    return json.loads(proc.stdout.strip().splitlines()[-1])


ANALYZE = """
import json, resource, time
# import costs (sklearn for the linker's TF-IDF, etc.) are paid once per process, not per
# article: pay them before the clock starts so link timings scale with the corpus only
import sklearn.feature_extraction.text, rashomon.link.stories, rashomon.reconcile
from rashomon.store import Store
from rashomon.pipeline import analyze
st = Store({db!r})
t, c = time.perf_counter(), time.process_time()
run = analyze(st, [{src!r}] if {src!r} else [], engine={engine!r}, batch_size=64, framing={framing!r})
el, cpu = time.perf_counter() - t, time.process_time() - c
print(json.dumps({{"seconds": round(el, 2), "cpu_s": round(cpu, 2), "analyze_s": run.seconds.get("analyze"),
  "link_s": run.seconds.get("link+reconcile"), "ingest_s": run.seconds.get("ingest"),
  "analyzed": run.analyzed, "skipped": run.skipped, "event_mentions": run.event_mentions,
  "stories": run.stories, "stories_touched": run.stories_touched,
  "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
  "load_avg": [round(x, 2) for x in __import__("os").getloadavg()]}}))
"""


def run_analyze(src: Path | None, db: str, engine: str = "local", framing: bool = True) -> dict:
    return _child(ANALYZE.format(db=db, src=str(src) if src else "", engine=engine, framing=framing))


def throughput(n: int, framing: bool) -> dict:
    """Per-article stages in one process vs bare nlp.pipe over the same texts.

    Both wall-clock and CPU-time ratios are reported: on a shared machine the CPU-time
    ratio is the steadier one (other people's jobs inflate wall time unevenly)."""
    import synth

    from rashomon.annotate.nlp import load_nlp, load_spacy
    from rashomon.extract import analyze_articles
    from rashomon.model import Article

    arts = [Article(text=a["text"], outlet=a["outlet"], published=a["published"],
                    published_precision="day", language="en") for a in synth.generate(n)]
    texts = [a.text for a in arts]
    nlp = load_nlp()
    bare_nlp = load_spacy()  # bare spaCy: the package's pipeline as it ships
    list(bare_nlp.pipe(texts[:50]))
    list(analyze_articles(arts[:20], nlp, framing=framing))  # warm-up: models, registries, indexes
    # interleaved in chunks of 128 articles, so both sides see the same machine load
    bare = bare_cpu = ours = ours_cpu = 0.0
    for i in range(0, n, 128):
        t, c = time.perf_counter(), time.process_time()
        for _ in bare_nlp.pipe(texts[i : i + 128], batch_size=64):
            pass
        bare, bare_cpu = bare + time.perf_counter() - t, bare_cpu + time.process_time() - c
        t, c = time.perf_counter(), time.process_time()
        for _ in analyze_articles(arts[i : i + 128], nlp, batch_size=64, framing=framing):
            pass
        ours, ours_cpu = ours + time.perf_counter() - t, ours_cpu + time.process_time() - c
    words = sum(len(x.split()) for x in texts)
    return {
        "articles": n, "words": words, "framing": framing,
        "bare_articles_per_s": round(n / bare, 1),
        "rashomon_articles_per_s": round(n / ours, 1), "rashomon_words_per_s": round(words / ours),
        "ratio_to_bare_spacy": round(bare / ours, 3),
        "ratio_to_bare_spacy_cpu": round(bare_cpu / ours_cpu, 3),
    }


def fit_exponent(points: list[tuple[int, float]]) -> float | None:
    pts = [(math.log(n), math.log(t)) for n, t in points if t and t > 0]
    if len(pts) < 2:
        return None
    mx = sum(x for x, _ in pts) / len(pts)
    my = sum(y for _, y in pts) / len(pts)
    num = sum((x - mx) * (y - my) for x, y in pts)
    den = sum((x - mx) ** 2 for x, _ in pts)
    return round(num / den, 3) if den else None


def _shift_years(value: str | None, years: int) -> str | None:
    if not value or not value[:4].isdigit():
        return value
    return "/".join(f"{int(v[:4]) + years:04d}{v[4:]}" if v[:4].isdigit() else v for v in value.split("/"))


def link_scaling(db: str, factors: list[int]) -> dict:
    """``link_events`` time over k copies of an analyzed store's event mentions.

    Copy j is shifted 2*j years (dates and publication dates), so the corpus grows as a
    longer archive at the same density per time window; the records are real extractor
    output. This isolates the linker (the only corpus-level step whose cost could grow
    faster than n) at sizes the per-article stages cannot reach here in reasonable time."""
    from dataclasses import replace

    from rashomon.link.stories import link
    from rashomon.reconcile import _records
    from rashomon.store import Store

    base, _ = _records(Store(db))
    link(base[:50])  # warm-up: imports (sklearn) are per process
    out = {}
    for k in factors:
        recs = [
            replace(r, id=f"{r.id}~{j}", doc_id=f"{r.doc_id}~{j}", date=_shift_years(r.date, 2 * j),
                    published=_shift_years(r.published, 2 * j))
            for j in range(k) for r in base
        ]
        t, c = time.perf_counter(), time.process_time()
        res = link(recs)
        out[len(recs)] = {"seconds": round(time.perf_counter() - t, 3), "cpu_s": round(time.process_time() - c, 3),
                          "pairs": res.stats.candidate_pairs, "stories": res.stats.stories}
        print(json.dumps({"link_scaling": {len(recs): out[len(recs)]}}), flush=True)
    return {"records": out, "exponent": fit_exponent([(n, v["seconds"]) for n, v in out.items()]),
            "cpu_exponent": fit_exponent([(n, v["cpu_s"]) for n, v in out.items()]),
            "pairs_exponent": fit_exponent([(n, v["pairs"]) for n, v in out.items()])}


def write_jsonl(rows: list[dict], path: Path) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1000,10000", help="corpus sizes for memory and linking ('' = skip)")
    ap.add_argument("--throughput", type=int, default=1000, help="articles for the throughput section (0 = skip)")
    ap.add_argument("--dask", type=int, default=0, help="corpus size for the Dask comparison (0 = skip)")
    ap.add_argument("--incremental", type=int, default=0, help="corpus size for the incremental run (0 = skip)")
    ap.add_argument("--framing", choices=("auto", "on", "off"), default="auto",
                    help="run the framing models (auto: when their trained files are present)")
    ap.add_argument("--link-scale", default="", help="copies of the largest analyzed size's event mentions "
                    "to link, e.g. 1,2,4,8 ('' = skip)")
    ap.add_argument("--out", type=Path, help="also write the report as JSON here")
    args = ap.parse_args()
    framing = framing_default() if args.framing == "auto" else args.framing == "on"
    sizes = [int(x) for x in args.sizes.split(",") if x]
    report: dict = {
        "machine": {"platform": platform.platform(), "python": platform.python_version(),
                    "cpus": os.cpu_count(), "ram_gb": round(os.sysconf("SC_PAGE_SIZE")
                                                            * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
                    "load_avg_at_start": [round(x, 2) for x in os.getloadavg()]},
        "date": time.strftime("%Y-%m-%d %H:%M %Z"),
        "framing": framing,
    }
    if args.throughput:
        report["throughput"] = throughput(args.throughput, framing)
        print(json.dumps({"throughput": report["throughput"]}), flush=True)

    runs: dict[int, dict] = {}
    with tempfile.TemporaryDirectory() as tmp:
        # one full local run per size: memory, link time, and the baselines the Dask and
        # incremental sections compare against (same corpus, same run of this script)
        for n in sorted(set(sizes) | {args.incremental} - {0}):
            r = run_analyze(corpus(n), str(Path(tmp) / f"{n}.db"), framing=framing)
            r["articles_per_s"] = round(n / r["analyze_s"], 1) if r["analyze_s"] else None
            runs[n] = r
            print(json.dumps({"size": n, **r}), flush=True)
        if sizes:
            report["runs"] = {n: runs[n] for n in sizes}
            mem = {n: runs[n]["peak_rss_mb"] for n in sizes}
            report["peak_rss_mb"] = mem
            report["peak_rss_spread"] = round(max(mem.values()) / min(mem.values()), 3)
            link = [(n, runs[n]["link_s"]) for n in sizes]
            report["link_reconcile_s"] = dict(link)
            report["link_exponent"] = fit_exponent(link)

        if args.link_scale and sizes:
            factors = [int(x) for x in args.link_scale.split(",") if x]
            report["link_scaling"] = link_scaling(str(Path(tmp) / f"{max(sizes)}.db"), factors)

        if args.dask:
            n = args.dask
            # a fresh local run right before the Dask run: the two see similar machine load
            local = run_analyze(corpus(n), str(Path(tmp) / f"local-{n}.db"), framing=framing)
            dask = run_analyze(corpus(n), str(Path(tmp) / f"dask-{n}.db"), engine="dask", framing=framing)
            report["dask"] = {
                "articles": n, "workers": 2, "local_analyze_s": local["analyze_s"],
                "dask_analyze_s": dask["analyze_s"],
                "speedup": round(local["analyze_s"] / dask["analyze_s"], 3) if dask["analyze_s"] else None,
                "local_load_avg": local["load_avg"], "dask_load_avg": dask["load_avg"],
            }
            print(json.dumps({"dask": report["dask"]}), flush=True)

        if args.incremental:
            import synth

            # synth is seeded and sequential, so generate(n + extra)[:n] is the n-corpus
            # already analyzed above: the increment is the next 1%, new to the store
            n = args.incremental
            extra = max(1, n // 100)
            rows = list(synth.generate(n + extra))[n:]
            more = write_jsonl(rows, Path(tmp) / "more.jsonl")
            inc = run_analyze(more, str(Path(tmp) / f"{n}.db"), framing=framing)
            full = runs[n]
            report["incremental"] = {
                "base_articles": n, "added": extra, "full_s": full["seconds"], "increment_s": inc["seconds"],
                "increment_share": round(inc["seconds"] / full["seconds"], 4),
                "increment_analyze_s": inc["analyze_s"], "increment_link_s": inc["link_s"],
                "increment_ingest_s": inc["ingest_s"], "stories_touched": inc["stories_touched"],
            }
            print(json.dumps({"incremental": report["incremental"]}), flush=True)
    print(json.dumps(report, indent=2))
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
