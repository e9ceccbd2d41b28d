"""Small inline SVG charts drawn on the server: no scripts, no remote fonts, no styles.

Colors are presentation attributes (``fill=``), not ``style=``, so the pages' strict
Content-Security-Policy (no inline styles) still holds. Every label is escaped.
Series differ by marker shape as well as color, so the charts read without color.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from markupsafe import Markup, escape

from rashomon.report.data import fmt_num

# Okabe & Ito (2008) colour-blind-safe palette.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#333333", "#F0E442")
SHAPES = ("circle", "square", "triangle", "diamond")


def _d(value: str | None) -> date | None:
    if not value:
        return None
    try:
        parts = [int(p) for p in str(value)[:10].split("-")]
        while len(parts) < 3:
            parts.append(1)
        return date(parts[0], parts[1], parts[2])
    except (ValueError, TypeError):
        return None


def _f(x: float) -> str:
    return f"{x:.1f}"


def marker(shape: str, x: float, y: float, color: str, title: str) -> Markup:
    t = Markup("<title>{}</title>").format(title)
    if shape == "square":
        body = Markup('<rect x="{}" y="{}" width="9" height="9" fill="{}" stroke="#fff">').format(
            _f(x - 4.5), _f(y - 4.5), color)
        return body + t + Markup("</rect>")
    if shape == "triangle":
        pts = f"{_f(x)},{_f(y - 6)} {_f(x - 5.5)},{_f(y + 4)} {_f(x + 5.5)},{_f(y + 4)}"
        return Markup('<polygon points="{}" fill="{}" stroke="#fff">').format(pts, color) + t + Markup("</polygon>")
    if shape == "diamond":
        pts = f"{_f(x)},{_f(y - 6)} {_f(x + 6)},{_f(y)} {_f(x)},{_f(y + 6)} {_f(x - 6)},{_f(y)}"
        return Markup('<polygon points="{}" fill="{}" stroke="#fff">').format(pts, color) + t + Markup("</polygon>")
    return Markup('<circle cx="{}" cy="{}" r="5" fill="{}" stroke="#fff">').format(_f(x), _f(y), color) + t + Markup("</circle>")


def timeline_svg(values: Sequence[dict[str, Any]], *, slot: str = "killed", low: float | None = None,
                 best: float | None = None, high: float | None = None, width: int = 640,
                 height: int = 260) -> Markup:
    """Reported figures over time: ``as_of`` on x, value on y, one series per outlet.

    A reported range (``low``..``high``) is drawn as a vertical bar; the reconciled
    low-high band is shaded and ``best`` is a dashed line.
    """
    pts = []
    undated = 0
    for v in values:
        d = _d(v.get("as_of"))
        y = v.get("value_num")
        if y is None:
            y = v.get("low") if v.get("low") is not None else v.get("high")
        if y is None:
            continue
        if d is None:
            undated += 1
            continue
        pts.append((d, float(y), v))
    if not pts:
        msg = "No dated figures to plot." + (f" {undated} figure(s) have no date." if undated else "")
        return Markup('<p class="muted">{}</p>').format(msg)
    outlets: list[str] = []
    for _, _, v in pts:
        o = str(v.get("outlet") or "unknown")
        if o not in outlets:
            outlets.append(o)
    d0 = min(p[0] for p in pts)
    d1 = max(p[0] for p in pts)
    if d0 == d1:
        d0, d1 = d0 - timedelta(days=1), d1 + timedelta(days=1)
    span_days = (d1 - d0).days
    ys = [p[1] for p in pts] + [float(x) for x in (low, best, high) if x is not None]
    ys += [float(v[k]) for _, _, v in pts for k in ("low", "high") if v.get(k) is not None]
    ymax = max(ys) * 1.15 or 1.0
    left, right, top, bottom = 52, 44, 16, 58
    pw, ph = width - left - right, height - top - bottom

    def X(d: date) -> float:
        return left + pw * ((d - d0).days / span_days)

    def Y(y: float) -> float:
        return top + ph * (1 - y / ymax)

    label = f"Reported {slot} over time, {len(pts)} figure(s) from {len(outlets)} outlet(s)"
    out = [Markup('<svg class="chart timeline" viewBox="0 0 {} {}" width="100%" role="img" aria-label="{}" '
                  'xmlns="http://www.w3.org/2000/svg">').format(width, height, label),
           Markup("<title>{}</title>").format(label)]
    if low is not None and high is not None and high >= low:
        out.append(Markup('<rect x="{}" y="{}" width="{}" height="{}" fill="#e8eef7"><title>{}</title></rect>').format(
            left, _f(Y(high)), pw, _f(max(1.0, Y(low) - Y(high))),
            f"Reconciled range {fmt_num(low)}–{fmt_num(high)}"))
    # y grid
    step = _nice_step(ymax / 4)
    yv = 0.0
    while yv <= ymax:
        out.append(Markup('<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="#d0d5dd" stroke-width="1"/>').format(
            left, left + pw, _f(Y(yv)), _f(Y(yv))))
        out.append(Markup('<text x="{}" y="{}" font-size="11" text-anchor="end" fill="#475467">{}</text>').format(
            left - 6, _f(Y(yv) + 4), fmt_num(yv)))
        yv += step
    if best is not None:
        out.append(Markup('<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="#1d2939" stroke-width="1.5" '
                          'stroke-dasharray="5 4"><title>{}</title></line>').format(
            left, left + pw, _f(Y(best)), _f(Y(best)), f"Best estimate {fmt_num(best)}"))
        out.append(Markup('<text x="{}" y="{}" font-size="11" text-anchor="end" fill="#1d2939">best {}</text>').format(
            left + pw - 2, _f(Y(best) - 4), fmt_num(best)))
        best_box = (left + pw - 2 - 6.2 * (5 + len(fmt_num(best))), left + pw - 2, Y(best) - 4)
    # x ticks: every distinct date when few, else ~6 evenly spaced
    dates = sorted({p[0] for p in pts})
    ticks = dates if len(dates) <= 6 else [d0 + timedelta(days=round(span_days * i / 5)) for i in range(6)]
    last_label = -1e9
    for d in ticks:
        out.append(Markup('<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="#98a2b3"/>').format(
            _f(X(d)), _f(X(d)), top + ph, top + ph + 4))
        if X(d) - last_label < 70:  # too close to the previous label: tick only
            continue
        last_label = X(d)
        out.append(Markup('<text x="{}" y="{}" font-size="11" text-anchor="middle" fill="#475467">{}</text>').format(
            _f(X(d)), top + ph + 17, f"{d.day} {d:%b %Y}"))
    out.append(Markup('<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="#667085"/>').format(
        left, left + pw, top + ph, top + ph))
    boxes: list[tuple[float, float, float]] = [best_box] if best is not None else []
    for i, o in enumerate(outlets):
        color, shape = PALETTE[i % len(PALETTE)], SHAPES[i % len(SHAPES)]
        mine = sorted((p for p in pts if str(p[2].get("outlet") or "unknown") == o), key=lambda p: p[0])
        if len(mine) > 1:
            path = " ".join(f"{_f(X(d))},{_f(Y(y))}" for d, y, _ in mine)
            out.append(Markup('<polyline points="{}" fill="none" stroke="{}" stroke-width="2"/>').format(path, color))
        for d, y, v in mine:
            lo, hi = v.get("low"), v.get("high")
            if lo is not None and hi is not None and hi > lo:
                out.append(Markup('<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="{}" stroke-width="2"/>').format(
                    _f(X(d)), _f(X(d)), _f(Y(float(hi))), _f(Y(float(lo))), color))
            q = v.get("qualifier")
            tip = f"{o}, {d.isoformat()}: {(q + ' ') if q else ''}{v.get('value')}"
            if v.get("speaker_type") != "article" and v.get("speaker"):
                tip += f" (per {v['speaker']})"
            out.append(marker(shape, X(d), Y(y), color, tip))
            text = f"{(q + ' ') if q else ''}{fmt_num(y)}"
            tw = 6.2 * len(text)
            right_side = X(d) + 8 + tw < left + pw
            lx0 = X(d) + 8 if right_side else X(d) - 8 - tw
            ly0 = Y(y) - 6
            while any(abs(ly0 - by) < 12 and lx0 < bx1 and lx0 + tw > bx0 for bx0, bx1, by in boxes):
                ly0 += 13
            boxes.append((lx0, lx0 + tw, ly0))
            out.append(Markup('<text x="{}" y="{}" font-size="11" fill="{}" font-weight="600">{}</text>').format(
                _f(lx0), _f(ly0), color, text))
    # legend
    lx = left
    ly = height - 14
    for i, o in enumerate(outlets):
        color, shape = PALETTE[i % len(PALETTE)], SHAPES[i % len(SHAPES)]
        out.append(marker(shape, lx + 5, ly - 4, color, o))
        out.append(Markup('<text x="{}" y="{}" font-size="12" fill="#1d2939">{}</text>').format(lx + 14, ly, o[:40]))
        lx += 26 + 7 * min(len(o), 40)
    out.append(Markup("</svg>"))
    if undated:
        out.append(Markup('<p class="muted small">{} figure(s) without a date are not plotted.</p>').format(undated))
    return Markup("").join(out)


def _nice_step(raw: float) -> float:
    if raw <= 0:
        return 1.0
    mag = 10 ** len(str(int(raw))) / 10
    for m in (1, 2, 2.5, 5, 10):
        if raw <= m * mag:
            return float(m * mag)
    return float(10 * mag)


def bar_chart_svg(items: Sequence[tuple[str, int]], *, label: str, width: int = 520,
                  color: str = "#3e5c99") -> Markup:
    """Horizontal bars with the count written at the end of each bar."""
    if not items:
        return Markup('<p class="muted">None detected.</p>')
    row_h, left, right = 22, 210, 48
    height = row_h * len(items) + 8
    top_n = max(n for _, n in items) or 1
    pw = width - left - right
    out = [Markup('<svg class="chart bars" viewBox="0 0 {} {}" width="100%" role="img" aria-label="{}" '
                  'xmlns="http://www.w3.org/2000/svg"><title>{}</title>').format(width, height, label, label)]
    for i, (name, n) in enumerate(items):
        y = 4 + i * row_h
        w = max(2.0, pw * n / top_n)
        out.append(Markup('<text x="{}" y="{}" font-size="12" text-anchor="end" fill="#1d2939">{}</text>').format(
            left - 8, y + 14, name[:34]))
        out.append(Markup('<rect x="{}" y="{}" width="{}" height="15" rx="2" fill="{}"><title>{}</title></rect>').format(
            left, y + 2, _f(w), color, f"{name}: {n}"))
        out.append(Markup('<text x="{}" y="{}" font-size="12" fill="#344054">{}</text>').format(
            _f(left + w + 6), y + 14, n))
    out.append(Markup("</svg>"))
    return Markup("").join(out)


SHARE_COLORS = {"named": "#0072B2", "unnamed": "#D55E00", "article": "#98a2b3"}
SHARE_LABELS = {"named": "named sources", "unnamed": "unnamed sources", "article": "article's own voice"}


def share_bar_svg(shares: dict[str, float], *, width: int = 520) -> Markup:
    """One stacked bar of attribution shares (named / unnamed / the article's own voice)."""
    total = sum(v for v in shares.values() if v)
    if not total:
        return Markup('<p class="muted">No attributed statements recorded.</p>')
    out = [Markup('<svg class="chart share" viewBox="0 0 {} 46" width="100%" role="img" aria-label="Attribution shares" '
                  'xmlns="http://www.w3.org/2000/svg">').format(width)]
    x = 0.0
    legend_x = 0
    for k in ("named", "unnamed", "article"):
        v = float(shares.get(k) or 0.0) / total
        w = width * v
        color = SHARE_COLORS[k]
        text = f"{SHARE_LABELS[k]}: {v:.0%}"
        if w > 0:
            out.append(Markup('<rect x="{}" y="0" width="{}" height="18" fill="{}"><title>{}</title></rect>').format(
                _f(x), _f(w), color, text))
        x += w
        out.append(Markup('<rect x="{}" y="28" width="10" height="10" fill="{}"/>').format(legend_x, color))
        out.append(Markup('<text x="{}" y="37" font-size="12" fill="#1d2939">{}</text>').format(legend_x + 14, text))
        legend_x += 14 + 7 * len(text) + 14
    out.append(Markup("</svg>"))
    return Markup("").join(out)


__all__ = ["bar_chart_svg", "escape", "share_bar_svg", "timeline_svg"]
