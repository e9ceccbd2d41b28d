"""Turn view data into HTML pages with Jinja2 (autoescape always on).

Both the static report and the web app call these functions; only the :class:`Links`
strategy and a few flags differ. Article content is never marked safe: highlighted
text and charts are built from escaped pieces in :mod:`highlight` and :mod:`svg`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import (
    ChainableUndefined,
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    select_autoescape,
)
from markupsafe import Markup

from rashomon.report import data as d
from rashomon.report.highlight import (
    CLAIM_KINDS,
    article_layers,
    css_key,
    mark_hits,
    render_layers,
    technique_label,
)
from rashomon.report.links import Links, external_url, outlet_key, span_anchor
from rashomon.report.svg import bar_chart_svg, share_bar_svg, timeline_svg

HERE = Path(__file__).parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"

#: The policy the report pages carry in a <meta> tag (the web app also sends it as a header).
REPORT_CSP = "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:"

STATUS_ICONS = {"conflicting": "⚠", "revised": "↻", "corroborated": "✓", "single_source": "○"}


def make_env(extra_dirs: list[Path] | None = None) -> Environment:
    """A Jinja environment with autoescape on for every template, whatever its name."""
    loaders = [FileSystemLoader(str(p)) for p in (extra_dirs or [])] + [FileSystemLoader(str(TEMPLATES))]
    env = Environment(
        loader=ChoiceLoader(loaders),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=ChainableUndefined,  # tolerate optional keys missing from stored JSON
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(
        fmt_num=d.fmt_num,
        value_text=d.value_text,
        slot_label=d.slot_label,
        status_icon=lambda st: STATUS_ICONS.get(st or "", "•"),
        status_label=lambda st: d.STATUS_LABELS.get(st or "", str(st)),
        technique_label=technique_label,
        claim_kind=lambda k: CLAIM_KINDS.get(k or "", k or ""),
        css_key=css_key,
        external_url=external_url,
        outlet_key=outlet_key,
        span_anchor=span_anchor,
        hl=mark_hits,
    )
    env.filters["clip"] = clip
    env.filters["pct"] = lambda x: f"{float(x or 0):.0%}"
    return env


def clip(text: str | None, n: int = 120) -> str:
    """Shorten to ``n`` characters on a word boundary (the result is still escaped later)."""
    t = " ".join((text or "").split())
    if len(t) <= n:
        return t
    cut = t[:n].rsplit(" ", 1)[0]
    return cut + "…"


def _base(links: Links, web: bool, **extra: Any) -> dict[str, Any]:
    return {"links": links, "web": web, "csp": REPORT_CSP, **extra}


def render_index(env: Environment, links: Links, overview: dict[str, Any], *, web: bool = False,
                 articles: list[dict[str, Any]] | None = None) -> str:
    return env.get_template("index.html").render(
        **_base(links, web), ov=overview, articles=articles or [])


def render_story(env: Environment, links: Links, view: dict[str, Any], *, web: bool = False) -> str:
    charts = []
    for slot, values in view["figures"].items():
        rec = view["slots"].get(slot, {})
        charts.append({
            "slot": slot,
            "label": d.slot_label(slot),
            "svg": timeline_svg(values, slot=slot, low=rec.get("low"), best=rec.get("best"), high=rec.get("high")),
            "n": len(values),
        })
    return env.get_template("story.html").render(**_base(links, web), st=view, charts=charts)


def render_article(env: Environment, links: Links, view: dict[str, Any], *, web: bool = False,
                   actor_names: dict[str, str] | None = None) -> str:
    art = view["article"]
    body: Markup = render_layers(art["text"], article_layers(view, actor_names=actor_names))
    prof = view["framing"]["profile"] or {}
    attribution = prof.get("attribution") or {}
    shares = attribution.get("shares") or {
        k: attribution.get(k, 0) for k in ("named", "unnamed", "article")
    }
    return env.get_template("article.html").render(
        **_base(links, web),
        a=art,
        v=view,
        body=body,
        profile=prof,
        share_svg=share_bar_svg({k: float(shares.get(k) or 0) for k in ("named", "unnamed", "article")}),
        tech_svg=bar_chart_svg([(technique_label(t), n) for t, n in view["technique_counts"]],
                               label="Persuasion techniques in this article"),
        claim_kinds=CLAIM_KINDS,
    )


def render_outlet(env: Environment, links: Links, view: dict[str, Any], *, web: bool = False) -> str:
    return env.get_template("outlet.html").render(
        **_base(links, web),
        o=view,
        tech_svg=bar_chart_svg([(technique_label(t), n) for t, n in view["techniques"]],
                               label=f"Persuasion techniques used by {view['name']}"),
        genre_svg=bar_chart_svg(view["genres"], label="Genre mix", color="#7a5195"),
        share_svg=share_bar_svg(view["attribution_shares"]),
    )
