"""Memory and speed as a real-text corpus grows: one full `analyze` per size.

Reads real articles at run time from one or more JSONL files or folders of .txt files
(GVA's articles.jsonl, PolNeAR's data/train/text), interleaves them, and builds corpora of
the requested sizes; beyond the articles there are, texts repeat under new ids (ids are
content hashes, so each copy ends with a line "Archive copy b." and gets a new URL; the
copies are stored as near-duplicates of their first copy, as a re-crawl would be). Each size runs in a fresh interpreter, models
loaded before the clock, and reports wall and CPU seconds (parent and workers), articles
per second, and peak RSS of the parent and of the largest worker. Memory is flat when
peak RSS does not grow with the size.

    .venv/bin/python bench/growth.py ../shared/datasets/gva/articles.jsonl \
        ../shared/datasets/polnear/data/train/text --sizes 1000,5000,20000 --processes 2
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from real import PRELUDE, SRC, child, emit, load_articles, write_jsonl  # noqa: E402

RUN = PRELUDE + """
from rashomon.annotate.nlp import load_nlp
from rashomon.pipeline import analyze
from rashomon.scale import warm_up
from rashomon.store import Store
warm_up(load_nlp(), framing=True)  # model loads before the clock
base_rss = rss_mb()
st = Store({db!r})
t, c, k = time.perf_counter(), cpu(resource.RUSAGE_SELF), cpu(resource.RUSAGE_CHILDREN)
run = analyze(st, [{corpus!r}], n_process={nproc!r}, framing=True)
print(json.dumps({{"seconds": time.perf_counter() - t, "parent_cpu_s": cpu(resource.RUSAGE_SELF) - c,
                  "workers_cpu_s": cpu(resource.RUSAGE_CHILDREN) - k, "analyzed": run.analyzed,
                  "stories": run.stories, "processes": getattr(run, "processes", 1),
                  "rss_after_load_mb": base_rss, "peak_rss_mb": rss_mb(),
                  "worker_peak_rss_mb": rss_mb(resource.RUSAGE_CHILDREN), "stage_s": run.seconds,
                  "stage_peak_rss_mb": getattr(run, "peak_rss_mb", {{}}),
                  "load_avg": os.getloadavg()[0]}}))
"""


def _letters(k: int) -> str:
    """1 -> "a", 26 -> "z", 27 -> "aa": a copy marker with no number in it."""
    out = ""
    while k:
        k, r = divmod(k - 1, 26)
        out = chr(97 + r) + out
    return out


def build(sources: list[list[dict]], n: int) -> list[dict]:
    """``n`` articles, round-robin over the sources; copies get new ids and URLs."""
    pool = [a for group in zip(*sources, strict=False) for a in group] if len(sources) > 1 else list(sources[0])
    used = {id(a) for a in pool}
    for s in sources:  # what the round-robin left over (sources of unequal length)
        pool.extend(a for a in s if id(a) not in used)
    out = []
    for i in range(n):
        a = dict(pool[i % len(pool)])
        copy = i // len(pool)
        if copy:  # ids are content hashes: a copy needs its own text
            a["text"] = f"{a['text']}\n\nArchive copy {_letters(copy)}."
            a.pop("id", None)
            if a.get("url"):
                a["url"] = f"{a['url']}#copy-{_letters(copy)}"
        out.append(a)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("sources", type=Path, nargs="+", help="JSONL files or folders of .txt files")
    ap.add_argument("--sizes", default="1000,5000", help="corpus sizes, comma-separated")
    ap.add_argument("--processes", type=int, default=0, help="worker processes (0 = auto, as analyze)")
    ap.add_argument("--out", type=Path, help="also write the report as JSON here")
    args = ap.parse_args()
    sizes = [int(x) for x in args.sizes.split(",") if x.strip()]
    sources = [load_articles(p, max(sizes)) for p in args.sources]
    if not any(sources):
        raise SystemExit("no article text found in the sources: give JSONL files with a 'text' field or folders of .txt")
    sources = [s for s in sources if s]
    distinct = sum(len(s) for s in sources)
    report: dict = {"sources": [str(p) for p in args.sources], "distinct_articles": distinct,
                    "date": time.strftime("%Y-%m-%d %H:%M %Z"), "cpus": os.cpu_count(), "runs": []}
    tmp = Path(tempfile.mkdtemp(prefix="rashomon-growth-"))
    try:
        for n in sizes:
            corpus = write_jsonl(build(sources, n), tmp / f"corpus-{n}.jsonl")
            res = child(RUN.format(src=str(SRC), corpus=str(corpus), db=str(tmp / f"g{n}.db"),
                                   nproc=args.processes))
            res |= {"size": n, "articles_per_s": round(n / res["seconds"], 2)}
            report["runs"].append(res)
            print(json.dumps(res), flush=True)
            (tmp / f"g{n}.db").unlink(missing_ok=True)
        runs = report["runs"]
        if len(runs) > 1:
            report["peak_rss_growth"] = round(
                max(r["peak_rss_mb"] for r in runs[-1:]) / max(runs[0]["peak_rss_mb"], 1e-9), 3)
            if runs[0]["worker_peak_rss_mb"] > 0:  # worker processes ran (not --processes 1)
                report["worker_rss_growth"] = round(runs[-1]["worker_peak_rss_mb"] / runs[0]["worker_peak_rss_mb"], 3)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    emit(report, args.out)


if __name__ == "__main__":
    main()
