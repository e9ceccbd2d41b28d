"""What every reader shares: the context it runs in and how an Article is finished.

A reader is ``Callable[[BinaryIO, ReadContext], Iterator[Article | Rejected]]``. It
raises :class:`~rashomon.errors.InputError` when the whole input is unreadable (the
caller turns that into a :class:`Rejected`) and yields ``Rejected`` itself for a bad
part of an input that otherwise reads (a JSONL line, a WARC record, a feed item).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urlsplit

from rashomon.errors import Errors, InputError
from rashomon.model import Article, Precision, Rejected
from rashomon.read.fetch import Fetcher, FetchOptions
from rashomon.read.headers import analyze_trailer, dateline_credit
from rashomon.read.language import detect_language
from rashomon.read.normalize import normalize_text

#: An article needs at least this many characters of normalized text.
MIN_TEXT_CHARS = 100

Outcome = Article | Rejected


@dataclass(frozen=True, slots=True)
class ReadContext:
    """Where an input came from and the limits it is read under."""

    source: str  # path, URL or "<stdin>", as shown in messages
    options: FetchOptions
    fetcher: Fetcher
    outlet: str | None = None  # fallback outlet from the caller
    url: str | None = None  # URL the bytes were fetched from, if any
    charset: str | None = None  # charset declared by the server, if any
    outlet_root: Path | None = None  # --outlet-from-dir: one sub-folder per outlet
    dir_outlet: str | None = None  # the outlet named by the file's folder under outlet_root


Reader = Callable[[BinaryIO, ReadContext], Iterator[Outcome]]


def read_capped(stream: BinaryIO, ctx: ReadContext) -> bytes:
    """All bytes of ``stream`` up to the size limit; rejects empty and oversize input."""
    limit = ctx.options.max_bytes
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise InputError(
            ctx.source,
            "oversize",
            Errors.E004.format(source=ctx.source, size=len(data), limit=limit),
        )
    if not data.strip():
        raise InputError(ctx.source, "empty", Errors.E001.format(source=ctx.source))
    return data


def rejected(exc: InputError) -> Rejected:
    return Rejected(exc.source, exc.reason, exc.message)


def guarded(outcomes: Iterator[Outcome]) -> Iterator[Outcome]:
    """Pass outcomes through, turning an InputError into a final Rejected."""
    try:
        yield from outcomes
    except InputError as exc:
        yield rejected(exc)


def domain_of(url: str | None) -> str | None:
    """Host of ``url`` without a leading ``www.``.

    >>> domain_of("https://www.presstv.ir/Detail/2024/01/04/1")
    'presstv.ir'
    """
    if not url:
        return None
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    if not host:
        return None
    return host[4:] if host.startswith("www.") else host


def outlet_for(stated: str | None, domain: str | None, ctx: ReadContext, *, credit: str | None = None) -> str | None:
    """The outlet of an article, from what the input states, most specific first: the name
    the input gives; the registry's name for its domain; the folder under
    ``--outlet-from-dir``; ``--outlet``; an agency credited in the dateline ("/TASS/");
    the bare domain. None when nothing is known: never an internal id, never a guess."""
    from rashomon.annotate.outlets import display_name

    return (
        stated
        or display_name(domain)
        or _meta(ctx.dir_outlet)
        or _meta(ctx.outlet)
        or credit
        or domain
        or None
    )


def _meta(value: str | None) -> str | None:
    """A metadata string on one line without control or invisible characters (PostgreSQL
    refuses NUL in text; a JSONL "outlet" of "\\u0000" once aborted a whole ingest)."""
    if not value:
        return None
    return " ".join(normalize_text(value).split()) or None


def make_article(
    text: str,
    ctx: ReadContext,
    *,
    title: str | None = None,
    authors: list[str] | None = None,
    published: str | None = None,
    precision: Precision = "unknown",
    url: str | None = None,
    outlet: str | None = None,
    domain: str | None = None,
    language: str | None = None,
    source: str | None = None,
) -> Article:
    """Finish an Article from normalized text: checks length, finds the trailer, outlet,
    domain and language. Raises InputError (``empty`` / ``too_short``)."""
    source = source or ctx.source
    if not text:
        raise InputError(source, "empty", Errors.E001.format(source=source))
    if len(text) < MIN_TEXT_CHARS:
        detail = f"{len(text)} characters; at least {MIN_TEXT_CHARS} needed"
        raise InputError(source, "too_short", Errors.E014.format(source=source, detail=detail))
    authors = [a for a in (_meta(x) for x in authors or []) if a]
    title, url, outlet, domain = _meta(title), _meta(url), _meta(outlet), _meta(domain)
    trailer = analyze_trailer(text, authors)
    url = url or ctx.url or trailer.url
    domain = domain or domain_of(url)
    return Article(
        text=text,
        title=title or None,
        url=url,
        outlet=outlet_for(outlet or trailer.outlet, domain, ctx, credit=dateline_credit(text)),
        domain=domain,
        authors=authors,
        published=published,
        published_precision=precision if published else "unknown",
        language=language or detect_language(text),
        source=source,
        body_end=trailer.body_end,
    )
