"""Responsibility rules added for the real-dev failure classes (docs/extraction.md,
"Responsibility"): one short text per class, written for these tests."""

from __future__ import annotations

from typing import Any

from rashomon.extract import analyze_doc
from rashomon.extract.claims import responsibility
from rashomon.model import Article

LEAD = "A car bomb killed 14 people at a market in the city on Monday. "


def _facts(nlp: Any, text: str, published: str | None = "2024-01-09") -> set[tuple[str, str, str]]:
    art = Article(id="t1", text=text, outlet="Test Wire", published=published)
    res = analyze_doc(nlp(text), art, nlp, framing=False)
    slots = {"blamed", "denied_by", "responsibility_claimed_by"}
    return {(f.slot, f.value_name or f.value, f.speaker_name) for f in res.facts if f.slot in slots}


def _values(nlp: Any, text: str, slot: str, published: str | None = "2024-01-09") -> set[str]:
    return {v for s, v, _ in _facts(nlp, text, published) if s == slot}


def test_passive_blame_names_the_blamed_and_the_blamer(nlp: Any) -> None:
    facts = _facts(nlp, LEAD + "Hamas was blamed for the bombing by Israeli officials.")
    assert ("blamed", "Hamas", "Israeli officials") in facts
    assert not any(v == "Israel" for _, v, _ in facts)  # "by Israeli officials" is no agent of the bombing
    assert "Islamic State" in _values(nlp, LEAD + "The attack was blamed on the Islamic State.", "blamed")
    assert "Israel" in _values(nlp, LEAD + "The blast was remote, with Israel being implicated by Lebanese officials.", "blamed")
    assert "Israel" in _values(nlp, LEAD + "Israel is suspected of carrying out the attack.", "blamed")


def test_passive_blame_of_people_is_no_party_fact(nlp: Any) -> None:
    text = "A man was shot dead on Main Street on Friday. Two local men are accused of shooting him."
    assert not _values(nlp, text, "blamed")


def test_blamed_the_attack_on_x(nlp: Any) -> None:
    assert _values(nlp, LEAD + "Iran blamed the attack on Israel.", "blamed") == {"Israel"}


def test_suspect_of_responsibility_is_blame(nlp: Any) -> None:
    text = LEAD + "American officials suspect the Islamic State of responsibility for the bombing."
    assert "Islamic State" in _values(nlp, text, "blamed")


def test_nominal_claim_of_responsibility(nlp: Any) -> None:
    assert "Islamic State" in _values(nlp, LEAD + "The Islamic State issued a claim of responsibility.", "responsibility_claimed_by")
    assert not _values(nlp, LEAD + "There was no claim of responsibility.", "responsibility_claimed_by")


def test_accusation_of_a_non_act_blames_nothing(nlp: Any) -> None:
    text = LEAD + "Turkey has blocked the bid for months, accusing Sweden of leniency towards the group."
    assert "Sweden" not in _values(nlp, text, "blamed")


def test_carried_by_is_no_perpetration(nlp: Any) -> None:
    text = LEAD + "Officials said that pagers carried by Hezbollah members were detonated."
    assert "Hezbollah" not in _values(nlp, text, "blamed")


def test_act_named_by_this_events_date(nlp: Any) -> None:
    text = "The toll from a January 14 Russian missile attack on a block of flats has risen to 45."
    assert "Russia" in _values(nlp, text, "blamed", published="2023-01-18")  # four days on: this event
    older = "Soldiers patrolled the town on Monday. The October 7 Hamas attack left scars, a resident said."
    assert "Hamas" not in _values(nlp, older, "blamed", published="2024-06-09")  # months before: another


def test_acts_of_a_record_or_before_a_kidnapping_are_other_events(nlp: Any) -> None:
    text = LEAD + ("The minister said the order came from Kobani, where Turkish forces have carried out "
                   "operations against militants in recent years.")
    assert not any("Turk" in v for v in _values(nlp, text, "blamed"))
    text2 = ("Israeli forces rescued four hostages in Gaza on Saturday. The army named the hostages "
             "kidnapped from a festival during Hamas's raid on Israeli towns.")
    assert "Hamas" not in _values(nlp, text2, "blamed")


def test_relative_speaker_through_apposition_and_force_demonym(nlp: Any) -> None:
    text = LEAD + ("Ivan Petrov, an adviser to the president, who suggested that a Ukrainian air defense "
                   "system shot down the missile, has resigned.")
    facts = _facts(nlp, text)
    assert any(s == "blamed" and v == "Ukraine" and "Ivan Petrov" in who for s, v, who in facts)


def test_coordinated_targets_past_a_parenthesis(nlp: Any) -> None:
    text = LEAD + "The minister blamed the Kurdistan Workers' Party (PKK) and the People's Protection Units (YPG)."
    blamed = _values(nlp, text, "blamed")
    assert "Kurdistan Workers' Party" in blamed and any("YPG" in b for b in blamed)


def test_target_known_as(nlp: Any) -> None:
    text = LEAD + "Pentagon officials blamed the group, also known as the Islamic State, for the attack."
    assert "Islamic State" in _values(nlp, text, "blamed")


def test_hyphen_split_weapon_keeps_its_demonym(nlp: Any) -> None:
    text = LEAD + "Hezbollah claimed that an Israeli counter-rocket caused the deaths."
    assert ("blamed", "Israel", "Hezbollah") in _facts(nlp, text)


def test_own_forces_in_a_spokesmans_statement(nlp: Any) -> None:
    text = ("An airstrike killed 35 people at a camp in Rafah on Sunday. Daniel Hagari, the chief military "
            "spokesman, said the military had fired two munitions at the compound.")
    assert "Israel Defense Forces" in _values(nlp, text, "responsibility_claimed_by", published="2024-05-28")
    text2 = ("An airstrike killed 35 people at a camp in Rafah on Sunday. The IDF spokesperson stated "
             "that the Air Force used precise munitions in the strike.")
    assert "Israel Defense Forces" in _values(nlp, text2, "responsibility_claimed_by", published="2024-05-28")


def test_own_act_in_said_by_content_is_acknowledged(nlp: Any) -> None:
    text = ("Gunfire killed a police officer in Gaza on Saturday. The Israeli military said the team came "
            "under fire, while Israel's air force launched strikes on nearby buildings.")
    facts = _facts(nlp, text, published="2024-06-09")
    assert any(s == "responsibility_claimed_by" and v == "Israel" for s, v, _ in facts)
    assert not any(s == "blamed" and v == "Israel" for s, v, _ in facts)


def test_rescue_raid_is_an_open_operation(nlp: Any) -> None:
    text = "The ministry says 274 people were killed in the Israeli raid that rescued four hostages."
    assert "Israel" in _values(nlp, text, "responsibility_claimed_by", published="2024-06-09")


def test_denier_acknowledging_another_strike(nlp: Any) -> None:
    text = ("A rocket killed 12 children on a football pitch in the Golan Heights on Saturday. Hezbollah "
            "denied any involvement. Hezbollah said it struck a military base in retaliation for "
            "earlier raids.")
    values = _facts(nlp, text, published="2024-07-28")
    assert ("denied_by", "Hezbollah", "Hezbollah") in values
    assert not any(s == "responsibility_claimed_by" for s, _, _ in values)


def test_find_skips_tokens_no_rule_reads(nlp: Any) -> None:
    """The lemma gate keeps ``find`` cheap and loses nothing: every rule's start lemma is in it."""
    doc = nlp("No group has claimed responsibility. Hamas was not involved in the bombing.")
    found = responsibility.find(doc, [], frozenset())
    assert {f.rule for f in found} == {"responsibility.absence", "responsibility.no_role"}
    assert {"deny", "claim", "have", "be", "blame", "hold", "identify"} <= responsibility._FIND_LEMMAS
