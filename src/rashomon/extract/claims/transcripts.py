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
        if m.start() == 0 and not name.isupper() and headline_label(doc, m.end("name")) is None:
            continue
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
    if not any(f.cue is not None and f.cue[0] < text.find("\n") for f in found):
        head = _headline(doc, taken)
        if head is not None:
            found.insert(0, head)
    return found


#: Prepositions that end a headline speaker label: "Roe on the new tax: ..."
_LABEL_PREPS = frozenset({"on", "at", "to", "in", "about"})


def headline_label(doc: Any, colon: int) -> Range | None:
    """The speaker of a ``Label: words`` headline, or None when the label is no speaker:
    a short noun phrase with a name ("Dr. Jane Roe", "Roe camp", "City Weekly News",
    "Former Mayor Smith at the Convention" -> "Former Mayor Smith"), no verb, not
    "The Latest"."""
    span = doc.char_span(0, colon, alignment_mode="contract")
    if span is None or not 0 < len(span) <= 6:
        return None
    toks = [t for t in span if not t.is_space]
    dash = max((k for k, t in enumerate(toks) if t.text in {"–", "—", "-"}), default=-1)
    toks = toks[dash + 1 :]  # "EXCLUSIVE – Roger Stone: ..."
    if not toks or toks[0].lower_ in {"the", "a", "an", "breaking", "exclusive", "watch", "update"}:
        return None
    words = [t.lower_ for t in toks]
    if words[-1] in C.NOT_SPEAKERS or words[0] in C.NOT_SPEAKERS:
        return None
    end = len(toks)
    for k, t in enumerate(toks):
        if k > 0 and t.lower_ in _LABEL_PREPS:
            end = k
            break
    label = toks[:end]
    # headline case hides parts of speech (a surname read as NN or VB): only lower-case
    # verbs and pronouns tell a sentence from a name
    if any(t.pos_ == "PRON" or (t.is_lower and t.pos_ in {"VERB", "AUX"}) for t in label):
        return None
    if not any(t.is_title or t.is_upper or t.pos_ == "PROPN" for t in label):
        return None
    return label[0].idx, label[-1].idx + len(label[-1].text)


def _headline(doc: Any, taken: frozenset[int]) -> Found | None:
    """``Roe: The New Tax Will Hurt Families``: the first line's label speaks."""
    text = doc.text
    line_end = text.find("\n")
    line_end = len(text) if line_end == -1 else line_end
    colon = text.find(": ", 0, line_end)
    if colon <= 0 or colon > 80:
        return None
    src = headline_label(doc, colon)
    tok = doc.char_span(colon, colon + 1, alignment_mode="expand")
    if src is None or tok is None or any(t.i in taken for t in tok):
        return None
    rest = text[colon + 1 : line_end].strip()
    if len(rest.split()) < 2:
        return None
    start = text.index(rest, colon + 1)
    end = start + len(rest.rstrip(".").rstrip())
    return Found(
        rule="transcript.headline_label",
        cue_tokens={t.i for t in tok},
        cue=(colon, colon + 1),
        cue_text=":",
        content=(start, end),
        source=src,
        quoted=True,
    )
