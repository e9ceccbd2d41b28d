"""Persuasion-technique detection: SemEval-2023 Task 3 subtask 3 (23 techniques, English).

Model ``rashomon.techniques.tfidf-lr.v1``: one-vs-rest logistic regression over word
1-2-gram and char 2-5-gram TF-IDF of the paragraph, plus dense features computed
with the paragraph's article (punctuation, capitals, cue lexicons, position, and how
much of the paragraph repeats elsewhere in the article). Per-label decision thresholds
are tuned on out-of-fold predictions (grouped by article). Character spans: each
predicted technique is localised to the sentence(s) of the paragraph that the same
model scores highest for it.

    >>> model = TechniqueModel.load()                       # doctest: +SKIP
    >>> model.predict(text, article_id="a1")[0].technique    # doctest: +SKIP
    'Loaded_Language'

``confidence`` is a monotone rescaling of the classifier's probability so that the
tuned threshold maps to 0.5: a label is predicted iff its confidence is >= 0.5. It is a
ranking score, not a calibrated probability.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp

from rashomon import lite, settings
from rashomon.errors import Errors, ModelError, UsageError
from rashomon.framing.features import article_features, paragraphs_of, split_sentences
from rashomon.model import Span, TechniqueSpan

ALGORITHM = "rashomon.techniques.tfidf-lr.v1"
MODELS_DIR = Path(__file__).resolve().parents[1] / "data" / "models"
DEFAULT_PATH = MODELS_DIR / "techniques.npz"
TRAIN_COMMAND = (
    "python -m rashomon.framing.train --semeval2023 ../shared/datasets/semeval2023-task3-en "
    "--out src/rashomon/data/models"
)

#: The 23 SemEval-2023 Task 3 subtask-3 techniques, spelled as in ``techniques_subtask3.txt``.
TECHNIQUES: tuple[str, ...] = (
    "Appeal_to_Authority",
    "Appeal_to_Popularity",
    "Appeal_to_Values",
    "Appeal_to_Fear-Prejudice",
    "Flag_Waving",
    "Causal_Oversimplification",
    "False_Dilemma-No_Choice",
    "Consequential_Oversimplification",
    "Straw_Man",
    "Red_Herring",
    "Whataboutism",
    "Slogans",
    "Appeal_to_Time",
    "Conversation_Killer",
    "Loaded_Language",
    "Repetition",
    "Exaggeration-Minimisation",
    "Obfuscation-Vagueness-Confusion",
    "Name_Calling-Labeling",
    "Doubt",
    "Guilt_by_Association",
    "Appeal_to_Hypocrisy",
    "Questioning_the_Reputation",
)

#: Technique -> coarse family, the six groups of the SemEval-2023 Task 3 taxonomy
#: (Piskorski et al. 2023, "SemEval-2023 Task 3", Table 1).
FAMILY: dict[str, str] = {
    "Name_Calling-Labeling": "Attack on reputation",
    "Guilt_by_Association": "Attack on reputation",
    "Doubt": "Attack on reputation",
    "Appeal_to_Hypocrisy": "Attack on reputation",
    "Questioning_the_Reputation": "Attack on reputation",
    "Flag_Waving": "Justification",
    "Appeal_to_Authority": "Justification",
    "Appeal_to_Popularity": "Justification",
    "Appeal_to_Values": "Justification",
    "Appeal_to_Fear-Prejudice": "Justification",
    "Straw_Man": "Distraction",
    "Red_Herring": "Distraction",
    "Whataboutism": "Distraction",
    "Causal_Oversimplification": "Simplification",
    "False_Dilemma-No_Choice": "Simplification",
    "Consequential_Oversimplification": "Simplification",
    "Slogans": "Call",
    "Conversation_Killer": "Call",
    "Appeal_to_Time": "Call",
    "Loaded_Language": "Manipulative wording",
    "Obfuscation-Vagueness-Confusion": "Manipulative wording",
    "Exaggeration-Minimisation": "Manipulative wording",
    "Repetition": "Manipulative wording",
}


@dataclass(slots=True)
class TechniqueConfig:
    """Hyper-parameters of the paragraph model (chosen by grouped CV, see docs/framing.md)."""

    C: float = 0.5
    class_weight: str | None = "balanced"
    word_ngrams: tuple[int, int] = (1, 2)
    char_ngrams: tuple[int, int] = (2, 5)
    word_max_features: int = 60000
    char_max_features: int = 100000
    min_df: int = 2
    min_positives: int = 30  # labels with fewer training positives get no classifier
    min_oof_f1: float = 0.15  # labels whose out-of-fold F1 stays below this are not predicted
    threshold_folds: int = 3
    dense_weight: float = 1.0
    use_char: bool = False  # char 2-5-grams: 10x slower to train, no gain measured
    solver: str = "liblinear"  # "liblinear" or "sgd" (log-loss SGD; measured much worse)
    alpha: float = 1e-4  # SGD regularisation
    epochs: int = 15
    seed: int = 13

    def to_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__slots__}


def _logit(p: float) -> float:
    p = min(max(p, 1e-6), 1 - 1e-6)
    return math.log(p / (1 - p))


@dataclass
class _Featurizer:
    """Word TF-IDF of the paragraph + its standardised article features (scikit-learn
    fits them; :mod:`rashomon.lite` applies them)."""

    word: lite.Tfidf
    scaler: lite.Scaler
    dense_weight: float = 1.0

    @classmethod
    def fit(cls, paragraphs: Sequence[str], dense: np.ndarray, cfg: TechniqueConfig) -> _Featurizer:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.preprocessing import StandardScaler

        if cfg.use_char:
            raise ValueError("char n-grams (use_char) are not supported by the shipped model format")
        word = TfidfVectorizer(
            ngram_range=cfg.word_ngrams,
            min_df=cfg.min_df,
            max_features=cfg.word_max_features,
            sublinear_tf=True,
            lowercase=True,
            token_pattern=r"(?u)\b\w[\w'-]*\b|[?!\"“”]",
            dtype=np.float32,
        )
        word.fit(paragraphs)
        scaler = StandardScaler().fit(dense)
        return cls(lite.Tfidf.from_sklearn(word), lite.Scaler.from_sklearn(scaler), cfg.dense_weight)

    def transform(self, paragraphs: Sequence[str], dense: np.ndarray) -> sp.csr_matrix:
        d = self.scaler.transform(dense) * self.dense_weight
        d = np.clip(d, -5, 5).astype(np.float32)
        return sp.hstack([self.word.transform(paragraphs), sp.csr_matrix(d)], format="csr")


def _fit_lr(X: sp.csr_matrix, Y: np.ndarray, cfg: TechniqueConfig) -> tuple[np.ndarray, np.ndarray]:
    """One binary LR per column of Y; returns (coef [L, F], intercept [L])."""
    from sklearn.linear_model import LogisticRegression, SGDClassifier

    n_labels = Y.shape[1]
    coef = np.zeros((n_labels, X.shape[1]), dtype=np.float32)
    intercept = np.full(n_labels, -20.0, dtype=np.float32)  # never fires without a classifier
    for j in range(n_labels):
        if Y[:, j].sum() < cfg.min_positives:
            continue
        lr: LogisticRegression | SGDClassifier
        if cfg.solver == "liblinear":
            lr = LogisticRegression(
                C=cfg.C,
                class_weight=cfg.class_weight,
                solver="liblinear",
                max_iter=200,
                random_state=cfg.seed,
            )
        else:
            lr = SGDClassifier(
                loss="log_loss",
                alpha=cfg.alpha,
                class_weight=cfg.class_weight,
                max_iter=cfg.epochs,
                tol=None,
                random_state=cfg.seed,
                average=True,
            )
        lr.fit(X, Y[:, j])
        coef[j] = lr.coef_[0]
        intercept[j] = lr.intercept_[0]
    return coef, intercept


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))


DISABLED = 0.999  # threshold of a label the model does not predict (still ranked)


def tune_thresholds(
    P: np.ndarray, Y: np.ndarray, min_positives: int = 5, min_f1: float = 0.0
) -> np.ndarray:
    """Per-label threshold maximising that label's F1 on held-out probabilities ``P``.

    Labels with too few positives, or whose best held-out F1 is below ``min_f1``, get the
    ``DISABLED`` threshold: for micro-F1 a label that is mostly wrong only adds false
    positives.
    """
    grid = np.arange(0.05, 0.96, 0.025)

    def f1(tp: float, fp: float, fn: float) -> float:
        return 2 * tp / max(2 * tp + fp + fn, 1e-9)

    th = np.full(P.shape[1], DISABLED)
    for j in range(P.shape[1]):
        if Y[:, j].sum() < min_positives:
            continue
        scores = []
        for t in grid:
            pred = P[:, j] >= t
            tp = float((pred & (Y[:, j] == 1)).sum())
            fp = float((pred & (Y[:, j] == 0)).sum())
            fn = float((~pred & (Y[:, j] == 1)).sum())
            scores.append(f1(tp, fp, fn))
        # smooth the F1 curve a little: thresholds from a few hundred positives are noisy
        sm = np.convolve(np.asarray(scores), np.ones(3) / 3, mode="same")
        k = int(np.argmax(sm))
        th[j] = float(grid[k]) if scores[k] >= min_f1 else DISABLED
    return th


def tune_shared_threshold(
    P: np.ndarray, Y: np.ndarray, min_positives: int = 5, min_f1: float = 0.0
) -> np.ndarray:
    """One threshold for every active label, the one maximising micro-F1 on ``P``.

    A label is active when it has ``min_positives`` positives in ``Y`` and its F1 at the
    shared threshold is at least ``min_f1``; the others get ``DISABLED``. Meant for a
    small validation set, where a per-label threshold (``tune_thresholds``) fits the noise
    of each label's few positives: over 30 random halvings of the encoder's 74 validation
    articles (tune on one half, score the other) it scored micro-F1 0.381 against 0.348.
    On the 75 held-out articles it did not carry over (0.362 against 0.365), so the
    shipped blend keeps per-label thresholds (``train_encoder --thresholds``)."""
    grid = np.arange(0.05, 0.96, 0.025)
    pos = Y.sum(axis=0) >= min_positives
    truth = Y == 1

    def micro(th: np.ndarray) -> float:
        pred = th[None, :] <= P
        tp = float((pred & truth).sum())
        return 2 * tp / max(float(pred.sum()) + float(truth.sum()), 1e-9)

    t = max(grid, key=lambda g: micro(np.where(pos, g, DISABLED)))
    th = np.where(pos, float(t), DISABLED)
    for j in np.flatnonzero(pos):
        pred = P[:, j] >= t
        f1 = 2 * float((pred & truth[:, j]).sum()) / max(float(pred.sum()) + float(truth[:, j].sum()), 1e-9)
        if f1 < min_f1:
            th[j] = DISABLED
    return th


class ParagraphScorer:
    """What every technique model shares: per-label confidences (a label fires at >= 0.5)
    for an article's paragraphs, and from them paragraph predictions and sentence spans.
    A model implements ``scores_many``; ``labels`` names its columns."""

    labels: tuple[str, ...]

    def scores_many(self, groups: Sequence[Sequence[str]]) -> list[np.ndarray]:
        """Confidence matrices ``[len(group), len(labels)]``, one per article."""
        raise NotImplementedError

    def scores(self, paragraphs: Sequence[str]) -> np.ndarray:
        """Confidence matrix ``[n_paragraphs, len(labels)]`` for one article's paragraphs."""
        return self.scores_many([paragraphs])[0]

    def predict_paragraphs(self, paragraphs: list[str]) -> list[list[tuple[str, float]]]:
        """For one article's paragraphs (in order): predicted ``(technique, confidence)``
        pairs, most confident first. Blank paragraphs get an empty list."""
        keep = [i for i, p in enumerate(paragraphs) if p.strip()]
        C = self.scores([paragraphs[i] for i in keep])
        out: list[list[tuple[str, float]]] = [[] for _ in paragraphs]
        for row, i in enumerate(keep):
            order = np.argsort(-C[row])
            out[i] = [(self.labels[j], float(C[row, j])) for j in order if C[row, j] >= 0.5]
        return out

    def predict(self, text: str, article_id: str) -> list[TechniqueSpan]:
        """Techniques for every paragraph (non-blank line) of ``text``, with spans.

        ``paragraph`` is the 0-based index of the line in ``text.split('\\n')``; the span is
        the sentence(s) of that line that score highest for the technique (the whole
        line when it is one sentence).
        """
        return self.predict_many([text], [article_id])[0]

    def predict_many(self, texts: Sequence[str], article_ids: Sequence[str]) -> list[list[TechniqueSpan]]:
        """``predict`` for a batch of articles, scoring all their paragraphs (and then all
        their candidate sentences) in one pass each."""
        paras_all = [paragraphs_of(t) for t in texts]
        C_all = self.scores_many([[t[s:e] for _, s, e in paras] for t, paras in zip(texts, paras_all, strict=True)])
        # sentence-level scores, with each article's sentences as its "paragraphs"
        sents_all: list[list[tuple[int, int, int]]] = []  # (paragraph row, start, end)
        for text, paras, C in zip(texts, paras_all, C_all, strict=True):
            sents: list[tuple[int, int, int]] = []
            for row, (_, s, e) in enumerate(paras):
                if C.shape[1] and C[row].max() < 0.5:
                    continue  # nothing fires in this paragraph: no span to localise
                for a, b in split_sentences(text[s:e]):
                    sents.append((row, s + a, s + b))
            sents_all.append(sents)
        S_all = self.scores_many([[t[a:b] for _, a, b in ss] for t, ss in zip(texts, sents_all, strict=True)])
        results: list[list[TechniqueSpan]] = []
        for article_id, paras, C, sents, S in zip(article_ids, paras_all, C_all, sents_all, S_all, strict=True):
            by_row: dict[int, list[int]] = {}
            for k, (row, _, _) in enumerate(sents):
                by_row.setdefault(row, []).append(k)
            out: list[TechniqueSpan] = []
            for row, (idx, s, e) in enumerate(paras):
                for j in np.argsort(-C[row]):
                    conf = float(C[row, j])
                    if conf < 0.5:
                        break
                    start, end = _localise(by_row.get(row, []), sents, S, int(j), s, e)
                    out.append(
                        TechniqueSpan(
                            article_id, idx, self.labels[j], conf, Span(article_id, start, end)
                        )
                    )
            results.append(out)
        return results


def confidence(P: np.ndarray, thresholds: np.ndarray) -> np.ndarray:
    """Shift each label's logit so its tuned threshold sits at 0.5."""
    shift = np.array([_logit(t) for t in thresholds])
    z = np.log(np.clip(P, 1e-9, 1)) - np.log(np.clip(1 - P, 1e-9, 1))
    return _sigmoid(z - shift)


@dataclass
class TechniqueModel(ParagraphScorer):
    """Paragraph-level technique classifier with sentence-level localisation."""

    featurizer: _Featurizer
    coef: np.ndarray
    intercept: np.ndarray
    thresholds: np.ndarray
    labels: tuple[str, ...] = TECHNIQUES
    meta: dict[str, Any] = field(default_factory=dict)

    # ------------------------------------------------------------------ training
    @classmethod
    def fit(
        cls,
        articles: Sequence[Sequence[str]],
        labels: Sequence[Sequence[Sequence[str]]],
        cfg: TechniqueConfig | None = None,
    ) -> TechniqueModel:
        """Train on articles (lists of paragraphs) and their per-paragraph technique lists."""
        cfg = cfg or TechniqueConfig()
        paras, dense, Y, groups = _flatten(articles, labels)
        # The vectorisers are fitted once on all training paragraphs (unsupervised; refitting
        # them per inner fold costs minutes and changes the thresholds by noise only).
        fz = _Featurizer.fit(paras, dense, cfg)
        X = fz.transform(paras, dense).astype(np.float64)
        # thresholds from out-of-fold predictions, grouped by article
        P = np.zeros(Y.shape, dtype=np.float64)
        from sklearn.model_selection import GroupKFold

        for tr, te in GroupKFold(n_splits=cfg.threshold_folds).split(paras, groups=groups):
            coef, icpt = _fit_lr(X[tr], Y[tr], cfg)
            P[te] = _sigmoid(X[te] @ coef.T + icpt)
        th = tune_thresholds(P, Y, cfg.min_positives, cfg.min_oof_f1)
        oof = {t: round(float(v), 3) for t, v in zip(TECHNIQUES, th, strict=True)}
        coef, icpt = _fit_lr(X, Y, cfg)
        meta = {
            "algorithm": ALGORITHM,
            "config": cfg.to_dict(),
            "positives": {t: int(Y[:, j].sum()) for j, t in enumerate(TECHNIQUES)},
            "thresholds": oof,
        }
        return cls(fz, coef, icpt, th, TECHNIQUES, meta)

    # ------------------------------------------------------------------ persistence
    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        # sparse-friendly: most coefficients of rare labels are tiny; float16 halves the size
        lite.save_parts(
            path,
            {"word": self.featurizer.word, "scaler": self.featurizer.scaler},
            {"coef": self.coef.astype(np.float16), "intercept": np.asarray(self.intercept, dtype=np.float32),
             "thresholds": np.asarray(self.thresholds, dtype=np.float64)},
            model="techniques", labels=list(self.labels), dense_weight=self.featurizer.dense_weight,
            model_meta=self.meta,
        )

    @classmethod
    def load(cls, path: Path | None = None) -> TechniqueModel:
        """Load a trained model (default: the one shipped in ``rashomon/data/models``)."""
        if path is None:
            return _load_default()
        return _load(Path(path))

    # ------------------------------------------------------------------ inference
    def _proba(self, paragraphs: Sequence[str], dense: np.ndarray) -> np.ndarray:
        if not paragraphs:
            return np.zeros((0, len(self.labels)))
        X = self.featurizer.transform(paragraphs, dense)
        return _sigmoid(X @ self.coef.T.astype(np.float32) + self.intercept)

    def _confidence(self, P: np.ndarray) -> np.ndarray:
        return confidence(P, self.thresholds)

    def scores(self, paragraphs: Sequence[str]) -> np.ndarray:
        """Confidence matrix ``[n_paragraphs, len(labels)]`` for one article's paragraphs."""
        return self._confidence(self._proba(paragraphs, article_features(paragraphs)))

    def scores_many(self, groups: Sequence[Sequence[str]]) -> list[np.ndarray]:
        """``scores`` for several articles in one vectorizer pass (same results, faster:
        the per-call cost of the featurizer dominates for short articles)."""
        flat = [p for g in groups for p in g]
        if not flat:
            return [np.zeros((0, len(self.labels))) for _ in groups]
        dense = np.vstack([article_features(g) for g in groups if g])
        M = self._confidence(self._proba(flat, dense))
        out, i = [], 0
        for g in groups:
            out.append(M[i : i + len(g)])
            i += len(g)
        return out


def _localise(
    ks: list[int], sents: list[tuple[int, int, int]], S: np.ndarray, j: int, start: int, end: int
) -> tuple[int, int]:
    """Tightest range covering the paragraph's sentences that fire for label ``j``
    (or its single best sentence)."""
    if len(ks) <= 1:
        return (sents[ks[0]][1], sents[ks[0]][2]) if ks else (start, end)
    firing = [k for k in ks if S[k, j] >= 0.5] or [max(ks, key=lambda k: S[k, j])]
    return min(sents[k][1] for k in firing), max(sents[k][2] for k in firing)


def _flatten(
    articles: Sequence[Sequence[str]], labels: Sequence[Sequence[Sequence[str]]]
) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray]:
    index = {t: j for j, t in enumerate(TECHNIQUES)}
    paras: list[str] = []
    dense_parts = []
    rows: list[np.ndarray] = []
    groups: list[int] = []
    for g, (ps, ls) in enumerate(zip(articles, labels, strict=True)):
        paras.extend(ps)
        dense_parts.append(article_features(ps))
        for lab in ls:
            rows.append(label_vector(lab, index))
            groups.append(g)
    return paras, np.vstack(dense_parts), np.vstack(rows), np.asarray(groups)


def _load(path: Path) -> TechniqueModel:
    try:
        parts, arrays, meta = lite.load_parts(path)
        return TechniqueModel(
            featurizer=_Featurizer(parts["word"], parts["scaler"], float(meta["dense_weight"])),
            coef=np.asarray(arrays["coef"], dtype=np.float32),
            intercept=np.asarray(arrays["intercept"], dtype=np.float32),
            thresholds=np.asarray(arrays["thresholds"]),
            labels=tuple(meta["labels"]),
            meta=meta.get("model_meta", {}),
        )
    except (OSError, KeyError, EOFError, ValueError) as exc:
        raise ModelError(Errors.E202.format(path=path, detail=exc, command=TRAIN_COMMAND)) from exc


@lru_cache(maxsize=1)
def _load_default() -> TechniqueModel:
    return _load(DEFAULT_PATH)


def label_vector(labels: Iterable[str], index: Mapping[str, int], dtype: Any = np.int8) -> np.ndarray:
    """One paragraph's gold techniques as a 0/1 row over :data:`TECHNIQUES` (labels the
    index does not know are dropped)."""
    y = np.zeros(len(TECHNIQUES), dtype=dtype)
    for t in labels:
        if t in index:
            y[index[t]] = 1
    return y


FRAMING_MODES = ("fast", "accurate")


def load_technique_model(mode: str | None = None) -> ParagraphScorer:
    """The shipped technique model for ``mode`` (default: the ``framing`` setting):
    ``fast`` is ``TechniqueModel`` (TF-IDF + LR), ``accurate`` the fine-tuned MiniLM of
    ``rashomon.framing.encoder`` (onnxruntime). Both are loaded once per process."""
    mode = mode or str(settings.get("framing") or "fast")
    if mode == "fast":
        return TechniqueModel.load()
    if mode == "accurate":
        from rashomon.framing.encoder import EncoderTechniqueModel

        return EncoderTechniqueModel.load()
    raise UsageError(Errors.E309.format(mode=mode))


def metadata(models_dir: Path = MODELS_DIR) -> dict[str, Any]:
    """The JSON metadata written next to the shipped models (training command, figures)."""
    p = models_dir / "framing-models.json"
    return json.loads(p.read_text(encoding="utf-8")) if p.exists() else {}
