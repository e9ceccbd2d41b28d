"""RSS and Atom feeds (.rss, .atom, .xml with a feed root, or fetched) via feedparser.

For each item the linked page is fetched (under the same safety rules as any URL) and
read as HTML. When the page cannot be fetched or read, the item's own content or
summary is used if it holds at least :data:`MIN_ITEM_CHARS` characters; otherwise the
item is rejected with the page's failure reason. feedparser is only ever given bytes,
so it never fetches anything itself.
"""

from __future__ import annotations

import io
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any, BinaryIO

from rashomon.errors import Errors, InputError
from rashomon.model import Article, Precision, Rejected
from rashomon.read.base import Outcome, ReadContext, make_article, read_capped
from rashomon.read.normalize import binary_kind, normalize_text

#: An item's own content/summary must be this long to stand in for its page.
MIN_ITEM_CHARS = 400

_FEED_ROOT = re.compile(rb"<(?:[\w-]+:)?(?:rss|feed|RDF)\b", re.IGNORECASE)
_BLOCKS = {
    "p",
    "div",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "tr",
    "section",
    "article",
}


def has_feed_root(head: bytes) -> bool:
    """Whether the first bytes hold an RSS, Atom or RDF root element."""
    return bool(_FEED_ROOT.search(head[:4096]))


def fragment_text(html: str) -> str:
    """Readable text of an HTML fragment (feed content or summary)."""
    import lxml.html
    from lxml import etree

    if "<" not in html:
        return normalize_text(html)
    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except (etree.ParserError, ValueError):
        return normalize_text(html)
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        if el.tag in {"script", "style"}:
            el.text = ""
        elif el.tag == "br":
            el.tail = "\n" + (el.tail or "")
        elif el.tag in _BLOCKS:
            el.tail = "\n\n" + (el.tail or "")
    return normalize_text(str(root.text_content()))


def _entry_text(entry: Any) -> str:
    candidates = [c.get("value", "") for c in entry.get("content", []) or []]
    candidates.append(entry.get("summary", "") or "")
    texts = [fragment_text(c) for c in candidates if isinstance(c, str) and c.strip()]
    return max(texts, key=len, default="")


def _entry_date(entry: Any) -> tuple[str | None, Precision]:
    for key in ("published_parsed", "updated_parsed"):
        value = entry.get(key)
        if isinstance(value, time.struct_time):
            return time.strftime("%Y-%m-%d", value), "day"
    return None, "unknown"


def _entry_authors(entry: Any) -> list[str]:
    names = [a.get("name", "") for a in entry.get("authors", []) or [] if isinstance(a, dict)]
    names = [" ".join(n.split()) for n in names if isinstance(n, str) and n.strip()]
    if not names and isinstance(entry.get("author"), str) and entry["author"].strip():
        names = [" ".join(entry["author"].split())]
    return names


def _fetch_page(link: str, ctx: ReadContext, item_source: str) -> Article:
    from rashomon.read.registry import reader_for_response

    fetched = ctx.fetcher.fetch(link, item_source)
    reader = reader_for_response(fetched, item_source, allow_feed=False)
    page_ctx = replace(ctx, source=item_source, url=fetched.url, charset=fetched.charset)
    for outcome in reader(io.BytesIO(fetched.body), page_ctx):
        if isinstance(outcome, Article):
            return outcome
        raise InputError(outcome.source, outcome.reason, outcome.message)
    raise InputError(
        item_source,
        "no_text",
        Errors.E005.format(source=item_source, detail="no article in the page"),
    )


def _read_item(entry: Any, n: int, ctx: ReadContext) -> Outcome:
    link = entry.get("link") if isinstance(entry.get("link"), str) else None
    item_source = link or f"{ctx.source}#item-{n}"
    title = " ".join((entry.get("title") or "").split()) or None
    authors = _entry_authors(entry)
    published, precision = _entry_date(entry)
    failure = "the item has no link"
    failed_reason = "too_short"
    if link:
        try:
            page = _fetch_page(link, ctx, item_source)
        except InputError as exc:
            failure, failed_reason = exc.message, exc.reason
        else:
            page.title = page.title or title
            page.authors = page.authors or authors
            if page.published is None and published:
                page.published, page.published_precision = published, precision
            return page
    text = _entry_text(entry)
    if len(text) >= MIN_ITEM_CHARS:
        return make_article(
            text,
            ctx,
            title=title,
            authors=authors,
            published=published,
            precision=precision,
            url=link,
            source=item_source,
        )
    message = Errors.E018.format(
        source=ctx.source,
        item=n,
        title=title or link or "untitled",
        detail=failure,
        chars=len(text),
        minimum=MIN_ITEM_CHARS,
    )
    return Rejected(item_source, failed_reason, message)


def entry_key(entry: Any, n: int) -> str:
    """A stable key for one feed item: its guid, else its link, else its title and position."""
    for k in ("id", "guid", "link"):
        v = entry.get(k)
        if isinstance(v, str) and v.strip():
            return v.strip()[:2000]
    return f"#{n}:{(entry.get('title') or '').strip()[:200]}"


def read_feed(stream: BinaryIO, ctx: ReadContext, *, seen: Callable[[str], bool] | None = None,
              taken: Callable[[str, Outcome], None] | None = None) -> Iterator[Outcome]:
    """Articles for the items of one RSS/Atom feed.

    ``seen(key)`` skips items already taken (``rashomon watch``: no page is fetched for
    them); ``taken(key, outcome)`` is told the key of each item read."""
    import feedparser

    data = read_capped(stream, ctx)
    kind = binary_kind(data)
    if kind is not None:
        raise InputError(ctx.source, "binary", Errors.E002.format(source=ctx.source, detail=kind))
    if not has_feed_root(data):
        detail = "no <rss>, <feed> or <rdf:RDF> root element"
        raise InputError(
            ctx.source, "bad_feed", Errors.E011.format(source=ctx.source, detail=detail)
        )
    parsed = feedparser.parse(data)  # bytes in: feedparser never fetches
    entries = parsed.get("entries") or []
    if not entries:
        if parsed.get("bozo"):
            detail = str(parsed.get("bozo_exception") or "malformed XML")[:160]
            raise InputError(
                ctx.source, "bad_feed", Errors.E011.format(source=ctx.source, detail=detail)
            )
        raise InputError(
            ctx.source,
            "empty",
            Errors.E019.format(source=ctx.source, detail="the feed has no items"),
        )
    for n, entry in enumerate(entries, 1):
        key = entry_key(entry, n)
        if seen is not None and seen(key):
            continue
        try:
            outcome: Outcome = _read_item(entry, n, ctx)
        except InputError as exc:
            outcome = Rejected(exc.source, exc.reason, exc.message)
        if taken is not None:
            taken(key, outcome)
        yield outcome
