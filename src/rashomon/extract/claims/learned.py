"""Learned cue verbs: attributions introduced by verbs outside the cue lexicon.

The verb pass takes only lemmas of the hand lists and ``data/cues.txt``; PolNeAR marks
many more ("mocked", "figures that", "hopes", "insisted", "signalled"). This pass (rule
``learned.clause`` / ``learned.object`` / ...) scores every other verb that has a
clausal complement or an object - exactly the verbs :func:`verbs.claim_for` can turn into
a claim - with a logistic regression over its parse (lemma, dependency, complement
shape, subject), and hands those above the model's threshold to ``claim_for``.

Model: ``src/rashomon/data/models/claims-cue.npz`` (a scikit-learn ``DictVectorizer``
+ ``LogisticRegression`` and the threshold, stored as :mod:`rashomon.lite` arrays). Trained on PolNeAR **train** only (a token
is positive when it lies inside a gold ``Cue`` span): the threshold is the lowest whose
precision on a fifth of train held out by article is at least ``MIN_PRECISION`` (a cue
class helps F1 only when its precision exceeds about F1/2), then the model is refit on
all of train. Train with

    .venv/bin/python -m rashomon.extract.claims.learned ../shared/datasets/polnear

(about 3 minutes on one core). Without the model file the pass finds nothing.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

from rashomon.extract import cues as C
from rashomon.extract.claims.found import Found, Range
from rashomon.extract.claims.syntax import content_of, in_ranges, subject_of

MODEL_PATH = Path(__file__).resolve().parents[2] / "data" / "models" / "claims-cue.npz"
MIN_PRECISION = 0.5
RULE = "learned"


def candidates(doc: Any, quotes: list[Range], taken: frozenset[int] | set[int]) -> list[Any]:
    """Verbs outside the cue lexicon, not taken, not quoted, with a content the verb pass
    could extract."""
    from rashomon.extract.claims.agency import ATTACK_VERBS, LIGHT_VERBS, OPERATION_VERBS

    lexicon = C.verb_cues()
    acts = ATTACK_VERBS | LIGHT_VERBS | OPERATION_VERBS | {"kill", "wound", "injure", "shoot", "explode"}
    out = []
    for tok in doc:
        if tok.i in taken or tok.pos_ != "VERB" or tok.lemma_ in lexicon or in_ranges(tok.idx, quotes):
            continue
        if tok.lemma_.lower() in acts:
            continue  # "missiles hit the station": an act (agency.py), not an attribution
        if tok.dep_ in {"amod", "acl"}:
            continue
        rng, head = content_of(doc, tok)
        if rng is None or head is None:
            continue
        out.append(tok)
    return out


def features(tok: Any) -> dict[str, Any]:
    """The parse around one candidate verb."""
    rng_head = content_of(tok.doc, tok)[1]
    subj = subject_of(tok)
    kids = {c.dep_ for c in tok.children}
    f: dict[str, Any] = {
        "lemma=" + tok.lemma_.lower(): 1,
        "tag=" + tok.tag_: 1,
        "dep=" + tok.dep_: 1,
        "head_pos=" + tok.head.pos_: 1,
        "content_dep=" + (rng_head.dep_ if rng_head is not None else "none"): 1,
        "subj=" + ("none" if subj is None else subj.pos_): 1,
        "subj_ent=" + ("none" if subj is None else (subj.ent_type_ or "-")): 1,
        "subj_pron=" + (subj.lower_ if subj is not None and subj.pos_ == "PRON" else "-"): 1,
        "neg": int("neg" in kids),
        "ccomp": int("ccomp" in kids),
        "xcomp": int("xcomp" in kids),
        "dobj": int("dobj" in kids),
        "mark_that": int(rng_head is not None and any(g.dep_ == "mark" and g.lower_ == "that" for g in rng_head.children)),
        "prt=" + next((c.lower_ for c in tok.children if c.dep_ == "prt"), "-"): 1,
        "lemma_content=" + tok.lemma_.lower() + "|" + (rng_head.dep_ if rng_head is not None else "none"): 1,
        "next=" + (tok.nbor(1).lower_ if tok.i + 1 < len(tok.doc) else "-"): 1,
    }
    return f


@cache
def _model() -> dict[str, Any] | None:
    if not MODEL_PATH.is_file():
        return None
    from rashomon import lite

    parts, _, meta = lite.load_parts(MODEL_PATH)
    return {"vec": parts["vec"], "clf": parts["clf"], "threshold": float(meta["threshold"])}


def find(doc: Any, quotes: list[Range], taken: frozenset[int]) -> list[Found]:
    from rashomon.extract.claims.verbs import claim_for

    model = _model()
    if model is None:
        return []
    cands = candidates(doc, quotes, taken)
    if not cands:
        return []
    probs = model["clf"].predict_proba(model["vec"].transform([features(t) for t in cands]))[:, 1]
    found: list[Found] = []
    used = set(taken)
    for tok, p in zip(cands, probs, strict=True):
        if p < model["threshold"] or tok.i in used:
            continue
        f = claim_for(doc, tok, rule_prefix=RULE)
        if f is None or f.cue_tokens & used:
            continue
        used |= f.cue_tokens
        found.append(f)
    return found


def _labelled(nlp: Any, pairs: Sequence[tuple[Path, Path]]) -> list[tuple[int, dict[str, Any], int]]:
    """(article index, features, label) for every candidate verb of a PolNeAR split."""
    from rashomon.eval.polnear import read_gold
    from rashomon.extract.claims import PASSES, find_quotes

    rows = []
    texts = [t.read_text(encoding="utf-8") for t, _ in pairs]
    for n, (doc, (_t, ann)) in enumerate(zip(nlp.pipe(texts, batch_size=8), pairs, strict=True)):
        cues = [p for pieces in read_gold(ann)["cue"] for p in pieces]
        quoted = find_quotes(doc.text)
        taken: set[int] = set()
        for name, run in PASSES:  # what the rule passes take is not the model's job
            if name == "learned":
                continue
            for f in run(doc, quoted, frozenset(taken)):
                taken |= f.cue_tokens
        for tok in candidates(doc, quoted, taken):
            label = int(any(a <= tok.idx < b for a, b in cues))
            rows.append((n, features(tok), label))
    return rows


def train(polnear: Path, out: Path = MODEL_PATH, seed: int = 0) -> dict[str, Any]:
    import numpy as np
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    from rashomon.annotate.nlp import load_nlp
    from rashomon.eval.polnear import articles

    pairs = articles(polnear, "train")
    rows = _labelled(load_nlp(), pairs)
    arts = np.array([r[0] for r in rows])
    y = np.array([r[2] for r in rows])
    rng = np.random.default_rng(seed)
    held = set(rng.choice(len(pairs), size=len(pairs) // 5, replace=False).tolist())
    dev = np.array([a in held for a in arts])

    def fit(mask: Any) -> tuple[Any, Any]:
        vec = DictVectorizer()
        x = vec.fit_transform([rows[i][1] for i in np.flatnonzero(mask)])
        clf = LogisticRegression(C=0.5, max_iter=2000, class_weight=None)
        clf.fit(x, y[mask])
        return vec, clf

    vec, clf = fit(~dev)
    p = clf.predict_proba(vec.transform([rows[i][1] for i in np.flatnonzero(dev)]))[:, 1]
    yd = y[dev]
    threshold, report = 0.95, []
    for th in np.arange(0.30, 0.95, 0.05):
        sel = p >= th
        prec = float(yd[sel].mean()) if sel.any() else 0.0
        report.append((round(float(th), 2), int(sel.sum()), round(prec, 3), int(yd[sel].sum())))
        if prec >= MIN_PRECISION and threshold == 0.95:
            threshold = float(th)
    vec, clf = fit(np.ones(len(y), dtype=bool))
    from rashomon import lite

    lite.save_parts(out, {"vec": lite.DictFeatures.from_sklearn(vec), "clf": lite.Linear.from_sklearn(clf)},
                    model="claims-cue", threshold=threshold, trained_on="PolNeAR train", candidates=len(y),
                    positives=int(y.sum()))
    return {"candidates": len(y), "positives": int(y.sum()), "threshold": threshold, "held_out": report}


def main(argv: Sequence[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("polnear", type=Path)
    ap.add_argument("--out", type=Path, default=MODEL_PATH)
    args = ap.parse_args(argv)
    print(train(args.polnear, args.out))


if __name__ == "__main__":
    main()
