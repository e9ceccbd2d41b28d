"""Train the casualty-count filter (``data/models/casualties-lr.json``) from GVA by
distant supervision.

    python -m rashomon.extract.train_casualties \\
        --train /tmp/gva/train.jsonl --gold ../shared/datasets/gva/gold.json \\
        --out src/rashomon/data/models/casualties-lr.json

``--train`` is the training part of the project's one GVA split (by incident,
:mod:`rashomon.eval.gva_split`; never the held-out part). Every article is read, parsed
and annotated exactly as ``rashomon analyze`` does, its casualty candidates come from
:func:`rashomon.extract.casualties.find_casualties`, and a candidate is a positive when
its value equals the incident's true killed (injured) count. One logistic regression per
slot; counts above the 99th percentile of the slot's true counts in training
(``meta.max_value``) are outside what the model has seen, and keep the rules' verdict;
the slot's threshold is the one that maximises per-article exactness (the most
frequent kept value, or silence, against the true count, zero included) over 5-fold
cross-validation split by incident. Features of the candidates are cached in
``--cache`` (a JSON file) so that re-fitting does not re-parse.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from rashomon.extract.casualties import PRECISE_RULES, SLOTS, CasualtyModel


def _featurize(train: Path, gold: Path) -> list[dict[str, Any]]:
    from rashomon.annotate.nlp import load_nlp
    from rashomon.extract import annotate_mentions
    from rashomon.extract.casualties import find_casualties, reference_year
    from rashomon.model import Article
    from rashomon.read.sources import read_sources

    g = json.loads(gold.read_text())
    doc_inc, incs = g["doc_incident"], g["incidents"]
    arts = [a for a in read_sources([str(train)]) if isinstance(a, Article) and a.url in doc_inc]
    nlp = load_nlp()
    rows: list[dict[str, Any]] = []
    for doc, a in nlp.pipe(((a.text, a) for a in arts), as_tuples=True, batch_size=64):
        mentions, _ = annotate_mentions(doc, a, nlp)
        pub = reference_year(a.published, a.text)
        te = len(a.title) if a.title and a.text.startswith(a.title) else 0
        cands = find_casualties(doc, [m for m in mentions if m.kind == "quantity"], pub_year=pub, title_end=te, body_end=a.body_end,
                                title=a.title)
        inc = doc_inc[a.url or ""]
        truth = {s: float(incs[inc][s]) for s in SLOTS}
        rows.append({
            "article": a.id, "incident": inc, "truth": truth,
            "cands": [{"slot": c.slot, "value": c.value, "rule": c.rule, "f": c.features, "other": c.other_event}
                      for c in cands if c.slot in SLOTS and not c.excluded],
        })
    return rows


def _pick(kept: list[float]) -> float:
    if not kept:
        return 0.0
    return Counter(kept).most_common(1)[0][0]


def fit(rows: list[dict[str, Any]], folds: int = 5) -> CasualtyModel:
    import numpy as np
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold

    weights: dict[str, dict[str, float]] = {}
    bias: dict[str, float] = {}
    threshold: dict[str, float] = {}
    meta: dict[str, Any] = {"articles": len(rows), "folds": folds, "cv": {}}
    for slot in SLOTS:
        X, y, grp, owner, rule, vals = [], [], [], [], [], []
        for i, r in enumerate(rows):
            for c in r["cands"]:
                if c["slot"] != slot:
                    continue
                X.append(c["f"])
                y.append(int(c["value"] == r["truth"][slot]))
                grp.append(r["incident"])
                owner.append(i)
                vals.append(float(c["value"]))
                rule.append(c["rule"] in PRECISE_RULES and not c["other"])
        vec = DictVectorizer()
        Xm = vec.fit_transform(X)
        ya = np.array(y)
        scores = np.zeros(len(y))
        for tr, te in GroupKFold(n_splits=folds).split(Xm, ya, grp):
            m = LogisticRegression(C=1.0, max_iter=2000).fit(Xm[tr], ya[tr])
            scores[te] = m.predict_proba(Xm[te])[:, 1]
        best = (-1.0, 0.5)
        for t in [x / 100 for x in range(5, 96, 5)]:
            kept: dict[int, list[float]] = defaultdict(list)
            for j, i in enumerate(owner):
                if scores[j] >= t or rule[j]:
                    kept[i].append(vals[j])
            ok = sum(int(_pick(kept.get(i, [])) == r["truth"][slot]) for i, r in enumerate(rows))
            pos = [i for i, r in enumerate(rows) if r["truth"][slot] > 0]
            ok_pos = sum(int(_pick(kept.get(i, [])) == rows[i]["truth"][slot]) for i in pos)
            acc = ok / len(rows)
            if acc > best[0]:
                best = (acc, t)
                meta["cv"][slot] = {"threshold": t, "article_exact": round(acc, 4),
                                    "article_exact_where_positive": round(ok_pos / max(len(pos), 1), 4),
                                    "candidates": len(y), "positives": int(ya.sum())}
        pos_vals = sorted(v for v, lab in zip(vals, y, strict=True) if lab)
        meta.setdefault("max_value", {})[slot] = float(pos_vals[int(0.99 * (len(pos_vals) - 1))]) if pos_vals else 0.0
        model = LogisticRegression(C=1.0, max_iter=2000).fit(Xm, ya)
        weights[slot] = {name: round(float(w), 5) for name, w in zip(vec.get_feature_names_out(), model.coef_[0], strict=True) if abs(w) > 1e-6}
        bias[slot] = round(float(model.intercept_[0]), 5)
        threshold[slot] = best[1]
    return CasualtyModel(weights, bias, threshold, meta)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--train", type=Path, required=True)
    ap.add_argument("--gold", type=Path, required=True)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--cache", type=Path, default=None, help="JSON file of candidate features (read if present, else written)")
    args = ap.parse_args(argv)
    if args.cache is not None and args.cache.is_file():
        rows = json.loads(args.cache.read_text())
    else:
        rows = _featurize(args.train, args.gold)
        if args.cache is not None:
            args.cache.write_text(json.dumps(rows))
    model = fit(rows)
    args.out.write_text(model.to_json() + "\n")
    print(json.dumps(model.meta["cv"], indent=1))


if __name__ == "__main__":
    main()
