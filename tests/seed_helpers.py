"""Shared pieces of the seed accuracy gates (places, dates, quantities)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable
from functools import cache
from pathlib import Path
from typing import Any


@cache
def seed_value_mentions(seeds: str) -> dict[str, list[Any]]:
    """Place, date and quantity mentions of each seed file, read as a user would read it
    (the reader supplies the publication date: 2024-01-21 for NEO, none for Press TV)."""
    from rashomon.annotate.nlp import load_nlp
    from rashomon.annotate.values import value_mentions
    from rashomon.model import Article
    from rashomon.read import read_sources

    nlp = load_nlp()
    out: dict[str, list[Any]] = {}
    for item in read_sources([seeds]):
        assert isinstance(item, Article), item
        out[Path(item.source or "").name] = value_mentions(nlp(item.text), item)
    return out


def counter_prf(
    pairs: Iterable[tuple[str, Counter[Hashable], Counter[Hashable]]],
) -> tuple[float, float, list[str]]:
    """Precision, recall and a list of misses/extras over (name, wanted, got) multisets."""
    tp = n_pred = n_gold = 0
    errors: list[str] = []
    for name, want, got in pairs:
        tp += sum((want & got).values())
        n_pred += sum(got.values())
        n_gold += sum(want.values())
        errors += [f"{name}: extra {k}" for k in (got - want)]
        errors += [f"{name}: missed {k}" for k in (want - got)]
    return tp / max(n_pred, 1), tp / max(n_gold, 1), errors
