"""Convert a model file saved by Rashomon 0.1 (joblib pickles of scikit-learn objects)
into the :mod:`rashomon.lite` ``.npz`` format the pipeline loads.

    python -m rashomon.convert_models OLD.joblib NEW.npz

The four layouts that shipped are recognised by their keys: the technique model (also the
accurate model's TF-IDF part), the genre model, the learned cue model and the document
linker's pair model. Needs scikit-learn (a dependency); it unpickles the old file, so
convert only files you trust.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from rashomon import lite


def convert(old: Path, new: Path) -> str:
    """Write ``new`` from the joblib file ``old``; returns the layout recognised."""
    import joblib

    state: Any = joblib.load(old)
    keys = set(state) if isinstance(state, dict) else set()
    if {"featurizer", "coef", "intercept", "thresholds", "labels"} <= keys:
        f = state["featurizer"]
        if getattr(f, "char", None) is not None:
            raise ValueError(f"{old}: char n-gram models cannot be converted")
        lite.save_parts(
            new, {"word": lite.Tfidf.from_sklearn(f.word), "scaler": lite.Scaler.from_sklearn(f.scaler)},
            {"coef": np.asarray(state["coef"], dtype=np.float16),
             "intercept": np.asarray(state["intercept"], dtype=np.float32),
             "thresholds": np.asarray(state["thresholds"], dtype=np.float64)},
            model="techniques", labels=list(state["labels"]), dense_weight=float(f.dense_weight),
            model_meta=state.get("meta", {}))
        return "techniques"
    if {"vec", "scaler", "lr"} <= keys:
        lite.save_parts(new, {"vec": lite.Tfidf.from_sklearn(state["vec"]),
                              "scaler": lite.Scaler.from_sklearn(state["scaler"]),
                              "lr": lite.Linear.from_sklearn(state["lr"])},
                        model="genre", model_meta=state.get("meta", {}))
        return "genre"
    if {"vec", "clf", "threshold"} <= keys:
        rest = {k: v for k, v in state.items() if k not in ("vec", "clf")}
        lite.save_parts(new, {"vec": lite.DictFeatures.from_sklearn(state["vec"]),
                              "clf": lite.Linear.from_sklearn(state["clf"])}, model="claims-cue", **rest)
        return "claims-cue"
    if {"clf", "cut", "features"} <= keys:
        lite.save_parts(new, {"clf": lite.Trees.from_sklearn(state["clf"])}, model="link-docs",
                        cut=float(state["cut"]), features=list(state["features"]), info=state.get("info"))
        return "link-docs"
    raise ValueError(f"{old}: not a Rashomon 0.1 model file (keys {sorted(keys)})")


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("old", type=Path)
    ap.add_argument("new", type=Path)
    args = ap.parse_args(argv)
    print(f"{args.old} -> {args.new} ({convert(args.old, args.new)})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
