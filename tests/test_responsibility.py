"""Responsibility as facts: blame, claims, denials, acknowledgements, absences and the
speakers behind them, on short texts written for these tests."""

from __future__ import annotations

from typing import Any

import pytest

from rashomon.extract import analyze_doc
from rashomon.extract.claims import extract_claims
from rashomon.model import Article


def _analyze(nlp: Any, text: str) -> Any:
    art = Article(id="t1", text=text, outlet="Test Wire", published="2024-01-05")
    return analyze_doc(nlp(text), art, nlp, framing=False)


def _facts(nlp: Any, text: str, slot: str) -> set[str]:
    return {f.value_name or f.value for f in _analyze(nlp, text).facts if f.slot == slot}


def test_coordinated_blame_splits_into_two_facts(nlp: Any) -> None:
    text = (
        "Twin blasts killed at least 103 people in the city on Wednesday. "
        "A senior adviser to the country's president blamed Israel and the United States "
        "for the twin blasts that killed at least 103 people."
    )
    a = _analyze(nlp, text)
    claim = next(c for c in a.claims if c.kind == "accusation")
    assert set(claim.target_ids) == {"Q801", "Q30"}
    blamed = {f.value for f in a.facts if f.slot == "blamed"}
    assert blamed == {"Q801", "Q30"}
    assert all(f.rule.startswith("claim:") for f in a.facts if f.slot == "blamed")


def test_blame_of_loaded_names(nlp: Any) -> None:
    text = (
        "A bombing killed 12 people at a market on Friday. "
        "The foreign ministry blamed Washington and the Zionist regime for the bombing."
    )
    blamed = _facts(nlp, text, "blamed")
    assert "Israel" in blamed and any("United States" in b for b in blamed)  # the state or its government


def test_article_voice_blame(nlp: Any) -> None:
    text = "Two bombs killed 40 people at the shrine on Monday. Daesh is only a cover for the Zionist entity."
    assert "Israel" in _facts(nlp, text, "blamed")


def test_responsibility_claim_and_said_it_carried_out(nlp: Any) -> None:
    text = (
        "A suicide bombing killed 20 people at a checkpoint on Tuesday. "
        "Hamas said it carried out the attack."
    )
    assert "Hamas" in _facts(nlp, text, "responsibility_claimed_by")
    text2 = "A bombing killed 20 people at a checkpoint on Tuesday. The Islamic State claimed responsibility for the bombing."
    assert "Islamic State" in _facts(nlp, text2, "responsibility_claimed_by")


@pytest.mark.parametrize(
    "sentence",
    [
        "Hezbollah denied any involvement in the attack.",
        "Hezbollah said it had no role in the attack.",
        "Hezbollah dismissed the allegations.",
        "Hezbollah was not involved in the attack, the group said.",
    ],
)
def test_denials(nlp: Any, sentence: str) -> None:
    text = "A rocket attack killed 12 children on a football pitch on Saturday. " + sentence
    assert _facts(nlp, text, "denied_by") == {"Hezbollah"}


def test_rejecting_condolences_is_no_denial(nlp: Any) -> None:
    text = "A bombing killed six people on the avenue on Sunday. The interior minister rejected condolences from the embassy."
    assert _facts(nlp, text, "denied_by") == set()


def test_no_claim_is_an_absence_not_a_claim(nlp: Any) -> None:
    text = "A car bomb killed nine people near the port on Sunday. No group has claimed responsibility for the attack."
    a = _analyze(nlp, text)
    assert not [f for f in a.facts if f.slot == "responsibility_claimed_by"]
    absent = [f for f in a.facts if f.slot == "responsibility_unclaimed"]
    assert absent and absent[0].value == "none" and absent[0].speaker_type == "article"
    assert any(c.kind == "absence" for c in a.claims)


def test_branch_resolves_to_group_not_country(nlp: Any) -> None:
    text = (
        "A suicide bombing killed 13 soldiers at the airport gate on Thursday. "
        "US officials blamed the Islamic State's Afghanistan-based branch for the bombing."
    )
    blamed = _facts(nlp, text, "blamed")
    assert blamed and "Afghanistan" not in blamed
    assert all(b.startswith("Islamic State") for b in blamed)


def test_assessment_is_attribution_with_speaker(nlp: Any) -> None:
    text = (
        "A rocket struck a football pitch on Saturday, killing 12 children. "
        "Israel said the rocket was fired by Hezbollah."
    )
    a = _analyze(nlp, text)
    blamed = [f for f in a.facts if f.slot == "blamed"]
    assert [f.value_name for f in blamed] == ["Hezbollah"]
    assert blamed[0].speaker_id == "Q801"


def test_spokesman_speaks_for_his_group(nlp: Any) -> None:
    text = (
        "A bombing killed 30 people in the city on Monday. "
        "SDF commander Mazloum Abdi denied SDF involvement in the attack."
    )
    assert _facts(nlp, text, "denied_by") == {"Syrian Democratic Forces"}


def test_pronoun_and_title_speakers(nlp: Any) -> None:
    text = (
        "Interior Minister Ahmad Karimi said at least 84 people were killed. "
        "The Islamic State group claimed the attack on Thursday. "
        "He added that two bombers were involved. The minister said the toll could rise."
    )
    claims = extract_claims(nlp(text), "t")
    by_content = {text[c.content.start : c.content.end]: c for c in claims}
    assert by_content["at least 84 people were killed"].speaker_name == "Interior Minister Ahmad Karimi"
    he = next(c for k, c in by_content.items() if "two bombers" in k)
    assert he.speaker_name == "He [Interior Minister Ahmad Karimi]" and he.rule.endswith("+speaker.pronoun")
    title = next(c for k, c in by_content.items() if "toll could rise" in k)
    assert title.speaker_name == "The minister [Interior Minister Ahmad Karimi]" and title.rule.endswith("+speaker.title")
    group = next(c for c in claims if "Islamic State" in c.speaker_name)
    assert group.kind == "responsibility_claim"


def test_every_claim_records_its_rule(nlp: Any) -> None:
    text = 'Officials said the bridge was closed. "We will reopen it," the mayor said. According to police, two people were hurt.'
    claims = extract_claims(nlp(text), "t")
    assert claims and all(c.rule for c in claims)
