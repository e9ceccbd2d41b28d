"""The ``read`` stage: inputs analysts really have -> :class:`~rashomon.model.Article`.

    read_sources(sources)          files, folders, '-' (stdin), http(s) pages and feeds
      ├── registry                 extension / content type / sniffing -> reader
      ├── text, html, jsonl, warc, feed    one reader per format
      ├── headers                  title/author/date lines and trailing bios, disclaimers
      ├── normalize                normalize_text (the id is its sha256), byte decoding
      ├── language                 lingua on a restricted language set
      └── fetch                    safe HTTP: address checks on every hop, size cap

Bad input never crashes the batch and is never skipped silently: it comes out as a
:class:`~rashomon.model.Rejected` with a reason key and an ``Errors.E0xx`` message.
See docs/formats.md.
"""

from __future__ import annotations

from rashomon.model import Article, Rejected
from rashomon.read.base import MIN_TEXT_CHARS, ReadContext, Reader
from rashomon.read.fetch import USER_AGENT, Fetcher, FetchOptions
from rashomon.read.headers import analyze_header, analyze_trailer, parse_date
from rashomon.read.language import detect_language
from rashomon.read.normalize import decode_bytes, normalize_text
from rashomon.read.registry import EXTENSIONS, FORMATS, format_for_path, sniff
from rashomon.read.sources import read_sources

__all__ = [
    "EXTENSIONS",
    "FORMATS",
    "MIN_TEXT_CHARS",
    "USER_AGENT",
    "Article",
    "FetchOptions",
    "Fetcher",
    "ReadContext",
    "Reader",
    "Rejected",
    "analyze_header",
    "analyze_trailer",
    "decode_bytes",
    "detect_language",
    "format_for_path",
    "normalize_text",
    "parse_date",
    "read_sources",
    "sniff",
]
