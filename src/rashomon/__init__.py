"""Rashomon: one event, many accounts.

>>> import rashomon
>>> result = rashomon.analyze(["../shared/corpus/seeds"])      # doctest: +SKIP
>>> [s["title"] for s in result.stories][:1]                      # doctest: +SKIP
['Explosion in Kerman, Iran, 2024-01-03']
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from rashomon.pipeline import RunSummary
    from rashomon.store import Store


@dataclass
class Analysis:
    """The result of :func:`analyze`: the store it wrote, and views over it."""

    store: Store
    run: RunSummary

    @property
    def stories(self) -> list[dict[str, Any]]:
        """Stories ranked by coverage, each as in ``rashomon export stories``."""
        from rashomon.export import rows

        return list(rows(self.store, "stories"))

    def table(self, what: str) -> list[dict[str, Any]]:
        """Any export (``articles``, ``facts``, ``claims``, ``framing``...) as a list of dicts."""
        from rashomon.export import rows

        return list(rows(self.store, what))


def _looks_like_source(item: str) -> bool:
    return item == "-" or item.startswith(("http://", "https://")) or ("\n" not in item and Path(item).exists())


def analyze(
    inputs: Iterable[str],
    *,
    db: str | None = None,
    outlet: str | None = None,
    **options: Any,
) -> Analysis:
    """Analyze files, folders, URLs or raw article texts; return an :class:`Analysis`.

    Raw texts (strings that are not an existing path or a URL) are stored as articles
    directly. Without ``db`` the results go to a fresh SQLite file in a temporary folder.
    """
    from rashomon.model import Article
    from rashomon.pipeline import analyze as run_pipeline
    from rashomon.read import normalize_text
    from rashomon.store import Store

    items = list(inputs)
    sources = [i for i in items if _looks_like_source(i)]
    texts = [i for i in items if not _looks_like_source(i)]
    if db is None:
        db = str(Path(tempfile.mkdtemp(prefix="rashomon-")) / "rashomon.db")
    store = Store(db)
    if texts:
        store.add_articles([Article(text=normalize_text(t), outlet=outlet, language="en", source="<text>") for t in texts])
    run = run_pipeline(store, sources, outlet=outlet, **options)
    return Analysis(store=store, run=run)


__all__ = ["Analysis", "__version__", "analyze"]
