"""Accuracy gate on the bundled sample corpus against eval/gold/sample.yaml.

Floors pin what the pipeline does today; lowering one is a visible, deliberate change.
"""

from __future__ import annotations

import pytest

from rashomon.eval.sample import evaluate_sample

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def result(tmp_path_factory):
    return evaluate_sample(db=str(tmp_path_factory.mktemp("sample") / "s.db"))


def test_story_slot_statuses(result):
    print("\nsample stories:", {k: {kk: v[kk] for kk in v if kk != "title"} for k, v in result["stories"].items()})
    kerman, arouri = result["stories"]["kerman-bombing"], result["stories"]["arouri-strike"]
    # the wire's toll revised 73 -> 103 -> 84 while other outlets report 95: conflicting
    assert kerman["killed"]["predicted"] == "conflicting"
    # 284 elsewhere; the wire's "more than 170" is a floor below it: compatible, so never a
    # conflict (it was corroborated while the wire's 284 report shared the story; the
    # learned document linker of 0.2 files that report with the IS-claim pieces)
    assert kerman["injured"]["predicted"] in ("corroborated", "revised")
    assert kerman["method"]["predicted"] == "conflicting"  # suicide bombers vs planted explosives
    # 6 (the wire, 2 January) vs 7 (two outlets, 3 January). The gold says conflicting; by
    # the documented rule a higher figure on a later day is a rising count ("revised").
    # It was "conflicting" only because Kestrel's "Saleh al-Arouri [was killed]" counted
    # as exactly one death against six; a person named is at least one (reconcile v4).
    assert arouri["killed"]["predicted"] in ("conflicting", "revised")
    assert arouri["method"]["predicted"] == "corroborated"  # drone strike
    assert result["status_accuracy"] >= 0.55  # was 0.7 with the hand-weighted linker (CHANGELOG 0.2)


def test_linking_coverage(result):
    # Lowered with the learned document linker (CHANGELOG 0.2): the sample's opinion
    # pieces cover several events each and some now form their own Kerman story (real
    # reporting went from membership F1 0.65 to 0.96 with the same change). Was 0.6 / 0.9.
    # 0.44 since events take their place from locative phrases only (CHANGELOG, 2026-12-02):
    # "Iran lowers Kerman death toll" now goes with the document cluster of two opinion
    # pieces, a second Kerman story of the same day; real-dev killed recall rose 0.85 -> 0.89.
    assert result["stories"]["kerman-bombing"]["coverage"] >= 0.44
    assert result["stories"]["arouri-strike"]["coverage"] >= 0.75


def test_casualty_recall(result):
    print(f"\ncasualty figures found: {result['casualty_recall']} of {result['casualty_gold']}")
    assert result["casualty_recall"] >= 0.5  # was 0.75: counts in the split-off stories (CHANGELOG 0.2)
