"""GVA evaluation: stories of real US local news against the GVA incident gold.

``rashomon eval gva DATASET_DIR`` writes the held-out incidents of
:mod:`rashomon.eval.gva_split` (gold fields removed), runs them through exactly the code
path of ``rashomon analyze --no-framing`` (``rashomon.pipeline.analyze`` into a fresh
database), exports stories and articles as ``rashomon export`` does, and scores them with
the logic of ``../shared/tools/score_gva.py`` (same figures, same printout):

- document clustering B-cubed, each article in its primary story (the largest holding it);
- per incident, the best-matching story: killed / injured ``best`` against GVA's count;
- the TF-IDF + 3-day single-link baseline on the same articles, side by side.

Nothing here is fitted: the linker's model was trained on the train incidents only
(``python -m rashomon.link.train``).

Example:
    .venv/bin/rashomon eval gva ../shared/datasets/gva
"""

from __future__ import annotations

import collections
import json
import math
import re
import tempfile
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any


def b3(gold: dict[str, str], pred: dict[str, str]) -> tuple[float, float, float]:
    """B-cubed P, R, F1 of item -> cluster maps."""
    gc: dict[str, set[str]] = collections.defaultdict(set)
    pc: dict[str, set[str]] = collections.defaultdict(set)
    for i, c in gold.items():
        gc[c].add(i)
    for i, c in pred.items():
        pc[c].add(i)
    p = r = 0.0
    for i in gold:
        g, q = gc[gold[i]], pc[pred[i]]
        inter = len(g & q)
        p += inter / len(q)
        r += inter / len(g)
    p, r = p / len(gold), r / len(gold)
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _num(v: Any) -> float | None:
    try:
        return float(str(v).replace(",", ""))
    except (TypeError, ValueError):
        return None


def _day(s: Any) -> int | None:
    try:
        return date.fromisoformat(str(s)[:10]).toordinal()
    except ValueError:
        return None


def baseline_clusters(docs: Sequence[str], texts: dict[str, str], pub: dict[str, Any]) -> dict[str, str]:
    """TF-IDF cosine + publication within 3 days, single link at 0.35 (score_gva.py's)."""
    tok = re.compile(r"[a-z][a-z'-]{2,}")
    counts = {u: collections.Counter(tok.findall(t.lower())) for u, t in texts.items()}
    df = collections.Counter(w for c in counts.values() for w in c)
    n = len(counts)
    vec: dict[str, dict[str, float]] = {}
    for u, c in counts.items():
        wv = {w: (1 + math.log(k)) * math.log(n / df[w]) for w, k in c.items() if df[w] > 1}
        z = math.sqrt(sum(x * x for x in wv.values())) or 1.0
        vec[u] = {w: x / z for w, x in wv.items()}
    parent = {u: u for u in docs}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    order = sorted(docs, key=lambda u: _day(pub.get(u)) or 0)
    for i, u in enumerate(order):
        du = _day(pub.get(u))
        for other in order[i + 1:]:
            dv = _day(pub.get(other))
            if du is None or dv is None or dv - du > 3:
                break
            a, b = vec.get(u, {}), vec.get(other, {})
            if len(a) > len(b):
                a, b = b, a
            if sum(x * b.get(w, 0.0) for w, x in a.items()) >= 0.35:
                parent[find(u)] = find(other)
    return {u: find(u) for u in docs}


def _slot(st: dict[str, Any], name: str) -> dict[str, Any]:
    sl = st.get("slots") or {}
    return sl.get(name) or {}


def score(stories: Sequence[dict[str, Any]], arts: Sequence[dict[str, Any]], gold: dict[str, Any]) -> dict[str, Any]:
    """The figures of score_gva.py for exported stories and articles."""
    doc_inc, incs = gold["doc_incident"], gold["incidents"]
    id2url: dict[str, str] = {a["id"]: str(a.get("url")) for a in arts if (a.get("url") or "") in doc_inc}
    present = set(id2url.values())
    primary: dict[str, str] = {}
    for s in sorted(stories, key=lambda s: -len(s.get("article_ids") or [])):
        for aid in s.get("article_ids") or []:
            if aid in id2url and id2url[aid] not in primary:
                primary[id2url[aid]] = str(s.get("id"))
    docs = [u for u in doc_inc if u in present]
    g = {u: doc_inc[u] for u in docs}
    p, r, f = b3(g, {u: primary.get(u, "single:" + u) for u in docs})
    by_inc: dict[str, set[str]] = collections.defaultdict(set)
    for u in docs:
        by_inc[doc_inc[u]].add(u)
    s_urls = [(s, {id2url[a] for a in s.get("article_ids") or [] if a in id2url}) for s in stories]
    tally: collections.Counter[str] = collections.Counter()
    for iid, us in by_inc.items():
        best, key = None, None
        for s, su in s_urls:
            inter = len(su & us)
            if not inter:
                continue
            pp, rr = inter / len(su), inter / len(us)
            k = (2 * pp * rr / (pp + rr), -len(su))
            if key is None or k > key:
                best, key = s, k
        tally["incidents"] += 1
        if best is None:
            tally["no_story"] += 1
            for name in ("killed", "injured"):
                if incs[iid][name] > 0:
                    tally[f"{name}_pos"] += 1
                else:
                    tally[f"{name}_exact"] += 1
                    tally[f"{name}_in_values"] += 1
            continue
        for name in ("killed", "injured"):
            want = incs[iid][name]
            sl = _slot(best, name)
            vals = [_num(v.get("value")) for v in sl.get("values") or []]
            got = _num(sl.get("best"))
            if got is None and not vals:
                got = 0.0 if want == 0 else None
            tally[f"{name}_exact"] += int(got is not None and got == want)
            tally[f"{name}_in_values"] += int(want in vals or (want == 0 and not vals))
            if want > 0:
                tally[f"{name}_pos"] += 1
                tally[f"{name}_pos_exact"] += int(got == want)
    texts = {id2url[a["id"]]: (a.get("title") or "") + " " + (a.get("text") or "") for a in arts if a["id"] in id2url}
    pub = {id2url[a["id"]]: a.get("published") for a in arts if a["id"] in id2url}
    bp, br, bf = b3(g, baseline_clusters(docs, texts, pub))
    n = tally["incidents"] or 1

    def share(k: str, d: str | None = None) -> float:
        den = tally[d] if d else n
        return tally[k] / den if den else 0.0

    return {
        "articles": len(docs), "missing": len(doc_inc) - len(present), "incidents": tally["incidents"],
        "stories": len(stories), "b3": {"p": p, "r": r, "f1": f}, "baseline_b3": {"p": bp, "r": br, "f1": bf},
        "no_story": tally["no_story"],
        **{f"{name}_exact": share(f"{name}_exact") for name in ("killed", "injured")},
        **{f"{name}_pos_exact": share(f"{name}_pos_exact", f"{name}_pos") for name in ("killed", "injured")},
        **{f"{name}_pos": tally[f"{name}_pos"] for name in ("killed", "injured")},
        **{f"{name}_in_values": share(f"{name}_in_values") for name in ("killed", "injured")},
    }


def format_results(r: dict[str, Any]) -> str:
    b, bb = r["b3"], r["baseline_b3"]
    lines = [
        f"GVA real news: {r['articles']} articles scored ({r['missing']} gold articles not in this export), "
        f"{r['incidents']} incidents, {r['stories']} stories",
        f"  clustering B3  Rashomon P {b['p']:.3f} R {b['r']:.3f} F1 {b['f1']:.3f}   | baseline TF-IDF+3-day "
        f"P {bb['p']:.3f} R {bb['r']:.3f} F1 {bb['f1']:.3f}",
        f"  incidents without a story: {r['no_story']}",
    ]
    for name in ("killed", "injured"):
        lines.append(f"  {name:8s} best == GVA {r[name + '_exact']:.3f}  (where GVA > 0: {r[name + '_pos_exact']:.3f} "
                     f"of {r[name + '_pos']})  GVA value among reported {r[name + '_in_values']:.3f}")
    lines.append(f"GVA: clustering B3 F1 {b['f1']:.3f} (baseline {bb['f1']:.3f}); where GVA > 0, killed exact "
                 f"{r['killed_pos_exact']:.3f}, injured exact {r['injured_pos_exact']:.3f}")
    return "\n".join(lines)


def analyze_and_export(jsonl: Path, db: Path) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """``rashomon analyze JSONL --db DB --no-framing``, then the story and article exports."""
    from rashomon import export
    from rashomon.pipeline import analyze
    from rashomon.store import Store

    store = Store(str(db))
    analyze(store, [str(jsonl)], framing=False)
    return list(export.rows(store, "stories")), list(export.rows(store, "articles"))


def evaluate_gva(dataset: Path, db: Path | None = None, *, verbose: bool = True) -> dict[str, Any]:
    """Analyze the held-out incidents' articles and score the stories (see the module)."""
    from rashomon.eval.gva_split import write_split

    dataset = Path(dataset)
    gold = json.loads((dataset / "gold.json").read_text())
    with tempfile.TemporaryDirectory(prefix="rashomon-gva-") as tmp:
        write_split(dataset, Path(tmp))
        target = db or Path(tmp) / "gva.db"
        if target.exists():
            raise FileExistsError(f"{target} exists: give a new --db path (results of old code would be kept)")
        stories, arts = analyze_and_export(Path(tmp) / "heldout.jsonl", target)
    result = score(stories, arts, gold)
    if verbose:
        print(format_results(result))
    return result
