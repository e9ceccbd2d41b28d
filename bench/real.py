"""Rashomon against bare spaCy on real articles: throughput, CPU, peak memory, stages, increments.

Takes any JSONL of real articles (one object per line with a "text" field: GVA's
articles.jsonl, a JSONL of PolNeAR texts) or a folder of .txt files (PolNeAR's
data/train/text), read at run time; nothing is copied into the repository. Every figure
comes from this run, each measurement in a fresh interpreter, and every ratio compares
measurements of the same run. Usage:

    .venv/bin/python bench/real.py ../shared/datasets/polnear/data/train/text --n 200
    .venv/bin/python bench/real.py ../shared/datasets/gva/articles.jsonl --n 1000 \
        --processes 2 --rounds 1 --incremental --out bench/results/real-gva.json

Sections (one JSON line each, then the whole report):
  bare         nlp.pipe over the texts (the same pinned model as shipped, nothing of
               Rashomon's added; batch 64; one short article through it before the
               clock, as the full run's warm_up does): seconds, CPU, peak RSS
  full         `analyze` in one process (ingest, parse, extraction, framing, store, link,
               reconcile) plus `write_report`; model loads before the clock, as for bare
               (`load_nlp` and `scale.warm_up`, which loads every model and index the
               stages use; its seconds are reported as startup_s)
  full_N       the same with N worker processes (forked, every per-article stage in them);
               CPU = parent + workers; "idle-core" estimate = parent CPU + workers' CPU / N
               (the wall time if each process had a core of its own; the machine may be
               shared, so its wall time says little)
  stages       one process, one batch at a time: parse, extract, framing, rows, store,
               then link + reconcile and report
  incremental  the next 1% of the input added to the full run's database, as a share of
               the full run (fresh process, model loads included in both)

Ratios: throughput relative to bare (bare seconds / Rashomon seconds; > 1 is faster), by
wall clock and by CPU time; memory relative to bare's peak RSS. With --rounds R the
sections alternate R times (bare, full, full_N, ...) and each ratio is taken within a
round; the report gives every round and the median.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SRC = HERE.parent / "src"

PRELUDE = """
import json, os, resource, sys, time
sys.path.insert(0, {src!r})
def rss_mb(who=resource.RUSAGE_SELF):
    return round(resource.getrusage(who).ru_maxrss / 1024, 1)
def cpu(who):
    r = resource.getrusage(who)
    return r.ru_utime + r.ru_stime
"""

BARE = PRELUDE + """
from rashomon.annotate.nlp import load_spacy
texts = [json.loads(l)["text"] for l in open({corpus!r}, encoding="utf-8")]
from rashomon.scale import WARM_TEXT
nlp = load_spacy()  # the pinned package's pipeline exactly as it ships
list(nlp.pipe([WARM_TEXT]))  # warmed with the same short article as the full run's warm_up
t, c = time.perf_counter(), time.process_time()
for doc in nlp.pipe(texts, batch_size=64):
    pass
print(json.dumps({{"seconds": time.perf_counter() - t, "cpu_s": time.process_time() - c,
                  "peak_rss_mb": rss_mb(), "load_avg": os.getloadavg()[0]}}))
"""

FULL = PRELUDE + """
from rashomon.annotate.nlp import load_nlp
from rashomon.pipeline import analyze
from rashomon.report import write_report
from rashomon.scale import warm_up
from rashomon.store import Store
t0 = time.perf_counter()
warm_up(load_nlp(), framing=True)  # model loads are outside the clock, as for bare spaCy
startup_s = time.perf_counter() - t0
st = Store({db!r})
t, c, k = time.perf_counter(), cpu(resource.RUSAGE_SELF), cpu(resource.RUSAGE_CHILDREN)
run = analyze(st, [{corpus!r}], n_process={nproc!r}, framing=True)
a_wall, a_cpu, a_kids = time.perf_counter() - t, cpu(resource.RUSAGE_SELF) - c, cpu(resource.RUSAGE_CHILDREN) - k
t2 = time.perf_counter()
if {report!r}:
    write_report(st, {out!r})
r_wall = time.perf_counter() - t2
print(json.dumps({{"startup_s": startup_s, "analyze_s": a_wall, "report_s": r_wall, "seconds": a_wall + r_wall,
                  "cpu_s": cpu(resource.RUSAGE_SELF) - c, "parent_cpu_s": cpu(resource.RUSAGE_SELF) - c,
                  "workers_cpu_s": a_kids, "processes": getattr(run, "processes", 1), "analyzed": run.analyzed,
                  "stories": run.stories, "facts": run.facts, "stage_s": run.seconds,
                  "peak_rss_mb": rss_mb(), "worker_peak_rss_mb": rss_mb(resource.RUSAGE_CHILDREN),
                  "load_avg": os.getloadavg()[0]}}))
"""

STAGES = PRELUDE + """
from rashomon.annotate.nlp import load_nlp, text_doc
from rashomon.extract import add_framing, analyze_doc, to_rows
from rashomon.pipeline import ingest, pipeline_version
from rashomon.reconcile import update_stories
from rashomon.report import write_report
from rashomon.scale import warm_up
from rashomon.store import Store
nlp = load_nlp()
warm_up(nlp, framing=True)
st = Store({db!r})
s = {{}}
def tick(name, t0):
    s[name] = s.get(name, 0.0) + time.process_time() - t0
t0 = time.process_time(); ingest(st, [{corpus!r}]); tick("ingest", t0)
version = pipeline_version(nlp)
ids = st.article_ids()
for i in range(0, len(ids), 64):
    arts = list(st.iter_articles(ids[i:i + 64], batch_size=64))
    t0 = time.process_time(); docs = list(nlp.pipe((text_doc(nlp, a.text) for a in arts), batch_size=64)); tick("parse", t0)
    t0 = time.process_time(); out = [analyze_doc(d, a, nlp, framing=False) for d, a in zip(docs, arts)]; tick("extract", t0)
    t0 = time.process_time(); add_framing(out); tick("framing", t0)
    t0 = time.process_time(); rows = [to_rows(a) for a in out]; tick("rows", t0)
    t0 = time.process_time(); st.save_analyses(rows, version); tick("store", t0)
t0 = time.process_time(); update_stories(st); tick("link+reconcile", t0)
t0 = time.process_time(); write_report(st, {out!r}); tick("report", t0)
print(json.dumps({{"cpu_s": {{k: round(v, 2) for k, v in s.items()}}, "peak_rss_mb": rss_mb()}}))
"""


def child(code: str) -> dict:
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr[-3000:])
    return json.loads(proc.stdout.strip().splitlines()[-1])


def load_articles(path: Path, limit: int) -> list[dict]:
    """Up to ``limit`` articles from a JSONL file or a folder of .txt files (sorted)."""
    rows: list[dict] = []
    if path.is_dir():
        for p in sorted(path.glob("*.txt"))[:limit]:
            rows.append({"text": p.read_text(encoding="utf-8"), "title": p.stem,
                         "outlet": p.name.split("_")[0]})
        return rows
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if len(rows) >= limit:
                break
            obj = json.loads(line)
            if obj.get("text"):
                rows.append({k: obj[k] for k in ("id", "text", "title", "url", "domain", "outlet", "published")
                             if obj.get(k)})
    return rows


def write_jsonl(rows: list[dict], path: Path) -> Path:
    with path.open("w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    return path


def emit(report: dict, out: Path | None) -> None:
    """Print the whole report as JSON, and write it to ``out`` when given."""
    print(json.dumps(report, indent=2))
    if out:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")


def r3(x: float) -> float:
    return round(x, 3)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("source", type=Path, help="JSONL of articles, or a folder of .txt files")
    ap.add_argument("--n", type=int, default=200, help="articles to analyze (the first N)")
    ap.add_argument("--processes", type=int, default=2, help="N for the multi-process run (0 or 1 = skip)")
    ap.add_argument("--rounds", type=int, default=1, help="alternating rounds of bare / full / full_N")
    ap.add_argument("--stages", action="store_true", help="also the per-stage CPU breakdown")
    ap.add_argument("--incremental", action="store_true", help="also add the next 1%% to the full run's store")
    ap.add_argument("--no-report", action="store_true", help="leave write_report out of the full runs")
    ap.add_argument("--out", type=Path, help="also write the report as JSON here")
    args = ap.parse_args()

    extra = max(1, args.n // 100) if args.incremental else 0
    rows = load_articles(args.source, args.n + extra)
    base, more = rows[: args.n], rows[args.n :]
    words = sum(len(r["text"].split()) for r in base)
    report: dict = {
        "source": str(args.source), "articles": len(base), "words": words,
        "machine": {"platform": platform.platform(), "python": platform.python_version(), "cpus": os.cpu_count(),
                    "load_avg_at_start": [round(x, 2) for x in os.getloadavg()]},
        "date": time.strftime("%Y-%m-%d %H:%M %Z"), "rounds": [],
    }
    tmp = Path(tempfile.mkdtemp(prefix="rashomon-bench-"))
    try:
        corpus = write_jsonl(base, tmp / "corpus.jsonl")
        fmt = {"src": str(SRC), "corpus": str(corpus), "report": not args.no_report}
        for r in range(args.rounds):
            rnd: dict = {}
            rnd["bare"] = child(BARE.format(**fmt))
            print(json.dumps({"round": r, "bare": rnd["bare"]}), flush=True)
            db = tmp / f"full-{r}.db"
            rnd["full"] = child(FULL.format(**fmt, db=str(db), nproc=1, out=str(tmp / f"report-{r}")))
            print(json.dumps({"round": r, "full": rnd["full"]}), flush=True)
            if args.processes > 1:
                n = args.processes
                rnd["full_n"] = child(FULL.format(**fmt, db=str(tmp / f"full{n}-{r}.db"), nproc=n,
                                                  out=str(tmp / f"report{n}-{r}")))
                print(json.dumps({"round": r, f"full_{n}": rnd["full_n"]}), flush=True)
            b, f = rnd["bare"], rnd["full"]
            ratios = {
                "full_vs_bare": r3(b["seconds"] / f["seconds"]),
                "full_vs_bare_cpu": r3(b["cpu_s"] / f["cpu_s"]),
                "full_rss_vs_bare": r3(f["peak_rss_mb"] / b["peak_rss_mb"]),
            }
            if "full_n" in rnd:
                fn = rnd["full_n"]
                idle = fn["parent_cpu_s"] + fn["workers_cpu_s"] / args.processes
                ratios |= {
                    "full_n_vs_bare": r3(b["seconds"] / fn["seconds"]),
                    "full_n_vs_bare_idle_cores": r3(b["cpu_s"] / idle),
                    "full_n_total_cpu_vs_full": r3((fn["parent_cpu_s"] + fn["workers_cpu_s"]) / f["cpu_s"]),
                    "full_n_rss_vs_bare": r3(max(fn["peak_rss_mb"], fn["worker_peak_rss_mb"]) / b["peak_rss_mb"]),
                }
            rnd["ratios"] = ratios
            print(json.dumps({"round": r, "ratios": ratios}), flush=True)
            report["rounds"].append(rnd)
        keys = report["rounds"][0]["ratios"].keys()
        report["median"] = {k: r3(statistics.median(rd["ratios"][k] for rd in report["rounds"])) for k in keys}
        f = report["rounds"][-1]["full"]
        report["rashomon_articles_per_s"] = round(len(base) / f["seconds"], 2)
        report["rashomon_words_per_s"] = round(words / f["seconds"])
        report["bare_articles_per_s"] = round(len(base) / report["rounds"][-1]["bare"]["seconds"], 2)

        if args.stages:
            report["stages"] = child(STAGES.format(**fmt, db=str(tmp / "stages.db"), out=str(tmp / "report-st")))
            print(json.dumps({"stages": report["stages"]}), flush=True)

        if args.incremental and more:
            db = tmp / "full-0.db"
            inc_src = write_jsonl(more, tmp / "more.jsonl")
            # the analysis only (ingest, analyze, link, reconcile), on both sides
            inc = child(FULL.format(**fmt | {"corpus": str(inc_src), "report": False}, db=str(db), nproc=1,
                                    out=str(tmp / "report-inc")))
            full = report["rounds"][0]["full"]
            report["incremental"] = {
                "base_articles": len(base), "added": len(more), "analyzed": inc["analyzed"],
                "full_analyze_s": r3(full["analyze_s"]), "increment_analyze_s": r3(inc["analyze_s"]),
                "share": r3(inc["analyze_s"] / full["analyze_s"]),
                # a fresh process pays its model loads for the increment as for the full run
                "share_with_startup": r3((inc["startup_s"] + inc["analyze_s"]) / (full["startup_s"] + full["analyze_s"])),
                "increment_stage_s": inc["stage_s"], "full_stage_s": full["stage_s"],
            }
            print(json.dumps({"incremental": report["incremental"]}), flush=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    emit(report, args.out)


if __name__ == "__main__":
    main()
