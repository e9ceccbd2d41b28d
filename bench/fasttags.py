"""The fast attribute ruler and lemmatizer against spaCy's own, on real text.

Parses the same articles twice in this process: with the package pipeline as it ships
(``load_spacy``) and with its attribute ruler and lemmatizer swapped for the stand-ins of
``rashomon.annotate.fasttags`` (everything else as shipped, so the two differ only in
those two components). Prints, as one JSON object:

- ``identical``: whether every token's TAG, POS, MORPH, LEMMA, DEP, HEAD, entity and
  sentence start agree, and the first differing token where one does not;
- per component, CPU seconds summed over the run (each component timed in turn on the
  same docs, as ``nlp.pipe`` would run it), and the whole parse's CPU for each pipeline.

The texts are read at run time (nothing is copied into the repository):

    .venv/bin/python bench/fasttags.py ../shared/datasets/polnear/data/train/text --n 150
    .venv/bin/python bench/fasttags.py ../shared/datasets/gva/articles.jsonl --n 150
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))
sys.path.insert(0, str(HERE))

ATTRS = ("TAG", "POS", "MORPH", "LEMMA", "DEP", "HEAD", "ENT_IOB", "ENT_TYPE", "SENT_START")


def timed_pipe(nlp: Any, texts: list[str]) -> tuple[list[Any], dict[str, float]]:
    """Run each component over all docs in turn; CPU seconds per component."""
    docs = [nlp.make_doc(t) for t in texts]
    cost: dict[str, float] = {}
    for name, proc in nlp.pipeline:
        c = time.process_time()
        docs = list(proc.pipe(docs, batch_size=64)) if hasattr(proc, "pipe") else [proc(d) for d in docs]
        cost[name] = round(time.process_time() - c, 3)
    return docs, cost


def first_difference(a: list[Any], b: list[Any]) -> dict[str, Any] | None:
    from spacy.attrs import IDS

    ids = [IDS[x] for x in ATTRS]
    for i, (da, db) in enumerate(zip(a, b, strict=True)):
        if len(da) != len(db):
            return {"doc": i, "what": "token count"}
        xa, xb = da.to_array(ids), db.to_array(ids)
        if (xa != xb).any():
            row, col = [int(v[0]) for v in (xa != xb).nonzero()]
            return {"doc": i, "token": da[row].text, "attr": ATTRS[col],
                    "spacy": xa[row, col].item(), "fast": xb[row, col].item()}
        if [t.lemma_ for t in da] != [t.lemma_ for t in db]:
            return {"doc": i, "what": "lemma strings"}
    return None


def main() -> None:
    from real import load_articles  # bench/real.py: JSONL or a folder of .txt

    from rashomon.annotate import fasttags
    from rashomon.annotate.nlp import load_spacy

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("source", type=Path, help="JSONL of articles, or a folder of .txt files")
    ap.add_argument("--n", type=int, default=150, help="articles to read (default 150)")
    args = ap.parse_args()
    texts = [r["text"] for r in load_articles(args.source, args.n)]
    if not texts:
        raise SystemExit(f"no article text found in {args.source}: give a JSONL with a 'text' field or a folder of .txt")
    shipped = load_spacy()
    fast = fasttags.install(load_spacy())
    swapped = [n for n in fast.pipe_names if n in (fasttags.RULER, fasttags.LEMMATIZER)]
    ref, cost_ref = timed_pipe(shipped, texts)
    got, cost_fast = timed_pipe(fast, texts)
    diff = first_difference(ref, got)
    report = {
        "source": str(args.source), "articles": len(texts), "tokens": sum(len(d) for d in ref),
        "swapped": swapped, "identical": diff is None, "first_difference": diff,
        "cpu_s_shipped": cost_ref, "cpu_s_fast": cost_fast,
        "parse_cpu_s": {"shipped": round(sum(cost_ref.values()), 3), "fast": round(sum(cost_fast.values()), 3)},
    }
    report["parse_cpu_ratio"] = round(report["parse_cpu_s"]["fast"] / max(report["parse_cpu_s"]["shipped"], 1e-9), 3)
    print(json.dumps(report, indent=2))
    if diff is not None:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
