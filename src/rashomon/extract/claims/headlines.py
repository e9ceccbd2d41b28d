"""Title-case headlines: "Carly Fiorina Endorses Ted Cruz", "Trump Says He Never Pledged ...".

The parser tags a title-case verb as a proper noun, so the verb pass never sees it. In the
article's first line, when every word before a cue word is capitalised, the cue word is
the cue (its lemma from the lexicon: "Endorses" -> "endorse"), the words before it are
the source and the rest of the line, up to a colon, is the content. A line with a colon
before the cue word is a label ("NY Daily News: Paris Attacks Highlight ...", the
transcript pass's business). On PolNeAR train, 45 of 57 such first lines have a gold cue
on that word.
"""

from __future__ import annotations

from typing import Any

from rashomon.extract import cues as C
from rashomon.extract.claims.found import Found, Range
from rashomon.extract.claims.syntax import cue_kind, in_ranges, trim

MAX_SOURCE_WORDS = 6


def headline_lemma(word: str) -> str | None:
    """The lexicon lemma of a title-case present-tense verb ("Praises" -> "praise")."""
    low = word.lower()
    cues = C.verb_cues()
    for suffix, repl in (("ies", "y"), ("es", ""), ("s", "")):
        if low.endswith(suffix) and len(low) > len(suffix) + 2:
            lemma = low[: -len(suffix)] + repl
            if lemma in cues:
                return lemma
    return None


def find(doc: Any, quotes: list[Range], taken: frozenset[int]) -> list[Found]:
    if not len(doc):
        return []
    line_end = next((t.i for t in doc if "\n" in t.text or "\n" in t.whitespace_), len(doc) - 1) + 1
    words = 0
    for tok in doc[:line_end]:
        if tok.is_punct or tok.lower_ in {"’s", "'s"}:
            if tok.text == ":":
                return []
            continue
        if not tok.text[:1].isupper():
            return []
        if words and tok.i not in taken and not in_ranges(tok.idx, quotes):
            lemma = headline_lemma(tok.text)
            if lemma is not None:
                return _claim(doc, tok, lemma, line_end)
        words += 1
        if words > MAX_SOURCE_WORDS:
            return []
    return []


def _claim(doc: Any, tok: Any, lemma: str, line_end: int) -> list[Found]:
    end = next((t.i for t in doc[tok.i + 1 : line_end] if t.text == ":"), line_end)
    content = trim(doc, tok.i + 1, end)
    source = trim(doc, 0, tok.i)
    if content is None or source is None:
        return []
    f = Found(
        rule="headline.title_case",
        cue=(tok.idx, tok.idx + len(tok.text)),
        cue_text=lemma,
        content=content,
        kind=cue_kind(lemma, True),
        source=source,
    )
    f.cue_tokens.add(tok.i)
    return [f]
