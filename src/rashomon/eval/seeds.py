"""Slot-level precision and recall of facts on the seeds, and the Kerman story checks.

    python -m rashomon.eval.seeds ../shared/corpus/seeds [eval/gold/seeds_facts.yaml]

Analyzes the seeds into a temporary store, finds the story at the gold place, and
compares the facts of its event mentions with the gold (slot, value, qualifier and
speaker where the gold gives them).
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml

GOLD = Path(__file__).resolve().parents[3] / "eval" / "gold" / "seeds_facts.yaml"


def _match(pred: dict[str, Any], gold: dict[str, Any]) -> bool:
    if pred["slot"] != gold["slot"] or str(pred["value"]).lower() != str(gold["value"]).lower():
        return False
    for k in ("qualifier", "speaker_type", "speaker_id"):
        if k in gold and pred.get(k) != gold[k]:
            return False
    return True


def evaluate_seeds(seeds: Path, gold_path: Path = GOLD, db: str | None = None) -> dict[str, Any]:
    from rashomon.pipeline import analyze
    from rashomon.store import Store

    gold = yaml.safe_load(gold_path.read_text(encoding="utf-8"))
    db = db or str(Path(tempfile.mkdtemp(prefix="rashomon-seeds-")) / "seeds.db")
    store = Store(db)
    analyze(store, [str(seeds)])
    stories = [json.loads(r["data"]) for r in store.rows("stories")]
    target = next((s for s in stories if (s["place"]["name"] or "") == gold["story_place"] and len(s["article_ids"]) > 1), None)
    if target is None:
        target = next((s for s in stories if (s["place"]["name"] or "") == gold["story_place"]), None)
    by_source = {r["id"]: Path(r["source"] or "").name for r in store.rows("articles")}
    # the facts the story shows: its slot values (passing references and other events
    # among its members contribute none, so they are not the story's claims)
    shown = {v["fact_id"] for rec in (target or {}).get("slots", {}).values() for v in rec.get("values") or []}
    preds = [f for f in store.rows("facts") if f["id"] in shown]
    golds = [(name, g) for name, a in gold["articles"].items() for g in a["facts"]]
    matched_gold = 0
    rows = []
    for name, g in golds:
        hit = any(by_source[p["article_id"]] == name and _match(p, g) for p in preds)
        matched_gold += hit
        rows.append({"article": name, **g, "found": hit})
    correct_pred = sum(
        1 for p in preds
        if any(by_source[p["article_id"]] == name and _match(p, g) for name, g in golds)
    )
    story_checks = {}
    if target:
        for slot, want in gold["story"].items():
            if slot == "shared_stories":
                continue
            got = target["slots"].get(slot, {})
            story_checks[slot] = {"want": want, "got": {k: got.get(k) for k in want}}
    return {
        "story": target["title"] if target else None,
        "story_articles": len(target["article_ids"]) if target else 0,
        "recall": round(matched_gold / len(golds), 3) if golds else 0.0,
        "precision": round(correct_pred / len(preds), 3) if preds else 0.0,
        "n_gold": len(golds), "n_pred": len(preds),
        "facts": rows, "story_checks": story_checks, "db": db,
    }


if __name__ == "__main__":
    res = evaluate_seeds(Path(sys.argv[1]), Path(sys.argv[2]) if len(sys.argv) > 2 else GOLD)
    print(json.dumps(res, indent=2, ensure_ascii=False))
