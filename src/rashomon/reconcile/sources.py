"""Who is independent of whom: a value's source key for the reconciliation rules.

Two outlets of the same owner, or two outlets of one state (state-affiliated media),
are one source (the outlet registry, ``data/outlets.yaml``); an outlet the registry does
not know is its own source, and an article with no outlet is its own source.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from rashomon.model import SlotValue


def source_key_for(articles: Mapping[str, Mapping[str, Any]]) -> Callable[[SlotValue], str]:
    """A ``source_key`` for :func:`rashomon.reconcile.rules.reconcile_slot`."""
    from rashomon.annotate.outlets import independence_key, lookup

    cache: dict[tuple[str | None, str | None], str] = {}

    def key(v: SlotValue) -> str:
        art = articles.get(v.article_id) or {}
        outlet, domain = art.get("outlet") or v.outlet, art.get("domain")
        if not outlet and not domain:
            return v.article_id
        k = (outlet, domain)
        if k not in cache:
            cache[k] = independence_key(lookup(name=outlet, domain=domain), fallback=outlet or domain or v.article_id)
        return cache[k]

    return key


def outlet_name(article: Mapping[str, Any]) -> str:
    """How a reader knows an article's source: its outlet, else its domain, else its title
    (never an internal id)."""
    if article.get("outlet"):
        return str(article["outlet"])
    if article.get("domain"):
        return str(article["domain"])
    title = " ".join(str(article.get("title") or "").split())
    return f"unknown outlet (\u201c{title[:60]}\u201d)" if title else "unknown outlet"
