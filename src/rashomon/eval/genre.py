"""The genre model's one train / held-out split, and its held-out evaluation.

Three sources, each split by its own unit so that nothing held out is ever trained on:

* SemEval-2023 Task 3 EN subtask 1 (opinion / reporting / satire; 433 articles): by
  article id, stratified: within each genre the articles are ranked by a hash of their
  id and every fifth is held out (77 opinion, 9 reporting, 2 satire);
* PolNeAR (US political news, 2016): its own compartments, train for training, dev held
  out (the test compartment is not here). Only articles that are straight reporting by
  their metadata are labelled ``reporting``: wire copy (any publisher but Western
  Journalism, whose ``wire`` column is always set) and the four news desks (NYT, Politico,
  USA Today, Washington Post). Breitbart, HuffPost and Western Journalism non-wire
  articles mix news and opinion-ish copy: they are left unlabelled (the evaluation only
  counts what the model calls them);
* GVA local news reports (all reporting): by incident, ``rashomon.eval.gva_split``.

``evaluate_genre`` trains on the train side (as ``python -m rashomon.framing.train
--genre-only`` does for the shipped model) or loads a model, and prints per-class
P/R/F1 and macro-F1 on the held-out side. Satire has two held-out articles, so the fixed
split's satire F1 moves in steps of a third; ``crossfit`` adds a 5-fold stratified
cross-fit over all 433 SemEval articles (every one predicted once by a model that did
not see it, with all the train-side reporting in every fold), whose satire F1 rests on
all ten.

    rashomon eval genre --semeval2023 DATASETS/semeval2023-task3-en \\
        --polnear DATASETS/polnear --gva DATASETS/gva [--crossfit] [--real-dev DIR]
"""

from __future__ import annotations

import csv
import hashlib
import json
import random
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.model_selection import StratifiedKFold

from rashomon.framing.features import read_genre_labels
from rashomon.framing.genre import GENRES, GenreModel

HELDOUT_EVERY = 5
NEWS_DESKS = ("nyt", "politico", "usa-today", "wash-post")  # PolNeAR publishers with news desks
SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample" / "articles.jsonl"
SEED = 13


@dataclass(frozen=True)
class GenreExample:
    """One labelled article: ``source`` is semeval, polnear or gva."""

    id: str
    text: str
    genre: str
    source: str


def _rank_key(article_id: str) -> str:
    return hashlib.sha1(article_id.encode("utf-8")).hexdigest()


def semeval_split(data: Sequence[tuple[str, str, str]]) -> tuple[list[GenreExample], list[GenreExample]]:
    """``(train, heldout)``: within each genre, every fifth article by id hash is held out."""
    by_genre: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for row in data:
        by_genre[row[2]].append(row)
    train: list[GenreExample] = []
    held: list[GenreExample] = []
    for g in sorted(by_genre):
        for k, (aid, text, _) in enumerate(sorted(by_genre[g], key=lambda r: _rank_key(r[0]))):
            (held if k % HELDOUT_EVERY == 0 else train).append(GenreExample(f"semeval:{aid}", text, g, "semeval"))
    return train, held


def polnear_articles(polnear: Path, split: str) -> tuple[list[GenreExample], list[tuple[str, str, str]]]:
    """``(reporting, unlabelled)`` PolNeAR articles of compartment ``split``; unlabelled
    rows are ``(id, publisher, text)``."""
    root = Path(polnear) / "data"
    with (root / "metadata.tsv").open(encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh, delimiter="\t") if r["compartment"] == split]
    reporting: list[GenreExample] = []
    other: list[tuple[str, str, str]] = []
    for r in sorted(rows, key=lambda r: r["filename"]):
        path = root / split / "text" / f"{r['filename']}.txt"
        if not path.is_file():
            continue
        text = path.read_text(encoding="utf-8")
        wire = r["wire"] not in ("None", "") and r["publisher"] != "west-journal"
        if wire or r["publisher"] in NEWS_DESKS:
            reporting.append(GenreExample(f"polnear:{r['filename']}", text, "reporting", "polnear"))
        else:
            other.append((f"polnear:{r['filename']}", r["publisher"], text))
    return reporting, other


def gva_reports(gva: Path, heldout: bool, limit: int | None = None, seed: int = SEED) -> list[GenreExample]:
    """GVA local reports of the train (``heldout`` false) or held-out incidents; ``limit``
    samples that many (fixed seed)."""
    from rashomon.eval.gva_split import is_heldout, iter_articles

    arts = sorted((a for a in iter_articles(Path(gva)) if is_heldout(a["incident_id"]) == heldout),
                  key=lambda a: a["id"])
    if limit is not None and limit < len(arts):
        arts = random.Random(seed).sample(arts, limit)
    return [GenreExample(f"gva:{a['id']}", ((a.get("title") or "") + "\n\n" + a["text"]).strip(),
                         "reporting", "gva") for a in arts]


@dataclass(frozen=True)
class GenreSplit:
    train: list[GenreExample]
    heldout: list[GenreExample]
    unlabelled: list[tuple[str, str, str]]  # PolNeAR dev articles of mixed-genre publishers


def build_split(semeval: Path, polnear: Path | None = None, gva: Path | None = None,
                gva_train: int | None = 400) -> GenreSplit:
    """The project's genre split. ``gva_train`` caps the GVA train reports (sampled); the
    held-out side keeps every held-out GVA report."""
    train, held = semeval_split(read_genre_labels(Path(semeval)))
    unlabelled: list[tuple[str, str, str]] = []
    if polnear is not None:
        train += polnear_articles(polnear, "train")[0]
        rep, unlabelled = polnear_articles(polnear, "dev")
        held += rep
    if gva is not None:
        train += gva_reports(gva, False, gva_train)
        held += gva_reports(gva, True)
    return GenreSplit(train, held, unlabelled)


def fit(examples: Sequence[GenreExample], **kw: Any) -> GenreModel:
    """The genre model (shipped settings unless ``kw`` overrides them) on ``examples``."""
    return GenreModel.fit([e.text for e in examples], [e.genre for e in examples], **kw)


def scores(gold: Sequence[str], pred: Sequence[str]) -> dict[str, Any]:
    """Per-class precision / recall / F1 / support, macro-F1 over the three genres (and over
    opinion + reporting), accuracy and the confusion counts ``gold -> pred``."""
    per: dict[str, dict[str, float]] = {}
    for g in GENRES:
        tp = sum(1 for a, b in zip(gold, pred, strict=True) if a == g and b == g)
        n_pred = sum(1 for b in pred if b == g)
        n_gold = sum(1 for a in gold if a == g)
        p = tp / n_pred if n_pred else 0.0
        r = tp / n_gold if n_gold else 0.0
        per[g] = {"precision": round(p, 4), "recall": round(r, 4),
                  "f1": round(2 * p * r / (p + r) if p + r else 0.0, 4), "support": n_gold}
    confusion = Counter(f"{a}->{b}" for a, b in zip(gold, pred, strict=True))
    return {
        "macro_f1": round(float(np.mean([per[g]["f1"] for g in GENRES])), 4),
        "macro_f1_opinion_reporting": round((per["opinion"]["f1"] + per["reporting"]["f1"]) / 2, 4),
        "accuracy": round(sum(a == b for a, b in zip(gold, pred, strict=True)) / max(len(gold), 1), 4),
        "per_class": per,
        "confusion": dict(sorted(confusion.items())),
    }


def _by_source(examples: Sequence[GenreExample], pred: Sequence[str]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for e, p in zip(examples, pred, strict=True):
        d = out.setdefault(f"{e.source}/{e.genre}", {"articles": 0, "correct": 0})
        d["articles"] += 1
        d["correct"] += int(p == e.genre)
    for d in out.values():
        d["recall"] = round(d["correct"] / d["articles"], 4)
    return dict(sorted(out.items()))


def predict_all(model: GenreModel, texts: Sequence[str]) -> list[str]:
    return [model.predict(t)[0] for t in texts]


def crossfit_semeval(split: GenreSplit, folds: int = 5, seed: int = SEED, **kw: Any) -> dict[str, Any]:
    """Stratified ``folds``-fold cross-fit over all SemEval articles (the fixed split's
    SemEval train and held-out together); the train-side PolNeAR/GVA reporting joins every
    training fold. Scores the SemEval articles only."""
    sem = [e for e in split.train + split.heldout if e.source == "semeval"]
    extras = [e for e in split.train if e.source != "semeval"]
    y = np.asarray([e.genre for e in sem])
    pred: list[str] = [""] * len(sem)
    for tr, te in StratifiedKFold(folds, shuffle=True, random_state=seed).split(np.zeros(len(y)), y):
        m = fit([sem[i] for i in tr] + extras, seed=seed, **kw)
        for i, g in zip(te, predict_all(m, [sem[i].text for i in te]), strict=True):
            pred[i] = g
    return {"setting": f"{folds}-fold stratified cross-fit over {len(sem)} SemEval articles "
            f"(+{len(extras)} train-side reporting articles in every training fold)",
            **scores(list(y), pred)}


def sample_check(model: GenreModel, path: Path = SAMPLE) -> list[dict[str, Any]]:
    """The model's genre for each bundled sample article (the text the pipeline sees)."""
    out = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                a = json.loads(line)
                g, p = model.predict(a["text"])
                out.append({"outlet": a.get("outlet"), "authors": a.get("authors") or [],
                            "title": a.get("title"), "genre": g, "p": round(p, 3)})
    return out


def folder_check(model: GenreModel, folder: Path) -> dict[str, Any]:
    """Genre counts and per-file calls for a folder of ``.txt`` articles (e.g. real-dev)."""
    calls = {f.name: model.predict(f.read_text(encoding="utf-8"))[0]
             for f in sorted(Path(folder).glob("*.txt"))}
    return {"counts": dict(Counter(calls.values())), "calls": calls}


def evaluate_genre(semeval: Path, polnear: Path | None = None, gva: Path | None = None, *,
                   model: GenreModel | None = None, crossfit: bool = False,
                   real_dev: Path | None = None, **kw: Any) -> dict[str, Any]:
    """Held-out genre figures. Without ``model``, trains one on the split's train side with
    the shipped settings (``kw`` overrides them), as the training command does."""
    split = build_split(semeval, polnear, gva)
    m = model or fit(split.train, **kw)
    pred = predict_all(m, [e.text for e in split.heldout])
    result: dict[str, Any] = {
        "algorithm": m.meta.get("algorithm"),
        "setting": f"fixed held-out split: {len(split.heldout)} articles "
        f"({dict(Counter(e.source for e in split.heldout))}); trained on {len(split.train)} "
        f"({dict(Counter(e.source for e in split.train))})",
        **scores([e.genre for e in split.heldout], pred),
        "by_source": _by_source(split.heldout, pred),
    }
    if split.unlabelled:
        calls: dict[str, Counter[str]] = defaultdict(Counter)
        for _, pub, text in split.unlabelled:
            calls[pub][m.predict(text)[0]] += 1
        result["polnear_dev_unlabelled_calls"] = {k: dict(v) for k, v in sorted(calls.items())}
    sample = sample_check(m)
    wire = [s for s in sample if _is_wire(s)]
    result["sample"] = {"wire_reports": len(wire),
                        "wire_called_reporting": sum(s["genre"] == "reporting" for s in wire),
                        "articles": sample}
    if real_dev is not None:
        result["real_dev"] = folder_check(m, real_dev)
    if crossfit:
        result["crossfit"] = crossfit_semeval(split, **kw)
    return result


def _is_wire(s: dict[str, Any]) -> bool:
    """A sample article from the wire service: its outlet or its byline is ``Meridian Wire``
    (the bundled sample's wire agency)."""
    return "Meridian Wire" in [s.get("outlet"), *s.get("authors", [])]


def format_results(r: dict[str, Any]) -> str:
    lines = [f"genre ({r['algorithm']}), {r['setting']}"]

    def table(s: dict[str, Any]) -> None:
        lines.append(f"  {'class':10s} {'P':>6s} {'R':>6s} {'F1':>6s} {'n':>5s}")
        for g, d in s["per_class"].items():
            lines.append(f"  {g:10s} {d['precision']:6.3f} {d['recall']:6.3f} {d['f1']:6.3f} {d['support']:5d}")
        lines.append(f"  macro-F1 {s['macro_f1']:.3f} (opinion+reporting {s['macro_f1_opinion_reporting']:.3f}), "
                     f"accuracy {s['accuracy']:.3f}; confusion {s['confusion']}")

    table(r)
    lines.append("  by source (gold class: correct / articles): " + ", ".join(
        f"{k} {d['correct']}/{d['articles']}" for k, d in r["by_source"].items()))
    if "polnear_dev_unlabelled_calls" in r:
        lines.append(f"  PolNeAR dev, mixed-genre publishers (unlabelled, not scored): {r['polnear_dev_unlabelled_calls']}")
    s = r["sample"]
    lines.append(f"bundled sample: {s['wire_called_reporting']}/{s['wire_reports']} wire reports called reporting")
    for a in s["articles"]:
        lines.append(f"  {a['genre']:9s} {a['p']:.2f}  {a['outlet']}: {a['title']}")
    if "real_dev" in r:
        lines.append(f"real-dev: {r['real_dev']['counts']}; not reporting: " + ", ".join(
            k for k, v in r["real_dev"]["calls"].items() if v != "reporting"))
    if "crossfit" in r:
        lines.append(r["crossfit"]["setting"])
        table(r["crossfit"])
    return "\n".join(lines)
