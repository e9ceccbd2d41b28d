"""rashomon.lite reproduces the scikit-learn models it replaces at inference."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from rashomon import lite

TEXTS = [
    "The council voted on Tuesday to close the old bridge, the mayor said.",
    "Two people were hurt when a truck hit the bridge's railing on Monday night!",
    "Is the bridge safe? Engineers said they would inspect it again next week.",
    "“It is a disgrace,” one resident said of the council's decision.",
    "",
    "the the the of and",
    "Residents can't cross the river until repairs, officials' statement read.",
]


def test_tfidf_matches_sklearn_transform() -> None:
    from sklearn.feature_extraction.text import TfidfVectorizer

    for params in (
        {"ngram_range": (1, 2), "sublinear_tf": True, "dtype": np.float32,
         "token_pattern": r"(?u)\b\w[\w'-]*\b|[?!\"“”]"},
        {"ngram_range": (1, 3), "stop_words": "english"},
        {"lowercase": False, "norm": None, "sublinear_tf": True},
    ):
        vec = TfidfVectorizer(**params).fit(TEXTS)  # type: ignore[arg-type]
        ours = lite.Tfidf.from_sklearn(vec)
        other = ["A truck hit the old bridge again, officials said?", "nothing known here"]
        a, b = vec.transform(other + TEXTS), ours.transform(other + TEXTS)
        assert a.dtype == b.dtype
        assert abs(a - b).max() == 0


def test_tfidf_fit_matches_sklearn() -> None:
    from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

    vec = TfidfVectorizer(sublinear_tf=True, stop_words="english")
    a = vec.fit_transform(TEXTS)
    ours, b = lite.Tfidf.fit(TEXTS, sublinear_tf=True, stop_words="english")
    assert sorted(ours.vocabulary) == vec.get_feature_names_out().tolist()
    assert abs(a - b).max() < 1e-12
    cv = CountVectorizer(stop_words="english", token_pattern=r"\S+", lowercase=False)
    c = cv.fit_transform(TEXTS).astype(float)
    _, d = lite.Tfidf.fit(TEXTS, idf=False, stop_words="english", token_pattern=r"\S+", lowercase=False)
    assert abs(c - d).max() == 0
    with pytest.raises(ValueError):
        lite.Tfidf.fit(["the of and", ""], stop_words="english")


def test_stop_words_are_sklearns() -> None:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    assert lite.english_stop_words() == ENGLISH_STOP_WORDS


def test_linear_dict_and_scaler_match_sklearn() -> None:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    rng = np.random.default_rng(1)
    x = rng.normal(size=(60, 5))
    scaler = StandardScaler().fit(x)
    assert np.allclose(scaler.transform(x), lite.Scaler.from_sklearn(scaler).transform(x))
    for y in (x[:, 0] > 0, np.digitize(x[:, 1], [-0.5, 0.5])):
        lr = LogisticRegression(max_iter=500).fit(x, y)
        assert np.allclose(lr.predict_proba(x), lite.Linear.from_sklearn(lr).predict_proba(x))
    rows = [{"lemma": "say", "dep": "ROOT", "n": 2}, {"lemma": "claim", "neg": 1}, {"lemma": "say"}]
    dv = DictVectorizer().fit(rows)
    probe = [*rows, {"lemma": "unseen", "n": 0.5}]
    assert abs(dv.transform(probe) - lite.DictFeatures.from_sklearn(dv).transform(probe)).max() == 0


def test_trees_match_sklearn_with_missing_values() -> None:
    from sklearn.ensemble import HistGradientBoostingClassifier

    rng = np.random.default_rng(2)
    x = rng.normal(size=(400, 4))
    y = (x[:, 0] + 0.5 * x[:, 1] ** 2 > 0.3).astype(int)
    x[rng.random(x.shape) < 0.1] = np.nan
    clf = HistGradientBoostingClassifier(max_iter=30, max_depth=3, random_state=0).fit(x, y)
    probe = rng.normal(size=(200, 4)) * 3
    probe[rng.random(probe.shape) < 0.2] = np.nan
    assert np.allclose(clf.predict_proba(probe), lite.Trees.from_sklearn(clf).predict_proba(probe))


def test_save_load_round_trip(tmp_path) -> None:  # type: ignore[no-untyped-def]
    vec, _ = lite.Tfidf.fit(TEXTS, ngram_range=(1, 2), sublinear_tf=True)
    lin = lite.Linear(np.ones((1, len(vec.vocabulary))), np.zeros(1), [0, 1])
    path = tmp_path / "m.npz"
    lite.save_parts(path, {"vec": vec, "lr": lin}, {"extra": np.arange(3)}, model="test", threshold=0.4)
    parts, rest, meta = lite.load_parts(path)
    assert meta["threshold"] == 0.4 and rest["extra"].tolist() == [0, 1, 2]
    assert abs(parts["vec"].transform(TEXTS) - vec.transform(TEXTS)).max() == 0
    assert parts["lr"].classes == [0, 1]
    bad = tmp_path / "bad.npz"
    np.savez(bad, meta=np.asarray('{"format": "other"}'))
    with pytest.raises(ValueError, match=r"not a rashomon\.lite"):
        lite.load(bad)


def test_analyze_never_imports_sklearn() -> None:
    """The shipped models load and run without scikit-learn (it costs ~140 MB a process)."""
    code = (
        "import sys\n"
        "from rashomon.annotate.nlp import load_nlp\n"
        "from rashomon import scale\n"
        "from rashomon.framing.techniques import load_technique_model\n"
        "from rashomon.link.docs import _tfidf\n"
        "from rashomon.link.stories import _Text\n"
        "scale.warm_up(load_nlp())\n"
        "load_technique_model('accurate')\n"
        "_tfidf(['a text about a bridge', 'another text']); _Text(['a bridge', 'a river'])\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('sklearn', 'pandas', 'pyarrow', 'joblib'))\n"
        "print(bad[:5]); raise SystemExit(1 if bad else 0)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stdout + out.stderr
