"""Annotation throughput: Rashomon's annotate stage against bare spaCy, same texts, same run.

The annotate stage = spaCy parse + actor, place, date and quantity resolution. Prints
articles/s for both and their ratio (target: >= 0.85). Usage:

    .venv/bin/python bench/annotate.py [N=2000]
"""

from __future__ import annotations

import json
import os
import platform
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from synth import generate

from rashomon.annotate.nlp import load_nlp, load_spacy
from rashomon.extract import annotate_mentions
from rashomon.model import Article


def main(n: int = 2000) -> dict:
    arts = [Article(text=a["text"], published=a["published"], published_precision="day", outlet=a["outlet"])
            for a in generate(n)]
    texts = [a.text for a in arts]
    nlp = load_nlp()
    bare_nlp = load_spacy()  # bare spaCy: the package's pipeline as it ships
    list(bare_nlp.pipe(texts[:50]))
    annotate_mentions(nlp(texts[0]), arts[0], nlp)  # warm up the resolvers' indexes
    list(nlp.pipe(texts[:50]))

    # wall and CPU time, interleaved in chunks of 128 articles so that both sides see the
    # same machine load; on a shared machine the CPU-time ratio is the steadier one
    bare = bare_cpu = ours = ours_cpu = 0.0
    n_mentions = 0
    for i in range(0, n, 128):
        chunk, chunk_arts = texts[i : i + 128], arts[i : i + 128]
        t0, c0 = time.perf_counter(), time.process_time()
        for _ in bare_nlp.pipe(chunk, batch_size=64):
            pass
        bare, bare_cpu = bare + time.perf_counter() - t0, bare_cpu + time.process_time() - c0
        t0, c0 = time.perf_counter(), time.process_time()
        for doc, art in zip(nlp.pipe(chunk, batch_size=64), chunk_arts, strict=True):
            mentions, _prov = annotate_mentions(doc, art, nlp)
            n_mentions += len(mentions)
        ours, ours_cpu = ours + time.perf_counter() - t0, ours_cpu + time.process_time() - c0

    words = sum(len(t.split()) for t in texts)
    result = {
        "articles": n,
        "words": words,
        "bare_spacy_articles_per_s": round(n / bare, 1),
        "annotate_articles_per_s": round(n / ours, 1),
        "ratio": round(bare / ours, 3),
        "ratio_cpu": round(bare_cpu / ours_cpu, 3),
        "mentions": n_mentions,
        "machine": f"{platform.machine()} {platform.python_version()} {os.cpu_count()} cores",
        "load_avg": [round(x, 2) for x in os.getloadavg()],
        "date": time.strftime("%Y-%m-%d %H:%M %Z"),
    }
    print(json.dumps(result, indent=2))
    return result


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
