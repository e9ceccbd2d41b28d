"""Frequency baseline for SemEval-2023 subtask 3: the same labels on every paragraph.

The k most frequent training techniques are predicted for every paragraph, with k chosen
to maximise micro-F1 on the training paragraphs themselves. It is the floor a learned
model has to clear: on this data it is Loaded_Language (and Name_Calling) everywhere.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np

from rashomon.framing.techniques import TECHNIQUES, ParagraphScorer


class FrequencyBaseline(ParagraphScorer):
    """Predicts the ``chosen`` labels (confidence 1) on every paragraph, nothing else."""

    algorithm = "baseline.techniques.frequency.v1"

    def __init__(self, chosen: Sequence[str]) -> None:
        self.labels = TECHNIQUES
        self.chosen = tuple(chosen)
        self._row = np.array([1.0 if t in self.chosen else 0.0 for t in TECHNIQUES])

    @classmethod
    def fit(cls, labels: Sequence[Sequence[Sequence[str]]], max_k: int = 5) -> FrequencyBaseline:
        """``labels``: per article, per paragraph, its techniques."""
        paras = [set(p) for art in labels for p in art]
        counts = Counter(t for p in paras for t in p)
        ranked = [t for t, _ in counts.most_common(max_k)]
        gold = sum(len(p) for p in paras)
        best: tuple[float, int] = (-1.0, 1)
        for k in range(1, len(ranked) + 1):
            tp = sum(counts[t] for t in ranked[:k])
            f1 = 2 * tp / max(k * len(paras) + gold, 1)
            best = max(best, (f1, k))
        return cls(ranked[: best[1]])

    def scores_many(self, groups: Sequence[Sequence[str]]) -> list[np.ndarray]:
        return [np.tile(self._row, (len(g), 1)) for g in groups]
