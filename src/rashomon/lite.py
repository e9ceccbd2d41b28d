"""Inference for the shipped scikit-learn models with NumPy and SciPy's sparse matrices only.

Importing scikit-learn costs a process about 140 MB (it pulls in pandas and pyarrow when
they are installed, and they are: Dask needs them), more than all the shipped models
together. The models are *trained* with scikit-learn and then converted into the plain
arrays below, which is all that inference needs; ``rashomon analyze`` never imports
scikit-learn. Each class reproduces the scikit-learn computation it replaces (checked
against scikit-learn in ``tests/test_lite.py``; scores agree to float rounding):

- :class:`Tfidf`: ``TfidfVectorizer`` / ``CountVectorizer`` with the word analyzer
  (token pattern, lower-casing, stop words, word n-grams, sublinear TF, smoothed IDF,
  L2 rows); fitted (``from_sklearn``) or fitted here on the texts at hand (``fit``, the
  linker's per-pool vectors).
- :class:`Scaler`: ``StandardScaler``.
- :class:`Linear`: a ``LogisticRegression`` (binary or multinomial) or a stack of binary
  ones; :class:`DictFeatures`: ``DictVectorizer``.
- :class:`Trees`: a binary ``HistGradientBoostingClassifier`` without categorical features.

Models are stored with :func:`save` / :func:`load` as one ``.npz`` file (arrays only,
``allow_pickle=False``, so a model file cannot run code) whose ``meta`` entry is JSON.
``python -m rashomon.lite MODEL.joblib OUT.npz`` converts a model saved by an older
version (needs scikit-learn, as training does).
"""

from __future__ import annotations

import ast
import importlib.util
import json
import re
from array import array
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp

FORMAT = "rashomon.lite.v1"


# --------------------------------------------------------------------------- storage
def save(path: Path, arrays: Mapping[str, np.ndarray], meta: Mapping[str, Any]) -> None:
    """Write ``arrays`` and the JSON-able ``meta`` to one compressed ``.npz`` file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = dict(arrays)
    payload["meta"] = np.asarray(json.dumps({"format": FORMAT, **meta}, sort_keys=True))
    with open(path, "wb") as fh:  # a file object: numpy would otherwise append ".npz"
        np.savez_compressed(fh, **payload)  # type: ignore[arg-type]


def load(path: Path) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
    """``(arrays, meta)`` of a file written by :func:`save` (no pickles are read)."""
    with np.load(Path(path), allow_pickle=False) as z:
        arrays = {k: z[k] for k in z.files}
    meta = json.loads(str(arrays.pop("meta")))
    if meta.get("format") != FORMAT:
        raise ValueError(f"not a {FORMAT} model file (format {meta.get('format')!r})")
    return arrays, meta


def _sub(arrays: Mapping[str, np.ndarray], prefix: str) -> dict[str, np.ndarray]:
    return {k[len(prefix) + 1 :]: v for k, v in arrays.items() if k.startswith(prefix + "/")}


def _prefixed(prefix: str, arrays: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
    return {f"{prefix}/{k}": v for k, v in arrays.items()}


# --------------------------------------------------------------------------- stop words
@cache
def english_stop_words() -> frozenset[str]:
    """scikit-learn's English stop-word list (``stop_words="english"``), read from its
    installed source without importing the package."""
    spec = importlib.util.find_spec("sklearn")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("scikit-learn is not installed; reinstall rashomon (it is a dependency)")
    src = Path(next(iter(spec.submodule_search_locations))) / "feature_extraction" / "_stop_words.py"
    for node in ast.walk(ast.parse(src.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "ENGLISH_STOP_WORDS" for t in node.targets
        ):
            call = node.value
            if isinstance(call, ast.Call) and call.args:
                return frozenset(ast.literal_eval(call.args[0]))
    raise RuntimeError(f"{src}: no ENGLISH_STOP_WORDS list found")


def _stop_words(spec: Any) -> frozenset[str] | None:
    if spec is None:
        return None
    if spec == "english":
        return english_stop_words()
    return frozenset(spec)


# --------------------------------------------------------------------------- TF-IDF
_DTYPES = {"float32": np.float32, "float64": np.float64}


@dataclass
class Tfidf:
    """A word n-gram TF-IDF (or count) vectorizer; see the module docstring."""

    vocabulary: dict[str, int]
    idf: np.ndarray | None  # None: raw counts (CountVectorizer)
    ngram_range: tuple[int, int] = (1, 1)
    token_pattern: str = r"(?u)\b\w\w+\b"
    lowercase: bool = True
    stop_words: frozenset[str] | None = None
    sublinear_tf: bool = False
    norm: str | None = "l2"
    dtype: str = "float64"
    stop_words_spec: Any = None  # as given ("english", a list, None): what is stored

    def __post_init__(self) -> None:
        self._token = re.compile(self.token_pattern)
        if self._token.groups > 1:
            raise ValueError("token_pattern may hold at most one capturing group")

    # analysis, as scikit-learn's word analyzer
    def analyze(self, doc: str) -> list[str]:
        tokens = self._token.findall(doc.lower() if self.lowercase else doc)
        if self.stop_words is not None:
            tokens = [w for w in tokens if w not in self.stop_words]
        min_n, max_n = self.ngram_range
        if max_n == 1:
            return tokens if min_n == 1 else []
        original = tokens
        if min_n == 1:
            tokens = list(original)
            min_n += 1
        else:
            tokens = []
        n_tok = len(original)
        for n in range(min_n, min(max_n + 1, n_tok + 1)):
            for i in range(n_tok - n + 1):
                tokens.append(" ".join(original[i : i + n]))
        return tokens

    def counts(self, docs: Iterable[str]) -> sp.csr_matrix:
        """Term counts of ``docs`` over the vocabulary (terms outside it are dropped)."""
        return _counts_of([self.analyze(d) for d in docs], self.vocabulary, _DTYPES[self.dtype])

    def transform(self, docs: Iterable[str]) -> sp.csr_matrix:
        return self._weight(self.counts(docs))

    def _weight(self, x: sp.csr_matrix) -> sp.csr_matrix:
        """Counts -> TF-IDF in place (sublinear tf, idf, row norm), as scikit-learn does."""
        if self.idf is None:
            return x
        if self.sublinear_tf:
            np.log(x.data, x.data)
            x.data += 1
        x.data *= self.idf[x.indices]
        if self.norm == "l2":
            l2_rows(x)
        elif self.norm is not None:
            raise ValueError(f"norm {self.norm!r} is not supported")
        return x

    @classmethod
    def fit(cls, docs: Iterable[str], *, idf: bool = True, **params: Any) -> tuple[Tfidf, sp.csr_matrix]:
        """Fit on ``docs`` (every term kept, as scikit-learn with ``min_df=1`` and no
        ``max_features``) and return ``(vectorizer, matrix of docs)``. Raises
        ``ValueError`` when the documents hold no term (scikit-learn does the same).

        ``docs`` is read once, one document at a time (a generator will do): the counts
        are kept in compact arrays as they come, under provisional term numbers that are
        mapped to the sorted vocabulary at the end, so a large pool is never held as
        token lists."""
        spec = params.pop("stop_words", None)
        probe = cls({}, None, stop_words=_stop_words(spec), stop_words_spec=spec, **params)
        provisional: dict[str, int] = {}
        indices, values, indptr = array("i"), array("i"), array("q", [0])
        for d in docs:
            counter: dict[int, int] = {}
            for t in probe.analyze(d):
                j = provisional.setdefault(t, len(provisional))
                counter[j] = counter.get(j, 0) + 1
            indices.extend(counter)
            values.extend(counter.values())
            indptr.append(len(indices))
        if not provisional:
            raise ValueError("empty vocabulary; perhaps the documents only contain stop words")
        terms = sorted(provisional)
        rank = np.empty(len(terms), dtype=np.int32)
        rank[np.fromiter((provisional[t] for t in terms), dtype=np.int64, count=len(terms))] = np.arange(len(terms))
        probe.vocabulary = {t: i for i, t in enumerate(terms)}
        del provisional
        dtype = _DTYPES[probe.dtype]
        x = sp.csr_matrix((np.frombuffer(values, dtype=np.int32).astype(dtype),
                           rank[np.frombuffer(indices, dtype=np.int32)], np.frombuffer(indptr, dtype=np.int64)),
                          shape=(len(indptr) - 1, len(terms)))
        x.sort_indices()
        if not idf:
            return probe, x
        df = np.bincount(x.indices, minlength=len(terms)).astype(dtype)
        n = x.shape[0]
        probe.idf = (np.log((n + 1) / (df + 1)) + 1).astype(dtype)
        return probe, probe._weight(x)

    # storage
    def to_arrays(self) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
        terms = sorted(self.vocabulary, key=self.vocabulary.__getitem__)
        arrays = {"terms": np.asarray(terms, dtype=str)}
        if self.idf is not None:
            arrays["idf"] = self.idf
        spec = self.stop_words_spec
        if spec is None and self.stop_words is not None:
            spec = sorted(self.stop_words)
        meta = {"ngram_range": list(self.ngram_range), "token_pattern": self.token_pattern,
                "lowercase": self.lowercase, "stop_words": spec, "sublinear_tf": self.sublinear_tf,
                "norm": self.norm, "dtype": self.dtype}
        return arrays, meta

    @classmethod
    def from_arrays(cls, arrays: Mapping[str, np.ndarray], meta: Mapping[str, Any]) -> Tfidf:
        terms = arrays["terms"].tolist()
        idf = arrays.get("idf")
        return cls(
            {t: i for i, t in enumerate(terms)},
            None if idf is None else np.asarray(idf, dtype=_DTYPES[meta["dtype"]]),
            tuple(meta["ngram_range"]),
            meta["token_pattern"], bool(meta["lowercase"]), _stop_words(meta["stop_words"]),
            bool(meta["sublinear_tf"]), meta["norm"], meta["dtype"], meta["stop_words"],
        )

    @classmethod
    def from_sklearn(cls, vec: Any) -> Tfidf:
        """From a fitted ``TfidfVectorizer`` or ``CountVectorizer`` (word analyzer, no
        custom tokenizer / preprocessor / accent stripping, not binary)."""
        p = vec.get_params()
        if p.get("analyzer") != "word" or p.get("tokenizer") or p.get("preprocessor") or p.get("strip_accents") \
                or p.get("binary"):
            raise ValueError(f"unsupported vectorizer settings: {p}")
        idf = None
        if hasattr(vec, "idf_"):
            if not p.get("use_idf", True) or not p.get("smooth_idf", True):
                raise ValueError("only smoothed IDF is supported")
            idf = np.asarray(vec.idf_)
        dtype = np.dtype(p.get("dtype", np.float64)).name
        if idf is not None:
            idf = idf.astype(dtype)
        spec = p.get("stop_words")
        return cls({str(k): int(v) for k, v in vec.vocabulary_.items()}, idf, tuple(p["ngram_range"]),
                   p["token_pattern"], bool(p["lowercase"]), _stop_words(spec),
                   bool(p.get("sublinear_tf", False)), p.get("norm", "l2") if idf is not None else None,
                   dtype if idf is not None else "float64", spec)


def _counts_of(analyzed: Sequence[Sequence[str]], vocab: Mapping[str, int], dtype: Any) -> sp.csr_matrix:
    indices: list[int] = []
    values: list[int] = []
    indptr = [0]
    for terms in analyzed:
        counter: dict[int, int] = {}
        for t in terms:
            j = vocab.get(t)
            if j is not None:
                counter[j] = counter.get(j, 0) + 1
        indices.extend(counter)
        values.extend(counter.values())
        indptr.append(len(indices))
    x = sp.csr_matrix(
        (np.asarray(values, dtype=dtype), np.asarray(indices, dtype=np.int32), np.asarray(indptr, dtype=np.int32)),
        shape=(len(analyzed), len(vocab)),
    )
    x.sort_indices()
    return x


def l2_rows(x: sp.csr_matrix) -> sp.csr_matrix:
    """Scale each row of ``x`` to unit L2 norm in place (all-zero rows stay zero)."""
    # squares in the data type, summed in float64 row by row (as scikit-learn's
    # inplace_csr_row_normalize_l2), so float32 rows match it to the bit
    sq = np.zeros(x.shape[0], dtype=np.float64)
    lengths = np.diff(x.indptr)
    rows = np.repeat(np.arange(x.shape[0]), lengths)
    d = x.data.astype(np.float64)
    np.add.at(sq, rows, (x.data * x.data).astype(np.float64))
    norms = np.sqrt(sq)
    norms[norms == 0] = 1
    x.data[:] = (d / np.repeat(norms, lengths)).astype(x.dtype)
    return x


# --------------------------------------------------------------------------- scaler
@dataclass
class Scaler:
    """``StandardScaler``: ``(x - mean) / scale``."""

    mean: np.ndarray
    scale: np.ndarray

    def transform(self, x: np.ndarray) -> np.ndarray:
        return (np.asarray(x, dtype=np.float64) - self.mean) / self.scale

    def to_arrays(self) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
        return {"mean": self.mean, "scale": self.scale}, {}

    @classmethod
    def from_arrays(cls, arrays: Mapping[str, np.ndarray], meta: Mapping[str, Any] | None = None) -> Scaler:
        return cls(np.asarray(arrays["mean"], dtype=np.float64), np.asarray(arrays["scale"], dtype=np.float64))

    @classmethod
    def from_sklearn(cls, scaler: Any) -> Scaler:
        if not (scaler.with_mean and scaler.with_std):
            raise ValueError("only StandardScaler(with_mean=True, with_std=True) is supported")
        return cls(np.asarray(scaler.mean_, dtype=np.float64), np.asarray(scaler.scale_, dtype=np.float64))


# --------------------------------------------------------------------------- linear
def sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


def softmax(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


@dataclass
class Linear:
    """Logistic regression weights: ``coef`` [k, features], ``intercept`` [k].

    ``kind`` "binary" (one row, ``predict_proba`` gives ``[1 - p, p]``), "multinomial"
    (softmax over the rows, scikit-learn's multi-class LR) or "ovr" (independent binary
    rows, ``decision`` only)."""

    coef: np.ndarray
    intercept: np.ndarray
    classes: list[Any]
    kind: str = "binary"

    def decision(self, x: Any) -> np.ndarray:
        return np.asarray(x @ self.coef.T) + self.intercept

    def predict_proba(self, x: Any) -> np.ndarray:
        z = self.decision(x)
        if self.kind == "binary":
            p = sigmoid(z[:, 0])
            return np.column_stack([1 - p, p])
        if self.kind == "multinomial":
            return softmax(z)
        raise ValueError(f"predict_proba is not defined for kind {self.kind!r}")

    def to_arrays(self) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
        return {"coef": self.coef, "intercept": self.intercept}, {
            "classes": [c.item() if hasattr(c, "item") else c for c in self.classes], "output": self.kind}

    @classmethod
    def from_arrays(cls, arrays: Mapping[str, np.ndarray], meta: Mapping[str, Any]) -> Linear:
        return cls(arrays["coef"], arrays["intercept"], list(meta["classes"]), str(meta["output"]))

    @classmethod
    def from_sklearn(cls, lr: Any) -> Linear:
        classes = list(lr.classes_)
        kind = "binary" if len(classes) == 2 else "multinomial"
        if kind == "multinomial" and lr.coef_.shape[0] != len(classes):
            raise ValueError("multi-class LR without one row per class")
        return cls(np.asarray(lr.coef_), np.asarray(lr.intercept_), classes, kind)


@dataclass
class DictFeatures:
    """``DictVectorizer``: ``{name: value}`` rows -> sparse matrix (a string value ``v``
    of ``name`` is the feature ``name=v`` with value 1)."""

    vocabulary: dict[str, int]
    separator: str = "="

    def transform(self, rows: Iterable[Mapping[str, Any]]) -> sp.csr_matrix:
        indices: list[int] = []
        values: list[float] = []
        indptr = [0]
        for row in rows:
            for f, v in row.items():
                if isinstance(v, str):
                    f, v = f"{f}{self.separator}{v}", 1
                j = self.vocabulary.get(f)
                if j is not None and v != 0:
                    indices.append(j)
                    values.append(float(v))
            indptr.append(len(indices))
        x = sp.csr_matrix((np.asarray(values), np.asarray(indices, dtype=np.int32), np.asarray(indptr, dtype=np.int32)),
                          shape=(len(indptr) - 1, len(self.vocabulary)))
        x.sum_duplicates()
        return x

    def to_arrays(self) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
        terms = sorted(self.vocabulary, key=self.vocabulary.__getitem__)
        return {"terms": np.asarray(terms, dtype=str)}, {"separator": self.separator}

    @classmethod
    def from_arrays(cls, arrays: Mapping[str, np.ndarray], meta: Mapping[str, Any]) -> DictFeatures:
        return cls({t: i for i, t in enumerate(arrays["terms"].tolist())}, str(meta["separator"]))

    @classmethod
    def from_sklearn(cls, vec: Any) -> DictFeatures:
        return cls({str(k): int(v) for k, v in vec.vocabulary_.items()}, vec.separator)


# --------------------------------------------------------------------------- trees
@dataclass
class Trees:
    """A binary ``HistGradientBoostingClassifier`` (numeric features only): the trees'
    nodes concatenated; ``left`` / ``right`` index into the same arrays."""

    feature: np.ndarray
    threshold: np.ndarray
    missing_left: np.ndarray
    left: np.ndarray
    right: np.ndarray
    leaf: np.ndarray
    value: np.ndarray
    roots: np.ndarray
    baseline: float
    max_depth: int

    def decision(self, x: np.ndarray) -> np.ndarray:
        x = np.asarray(x, dtype=np.float64)
        n = x.shape[0]
        raw = np.full(n, self.baseline)
        rows = np.arange(n)
        for root in self.roots.tolist():
            node = np.full(n, root, dtype=np.int64)
            for _ in range(self.max_depth + 1):
                inner = ~self.leaf[node]
                if not inner.any():
                    break
                v = x[rows, self.feature[node]]
                go_left = np.where(np.isnan(v), self.missing_left[node], v <= self.threshold[node])
                node = np.where(inner, np.where(go_left, self.left[node], self.right[node]), node)
            raw += self.value[node]
        return raw

    def predict_proba(self, x: np.ndarray) -> np.ndarray:
        p = sigmoid(self.decision(x))
        return np.column_stack([1 - p, p])

    def to_arrays(self) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
        names = ("feature", "threshold", "missing_left", "left", "right", "leaf", "value", "roots")
        return {k: getattr(self, k) for k in names}, {"baseline": self.baseline, "max_depth": self.max_depth}

    @classmethod
    def from_arrays(cls, arrays: Mapping[str, np.ndarray], meta: Mapping[str, Any]) -> Trees:
        return cls(arrays["feature"], arrays["threshold"], arrays["missing_left"].astype(bool), arrays["left"],
                   arrays["right"], arrays["leaf"].astype(bool), arrays["value"], arrays["roots"],
                   float(meta["baseline"]), int(meta["max_depth"]))

    @classmethod
    def from_sklearn(cls, clf: Any) -> Trees:
        if len(clf.classes_) != 2 or clf.n_trees_per_iteration_ != 1:
            raise ValueError("only binary HistGradientBoostingClassifier models are supported")
        if getattr(clf, "is_categorical_", None) is not None and np.any(clf.is_categorical_):
            raise ValueError("categorical features are not supported")
        parts: dict[str, list[np.ndarray]] = {k: [] for k in ("feature", "threshold", "missing_left", "left",
                                                                "right", "leaf", "value")}
        roots, offset, depth = [], 0, 0
        for (pred,) in clf._predictors:
            nodes = pred.nodes
            roots.append(offset)
            parts["feature"].append(nodes["feature_idx"].astype(np.int64))
            parts["threshold"].append(nodes["num_threshold"].astype(np.float64))
            parts["missing_left"].append(nodes["missing_go_to_left"].astype(bool))
            parts["left"].append(nodes["left"].astype(np.int64) + offset)
            parts["right"].append(nodes["right"].astype(np.int64) + offset)
            parts["leaf"].append(nodes["is_leaf"].astype(bool))
            parts["value"].append(nodes["value"].astype(np.float64))
            depth = max(depth, int(nodes["depth"].max()))
            offset += len(nodes)
        arr = {k: np.concatenate(v) for k, v in parts.items()}
        return cls(arr["feature"], arr["threshold"], arr["missing_left"], arr["left"], arr["right"], arr["leaf"],
                   arr["value"], np.asarray(roots, dtype=np.int64), float(np.ravel(clf._baseline_prediction)[0]),
                   depth)


# --------------------------------------------------------------------------- bundles
PARTS: dict[str, Any] = {"tfidf": Tfidf, "scaler": Scaler, "linear": Linear, "dict": DictFeatures, "trees": Trees}


def pack(parts: Mapping[str, Any]) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
    """Arrays and meta of named parts (``{"vec": Tfidf, "lr": Linear, ...}``)."""
    kinds = {cls: k for k, cls in PARTS.items()}
    arrays: dict[str, np.ndarray] = {}
    meta: dict[str, Any] = {}
    for name, part in parts.items():
        a, m = part.to_arrays()
        arrays.update(_prefixed(name, a))
        if "kind" in m:
            raise ValueError(f"{type(part).__name__}: 'kind' is reserved in part metadata")
        meta[name] = {"kind": kinds[type(part)], **m}
    return arrays, {"parts": meta}


def unpack(arrays: Mapping[str, np.ndarray], meta: Mapping[str, Any]) -> dict[str, Any]:
    """The parts :func:`pack` stored, rebuilt."""
    return {name: PARTS[m["kind"]].from_arrays(_sub(arrays, name), m) for name, m in meta["parts"].items()}


def save_parts(path: Path, parts: Mapping[str, Any], extra: Mapping[str, np.ndarray] | None = None,
               **meta: Any) -> None:
    arrays, pm = pack(parts)
    arrays.update(extra or {})
    save(path, arrays, {**meta, **pm})


def load_parts(path: Path) -> tuple[dict[str, Any], dict[str, np.ndarray], dict[str, Any]]:
    """``(parts, other arrays, meta)`` of a file written by :func:`save_parts`."""
    arrays, meta = load(path)
    parts = unpack(arrays, meta)
    rest = {k: v for k, v in arrays.items() if "/" not in k}
    return parts, rest, meta


def from_sklearn(obj: Any) -> Any:
    """The lite counterpart of a fitted scikit-learn object."""
    name = type(obj).__name__
    if name in ("TfidfVectorizer", "CountVectorizer"):
        return Tfidf.from_sklearn(obj)
    if name == "StandardScaler":
        return Scaler.from_sklearn(obj)
    if name == "LogisticRegression":
        return Linear.from_sklearn(obj)
    if name == "DictVectorizer":
        return DictFeatures.from_sklearn(obj)
    if name == "HistGradientBoostingClassifier":
        return Trees.from_sklearn(obj)
    raise TypeError(f"no lite counterpart for {name}")
