"""The Story linker on hand-built records (no datasets; the ECB+ baseline test parses short texts)."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest

from rashomon.link.cluster import cluster_documents
from rashomon.link.stories import (
    ALGORITHM,
    EventRecord,
    affected_blocks,
    link,
    link_events,
    make_title,
    select_affected,
    story_id,
)

ISIS, ISRAEL, HAMAS, AROURI = "Q2429253", "Q801", "Q37827", "Q_arouri"


def rec(id: str, doc: str, *, date: str | None = "2024-01-03", prec: str | None = "day",
        country: str | None = "IR", place: str | None = "Kerman", parts: tuple[str, ...] = (),
        etype: str = "Explosions/Remote violence", sub: str = "Suicide bomb",
        trigger: str = "bombing", text: str = "", published: str | None = "2024-01-04") -> EventRecord:
    return EventRecord(id, doc, etype, sub, date, prec, country, place, frozenset(parts), trigger,
                       text, published)


KERMAN = [
    rec("a1-e1", "a1", text="Two suicide bombers struck mourners at the Soleimani memorial in Kerman, killing at least 91.",
        parts=(ISIS,)),
    rec("a2-e1", "a2", date="2024-01", prec="month", trigger="explosion",
        text="Two powerful explosions hit the cemetery in Kerman where Soleimani is buried.",
        sub="Remote explosive/landmine/IED"),
    rec("a3-e4", "a3", trigger="attack", etype="Violence against civilians", sub="Attack",
        text="The terrorist attack in Kerman on January 3 killed about 100 people at the Soleimani memorial.",
        parts=(ISIS,)),
]

AROURI_RECS = [
    rec("b1-e1", "b1", date="2024-01-02", country="LB", place="Beirut", parts=(AROURI, HAMAS, ISRAEL),
        etype="Explosions/Remote violence", sub="Air/drone strike", trigger="strike",
        text="A drone strike in Beirut killed Hamas deputy chief Saleh al-Arouri.", published="2024-01-02"),
    # a passing reference, no date, inside an article about something else
    rec("a2-e7", "a2", date=None, prec=None, country="LB", place="Beirut", parts=(AROURI, HAMAS),
        etype="Violence against civilians", sub="Assassination", trigger="assassination",
        text="operations such as the assassination of Hamas Deputy Chief Saleh al-Arouri in Beirut.",
        published="2024-01-20"),
]


def stories(assign: dict[str, str]) -> set[frozenset[str]]:
    groups: dict[str, set[str]] = {}
    for m, s in assign.items():
        groups.setdefault(s, set()).add(m)
    return {frozenset(g) for g in groups.values()}


def test_same_bombing_three_outlets_day_and_month_dates() -> None:
    out = link_events(KERMAN)
    assert len(set(out.values())) == 1
    assert out["a1-e1"] == story_id(["a1-e1", "a2-e1", "a3-e4"])


def test_two_bombings_same_day_different_cities() -> None:
    other = rec("c1-e1", "c1", place="Zahedan", parts=(ISIS,),
                text="A suicide bomber struck a police station in Zahedan, killing 11.")
    out = link_events([*KERMAN, other])
    assert out["c1-e1"] != out["a1-e1"]
    assert len(set(out.values())) == 2


def test_two_dates_days_apart_do_not_link() -> None:
    later = rec("d1-e1", "d1", date="2024-01-20",
                text="Two suicide bombers struck mourners in Kerman, killing at least 91.", parts=(ISIS,))
    out = link_events([KERMAN[0], later])
    assert out["a1-e1"] != out["d1-e1"]


def test_passing_reference_without_date_links() -> None:
    out = link_events([*KERMAN, *AROURI_RECS])
    assert out["a2-e7"] == out["b1-e1"]
    assert out["a2-e7"] != out["a2-e1"]
    assert stories(out) == {frozenset(r.id for r in KERMAN), frozenset(r.id for r in AROURI_RECS)}


def test_unknown_place_is_not_a_match() -> None:
    a = rec("x1", "x1", place=None, country=None, text="An explosion was reported.", trigger="explosion")
    b = rec("x2", "x2", place=None, country=None, text="Protesters gathered.", trigger="protest",
            etype="Protests", sub="Peaceful protest")
    out = link_events([a, b])
    assert out["x1"] != out["x2"]


def test_deterministic_across_input_order() -> None:
    recs = [*KERMAN, *AROURI_RECS]
    expected = link_events(recs)
    rng = random.Random(7)
    for _ in range(5):
        shuffled = recs[:]
        rng.shuffle(shuffled)
        assert link_events(shuffled) == expected


def test_incremental_keeps_ids_and_new_record_joins() -> None:
    first = link_events(KERMAN[:2])
    sid = first["a1-e1"]
    # pretend the lead gave the story a different stored id: it must be kept
    previous = {k: "s-stored" for k in first} if len(set(first.values())) == 1 else first
    new = [KERMAN[2], AROURI_RECS[0]]
    affected = select_affected([*KERMAN[:2], *new], new)
    assert {r.id for r in affected} >= {"a1-e1", "a2-e1", "a3-e4", "b1-e1"}
    out = link_events(affected, previous)
    assert out["a3-e4"] == out["a1-e1"] == previous["a1-e1"]
    assert out["b1-e1"] != out["a1-e1"]
    assert sid.startswith("s-")
    assert affected_blocks(new)


def test_previous_stories_are_never_split() -> None:
    a = rec("p1", "p1", place="Kerman")
    b = rec("p2", "p2", place="Zahedan")  # would be vetoed, but a user merged them before
    out = link_events([a, b], {"p1": "s-user", "p2": "s-user"})
    assert out == {"p1": "s-user", "p2": "s-user"}


def test_two_previous_stories_merge_into_the_earliest() -> None:
    prev = {"a1-e1": "s-one", "a2-e1": "s-two"}
    out = link_events(KERMAN, prev)
    assert set(out.values()) == {"s-one"}


def test_make_title() -> None:
    assert make_title(KERMAN) == "Suicide bombing in Kerman, Iran, 2024-01-03"
    assert make_title([]) == "Untitled story"
    assert ALGORITHM.startswith("rashomon.link.stories.v")


def test_candidate_pairs_near_linear() -> None:
    rng = random.Random(0)
    countries = ["IR", "IQ", "SY", "LB", "YE", "UA", "RU", "SD", "ML", "NG"]
    recs = []
    for i in range(5000):
        c = rng.choice(countries)
        day = rng.randrange(0, 365)
        month, dom = 1 + day // 31 % 12, 1 + day % 28
        recs.append(rec(f"r{i:05d}", f"d{i // 3}", date=f"2024-{month:02d}-{dom:02d}", country=c,
                        place=f"town{rng.randrange(200)}", parts=(f"actor{rng.randrange(300)}",),
                        text=f"An explosion hit town {i}.", trigger="explosion"))
    result = link(recs)
    n = len(recs)
    assert result.stats.records == n
    assert result.stats.candidate_pairs < 60 * n  # all pairs would be ~12.5 million
    assert len(result.assignment) == n


def test_cluster_documents_small() -> None:
    texts = [
        "An earthquake of magnitude 6.1 struck Chile on Monday, killing five people in Santiago.",
        "Chile earthquake: the magnitude 6.1 quake near Santiago killed five people.",
        "Five people died when a strong earthquake hit Santiago, Chile.",
        "Hugh Jackman will host the Academy Awards, the Oscars producers said.",
        "The Oscars picked Hugh Jackman as host of the Academy Awards ceremony.",
    ]
    labels = cluster_documents(texts)
    assert labels[0] == labels[1] == labels[2]
    assert labels[3] == labels[4] != labels[0]
    assert cluster_documents([]) == []
    assert cluster_documents(["one"]) == [0]


ECB = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "ecbplus"


@pytest.mark.skipif(not (ECB / "ECB+").is_dir(), reason="ECB+ not present (../shared)")
def test_ecbplus_smoke() -> None:
    from rashomon.eval.ecbplus import _bcubed_docs, load_ecbplus

    docs = load_ecbplus(ECB, [2])
    assert docs and any(d.mentions for d in docs)
    scores = _bcubed_docs(docs, cluster_documents([d.text() for d in docs]))
    assert scores["f1"] > 0.8


def _ecb_doc(name: str, sentences: list[str], mention_words: dict[int, str]) -> Any:
    """A hand-made ECB+-like document: one mention per listed sentence (its word)."""
    from rashomon.eval.ecbplus import EcbDoc, EcbMention

    tokens: dict[int, tuple[int, str]] = {}
    mentions = []
    tid = 1
    for s, text in enumerate(sentences):
        for w in text.split():
            tokens[tid] = (s, w)
            if mention_words.get(s) == w:
                mentions.append(EcbMention(name, s, (tid,), f"chain-{w}"))
            tid += 1
    return EcbDoc(name, 1, "1_ecb", tokens, set(range(len(sentences))), mentions)


def test_ecbplus_baseline_pair_features_see_time_place_and_lemma_rates() -> None:
    from rashomon.eval.ecbplus import (
        PAIR_FEATURES,
        _idf,
        _lemma_pair_rates,
        _mention_features,
        _pair_vector,
        annotate_docs,
    )

    a = _ecb_doc("1_1ecb.xml", ["An earthquake struck Elmford on Monday ."], {0: "earthquake"})
    b = _ecb_doc("1_2ecb.xml", ["The earthquake hit Elmford on Monday morning ."], {0: "earthquake"})
    c = _ecb_doc("1_3ecb.xml", ["An earthquake shook Port Harlow in 2004 ."], {0: "earthquake"})
    docs = [a, b, c]
    annotate_docs(docs)
    ms = [m for d in docs for m in d.mentions]
    feats = _mention_features(docs, ms)
    rate = _lemma_pair_rates(feats, [m.chain for m in ms])
    assert rate[("earthquake", "earthquake")] > 0.5  # same-lemma pairs have a rate too
    idf = _idf(feats)
    ab = dict(zip(PAIR_FEATURES, _pair_vector(feats[0], feats[1], idf, rate, 0.5), strict=True))
    ac = dict(zip(PAIR_FEATURES, _pair_vector(feats[0], feats[2], idf, rate, 0.1), strict=True))
    assert ab["places"] == 1.0 and ac["places"] == 0.0  # Elmford / Elmford; Elmford / Port Harlow
    assert ab["doc_sim"] == 0.5 and ab["same_lemma"] == 1.0
