"""Claims: who says what, from a parsed spaCy ``Doc``.

Rule set ``rashomon.claims.v1``. Passes, in order (a later pass never reuses a cue token
an earlier pass took):

1. colon transcripts (``PENCE: ...``, headline ``Pence: ...``);
2. direct quotations, curly or straight, split around the attribution or running over
   paragraphs; the speaker is found by the nearest reporting verb outside the quotes;
3. reporting, belief, intention, denial and accusation verbs with a clause or object
   (``X said that``, ``X dismissed all allegations``, ``X accused Y of``,
   ``X took the responsibility for``), ``according to X``, ``in a poll``;
4. nominal cues (``allegations of``, ``the view that``, ``questions about``);
5. article-voice blame (``Daesh is only a cover for the Zionist entity``).

The dependency-rule approach follows the PARC/PolNeAR baselines (Pareti 2016; Newell,
Margolin and Ruths 2018): cue = reporting predicate, source = its subject, content = its
clausal complement or the quotation it introduces.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from rashomon.extract import cues as C
from rashomon.model import Claim, ClaimKind, Span, SpeakerType

RULESET = "rashomon.claims.v1"

Range = tuple[int, int]

_QUOTE_OPEN = "“"
_QUOTE_CLOSE = "”"
_SPEAKER_LINE = re.compile(
    r"^[ \t]*(?P<name>[A-Z][A-Z.'’\- ]{1,40}[A-Z.]|[A-Z][\w.'’\-]+(?: [A-Z][\w.'’\-]+){0,3})"
    r"(?P<colon>:)[ \t]+(?P<rest>\S.*)$",
    re.MULTILINE,
)
_CONTENT_DEPS = {"ccomp", "xcomp"}
_OBJ_DEPS = {"dobj", "obj"}
_SUBJ_DEPS = {"nsubj", "nsubjpass", "csubj"}
_CUE_AUX = {"aux", "auxpass", "neg"}
_CLAUSE_DEPS = {"ROOT", "ccomp", "conj", "advcl", "relcl", "parataxis"}


@dataclass
class _Found:
    """One claim before it becomes a :class:`Claim` (character ranges)."""

    cue: Range | None
    cue_text: str
    content: Range
    kind: ClaimKind = "statement"
    source: Range | None = None
    speaker_type: SpeakerType = "actor"
    target: Range | None = None
    hedge: str | None = None
    quoted: bool = False
    cue_tokens: set[int] = field(default_factory=set)


# ---------------------------------------------------------------- helpers


def _trim(doc: Any, start: int, end: int) -> Range | None:
    """Token range -> char range without edge punctuation/spaces; None when empty."""
    while start < end and (
        (doc[start].is_punct and doc[start].text not in "“\"'‘(") or doc[start].is_space
    ):
        start += 1
    while end > start and (
        doc[end - 1].is_space
        or (doc[end - 1].is_punct and doc[end - 1].text not in "”\"'’)")
        or doc[end - 1].dep_ == "cc"
    ):
        end -= 1
    if start >= end:
        return None
    return doc[start].idx, doc[end - 1].idx + len(doc[end - 1].text)


def _subtree_range(tok: Any, skip: set[int] | None = None) -> tuple[int, int]:
    """Token range of ``tok``'s subtree, optionally excluding child subtrees at its edges."""
    idx = sorted(t.i for t in tok.subtree if not skip or t.i not in skip)
    return idx[0], idx[-1] + 1


def _np_range(doc: Any, head: Any) -> Range | None:
    """The speaker/target noun phrase: subtree of ``head`` minus parentheticals after it."""
    start, end = _subtree_range(head)
    while start < head.i and doc[start].dep_ in {"advmod", "cc", "preconj"}:
        start += 1  # "Even US Defense Secretary Lloyd Austin" -> the NP itself
    for t in doc[head.i + 1 : end]:
        if t.text in "([" or t.dep_ == "relcl":
            end = t.i
            break
    return _trim(doc, start, end)


def _in_ranges(pos: int, ranges: list[Range]) -> bool:
    return any(a <= pos < b for a, b in ranges)


def _speaker_type(doc: Any, head: Any) -> SpeakerType:
    """'unnamed' for "sources", "officials", "Iranian sources"; else 'actor'."""
    if head.lemma_.lower() in C.UNNAMED_HEADS and head.pos_ != "PROPN":
        start, end = _subtree_range(head)
        named = [t for t in doc[start:end] if t.pos_ == "PROPN" and t.ent_type_ not in {"NORP", ""}]
        if not named:
            return "unnamed"
    return "actor"


def _subject(verb: Any) -> Any | None:
    """The verb's subject, inherited through conjunction, xcomp and participles."""
    seen = 0
    tok = verb
    while tok is not None and seen < 4:
        for child in tok.children:
            if child.dep_ in _SUBJ_DEPS:
                return child
        if tok.dep_ in {"conj", "xcomp", "advcl", "acl"} and tok.head is not tok:
            if tok.dep_ == "acl" and tok.head.pos_ in {"NOUN", "PROPN", "PRON"}:
                return tok.head
            tok = tok.head
            seen += 1
            continue
        break
    # agent of a passive ("was quoted by X") is not a source here; subjects only
    return None


def _cue_range(doc: Any, verb: Any) -> tuple[int, int]:
    """Token range of the cue: the verb with its auxiliaries, negation and particle."""
    start, end = verb.i, verb.i + 1
    left = {c.i for c in verb.children if c.dep_ in _CUE_AUX or c.dep_ == "advmod"}
    while start - 1 in left:
        start -= 1
    while start < verb.i and doc[start].dep_ == "advmod":
        start += 1  # auxiliaries and negation, not a leading adverb
    for child in verb.children:
        if child.dep_ == "prt" and child.i == end:
            end = child.i + 1
    if verb.lemma_ == "quote":
        for child in verb.children:
            if child.dep_ in {"advcl", "xcomp", "prep"} and child.i > verb.i:
                last = max(child.i, *(c.i for c in child.children if c.lemma_ == "say"), 0)
                end = max(end, last + 1)
    return start, end


def _hedge(doc: Any, cue_lemma: str, lo: int, hi: int, cue_text: str) -> str | None:
    if cue_lemma in C.HEDGE_CUES:
        return cue_text
    for t in doc[lo:hi]:
        low = t.lower_
        if low in C.HEDGE_WORDS and (t.pos_ in {"ADV", "AUX", "ADJ"} or t.tag_ == "MD"):
            return low
    return None


def _perpetrator(doc: Any, content_tok: Any) -> Range | None:
    """Blamed party inside a content clause: agent of a passive or subject of a blame verb."""
    for tok in content_tok.subtree:
        if tok.dep_ == "agent" and tok.head.lemma_ in C.PERPETRATION:
            for child in tok.children:
                if child.dep_ == "pobj":
                    return _np_range(doc, child)
        if tok.lemma_ in C.PERPETRATION and tok.pos_ == "VERB":
            for child in tok.children:
                if child.dep_ == "nsubj":
                    return _np_range(doc, child)
        if tok.lemma_ == "behind" and tok.head.lemma_ == "be":
            for child in tok.head.children:
                if child.dep_ == "nsubj":
                    return _np_range(doc, child)
    return None


def _kind(lemma: str, has_content_clause: bool) -> ClaimKind:
    if lemma in C.DENIAL:
        return "denial"
    if lemma in C.ACCUSATION:
        return "accusation"
    if lemma in C.BELIEF or lemma in C.HEDGE_CUES:
        return "assessment"
    return "statement"


# ---------------------------------------------------------------- quotes


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
        i += 1
    return out


# ---------------------------------------------------------------- passes


def _transcripts(doc: Any, used: set[int]) -> list[_Found]:
    text = doc.text
    lines = list(_SPEAKER_LINE.finditer(text))
    found: list[_Found] = []
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
        if tok is not None:
            used.update(t.i for t in tok)
        found.append(
            _Found(
                cue=(colon, colon + 1),
                cue_text=":",
                content=(m.start("rest"), content_end),
                source=src,
                quoted=True,
            )
        )
    return found


def _quote_claims(doc: Any, quotes: list[Range], used: set[int]) -> list[_Found]:
    """Direct quotations: attach each quote to the nearest reporting verb outside quotes."""
    found: list[_Found] = []
    prev: _Found | None = None
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
        if n_alpha == 0 or (short and doc.text[qe - 2 : qe - 1] not in {",", "?", "!"}):
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
                if _in_ranges(t.idx, quotes) or i in used:
                    continue
                if (
                    t.pos_ in {"VERB", "AUX"}
                    and (t.lemma_ in C.SPEECH or t.lemma_ in C.BELIEF or t.lemma_ in extra)
                    and t.lemma_ not in C.BLOCKED
                ):
                    return t
            return None

        after = cue_at(range(span.end, min(sent_hi, span.end + 30)))
        before = None
        if after is None and not short:
            before = cue_at(range(span.start - 1, max(sent_lo, span.start - 25) - 1, -1))
            lead = doc.text[max(0, qs - 3) : qs]
            if (before is None and span.start > 0 and ":" in lead) or (
                before is None and "\n" in lead and doc.text[:qs].rstrip().endswith(":")
            ):
                # "X wrote:" / "Cruz continued:" closing the previous sentence or paragraph
                prev_sent = doc[max(0, span.start - 1)].sent
                if prev_sent.start < span.start:
                    before = cue_at(range(prev_sent.end - 1, prev_sent.start - 1, -1))
        if (
            after is None
            and before is None
            and not short
            and sent_hi < nxt_hi
            and (qe >= doc[sent_hi - 1].idx)
        ):
            after = cue_at(range(sent_hi, min(nxt_hi, sent_hi + 6)))
        verb = after or before
        content_start, content_end = qs, qe
        quoted = True
        if verb is not None and after is not None:
            # split quote: “...,” X said, “...” / “...,” X said. “...”
            tail = [q for q in quotes if q[0] > qe and q[0] - doc[verb.i].idx < 120]
            if tail:
                gap = doc.text[qe : tail[0][0]]
                if "\n" not in gap and re.fullmatch(r"[^“”\"]*[,.:;]\s*", gap):
                    tspan = doc.char_span(tail[0][0], tail[0][1], alignment_mode="expand")
                    t_hi = doc[tspan.end - 1].sent.end if tspan is not None else 0
                    own = tspan is not None and cue_at(range(tspan.end, min(t_hi, tspan.end + 8)))
                    if not own:
                        content_end = tail[0][1]
        if before is not None:
            # "X admitted that the army is “sinking into the mud”": indirect speech with
            # an embedded quote; the content is the whole clause
            # ("says Cruz will “leave here”", "called the senator “the next Washington”")
            tok_rng, _head = _content_of(doc, before)
            if tok_rng is not None and tok_rng[0] > before.i:
                rng = _trim(doc, *tok_rng)
                if rng and rng[0] < qs - 2 and rng[1] >= qe - 2:
                    content_start, content_end = rng[0], max(rng[1], qe)
                    quoted = False
        lead_text = doc.text[max(0, qs - 4) : qs].rstrip()
        if verb is None and lead_text.endswith(":") and not short:
            # "... in Obama's word: “...”": the colon is the cue, no named source
            colon = doc.text.rfind(":", 0, qs)
            found.append(
                _Found(
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
            if prev is not None and prev.quoted and "\n" in doc.text[prev.content[1] : qs]:
                between = doc.text[prev.content[1] : qs].strip()
                if not between:
                    prev.content = (prev.content[0], qe)
                    last_end = qe
            continue
        used.add(verb.i)
        subj = _subject(verb)
        source = _np_range(doc, subj) if subj is not None else None
        cs, ce = _cue_range(doc, verb)
        used.update(range(cs, ce))
        cue = _trim(doc, cs, ce)
        f = _Found(
            cue=cue,
            cue_text=verb.lemma_,
            content=(content_start, content_end),
            kind=_kind(verb.lemma_, True),
            source=source,
            speaker_type=_speaker_type(doc, subj) if subj is not None else "unnamed",
            quoted=quoted,
            hedge=_hedge(doc, verb.lemma_, span.start, span.end, doc[verb.i].text),
        )
        f.cue_tokens.update(range(cs, ce))
        found.append(f)
        prev = f
        last_end = content_end
    return found


def _content_of(doc: Any, verb: Any) -> tuple[tuple[int, int] | None, Any | None]:
    """Token range of a cue verb's content and the token heading it."""
    lemma = verb.lemma_
    clause = [c for c in verb.children if c.dep_ in _CONTENT_DEPS]
    objs = [c for c in verb.children if c.dep_ in _OBJ_DEPS]
    if lemma in C.RESPONSIBILITY_VERBS:
        for o in objs:
            if o.lemma_ in C.RESPONSIBILITY_NOUNS:
                return _subtree_range(o), o
    if clause:
        marked = [c for c in clause if any(g.dep_ == "mark" for g in c.children)]
        after = [c for c in clause if c.i > verb.i]
        c = (marked or after or clause)[0]
        if c.dep_ == "xcomp" and objs and objs[0].i < c.i:
            # "urged him to resign", "asked a woman to smile"
            return (_subtree_range(objs[0])[0], _subtree_range(c)[1]), c
        if c.dep_ == "xcomp" and verb.tag_ == "VBN":
            # "Osman is believed to have been on the flight"
            subj = [s for s in verb.children if s.dep_ == "nsubjpass"]
            if subj:
                return (_subtree_range(subj[0])[0], _subtree_range(c)[1]), c
        if c.dep_ == "xcomp" and not (
            lemma in C.INTENTION or lemma in C.BELIEF or lemma in C.SPEECH
        ):
            return None, None
        return _subtree_range(c), c
    for c in verb.children:  # "asked the contender if he had prepared"
        if (
            c.dep_ == "advcl"
            and c.i > verb.i
            and any(g.dep_ == "mark" and g.lower_ in {"if", "whether"} for g in c.children)
        ):
            return _subtree_range(c), c
    if objs:
        o = objs[0]
        lo, hi = _subtree_range(o)
        # "accused Y of Z", "blamed Y for Z", "called X a Y", "held Y responsible"
        for c in verb.children:
            if c.i > o.i and (
                (c.dep_ == "prep" and c.lower_ in {"of", "for", "over"}) or c.dep_ in {"oprd"}
            ):
                hi = max(hi, _subtree_range(c)[1])
        return (lo, hi), o
    for c in verb.children:  # "calling for the US to step up"
        if (
            c.dep_ == "advcl"
            and c.i > verb.i
            and any(
                g.dep_ == "mark" and g.lower_ == "for" and g.i == verb.i + 1 for g in c.children
            )
        ):
            return (verb.i + 2, _subtree_range(c)[1]), c
    for c in verb.children:  # "pushed for X", "argued against X"
        if c.dep_ == "prep" and c.i == verb.i + 1 and c.lower_ in {"for", "against", "about", "on"}:
            pobj = [g for g in c.children if g.dep_ in {"pobj", "pcomp"}]
            if pobj:
                return _subtree_range(pobj[0]), pobj[0]
    as_clause = verb.dep_ == "advcl" and any(
        c.dep_ == "mark" and c.lower_ == "as" for c in verb.children
    )
    if (verb.dep_ in {"parataxis", "ccomp"} or as_clause) and verb.head.pos_ in {"VERB", "AUX"}:
        # inverted: "The plan, he said, will fail."
        head = verb.head
        skip = {t.i for t in verb.subtree}
        lo, hi = _subtree_range(head, skip)
        if as_clause and verb.i < head.i:
            # "As Arouri mentioned in a speech, death ... fail": the clause after the comma
            comma = next((t.i for t in doc[verb.i : head.i] if t.text == ","), None)
            if comma is not None:
                lo = comma + 1
        return (lo, hi), head
    return None, None


def _drop_appended_relcl(doc: Any, head: Any, rng: tuple[int, int]) -> tuple[int, int]:
    """Cut a trailing non-restrictive relative clause (", which ...") off a content range."""
    lo, hi = rng
    for t in doc[lo:hi]:
        if t.dep_ in C.ASIDE_DEPS and t.i > head.i:
            r_lo, r_hi = _subtree_range(t)
            if r_hi == hi and r_lo > lo + 1 and doc[r_lo - 1].text == ",":
                return lo, r_lo - 1
    return lo, hi


def _raising_claims(doc: Any, quotes: list[Range], used: set[int]) -> list[_Found]:
    """Source-less "X appeared poised to win", "the race seemed to be his to lose"."""
    found: list[_Found] = []
    for tok in doc:
        if tok.lemma_ not in C.RAISING or tok.i in used or _in_ranges(tok.idx, quotes):
            continue
        subj = next((c for c in tok.children if c.dep_ == "nsubj"), None)
        comp = next((c for c in tok.children if c.dep_ in {"xcomp", "acomp"} and c.i > tok.i), None)
        if subj is None or comp is None or subj.lower_ in {"it", "there"}:
            continue
        content = _trim(doc, _subtree_range(subj)[0], _subtree_range(comp)[1])
        cue = _trim(doc, *_cue_range(doc, tok))
        if content is None or cue is None:
            continue
        used.add(tok.i)
        found.append(
            _Found(
                cue=cue,
                cue_text=tok.lemma_,
                content=content,
                kind="assessment",
                speaker_type="unnamed",
                hedge=tok.lower_,
            )
        )
    return found


def _extend_tail(doc: Any, verb: Any, rng: tuple[int, int]) -> tuple[int, int]:
    """Content after its cue runs on to the end of the cue's clause.

    PolNeAR contents keep the trailing modifiers the parser hangs on the cue verb ("she
    said the deal was ''a betrayal'' in the way the US responds"), so extend to the end
    of the verb's subtree unless another cue or an "according to" sits in the tail.
    """
    lo, hi = rng
    if lo <= verb.i:
        return rng
    end = _subtree_range(verb)[1]
    end = min(end, verb.sent.end)
    if end <= hi:
        return rng
    verbs = C.verb_cues()
    comma = next((t.i for t in doc[hi:end] if t.text in {",", ";", "—", "–"}), None)
    if comma is not None:
        end = comma  # ", an oil-and-gas extraction method ..." is an aside, not content
    for t in doc[hi:end]:
        if t.lower_ == "according" or (t.pos_ == "VERB" and t.lemma_ in verbs) or t.text in '“"':
            return rng
    return lo, end


def _adj_claims(doc: Any, quotes: list[Range], used: set[int]) -> list[_Found]:
    """ "X is confident that ...", "X is not interested in ...", "it is clear that ..."."""
    found: list[_Found] = []
    for adj in doc:
        lemma = adj.lemma_.lower()
        if adj.dep_ != "acomp" or adj.head.lemma_ not in {"be", "seem", "appear", "remain"}:
            continue
        if lemma not in C.EXPERIENCER_ADJ and lemma not in C.EVIDENTIAL_ADJ:
            continue
        if adj.i in used or _in_ranges(adj.idx, quotes):
            continue
        cop = adj.head
        subj = next((c for c in cop.children if c.dep_ in {"nsubj", "expl"}), None)
        comp = next(
            (c for c in [*adj.children, *cop.children] if c.dep_ in {"ccomp", "xcomp"}), None
        )
        prep_obj = None
        for c in adj.children:
            if c.dep_ == "prep" and c.i > adj.i:
                prep_obj = next((g for g in c.children if g.dep_ in {"pobj", "pcomp"}), None)
                cue_end = c.i + 1
                break
        else:
            cue_end = adj.i + 1
        source = None
        stype: SpeakerType = "unnamed"
        if lemma in C.EXPERIENCER_ADJ:
            if subj is None or subj.dep_ == "expl":
                continue
            target_tok = comp or prep_obj
            if target_tok is None:
                continue
            lo, hi = _subtree_range(target_tok)
            if comp is not None and comp.dep_ == "xcomp":
                cue_end = adj.i + 1
            source, stype = _np_range(doc, subj), _speaker_type(doc, subj)
        else:
            if comp is not None:
                lo, hi = _subtree_range(comp)
            elif subj is not None and subj.dep_ == "nsubj" and subj.pos_ != "PRON":
                lo, hi = _subtree_range(subj)
            else:
                continue
            cue_end = adj.i + 1
        content = _trim(doc, lo, hi)
        cs = min(
            (c.i for c in cop.children if c.dep_ in {"aux", "neg"} and c.i < cop.i), default=cop.i
        )
        cue = _trim(doc, min(cs, adj.i), cue_end)
        if content is None or cue is None:
            continue
        used.update(range(min(cs, adj.i), cue_end))
        found.append(
            _Found(
                cue=cue,
                cue_text=lemma,
                content=content,
                kind="assessment",
                source=source,
                speaker_type=stype,
                hedge=lemma if lemma in C.HEDGE_WORDS else None,
            )
        )
    return found


def _verb_claims(doc: Any, quotes: list[Range], used: set[int]) -> list[_Found]:
    found: list[_Found] = []
    verbs = C.verb_cues()
    for tok in doc:
        if tok.i in used or tok.pos_ not in {"VERB", "AUX"}:
            continue
        if tok.lemma_ not in verbs and not (
            tok.lemma_ in C.RESPONSIBILITY_VERBS
            and any(c.lemma_ in C.RESPONSIBILITY_NOUNS for c in tok.children)
        ):
            continue
        if _in_ranges(tok.idx, quotes):
            continue
        lemma = tok.lemma_
        if tok.dep_ in {"amod", "acl"} and lemma not in C.SPEECH:
            continue
        subj = _subject(tok)
        if (
            lemma in C.EVIDENCE_VERBS
            and lemma not in C.SPEECH
            and lemma != "show"
            and (subj is None or subj.lemma_.lower() not in C.EVIDENCE_SUBJECTS)
            and not any(c.dep_ == "ccomp" for c in tok.children)
        ):
            continue
        rng, head = _content_of(doc, tok)
        if rng is None or head is None:
            continue
        if lemma not in C.SPEECH and subj is None:
            continue
        rng = _extend_tail(doc, tok, rng)
        rng = _drop_appended_relcl(doc, head, rng)
        content = _trim(doc, *rng)
        if content is None or content[1] - content[0] < 2:
            continue
        cs, ce = _cue_range(doc, tok)
        cue = _trim(doc, cs, ce)
        kind = _kind(lemma, True)
        if head.dep_ == "pobj":  # "called for X", "pushed for X": an appeal, not a judgement
            kind = "statement"
        target = None
        if lemma in C.RESPONSIBILITY_VERBS and head.lemma_ in C.RESPONSIBILITY_NOUNS:
            kind = "responsibility_claim"
            ce2 = _subtree_range(head)[1]
            # cue covers "took the responsibility"; content is what it was taken for
            fors = [c for c in head.children if c.dep_ == "prep" and c.lower_ == "for"]
            cue = _trim(doc, cs, (fors[0].i if fors else ce2))
            if fors:
                hi = _subtree_range(fors[0])[1]
                for c in tok.children:  # "for the organization and carrying out the act"
                    if c.dep_ == "conj" and c.i > hi - 1 and c.i - hi <= 2:
                        hi = _subtree_range(c)[1]
                content = _trim(doc, fors[0].i + 1, hi) or content
        elif lemma in C.ACCUSATION and head.dep_ in _OBJ_DEPS:
            target = _np_range(doc, head)
        elif lemma == "hold" and any(c.lower_ == "responsible" for c in tok.children):
            kind = "accusation"
            target = _np_range(doc, head)
        elif kind in {"assessment", "statement"}:
            target = _perpetrator(doc, head)
            if target is not None and kind == "statement" and lemma in C.BELIEF:
                kind = "assessment"
        source = _np_range(doc, subj) if subj is not None else None
        hedge = _hedge(doc, lemma, rng[0], rng[1], tok.text)
        # "it is believed that": hedged, no speaker
        if subj is not None and subj.lower_ == "it" and tok.tag_ == "VBN":
            source = None
            if lemma in C.HEDGE_CUES:
                hedge = f"it is {tok.text}"
        stype: SpeakerType = "unnamed" if subj is None else _speaker_type(doc, subj)
        if source is None:
            stype = "unnamed"
        used.update(range(cs, ce))
        f = _Found(
            cue=cue,
            cue_text=lemma,
            content=content,
            kind=kind,
            source=source,
            speaker_type=stype,
            target=target,
            hedge=hedge,
            quoted=False,
        )
        f.cue_tokens.update(range(cs, ce))
        found.append(f)
    return found


def _prep_claims(doc: Any, used: set[int]) -> list[_Found]:
    """ "according to X ...", "in a poll ..."."""
    found: list[_Found] = []
    for tok in doc:
        if tok.i in used:
            continue
        src_tok = None
        cue_lo, cue_hi = tok.i, tok.i + 1
        if tok.lower_ == "according" and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "to":
            to = doc[tok.i + 1]
            pobj = [c for c in to.children if c.dep_ == "pobj"] or [
                c for c in tok.children if c.dep_ == "pobj"
            ]
            if not pobj:
                continue
            src_tok = pobj[0]
            cue_hi = tok.i + 2
            prep_root = tok
        elif tok.lower_ in {"in", "by"} and tok.dep_ == "prep":
            pobj = [c for c in tok.children if c.dep_ == "pobj"]
            if not pobj or pobj[0].lemma_.lower() not in {"poll", "survey"}:
                continue
            src_tok = pobj[0]
            prep_root = tok
        else:
            continue
        head = prep_root.head
        while head.dep_ not in _CLAUSE_DEPS and head.head is not head:
            head = head.head
        skip = {t.i for t in prep_root.subtree}
        sent = tok.sent
        if head.i in skip:
            lo, hi = sent.start, sent.end
        else:
            lo, hi = _subtree_range(head, skip)
        lo, hi = max(lo, sent.start), min(hi, sent.end)
        # the clause on the far side of the prepositional phrase
        if prep_root.i < lo or prep_root.i >= hi:
            pass
        elif prep_root.i - lo < hi - max(skip) - 1:
            lo = max(skip) + 1
        else:
            hi = min(skip)
        opens = [t.i for t in doc[sent.start : prep_root.i] if t.text in "()"]
        if opens and doc[opens[-1]].text == "(":
            # "(according to official sources, the president had postponed ...)"
            close = next((t.i for t in doc[prep_root.i : sent.end] if t.text == ")"), sent.end)
            lo, hi = max(skip) + 1, close
        content = _trim(doc, lo, hi)
        if content is None:
            continue
        used.update(range(cue_lo, cue_hi))
        source = _np_range(doc, src_tok)
        found.append(
            _Found(
                cue=_trim(doc, cue_lo, cue_hi),
                cue_text=doc[cue_lo:cue_hi].text.lower(),
                content=content,
                source=source,
                speaker_type=_speaker_type(doc, src_tok),
                hedge=_hedge(doc, "", lo, hi, ""),
            )
        )
    return found


def _noun_claims(doc: Any, quotes: list[Range], used: set[int]) -> list[_Found]:
    """ "allegations of X", "the view that X", "questions about X", "his call to X"."""
    found: list[_Found] = []
    for tok in doc:
        if tok.i in used or tok.pos_ != "NOUN" or tok.lemma_.lower() not in C.NOUNS:
            continue
        if _in_ranges(tok.idx, quotes):
            continue
        content_tok = None
        cue_hi = tok.i + 1
        for c in tok.children:
            if c.i < tok.i:
                continue
            if c.dep_ in {"acl", "ccomp", "relcl"} and any(
                g.lower_ == "that" and g.dep_ == "mark" for g in c.children
            ):
                content_tok = c
                break
            if c.dep_ == "acl" and any(g.dep_ == "aux" and g.lower_ == "to" for g in c.children):
                content_tok = c
                break
            if (
                c.dep_ == "prep"
                and c.lower_ in {"of", "about", "that", "over"}
                and c.i == tok.i + 1
            ):
                pobj = [g for g in c.children if g.dep_ in {"pobj", "pcomp"}]
                if pobj:
                    content_tok = pobj[0]
                    cue_hi = c.i + 1
                    break
        if content_tok is None:
            continue
        content = _trim(doc, *_subtree_range(content_tok))
        if content is None:
            continue
        src = None
        stype: SpeakerType = "unnamed"
        for c in tok.children:
            if c.dep_ == "poss":
                src = _np_range(doc, c)
                stype = "actor"
        if src is None and tok.dep_ in _OBJ_DEPS and tok.head.lemma_ in C.LIGHT_VERBS:
            # "X shares the view that", "X made these allegations"
            subj = _subject(tok.head)
            if subj is not None:
                src, stype = _np_range(doc, subj), _speaker_type(doc, subj)
        kind: ClaimKind = "statement"
        if tok.lemma_.lower() in {"allegation", "accusation", "charge", "criticism"}:
            kind = "accusation"
        elif tok.lemma_.lower() in {"denial"}:
            kind = "denial"
        elif tok.lemma_.lower() in {"view", "belief", "opinion", "assessment", "suspicion"}:
            kind = "assessment"
        used.add(tok.i)
        found.append(
            _Found(
                cue=_trim(doc, tok.i, cue_hi),
                cue_text=tok.lemma_.lower(),
                content=content,
                kind=kind,
                source=src,
                speaker_type=stype,
            )
        )
    return found


def _article_blame(doc: Any, used: set[int]) -> list[_Found]:
    """Article-voice blame: "X is (only) a cover for Y" -> accusation with target Y."""
    found: list[_Found] = []
    for tok in doc:
        if tok.lemma_.lower() not in C.BLAME_NOUNS or tok.dep_ != "attr" or tok.i in used:
            continue
        cop = tok.head
        if cop.lemma_ != "be":
            continue
        preps = [c for c in tok.children if c.dep_ == "prep" and c.lower_ in {"for", "of"}]
        pobj = [g for p in preps for g in p.children if g.dep_ == "pobj"]
        if not pobj:
            continue
        sent = tok.sent
        content = _trim(doc, sent.start, sent.end)
        if content is None:
            continue
        found.append(
            _Found(
                cue=_trim(doc, tok.i, tok.i + 1),
                cue_text=tok.lemma_.lower(),
                content=content,
                kind="accusation",
                speaker_type="article",
                target=_np_range(doc, pobj[0]),
            )
        )
    return found


# ---------------------------------------------------------------- API


def _find(doc: Any) -> list[_Found]:
    quotes = find_quotes(doc.text)
    used: set[int] = set()
    found = _transcripts(doc, used)
    found += _quote_claims(doc, quotes, used)
    found += _prep_claims(doc, used)
    found += _verb_claims(doc, quotes, used)
    found += _adj_claims(doc, quotes, used)
    found += _raising_claims(doc, quotes, used)
    found += _noun_claims(doc, quotes, used)
    found += _article_blame(doc, used)
    found.sort(key=lambda f: (f.content[0], f.cue[0] if f.cue else 0))
    return found


def extract_claims_with_targets(doc: Any, article_id: str) -> tuple[list[Claim], dict[str, Span]]:
    """Claims of one parsed article, and the target span of each claim that has one."""
    text = doc.text
    claims: list[Claim] = []
    targets: dict[str, Span] = {}
    for n, f in enumerate(_find(doc), start=1):
        cid = f"{article_id}:c{n}"
        speaker = Span(article_id, *f.source) if f.source else None
        if f.speaker_type == "article":
            name = "the article"
        else:
            name = text[f.source[0] : f.source[1]] if f.source else ""
        target_name = text[f.target[0] : f.target[1]] if f.target else None
        claims.append(
            Claim(
                id=cid,
                article_id=article_id,
                speaker_type=f.speaker_type,
                kind=f.kind,
                content=Span(article_id, *f.content),
                speaker=speaker,
                speaker_name=name,
                cue=f.cue_text,
                cue_span=Span(article_id, *f.cue) if f.cue else None,
                target_name=target_name,
                hedged=f.hedge is not None,
                hedge=f.hedge,
                quoted=f.quoted,
            )
        )
        if f.target:
            targets[cid] = Span(article_id, *f.target)
    return claims, targets


def extract_claims(doc: Any, article_id: str) -> list[Claim]:
    """Claims (who says what) in one parsed article; ids ``{article_id}:c{n}``.

    >>> from rashomon.annotate.nlp import load_nlp  # doctest: +SKIP
    >>> [c.speaker_name for c in extract_claims(load_nlp()("Israel denied it."), "a")]  # doctest: +SKIP
    ['Israel']
    """
    return extract_claims_with_targets(doc, article_id)[0]
