"""Train the document linker's pair model (``data/models/link-docs.npz``).

    python -m rashomon.link.train ../shared/datasets/gva ../shared/datasets/ecbplus [--work DIR]

1. GVA: the train incidents of :mod:`rashomon.eval.gva_split` (never the held-out fifth)
   and ECB+: the train topics of the Cybulska split (never dev or test) are analyzed by
   the product's own pipeline (``rashomon.pipeline.analyze``, no framing, no linking)
   into ``DIR/gva-train.db`` and ``DIR/ecb-train.db`` (kept: a second run reuses them).
2. Each article becomes a :class:`~rashomon.link.docs.DocRecord` exactly as
   ``rashomon analyze`` builds it; the candidate pairs of the product's blocking are
   labelled by gold (same GVA incident; same ECB+ sub-topic, i.e. the same seminal
   event). Most GVA negatives are hard: the same city, the same week, another shooting.
3. Five folds by incident / topic: a gradient-boosting classifier is fitted on the pairs
   of four folds and the fifth fold is clustered (blocking, features and average linkage
   as in the product); the cut with the best mean B-cubed F1 over the folds of both
   datasets is kept (the highest cut within 0.002 of the best: on a flat curve, fewer
   merges). The final model is fitted on all the pairs.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from rashomon.link import docs as ld

CUTS = [round(0.05 + 0.05 * i, 2) for i in range(16)]
FOLDS = 5
CUT_TOLERANCE = 0.002


def _analyze(jsonl: Path, db: Path) -> None:
    from rashomon.pipeline import analyze
    from rashomon.store import Store

    if db.exists():
        return
    store = Store(str(db))
    analyze(store, [str(jsonl)], framing=False, link=False)


def load_docs(db: Path) -> list[tuple[ld.DocRecord, str]]:
    """(DocRecord, url) of every article of an analyzed database."""
    from rashomon.reconcile import _article_texts, _records
    from rashomon.store import Store

    store = Store(str(db))
    _, articles, mentions = _records(store)
    urls = {r["id"]: r["url"] for r in store.rows("articles")}
    recs = {r["id"]: ld.doc_record(r, mentions.get(r["id"], [])) for r in _article_texts(store, articles)}
    return [(recs[a], urls[a] or "") for a in sorted(recs)]


def gva_data(gva: Path, work: Path) -> tuple[list[ld.DocRecord], list[str]]:
    from rashomon.eval.gva_split import write_split

    if not (work / "train.jsonl").exists():
        write_split(gva, work)
    _analyze(work / "train.jsonl", work / "gva-train.db")
    gold = json.loads((gva / "gold.json").read_text())["doc_incident"]
    recs, groups = [], []
    for r, url in load_docs(work / "gva-train.db"):
        if url in gold:
            recs.append(r)
            groups.append(f"gva:{gold[url]}")
    return recs, groups


def ecb_jsonl(ecb: Path, split: str, out: Path) -> dict[str, str]:
    """Write the ECB+ documents of a split as JSONL (first sentence as headline); return
    url -> gold sub-topic."""
    from rashomon.eval.ecbplus import load_ecbplus, split_topics

    docs = load_ecbplus(ecb, split_topics(ecb, split))
    gold = {}
    with out.open("w", encoding="utf-8") as fh:
        for d in docs:
            sents: dict[int, list[str]] = defaultdict(list)
            for _, (snt, tok) in sorted(d.tokens.items()):
                sents[snt].append(tok)
            lines = [" ".join(t) for _, t in sorted(sents.items())]
            url = f"https://ecbplus.invalid/{d.name}"
            gold[url] = d.subtopic
            fh.write(json.dumps({"url": url, "title": lines[0] if lines else "",
                                 "text": "\n\n".join(lines[1:]) or (lines[0] if lines else "")}) + "\n")
    return gold


def ecb_data(ecb: Path, work: Path) -> tuple[list[ld.DocRecord], list[str]]:
    gold = ecb_jsonl(ecb, "train", work / "ecb-train.jsonl")
    _analyze(work / "ecb-train.jsonl", work / "ecb-train.db")
    recs, groups = [], []
    for r, url in load_docs(work / "ecb-train.db"):
        if url in gold:
            recs.append(r)
            groups.append(f"ecb:{gold[url]}")
    return recs, groups


def _pairs(recs: Sequence[ld.DocRecord], groups: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    pairs = ld.candidate_pairs(recs)
    x = ld.pair_features(recs, pairs)
    y = np.asarray([int(groups[i] == groups[j]) for i, j in pairs])
    return x, y


def b3(gold: Sequence[str], pred: Sequence[int]) -> float:
    gc: dict[str, set[int]] = defaultdict(set)
    pc: dict[int, set[int]] = defaultdict(set)
    for i, (g, p) in enumerate(zip(gold, pred, strict=True)):
        gc[g].add(i)
        pc[p].add(i)
    prec = rec = 0.0
    for g, p in zip(gold, pred, strict=True):
        inter = len(gc[g] & pc[p])
        prec += inter / len(pc[p])
        rec += inter / len(gc[g])
    prec, rec = prec / len(gold), rec / len(gold)
    return 2 * prec * rec / (prec + rec) if prec + rec else 0.0


def _fold(group: str) -> int:
    return int(hashlib.sha1(group.encode()).hexdigest()[:8], 16) % FOLDS


def _classifier() -> Any:
    from sklearn.ensemble import HistGradientBoostingClassifier

    return HistGradientBoostingClassifier(max_iter=150, max_depth=4, learning_rate=0.08,
                                          l2_regularization=1.0, random_state=0)


def _cluster(recs: Sequence[ld.DocRecord], clf: Any, cut: float) -> list[int]:
    model = ld.DocModel(clf, cut)
    out = ld.link_documents(recs, model=model)
    return [out[r.id] for r in recs]


def train(datasets: dict[str, tuple[list[ld.DocRecord], list[str]]]) -> dict[str, Any]:
    """Cross-validate the cut, fit the final model; return the joblib payload."""
    scores: dict[float, list[float]] = defaultdict(list)
    per: dict[str, dict[float, list[float]]] = defaultdict(lambda: defaultdict(list))
    for k in range(FOLDS):
        xs, ys = [], []
        for recs, groups in datasets.values():
            idx = [i for i, g in enumerate(groups) if _fold(g) != k]
            x, y = _pairs([recs[i] for i in idx], [groups[i] for i in idx])
            xs.append(x)
            ys.append(y)
        clf = _classifier().fit(np.vstack(xs), np.concatenate(ys))
        for name, (recs, groups) in datasets.items():
            idx = [i for i, g in enumerate(groups) if _fold(g) == k]
            held = [recs[i] for i in idx]
            gold = [groups[i] for i in idx]
            pairs = ld.candidate_pairs(held)
            probs = clf.predict_proba(ld.pair_features(held, pairs))[:, 1] if pairs else np.zeros(0)
            sc = {p: float(s) for p, s in zip(pairs, probs, strict=True)}
            for cut in CUTS:
                lab = ld.agglomerate(len(held), sc, cut)
                f = b3(gold, lab)
                scores[cut].append(f)
                per[name][cut].append(f)
    mean = {c: float(np.mean(v)) for c, v in scores.items()}
    # the highest cut within CUT_TOLERANCE of the best: on a flat curve, prefer fewer
    # merges (two events in one story mislead more than one event in two stories)
    top = max(mean.values())
    cut = max(c for c in CUTS if mean[c] >= top - CUT_TOLERANCE)
    xs, ys = [], []
    for recs, groups in datasets.values():
        x, y = _pairs(recs, groups)
        xs.append(x)
        ys.append(y)
    clf = _classifier().fit(np.vstack(xs), np.concatenate(ys))
    info = {
        "cv_b3_f1_at_cut": {name: round(float(np.mean(v[cut])), 4) for name, v in per.items()},
        "cv_mean_b3_by_cut": {str(c): round(m, 4) for c, m in mean.items()},
        "cv_b3_by_cut": {name: {str(c): round(float(np.mean(v[c])), 4) for c in CUTS} for name, v in per.items()},
        "pairs": int(sum(len(y) for y in ys)), "positives": int(sum(int(y.sum()) for y in ys)),
        "documents": {name: len(r) for name, (r, _) in datasets.items()},
    }
    return {"clf": clf, "cut": cut, "features": list(ld.FEATURES), "info": info}


def main(argv: Sequence[str] | None = None) -> int:
    from rashomon import lite

    ap = argparse.ArgumentParser(description="Train the document linker's pair model.")
    ap.add_argument("gva", type=Path, help="datasets/gva (articles.jsonl, gold.json)")
    ap.add_argument("ecbplus", type=Path, help="datasets/ecbplus")
    ap.add_argument("--work", type=Path, default=Path("/tmp/rashomon-link-train"),
                    help="where the analyzed train databases are kept")
    ap.add_argument("--out", type=Path, default=ld.MODEL_PATH)
    args = ap.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    datasets = {"gva": gva_data(args.gva, args.work), "ecbplus": ecb_data(args.ecbplus, args.work)}
    payload = train(datasets)
    lite.save_parts(args.out, {"clf": lite.Trees.from_sklearn(payload["clf"])}, model="link-docs",
                    cut=payload["cut"], features=payload["features"], info=payload["info"])
    print(json.dumps({"cut": payload["cut"], **payload["info"]}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
