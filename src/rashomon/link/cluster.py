"""Clustering helpers of the ECB+ evaluation.

- ``average_linkage``: agglomerative clustering of a similarity matrix with a cut (the
  baseline mention clustering of ``eval/ecbplus.py``).
- ``cluster_documents``: a BASELINE, not the product's linker: topic clusters of article
  texts (TF-IDF of words plus names and years, relative-similarity normalisation,
  average linkage), kept for ``rashomon eval events --baseline-docs``. The product
  clusters articles with ``rashomon.link.docs`` (a learned pair model).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import squareform
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

DOC_NEIGHBOURS = 5  # k of the relative-similarity normalisation
DOC_NAME_WEIGHT = 0.5  # weight of the names-and-years block against the words block
DOC_CUT = 0.55  # average-linkage cut on the relative similarity; tuned on ECB+ train

_WORD = re.compile(r"[A-Za-z][A-Za-z'\-]+|\d+")
_NAME = re.compile(r"(?<![.!?\"'`]\s)(?<!^)\b[A-Z][a-zA-Z'\-]+")
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")


def average_linkage(sim: np.ndarray, cut: float) -> list[int]:
    """Average-linkage clusters of a symmetric similarity matrix; merge while
    the average similarity is >= ``cut``. Labels are 0-based, in order of first member."""
    n = sim.shape[0]
    if n == 0:
        return []
    if n == 1:
        return [0]
    dist = np.clip(1.0 - sim, 0.0, None)
    np.fill_diagonal(dist, 0.0)
    dist = (dist + dist.T) / 2
    tree = linkage(squareform(dist, checks=False), "average")
    raw = fcluster(tree, 1.0 - cut, "distance")
    return _relabel(raw.tolist())


def _relabel(raw: Sequence[int]) -> list[int]:
    seen: dict[int, int] = {}
    return [seen.setdefault(r, len(seen)) for r in raw]


def relative_similarity(sim: np.ndarray, k: int = DOC_NEIGHBOURS) -> np.ndarray:
    """Divide each similarity by the geometric mean of both items' top-k neighbour
    similarities (capped at 1), so one cut works on dense and sparse pools alike
    (in the spirit of the local scaling of Zelnik-Manor and Perona 2004)."""
    n = sim.shape[0]
    off = sim.copy()
    np.fill_diagonal(off, 0.0)
    k = max(1, min(k, n - 1))
    mu = np.sort(off, axis=1)[:, -k:].mean(axis=1)
    mu = np.where(mu > 0, mu, 1.0)
    rel = np.minimum(sim / np.sqrt(np.outer(mu, mu)), 1.0)
    np.fill_diagonal(rel, 1.0)
    return rel


def _names(text: str) -> str:
    # capitalised words not starting a sentence, and years: the "who, where, when"
    # that separate two events of the same kind (two Oscar hosts, two earthquakes)
    names = [m.group(0).lower() for m in _NAME.finditer(text)]
    return " ".join(names + _YEAR.findall(text))


def document_similarity(texts: Sequence[str]) -> np.ndarray:
    """Cosine similarity of TF-IDF vectors (content words + weighted names and years)."""
    words = [" ".join(w.lower() for w in _WORD.findall(t)) for t in texts]
    names = [_names(t) for t in texts]
    x_words = TfidfVectorizer(sublinear_tf=True, stop_words="english", token_pattern=r"\S+").fit_transform(words)
    blocks = [x_words]
    if any(names):
        x_names = TfidfVectorizer(sublinear_tf=True, token_pattern=r"\S+").fit_transform(names)
        blocks.append(DOC_NAME_WEIGHT * x_names)
    x = normalize(sp.hstack(blocks).tocsr())
    sim = (x @ x.T).toarray()
    np.fill_diagonal(sim, 1.0)
    return np.asarray(sim)


def cluster_documents(texts: Sequence[str], cut: float = DOC_CUT) -> list[int]:
    """Cluster article texts by topic; returns one cluster label per text (0-based).

    Example:
        >>> cluster_documents(["Quake hits Chile", "Chile quake kills 5", "Oscars host named"])[0]
        0
    """
    if len(texts) < 2:
        return [0] * len(texts)
    if not any(_WORD.search(t) for t in texts):
        return list(range(len(texts)))
    sim = relative_similarity(document_similarity(texts))
    return average_linkage(sim, cut)
