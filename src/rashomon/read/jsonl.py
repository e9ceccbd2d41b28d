"""JSON Lines (.jsonl, .ndjson): one article object per line, streamed.

Fields (see docs/formats.md): ``text`` (required), ``title``, ``url``, ``outlet``,
``domain``, ``authors`` (list of strings, or one string), ``published``, ``language``.
Other fields are ignored. A bad line yields a Rejected naming the line; the rest go on.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any, BinaryIO

from rashomon.errors import Errors, InputError
from rashomon.model import Precision, Rejected
from rashomon.read.base import Outcome, ReadContext, guarded, make_article
from rashomon.read.headers import parse_date
from rashomon.read.normalize import binary_kind, normalize_text

_PARTIAL_ISO = re.compile(r"^(?P<y>\d{4})(?:-(?P<m>\d{2}))?$")
_STRING_FIELDS = ("title", "url", "outlet", "domain", "language")


class _BadLine(ValueError):
    """A line that is JSON but not a usable article record."""


def _published(value: Any) -> tuple[str | None, Precision]:
    if value is None or value == "":
        return None, "unknown"
    if not isinstance(value, str):
        raise _BadLine("field 'published' must be a date string such as \"2024-01-21\"")
    value = value.strip()
    partial = _PARTIAL_ISO.match(value)
    if partial:
        if partial.group("m"):
            if not 1 <= int(partial.group("m")) <= 12:
                raise _BadLine(f"field 'published' {value!r} is not a date")
            return value, "month"
        return value, "year"
    found = parse_date(value)
    if found is None:
        raise _BadLine(
            f"field 'published' {value!r} is not a date (use YYYY-MM-DD, YYYY-MM or YYYY)"
        )
    return found


def _language(value: Any) -> str | None:
    """ISO 639 code of a ``language`` field ("EN", "en-US" -> "en"); the column holds 8 chars."""
    if not value or not value.strip():
        return None
    primary = re.split(r"[-_]", value.strip().lower(), maxsplit=1)[0]
    if not re.fullmatch(r"[a-z]{2,3}", primary):
        raise _BadLine(f"field 'language' {value[:40]!r} is not a language code such as \"en\"")
    return primary


def _authors(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        parts = re.split(r"\s*(?:;|\band\b|&)\s*", value)
        return [p for p in (" ".join(x.split()) for x in parts) if p]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return [a for a in (" ".join(v.split()) for v in value) if a]
    raise _BadLine("field 'authors' must be a list of strings or a string")


def _record(obj: Any, ctx: ReadContext, source: str) -> Iterator[Outcome]:
    if not isinstance(obj, dict):
        raise _BadLine(f"a JSON {type(obj).__name__}, not an object")
    text = obj.get("text")
    if not isinstance(text, str) or not text.strip():
        raise _BadLine('missing or empty "text" field')
    for name in _STRING_FIELDS:
        if obj.get(name) is not None and not isinstance(obj[name], str):
            raise _BadLine(f"field {name!r} must be a string")
    published, precision = _published(obj.get("published"))
    yield make_article(
        normalize_text(text),
        ctx,
        title=obj.get("title") or None,
        authors=_authors(obj.get("authors")),
        published=published,
        precision=precision,
        url=obj.get("url") or None,
        outlet=obj.get("outlet") or None,
        domain=obj.get("domain") or None,
        language=_language(obj.get("language")),
        source=source,
    )


def _bad(source: str, line: int, detail: str) -> Rejected:
    return Rejected(
        f"{source}:{line}", "bad_jsonl", Errors.E010.format(source=source, line=line, detail=detail)
    )


def read_jsonl(stream: BinaryIO, ctx: ReadContext) -> Iterator[Outcome]:
    """Articles from a JSONL stream, line by line (memory stays flat)."""
    limit = ctx.options.max_bytes
    lineno = 0
    seen = False
    while True:
        raw = stream.readline(limit + 1)
        if not raw:
            break
        lineno += 1
        if lineno == 1:
            kind = binary_kind(raw)
            if kind is not None:
                raise InputError(
                    ctx.source, "binary", Errors.E002.format(source=ctx.source, detail=kind)
                )
        if len(raw) > limit and not raw.endswith(b"\n"):
            while (more := stream.readline(1 << 20)) and not more.endswith(b"\n"):
                pass  # skip the rest of the over-long line
            where = f"{ctx.source}:{lineno}"
            yield Rejected(
                where, "oversize", Errors.E004.format(source=where, size=len(raw), limit=limit)
            )
            continue
        if not raw.strip():
            continue
        seen = True
        try:
            line = raw.decode("utf-8-sig" if lineno == 1 else "utf-8")
        except UnicodeDecodeError as exc:
            where = f"{ctx.source}:{lineno}"
            yield Rejected(
                where, "undecodable", Errors.E003.format(source=where, detail=str(exc)[:120])
            )
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield _bad(ctx.source, lineno, f"not valid JSON ({exc.msg} at column {exc.colno})")
            continue
        try:
            yield from guarded(_record(obj, ctx, f"{ctx.source}:{lineno}"))
        except _BadLine as exc:
            yield _bad(ctx.source, lineno, str(exc))
    if not seen:
        raise InputError(ctx.source, "empty", Errors.E001.format(source=ctx.source))
