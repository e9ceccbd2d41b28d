"""HTML pages (.html, .htm, fetched pages, WARC records) through trafilatura."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, BinaryIO

from rashomon.errors import Errors, InputError
from rashomon.model import Precision
from rashomon.read.base import Outcome, ReadContext, make_article, read_capped
from rashomon.read.headers import parse_date
from rashomon.read.normalize import decode_bytes, normalize_text

_META_CHARSET = re.compile(
    rb"""<meta[^>]{0,200}?charset\s*=\s*["']?([A-Za-z0-9_.:-]{1,40})""", re.IGNORECASE
)


def _clean(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    value = " ".join(normalize_text(value).split())
    return value or None


def _authors(value: Any) -> list[str]:
    # trafilatura joins several authors with "; "
    if not isinstance(value, str):
        return []
    return [a for a in (" ".join(part.split()) for part in value.split(";")) if a]


def extract_html(html: str, url: str | None) -> Any:
    """trafilatura's document for ``html`` (with metadata), or None."""
    import trafilatura

    return trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_links=False,
    )


def read_html(stream: BinaryIO, ctx: ReadContext) -> Iterator[Outcome]:
    """One article from an HTML page: text and title, author, date, site name, URL."""
    data = read_capped(stream, ctx)
    declared = ctx.charset
    if declared is None:
        m = _META_CHARSET.search(data[:4096])
        declared = m.group(1).decode("ascii") if m else None
    html = decode_bytes(data, ctx.source, declared)
    try:
        doc = extract_html(html, ctx.url)
    except Exception as exc:  # a third-party parser at the edge: any failure means no text
        detail = f"{type(exc).__name__}: {exc}"[:160]
        raise InputError(
            ctx.source, "no_text", Errors.E005.format(source=ctx.source, detail=detail)
        ) from exc
    text = normalize_text(getattr(doc, "text", None) or "") if doc is not None else ""
    if not text:
        detail = "the page is empty or broken" if doc is None else "no main text found"
        raise InputError(
            ctx.source, "no_text", Errors.E005.format(source=ctx.source, detail=detail)
        )
    published: str | None = None
    precision: Precision = "unknown"
    found = parse_date(getattr(doc, "date", None) or "")
    if found:
        published, precision = found
    url = _clean(getattr(doc, "url", None)) or ctx.url
    yield make_article(
        text,
        ctx,
        title=_clean(getattr(doc, "title", None)),
        authors=_authors(getattr(doc, "author", None)),
        published=published,
        precision=precision,
        url=url if url and url.startswith(("http://", "https://")) else ctx.url,
        outlet=_clean(getattr(doc, "sitename", None)),
    )
