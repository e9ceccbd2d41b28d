"""WARC archives (.warc, .warc.gz) via warcio: each HTML response record is an article.

Records are streamed; at most ``max_bytes`` of each record's (decoded) payload is read,
so a record that inflates to gigabytes (a decompression bomb) is rejected at the cap
instead of filling memory. Requests, metadata and non-HTML responses (images, scripts,
styles) are not articles and are passed over; redirects likewise. An archive with no
HTML response at all is rejected.
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Iterator
from dataclasses import replace
from typing import BinaryIO

from rashomon.errors import Errors, InputError
from rashomon.model import Rejected
from rashomon.read.base import Outcome, ReadContext, guarded
from rashomon.read.html import read_html
from rashomon.read.normalize import binary_kind

_HTML_TYPES = ("text/html", "application/xhtml+xml")


def _bad_warc(ctx: ReadContext, exc: BaseException) -> InputError:
    detail = f"{type(exc).__name__}: {exc}"[:160]
    return InputError(ctx.source, "bad_warc", Errors.E012.format(source=ctx.source, detail=detail))


def read_warc(stream: BinaryIO, ctx: ReadContext) -> Iterator[Outcome]:
    """Articles for the HTML response records of one WARC file."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed
    from warcio.statusandheaders import StatusAndHeadersParserException

    head = stream.peek(16)[:16] if isinstance(stream, io.BufferedReader) else b""
    if not head.startswith((b"WARC/", b"\x1f\x8b")) and binary_kind(head) is not None:
        raise InputError(
            ctx.source, "binary", Errors.E002.format(source=ctx.source, detail=binary_kind(head))
        )
    limit = ctx.options.max_bytes
    pages = 0
    try:
        for record in ArchiveIterator(stream):
            if record.rec_type != "response" or record.http_headers is None:
                continue
            media = (
                (record.http_headers.get_header("Content-Type") or "")
                .split(";", 1)[0]
                .strip()
                .lower()
            )
            if media not in _HTML_TYPES:
                continue
            uri = record.rec_headers.get_header("WARC-Target-URI") or ""
            where = f"{ctx.source}#{uri}" if uri else f"{ctx.source}#record-{pages + 1}"
            status = record.http_headers.get_statuscode() or ""
            if status.startswith("3"):
                continue
            pages += 1
            if not status.startswith("2"):
                yield Rejected(where, "http_error", Errors.E008.format(source=where, status=status))
                continue
            body = record.content_stream().read(limit + 1)
            if len(body) > limit:
                yield Rejected(
                    where, "oversize", Errors.E004.format(source=where, size=len(body), limit=limit)
                )
                continue
            url = uri if uri.startswith(("http://", "https://")) else None
            record_ctx = replace(ctx, source=where, url=url, charset=None)
            yield from guarded(read_html(io.BytesIO(body), record_ctx))
    # warcio reports some malformed records as AttributeError/KeyError/TypeError.
    except (
        ArchiveLoadFailed,
        StatusAndHeadersParserException,
        zlib.error,
        EOFError,
        ValueError,
        AttributeError,
        KeyError,
        TypeError,
    ) as exc:
        raise _bad_warc(ctx, exc) from exc
    if pages == 0:
        detail = "no HTML response records"
        raise InputError(
            ctx.source, "no_text", Errors.E019.format(source=ctx.source, detail=detail)
        )
