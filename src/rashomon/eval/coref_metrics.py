"""Coreference metrics: MUC, B-cubed, CEAF-e and the CoNLL average.

Clusterings are sequences of sets of hashable mention keys. The key (gold) and the
response (system) may cover different mentions (end-to-end evaluation); the
definitions follow the reference scorer (Pradhan et al. 2014, "Scoring coreference
partitions of predicted mentions: a reference implementation", ACL):

- MUC (Vilain et al. 1995): links. Recall = sum(|K| - |p(K)|) / sum(|K| - 1), where p(K)
  is the partition of key cluster K by the response (mentions missing from the response
  count as their own parts); precision swaps key and response.
- B-cubed (Bagga and Baldwin 1998): per mention, |K ∩ R| / |K| (recall) and / |R|
  (precision), averaged over the key (recall) or response (precision) mentions.
- CEAF-e (Luo 2005): the best one-to-one alignment of key and response clusters under
  phi4(K, R) = 2|K ∩ R| / (|K| + |R|); recall divides by the number of key clusters,
  precision by the number of response clusters.
- CoNLL F1: the mean of the three F1 scores.

Example:
    >>> key = [{"a", "b", "c"}, {"d", "e", "f", "g"}]
    >>> resp = [{"a", "b"}, {"c", "d"}, {"f", "g", "h", "i"}]
    >>> p, r, f = muc(key, resp)
    >>> round(r, 3), round(p, 3)
    (0.4, 0.4)
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.optimize import linear_sum_assignment

Clusters = Sequence[Collection[Any]]


@dataclass(frozen=True, slots=True)
class PRF:
    """Precision, recall and F1."""

    p: float
    r: float
    f1: float

    def as_dict(self) -> dict[str, float]:
        return {"p": round(self.p, 4), "r": round(self.r, 4), "f1": round(self.f1, 4)}


def _f1(p: float, r: float) -> float:
    return 0.0 if p + r == 0 else 2 * p * r / (p + r)


def _norm(clusters: Iterable[Iterable[Hashable]]) -> list[frozenset[Hashable]]:
    out = [frozenset(c) for c in clusters]
    return [c for c in out if c]


def clusters_from_assignment(assign: Mapping[Hashable, Hashable]) -> list[frozenset[Hashable]]:
    """``{mention: cluster id}`` -> list of clusters (sorted for determinism)."""
    groups: dict[Hashable, set[Hashable]] = {}
    for m, c in assign.items():
        groups.setdefault(c, set()).add(m)
    return sorted((frozenset(g) for g in groups.values()), key=lambda g: sorted(map(str, g)))


def drop_singletons(clusters: Clusters) -> list[frozenset[Hashable]]:
    """Clusters of two or more mentions (the "without singletons" setting)."""
    return [frozenset(c) for c in clusters if len(c) > 1]


def _muc_recall(key: list[frozenset[Hashable]], resp: list[frozenset[Hashable]]) -> tuple[float, float]:
    where: dict[Hashable, int] = {}
    for i, c in enumerate(resp):
        for m in c:
            where[m] = i
    num = den = 0.0
    for k in key:
        if len(k) < 2:
            continue
        parts = set()
        missing = 0
        for m in k:
            if m in where:
                parts.add(where[m])
            else:
                missing += 1  # a missing mention is a part of its own
        num += len(k) - (len(parts) + missing)
        den += len(k) - 1
    return num, den


def muc(key: Clusters, response: Clusters) -> tuple[float, float, float]:
    """MUC (p, r, f1)."""
    k, s = _norm(key), _norm(response)
    rn, rd = _muc_recall(k, s)
    pn, pd = _muc_recall(s, k)
    r = rn / rd if rd else 0.0
    p = pn / pd if pd else 0.0
    return p, r, _f1(p, r)


def _b3_side(a: list[frozenset[Hashable]], b: list[frozenset[Hashable]]) -> float:
    where: dict[Hashable, frozenset[Hashable]] = {}
    for c in b:
        for m in c:
            where[m] = c
    num = 0.0
    den = 0
    for c in a:
        for m in c:
            den += 1
            other = where.get(m)
            if other is not None:
                num += len(c & other) / len(c)
    return num / den if den else 0.0


def b_cubed(key: Clusters, response: Clusters) -> tuple[float, float, float]:
    """B-cubed (p, r, f1)."""
    k, s = _norm(key), _norm(response)
    r = _b3_side(k, s)
    p = _b3_side(s, k)
    return p, r, _f1(p, r)


def ceaf_e(key: Clusters, response: Clusters) -> tuple[float, float, float]:
    """Entity-based CEAF with phi4 (p, r, f1)."""
    k, s = _norm(key), _norm(response)
    if not k or not s:
        return 0.0, 0.0, 0.0
    where: dict[Hashable, int] = {}
    for j, c in enumerate(s):
        for m in c:
            where[m] = j
    sim = np.zeros((len(k), len(s)))
    for i, c in enumerate(k):
        counts: dict[int, int] = {}
        for m in c:
            if m in where:
                counts[where[m]] = counts.get(where[m], 0) + 1
        for j, n in counts.items():
            sim[i, j] = 2 * n / (len(c) + len(s[j]))
    rows, cols = linear_sum_assignment(-sim)
    total = float(sim[rows, cols].sum())
    r = total / len(k)
    p = total / len(s)
    return p, r, _f1(p, r)


def conll(key: Clusters, response: Clusters) -> dict[str, dict[str, float]]:
    """All three metrics and their CoNLL F1 average, rounded for reports."""
    scores = {
        "muc": PRF(*muc(key, response)),
        "b3": PRF(*b_cubed(key, response)),
        "ceaf_e": PRF(*ceaf_e(key, response)),
    }
    out = {name: v.as_dict() for name, v in scores.items()}
    out["conll"] = {"f1": round(sum(v.f1 for v in scores.values()) / 3, 4)}
    return out
