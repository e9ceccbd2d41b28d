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


# --- agency: who the text says did the act (claims/agency.py, facts.agency_facts) ---


def _slots(nlp: Any, text: str) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for f in _analyze(nlp, text).facts:
        out.setdefault(f.slot, set()).add(f.value_name or f.value)
    return out


def _has(names: set[str] | None, word: str) -> bool:
    return any(word in n for n in names or set())


def test_attack_noun_with_demonym_blames_its_agent(nlp: Any) -> None:
    s = _slots(nlp, "Twenty people were killed in the Russian strike on the market in the city on Monday.")
    assert _has(s.get("blamed"), "Russia")


def test_possessive_and_weapon_nouns_name_the_agent(nlp: Any) -> None:
    s = _slots(nlp, "Officials said Russia's strike on the station killed 50 people on Friday.")
    assert _has(s.get("blamed"), "Russia")
    s2 = _slots(nlp, "A Hezbollah rocket hit the square of the village on Saturday, killing nine people.")
    assert _has(s2.get("blamed"), "Hezbollah")


def test_passive_agent_and_verb_subject(nlp: Any) -> None:
    s = _slots(nlp, "Thirty people died when the apartment block was destroyed by a Russian missile on Sunday.")
    assert _has(s.get("blamed"), "Russia")
    s2 = _slots(nlp, "On Monday, Russian forces struck the city, killing 20 people in a residential building.")
    assert _has(s2.get("blamed"), "Russia")


def test_open_operation_is_an_acknowledgement_not_blame(nlp: Any) -> None:
    text = "Israeli forces rescued three hostages on Saturday in an operation that killed 60 people, health officials said."
    a = _analyze(nlp, text)
    claimed = [f for f in a.facts if f.slot == "responsibility_claimed_by"]
    assert claimed and "Israel" in (claimed[0].value_name or "") and claimed[0].speaker_type == "article"
    assert not any(f.slot == "blamed" for f in a.facts)


def test_own_voice_acknowledges_the_strike(nlp: Any) -> None:
    text = ("An air strike killed 35 people in a tent camp on Sunday. "
            "Israel's military said its aircraft struck a compound of the group.")
    assert _has(_slots(nlp, text).get("responsibility_claimed_by"), "Israel")


def test_acts_of_other_events_are_not_blame(nlp: Any) -> None:
    text = ("A rocket killed ten people on a football pitch on Saturday. "
            "The rocket came hours after an Israeli strike on a village killed two fighters. "
            "The hostages had been taken during Hamas's October 7 attack.")
    s = _slots(nlp, text)
    assert not _has(s.get("blamed"), "Israel") and not _has(s.get("blamed"), "Hamas")
    assert not _has(s.get("perpetrator"), "Hamas")


def test_state_as_compound_is_a_place_not_an_agent(nlp: Any) -> None:
    s = _slots(nlp, "A Lebanon rocket attack killed ten people in the town on Saturday.")
    assert not _has(s.get("blamed"), "Lebanon")


def test_negated_act_is_a_denial(nlp: Any) -> None:
    text = ("A missile hit a nine-storey building on Saturday, killing 40 people. "
            "The Russian armed forces do not strike residential buildings, the Kremlin spokesman said.")
    assert _has(_slots(nlp, text).get("denied_by"), "Russia")


def test_behind_and_responsible_attribute_the_act(nlp: Any) -> None:
    text = ("A rocket killed 12 children on a football pitch on Saturday. "
            "The army said Hezbollah is responsible for the attack.")
    assert _has(_slots(nlp, text).get("blamed"), "Hezbollah")
    text2 = "A bombing killed 13 soldiers at the gate on Thursday. The Islamic State said it was behind the attack."
    assert _has(_slots(nlp, text2).get("responsibility_claimed_by"), "Islamic State")


def test_identified_as_the_perpetrator(nlp: Any) -> None:
    text = ("A rocket killed 11 people on a football pitch on Saturday. "
            "The Israeli army has identified Hezbollah as the perpetrator of the attack.")
    assert _has(_slots(nlp, text).get("blamed"), "Hezbollah")


def test_unqualified_ministry_speaks_for_the_state_named_before(nlp: Any) -> None:
    text = ("An air strike destroyed the theatre on Wednesday, killing hundreds of people. "
            "The Russian Defence Ministry said the building had been mined. "
            "The Ministry of Defense rejected the accusations of Ukraine about an air attack on the theatre.")
    s = _slots(nlp, text)
    assert _has(s.get("denied_by"), "Russia")
    assert _has(s.get("blamed"), "Russia")  # Ukraine's accusations: Ukraine blames Russia


def test_denial_of_owned_allegations_is_blame_of_the_denier(nlp: Any) -> None:
    text = ("A rocket killed 12 children on a football pitch on Saturday. "
            "Hezbollah denied Israeli allegations of targeting the town.")
    a = _analyze(nlp, text)
    blamed = [f for f in a.facts if f.slot == "blamed" and "Hezbollah" in (f.value_name or "")]
    assert blamed and blamed[0].speaker_id == "Q801"
    # allegations nobody owns add nothing to the denial
    text2 = "A bombing killed 40 people at a market on Friday. Israel dismissed all allegations of its involvement in the bombing."
    s = _slots(nlp, text2)
    assert _has(s.get("denied_by"), "Israel") and not _has(s.get("blamed"), "Israel")


def test_denials_in_subordinate_passive_and_distancing_clauses(nlp: Any) -> None:
    text = ("An air strike on the theatre killed 300 people. "
            "While Russia has denied targeting civilians, evidence points the other way.")
    assert _has(_slots(nlp, text).get("denied_by"), "Russia")
    text2 = ("A suicide bombing killed 84 people at a mosque on Monday. "
             "Responsibility for the bombing was denied by the Tehrik-i-Taliban Pakistan.")
    assert _has(_slots(nlp, text2).get("denied_by"), "Tehrik-i-Taliban")


def test_spokesman_saying_the_group_denies(nlp: Any) -> None:
    text = ("A rocket killed 12 children on a football pitch on Saturday. "
            "Hezbollah spokesman Ali Hamdan told reporters that the group categorically denies carrying out the attack.")
    assert _has(_slots(nlp, text).get("denied_by"), "Hezbollah")


def test_relative_and_anaphoric_parties(nlp: Any) -> None:
    text = ("A suicide bombing at the airport gate killed 170 people on Thursday. "
            "The attack was the work of the Islamic State, which has claimed responsibility. "
            "Pentagon officials blamed the group for the bombing.")
    s = _slots(nlp, text)
    assert _has(s.get("responsibility_claimed_by"), "Islamic State")
    assert _has(s.get("blamed"), "Islamic State")


def test_denial_without_toll_gets_an_event(nlp: Any) -> None:
    a = _analyze(nlp, "The army blamed Hezbollah for the rocket launch. Hezbollah denied any involvement.")
    assert any(e.sub_event_type == "responsibility only" for e in a.events)
    assert {f.slot for f in a.facts} >= {"blamed", "denied_by"}


def test_people_years_and_questions_are_screened(nlp: Any) -> None:
    text = ("A suicide bombing killed 84 people at a mosque on Monday. "
            "He added that the attack was carried out by Huziafa, a 25-year-old suicide bomber. "
            "An offshoot of the group claimed twin bombings outside a stadium in December 2016 that killed 38 people. "
            "Who will become the target of Iran's strikes?")
    s = _slots(nlp, text)
    assert not _has(s.get("blamed"), "Huziafa") and not _has(s.get("perpetrator"), "Huziafa")
    assert not s.get("responsibility_claimed_by")
    assert not _has(s.get("blamed"), "Iran")


def test_blame_after_a_clause_takes_its_object(nlp: Any) -> None:
    s = _slots(nlp, "Separately, a drone attack on a market killed 17 people; Ukraine blamed Russia.")
    assert _has(s.get("blamed"), "Russia")


def test_capital_speaks_for_its_government_and_launch_noun_names_agent(nlp: Any) -> None:
    text = ("Gunmen killed 137 people at a concert hall on Friday. "
            "Kyiv denied any involvement in the attack.")
    assert _has(_slots(nlp, text).get("denied_by"), "Ukraine")
    text2 = ("An explosion at a hospital killed hundreds of people on Tuesday. "
             "The army said the blast was caused by a failed rocket launch by Islamic Jihad.")
    assert _has(_slots(nlp, text2).get("blamed"), "Islamic Jihad")


def test_strikes_of_past_years_are_not_this_events_blame(nlp: Any) -> None:
    text = ("Two blasts killed 84 people at a memorial ceremony on Wednesday, on the anniversary of "
            "a general's killing in a US drone strike. The general was killed in a US drone strike exactly four years ago.")
    s = _slots(nlp, text)
    assert not _has(s.get("blamed"), "United States") and not _has(s.get("perpetrator"), "United States")


def test_denied_carrying_out_and_past_attacks(nlp: Any) -> None:
    text = ("Two missiles hit the railway station, killing 59 people. "
            "Russia's defence ministry denied carrying out the strike.")
    assert _has(_slots(nlp, text).get("denied_by"), "Russia")
    text2 = ("A suicide bomber killed 52 people at a mosque on Friday. No group has claimed responsibility "
             "for the attack, but the Pakistani Taliban have carried out similar attacks in the past.")
    s = _slots(nlp, text2)
    assert "responsibility_unclaimed" in s and not _has(s.get("blamed"), "Taliban") and not _has(s.get("perpetrator"), "Taliban")


def test_the_group_speaks_for_the_armed_group_named_before(nlp: Any) -> None:
    text = ("A suicide bombing killed 84 people at a mosque on Monday. A commander of the Tehrik-i-Taliban Pakistan, "
            "Sarbakaf Mohmand, claimed the bombing. The militant group later denied being involved in the bombing.")
    assert _has(_slots(nlp, text).get("denied_by"), "Tehrik-i-Taliban")


def test_a_war_named_as_an_operation_is_no_acknowledgement(nlp: Any) -> None:
    text = ("A missile hit the railway station, killing 59 people on Friday. "
            "Moscow has pressed on with Russia's special military operation in the east of the country for six weeks.")
    assert not _has(_slots(nlp, text).get("responsibility_claimed_by"), "Russia")
