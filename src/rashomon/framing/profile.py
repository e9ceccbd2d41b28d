"""Framing profiles: loaded labels and attribution, per article and per outlet.

Per article (``article_profile``):

* ``loaded_labels``: every label the article uses for a registry actor, with its register
  (neutral / loaded), count and spans, so "Zionist entity" (loaded) and "Israel"
  (neutral) stand side by side, each with how many of its uses are the outlet's own words
  (``outlet``) and how many sit inside a direct quotation of someone else (``quoted``): a
  quoted official's "Zionist regime" in a wire report is the official's word, not the
  wire's. ``n_loaded_outlet`` / ``n_loaded_quoted`` split ``n_loaded`` the same way;
* ``attribution``: the factual assertions (facts and claims) made in the article's own
  voice, attributed to a named source, or to an unnamed one, with shares;
* ``hedged`` / ``categorical``: claims carrying a hedge ("believes", "reportedly") or not.

Per outlet (``outlet_profiles``): the same, summed over the outlet's articles.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from rashomon.model import Article, Claim, Fact, Mention

VERSION = "rashomon.framing.profile.v2"


def _shares(counts: dict[str, int]) -> dict[str, float]:
    total = sum(counts.values())
    return {k: round(v / total, 3) if total else 0.0 for k, v in counts.items()}


def article_profile(
    article: Article,
    mentions: Sequence[Mention],
    claims: Sequence[Claim],
    facts: Sequence[Fact],
    names: dict[str, str],
) -> dict[str, Any]:
    labels: dict[tuple[str, str, str], list[list[int]]] = defaultdict(list)
    body_end = article.body_end if article.body_end is not None else len(article.text)
    for m in mentions:
        if m.kind != "actor" or not m.actor_id or m.register is None or m.span.start >= body_end:
            continue
        labels[(m.actor_id, m.text, m.register)].append([m.span.start, m.span.end])
    quotes = sorted((c.content.start, c.content.end) for c in claims if c.quoted and c.speaker_type != "article")

    def quoted(span: list[int]) -> bool:
        return any(a <= span[0] and span[1] <= b for a, b in quotes)

    loaded_labels = [
        {
            "actor_id": aid, "actor_name": names.get(aid, aid), "label": label,
            "register": reg, "count": len(spans), "spans": spans,
            "quoted": sum(1 for sp in spans if quoted(sp)),
            "outlet": sum(1 for sp in spans if not quoted(sp)),
        }
        for (aid, label, reg), spans in sorted(labels.items(), key=lambda kv: (kv[0][2] != "loaded", -len(kv[1]), kv[0][1]))
    ]
    counts = {"named": 0, "unnamed": 0, "article": 0}
    for c in claims:
        counts["named" if c.speaker_type == "actor" else c.speaker_type] += 1
    for f in facts:
        if f.claim_id is None:  # facts inside a claim are already counted with it
            counts["named" if f.speaker_type == "actor" else f.speaker_type] += 1
    hedged = sum(1 for c in claims if c.hedged)
    return {
        "version": VERSION,
        "loaded_labels": loaded_labels,
        "n_loaded": sum(x["count"] for x in loaded_labels if x["register"] == "loaded"),
        "n_neutral": sum(x["count"] for x in loaded_labels if x["register"] == "neutral"),
        "n_loaded_outlet": sum(x["outlet"] for x in loaded_labels if x["register"] == "loaded"),
        "n_loaded_quoted": sum(x["quoted"] for x in loaded_labels if x["register"] == "loaded"),
        "attribution": {**counts, "shares": _shares(counts)},
        "hedged": hedged,
        "categorical": len(claims) - hedged,
    }


def outlet_profiles(rows: Iterable[dict[str, Any]], techniques: Iterable[dict[str, Any]] = ()) -> dict[str, dict[str, Any]]:
    """Aggregate per-article framing rows (joined with the article's outlet) per outlet.

    ``rows`` carry ``outlet``, ``genre`` and ``profile`` (JSON text); ``techniques`` carry
    ``outlet`` and ``technique``.
    """
    out: dict[str, dict[str, Any]] = {}
    for r in rows:
        o = r.get("outlet") or "(unknown outlet)"
        p = json.loads(r["profile"]) if isinstance(r.get("profile"), str) else (r.get("profile") or {})
        agg = out.setdefault(o, {
            "outlet": o, "articles": 0, "genres": defaultdict(int), "labels": defaultdict(int),
            "attribution": {"named": 0, "unnamed": 0, "article": 0}, "hedged": 0,
            "categorical": 0, "techniques": defaultdict(int), "n_loaded": 0, "n_neutral": 0,
            "n_loaded_outlet": 0, "n_loaded_quoted": 0,
        })
        agg["articles"] += 1
        if r.get("genre"):
            agg["genres"][r["genre"]] += 1
        for lab in p.get("loaded_labels", []):
            agg["labels"][(lab["actor_name"], lab["label"], lab["register"])] += lab["count"]
        for k in ("named", "unnamed", "article"):
            agg["attribution"][k] += p.get("attribution", {}).get(k, 0)
        for k in ("hedged", "categorical", "n_loaded", "n_neutral", "n_loaded_outlet", "n_loaded_quoted"):
            agg[k] += p.get(k, 0)
    for t in techniques:
        o = t.get("outlet") or "(unknown outlet)"
        if o in out:
            out[o]["techniques"][t["technique"]] += 1
    for agg in out.values():
        agg["genres"] = dict(agg["genres"])
        agg["techniques"] = dict(sorted(agg["techniques"].items(), key=lambda kv: -kv[1]))
        agg["labels"] = [
            {"actor_name": a, "label": lab, "register": reg, "count": n}
            for (a, lab, reg), n in sorted(agg["labels"].items(), key=lambda kv: (kv[0][2] != "loaded", -kv[1]))
        ]
        agg["attribution"]["shares"] = _shares({k: agg["attribution"][k] for k in ("named", "unnamed", "article")})
    return out
