"""Train the shipped framing models (techniques + genre) and write their metadata.

    python -m rashomon.framing.train --semeval2023 ../shared/datasets/semeval2023-task3-en \\
        --ptc ../shared/datasets/ptc-semeval2020-task11 --polnear ../shared/datasets/polnear \\
        --gva ../shared/datasets/gva --out src/rashomon/data/models
    # the genre model only (keeps the technique model and its metadata):
    python -m rashomon.framing.train --genre-only --semeval2023 ... --polnear ... --gva ...

Trains the technique model on all SemEval-2023 English train articles and the genre model
on all subtask-1 articles plus real straight reporting from PolNeAR train and the GVA
train split (``--polnear``, ``--gva``; see ``rashomon.framing.genre``), with a fixed seed. With ``--ptc`` it first measures the
document-disjoint figure (held-out PTC-dev articles) and the PTC TC figure; with
``--cv`` also the (optimistic) 5-fold CV. Figures are printed and stored in
``framing-models.json`` next to the artifacts.
"""

from __future__ import annotations

import argparse
import json
import platform
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from rashomon.framing.features import read_genre_labels, read_semeval_paragraphs
from rashomon.framing.genre import GenreModel, cv_genre, read_reporting_extras
from rashomon.framing.techniques import TechniqueConfig, TechniqueModel

SEED = 13


def _strip(r: dict[str, Any]) -> dict[str, Any]:
    return {
        k: (round(v, 4) if isinstance(v, float) else v) for k, v in r.items() if k != "per_label"
    }


def time_per_paragraph(model: TechniqueModel, articles: Sequence[Sequence[str]]) -> float:
    """Milliseconds per paragraph of ``predict_paragraphs`` over whole articles (one core)."""
    n = sum(len(a) for a in articles)
    t = time.perf_counter()
    for a in articles:
        model.predict_paragraphs(list(a))
    return (time.perf_counter() - t) * 1000 / max(n, 1)


def _genre(args: argparse.Namespace) -> tuple[GenreModel, dict[str, Any], dict[str, Any]]:
    """Fit the genre model; return it, its metadata entry and its figures."""
    extras = read_reporting_extras(args.polnear, args.gva, "train", seed=SEED)
    g = cv_genre(args.semeval2023, seed=SEED, extras=extras)
    print(f"genre, {g['setting']}: macro-F1 {g['macro_f1']:.3f} accuracy {g['accuracy']:.3f}")
    figures: dict[str, Any] = {"genre_cv5": _strip(g)}
    genre_data = read_genre_labels(args.semeval2023)
    gm = GenreModel.fit([t for _, t, _ in genre_data] + [t for _, t, _ in extras],
                        [y for _, _, y in genre_data] + [y for _, _, y in extras], seed=SEED)
    held = read_reporting_extras(args.polnear, args.gva, "dev", seed=SEED)
    if held:  # PolNeAR dev + GVA held-out incidents: never trained on
        hits = sum(gm.predict(t)[0] == "reporting" for _, t, _ in held)
        figures["genre_heldout_reporting_recall"] = {"articles": len(held), "recall": round(hits / len(held), 4)}
        print(f"genre: held-out real reporting called reporting {hits}/{len(held)}")
    entry = {
        "algorithm": gm.meta["algorithm"],
        "file": "genre.npz",
        "trained_on": f"SemEval-2023 Task 3 EN subtask 1, {len(genre_data)} articles, "
        f"+ {len(extras)} real reporting articles (PolNeAR train, GVA train split)",
    }
    return gm, entry, figures


def train_genre(args: argparse.Namespace) -> int:
    gm, entry, figures = _genre(args)
    gm.save(args.out / "genre.npz")
    meta_path = args.out / "framing-models.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.exists() else {}
    meta["genre"] = entry
    meta.setdefault("figures", {}).update(figures)
    meta["genre_command"] = (
        f"python -m rashomon.framing.train --genre-only --semeval2023 {args.semeval2023} "
        f"--polnear {args.polnear} --gva {args.gva} --out {args.out}"
    )
    meta["sizes_bytes"] = {p.name: p.stat().st_size for p in sorted(args.out.glob("*.npz"))}
    meta_path.write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m rashomon.framing.train",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ap.add_argument("--semeval2023", type=Path, required=True)
    ap.add_argument("--ptc", type=Path, help="PTC folder: adds the held-out and PTC TC figures")
    ap.add_argument("--out", type=Path, default=Path("src/rashomon/data/models"))
    ap.add_argument("--cv", action="store_true", help="also run 5-fold CV (slow, optimistic)")
    ap.add_argument("--polnear", type=Path, help="PolNeAR folder: real reporting for the genre model")
    ap.add_argument("--gva", type=Path, help="GVA folder: local news reports (train split) for the genre model")
    ap.add_argument("--genre-only", action="store_true", help="retrain the genre model only")
    args = ap.parse_args(argv)
    if args.genre_only:
        return train_genre(args)
    np.random.seed(SEED)
    cfg = TechniqueConfig(seed=SEED)
    figures: dict[str, Any] = {}

    from rashomon.eval import semeval as ev

    if args.ptc:
        r = ev.dev_techniques(args.semeval2023, args.ptc, cfg)
        figures["techniques_document_disjoint"] = _strip(r)
        print(
            f"techniques, {r['setting']}: micro-F1 {r['micro_f1']:.3f} macro-F1 "
            f"{r['macro_f1']:.3f} (macro over gold labels {r['macro_f1_present']:.3f})"
        )
        p = ev.eval_ptc(args.ptc)
        figures["ptc_tc_dev"] = _strip(p)
        print(f"{p['setting']}: micro-F1 {p['micro_f1']:.3f}")
    if args.cv:
        r = ev.cv_techniques(args.semeval2023, 5, cfg)
        figures["techniques_cv5"] = _strip(r)
        print(
            f"techniques, {r['setting']}: micro-F1 {r['micro_f1']:.3f} macro-F1 "
            f"{r['macro_f1']:.3f}  ({ev.CV_WARNING})"
        )
    gm, genre_entry, genre_figures = _genre(args)
    figures.update(genre_figures)

    t = time.time()
    arts = read_semeval_paragraphs(args.semeval2023)
    model = TechniqueModel.fit([a.paragraphs for a in arts], [a.labels for a in arts], cfg)
    model.meta.update(
        {"seed": SEED, "trained_on": f"SemEval-2023 Task 3 EN train, {len(arts)} articles"}
    )
    model.save(args.out / "techniques.npz")
    print(f"technique model trained in {time.time() - t:.0f} s")
    gm.save(args.out / "genre.npz")

    t = time.perf_counter()
    loaded = TechniqueModel.load(args.out / "techniques.npz")
    load_s = time.perf_counter() - t
    ms = time_per_paragraph(loaded, [a.paragraphs for a in arts[:60]])
    sizes = {p.name: p.stat().st_size for p in sorted(args.out.glob("*.npz"))}
    print(f"load {load_s:.2f} s; {ms:.2f} ms per paragraph; sizes {sizes}")
    meta = {
        "command": "python -m rashomon.framing.train --semeval2023 PATH"
        + (" --ptc PATH" if args.ptc else "")
        + (" --cv" if args.cv else "")
        + f" --out {args.out}",
        "seed": SEED,
        "techniques": {
            "algorithm": model.meta["algorithm"],
            "config": cfg.to_dict(),
            "file": "techniques.npz",
            "trained_on": model.meta["trained_on"],
            "thresholds": dict(zip(model.labels, map(float, model.thresholds), strict=True)),
        },
        "genre": genre_entry,
        "figures": figures,
        "load_seconds": round(load_s, 3),
        "ms_per_paragraph": round(ms, 2),
        "sizes_bytes": sizes,
        "python": platform.python_version(),
    }
    (args.out / "framing-models.json").write_text(
        json.dumps(meta, indent=2) + "\n", encoding="utf-8"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
