"""Article-level casualty scoring, independent of linking and reconciliation.

Reads an analyzed store (SQLite file) and compares each article's killed / injured facts
on its non-reference event mentions with gold:

    # real-dev: (article, number) pairs the gold lists as this event's death toll
    python -m rashomon.eval.casualties real-dev /tmp/rd.db ../shared/corpus/real-dev/gold.json
    # GVA: per article, the most frequent extracted value (or silence = 0) vs the incident's count
    python -m rashomon.eval.casualties gva /tmp/gva.db ../shared/datasets/gva/gold.json

``-v`` lists the articles that differ. The story-level figures come from
``../shared/tools/score_corpus.py`` and ``../shared/tools/score_gva.py``.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
from collections import Counter, defaultdict
from pathlib import Path

Values = dict[tuple[str, str], list[tuple[float, str]]]


def _load(db: Path) -> tuple[Values, dict[str, tuple[str, str]]]:
    con = sqlite3.connect(db)
    rows = con.execute(
        "select a.id, a.source, a.url, f.slot, f.value_num, coalesce(e.reference, 0), f.evidence_text "
        "from articles a left join facts f on f.article_id = a.id and f.slot in ('killed', 'injured') "
        "left join event_mentions e on e.id = f.event_mention_id order by a.id, f.evidence_start"
    ).fetchall()
    got: Values = defaultdict(list)
    src: dict[str, tuple[str, str]] = {}
    for aid, source, url, slot, v, ref, ev in rows:
        src[aid] = (source or "", url or "")
        if slot and v is not None and not ref:
            got[(aid, slot)].append((float(v), ev or ""))
    return got, src


def real_dev(db: Path, gold_path: Path, verbose: bool = False) -> dict[str, float]:
    got, src = _load(db)
    gold = json.loads(gold_path.read_text())
    f2a = {os.path.basename(s): a for a, (s, _u) in src.items()}
    hit = n_gold = n_pred = ok = 0
    for ev, g in gold["stories"].items():
        if ev.startswith("decoy:"):
            continue
        for fn in g.get("articles") or []:
            want = {float(x) for x in ((g.get("killed") or {}).get("reports") or {}).get(fn, [])}
            have = {v for v, _ in got.get((f2a.get(fn, ""), "killed"), [])}
            n_gold += len(want)
            hit += len(want & have)
            n_pred += len(have)
            ok += len(have & want)
            if verbose and want != have:
                print(f"{fn:42s} gold {sorted(want)} got {sorted(have)}")
    out = {"recall": hit / max(n_gold, 1), "precision": ok / max(n_pred, 1), "gold": n_gold, "predicted": n_pred}
    print(f"real-dev article level killed (article, number): recall {out['recall']:.3f} ({hit}/{n_gold}) "
          f"precision {out['precision']:.3f} ({ok}/{n_pred})")
    return out


def gva(db: Path, gold_path: Path, verbose: bool = False) -> dict[str, float]:
    got, src = _load(db)
    gold = json.loads(gold_path.read_text())
    di, inc = gold["doc_incident"], gold["incidents"]
    t: Counter[str] = Counter()
    for aid, (_s, url) in src.items():
        if url not in di:
            continue
        g = inc[di[url]]
        for slot in ("killed", "injured"):
            vals = [v for v, _ in got.get((aid, slot), [])]
            want = float(g[slot])
            pick = Counter(vals).most_common(1)[0][0] if vals else 0.0
            t[f"{slot}_n"] += 1
            t[f"{slot}_exact"] += int(pick == want)
            if want > 0:
                t[f"{slot}_pos"] += 1
                t[f"{slot}_pos_exact"] += int(pick == want)
                t[f"{slot}_pos_in"] += int(want in vals)
                t[f"{slot}_pos_silent"] += int(not vals)
            else:
                t[f"{slot}_zero"] += 1
                t[f"{slot}_zero_ok"] += int(not vals)
            if verbose and pick != want:
                print(f"{slot} want {want:g} got {vals} {url}")
    out: dict[str, float] = {}
    for slot in ("killed", "injured"):
        pos = max(t[f"{slot}_pos"], 1)
        out[f"{slot}_exact_pos"] = t[f"{slot}_pos_exact"] / pos
        print(f"GVA article level {slot}: exact {t[f'{slot}_exact'] / max(t[f'{slot}_n'], 1):.3f} of {t[f'{slot}_n']}; "
              f"where GVA > 0 exact {out[f'{slot}_exact_pos']:.3f} (among values {t[f'{slot}_pos_in'] / pos:.3f}, "
              f"silent {t[f'{slot}_pos_silent'] / pos:.3f}) of {t[f'{slot}_pos']}; where GVA = 0 silent "
              f"{t[f'{slot}_zero_ok'] / max(t[f'{slot}_zero'], 1):.3f} of {t[f'{slot}_zero']}")
    return out


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description="Article-level casualty scoring of an analyzed store.")
    ap.add_argument("corpus", choices=["real-dev", "gva"])
    ap.add_argument("db", type=Path)
    ap.add_argument("gold", type=Path)
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args(argv)
    (real_dev if args.corpus == "real-dev" else gva)(args.db, args.gold, args.verbose)


if __name__ == "__main__":
    main()
