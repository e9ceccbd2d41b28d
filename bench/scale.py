"""Scale benchmarks: throughput vs bare spaCy, peak memory, linking growth, Dask, increments.

Every figure is measured in this run on this machine and printed as JSON; ratios compare
two measurements taken in the same run (the machine is shared and noisy). Usage:

    .venv/bin/python bench/scale.py                      # default sizes 1000,10000
    .venv/bin/python bench/scale.py --sizes 1000,10000,50000 --dask 10000 --incremental 10000

Sections:
  throughput   full per-article analysis (annotate + extract + framing) vs bare nlp.pipe
  memory       peak RSS of a complete `analyze` (own subprocess) per corpus size
  linking      link + reconcile time per size and the fitted exponent (time ~ n^k)
  dask         LocalCluster with 2 workers vs the local engine on the same corpus
  incremental  adding 1% new articles to an analyzed corpus vs the full run
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import resource
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


def _child(code: str) -> dict:
    """Run code in a fresh interpreter; it prints one JSON line; add its peak RSS."""
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr[-2000:])
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    return out


ANALYZE = """
import json, resource, time
from rashomon.store import Store
from rashomon.pipeline import analyze
st = Store({db!r})
t = time.perf_counter()
run = analyze(st, [{src!r}] if {src!r} else [], engine={engine!r}, batch_size=64)
el = time.perf_counter() - t
print(json.dumps({{"seconds": el, "analyze_s": run.seconds.get("analyze"), "link_s": run.seconds.get("link+reconcile"),
  "ingest_s": run.seconds.get("ingest"), "analyzed": run.analyzed, "stories": run.stories,
  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""


def run_analyze(src: Path | None, db: str, engine: str = "local") -> dict:
    return _child(ANALYZE.format(db=db, src=str(src) if src else "", engine=engine))


def throughput(n: int) -> dict:
    """Per-article stages in one process vs bare nlp.pipe over the same texts."""
    import synth

    from rashomon.annotate.nlp import load_nlp
    from rashomon.extract import analyze_articles
    from rashomon.model import Article

    arts = [Article(text=a["text"], outlet=a["outlet"], published=a["published"],
                    published_precision="day", language="en") for a in synth.generate(n)]
    texts = [a.text for a in arts]
    nlp = load_nlp()
    list(analyze_articles(arts[:20], nlp))  # warm-up: models, registries, indexes
    t = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=64):
        pass
    bare = time.perf_counter() - t
    t = time.perf_counter()
    for _ in analyze_articles(arts, nlp, batch_size=64):
        pass
    ours = time.perf_counter() - t
    words = sum(len(x.split()) for x in texts)
    return {
        "articles": n, "bare_articles_per_s": round(n / bare, 1),
        "rashomon_articles_per_s": round(n / ours, 1), "rashomon_words_per_s": round(words / ours),
        "ratio_to_bare_spacy": round(bare / ours, 3),
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


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1000,10000")
    ap.add_argument("--throughput", type=int, default=1000)
    ap.add_argument("--dask", type=int, default=0, help="corpus size for the Dask comparison (0 = skip)")
    ap.add_argument("--incremental", type=int, default=0, help="corpus size for the incremental run (0 = skip)")
    args = ap.parse_args()
    sizes = [int(x) for x in args.sizes.split(",") if x]
    report: dict = {
        "machine": {"platform": platform.platform(), "python": platform.python_version(),
                    "cpus": os.cpu_count()},
    }
    if args.throughput:
        report["throughput"] = throughput(args.throughput)
        print(json.dumps({"throughput": report["throughput"]}), flush=True)

    mem, link = {}, []
    for n in sizes:
        src = corpus(n)
        with tempfile.TemporaryDirectory() as tmp:
            r = run_analyze(src, str(Path(tmp) / "b.db"))
        mem[n] = round(r["peak_rss_mb"], 1)
        link.append((n, r["link_s"]))
        print(json.dumps({"size": n, **r}), flush=True)
    if mem:
        report["peak_rss_mb"] = mem
        report["peak_rss_spread"] = round(max(mem.values()) / min(mem.values()), 3)
        report["link_reconcile_s"] = dict(link)
        report["link_exponent"] = fit_exponent(link)

    if args.dask:
        src = corpus(args.dask)
        with tempfile.TemporaryDirectory() as tmp:
            local = run_analyze(src, str(Path(tmp) / "l.db"))
            dask = run_analyze(src, str(Path(tmp) / "d.db"), engine="dask")
        report["dask"] = {
            "articles": args.dask, "local_analyze_s": local["analyze_s"], "dask_analyze_s": dask["analyze_s"],
            "speedup": round(local["analyze_s"] / dask["analyze_s"], 3) if dask["analyze_s"] else None,
        }
        print(json.dumps({"dask": report["dask"]}), flush=True)

    if args.incremental:
        import synth

        n = args.incremental
        extra = max(1, n // 100)
        with tempfile.TemporaryDirectory() as tmp:
            base = Path(tmp) / "base.jsonl"
            more = Path(tmp) / "more.jsonl"
            rows = list(synth.generate(n + extra, seed=11))
            base.write_text("".join(json.dumps(r) + "\n" for r in rows[:n]))
            more.write_text("".join(json.dumps(r) + "\n" for r in rows[n:]))
            db = str(Path(tmp) / "i.db")
            full = run_analyze(base, db)
            inc = run_analyze(more, db)
        report["incremental"] = {
            "base_articles": n, "added": extra, "full_s": round(full["seconds"], 2),
            "increment_s": round(inc["seconds"], 2),
            "increment_share": round(inc["seconds"] / full["seconds"], 4),
        }
        print(json.dumps({"incremental": report["incremental"]}), flush=True)
    print(json.dumps(report, indent=2))
    _ = resource  # keep the import for readers: child processes report ru_maxrss


if __name__ == "__main__":
    main()
