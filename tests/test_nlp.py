"""The parsed-Doc fast paths: a frozen TextDoc answers exactly as spaCy's Doc does."""

from __future__ import annotations

import pytest

from rashomon.annotate.nlp import freeze_tokens, load_nlp, text_doc

TEXT = (
    "KERMAN, Iran - Two explosions struck a crowd in Kerman on Wednesday, killing 84 people.\n"
    "Officials in Tehran blamed Israel, which did not comment. The Islamic State group later "
    "claimed the attack."
)


@pytest.fixture(scope="module")
def nlp():  # type: ignore[no-untyped-def]
    return load_nlp()


def test_frozen_doc_matches_spacy(nlp) -> None:  # type: ignore[no-untyped-def]
    plain = nlp(TEXT)
    doc = nlp(text_doc(nlp, TEXT))
    freeze_tokens(doc)
    assert [t.text for t in doc] == [t.text for t in plain]
    assert [(t.i, t.head.i, t.dep_) for t in doc] == [(t.i, t.head.i, t.dep_) for t in plain]
    assert [(e.start, e.end, e.label_) for e in doc.ents] == [(e.start, e.end, e.label_) for e in plain.ents]
    assert [(s.start, s.end) for s in doc.sents] == [(s.start, s.end) for s in plain.sents]
    assert [(s.start, s.end) for s in doc.sents] == [(s.start, s.end) for s in doc.sents]  # re-iterable
    assert doc[-1].text == plain[-1].text and doc[2:5].text == plain[2:5].text
    with pytest.raises(IndexError):
        doc[len(doc)]


def test_frozen_doc_reuses_tokens(nlp) -> None:  # type: ignore[no-untyped-def]
    doc = nlp(text_doc(nlp, TEXT))
    assert doc[3] is not doc[3]  # spaCy builds a new Token per access
    freeze_tokens(doc)
    assert doc[3] is doc[3]
    assert doc[4].head is doc[doc[4].head.i]
    assert list(doc)[5] is doc[5]
    with pytest.raises(RuntimeError):
        doc.ents = ()


def test_freeze_is_a_no_op_on_plain_docs(nlp) -> None:  # type: ignore[no-untyped-def]
    doc = nlp(TEXT)
    freeze_tokens(doc)
    assert doc[3] is not doc[3]


def test_every_line_starts_a_sentence(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "By Jane Roe\nKERMAN, Iran\n\nTwo blasts hit the crowd, officials said \nAnother line\n"
    doc = nlp(text_doc(nlp, text))
    # the rule the component implements, token by token
    expected = {t.i + 1 for t in doc[:-1] if "\n" in t.text or "\n" in t.whitespace_}
    assert expected and all(doc[i].is_sent_start for i in expected)
    for s in doc.sents:
        assert "\n" not in s.text.strip("\n ")
