"""The accurate technique model (ONNX encoder), the framing modes, the official-format
scoring and the frequency baseline (hand-written texts; datasets only where marked)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from rashomon.errors import UsageError
from rashomon.eval.baselines.techniques import FrequencyBaseline
from rashomon.eval.semeval import (
    check_disjoint,
    label_table,
    read_official,
    score_official,
    write_gold_and_template,
)
from rashomon.framing.encoder import EncoderTechniqueModel, model_files
from rashomon.framing.features import LabelledArticle, paragraphs_of
from rashomon.framing.techniques import TECHNIQUES, TechniqueModel, load_technique_model

INSULTS = (
    "These corrupt, lying elites and their radical puppets are a disgrace. The so-called "
    "experts are nothing but a pathetic mob of traitors and lunatics destroying our nation."
)
REPORT = "The ministry said on Tuesday that 14 people were injured in the collision near the station."
ARTICLE = "\n".join(["Collision near the station", "", REPORT, "", INSULTS])


@pytest.fixture(scope="module")
def encoder() -> EncoderTechniqueModel:
    return EncoderTechniqueModel.load()


def test_shipped_files_are_small_and_pinned(encoder: EncoderTechniqueModel) -> None:
    import hashlib

    onnx, _, _ = model_files()
    assert onnx.stat().st_size <= 30 * 2**20
    assert encoder.meta["onnx_sha256"] == hashlib.sha256(onnx.read_bytes()).hexdigest()
    assert encoder.labels == TECHNIQUES and encoder.thresholds.shape == (23,)
    assert "53aa51172d142c89" in encoder.meta["backbone"]


def test_encoder_scores_insults_above_a_plain_report(encoder: EncoderTechniqueModel) -> None:
    S = encoder.scores([REPORT, INSULTS])
    assert S.shape == (2, 23) and ((S >= 0) & (S <= 1)).all()
    j = [TECHNIQUES.index("Loaded_Language"), TECHNIQUES.index("Name_Calling-Labeling")]
    assert S[1, j].max() > S[0, j].max()
    [labels] = encoder.predict_paragraphs([INSULTS])
    assert labels and labels[0][0] in {"Name_Calling-Labeling", "Loaded_Language"}


def test_encoder_batches_like_single_calls(encoder: EncoderTechniqueModel) -> None:
    # each group is one article, run as its own batch (int8 activations are quantised per
    # batch), so the same article alone or among others gets the same scores
    one = encoder.scores([INSULTS])
    many = encoder.scores_many([[REPORT], [INSULTS], []])
    assert [m.shape[0] for m in many] == [1, 1, 0]
    assert np.allclose(many[1][0], one[0], atol=1e-6)


def test_encoder_spans_lie_in_their_paragraph(encoder: EncoderTechniqueModel) -> None:
    preds = encoder.predict(ARTICLE, "a1")
    assert preds
    starts = {idx: (s, e) for idx, s, e in paragraphs_of(ARTICLE)}
    for p in preds:
        s, e = starts[p.paragraph]
        assert s <= p.span.start < p.span.end <= e and p.confidence >= 0.5
    assert encoder.predict("", "x") == [] and encoder.predict_paragraphs(["", " "]) == [[], []]


def test_framing_modes(monkeypatch: pytest.MonkeyPatch) -> None:
    assert isinstance(load_technique_model("fast"), TechniqueModel)
    assert isinstance(load_technique_model("accurate"), EncoderTechniqueModel)
    monkeypatch.setenv("RASHOMON_FRAMING", "accurate")
    assert isinstance(load_technique_model(), EncoderTechniqueModel)
    with pytest.raises(UsageError, match="E309"):
        load_technique_model("precise")


def test_the_stamp_says_which_technique_model_ran() -> None:
    import rashomon.pipeline as pl

    assert pl._stage_stamp(True, "accurate") == pl._stage_stamp(True, "fast") + "-accurate"
    assert pl._stage_stamp(False, "accurate") == pl._stage_stamp(False, "fast")


def test_analyze_refuses_an_unknown_framing_mode(tmp_path: Path) -> None:
    from rashomon.cli import app

    r = CliRunner().invoke(app, ["analyze", "--db", str(tmp_path / "x.db"), "--framing", "precise"])
    assert r.exit_code == 2 and "E309" in r.output


def test_frequency_baseline_picks_the_commonest_labels() -> None:
    labels = [[["Doubt"], ["Doubt", "Slogans"], []], [["Doubt"], ["Repetition"]]]
    b = FrequencyBaseline.fit(labels)
    assert b.chosen == ("Doubt",)
    [S] = b.scores_many([["a", "b"]])
    assert S.shape == (2, 23) and S[:, TECHNIQUES.index("Doubt")].tolist() == [1.0, 1.0]
    assert b.predict_paragraphs(["x"]) == [[("Doubt", 1.0)]]


def test_official_format_round_trip_and_scores(tmp_path: Path) -> None:
    arts = [
        LabelledArticle("7", "A\n\nB", lines=[1, 3], paragraphs=["A", "B"], labels=[["Doubt"], []]),
        LabelledArticle("8", "C", lines=[1], paragraphs=["C"], labels=[["Doubt", "Slogans"]]),
    ]
    gold, template = tmp_path / "gold.txt", tmp_path / "template.txt"
    assert write_gold_and_template(arts, gold, template) == 3
    assert read_official(gold) == {("7", 1): ["Doubt"], ("7", 3): [], ("8", 1): ["Doubt", "Slogans"]}
    assert template.read_text() == "7\t1\n7\t3\n8\t1\n"
    pred = tmp_path / "pred.txt"
    pred.write_text("7\t1\tDoubt\n7\t3\tSlogans\n")  # ("8", 1) missing: predicted empty
    r = score_official(gold, pred)
    assert r["missing"] == 1 and r["gold_labels"] == 3 and r["predicted_labels"] == 2
    assert r["micro_f1"] == pytest.approx(2 * 1 / (2 + 3))
    t = r["per_label"]
    assert t["Doubt"] == {"support": 2, "predicted": 1, "precision": 1.0, "recall": 0.5, "f1": 2 / 3}
    assert t["Slogans"]["support"] == 1 and t["Slogans"]["f1"] == 0.0
    assert label_table({}, {})["Doubt"]["support"] == 0


def test_check_disjoint_refuses_models_that_saw_the_held_out_articles() -> None:
    m = FrequencyBaseline(["Doubt"])
    with pytest.raises(UsageError, match="E310"):
        check_disjoint(m, {"1"})
    m.meta = {"train_articles": ["1", "2"]}  # type: ignore[attr-defined]
    with pytest.raises(UsageError, match="E311"):
        check_disjoint(m, {"2", "3"})
    check_disjoint(m, {"3"})


def test_eval_predict_with_the_accurate_model(tmp_path: Path) -> None:
    from rashomon.cli import app

    (tmp_path / "arts").mkdir()
    (tmp_path / "arts" / "article5.txt").write_text(ARTICLE, encoding="utf-8")
    template = tmp_path / "t.txt"
    template.write_text("5\t1\n5\t3\n5\t5\n")
    out = tmp_path / "p.txt"
    r = CliRunner().invoke(app, ["eval", "techniques", "--predict", str(tmp_path / "arts"), "--template",
                                 str(template), "--out", str(out), "--framing", "accurate"])
    assert r.exit_code == 0, r.output
    rows = [line.split("\t") for line in out.read_text().splitlines()]
    assert [(a, ln) for a, ln, _ in rows] == [("5", "1"), ("5", "3"), ("5", "5")]
    assert all(t in TECHNIQUES for *_, labs in rows for t in labs.split(",") if t)


@pytest.mark.shared
def test_shipped_encoder_never_saw_the_held_out_articles(datasets_dir: Path, encoder: EncoderTechniqueModel) -> None:
    from rashomon.framing.features import iter_article_ids

    held = set(iter_article_ids(datasets_dir / "ptc-semeval2020-task11" / "dev-articles"))
    assert len(held) == 75
    check_disjoint(encoder, held)


def test_refit_reference_must_be_a_held_out_free_train_validation_run(tmp_path: Path) -> None:
    import argparse
    import json

    from rashomon.framing.train_encoder import _reference

    ref = tmp_path / "ref.json"

    def check(meta: dict, held: set[str]) -> dict | None:
        ref.write_text(json.dumps(meta))
        return _reference(argparse.Namespace(refit_from=ref), held)

    assert _reference(argparse.Namespace(refit_from=None), {"1"}) is None
    ok = {"train_articles": ["1", "2"], "validation_articles": ["3"], "epoch_chosen": 4}
    assert check(ok, {"9"}) == ok
    with pytest.raises(SystemExit, match="held-out"):
        check(ok, {"3"})
    with pytest.raises(SystemExit, match="not a train/validation run"):
        check({**ok, "validation_articles": []}, {"9"})
    with pytest.raises(SystemExit, match="not a train/validation run"):
        check({**ok, "refit": {}}, {"9"})


def test_the_blend_s_tfidf_part_is_a_lite_npz(tmp_path: Path) -> None:
    import copy

    from rashomon.framing.encoder import STACK_ALGORITHM, TFIDF_NAME
    from rashomon.framing.train_encoder import _save_tfidf

    tfidf = copy.deepcopy(TechniqueModel.load())  # _save_tfidf notes its training data in meta
    meta: dict = {"stack": {"validation_grid": {"0.6": 0.38}}}
    path = tmp_path / TFIDF_NAME
    assert path.suffix == ".npz"
    _save_tfidf(tfidf, path, meta, 0.6)
    assert path.read_bytes()[:2] == b"PK" and meta["algorithm"] == STACK_ALGORITHM
    assert meta["stack"]["encoder_weight"] == 0.6 and meta["stack"]["tfidf_file"] == TFIDF_NAME
    assert meta["stack"]["validation_grid"] == {"0.6": 0.38}
    again = TechniqueModel.load(path)
    assert np.allclose(again.scores(["They are traitors!"]), tfidf.scores(["They are traitors!"]))
    _save_tfidf(tfidf, path, meta, 1.0)  # no blend: the part and its entry go
    assert not path.exists() and "stack" not in meta
