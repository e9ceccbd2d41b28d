"""Article text with its annotations as properly nested, escaped HTML.

Every annotation is a :class:`Layer` over ``[start, end)``. The text is cut at every
layer boundary; each piece is escaped with :func:`markupsafe.escape` on its own, and
elements are opened and closed around the pieces so they always nest (a layer that
crosses another is split, and only its first piece carries the ``id``). Tag and
attribute names are ours; attribute values pass through ``Markup.format``, which
escapes them. Article text is never marked safe.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup, escape

from rashomon.report.links import span_anchor

# Outer layers first: evidence sentences, then techniques, claims, actor mentions.
P_EVIDENCE, P_TECHNIQUE, P_CLAIM, P_SPEAKER, P_MENTION = range(5)

CLAIM_KINDS = {
    "statement": "Statement",
    "accusation": "Accusation",
    "denial": "Denial",
    "responsibility_claim": "Responsibility claim",
    "assessment": "Assessment",
}


@dataclass(slots=True)
class Layer:
    start: int
    end: int
    priority: int
    tag: str
    classes: str
    title: str | None = None
    ident: str | None = None  # element id, on the first piece only
    data: dict[str, str] = field(default_factory=dict)

    def open(self, first: bool) -> Markup:
        # tag and data names are ours; every value is escaped (as Markup.format would,
        # at a fraction of its cost: an article page opens a few hundred of these)
        parts = ["<", self.tag, ' class="', escape(self.classes), "" if first else " cont", '"']
        if first and self.ident:
            parts += [' id="', escape(self.ident), '"']
        if self.title:
            parts += [' title="', escape(self.title), '"']
        for k, v in self.data.items():
            parts += [" data-", k, '="', escape(v), '"']
        parts.append(">")
        return Markup("".join(parts))

    def close(self) -> Markup:
        return Markup("</" + self.tag + ">")


def render_layers(text: str, layers: Iterable[Layer]) -> Markup:
    """Escape ``text`` piece by piece and wrap the pieces in the given layers."""
    n = len(text)
    valid = sorted(
        (ly for ly in layers if 0 <= ly.start < ly.end <= n),
        key=lambda ly: (ly.start, ly.priority, -ly.end),
    )
    points = sorted({0, n, *(ly.start for ly in valid), *(ly.end for ly in valid)})
    out: list[str] = []
    stack: list[int] = []
    opened: set[int] = set()
    active: set[int] = set()
    nxt = 0
    for a, b in itertools.pairwise(points):
        active = {i for i in active if valid[i].end > a}
        while nxt < len(valid) and valid[nxt].start <= a:
            active.add(nxt)
            nxt += 1
        desired = sorted(active, key=lambda i: (valid[i].priority, valid[i].start, -valid[i].end, i))
        k = 0
        while k < len(stack) and k < len(desired) and stack[k] == desired[k]:
            k += 1
        for i in reversed(stack[k:]):
            out.append(valid[i].close())
        for i in desired[k:]:
            out.append(valid[i].open(i not in opened))
            opened.add(i)
        stack = desired
        out.append(escape(text[a:b]))
    for i in reversed(stack):
        out.append(valid[i].close())
    return Markup("".join(out))  # every piece is already Markup (escaped or ours)


def article_layers(view: dict[str, Any], *, actor_names: dict[str, str] | None = None) -> list[Layer]:
    """The layers of an article page: evidence anchors, techniques, claims, mentions."""
    names = actor_names or {}
    layers: list[Layer] = []
    for a, b in view["anchors"]:
        anchor = span_anchor(a, b)
        layers.append(Layer(a, b, P_EVIDENCE, "mark", "ev", None, anchor, {"ev": anchor}))
    for t in view["techniques"]:
        label = technique_label(t["technique"])
        layers.append(Layer(
            t["start"], t["end"], P_TECHNIQUE, "span", "tq",
            f"Technique: {label} (confidence {t['confidence']:.2f}, paragraph {t['paragraph']})",
        ))
    for c in view["claims"]:
        kind = c.get("kind") or "statement"
        speaker = c.get("speaker_name") or ("the article" if c.get("speaker_type") == "article" else "unnamed source")
        bits = [f"{CLAIM_KINDS.get(kind, kind)} by {speaker}"]
        if c.get("cue"):
            bits.append(f"cue “{c['cue']}”")
        if c.get("target_name"):
            bits.append(f"about {c['target_name']}")
        if c.get("hedged"):
            bits.append(f"hedged ({c.get('hedge') or 'yes'})")
        if c.get("quoted"):
            bits.append("direct quote")
        layers.append(Layer(c["content_start"], c["content_end"], P_CLAIM, "span",
                            f"cl k-{css_key(kind)}", "Claim: " + "; ".join(bits)))
        if c.get("speaker_start") is not None and c.get("speaker_end") is not None:
            layers.append(Layer(c["speaker_start"], c["speaker_end"], P_SPEAKER, "span", "spk",
                                f"Speaker ({c.get('speaker_type')}): {speaker}"))
        if c.get("cue_start") is not None and c.get("cue_end") is not None:
            layers.append(Layer(c["cue_start"], c["cue_end"], P_SPEAKER, "span", "cue",
                                f"Attribution cue: {c.get('cue') or ''}"))
    for m in view["mentions"]:
        kind = m.get("kind") or "actor"
        if kind == "actor":
            reg = m.get("register") or "neutral"
            who = names.get(m.get("actor_id") or "", m.get("actor_id") or "unresolved")
            if m.get("unnamed"):
                cls, title = "mn m-unnamed", f"Unnamed source: {m['text']}"
            elif reg == "loaded":
                cls, title = "mn m-loaded", f"Actor: {who}. Loaded label “{m['text']}”"
            else:
                cls, title = "mn m-neutral", f"Actor: {who} (neutral name)"
        elif kind == "place":
            cls = "mn m-place"
            title = f"Place: {m.get('place_name') or m['text']}" + (f", {m['country']}" if m.get("country") else "")
        elif kind == "date":
            cls, title = "mn m-date", f"Date: {m.get('date') or '?'} ({m.get('date_precision') or 'unknown'} precision)"
        else:
            cls = "mn m-qty"
            title = "Quantity: " + " ".join(str(x) for x in (m.get("qualifier"), _num(m.get("value"))) if x)
        layers.append(Layer(m["start"], m["end"], P_MENTION, "span", cls, title))
    return layers


def _num(x: float | None) -> str:
    if x is None:
        return ""
    return str(int(x)) if float(x).is_integer() else str(x)


def css_key(value: str) -> str:
    return "".join(ch if ch.isalnum() else "-" for ch in value.lower())[:40]


def technique_label(name: str) -> str:
    """``Loaded_Language -> "Loaded language"``; ``Name_Calling-Labeling -> "Name calling / labeling"``."""
    words = name.replace("-", " / ").replace("_", " ").strip()
    return words[:1].upper() + words[1:].lower()


def excerpt(text: str, needle: str, width: int = 90) -> str:
    """Plain text around the first case-insensitive match (or the start), with ellipses."""
    i = text.lower().find(needle.lower()) if needle else -1
    if i < 0:
        part = text[: 2 * width]
        return part + ("…" if len(text) > len(part) else "")
    a, b = max(0, i - width), min(len(text), i + len(needle) + width)
    return ("…" if a else "") + text[a:b] + ("…" if b < len(text) else "")


def mark_hits(text: str | None, needle: str | None) -> Markup:
    """Escape ``text`` and wrap each case-insensitive occurrence of ``needle`` in ``<mark>``."""
    text = text or ""
    if not needle:
        return escape(text)
    out: list[str] = []
    low, nl, i = text.lower(), needle.lower(), 0
    while (j := low.find(nl, i)) >= 0:
        out += [escape(text[i:j]), Markup('<mark class="hit">'), escape(text[j : j + len(needle)]), Markup("</mark>")]
        i = j + len(needle)
    out.append(escape(text[i:]))
    return Markup("").join(out)


def spans_of(items: Sequence[dict[str, Any]], start: str, end: str) -> list[tuple[int, int]]:
    return [(int(x[start]), int(x[end])) for x in items if x.get(start) is not None]
