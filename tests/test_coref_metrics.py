"""Coreference metrics on textbook examples, computed by hand."""

from __future__ import annotations

import pytest

from rashomon.eval.coref_metrics import (
    b_cubed,
    ceaf_e,
    clusters_from_assignment,
    conll,
    drop_singletons,
    muc,
)

# Pradhan et al. (2014), figure 1 / Luo (2005) style example:
# key {a b c} {d e f g}; response {a b} {c d} {f g h i}
KEY = [{"a", "b", "c"}, {"d", "e", "f", "g"}]
RESP = [{"a", "b"}, {"c", "d"}, {"f", "g", "h", "i"}]


def test_muc_example() -> None:
    # recall: (3 - 2) + (4 - 3) over (2 + 3) = 2/5; precision: 1 + 0 + 1 over 1 + 1 + 3 = 2/5
    p, r, f = muc(KEY, RESP)
    assert r == pytest.approx(2 / 5)
    assert p == pytest.approx(2 / 5)
    assert f == pytest.approx(2 / 5)


def test_b_cubed_example() -> None:
    # recall: a,b 2/3 each, c 1/3, d 1/4, e 0, f,g 2/4 each -> (4/3 + 1/3 + 1/4 + 1) / 7
    # precision: a,b 1, c 1/2, d 1/2, f,g 1/2, h,i 0 -> (2 + 1 + 1) / 8
    p, r, f = b_cubed(KEY, RESP)
    assert r == pytest.approx((4 / 3 + 1 / 3 + 1 / 4 + 1) / 7)
    assert p == pytest.approx(4 / 8)
    assert f == pytest.approx(2 * p * r / (p + r))


def test_ceaf_e_example() -> None:
    # best alignment: {a b c}-{a b} phi4 = 4/5, {d e f g}-{f g h i} phi4 = 4/8
    p, r, _ = ceaf_e(KEY, RESP)
    assert r == pytest.approx((4 / 5 + 1 / 2) / 2)
    assert p == pytest.approx((4 / 5 + 1 / 2) / 3)


def test_perfect_and_disjoint() -> None:
    for metric in (muc, b_cubed, ceaf_e):
        assert metric(KEY, KEY)[2] == pytest.approx(1.0)
    assert muc([{"a", "b"}], [{"c", "d"}])[2] == 0.0
    assert b_cubed([{"a"}], [{"b"}])[2] == 0.0
    assert ceaf_e([], [{"a"}]) == (0.0, 0.0, 0.0)


def test_muc_ignores_singletons_b3_does_not() -> None:
    key = [{"a"}, {"b"}, {"c"}]
    resp = [{"a"}, {"b"}, {"c"}]
    assert muc(key, resp)[2] == 0.0  # no links anywhere
    assert b_cubed(key, resp)[2] == pytest.approx(1.0)


def test_conll_is_mean_and_helpers() -> None:
    out = conll(KEY, RESP)
    mean = (out["muc"]["f1"] + out["b3"]["f1"] + out["ceaf_e"]["f1"]) / 3
    assert out["conll"]["f1"] == pytest.approx(mean, abs=1e-3)
    assert drop_singletons([{"a"}, {"b", "c"}]) == [frozenset({"b", "c"})]
    assert clusters_from_assignment({"x": 1, "y": 1, "z": 2}) == [frozenset({"x", "y"}), frozenset({"z"})]
