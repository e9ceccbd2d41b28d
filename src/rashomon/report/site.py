"""Write the self-contained static report: one folder that opens from ``file://``.

    out/
      index.html            stories ranked by coverage, outlets, articles
      story-<id>.html       side-by-side table, figures over time, responsibility
      article-<id>.html     the text with its annotations; #s-START-END anchors
      outlet-<slug>.html    framing profile of one outlet
      assets/               rashomon.css, rashomon.js (no remote resources)
"""

from __future__ import annotations

import shutil
from collections import defaultdict
from pathlib import Path
from typing import Any

from rashomon.report import data as d
from rashomon.report.links import StaticLinks
from rashomon.report.render import (
    STATIC,
    make_env,
    render_article,
    render_index,
    render_outlet,
    render_story,
)
from rashomon.store.db import Store

ASSETS = ("rashomon.css", "rashomon.js")


def copy_assets(out_dir: Path) -> None:
    target = out_dir / "assets"
    target.mkdir(parents=True, exist_ok=True)
    for name in ASSETS:
        shutil.copyfile(STATIC / name, target / name)


def _write(path: Path, html: str) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(html, encoding="utf-8")
    tmp.replace(path)


def write_report(store: Store, out_dir: Path) -> Path:
    """Render every story, article and outlet in ``store`` into ``out_dir``; return index.html.

    >>> write_report(Store("rashomon.db"), Path("out"))  # doctest: +SKIP
    PosixPath('out/index.html')
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    copy_assets(out_dir)
    env = make_env()
    links = StaticLinks()

    overview = d.load_overview(store)
    articles = d.list_articles(store)
    _write(out_dir / "index.html", render_index(env, links, overview, articles=articles))

    spans: dict[str, set[tuple[int, int]]] = defaultdict(set)
    stories_of: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for summary in overview["stories"]:
        view = d.load_story(store, summary["id"])
        if view is None:
            continue
        for aid, found in d.spans_in_story({"slots": view["slots"], "responsibility": view["responsibility"]}).items():
            spans[aid] |= found
        for aid in view["article_ids"]:
            stories_of[aid].append(summary)
        _write(out_dir / links.story(summary["id"]), render_story(env, links, view))

    names = d.actor_names(store)
    for art in articles:
        aview = d.load_article(store, art["id"], extra_spans=spans.get(art["id"], set()),
                               stories=stories_of.get(art["id"], []))
        if aview is not None:
            _write(out_dir / links.article(art["id"]), render_article(env, links, aview, actor_names=names))

    for o in overview["outlets"]:
        oview = d.load_outlet(store, o["name"])
        if oview is not None:
            _write(out_dir / links.outlet(o["name"]), render_outlet(env, links, oview))
    return out_dir / "index.html"
