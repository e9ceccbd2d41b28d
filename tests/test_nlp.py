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


def test_pieces_join_back_and_cut_at_line_breaks() -> None:
    from rashomon.annotate.nlp import pieces

    text = (TEXT + "\n") * 12
    parts = pieces(text, 400)
    assert "".join(parts) == text and all(len(p) <= 400 for p in parts)
    assert all(p.endswith("\n") for p in parts[:-1])
    one_line = "Police said nine people were hurt. " * 40  # no line break: at a sentence end
    parts = pieces(one_line, 300)
    assert "".join(parts) == one_line and all(p.endswith(". ") for p in parts[:-1])
    assert pieces("x" * 50, 20) == ["x" * 20, "x" * 20, "x" * 10]
    assert pieces("short", 20) == ["short"]


def test_a_long_text_parsed_in_pieces_is_one_text_doc(nlp) -> None:  # type: ignore[no-untyped-def]
    from rashomon.annotate.nlp import parse_long

    text = "\n".join(f"{TEXT} Paragraph {i} adds that {i + 2} people were wounded." for i in range(30))
    whole = nlp(text_doc(nlp, text))
    doc = parse_long(nlp, text, 2000)
    assert type(doc) is type(whole) and doc.text == text and len(doc) == len(whole)
    assert [(s.start, s.end) for s in doc.sents] == [(s.start, s.end) for s in whole.sents]
    same = sum(a.dep_ == b.dep_ and a.head.i == b.head.i for a, b in zip(doc, whole, strict=True))
    assert same / len(doc) > 0.98
    assert {e.text for e in doc.ents} >= {"Kerman", "Tehran", "Israel"}
    freeze_tokens(doc)
    assert doc[3] is doc[3]


def test_parse_groups_bound_characters_and_articles() -> None:
    from rashomon.extract import parse_groups
    from rashomon.model import Article

    arts = [Article(text="a" * n) for n in (100, 100, 100, 500, 50, 50)]
    groups = [[len(a.text) for a in g] for g in parse_groups(arts, batch_size=2, max_chars=250)]
    assert groups == [[100, 100], [100], [500], [50, 50]]


def _made_up_words(k: int) -> str:
    # words no vocabulary holds, so each text adds strings and lexemes of its own
    return " ".join(f"Zorblat{k}x{i}ville" for i in range(30))


def test_analysis_does_not_grow_the_string_store(nlp) -> None:  # type: ignore[no-untyped-def]
    """Each parse chunk runs in a spaCy memory zone: a stream of new words leaves the
    string store as it was, and the rows are those of a run without zones."""
    from contextlib import nullcontext

    import rashomon.extract as ex
    from rashomon.model import Article

    def articles(n: int) -> list[Article]:
        return [Article(text=f"{TEXT}\nResidents of {_made_up_words(k)} said 3 people were hurt while snorfleting{k}ing.",
                        published="2024-01-04", language="en", outlet="test") for k in range(n)]

    list(ex.analyze_articles(articles(1), nlp, batch_size=2, framing=False))  # lazy loads done
    before = len(nlp.vocab.strings)
    zoned = list(ex.analyze_articles(articles(6), nlp, batch_size=2, framing=False))
    assert len(nlp.vocab.strings) == before
    assert all(r["status"] == "analyzed" for r in zoned)
    saved = ex.memory_zone
    try:
        ex.memory_zone = lambda _nlp: nullcontext()  # type: ignore[assignment]
        plain = list(ex.analyze_articles(articles(6), nlp, batch_size=2, framing=False))
    finally:
        ex.memory_zone = saved
    assert len(nlp.vocab.strings) > before  # without zones the new words stay
    assert zoned == plain


def test_cached_lemmas_outlive_a_memory_zone(nlp) -> None:  # type: ignore[no-untyped-def]
    from rashomon.annotate.nlp import memory_zone

    text = "The bombers were snorfleting the maps."  # its lemma, "snorflete", is in no vocabulary
    with memory_zone(nlp):
        first = [t.lemma_ for t in nlp(text)]
    with memory_zone(nlp):  # the lemmatizer's cache now answers for these tokens
        again = [t.lemma_ for t in nlp(text)]
    assert again == first and "snorflete" in again


def test_a_worker_keeps_one_rotating_zone_across_tasks(nlp, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A forked worker's tasks share one memory zone, renewed every ZONE_ARTICLES
    articles: what the earlier tasks added is freed at the renewal, rows unchanged."""
    import rashomon.extract as ex
    from rashomon.model import Article
    from rashomon.scale import _work_articles

    def task(k: int) -> list[Article]:
        return [Article(text=f"{TEXT}\nResidents of {_made_up_words(k)} said 3 people were hurt.",
                        published="2024-01-04", language="en", outlet="test")]

    before = len(nlp.vocab.strings)
    monkeypatch.setattr(ex, "ZONE_ARTICLES", 2)
    monkeypatch.setattr(ex, "_WORKER_ZONE", [None, 2])
    try:
        rows = [_work_articles(task(k), framing=False) for k in range(100, 104)]
        assert ex._WORKER_ZONE[1] == 2  # renewed after the second task
        ex._WORKER_ZONE[0].close()
        assert len(nlp.vocab.strings) == before
    finally:
        if ex._WORKER_ZONE[0] is not None:
            ex._WORKER_ZONE[0].close()
    plain = [list(ex.analyze_articles(task(k), nlp, batch_size=1, framing=False, memory_zones=False))
             for k in range(100, 104)]
    assert len(nlp.vocab.strings) > before
    assert rows == plain
