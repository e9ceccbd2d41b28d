"""Text normalization and byte decoding shared by every reader.

The article id is the sha256 of :func:`normalize_text` output, so this function is part
of the data contract: change it and every id changes.
"""

from __future__ import annotations

import re
import unicodedata

from rashomon.errors import Errors, InputError

# Zero-width characters and bidirectional controls (Unicode TR9): invisible, and they
# split words or flip display order without changing what a sentence says.
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\u180e\u061c]")
# C0/C1 control characters except tab and newline.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_TRAILING_WS = re.compile(r"[ \t\u00a0\u3000]+$", re.MULTILINE)
_BLANK_RUNS = re.compile(r"\n{3,}")


def normalize_text(text: str) -> str:
    """Canonical form of an article's text; offsets and ids refer to this form.

    NFC, LF line ends, no control characters (except newline and tab), no zero-width or
    bidi controls, no trailing whitespace on a line, at most one blank line in a row,
    no leading or trailing whitespace.

    >>> normalize_text("Cafe\\u0301\\r\\n\\r\\n\\r\\n\\r\\nnext \\u200b line  ")
    'Café\\n\\nnext  line'
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _INVISIBLE.sub("", text)
    text = _CONTROL.sub("", text)
    # NFC after the removals: "A\ufeff\u0300" must compose to "À" in one pass (idempotence)
    text = unicodedata.normalize("NFC", text)
    text = _TRAILING_WS.sub("", text)
    text = _BLANK_RUNS.sub("\n\n", text)
    return text.strip()


_BINARY_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF8", "GIF image"),
    (b"%PDF", "PDF document"),
    (b"PK\x03\x04", "ZIP archive (docx/xlsx/epub are ZIP too)"),
    (b"\x1f\x8b", "gzip data"),
    (b"\x7fELF", "executable"),
    (b"RIFF", "RIFF media"),
    (b"SQLite format 3", "SQLite database"),
    (b"\xd0\xcf\x11\xe0", "legacy Office document"),
)

_UTF_BOMS = (b"\xff\xfe", b"\xfe\xff")


def binary_kind(data: bytes) -> str | None:
    """Why ``data`` looks like binary rather than text, or None when it looks like text."""
    head = data[:8192]
    for magic, kind in _BINARY_MAGIC:
        if head.startswith(magic):
            return kind
    if head.startswith(_UTF_BOMS):  # UTF-16 text has NULs but is text
        return None
    if b"\x00" in head:
        return "NUL bytes"
    return None


def _looks_sane(text: str) -> bool:
    """Mostly letters, digits, punctuation and spaces: a fallback decoding made sense."""
    if not text:
        return True
    sample = text[:20000]
    odd = sum(
        1
        for ch in sample
        if unicodedata.category(ch) in {"Cc", "Co", "Cn", "Cs"} and ch not in "\n\t\r"
    )
    return odd / len(sample) < 0.01


def decode_bytes(data: bytes, source: str, declared: str | None = None) -> str:
    """Decode ``data`` to str: UTF-8 (BOM or not), then the declared charset, then detection.

    Raises :class:`InputError` with reason ``binary`` or ``undecodable``.
    """
    kind = binary_kind(data)
    if kind is not None:
        raise InputError(source, "binary", Errors.E002.format(source=source, detail=kind))
    if data.startswith(_UTF_BOMS):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise InputError(
                source, "undecodable", Errors.E003.format(source=source, detail=str(exc)[:120])
            ) from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        utf8_error = str(exc)[:120]
    if declared:
        try:
            return data.decode(declared)
        except (LookupError, UnicodeDecodeError):
            pass
    from charset_normalizer import from_bytes  # a trafilatura dependency

    best = from_bytes(data[:200_000]).best()
    if best is not None and best.encoding:
        try:
            text = data.decode(best.encoding)
        except (LookupError, UnicodeDecodeError):
            text = ""
        if text and _looks_sane(text):
            return text
    text = data.decode("cp1252", errors="replace")
    if "\ufffd" not in text and _looks_sane(text):
        return text
    raise InputError(source, "undecodable", Errors.E003.format(source=source, detail=utf8_error))
