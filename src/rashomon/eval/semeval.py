"""Evaluation of the framing models on SemEval-2023 Task 3 (EN) and SemEval-2020 Task 11 (PTC).

What is measured
- Paragraph level (SemEval-2023 subtask 3): micro- and macro-F1 over (article, paragraph,
  technique) triples, as the official scorer computes them: scikit-learn ``f1_score`` over
  the 23-label binarised matrix of the scored paragraphs, ``zero_division=1`` (so a label
  absent from gold *and* predictions counts F1 = 1 in the macro average; we also report
  macro-F1 over the labels present in gold, which is the more honest figure).
- ``cv_techniques``: 5-fold cross-validation over the 446 train articles, grouped by article.
  Optimistic: articles from the same outlet and story land on both sides of a fold.
- ``dev_techniques``: document-disjoint split: the 75 articles of the PTC dev folder are held
  out, the model is trained on the other 371 (SemEval-2023 EN train = PTC train + dev).
- ``eval_ptc``: SemEval-2020 Task 11 TC: given each *gold* span of PTC dev, predict its
  technique (14 labels); micro-F1 over spans (with one label per span this equals accuracy,
  except that a span annotated with k techniques has k gold labels and we predict the top k).
  Trained on PTC train only.

    python -m rashomon.eval.semeval --semeval2023 ../shared/datasets/semeval2023-task3-en \\
        --ptc ../shared/datasets/ptc-semeval2020-task11
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import GroupKFold
from sklearn.preprocessing import StandardScaler

from rashomon.errors import Errors, UsageError
from rashomon.framing.features import (
    LabelledArticle,
    iter_article_ids,
    read_ptc,
    read_semeval_paragraphs,
    read_text,
    words,
)
from rashomon.framing.techniques import TECHNIQUES, ParagraphScorer, TechniqueConfig, TechniqueModel

CV_WARNING = (
    "warning: cross-validation over the train articles is optimistic (same outlets and "
    "stories on both sides); trust the document-disjoint figure more."
)

Key = tuple[str, int]


def _check(path: Path, example: str) -> Path:
    path = Path(path)
    if not path.exists():
        raise UsageError(Errors.E303.format(path=path, example=example))
    return path


def score_paragraphs(
    gold: Mapping[Key, Sequence[str]],
    pred: Mapping[Key, Sequence[str]],
    classes: Sequence[str] = TECHNIQUES,
) -> dict[str, float]:
    """Official subtask-3 micro/macro-F1 over the paragraphs in ``gold``.

    >>> g = {("1", 1): ["Doubt"], ("1", 3): []}
    >>> round(score_paragraphs(g, {("1", 1): ["Doubt"]})["micro_f1"], 3)
    1.0
    """
    keys = list(gold)
    index = {c: j for j, c in enumerate(classes)}
    G = np.zeros((len(keys), len(classes)), dtype=int)
    P = np.zeros_like(G)
    for i, k in enumerate(keys):
        for t in gold[k]:
            if t in index:
                G[i, index[t]] = 1
        for t in pred.get(k, []):
            if t in index:
                P[i, index[t]] = 1
    present = [j for j in range(len(classes)) if G[:, j].any()]
    return {
        "micro_f1": float(f1_score(G, P, average="micro", zero_division=1)),
        "macro_f1": float(f1_score(G, P, average="macro", zero_division=1)),
        "macro_f1_present": float(
            f1_score(G[:, present], P[:, present], average="macro", zero_division=0)
        ),
        "paragraphs": len(keys),
        "gold_labels": int(G.sum()),
        "predicted_labels": int(P.sum()),
    }


def per_label_f1(
    gold: Mapping[Key, Sequence[str]], pred: Mapping[Key, Sequence[str]]
) -> dict[str, tuple[float, int]]:
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    for k, g in gold.items():
        gs, ps = set(g), set(pred.get(k, []))
        for t in gs & ps:
            tp[t] += 1
        for t in ps - gs:
            fp[t] += 1
        for t in gs - ps:
            fn[t] += 1
    return {t: (2 * tp[t] / max(2 * tp[t] + fp[t] + fn[t], 1), tp[t] + fn[t]) for t in TECHNIQUES}


def _predict_articles(
    model: TechniqueModel, arts: Sequence[LabelledArticle]
) -> dict[Key, list[str]]:
    pred: dict[Key, list[str]] = {}
    for a in arts:
        for ln, labs in zip(a.lines, model.predict_paragraphs(a.paragraphs), strict=True):
            pred[(a.article_id, ln)] = [t for t, _ in labs]
    return pred


def _gold(arts: Sequence[LabelledArticle]) -> dict[Key, list[str]]:
    return {
        (a.article_id, ln): labs for a in arts for ln, labs in zip(a.lines, a.labels, strict=True)
    }


def _fit(arts: Sequence[LabelledArticle], cfg: TechniqueConfig | None) -> TechniqueModel:
    return TechniqueModel.fit([a.paragraphs for a in arts], [a.labels for a in arts], cfg)


def cv_techniques(
    semeval_path: Path, folds: int = 5, cfg: TechniqueConfig | None = None
) -> dict[str, Any]:
    """Paragraph micro/macro-F1 in ``folds``-fold CV grouped by article (optimistic)."""
    print(CV_WARNING, file=sys.stderr)
    arts = read_semeval_paragraphs(_check(semeval_path, "semeval2023-task3-en"))
    pred: dict[Key, list[str]] = {}
    groups = np.arange(len(arts))
    for tr, te in GroupKFold(n_splits=folds).split(groups, groups=groups):
        model = _fit([arts[i] for i in tr], cfg)
        pred.update(_predict_articles(model, [arts[i] for i in te]))
    gold = _gold(arts)
    return {
        "setting": f"{folds}-fold CV grouped by article",
        **score_paragraphs(gold, pred),
        "per_label": per_label_f1(gold, pred),
    }


def dev_split(
    semeval_path: Path, ptc_path: Path
) -> tuple[list[LabelledArticle], list[LabelledArticle]]:
    """(train, held-out): held-out = the articles whose ids are in PTC ``dev-articles``."""
    dev_ids = set(iter_article_ids(_check(ptc_path, "ptc-semeval2020-task11") / "dev-articles"))
    arts = read_semeval_paragraphs(_check(semeval_path, "semeval2023-task3-en"))
    return (
        [a for a in arts if a.article_id not in dev_ids],
        [a for a in arts if a.article_id in dev_ids],
    )


def dev_techniques(
    semeval_path: Path, ptc_path: Path, cfg: TechniqueConfig | None = None
) -> dict[str, Any]:
    """Paragraph micro/macro-F1 on the 75 PTC-dev articles, trained on the other 371."""
    train, dev = dev_split(semeval_path, ptc_path)
    model = _fit(train, cfg)
    pred = _predict_articles(model, dev)
    gold = _gold(dev)
    return {
        "setting": f"document-disjoint: train {len(train)} articles, test {len(dev)} (PTC dev ids)",
        **score_paragraphs(gold, pred),
        "per_label": per_label_f1(gold, pred),
    }


def predict_template(
    model: ParagraphScorer, articles_dir: Path, template_file: Path, out_file: Path
) -> int:
    """Write official subtask-3 predictions ``id<TAB>line<TAB>t1,t2`` for the template's
    paragraphs (template lines: ``id<TAB>line[<TAB>...]``, line numbers 1-based). Returns
    the number of lines written."""
    wanted: dict[str, list[int]] = {}
    with Path(template_file).open(encoding="utf-8") as fh:
        for line in fh:
            cols = line.rstrip("\n").split("\t")
            if len(cols) >= 2 and cols[1].strip().isdigit():
                wanted.setdefault(cols[0], []).append(int(cols[1]))
    rows = []
    for aid, lines in wanted.items():
        text = read_text(Path(articles_dir) / f"article{aid}.txt")
        all_lines = text.split("\n")
        nonblank = [i for i, t in enumerate(all_lines) if t.strip()]
        preds = model.predict_paragraphs([all_lines[i] for i in nonblank])
        by_line = {i + 1: p for i, p in zip(nonblank, preds, strict=True)}
        for ln in lines:
            rows.append(f"{aid}\t{ln}\t{','.join(t for t, _ in by_line.get(ln, []))}")
    Path(out_file).write_text("\n".join(rows) + "\n", encoding="utf-8")
    return len(rows)


# ------------------------------------------------------------------ official-format document-disjoint report


def read_official(path: Path) -> dict[Key, list[str]]:
    """Subtask-3 labels or predictions ``id<TAB>line<TAB>t1,t2`` (blank third column: none)."""
    out: dict[Key, list[str]] = {}
    with Path(path).open(encoding="utf-8") as fh:
        for line in fh:
            cols = line.rstrip("\n").split("\t")
            if len(cols) >= 2 and cols[1].strip().isdigit():
                labs = cols[2].split(",") if len(cols) > 2 else []
                out[(cols[0], int(cols[1]))] = [t for t in labs if t]
    return out


def write_gold_and_template(arts: Sequence[LabelledArticle], gold_file: Path, template_file: Path) -> int:
    """The held-out articles' gold in the official labels format, and the template (the
    same ``id<TAB>line`` rows without labels) a submission is made from."""
    gold = [(a.article_id, ln, labs) for a in arts for ln, labs in zip(a.lines, a.labels, strict=True)]
    gold_file.write_text("".join(f"{i}\t{ln}\t{','.join(labs)}\n" for i, ln, labs in gold), encoding="utf-8")
    template_file.write_text("".join(f"{i}\t{ln}\n" for i, ln, _ in gold), encoding="utf-8")
    return len(gold)


def label_table(gold: Mapping[Key, Sequence[str]], pred: Mapping[Key, Sequence[str]]) -> dict[str, dict[str, float]]:
    """Per technique: support (gold paragraphs), predicted, precision, recall, F1."""
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    for k, g in gold.items():
        gs, ps = set(g), set(pred.get(k, []))
        tp.update(gs & ps)
        fp.update(ps - gs)
        fn.update(gs - ps)
    return {
        t: {
            "support": tp[t] + fn[t],
            "predicted": tp[t] + fp[t],
            "precision": tp[t] / max(tp[t] + fp[t], 1),
            "recall": tp[t] / max(tp[t] + fn[t], 1),
            "f1": 2 * tp[t] / max(2 * tp[t] + fp[t] + fn[t], 1),
        }
        for t in TECHNIQUES
    }


def score_official(gold_file: Path, pred_file: Path) -> dict[str, Any]:
    """Score a submission file against a gold file, both in the official format; every
    gold paragraph missing from the submission counts as predicted empty (and is counted)."""
    gold, pred = read_official(gold_file), read_official(pred_file)
    return {
        **score_paragraphs(gold, pred),
        "missing": sum(1 for k in gold if k not in pred),
        "per_label": label_table(gold, pred),
    }


def _length_stats(arts: Sequence[LabelledArticle]) -> dict[str, float]:
    n = np.array([len(p) for a in arts for p in a.paragraphs])
    return {"paragraphs": len(n), "mean_chars": round(float(n.mean()), 1), "median_chars": float(np.median(n))}


def check_disjoint(model: ParagraphScorer, held_out: set[str]) -> None:
    """Refuse to score a shipped model on articles it was trained or tuned on."""
    meta = getattr(model, "meta", {}) or {}
    seen = set(meta.get("train_articles", [])) | set(meta.get("validation_articles", []))
    if not seen:
        raise UsageError(Errors.E310.format(algorithm=meta.get("algorithm", type(model).__name__)))
    if seen & held_out:
        raise UsageError(Errors.E311.format(n=len(seen & held_out)))


def dev_report(
    semeval_path: Path, ptc_path: Path, *, encoder: ParagraphScorer | None = None,
    cfg: TechniqueConfig | None = None,
) -> dict[str, Any]:
    """The document-disjoint split in the official format, three models side by side.

    Held out: the 75 PTC-dev articles (their 1,603 paragraphs in the task's own line
    format); the frequency baseline and the TF-IDF model (``--framing fast``) are fitted on
    the other 371 articles here, the encoder (``--framing accurate``) is the shipped model,
    checked to have been trained and tuned without the held-out articles. Each model
    writes a submission from the template with ``predict_template`` (what ``rashomon eval
    techniques --predict`` runs), scored against the held-out gold file.
    """
    import tempfile

    from rashomon.eval.baselines.techniques import FrequencyBaseline

    train, dev = dev_split(semeval_path, ptc_path)
    held = {a.article_id for a in dev}
    articles_dir = Path(semeval_path) / "train-articles-subtask-3"
    models: dict[str, tuple[str, Any]] = {}
    t = time.perf_counter()
    freq = FrequencyBaseline.fit([a.labels for a in train])
    models["frequency"] = (f"{freq.algorithm}: {', '.join(freq.chosen)} on every paragraph", freq)
    tfidf = _fit(train, cfg)
    fit_s = time.perf_counter() - t
    models["tfidf"] = (f"{tfidf.meta['algorithm']} (--framing fast), fitted here on the train side", tfidf)
    if encoder is None:
        from rashomon.framing.encoder import EncoderTechniqueModel

        encoder = EncoderTechniqueModel.load()
    check_disjoint(encoder, held)
    models["encoder"] = (f"{encoder.meta.get('algorithm')} (--framing accurate), the shipped model", encoder)  # type: ignore[attr-defined]
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        gold_file, template = Path(tmp) / "gold.txt", Path(tmp) / "template.txt"
        write_gold_and_template(dev, gold_file, template)
        for name, (what, model) in models.items():
            out = Path(tmp) / f"{name}.txt"
            t = time.perf_counter()
            predict_template(model, articles_dir, template, out)
            results[name] = {"model": what, **score_official(gold_file, out),
                             "predict_seconds": round(time.perf_counter() - t, 1)}
    return {
        "setting": f"document-disjoint: train {len(train)} articles, test the {len(dev)} PTC-dev "
        "ids, official subtask-3 format",
        "train": _length_stats(train),
        "test": _length_stats(dev),
        "tfidf_fit_seconds": round(fit_s, 1),
        "results": results,
    }


def format_report(report: Mapping[str, Any]) -> str:
    """The report as text: one line per model, then the per-label table (F1, predicted)."""
    res = report["results"]
    names = list(res)
    tr, te = report["train"], report["test"]
    lines = [
        report["setting"],
        f"  paragraphs: train {tr['paragraphs']} (median {tr['median_chars']:.0f} chars), "
        f"test {te['paragraphs']} (median {te['median_chars']:.0f} chars)",
        "",
        f"  {'model':10s} {'micro-F1':>8s} {'macro-F1':>8s} {'macro(gold)':>11s} {'predicted':>9s}  what",
    ]
    for n in names:
        r = res[n]
        lines.append(f"  {n:10s} {r['micro_f1']:8.3f} {r['macro_f1']:8.3f} {r['macro_f1_present']:11.3f} "
                     f"{r['predicted_labels']:9d}  {r['model']}")
    lines += ["", "  macro-F1 is the official one (zero_division=1); macro(gold) averages the labels present in gold.",
              "", "  per label: F1 (predicted count)",
              f"  {'technique':34s} {'support':>7s} " + " ".join(f"{n:>14s}" for n in names)]
    per = {n: res[n]["per_label"] for n in names}
    for t in sorted(TECHNIQUES, key=lambda t: -per[names[0]][t]["support"]):
        row = per[names[0]][t]
        cells = " ".join(f"{per[n][t]['f1']:8.3f} ({per[n][t]['predicted']:3d})" for n in names)
        lines.append(f"  {t:34s} {row['support']:7d} {cells}")
    return "\n".join(lines)


# ------------------------------------------------------------------ PTC TC (span classification)


def _span_dense(text: str, start: int, end: int) -> list[float]:
    span = text[start:end]
    toks = words(span)
    occurrences = text.count(span) if span.strip() else 0
    lower_occ = text.lower().count(span.lower()) if span.strip() else 0
    ls = text.rfind("\n", 0, start) + 1
    le = text.find("\n", end)
    le = len(text) if le < 0 else le
    line = text[ls:le]
    return [
        np.log1p(len(span)),
        np.log1p(len(toks)),
        float(len(toks) <= 1),
        float(len(toks) <= 3),
        np.log1p(occurrences),
        np.log1p(lower_occ),
        float(occurrences > 1),
        span.count("?"),
        span.count("!"),
        float(line.rstrip().endswith("?")),
        float('"' in span or "“" in span),
        (end - start) / max(len(line), 1),
        float(ls == 0),
        sum(w[0].isupper() for w in span.split() if w) / max(len(toks), 1),
        float(span.isupper() and len(span) > 3),
    ]


class PTCSpanClassifier:
    """Technique of a given span: LR over TF-IDF of the span, of its line, and dense features."""

    def __init__(self, C: float = 2.0, seed: int = 13) -> None:
        self.C = C
        self.seed = seed

    def _texts(
        self, arts: Mapping[str, str], spans: Sequence[tuple[str, int, int]]
    ) -> tuple[list[str], list[str], np.ndarray]:
        s_txt, ctx, dense = [], [], []
        for aid, a, b in spans:
            t = arts[aid]
            s_txt.append(t[a:b])
            ls = t.rfind("\n", 0, a) + 1
            le = t.find("\n", b)
            ctx.append(t[ls : len(t) if le < 0 else le])
            dense.append(_span_dense(t, a, b))
        return s_txt, ctx, np.asarray(dense)

    def fit(
        self, arts: Mapping[str, str], spans: Sequence[tuple[str, str, int, int]]
    ) -> PTCSpanClassifier:
        s_txt, ctx, dense = self._texts(arts, [(a, s, e) for a, _, s, e in spans])
        self.w = TfidfVectorizer(
            ngram_range=(1, 3),
            min_df=1,
            sublinear_tf=True,
            token_pattern=r"(?u)\b\w[\w'-]*\b|[?!\"“”]",
        ).fit(s_txt)
        self.c = TfidfVectorizer(
            analyzer="char_wb", ngram_range=(2, 5), min_df=2, sublinear_tf=True, max_features=100000
        ).fit(s_txt)
        self.x = TfidfVectorizer(
            ngram_range=(1, 2), min_df=2, sublinear_tf=True, max_features=50000
        ).fit(ctx)
        self.sc = StandardScaler().fit(dense)
        self.lr = LogisticRegression(C=self.C, max_iter=2000, random_state=self.seed)
        self.lr.fit(self._X(s_txt, ctx, dense), [t for _, t, _, _ in spans])
        return self

    def _X(self, s_txt: list[str], ctx: list[str], dense: np.ndarray) -> sp.csr_matrix:
        return sp.hstack(
            [
                self.w.transform(s_txt),
                self.c.transform(s_txt),
                0.5 * self.x.transform(ctx),
                sp.csr_matrix(self.sc.transform(dense)),
            ],
            format="csr",
        )

    def predict_proba(
        self, arts: Mapping[str, str], spans: Sequence[tuple[str, int, int]]
    ) -> tuple[list[str], np.ndarray]:
        s_txt, ctx, dense = self._texts(arts, spans)
        return list(self.lr.classes_), self.lr.predict_proba(self._X(s_txt, ctx, dense))


def eval_ptc(ptc_path: Path, split: str = "dev", C: float = 2.0) -> dict[str, Any]:
    """SemEval-2020 Task 11 TC micro-F1 on PTC ``split`` given the gold spans (train on PTC train)."""
    root = _check(ptc_path, "ptc-semeval2020-task11")
    tr_arts, tr_spans = read_ptc(root, "train")
    te_arts, te_spans = read_ptc(root, split)
    clf = PTCSpanClassifier(C=C).fit(tr_arts, tr_spans)
    # one prediction per gold instance; identical spans with k labels get the top-k labels
    groups: dict[tuple[str, int, int], list[str]] = {}
    for aid, t, a, b in te_spans:
        groups.setdefault((aid, a, b), []).append(t)
    keys = list(groups)
    classes, P = clf.predict_proba(te_arts, keys)
    tp = 0
    for k, row in zip(keys, P, strict=True):
        top = [classes[j] for j in np.argsort(-row)[: len(groups[k])]]
        g = Counter(groups[k])
        tp += sum(min(g[t], 1) for t in set(top))
    n = len(te_spans)
    return {
        "setting": f"PTC TC on {split}: gold spans given, technique predicted; trained on PTC train",
        "micro_f1": tp / n,
        "spans": n,
        "labels": len(classes),
    }


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m rashomon.eval.semeval",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ap.add_argument("--semeval2023", type=Path)
    ap.add_argument("--ptc", type=Path)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--skip-cv", action="store_true")
    args = ap.parse_args(argv)
    if args.semeval2023 and not args.skip_cv:
        t = time.time()
        r = cv_techniques(args.semeval2023, args.folds)
        print(
            f"techniques CV ({r['setting']}): micro-F1 {r['micro_f1']:.3f}  macro-F1 "
            f"{r['macro_f1']:.3f} (official, zero_division=1)  macro-F1 over gold labels "
            f"{r['macro_f1_present']:.3f}  [{time.time() - t:.0f} s]"
        )
    if args.semeval2023 and args.ptc:
        print(format_report(dev_report(args.semeval2023, args.ptc)))
    if args.ptc:
        r = eval_ptc(args.ptc)
        print(f"{r['setting']}: micro-F1 {r['micro_f1']:.3f} over {r['spans']} spans")
    if args.semeval2023:
        from rashomon.framing.genre import cv_genre

        g = cv_genre(args.semeval2023)
        print(f"genre {g['setting']}: macro-F1 {g['macro_f1']:.3f}  accuracy {g['accuracy']:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
