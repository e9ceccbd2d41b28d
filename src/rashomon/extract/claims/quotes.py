"""Direct quotations: find them in the text, and attach each to its reporting verb."""

from __future__ import annotations

import re
from typing import Any

from rashomon.extract import cues as C
from rashomon.extract.claims.found import Found, Range
from rashomon.extract.claims.syntax import (
    CONTENT_DEPS,
    OBJ_DEPS,
    content_of,
    cue_kind,
    cue_range,
    hedge_of,
    in_ranges,
    speaker_range,
    speaker_type_of,
    subject_of,
    trim,
)

_QUOTE_OPEN = "“"
_QUOTE_CLOSE = "”"


def find_quotes(text: str) -> list[Range]:
    """Character ranges of direct quotations, quote marks included.

    Curly quotes may run over paragraphs (an unclosed quote whose next paragraph opens
    with a quote mark continues); straight quotes pair up within a paragraph.

    >>> find_quotes('He said: "We will win." Then “Go.”')
    [(9, 23), (29, 34)]
    """
    out: list[Range] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == _QUOTE_OPEN:
            j = i + 1
            while j < n:
                c = text[j]
                if c == _QUOTE_CLOSE:
                    break
                if c == "\n":
                    k = j
                    while k < n and text[k] in "\n \t":
                        k += 1
                    if k < n and text[k] == _QUOTE_OPEN:  # paragraph-spanning quote
                        j = k + 1
                        continue
                    break
                if c == _QUOTE_OPEN:
                    break
                j += 1
            if j < n and text[j] == _QUOTE_CLOSE:
                out.append((i, j + 1))
                i = j + 1
                continue
            # “... on time," he said: a curly quotation closed by a straight mark
            close = _straight_close(text, i + 1, j if j < n else n)
            if close is not None:
                out.append((i, close + 1))
                i = close + 1
                continue
            i = j if j > i else i + 1
            continue
        if text.startswith("''", i):  # ''NYT-style'' double apostrophes
            j = text.find("''", i + 2)
            nl = text.find("\n", i + 2)
            if j != -1 and (nl == -1 or j < nl):
                out.append((i, j + 2))
                i = j + 2
                continue
        if ch == '"':
            j = text.find('"', i + 1)
            nl = text.find("\n", i + 1)
            if j != -1 and (nl == -1 or j < nl):
                out.append((i, j + 1))
                i = j + 1
                continue
            # "... on time,” she said: a straight quotation closed by a curly mark
            k = text.find(_QUOTE_CLOSE, i + 1, nl if nl != -1 else n)
            if k != -1 and _QUOTE_OPEN not in text[i + 1 : k]:
                out.append((i, k + 1))
                i = k + 1
                continue
        i += 1
    return out


def _straight_close(text: str, start: int, end: int) -> int | None:
    """The one straight double quote in ``text[start:end]`` where it closes (after a word or
    punctuation, before a space, punctuation or the end), else None."""
    seg = text[start:end]
    if seg.count('"') != 1:
        return None
    k = start + seg.index('"')
    before = text[k - 1] if k > 0 else " "
    after = text[k + 1] if k + 1 < len(text) else " "
    if before.isspace() or not (after.isspace() or after in ".,;:!?)"):
        return None
    return k


def find(doc: Any, quotes: list[Range], taken: frozenset[int]) -> list[Found]:
    """Direct quotations: attach each quote to the nearest reporting verb outside quotes."""
    found: list[Found] = []
    used = set(taken)
    text = doc.text  # Doc.text joins every token: read it once
    prev: Found | None = None
    last_end = -1
    for qs, qe in quotes:
        if qs < last_end:
            continue
        span = doc.char_span(qs, qe, alignment_mode="expand")
        if span is None or not len(span):
            continue
        n_alpha = sum(1 for t in span if t.is_alpha)
        # scare quotes (a word or two) count only when they end in , ? ! and a verb follows
        short = n_alpha < 3 or len(span) < 4
        if n_alpha == 0 or (short and text[qe - 2 : qe - 1] not in {",", "?", "!"}):
            continue
        sent_lo = doc[span.start].sent.start
        sent_hi = doc[span.end - 1].sent.end
        # the attribution may sit in the sentence after a quote that ends one
        nxt_hi = sent_hi
        if sent_hi < len(doc):
            nxt_hi = doc[sent_hi].sent.end

        def cue_at(rng: range, extra: frozenset[str] = C.QUOTE_ONLY) -> Any | None:
            for i in rng:
                t = doc[i]
                if in_ranges(t.idx, quotes) or i in used:
                    continue
                if (
                    t.pos_ in {"VERB", "AUX"}
                    and (t.lemma_ in C.SPEECH or t.lemma_ in C.BELIEF or t.lemma_ in extra)
                    and t.lemma_ not in C.BLOCKED
                ):
                    return t
            return None

        after = cue_at(range(span.end, min(sent_hi, span.end + 30)))
        if after is not None and any(
            c.dep_ == "ccomp" and c.i > after.i and not in_ranges(c.idx, quotes) and len(list(c.subtree)) >= 3
            for c in after.children
        ):
            # “New York values,” saying the city embodied ...: the verb has its own
            # clause after it; the quote before it is not what it reports
            after = None
        before = None
        if after is None and not short:
            before = cue_at(range(span.start - 1, max(sent_lo, span.start - 25) - 1, -1))
            lead = text[max(0, qs - 3) : qs]
            if (before is None and span.start > 0 and ":" in lead) or (
                before is None and "\n" in lead and text[:qs].rstrip().endswith(":")
            ):
                # "X wrote:" / "Cruz continued:" closing the previous sentence or paragraph
                prev_sent = doc[max(0, span.start - 1)].sent
                if prev_sent.start < span.start:
                    before = cue_at(range(prev_sent.end - 1, prev_sent.start - 1, -1))
                colon_i = max(0, span.start - 1)
                while colon_i > 0 and doc[colon_i].text != ":":
                    colon_i -= 1
                if before is None and doc[colon_i].text == ":":
                    before = _colon_verb(doc, colon_i, used)
        if (
            after is None
            and before is None
            and not short
            and sent_hi < nxt_hi
            and (qe >= doc[sent_hi - 1].idx)
        ):
            after = cue_at(range(sent_hi, min(nxt_hi, sent_hi + 6)))
            if after is not None and (
                after.dep_ != "ROOT" or any(c.dep_ in CONTENT_DEPS | OBJ_DEPS for c in after.children)
            ):
                # “...” The mayor says he has not read it. / It was, he said, a mistake.:
                # the verb of the next sentence reports its own clause
                after = None
        verb = after or before
        content_start, content_end = qs, qe
        quoted = True
        if verb is not None and after is not None:
            # split quote: “...,” X said, “...” / “...,” X said. “...”
            # the second part may follow a long speaker phrase: “...,” said X, a senior
            # adviser to Y. “...”
            tail = [q for q in quotes if q[0] > qe and q[0] - doc[verb.i].idx < 200]
            if tail:
                gap = text[qe : tail[0][0]]
                gspan = doc.char_span(qe, tail[0][0], alignment_mode="contract")
                # "..., said X, who said he left. “...”": a second cue in the gap reports the rest
                other_cue = gspan is not None and any(
                    t.i != verb.i and t.pos_ == "VERB" and t.lemma_ in C.verb_cues() for t in gspan
                )
                if "\n" not in gap and not other_cue and re.fullmatch(r"[^“”\"]*[,.:;]\s*", gap):
                    tspan = doc.char_span(tail[0][0], tail[0][1], alignment_mode="expand")
                    t_hi = doc[tspan.end - 1].sent.end if tspan is not None else 0
                    own = tspan is not None and cue_at(range(tspan.end, min(t_hi, tspan.end + 8)))
                    if not own:
                        content_end = tail[0][1]
        if before is not None:
            # "X admitted that the army is “sinking into the mud”": indirect speech with
            # an embedded quote; the content is the whole clause
            # ("says Cruz will “leave here”", "called the senator “the next Washington”")
            tok_rng, _head = content_of(doc, before)
            if tok_rng is not None and tok_rng[0] > before.i:
                rng = trim(doc, *tok_rng)
                if rng and rng[0] < qs - 2 and rng[1] >= qe - 2:
                    content_start, content_end = rng[0], max(rng[1], qe)
                    quoted = False
        if before is not None and quoted and before.i < span.start:
            lead = _parenthetical_lead(doc, before, span, quotes)
            if lead is not None:
                # "Sooner or later, the governor said, “it starts to pay off.”": the words
                # before the attribution open what was said
                content_start, quoted = lead, False
        if after is not None and before is None and quoted:
            lead = _fragment_lead(doc, span, after, quotes)
            if lead is not None:
                # "The budget is “a disaster for families,” said X": the quotation finishes
                # a sentence the writer began; the sentence is what X said
                content_start, quoted = lead, False
        lead_text = text[max(0, qs - 4) : qs].rstrip()
        if verb is None and lead_text.endswith(":") and not short:
            # "... in Obama's word: “...”": the colon is the cue, no named source
            colon = text.rfind(":", 0, qs)
            found.append(
                Found(
                    rule="quote.colon",
                    cue=(colon, colon + 1),
                    cue_text=":",
                    content=(qs, qe),
                    speaker_type="unnamed",
                    quoted=True,
                )
            )
            prev = found[-1]
            last_end = qe
            continue
        if verb is None:
            # a quote paragraph continuing the previous speaker's quote
            if prev is not None and prev.quoted and "\n" in text[prev.content[1] : qs]:
                between = text[prev.content[1] : qs].strip()
                if not between:
                    prev.content = (prev.content[0], qe)
                    last_end = qe
            continue
        used.add(verb.i)
        subj = subject_of(verb)
        source = speaker_range(doc, subj, verb.i) if subj is not None else None
        if source is not None and source[0] < qe and qs < source[1] and source[1] > qe:
            # the parser hung the quotation on the speaker: “It passed,” Roe said of the vote
            rest = doc.char_span(qe, source[1], alignment_mode="contract")
            source = trim(doc, rest.start, rest.end) if rest is not None and len(rest) else None
        cs, ce = cue_range(doc, verb)
        used.update(range(cs, ce))
        cue = trim(doc, cs, ce)
        f = Found(
            rule="quote." + ("embedded" if not quoted else "after" if after is not None else "before"),
            cue=cue,
            cue_text=verb.lemma_,
            content=(content_start, content_end),
            kind=cue_kind(verb.lemma_, True),
            source=source,
            speaker_type=speaker_type_of(doc, subj) if subj is not None else "unnamed",
            quoted=quoted,
            hedge=hedge_of(doc, verb.lemma_, span.start, span.end, doc[verb.i].text),
        )
        f.cue_tokens.update(range(cs, ce))
        f.cue_tokens.add(verb.i)
        found.append(f)
        prev = f
        last_end = content_end
    return found



def _colon_verb(doc: Any, colon: int, used: set[int]) -> Any | None:
    """The verb of the clause a colon closes, when it has a subject and nothing after it
    but the colon ("17-year-old Jared Potts echoed:", "Trump leaned in and boomed:",
    "Stated Stone:"): it introduces the quotation whatever its lemma."""
    if colon == 0:
        return None
    root = doc[colon - 1].sent.root
    verb = root
    for t in doc[root.i : colon]:  # "leaned in and boomed:": the last conjunct
        if t.dep_ == "conj" and t.head == verb and t.pos_ == "VERB":
            verb = t
    if verb.pos_ != "VERB" or verb.i in used or verb.i >= colon or verb.lemma_ in C.BLOCKED:
        return None
    if any(c.dep_ in {"dobj", "ccomp", "xcomp", "attr"} for c in verb.children):
        return None  # "Kaine has adopted the stance ...:": the object, not the quotation
    if subject_of(verb) is None:
        return None
    return verb


def _fragment_lead(doc: Any, span: Any, verb: Any, quotes: list[Range]) -> int | None:
    """Start of the unquoted words that open a quotation's sentence, when the quotation
    continues them (it opens in lower case: "The new budget may be “a disaster,”
    said X") and they hold no cue or quotation of their own."""
    first = next((t for t in span if t.is_alpha), None)
    if first is None or not first.is_lower:
        return None
    sent = span[0].sent
    lead = [t for t in doc[sent.start : span.start] if not (t.is_punct or t.is_space)]
    if len(lead) < 2 or any(in_ranges(t.idx, quotes) for t in lead):
        return None
    if any(t.pos_ in {"VERB", "AUX"} and t.lemma_ in C.verb_cues() for t in lead):
        return None
    if verb.i < span.start:
        return None
    return int(lead[0].idx)


def _parenthetical_lead(doc: Any, verb: Any, span: Any, quotes: list[Range]) -> int | None:
    """Start of the unquoted words before a parenthetical attribution that a quotation
    goes on from ("The hall was half empty, she added, “but ...”"), else None: the
    attribution sits between commas, the quotation right after it, and the words before
    it hold no quotation and no cue."""
    subj = subject_of(verb)
    if subj is None or subj.i > verb.i:
        return None
    first = min(subj.left_edge.i, verb.i)
    if first < 1 or doc[first - 1].text != ",":
        return None
    if not all(t.is_punct or t.is_space for t in doc[verb.i + 1 : span.start]) or not any(
        t.text == "," for t in doc[verb.i + 1 : span.start]
    ):
        return None
    sent = verb.sent
    lead = [t for t in doc[sent.start : first - 1] if not (t.is_punct or t.is_space)]
    if len(lead) < 2 or any(in_ranges(t.idx, quotes) for t in lead):
        return None
    if any(t.pos_ in {"VERB", "AUX"} and t.lemma_ in C.verb_cues() for t in lead):
        return None
    return int(lead[0].idx)
