"""News genre: opinion / reporting / satire.

Model ``rashomon.genre.tfidf-lr.v2``: multinomial logistic regression (class-weighted)
over word 1-2-gram TF-IDF of the article plus a few style rates (first/second person,
quotes, reporting verbs, ``!``/``?``). Trained on SemEval-2023 Task 3 subtask 1 (English:
382 opinion, 41 reporting, 10 satire) **plus real straight reporting** so that a wire
report is not called opinion: PolNeAR train articles that are wire copy or from the
news desks of four national papers, and local news reports from the GVA train split
(incidents held out by ``rashomon.eval.gva_split`` are never used). v1 saw 41 reporting
articles and called every wire story opinion.

    >>> GenreModel.load().predict(text)           # doctest: +SKIP
    ('opinion', 0.91)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp

from rashomon import lite
from rashomon.errors import Errors, ModelError
from rashomon.framing.features import read_genre_labels, words
from rashomon.framing.techniques import MODELS_DIR, TRAIN_COMMAND

ALGORITHM = "rashomon.genre.tfidf-lr.v2"
GENRES: tuple[str, ...] = ("opinion", "reporting", "satire")
DEFAULT_PATH = MODELS_DIR / "genre.npz"

_FIRST = frozenset(["i", "me", "my", "we", "us", "our", "ours", "myself"])
_SECOND = frozenset(["you", "your", "yours", "yourself"])
_REPORT = frozenset(
    ["said", "says", "told", "according", "reported", "announced", "added", "stated"]
)


def style_features(text: str) -> list[float]:
    toks = words(text)
    n = max(len(toks), 1)
    lines = [ln for ln in text.split("\n") if ln.strip()]
    return [
        np.log1p(len(toks)),
        sum(w in _FIRST for w in toks) / n * 100,
        sum(w in _SECOND for w in toks) / n * 100,
        sum(w in _REPORT for w in toks) / n * 100,
        (text.count('"') + text.count("“") + text.count("”")) / n * 100,
        text.count("!") / n * 100,
        text.count("?") / n * 100,
        np.log1p(len(lines)),
        sum(ch.isdigit() for ch in text) / max(len(text), 1) * 100,
    ]


@dataclass
class GenreModel:
    """Article-level genre classifier (fitted with scikit-learn, applied with
    :mod:`rashomon.lite`)."""

    vec: lite.Tfidf
    scaler: lite.Scaler
    lr: lite.Linear
    meta: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def fit(
        cls, texts: Sequence[str], labels: Sequence[str], C: float = 10.0, seed: int = 13
    ) -> GenreModel:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.preprocessing import StandardScaler

        vec = TfidfVectorizer(
            ngram_range=(1, 2), min_df=2, max_features=50000, sublinear_tf=True, dtype=np.float32
        ).fit(texts)
        dense = np.asarray([style_features(t) for t in texts])
        scaler = StandardScaler().fit(dense)
        lr = LogisticRegression(C=C, class_weight="balanced", max_iter=3000, random_state=seed)
        model = cls(lite.Tfidf.from_sklearn(vec), lite.Scaler.from_sklearn(scaler),
                    lite.Linear(np.zeros((0, 0)), np.zeros(0), []),
                    {"algorithm": ALGORITHM, "C": C, "seed": seed})
        lr.fit(model._X(texts), list(labels))
        model.lr = lite.Linear.from_sklearn(lr)
        return model

    def predict_many(self, texts: Sequence[str]) -> list[str]:
        """The genre of each text."""
        p = self.lr.predict_proba(self._X(texts))
        return [str(self.lr.classes[int(j)]) for j in np.argmax(p, axis=1)]

    def _X(self, texts: Sequence[str]) -> sp.csr_matrix:
        dense = self.scaler.transform(np.asarray([style_features(t) for t in texts]))
        return sp.hstack(
            [self.vec.transform(texts), sp.csr_matrix(np.clip(dense, -5, 5))], format="csr"
        )

    def predict(self, text: str) -> tuple[str, float]:
        """``(genre, probability)`` for one article's text."""
        p = self.lr.predict_proba(self._X([text]))[0]
        j = int(np.argmax(p))
        return str(self.lr.classes[j]), float(p[j])

    def save(self, path: Path) -> None:
        lite.save_parts(path, {"vec": self.vec, "scaler": self.scaler, "lr": self.lr}, model="genre",
                        model_meta=self.meta)

    @classmethod
    def load(cls, path: Path | None = None) -> GenreModel:
        """Load a trained model (default: the one shipped in ``rashomon/data/models``)."""
        return _load_default() if path is None else _load(Path(path))


def _load(path: Path) -> GenreModel:
    try:
        parts, _, meta = lite.load_parts(path)
        return GenreModel(parts["vec"], parts["scaler"], parts["lr"], meta.get("model_meta", {}))
    except (OSError, KeyError, EOFError, ValueError) as exc:
        raise ModelError(Errors.E202.format(path=path, detail=exc, command=TRAIN_COMMAND)) from exc


@lru_cache(maxsize=1)
def _load_default() -> GenreModel:
    return _load(DEFAULT_PATH)


NEWS_DESKS = ("nyt", "politico", "usa-today", "wash-post")  # PolNeAR publishers with news desks
PER_DESK = 60
GVA_REPORTS = 200


def read_reporting_extras(polnear: Path | None, gva: Path | None, split: str = "train",
                          seed: int = 13) -> list[tuple[str, str, str]]:
    """``(id, text, "reporting")`` of real straight reporting: PolNeAR ``split`` articles
    that are wire copy (any publisher except Western Journalism, whose wire column is
    always set) or sampled from four news desks, and GVA local reports (``split``
    "train": the train incidents of the project's split; "heldout": the held-out ones)."""
    import csv
    import random

    rng = random.Random(seed)
    out: list[tuple[str, str, str]] = []
    if polnear is not None:
        root = Path(polnear) / "data"
        with (root / "metadata.tsv").open(encoding="utf-8") as fh:
            rows = [r for r in csv.DictReader(fh, delimiter="\t") if r["compartment"] == split]
        wire = [r for r in rows if r["wire"] not in ("None", "") and r["publisher"] != "west-journal"]
        desk: list[dict[str, str]] = []
        for pub in NEWS_DESKS:
            cands = sorted((r for r in rows if r["publisher"] == pub), key=lambda r: r["filename"])
            desk += rng.sample(cands, min(PER_DESK, len(cands)))
        for r in wire + desk:
            path = root / split / "text" / f"{r['filename']}.txt"
            if path.is_file():
                out.append((f"polnear:{r['filename']}", path.read_text(encoding="utf-8"), "reporting"))
    if gva is not None:
        from rashomon.eval.gva_split import is_heldout, iter_articles

        want_heldout = split != "train"
        arts = [a for a in iter_articles(Path(gva)) if is_heldout(a["incident_id"]) == want_heldout]
        arts.sort(key=lambda a: a["id"])
        for a in rng.sample(arts, min(GVA_REPORTS, len(arts))):
            text = ((a.get("title") or "") + "\n\n" + a["text"]).strip()
            out.append((f"gva:{a['id']}", text, "reporting"))
    return out


def cv_genre(semeval_path: Path, folds: int = 5, seed: int = 13, C: float = 10.0,
             extras: Sequence[tuple[str, str, str]] = ()) -> dict[str, Any]:
    """Macro-F1 and accuracy of the genre model in stratified ``folds``-fold CV over the
    SemEval articles; ``extras`` (more labelled articles) join every training fold only,
    so the figure stays comparable with v1's."""
    from sklearn.metrics import accuracy_score, f1_score
    from sklearn.model_selection import StratifiedKFold

    data = read_genre_labels(Path(semeval_path))
    texts = [t for _, t, _ in data]
    y = np.asarray([g for _, _, g in data])
    pred = np.empty(len(y), dtype=object)
    x_texts = [t for _, t, _ in extras]
    x_y = [g for _, _, g in extras]
    for tr, te in StratifiedKFold(folds, shuffle=True, random_state=seed).split(texts, y):
        m = GenreModel.fit([texts[i] for i in tr] + x_texts, list(y[tr]) + x_y, C=C, seed=seed)
        pred[te] = m.predict_many([texts[i] for i in te])
    return {
        "setting": f"{folds}-fold stratified CV over {len(y)} SemEval articles"
        + (f" (+{len(extras)} reporting articles in every training fold)" if extras else ""),
        "macro_f1": float(f1_score(y, pred.astype(str), average="macro")),
        "accuracy": float(accuracy_score(y, pred.astype(str))),
        "per_label": {
            g: float(f)
            for g, f in zip(
                GENRES,
                f1_score(y, pred.astype(str), average=None, labels=list(GENRES)),
                strict=True,
            )
        },
    }
