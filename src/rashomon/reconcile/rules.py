"""Reconciliation rules ``rashomon.reconcile.v1``: per story and slot, status and range.

Statuses, per slot:

* ``conflicting`` — sources (different outlets) disagree on their latest values;
* ``corroborated`` — at least two independent sources (different outlets, neither a
  near-duplicate of the other) report the same latest value (a source that revised its
  figure to agree is named in the explanation);
* ``revised`` — one source reported different values over time and no other source
  confirms or contradicts it: a toll rising over a day is a revision, not a
  contradiction;
* ``single_source`` — one source only.

Counts (killed, injured) also get ``low`` / ``best`` / ``high``, following UCDP practice
(Sundberg & Melander 2013; UCDP GED codebook): every figure is kept; superseded figures
(revised by the same outlet) do not bound the range; ``low`` and ``high`` are the lowest
and highest of the sources' latest figures; ``best`` is

1. ``official-latest``: the most recent figure attributed to an official source
   (a state, government, ministry, armed force or agency, or unnamed "officials"), else
2. ``conservative``: the lowest of the sources' latest figures.

Qualifiers are kept with each value: "at least 91" contributes 91 as a lower bound,
"about 100" contributes 100 as approximate, "over 200" 200 as a lower bound.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

from rashomon.model import COUNT_SLOTS, SlotReconciliation, SlotValue

VERSION = "rashomon.reconcile.v1"
OFFICIAL_KINDS = frozenset({"state", "government", "armed_force", "intelligence", "agency", "ministry", "igo"})
OFFICIAL_WORDS = ("official", "ministry", "authorities", "government", "governor", "police", "health")


def _num_text(v: float | None) -> str:
    if v is None:
        return "?"
    return f"{int(v):,}" if float(v).is_integer() else f"{v:g}"


NAMED_SLOTS = frozenset({"perpetrator", "responsibility_claimed_by", "blamed", "denied_by", "place"})


def display(v: SlotValue, slot: str | None = None) -> str:
    """'at least 91', 'about 100', 'dozens', 'suicide bombing', 'Islamic State'."""
    if v.value_num is not None:
        if v.value_name and not any(ch.isdigit() for ch in v.value_name):
            return v.value_name  # "dozens", "tens of thousands": as written
        q = f"{v.qualifier} " if v.qualifier else ""
        return f"{q}{_num_text(v.value_num)}"
    if slot is None or slot in NAMED_SLOTS:
        return v.value_name or v.value
    return v.value


def agree(slot: str, a: SlotValue, b: SlotValue) -> bool:
    if slot in COUNT_SLOTS:
        return a.value_num == b.value_num
    if slot == "date":
        return a.value.startswith(b.value) or b.value.startswith(a.value)
    return a.value.strip().lower() == b.value.strip().lower()


def _source_of(v: SlotValue) -> str:
    return v.outlet or v.article_id


def is_official(v: SlotValue, actor_kinds: dict[str, str]) -> bool:
    if v.speaker_type == "actor":
        return actor_kinds.get(v.speaker_id or "", "") in OFFICIAL_KINDS
    if v.speaker_type == "unnamed":
        return any(w in v.speaker.lower() for w in OFFICIAL_WORDS)
    return False


def reconcile_slot(
    slot: str,
    values: Sequence[SlotValue],
    *,
    duplicates: dict[str, str] | None = None,
    actor_kinds: dict[str, str] | None = None,
) -> SlotReconciliation:
    """Status, range and explanation of one slot from all reported values."""
    duplicates = duplicates or {}
    actor_kinds = actor_kinds or {}
    by_source: dict[str, list[SlotValue]] = defaultdict(list)
    for v in values:
        by_source[_source_of(v)].append(v)

    latest: dict[str, list[SlotValue]] = {}
    revised_by: list[str] = []
    history: dict[str, list[str]] = {}
    for src, vs in by_source.items():
        dated = sorted(vs, key=lambda v: v.as_of or "")
        last_date = dated[-1].as_of or ""
        latest[src] = [v for v in dated if (v.as_of or "") == last_date]
        steps: list[str] = []
        for v in dated:
            if not steps or steps[-1] != display(v, slot):
                steps.append(display(v, slot))
        distinct_dates = {v.as_of for v in dated}
        if len(distinct_dates) > 1 and any(not agree(slot, dated[0], v) for v in dated[1:]):
            revised_by.append(src)
            history[src] = steps

    # independence: a source whose only articles are near-duplicates of another's does not count
    independent = set(by_source)
    for src, vs in by_source.items():
        if all(duplicates.get(v.article_id) for v in vs):
            origins = {duplicates[v.article_id] for v in vs}
            if any(o in {x.article_id for other, xs in by_source.items() if other != src for x in xs} for o in origins):
                independent.discard(src)

    latest_values = [v for src in sorted(latest) for v in latest[src]]
    disagree = any(
        not agree(slot, a, b)
        for i, a in enumerate(latest_values)
        for b in latest_values[i + 1 :]
        if _source_of(a) != _source_of(b) or a.article_id == b.article_id
    )
    if disagree and len(by_source) > 1:
        status = "conflicting"
    elif disagree:
        status = "conflicting"  # one article reports two values for the same slot
    elif len(independent) >= 2:
        status = "corroborated"  # sources agree now; any revision is named in the explanation
    elif revised_by:
        status = "revised"
    else:
        status = "single_source"

    rec = SlotReconciliation(slot=slot, status=status, values=list(values))  # type: ignore[arg-type]
    parts = []
    for src in sorted(latest):
        shown = "; ".join(dict.fromkeys(display(v, slot) for v in latest[src]))
        if src in history:
            shown = " → ".join(history[src])
        parts.append(f"{src}: {shown}")
    verdict = {
        "conflicting": "sources disagree",
        "revised": "revised over time by " + ", ".join(revised_by),
        "corroborated": "independent sources agree",
        "single_source": "one source only",
    }[status]
    if status in {"conflicting", "corroborated"} and revised_by:
        verdict += "; revised over time by " + ", ".join(revised_by)
    rec.explanation = "; ".join(parts) + ": " + verdict

    if slot in COUNT_SLOTS:
        nums = [v for v in latest_values if v.value_num is not None]
        if nums:
            rec.low = min(v.value_num for v in nums if v.value_num is not None)
            rec.high = max(v.value_num for v in nums if v.value_num is not None)
            official = [v for v in nums if is_official(v, actor_kinds)]
            if official:
                newest = max(v.as_of or "" for v in official)
                pick = min((v for v in official if (v.as_of or "") == newest), key=lambda v: v.value_num or 0)
                rec.best, rec.rule = pick.value_num, "official-latest: the most recent figure from an official source"
            else:
                rec.best = rec.low
                rec.rule = "conservative: the lowest of the sources' latest figures (no official figure)"
    return rec


def responsibility_matrix(values_by_slot: Mapping[str, Sequence[SlotValue]], hedges: Mapping[str, bool]) -> list[dict[str, Any]]:
    """Who claimed it, who blamed whom, who denied, who attributed it to whom: per source."""
    relation = {
        "responsibility_claimed_by": "claimed",
        "blamed": "blamed",
        "denied_by": "denied",
        "perpetrator": "attributed",
    }
    rows: list[dict[str, Any]] = []
    for slot, rel in relation.items():
        for v in values_by_slot.get(slot, []):
            # target: the actor the relation is about (who claimed, who denied, who is
            # blamed or said to have done it); speaker: who says so
            actor_name = v.value_name or v.value
            speaker, speaker_type, target, target_id = v.speaker, v.speaker_type, actor_name, v.value
            rows.append({
                "outlet": v.outlet, "article_id": v.article_id, "speaker": speaker,
                "speaker_type": speaker_type, "relation": rel, "target": target,
                "target_id": target_id,
                "hedged": hedges.get(v.fact_id, False), "evidence_text": v.evidence_text,
                "evidence_start": v.evidence_start, "evidence_end": v.evidence_end,
            })
    return rows
