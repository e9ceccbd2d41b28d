"""Score the bundled sample corpus against its gold (eval/gold/sample.yaml).

    python -m rashomon.eval.sample [DB]

Prints, per gold story: whether the articles that report it ended up in one predicted
story (coverage = share of those articles in the best-matching story), and the predicted
vs gold status of the killed, injured and method slots; plus the recall of the gold
casualty figures (article, slot, value) among the extracted facts.
"""

from __future__ import annotations

import json
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[3]
GOLD = ROOT / "eval" / "gold" / "sample.yaml"
CORPUS = ROOT / "src" / "rashomon" / "data" / "sample" / "articles.jsonl"
STATUS_SLOTS = ("killed", "injured", "method")


def evaluate_sample(db: str | None = None, gold_path: Path = GOLD) -> dict[str, Any]:
    from rashomon.pipeline import analyze
    from rashomon.store import Store

    gold = yaml.safe_load(gold_path.read_text(encoding="utf-8"))
    db = db or str(Path(tempfile.mkdtemp(prefix="rashomon-sample-")) / "sample.db")
    store = Store(db)
    analyze(store, [str(CORPUS)])
    url_of = {r["id"]: r["url"] for r in store.rows("articles")}
    id_of = {u: i for i, u in url_of.items()}
    stories = [json.loads(r["data"]) for r in store.rows("stories")]

    out_stories: dict[str, Any] = {}
    for key, want in gold["stories"].items():
        reporters = {
            url for url, a in gold["articles"].items()
            for e in a.get("events", []) if e.get("event") == key and not e.get("reference")
        } or {  # an event only ever mentioned in passing: its referencing articles
            url for url, a in gold["articles"].items()
            for e in a.get("events", []) if e.get("event") == key
        }
        ids = {id_of[u] for u in reporters if u in id_of}
        best, cover = None, 0.0
        for s in stories:
            c = len(ids & set(s["article_ids"])) / len(ids) if ids else 0.0
            if c > cover:
                best, cover = s, c
        row: dict[str, Any] = {"articles": len(ids), "coverage": round(cover, 3), "title": best["title"] if best else None}
        for slot in STATUS_SLOTS:
            g = (want.get("slots") or {}).get(slot)
            if isinstance(g, dict) and "status" in g:
                got = (best or {}).get("slots", {}).get(slot, {}).get("status") if best else None
                row[slot] = {"gold": g["status"], "predicted": got}
        out_stories[key] = row

    facts = list(store.rows("facts"))
    by_article: dict[str, set[tuple[str, float]]] = defaultdict(set)
    for f in facts:
        if f["slot"] in {"killed", "injured"} and f["value_num"] is not None:
            by_article[f["article_id"]].add((f["slot"], float(f["value_num"])))
    hits = total = 0
    for url, a in gold["articles"].items():
        for e in a.get("events", []):
            for slot in ("killed", "injured"):
                for v in (e.get("facts") or {}).get(slot) or []:
                    if not isinstance(v.get("value"), (int, float)):
                        continue
                    total += 1
                    hits += (slot, float(v["value"])) in by_article.get(id_of.get(url, ""), set())
    statuses = Counter(
        "match" if r[s]["gold"] == r[s]["predicted"] else "miss"
        for r in out_stories.values() for s in STATUS_SLOTS if s in r
    )
    return {
        "stories": out_stories,
        "status_accuracy": round(statuses["match"] / max(1, sum(statuses.values())), 3),
        "casualty_recall": round(hits / total, 3) if total else 0.0,
        "casualty_gold": total,
        "db": db,
    }


if __name__ == "__main__":
    print(json.dumps(evaluate_sample(sys.argv[1] if len(sys.argv) > 1 else None), indent=2))
