"""Span-overlap scoring: precision, recall and F1 of predicted spans against gold spans.

A span is a tuple of ``(start, end)`` pieces (end exclusive); a discontinuous span counts
as the union of its pieces. Two spans overlap by

    shared characters / length of the LONGER span

so a prediction that swallows a whole paragraph to cover a three-word gold span scores
low. A gold span matches at most one prediction and vice versa, greedily by overlap
(the PolNeAR convention of Newell et al., 2018: thresholds 0.3 "lenient" and 0.8 "strict").

>>> overlap(((0, 10),), ((5, 10),))
0.5
>>> score([((0, 10),)], [((0, 9),), ((20, 30),)], 0.8)
{'tp': 1, 'pred': 2, 'gold': 1, 'precision': 0.5, 'recall': 1.0, 'f1': 0.6667}
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

Piece = tuple[int, int]
SpanPieces = tuple[Piece, ...]


def chars(span: Iterable[Piece]) -> set[int]:
    """The set of character offsets a (possibly discontinuous) span covers."""
    out: set[int] = set()
    for start, end in span:
        out.update(range(start, end))
    return out


def overlap(a: Iterable[Piece], b: Iterable[Piece]) -> float:
    """Shared characters over the length of the longer span (0.0 when either is empty)."""
    ca, cb = chars(a), chars(b)
    longer = max(len(ca), len(cb))
    if not longer:
        return 0.0
    return len(ca & cb) / longer


def match(gold: Sequence[SpanPieces], pred: Sequence[SpanPieces], threshold: float) -> int:
    """Number of one-to-one gold/prediction matches with overlap >= threshold (greedy)."""
    gold_chars = [chars(g) for g in gold]
    pred_chars = [chars(p) for p in pred]
    candidates: list[tuple[float, int, int]] = []
    for gi, gc in enumerate(gold_chars):
        if not gc:
            continue
        lo, hi = min(gc), max(gc)
        for pi, pc in enumerate(pred_chars):
            if not pc or max(pc) < lo or min(pc) > hi:
                continue
            ov = len(gc & pc) / max(len(gc), len(pc))
            if ov >= threshold and ov > 0:
                candidates.append((ov, gi, pi))
    candidates.sort(key=lambda c: (-c[0], c[1], c[2]))
    used_g: set[int] = set()
    used_p: set[int] = set()
    for _ov, gi, pi in candidates:
        if gi in used_g or pi in used_p:
            continue
        used_g.add(gi)
        used_p.add(pi)
    return len(used_g)


def prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float | int]:
    """Precision, recall and F1 (rounded to 4 places) from counts."""
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {
        "tp": tp,
        "pred": n_pred,
        "gold": n_gold,
        "precision": round(p, 4),
        "recall": round(r, 4),
        "f1": round(f, 4),
    }


def score(
    gold: Sequence[SpanPieces], pred: Sequence[SpanPieces], threshold: float
) -> dict[str, float | int]:
    """Precision/recall/F1 of ``pred`` against ``gold`` for one document."""
    return prf(match(gold, pred, threshold), len(pred), len(gold))
