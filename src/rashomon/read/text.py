"""Plain text (.txt, .text, .md, no extension), with header and trailer heuristics."""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

from rashomon.read.base import Outcome, ReadContext, make_article, read_capped
from rashomon.read.headers import analyze_header
from rashomon.read.normalize import decode_bytes, normalize_text


def read_text(stream: BinaryIO, ctx: ReadContext) -> Iterator[Outcome]:
    """One article from a plain-text file; the text is the whole normalized file."""
    data = read_capped(stream, ctx)
    text = normalize_text(decode_bytes(data, ctx.source, ctx.charset))
    head = analyze_header(text)
    yield make_article(
        text,
        ctx,
        title=head.title,
        authors=head.authors,
        published=head.published,
        precision=head.precision,
        url=head.url,
        outlet=head.outlet,
    )
