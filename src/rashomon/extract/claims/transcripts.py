"""Colon transcripts: ``PENCE: ...`` lines and a ``Pence: ...`` headline."""

from __future__ import annotations

import re
from typing import Any

from rashomon.extract import cues as C
from rashomon.extract.claims.found import Found, Range

_SPEAKER_LINE = re.compile(
    r"^[ \t]*(?P<name>[A-Z][A-Z.'’\- ]{1,40}[A-Z.]|[A-Z][\w.'’\-]+(?: [A-Z][\w.'’\-]+){0,3})"
    r"(?P<colon>:)[ \t]+(?P<rest>\S.*)$",
    re.MULTILINE,
)


def find(doc: Any, quotes: list[Range], taken: frozenset[int]) -> list[Found]:
    """One claim per speaker turn; the colon is the cue."""
    text = doc.text
    lines = list(_SPEAKER_LINE.finditer(text))
    found: list[Found] = []
    for m in lines:
        name = m.group("name")
        words = re.findall(r"[A-Za-z]+", name.lower())
        if not words or words[0] in C.NOT_SPEAKERS or words[-1] in C.NOT_SPEAKERS:
            continue
        if not name.isupper() and (m.start() > 0 or len(name.split()) > 2):
            continue  # "Title Case:" lines are labels or headlines, except "Pence: ..." first
        colon = m.start("colon")
        content_end = m.end("rest")
        # a speaker's turn runs on over following paragraphs until the next speaker line
        if len(lines) > 2:
            nxt = text.find("\n", content_end)
            while nxt != -1:
                para_start = nxt + 1
                para_end = text.find("\n", para_start)
                para_end = len(text) if para_end == -1 else para_end
                para = text[para_start:para_end]
                if not para.strip():
                    nxt = para_end if para_end < len(text) else -1
                    continue
                if _SPEAKER_LINE.match(para) or para.isupper():
                    break
                content_end = para_end
                nxt = para_end if para_end < len(text) else -1
        src = (m.start("name"), m.end("name"))
        tok = doc.char_span(colon, colon + 1, alignment_mode="expand")
        found.append(
            Found(
                rule="transcript.speaker_line",
                cue_tokens={t.i for t in tok} if tok is not None else set(),
                cue=(colon, colon + 1),
                cue_text=":",
                content=(m.start("rest"), content_end),
                source=src,
                quoted=True,
            )
        )
    return found

