"""The project's one train / held-out split of the GVA articles, by incident.

Every model trained on ``datasets/gva/`` (the linker's pair scorer, the casualty
ranker) trains only on incidents where :func:`is_heldout` is false, and every GVA figure
in the docs is measured on the held-out incidents (about one in five). Splitting by
incident keeps all articles about one shooting on the same side.

    python -m rashomon.eval.gva_split ../shared/datasets/gva OUT_DIR

writes ``OUT_DIR/train.jsonl`` and ``OUT_DIR/heldout.jsonl``: the articles without the
``incident_id`` gold field, ready for ``rashomon analyze``.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

HELDOUT_MODULUS = 5
GOLD_FIELDS = ("incident_id",)


def is_heldout(incident_id: str) -> bool:
    """True for the held-out fifth of incidents (stable: a hash of the incident id)."""
    h = int(hashlib.sha1(str(incident_id).encode("utf-8")).hexdigest()[:8], 16)
    return h % HELDOUT_MODULUS == 0


def iter_articles(dataset: Path) -> Iterator[dict[str, Any]]:
    with (Path(dataset) / "articles.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def write_split(dataset: Path, out_dir: Path) -> dict[str, int]:
    """Write train.jsonl and heldout.jsonl (gold fields removed); return article counts."""
    out_dir.mkdir(parents=True, exist_ok=True)
    counts = {"train": 0, "heldout": 0}
    with (out_dir / "train.jsonl").open("w", encoding="utf-8") as tr, \
         (out_dir / "heldout.jsonl").open("w", encoding="utf-8") as ho:
        for a in iter_articles(dataset):
            part = "heldout" if is_heldout(a["incident_id"]) else "train"
            row = {k: v for k, v in a.items() if k not in GOLD_FIELDS}
            (ho if part == "heldout" else tr).write(json.dumps(row, ensure_ascii=False) + "\n")
            counts[part] += 1
    return counts


if __name__ == "__main__":  # pragma: no cover - a command-line convenience
    if len(sys.argv) != 3:
        sys.exit("usage: python -m rashomon.eval.gva_split DATASET_DIR OUT_DIR")
    print(write_split(Path(sys.argv[1]), Path(sys.argv[2])))
