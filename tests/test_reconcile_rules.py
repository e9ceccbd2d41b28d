"""Reconciliation rules on hand-built values (no model, no store)."""

from __future__ import annotations

from rashomon.model import SlotValue
from rashomon.reconcile.rules import display, reconcile_slot, responsibility_matrix


def v(value: str, outlet: str, as_of: str | None, *, num: float | None = None, q: str | None = None,
      article: str | None = None, speaker: str = "the article", speaker_type: str = "article",
      speaker_id: str | None = None, name: str | None = None) -> SlotValue:
    sv = SlotValue(
        value=value, value_num=num, low=None, high=None, qualifier=q, outlet=outlet,
        article_id=article or f"{outlet}-{as_of}", speaker=speaker, speaker_type=speaker_type,  # type: ignore[arg-type]
        as_of=as_of, evidence_text="...", evidence_start=0, evidence_end=3, fact_id=f"f-{outlet}-{value}-{as_of}",
        value_name=name, speaker_id=speaker_id,
    )
    return sv


def test_seed_toll_conflict_low_best_high():
    values = [
        v("91", "Press TV", None, num=91, q="at least"),
        v("100", "New Eastern Outlook", "2024-01-21", num=100, q="about"),
    ]
    r = reconcile_slot("killed", values)
    assert r.status == "conflicting"
    assert (r.low, r.best, r.high) == (91, 91, 100)
    assert r.rule and r.rule.startswith("conservative")
    assert "Press TV: at least 91" in r.explanation
    assert "New Eastern Outlook: about 100" in r.explanation
    assert r.explanation.endswith("sources disagree")


def test_rising_toll_from_one_outlet_is_a_revision():
    values = [
        v("73", "Meridian Wire", "2024-01-03", num=73),
        v("103", "Meridian Wire", "2024-01-04", num=103),
        v("84", "Meridian Wire", "2024-01-05", num=84),
    ]
    r = reconcile_slot("killed", values)
    assert r.status == "revised"
    assert (r.low, r.best, r.high) == (84, 84, 84)  # superseded figures do not bound the range
    assert "73 → 103 → 84" in r.explanation


def test_revision_then_agreement_with_another_outlet_is_corroborated():
    values = [
        v("73", "Wire", "2024-01-03", num=73),
        v("84", "Wire", "2024-01-05", num=84),
        v("84", "Radio", "2024-01-05", num=84),
    ]
    r = reconcile_slot("killed", values)
    assert r.status == "corroborated"
    assert r.explanation.endswith("independent sources agree; revised over time by Wire")


def test_two_independent_outlets_agree():
    values = [v("suicide bombing", "A", "2024-01-04"), v("Suicide bombing", "B", "2024-01-04")]
    assert reconcile_slot("method", values).status == "corroborated"


def test_near_duplicate_is_not_independent():
    a = v("84", "Wire", "2024-01-05", num=84, article="a1")
    b = v("84", "Reprint Daily", "2024-01-05", num=84, article="b1")
    r = reconcile_slot("killed", [a, b], duplicates={"b1": "a1"})
    assert r.status == "single_source"


def test_single_source():
    r = reconcile_slot("injured", [v("200", "NEO", "2024-01-21", num=200, q="over")])
    assert r.status == "single_source"
    assert (r.low, r.best, r.high) == (200, 200, 200)
    assert display(r.values[0]) == "over 200"


def test_official_figure_is_preferred_for_best():
    values = [
        v("95", "Wire", "2024-01-04", num=95, speaker="Iran's health ministry", speaker_type="unnamed"),
        v("120", "Blog", "2024-01-04", num=120),
        v("90", "Radio", "2024-01-04", num=90),
    ]
    r = reconcile_slot("killed", values)
    assert r.status == "conflicting"
    assert (r.low, r.best, r.high) == (90, 95, 120)
    assert r.rule and r.rule.startswith("official-latest")


def test_dates_of_different_precision_agree():
    values = [v("2024-01-03", "A", "2024-01-04"), v("2024-01", "B", "2024-01-20")]
    assert reconcile_slot("date", values).status == "corroborated"


def test_responsibility_matrix_relations():
    by_slot = {
        "responsibility_claimed_by": [v("Q2429253", "NEO", "2024-01-21", name="Islamic State")],
        "denied_by": [v("Q801", "NEO", "2024-01-21", name="Israel")],
        "blamed": [v("Q801", "Press TV", None, name="Israel")],
        "perpetrator": [v("Q2429253", "NEO", "2024-01-21", name="Islamic State", speaker="the US", speaker_type="actor")],
    }
    rows = responsibility_matrix(by_slot, hedges={by_slot["perpetrator"][0].fact_id: True})
    rel = {(r["outlet"], r["relation"], r["speaker"], r["target"]) for r in rows}
    assert ("NEO", "claimed", "the article", "Islamic State") in rel
    assert ("NEO", "denied", "the article", "Israel") in rel
    assert ("Press TV", "blamed", "the article", "Israel") in rel
    assert ("NEO", "attributed", "the US", "Islamic State") in rel
    assert next(r for r in rows if r["relation"] == "attributed")["hedged"] is True


def band(value: str, outlet: str, *, num: float, low: float, high: float, name: str, q: str | None = None) -> SlotValue:
    sv = v(value, outlet, "2024-01-04", num=num, q=q, name=name)
    sv.low, sv.high = low, high
    return sv


def test_a_floor_is_compatible_with_a_higher_count():
    r = reconcile_slot("killed", [v("84", "Wire", "2024-01-05", num=84, q="at least"), v("91", "Radio", "2024-01-06", num=91)])
    assert r.status == "revised"  # different figures, both true: never shown as a conflict
    assert "can all be true" in r.explanation


def test_dozens_is_compatible_with_forty():
    r = reconcile_slot("injured", [band("24", "A", num=24, low=24, high=99, name="dozens"), v("40", "B", "2024-01-04", num=40)])
    assert r.status != "conflicting"
    assert r.best == 40  # a band is used for best only when no source gives a number


def test_a_range_holds_a_figure_inside_it():
    rng = band("100", "A", num=100, low=100, high=300, name="between 100 and 300", q=None)
    assert reconcile_slot("killed", [rng, v("250", "B", "2024-01-04", num=250)]).status != "conflicting"
    assert reconcile_slot("killed", [rng, v("350", "B", "2024-01-04", num=350)]).status == "conflicting"


def test_two_figures_in_one_article_are_a_revision_not_a_conflict():
    a = v("12", "Wire", "2024-01-04", num=12, article="a1")
    a.evidence_text = "The toll has risen to 12."
    b = v("11", "Wire", "2024-01-04", num=11, article="a1")
    b.evidence_text = "Earlier, officials said 11 had died."
    r = reconcile_slot("killed", [b, a])
    assert r.status == "revised"
    assert r.best == 12  # the article's current figure, not its superseded one


def test_same_owner_outlets_are_one_source():
    values = [v("84", "State TV", "2024-01-05", num=84), v("84", "State Radio", "2024-01-05", num=84)]
    assert reconcile_slot("killed", values).status == "corroborated"
    same_state = {"State TV": "state:XX", "State Radio": "state:XX"}
    r = reconcile_slot("killed", values, source_key=lambda x: same_state[x.outlet or ""])
    assert r.status == "single_source"


def test_an_estimate_well_above_a_floor_is_a_conflict():
    # "at least 91" and "about 100" are two different counts, not one count refined
    r = reconcile_slot("killed", [v("91", "A", "2024-01-05", num=91, q="at least"), v("100", "B", "2024-01-05", num=100, q="about")])
    assert r.status == "conflicting"
    r = reconcile_slot("killed", [v("98", "A", "2024-01-05", num=98, q="at least"), v("100", "B", "2024-01-05", num=100, q="about")])
    assert r.status != "conflicting"


# --- other slots are compared by meaning: no red where the accounts can all be true ---

def test_an_armed_force_agrees_with_its_state():
    values = [v("Q159", "Outlet A", "2023-01-15", name="Russia"),
              v("rsh:russian-armed-forces", "Outlet B", "2023-01-15", name="Russian Armed Forces")]
    assert reconcile_slot("perpetrator", values).status == "corroborated"


def test_a_branch_agrees_with_its_parent_group():
    values = [v("Q2429253", "Outlet A", "2021-08-27", name="Islamic State"),
              v("rsh:isis-k", "Outlet B", "2021-08-27", name="Islamic State – Khorasan Province")]
    assert reconcile_slot("responsibility_claimed_by", values).status == "corroborated"


def test_a_faction_agrees_with_its_group():
    # the registry holds Jamaat-ul-Ahrar as a faction of the Pakistani Taliban (TTP)
    values = [v("rsh:ttp", "Outlet A", "2023-01-30", name="Tehrik-i-Taliban Pakistan"),
              v("rsh:jamaat-ul-ahrar", "Outlet B", "2023-01-30", name="Jamaat-ul-Ahrar")]
    assert reconcile_slot("responsibility_claimed_by", values).status != "conflicting"


def test_blame_on_unnamed_kurdish_militants_agrees_with_blame_on_a_named_group():
    # "Kurdish militants (unspecified)" is the registry's generic actor over PKK, YPG, PJAK, KCK
    values = [v("rsh:kurdish-militants", "Outlet A", "2022-11-14", name="Kurdish militants (unspecified)"),
              v("rsh:pkk", "Outlet B", "2022-11-14", name="Kurdistan Workers' Party")]
    assert reconcile_slot("blamed", values).status != "conflicting"
    # two named groups blamed by two sources still disagree
    values = [v("rsh:ypg", "Outlet A", "2022-11-14", name="People's Defense Units (YPG)"),
              v("Q2429253", "Outlet B", "2022-11-14", name="Islamic State")]
    assert reconcile_slot("blamed", values).status == "conflicting"


def test_blame_on_two_different_states_still_conflicts():
    values = [v("Q159", "Outlet A", "2023-01-15", name="Russia"),
              v("Q212", "Outlet B", "2023-01-15", name="Ukraine")]
    assert reconcile_slot("blamed", values).status == "conflicting"


def test_two_different_denials_never_conflict():
    values = [v("Q159", "Outlet A", "2022-03-17", name="Russia"),
              v("rsh:azov", "Outlet B", "2022-03-17", name="Azov")]
    assert reconcile_slot("denied_by", values).status == "revised"


def test_a_city_is_compatible_with_its_country_but_not_with_another_city():
    city = v("Peshawar", "Outlet A", "2023-01-31", name="Peshawar, PK")
    country = v("Pakistan", "Outlet B", "2023-01-31", name="Pakistan, PK")
    r = reconcile_slot("place", [city, country])
    assert r.status == "revised" and "can all be true" in r.explanation
    other = v("Lahore", "Outlet C", "2023-01-31", name="Lahore, PK")
    assert reconcile_slot("place", [city, other]).status == "conflicting"


def test_dates_a_day_apart_are_compatible_two_days_are_not():
    a, b = v("2023-01-30", "Outlet A", "2023-01-31"), v("2023-01-31", "Outlet B", "2023-01-31")
    assert reconcile_slot("date", [a, b]).status == "revised"
    c = v("2023-02-02", "Outlet C", "2023-02-02")
    assert reconcile_slot("date", [a, c]).status == "conflicting"


def test_close_method_descriptions_are_compatible_suicide_vs_planted_is_not():
    air, missile = v("air/drone strike", "Outlet A", None), v("missile/shelling", "Outlet B", None)
    assert reconcile_slot("method", [air, missile]).status == "revised"
    suicide = v("suicide bombing", "Outlet A", None)
    planted = v("planted explosives, remote detonation", "Outlet B", None)
    assert reconcile_slot("method", [suicide, planted]).status == "conflicting"


def test_story_date_is_the_one_the_accounts_support():
    from rashomon.reconcile.rules import story_date

    # one account's recalled "September 2013" does not outvote two that agree
    assert story_date(["2013-09", "2023-01-30", "2023-01-31"]) == "2023-01-30"
    assert story_date(["2024-01", "2024-01-03"]) == "2024-01-03"
    assert story_date([]) is None


def test_a_toll_reported_higher_a_day_later_is_a_rise_not_a_conflict():
    early = v("34", "Outlet A", "2023-01-30", num=34)
    late = v("100", "Outlet B", "2023-01-31", num=100)
    r = reconcile_slot("killed", [early, late])
    assert r.status == "revised" and "rising count" in r.explanation
    # a lower figure a day later, or two figures the same day, still disagree
    lower = v("20", "Outlet C", "2023-01-31", num=20)
    assert reconcile_slot("killed", [early, lower]).status == "conflicting"
    same_day = v("100", "Outlet D", "2023-01-30", num=100)
    assert reconcile_slot("killed", [early, same_day]).status == "conflicting"


def test_a_city_is_compatible_with_the_region_around_it_not_with_a_far_one():
    rafah = v("Rafah", "Outlet A", "2024-05-27", name="Rafaḩ, PS")
    strip = v("Gaza Strip", "Outlet B", "2024-05-27", name="Gaza Strip, PS")
    assert reconcile_slot("place", [rafah, strip]).status == "revised"
    bank = v("West Bank", "Outlet C", "2024-05-27", name="West Bank, PS")
    assert reconcile_slot("place", [rafah, bank]).status == "conflicting"
    # two towns a few kilometres apart are still two places
    khan = v("Khan Yunis", "Outlet D", "2024-05-27", name="Khan Yunis, PS")
    assert reconcile_slot("place", [rafah, khan]).status == "conflicting"


def test_an_older_official_count_is_superseded_by_a_later_day():
    values = [
        v("72", "Wire A", "2024-03-01", num=72, q="at least", speaker="officials", speaker_type="unnamed"),
        v("170", "Paper B", "2024-03-02", num=170),
        v("170", "Paper C", "2024-03-02", num=170),
        v("170", "Paper D", "2024-03-02", num=170),
    ]
    r = reconcile_slot("killed", values)
    assert r.best == 170 and r.rule and r.rule.startswith("corroborated")


def test_of_two_undated_official_counts_the_update_wins():
    values = [
        v("40", "Paper A", None, num=40, speaker="officials", speaker_type="unnamed", article="a1"),
        v("21", "Paper B", None, num=21, speaker="police officials", speaker_type="unnamed", article="b1"),
    ]
    values[0].evidence_text = "The death toll rose to 40, officials said."
    values[1].evidence_text = "Police officials said 21 people had died."
    r = reconcile_slot("killed", values)
    assert r.best == 40 and r.rule and r.rule.startswith("official-latest")


def test_an_official_band_does_not_outrank_stated_figures():
    band = v("24", "Wire", None, num=24, q="dozens", speaker="the city police", speaker_type="unnamed", name="dozens")
    band.low, band.high = 24, 99
    values = [
        band,
        v("81", "Daily A", None, num=81),
        v("81", "Daily B", None, num=81),
        v("91", "Daily C", None, num=91),
    ]
    r = reconcile_slot("injured", values)
    assert r.best == 81 and r.rule and r.rule.startswith("corroborated")
    # with no stated figure at all, the officials' band is still the best there is
    r = reconcile_slot("injured", values[:1])
    assert r.best == 24


def test_an_estimate_is_a_figure_for_the_conservative_best():
    values = [
        v("2750", "Daily A", None, num=2750, q="approximately"),
        v("4000", "Daily B", None, num=4000, q="over"),
        v("3000", "Daily C", None, num=3000, q="about"),
    ]
    r = reconcile_slot("injured", values)
    assert r.best == 2750 and r.rule and r.rule.startswith("conservative")


def test_a_named_person_in_office_is_an_official_source():
    values = [
        v("84", "Daily A", "2023-02-02", num=84, speaker="Provincial Police Chief Jan Doe", speaker_type="actor",
          speaker_id="prov:jan-doe"),
        v("100", "Daily B", "2023-02-02", num=100),
        v("100", "Daily C", "2023-02-02", num=100),
    ]
    r = reconcile_slot("killed", values, actor_kinds={"prov:jan-doe": "person"})
    assert r.best == 84 and r.rule and r.rule.startswith("official-latest")
    # a person with no office named is not
    values[0] = v("84", "Daily A", "2023-02-02", num=84, speaker="Jan Doe, a witness", speaker_type="actor",
                  speaker_id="prov:jan-doe")
    r = reconcile_slot("killed", values, actor_kinds={"prov:jan-doe": "person"})
    assert r.best == 100 and r.rule and r.rule.startswith("corroborated")


def test_a_person_described_is_at_least_one_and_no_conflict_with_a_count():
    """"A 2-year-old child was injured" (one outlet) and "three others were injured"
    (another): a person described is at least one, so the count of three is no
    contradiction, and it is the best figure (it was a red conflict, best 1)."""
    values = [
        v("1", "Ridge Daily", "2016-05-01", num=1, name="a 2-year-old child"),
        v("3", "Valley News", "2016-05-01", num=3, name="Three others"),
    ]
    for x in values:
        x.low = x.high = x.value_num  # as extraction stores a count
    r = reconcile_slot("injured", values)
    assert r.status != "conflicting"
    assert r.best == 3


def test_conservative_best_is_the_lowest_count_every_figure_allows():
    values = [
        v("84", "Ridge Daily", "2024-01-04", num=84, q="at least"),
        v("91", "Valley News", "2024-01-04", num=91),
    ]
    r = reconcile_slot("killed", values)
    assert r.status != "conflicting"
    assert r.best == 91  # "at least 84" and 91: 91, not 84
    only_floors = [v("84", "Ridge Daily", "2024-01-04", num=84, q="at least"),
                   v("103", "Valley News", "2024-01-04", num=103, q="more than")]
    assert reconcile_slot("killed", only_floors).best == 103
