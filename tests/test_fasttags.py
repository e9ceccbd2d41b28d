"""The attribute ruler and lemmatizer stand-ins give exactly the package pipeline's output."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from rashomon.annotate import fasttags
from rashomon.annotate.nlp import load_nlp, load_spacy, text_doc

SAMPLE = Path(__file__).resolve().parents[1] / "src" / "rashomon" / "data" / "sample" / "articles.jsonl"

# text of our own that exercises the ruler's multi-token patterns ("there is", "gon na",
# "let's", "c'mon", "y'all", "ain't"), its word exceptions and the lemmatizer's paradigms
TRICKY = (
    "There is no evidence, and there were no witnesses, the mayor said. \"We're gon na find "
    "them. Let's be clear: y'all ain't seen the worst,\" he added. C'mon, the residents were "
    "told, as 12 wounded people were being carried out of the mosques' ruins.\n"
    "Police found three bodies; the suspects fled toward the hills and were arrested later. "
    "She's said they'd been hiding, and the ministry's spokesmen denied it."
)

COLUMNS = ("TAG", "POS", "MORPH", "LEMMA", "DEP", "HEAD", "ENT_IOB", "ENT_TYPE", "SENT_START")


def _arrays(nlp, texts):  # type: ignore[no-untyped-def]
    from spacy import attrs

    cols = [attrs.IDS[c] for c in COLUMNS]
    return [d.to_array(cols) for d in nlp.pipe((text_doc(nlp, t) for t in texts), batch_size=8)]


@pytest.fixture(scope="module")
def pipelines():  # type: ignore[no-untyped-def]
    from rashomon.annotate.nlp import NEWLINES

    fast = load_nlp()  # registers the newline component too
    original = load_spacy()
    original.add_pipe(NEWLINES, before="parser")
    return original, fast


def test_pipeline_uses_the_stand_ins(pipelines) -> None:  # type: ignore[no-untyped-def]
    _, fast = pipelines
    assert fasttags.RULER in fast.pipe_names and fasttags.LEMMATIZER in fast.pipe_names
    assert "attribute_ruler" not in fast.pipe_names and "lemmatizer" not in fast.pipe_names
    assert fast.pipe_names.index(fasttags.RULER) < fast.pipe_names.index(fasttags.LEMMATIZER)


def test_stand_ins_match_the_package_pipeline(pipelines) -> None:  # type: ignore[no-untyped-def]
    original, fast = pipelines
    texts = [TRICKY, TRICKY.upper(), ""] + [json.loads(line)["text"] for line in SAMPLE.open(encoding="utf-8")]
    want, got = _arrays(original, texts), _arrays(fast, texts)
    assert len(want) == len(got) == len(texts)
    for text, a, b in zip(texts, want, got, strict=True):
        assert a.shape == b.shape
        assert np.array_equal(a, b), text[:60]
    # and the caches answer the same on a second pass
    assert all(np.array_equal(a, b) for a, b in zip(want, _arrays(fast, texts), strict=True))


def test_multi_token_patterns_apply(pipelines) -> None:  # type: ignore[no-untyped-def]
    _, fast = pipelines
    doc = fast(text_doc(fast, "There is a problem. We're gon na go. Let's see."))
    by_text = {t.text: t for t in doc}
    assert by_text["is"].pos_ == "VERB"  # "there is": the expl pattern
    assert by_text["gon"].lemma_ == "go" and by_text["na"].lemma_ == "to"
    assert [t.lemma_ for t in doc if t.lower_ == "'s"] == ["us"]


def test_unsupported_ruler_keeps_the_original() -> None:
    nlp = load_spacy()
    ruler = nlp.get_pipe("attribute_ruler")
    ruler.add([[{"LOWER": {"FUZZY": "kerman"}}]], {"POS": "PROPN"})
    fasttags.install(nlp)
    assert "attribute_ruler" in nlp.pipe_names and fasttags.RULER not in nlp.pipe_names
    assert fasttags.LEMMATIZER in nlp.pipe_names
