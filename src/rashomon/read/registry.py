"""One registry: format name -> reader, file extension -> format, and content sniffing."""

from __future__ import annotations

import re
import zlib
from pathlib import PurePath

from rashomon.errors import Errors, FetchError
from rashomon.read.base import Reader
from rashomon.read.feed import has_feed_root, read_feed
from rashomon.read.fetch import Fetched
from rashomon.read.html import read_html
from rashomon.read.jsonl import read_jsonl
from rashomon.read.text import read_text
from rashomon.read.warc import read_warc

#: Format name -> reader.
FORMATS: dict[str, Reader] = {
    "text": read_text,
    "html": read_html,
    "jsonl": read_jsonl,
    "warc": read_warc,
    "feed": read_feed,
}

#: File extension (lower case) -> format. Files with no extension or an unknown one are sniffed.
EXTENSIONS: dict[str, str] = {
    ".txt": "text",
    ".text": "text",
    ".md": "text",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".warc": "warc",
    ".warc.gz": "warc",
    ".rss": "feed",
    ".atom": "feed",
    ".xml": "feed",
}

_HTML_START = re.compile(
    rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.IGNORECASE | re.DOTALL
)
_HTML_ANY = re.compile(rb"<(?:html|head|body|div|p|article|title|meta)\b[^>]*>", re.IGNORECASE)


def format_for_path(path: str | PurePath) -> str | None:
    """Format named by the file's extension, or None when it must be sniffed.

    >>> format_for_path("a/b/crawl.warc.gz"), format_for_path("notes.md"), format_for_path("README")
    ('warc', 'text', None)
    """
    name = PurePath(path).name.lower()
    for ext in sorted(EXTENSIONS, key=len, reverse=True):
        if name.endswith(ext) and len(name) > len(ext):
            return EXTENSIONS[ext]
    return None


def sniff(head: bytes) -> str:
    """Guess a format from the first bytes (a few KB) of an input.

    >>> sniff(b'{"text": "..."}'), sniff(b"<?xml version='1.0'?><rss>"), sniff(b"Hello")
    ('jsonl', 'feed', 'text')
    """
    body = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if body.startswith(b"WARC/"):
        return "warc"
    if body.startswith(b"\x1f\x8b"):
        try:
            inflated = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(body[:4096], 64)
        except zlib.error:
            inflated = b""
        return "warc" if inflated.startswith(b"WARC/") else "text"  # text reader rejects binary
    if body.startswith(b"{"):
        return "jsonl"
    if _HTML_START.match(body):
        return "html"
    if body.startswith(b"<") and has_feed_root(body):
        return "feed"
    if body.startswith(b"<") and _HTML_ANY.search(body[:4096]):
        return "html"
    return "text"


_TYPE_FORMATS: dict[str, str] = {
    "text/html": "html",
    "application/xhtml+xml": "html",
    "application/rss+xml": "feed",
    "application/atom+xml": "feed",
    "application/rdf+xml": "feed",
    "text/plain": "text",
    "application/x-ndjson": "jsonl",
    "application/jsonl": "jsonl",
    "application/x-jsonlines": "jsonl",
    "application/warc": "warc",
}
_SNIFFED_TYPES = {
    "",
    "application/octet-stream",
    "application/xml",
    "text/xml",
    "binary/octet-stream",
}


def format_for_response(fetched: Fetched, source: str) -> str:
    """Format of a fetched body: by content type, sniffing generic or missing types."""
    fmt = _TYPE_FORMATS.get(fetched.content_type)
    if fmt is None and fetched.content_type in _SNIFFED_TYPES:
        fmt = sniff(fetched.body[:8192])
    if fmt is None:
        raise FetchError(
            source,
            "bad_content_type",
            Errors.E009.format(source=source, content_type=fetched.content_type),
        )
    return fmt


def reader_for_response(fetched: Fetched, source: str, *, allow_feed: bool = True) -> Reader:
    """Reader for a fetched body; feed items may not point at further feeds."""
    fmt = format_for_response(fetched, source)
    if fmt == "feed" and not allow_feed:
        raise FetchError(
            source,
            "bad_content_type",
            Errors.E009.format(source=source, content_type=fetched.content_type),
        )
    return FORMATS[fmt]
