"""Document-then-event linking: the learned article linker and story assembly.

Texts are short ones written for these tests (invented towns and people)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from conftest import SHARED
from rashomon.link import docs as ld
from rashomon.link.docs import DocRecord, agglomerate, candidate_pairs, link_documents
from rashomon.link.stories import EventRecord, make_title, where_phrase

SHOOT_A1 = DocRecord(
    "a1", "Two men shot dead outside Marlow Street bar in Elmford",
    "ELMFORD - Two men were shot and killed outside the Copper Kettle bar on Marlow Street late Friday, "
    "Elmford police said. Police identified the victims as Darnell Reese, 24, and Tomas Quill, 31. "
    "No arrests have been made.",
    published="2019-06-15", outlet="elmford-gazette", event_date="2019-06-14", place="Elmford", country="US",
    killed=2.0)
SHOOT_A2 = DocRecord(
    "a2", "Police name victims of Copper Kettle double killing",
    "Elmford police on Saturday named Darnell Reese and Tomas Quill as the two men killed in a shooting "
    "outside the Copper Kettle bar on Marlow Street. Detectives are asking witnesses to come forward.",
    published="2019-06-16", outlet="channel-9", event_date="2019-06-14", place="Elmford", country="US",
    killed=2.0)
SHOOT_B = DocRecord(
    "b1", "Teen wounded in Elmford drive-by on Birch Avenue",
    "ELMFORD - A 16-year-old boy was wounded Tuesday when someone fired from a passing car on Birch "
    "Avenue, police said. The teen, whose name was not released, is expected to survive.",
    published="2019-06-19", outlet="elmford-gazette", event_date="2019-06-18", place="Elmford", country="US",
    injured=1.0)


def test_same_shooting_links_and_other_shooting_same_city_same_week_stays_apart() -> None:
    out = link_documents([SHOOT_A1, SHOOT_A2, SHOOT_B])
    assert out["a1"] == out["a2"]
    assert out["b1"] != out["a1"]


def test_previous_clusters_are_never_split_and_order_does_not_matter() -> None:
    out = link_documents([SHOOT_B, SHOOT_A1], previous={"a1": "s-x", "b1": "s-x"})
    assert out["a1"] == out["b1"]
    recs = [SHOOT_A1, SHOOT_A2, SHOOT_B]
    base = link_documents(recs)
    shuffled = recs[:]
    random.Random(3).shuffle(shuffled)
    assert link_documents(shuffled) == base


def test_a_near_duplicate_goes_with_its_original_unscored() -> None:
    # a re-crawl of the Birch Avenue report, stored as its near-duplicate: it joins the
    # report's cluster whatever the linker would make of its own record, and is not scored
    copy = DocRecord("c1", SHOOT_A2.title, SHOOT_A2.text, published="2019-06-19", outlet="elmford-gazette")
    out = link_documents([SHOOT_A1, SHOOT_A2, SHOOT_B, copy], same={"c1": "b1"})
    assert out["c1"] == out["b1"] != out["a1"] == out["a2"]
    # an original outside the pool: the copy is linked as any other article
    out = link_documents([SHOOT_A1, SHOOT_A2, copy], same={"c1": "b1"})
    assert out["c1"] == out["a2"]
    # an earlier story of the copy holds its original too (stories are never split)
    out = link_documents([SHOOT_A1, SHOOT_B, copy], previous={"c1": "s-a", "a1": "s-a"}, same={"c1": "b1"})
    assert out["a1"] == out["b1"] == out["c1"]


def test_originals_follow_chains_and_stop_on_loops() -> None:
    assert ld.originals(["a", "b", "c", "d"], {"b": "a", "c": "b", "d": "x"}) == {"b": "a", "c": "a"}
    assert ld.originals(["a", "b", "c"], {"a": "b", "b": "c", "c": "a"}) == {"b": "a", "c": "a"}
    assert ld.originals(["a"], {"a": "a"}) == {}


def test_agglomerate_average_linkage() -> None:
    # 0-1 and 1-2 strong, 0-2 unscored (counts as 0): {0, 1} to 2 averages 0.45
    scores = {(0, 1): 0.9, (1, 2): 0.9, (2, 3): 0.1}
    lab = agglomerate(4, scores, 0.4)
    assert lab[0] == lab[1] == lab[2] != lab[3]
    lab = agglomerate(4, scores, 0.5)
    assert lab[0] == lab[1] != lab[2]
    assert agglomerate(3, {}, 0.5, groups=[[0, 2]]) == [0, 1, 0]


def test_blocking_is_near_linear() -> None:
    rng = random.Random(0)
    recs = []
    for i in range(3000):
        day = rng.randrange(0, 3 * 365)
        y, d = 2016 + day // 365, day % 365
        recs.append(DocRecord(
            f"d{i:05d}", f"Shooting in Town{rng.randrange(300)} leaves one hurt",
            f"Police in Town{rng.randrange(300)} said a man was hurt.",
            published=f"{y}-{1 + d // 31 % 12:02d}-{1 + d % 28:02d}", place=f"Town{rng.randrange(300)}"))
    pairs = candidate_pairs(recs)
    assert len(pairs) < 100 * len(recs)  # all pairs would be 4.5 million


def test_doc_record_main_event_ignores_passing_references() -> None:
    art = {"id": "x", "title": "Twin blasts hit Dorrin market", "text": "Twin blasts hit the Dorrin market.",
           "published": "2024-01-04", "outlet": None, "domain": "example.org"}
    mentions = [
        {"id": "x-1", "trigger_start": 0, "date": "2024-01-03", "date_precision": "day", "place_name": "Dorrin",
         "country": "IR", "killed": 40.0, "injured": None, "reference": False},
        {"id": "x-2", "trigger_start": 200, "date": "2020-01-03", "date_precision": "day",
         "place_name": "Baghdad", "country": "IQ", "killed": 10.0, "injured": None, "reference": True},
    ]
    r = ld.doc_record(art, mentions)
    assert (r.event_date, r.place, r.country, r.killed) == ("2024-01-03", "Dorrin", "IR", 40.0)
    assert r.outlet == "example.org"


def _ev(id: str, doc: str, date: str | None, place: str, country: str, trigger: str, text: str,
        sub: str = "Air/drone strike") -> EventRecord:
    return EventRecord(id, doc, "Explosions/Remote violence", sub, date, "day" if date else None, country,
                       place, frozenset({"Q_general"}) if "general" in text else frozenset(), trigger, text)


def test_passing_reference_links_to_the_old_story_without_joining_it_as_main_event() -> None:
    """A bombing article mentions a drone strike four years earlier: its reference mention
    goes to the drone strike's story, but the article stays in the bombing's story."""
    from rashomon.reconcile import assign_stories

    recs = [
        _ev("old-1", "old", "2020-01-03", "Baghdad", "IQ", "strike",
            "A drone strike near Baghdad airport killed general Varo Stan."),
        _ev("new-1", "new", "2024-01-03", "Dorrin", "IR", "blasts", "Twin blasts in Dorrin killed 40 mourners.",
            sub="Remote explosive/landmine/IED"),
        _ev("new-2", "new", None, "Baghdad", "IQ", "strike",
            "general Varo Stan, who was killed in a drone strike near Baghdad airport four years ago"),
    ]
    doc_cluster = {"old": 0, "new": 1}
    docrec = {
        "old": DocRecord("old", "", "", event_date="2020-01-03", place="Baghdad", country="IQ"),
        "new": DocRecord("new", "", "", event_date="2024-01-03", place="Dorrin", country="IR"),
    }
    assignment, contributing, arts = assign_stories(recs, {"new-2"}, doc_cluster, docrec, {}, {})
    old_sid, new_sid = assignment["old-1"], assignment["new-1"]
    assert old_sid != new_sid
    assert assignment["new-2"] == old_sid  # linked to the story it refers to ...
    assert "new-2" not in contributing[old_sid]  # ... contributing nothing
    assert arts[old_sid] == ["old"] and arts[new_sid] == ["new"]  # the article stays with its main event


def test_reference_members_feed_no_slot_values() -> None:
    from rashomon.reconcile import build_story

    def member(id: str, art: str, ref: bool) -> dict[str, object]:
        return {"id": id, "article_id": art, "reference": ref, "event_type": "Explosions/Remote violence",
                "sub_event_type": "Suicide bomb", "date": "2024-01-03" if not ref else "2020-01-03",
                "date_precision": "day", "place_name": "Dorrin" if not ref else "Erbil", "country": "IR"}

    def fact(id: str, ev: str, art: str, n: float) -> dict[str, object]:
        return {"id": id, "event_mention_id": ev, "article_id": art, "slot": "killed", "value": str(int(n)),
                "value_num": n, "low": n, "high": n, "qualifier": None, "outlet": art, "speaker_name": None,
                "speaker_type": None, "as_of": "2024-01-04", "evidence_text": "", "evidence_start": 0,
                "evidence_end": 0, "value_name": None, "speaker_id": None, "claim_id": None}

    members = [member("m1", "a", False), member("m2", "b", False), member("m3", "b", True)]
    facts = [fact("f1", "m1", "a", 40), fact("f2", "m2", "b", 40), fact("f3", "m3", "b", 4)]
    story = build_story("s-1", members, facts, {"a": {"outlet": "A"}, "b": {"outlet": "B"}}, {}, {}, "test")
    values = [v.value_num for v in story.slots["killed"].values]
    assert values == [40, 40]  # the Erbil-style sentence's 4 is not this event's toll
    assert story.slots["killed"].status != "conflicting"
    assert story.date == "2024-01-03" and story.place_name == "Dorrin"


def test_titles_name_each_place_once() -> None:
    york = [EventRecord("y1", "d", "Violence against civilians", "Attack", "2015-11-15", "day", "US", "York",
                        frozenset(), "shooting", "A man was shot in York.")]
    assert make_title(york) == "Shooting in York, Pennsylvania, 2015-11-15"
    us = [EventRecord("u1", "d", "Violence against civilians", "Attack", None, None, "US", "United States",
                      frozenset(), "attack", "")]
    assert make_title(us) == "Attack in United States"
    assert where_phrase("Kerman", "IR") == "Kerman, Iran"
    assert where_phrase("Kerman, Kerman", "IR") == "Kerman, Iran"


def test_shipped_model_matches_the_code() -> None:
    m = ld.load_model()
    assert m.features == ld.FEATURES and 0.0 < m.cut < 1.0
    assert ld.MODEL_PATH.stat().st_size < 1_000_000




@pytest.mark.skipif(not (SHARED / "datasets" / "gva" / "gold.json").exists(), reason="GVA not present (../shared)")
def test_gva_scorer_matches_a_known_case() -> None:
    from rashomon.eval.gva import b3, score

    assert b3({"a": "1", "b": "1", "c": "2"}, {"a": "x", "b": "x", "c": "y"}) == (1.0, 1.0, 1.0)
    gold = {"doc_incident": {"u1": "i1", "u2": "i1", "u3": "i2"},
            "incidents": {"i1": {"killed": 2, "injured": 0}, "i2": {"killed": 0, "injured": 1}}}
    arts = [{"id": "a", "url": "u1", "text": "two killed", "published": "2019-01-01"},
            {"id": "b", "url": "u2", "text": "two killed", "published": "2019-01-01"},
            {"id": "c", "url": "u3", "text": "one hurt", "published": "2019-01-02"}]
    stories = [{"id": "s", "article_ids": ["a", "b"], "slots": {"killed": {"best": 2, "values": [{"value": "2"}]}}}]
    r = score(stories, arts, gold)
    assert r["b3"]["f1"] == 1.0 and r["killed_pos_exact"] == 1.0 and r["no_story"] == 1


ART_1 = """Two men killed in shooting outside Elmford bar

ELMFORD, Ohio - Two men were killed in a shooting outside the Copper Kettle bar on Marlow Street on June 14, 2019, Elmford police said. Police identified the victims as Darnell Reese, 24, and Tomas Quill, 31. No arrests have been made.
"""
ART_2 = """Police name two men killed in Copper Kettle shooting

ELMFORD, Ohio - Elmford police named Darnell Reese and Tomas Quill as the two men killed in the shooting outside the Copper Kettle bar on Marlow Street on June 14, 2019. Detectives are asking witnesses to come forward.
"""
ART_3 = """Man charged in Copper Kettle shooting that killed two

ELMFORD, Ohio - Police charged a 28-year-old man in the shooting that killed Darnell Reese and Tomas Quill outside the Copper Kettle bar on Marlow Street on June 14, 2019.
"""
ART_4 = """Woman killed in Birch Avenue shooting in Elmford

ELMFORD, Ohio - A woman was killed in a shooting on Birch Avenue on June 18, 2019, police said. Police identified her as Maya Lorne, 45. A gunman fired from a passing car.
"""


@pytest.mark.model
def test_incremental_pipeline_new_articles_join_and_ids_stay(tmp_path, store) -> None:
    from rashomon.pipeline import analyze

    files = []
    for i, text in enumerate([ART_1, ART_2, ART_3, ART_4], 1):
        f = tmp_path / f"art{i}.txt"
        f.write_text(text)
        files.append(str(f))

    def story_of() -> dict[str, str]:
        import json

        src = {r["id"]: r["source"] for r in store.rows("articles")}
        out = {}
        for r in store.rows("stories"):
            for a in json.loads(r["data"])["article_ids"]:
                out[Path(src[a]).name] = r["id"]
        return out

    analyze(store, files[:2], framing=False)
    first = story_of()
    assert first["art1.txt"] == first["art2.txt"]
    analyze(store, files[2:], framing=False)
    second = story_of()
    assert second["art1.txt"] == second["art2.txt"] == second["art3.txt"] == first["art1.txt"]
    assert second.get("art4.txt") != second["art1.txt"]
    titles = [r["title"] for r in store.rows("stories")]
    assert not any("United States, United States" in t for t in titles)


def test_an_undated_strike_elsewhere_published_days_later_is_its_own_story() -> None:
    """Three reports of a strike on a camp in Dorrin; a fourth article, published ten days
    later, reports an (undated) strike on a school in Velta, 20 km away. The document
    linker put it in the camp's cluster; it is another event. A follow-up published as
    late but about Dorrin itself stays."""
    from rashomon.reconcile import assign_stories

    recs = [_ev(f"c{i}-1", f"c{i}", "2024-05-26", "Dorrin", "XA", "strike", "A strike on a camp in Dorrin killed 45.")
            for i in range(3)]
    recs += [_ev("late-1", "late", None, "Velta", "XA", "strike", "A strike on a school in Velta killed 30."),
             _ev("follow-1", "follow", None, "Dorrin", "XA", "strike", "The strike on the Dorrin camp is under review.")]
    docrec = {f"c{i}": DocRecord(f"c{i}", "", "", published="2024-05-27", event_date="2024-05-26", place="Dorrin",
                                 country="XA") for i in range(3)}
    docrec["late"] = DocRecord("late", "", "", published="2024-06-06", place="Velta", country="XA")
    docrec["follow"] = DocRecord("follow", "", "", published="2024-06-06", place="Dorrin", country="XA")
    doc_cluster = dict.fromkeys(docrec, 0)
    assignment, _contributing, arts = assign_stories(recs, set(), doc_cluster, docrec, {}, {})
    camp = assignment["c0-1"]
    assert assignment["late-1"] != camp and "late" not in arts[camp]
    assert assignment["follow-1"] == camp and "follow" in arts[camp]


def _naive_scale(cos: list[float], pairs: list[tuple[int, int]], n: int, k: int) -> list[float]:
    nb: list[list[float]] = [[] for _ in range(n)]
    for (i, j), c in zip(pairs, cos, strict=True):
        nb[i].append(c)
        nb[j].append(c)
    mu = [sum(sorted(v)[-k:]) / len(sorted(v)[-k:]) if v else 1.0 for v in nb]
    return [m if m > 0 else 1.0 for m in mu]


def test_local_scale_is_the_mean_of_each_items_top_k_cosines(monkeypatch) -> None:
    import numpy as np

    rng = random.Random(3)
    n = 40
    pairs = sorted({(i, j) for i, j in ((rng.randrange(n), rng.randrange(n)) for _ in range(300)) if i < j})
    cos = [0.0 if rng.random() < 0.2 else rng.random() for _ in pairs]
    got = ld._local_scale(np.asarray(cos), np.asarray(pairs), n, k=5)
    assert np.allclose(got, _naive_scale(cos, pairs, n, 5))
    monkeypatch.setattr(ld, "SCALE_CHUNK", 7)  # items split across chunks
    assert np.allclose(ld._local_scale(np.asarray(cos), np.asarray(pairs), n, k=5), got)


def test_chunked_scoring_keeps_every_pair_above_the_floor(monkeypatch) -> None:
    """Pairs are scored chunk by chunk; what is kept is the same whatever the chunk size,
    and only pairs below the floor are dropped."""
    import numpy as np

    recs = [SHOOT_A1, SHOOT_A2, SHOOT_B]
    recs += [DocRecord(f"x{i}", f"Shooting in Elmford number {i}", f"A man was hurt on Street {i} in Elmford.",
                       published=f"2019-06-{10 + i:02d}", place="Elmford", country="US", injured=1.0)
             for i in range(12)]
    recs = sorted(recs, key=lambda r: r.id)
    model = ld.load_model()
    pairs = candidate_pairs(recs)
    probs = model.proba(ld.pair_features(recs, pairs))
    want = {p: float(s) for p, s in zip(pairs, probs, strict=True) if s >= ld.SCORE_FLOOR}
    assert want and len(want) < len(pairs)
    monkeypatch.setattr(ld, "SCORE_CHUNK", 7)
    monkeypatch.setattr(ld, "COS_CHUNK", 3)
    got = ld.score_pairs(recs, model).as_dict()
    assert got.keys() == want.keys()
    assert np.allclose([got[p] for p in want], list(want.values()))
    assert [tuple(p) for p in ld.candidate_index(recs).tolist()] == pairs


@pytest.mark.model
def test_stories_built_in_batches_are_the_stories_built_at_once(tmp_path, monkeypatch) -> None:
    """update_stories builds and writes the changed stories a batch at a time (memory
    stays that of one batch); the stories written do not depend on the batch size."""
    import json

    import rashomon.reconcile as rc
    from rashomon.pipeline import analyze
    from rashomon.store import Store

    files = []
    for i, text in enumerate([ART_1, ART_2, ART_3, ART_4], 1):
        f = tmp_path / f"art{i}.txt"
        f.write_text(text)
        files.append(str(f))
    out = []
    for batch in (1000, 1):
        monkeypatch.setattr(rc, "STORY_BATCH", batch)
        st = Store(str(tmp_path / f"b{batch}.db"))
        analyze(st, files, framing=False)
        out.append(sorted((r["id"], json.loads(r["data"])["article_ids"], r["title"]) for r in st.rows("stories")))
    assert len(out[0]) >= 2
    assert out[0] == out[1]


def test_an_articles_other_mention_without_where_or_when_makes_no_story_of_its_own() -> None:
    """"Taylor was killed two weeks after his birthday": a second, unplaced and undated
    mention in a one-event report stays in the article's story (it used to start a
    one-article story titled "Attack" beside the real one)."""
    from rashomon.reconcile import assign_stories

    recs = [
        _ev("d-1", "d", "2015-10-17", "Fort Ames", "US", "shots", "Shots were fired in Fort Ames.", sub="Armed clash"),
        _ev("d-2", "d", None, "", "", "killed", "Taylor was killed two weeks after his birthday.", sub="Armed clash"),
    ]
    recs[1] = EventRecord(**{**{f: getattr(recs[1], f) for f in recs[1].__slots__}, "place": None, "country": None})
    docrec = {"d": DocRecord("d", "", "", event_date="2015-10-17", place="Fort Ames", country="US")}
    assignment, contributing, arts = assign_stories(recs, set(), {"d": 0}, docrec, {}, {}, {"d-1"})
    assert assignment["d-2"] == assignment["d-1"]
    assert set(arts) == {assignment["d-1"]}
    assert "d-2" in contributing[assignment["d-1"]]  # the article's own report: its count counts


def test_agglomeration_by_component_is_agglomeration() -> None:
    """Clustering each component of the pairs at or above the cut on its own gives the
    labels of clustering all pairs at once (random sparse scores, with earlier groups)."""
    import numpy as np

    rng = random.Random(5)
    for trial in range(30):
        n = rng.randrange(2, 60)
        pairs = sorted({(a, b) for a, b in ((rng.randrange(n), rng.randrange(n)) for _ in range(3 * n)) if a < b})
        scores = {p: rng.choice([rng.random(), rng.random() * 0.3, 0.9 + rng.random() * 0.1]) for p in pairs}
        groups = [[rng.randrange(n), rng.randrange(n)] for _ in range(trial % 3)]
        scored = ld.ScoredPairs(np.asarray([a for a, _ in pairs], dtype=np.int32),
                                np.asarray([b for _, b in pairs], dtype=np.int32),
                                np.asarray([scores[p] for p in pairs]))
        assert ld.agglomerate_components(n, scored, 0.4, groups) == agglomerate(n, scores, 0.4, groups)
