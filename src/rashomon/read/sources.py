"""read_sources: paths, folders, '-' and URLs in; a stream of Article | Rejected out."""

from __future__ import annotations

import io
import os
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path

import httpx

from rashomon.errors import Errors, InputError
from rashomon.read.base import Outcome, ReadContext, guarded, read_capped, rejected
from rashomon.read.fetch import Fetcher, FetchOptions
from rashomon.read.registry import FORMATS, format_for_path, reader_for_response, sniff

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")
#: Formats read whole into memory, so a file over max_bytes is refused up front.
_WHOLE_FILE = {"text", "html", "feed"}


def read_sources(
    sources: Iterable[str],
    *,
    outlet: str | None = None,
    outlet_from_dir: str | None = None,
    allow_private: bool = False,
    max_bytes: int = 20_000_000,
    timeout: float = 20.0,
    transport: httpx.BaseTransport | None = None,
) -> Iterator[Outcome]:
    """Read articles from files, folders, '-' (stdin) and http(s) URLs, one at a time.

    ``outlet`` is the outlet of inputs that name none; ``outlet_from_dir`` is a folder
    holding one sub-folder per outlet: a file under it that names no outlet gets the name
    of its sub-folder (``ROOT/Press TV/a.txt`` -> "Press TV"; files directly in ROOT get
    none from it).

    Every unreadable input (or bad part of one) comes out as a ``Rejected`` with a reason
    and a message; nothing is skipped silently and one bad input never stops the batch.

    Example::

        for item in read_sources(["articles/", "https://example.org/feed.xml"]):
            print(item.title if isinstance(item, Article) else item.message)
    """
    options = FetchOptions(
        allow_private=allow_private, max_bytes=max_bytes, timeout=timeout, transport=transport
    )
    with Fetcher(options) as fetcher:
        root = Path(outlet_from_dir).resolve() if outlet_from_dir else None
        base = ReadContext(
            source="", options=options, fetcher=fetcher, outlet=outlet, outlet_root=root
        )
        for source in sources:
            yield from _read_source(source, base)


def _read_source(source: str, base: ReadContext) -> Iterator[Outcome]:
    scheme = _SCHEME.match(source)
    if source == "-":
        yield from guarded(_read_stdin(replace(base, source="<stdin>")))
    elif scheme:
        yield from guarded(_read_url(source, replace(base, source=source)))
    else:
        yield from _read_path(Path(source), base)


def _read_stdin(ctx: ReadContext) -> Iterator[Outcome]:
    data = read_capped(sys.stdin.buffer, ctx)
    yield from FORMATS[sniff(data[:8192])](io.BytesIO(data), ctx)


def _read_url(url: str, ctx: ReadContext) -> Iterator[Outcome]:
    fetched = ctx.fetcher.fetch(url, ctx.source)
    reader = reader_for_response(fetched, ctx.source)
    page_ctx = replace(ctx, url=fetched.url, charset=fetched.charset)
    yield from reader(io.BytesIO(fetched.body), page_ctx)


def _read_path(path: Path, base: ReadContext) -> Iterator[Outcome]:
    source = str(path)
    if path.is_dir():
        yield from _walk(path, base)
    elif path.is_file():
        yield from guarded(_read_file(path, _file_ctx(path, base)))
    else:
        yield rejected(InputError(source, "not_found", Errors.E013.format(source=source)))


_SQLITE_MAGIC = b"SQLite format 3\x00"
_SQLITE_COMPANIONS = ("-wal", "-shm", "-journal")


def _is_sqlite(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            return fh.read(16) == _SQLITE_MAGIC
    except OSError:
        return False


def is_database_file(path: Path) -> bool:
    """A SQLite database (by its header) or the -wal / -shm / -journal file beside one: the
    store's own files, which a folder walk passes over (``analyze .`` next to rashomon.db)."""
    name = path.name
    for suffix in _SQLITE_COMPANIONS:
        if name.endswith(suffix) and len(name) > len(suffix):
            main = path.with_name(name[: -len(suffix)])
            return main.is_file() and _is_sqlite(main)
    return _is_sqlite(path)


def _walk(root: Path, base: ReadContext) -> Iterator[Outcome]:
    """Files under ``root``, recursively, in sorted order; hidden files and folders and
    SQLite databases with their -wal/-shm/-journal files are skipped."""
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            path = Path(dirpath) / name
            if is_database_file(path):
                continue
            yield from guarded(_read_file(path, _file_ctx(path, base)))


def _file_ctx(path: Path, base: ReadContext) -> ReadContext:
    """The context of one file: its source, and its folder's outlet under --outlet-from-dir."""
    ctx = replace(base, source=str(path))
    if base.outlet_root is None:
        return ctx
    try:
        rel = path.resolve().relative_to(base.outlet_root)
    except ValueError:
        return ctx
    if len(rel.parts) < 2:
        return ctx
    return replace(ctx, dir_outlet=rel.parts[0])


def _read_file(path: Path, ctx: ReadContext) -> Iterator[Outcome]:
    fmt = format_for_path(path)
    try:
        size = path.stat().st_size
        if size == 0:
            raise InputError(ctx.source, "empty", Errors.E001.format(source=ctx.source))
        with path.open("rb") as stream:
            if fmt is None:
                fmt = sniff(stream.peek(8192)[:8192])
            limit = ctx.options.max_bytes
            if fmt in _WHOLE_FILE and size > limit:
                raise InputError(
                    ctx.source,
                    "oversize",
                    Errors.E004.format(source=ctx.source, size=size, limit=limit),
                )
            yield from FORMATS[fmt](stream, ctx)
    except OSError as exc:
        detail = exc.strerror or type(exc).__name__
        raise InputError(
            ctx.source, "unreadable", Errors.E020.format(source=ctx.source, detail=detail)
        ) from exc
