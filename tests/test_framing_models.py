"""The shipped technique and genre models: load, predict, spans, API shape (no dataset needed)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from rashomon.framing.features import paragraphs_of, split_sentences
from rashomon.framing.genre import GENRES, GenreModel
from rashomon.framing.techniques import FAMILY, TECHNIQUES, TechniqueModel
from rashomon.model import TechniqueSpan

NAME_CALLING = (
    "These corrupt, lying globalist elites and their radical leftist puppets are a disgrace. "
    "The so-called experts are nothing but a pathetic mob of traitors and lunatics destroying "
    "our great nation."
)
WHATABOUT = "And who was behind ISIS and all the chaos in the Middle East, if not the US?"
REPORT = (
    "The ministry said on Tuesday that 14 people were injured in the collision near the station."
)
ARTICLE = "\n".join(
    ["Officials report collision near station", "", REPORT, "", NAME_CALLING, WHATABOUT]
)


@pytest.fixture(scope="module")
def model() -> TechniqueModel:
    return TechniqueModel.load()


def test_techniques_and_families() -> None:
    assert len(TECHNIQUES) == 23 and len(set(TECHNIQUES)) == 23
    assert set(FAMILY) == set(TECHNIQUES)
    assert FAMILY["Doubt"] == "Attack on reputation"
    assert FAMILY["Whataboutism"] == "Distraction"


def test_loads_fast_and_cached() -> None:
    t = time.perf_counter()
    TechniqueModel.load(
        Path(__file__).resolve().parents[1] / "src/rashomon/data/models/techniques.npz"
    )
    assert time.perf_counter() - t < 5  # < 2 s on an idle core; slack for a busy CI box
    assert TechniqueModel.load() is TechniqueModel.load()


def test_name_calling_paragraph(model: TechniqueModel) -> None:
    [labels] = model.predict_paragraphs([NAME_CALLING])
    names = [t for t, _ in labels]
    assert names, "a paragraph full of insults should fire at least one technique"
    assert names[0] in {"Name_Calling-Labeling", "Loaded_Language"}
    assert all(0.5 <= c <= 1 for _, c in labels)
    assert [c for _, c in labels] == sorted((c for _, c in labels), reverse=True)


def test_rhetorical_question_ranks_doubt_family(model: TechniqueModel) -> None:
    # The model's honest behaviour on this line: the top label by score is from the
    # doubt / whataboutism families (attack on reputation or distraction).
    scores = model.scores([WHATABOUT])[0]
    top = [model.labels[j] for j in scores.argsort()[::-1][:3]]
    assert {FAMILY[t] for t in top} & {"Attack on reputation", "Distraction"}, top


def test_predict_spans_inside_text(model: TechniqueModel) -> None:
    preds = model.predict(ARTICLE, article_id="a1")
    assert preds and all(isinstance(p, TechniqueSpan) for p in preds)
    lines = ARTICLE.split("\n")
    starts = {idx: s for idx, s, _ in paragraphs_of(ARTICLE)}
    for p in preds:
        assert p.article_id == p.span.article_id == "a1"
        assert p.technique in TECHNIQUES
        assert 0.0 <= p.confidence <= 1.0
        assert lines[p.paragraph].strip()
        assert starts[p.paragraph] <= p.span.start < p.span.end
        assert p.span.end <= starts[p.paragraph] + len(lines[p.paragraph])
    assert {p.paragraph for p in preds} >= {4}


def test_blank_and_empty_input(model: TechniqueModel) -> None:
    assert model.predict("", "x") == []
    assert model.predict_paragraphs(["", "   "]) == [[], []]


def test_split_sentences_offsets() -> None:
    text = 'He said "No." Then he left! Why?'
    spans = split_sentences(text)
    assert [text[a:b] for a, b in spans] == ['He said "No."', "Then he left!", "Why?"]


def test_genre_predicts_one_of_three() -> None:
    g = GenreModel.load()
    label, conf = g.predict("\n".join([REPORT, NAME_CALLING, WHATABOUT]))
    assert label in GENRES and 0.0 <= conf <= 1.0


@pytest.mark.shared
def test_eval_smoke(datasets_dir: Path, tmp_path: Path, model: TechniqueModel) -> None:
    from rashomon.eval.semeval import predict_template, score_paragraphs
    from rashomon.framing.features import read_semeval_paragraphs

    root = datasets_dir / "semeval2023-task3-en"
    arts = read_semeval_paragraphs(root)[:3]
    template = tmp_path / "template.txt"
    template.write_text("".join(f"{a.article_id}\t{ln}\n" for a in arts for ln in a.lines))
    out = tmp_path / "pred.txt"
    n = predict_template(model, root / "train-articles-subtask-3", template, out)
    assert n == sum(len(a.lines) for a in arts)
    pred = {}
    for line in out.read_text().splitlines():
        aid, ln, labs = line.split("\t")
        pred[(aid, int(ln))] = [t for t in labs.split(",") if t]
    gold = {
        (a.article_id, ln): lab for a in arts for ln, lab in zip(a.lines, a.labels, strict=True)
    }
    r = score_paragraphs(gold, pred)
    assert 0.0 <= r["micro_f1"] <= 1.0 and r["paragraphs"] == n


def test_loaded_words_in_quotes_are_not_the_outlets() -> None:
    from rashomon.framing.profile import article_profile, outlet_profiles
    from rashomon.model import Article, Claim, Mention, Span

    text = 'The minister said "the Zionist regime will pay". The Zionist regime denied it.'
    art = Article(text=text, outlet="Wire")
    first, second = text.index("Zionist"), text.rindex("Zionist")
    mentions = [Mention(Span(art.id, i - 4, i + 14), "the Zionist regime", "actor", actor_id="israel",
                        register="loaded") for i in (first, second)]  # fmt: skip
    start = text.index('"') + 1
    quote = Claim(id="c1", article_id=art.id, kind="statement", speaker_type="actor", content=Span(art.id, start, text.index('"', start)),
                  quoted=True)  # fmt: skip
    p = article_profile(art, mentions, [quote], [], {"israel": "Israel"})
    assert (p["n_loaded"], p["n_loaded_outlet"], p["n_loaded_quoted"]) == (2, 1, 1)
    assert p["loaded_labels"][0]["quoted"] == 1 and p["loaded_labels"][0]["outlet"] == 1
    agg = outlet_profiles([{"outlet": "Wire", "profile": p}])["Wire"]
    assert (agg["n_loaded_outlet"], agg["n_loaded_quoted"]) == (1, 1)


def test_shared_threshold_is_one_value_for_every_active_label() -> None:
    import numpy as np

    from rashomon.framing.techniques import DISABLED, tune_shared_threshold

    rng = np.random.default_rng(0)
    Y = np.zeros((400, 3), dtype=int)
    Y[:120, 0] = 1  # a frequent label the scores separate at about 0.6
    Y[200:240, 1] = 1  # a label the scores cannot separate
    Y[300:302, 2] = 1  # two positives: too few to predict
    P = rng.uniform(0.0, 0.5, size=Y.shape)
    P[:120, 0] = rng.uniform(0.65, 1.0, size=120)
    P[:, 1] = rng.uniform(0.0, 1.0, size=400)
    th = tune_shared_threshold(P, Y, min_positives=5, min_f1=0.3)
    assert th[2] == DISABLED
    assert th[1] == DISABLED  # its F1 at the shared threshold is under min_f1
    assert 0.5 <= th[0] <= 0.66
    both = tune_shared_threshold(P, Y, min_positives=5, min_f1=0.0)
    assert both[0] == both[1] < DISABLED
