"""Actor registry and mention resolution: registry checks, a few model tests, the seeds gate."""

from __future__ import annotations

import itertools
from collections import Counter
from pathlib import Path

import pytest
import yaml

from rashomon.annotate.registry import KINDS, load_registry, norm_key

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "eval" / "gold" / "seeds_actors.yaml"

#: Accuracy floors on eval/gold/seeds_actors.yaml. Lowering one is a deliberate change.
SEEDS_PRECISION_FLOOR = 0.85
SEEDS_RECALL_FLOOR = 0.85


# --------------------------------------------------------------------- registry
def test_registry_loads_with_version_and_size():
    reg = load_registry()
    assert reg.version
    assert len(reg) >= 400
    assert load_registry() is reg  # cached


def test_registry_ids_kinds_aliases():
    raw = yaml.safe_load(Path(load_registry().path).read_text(encoding="utf-8"))
    ids = [a["id"] for a in raw["actors"]]
    assert len(ids) == len(set(ids))
    for a in raw["actors"]:
        assert a["kind"] in KINDS, a["id"]
        assert a["aliases"], a["id"]
        for al in a["aliases"]:
            assert al["register"] in ("neutral", "loaded"), (a["id"], al)
        if a["kind"] == "state":
            assert a.get("country") or a["id"].startswith("rsh:"), a["id"]


def test_registry_has_no_ambiguous_alias_and_parents_resolve():
    reg = load_registry()
    assert reg.ambiguous == {}
    for actor in reg:
        assert all(p in reg for p in actor.parents), actor.id


@pytest.mark.parametrize(
    ("alias", "actor", "register"),
    [
        ("Zionist entity", "Q801", "loaded"),
        ("Zionist regime", "Q801", "loaded"),
        ("the occupation", "Q801", "loaded"),
        ("Tel Aviv regime", "Q801", "loaded"),
        ("Israeli regime", "Q801", "loaded"),
        ("Israel", "Q801", "neutral"),
        ("Daesh", "Q2429253", "loaded"),
        ("ISIS", "Q2429253", "neutral"),
        ("ISIL", "Q2429253", "neutral"),
        ("Takfiris", "rsh:takfiris", "loaded"),
        ("Kiev regime", "rsh:gov-ua", "loaded"),
        ("Great Satan", "Q30", "loaded"),
        ("Ansar Allah", "rsh:houthis", "neutral"),
        ("Houthis", "rsh:houthis", "neutral"),
        ("Netanyahu regime", "rsh:gov-il", "loaded"),
        ("Quds Force", "rsh:quds-force", "neutral"),
    ],
)
def test_loaded_and_neutral_aliases(alias, actor, register):
    assert load_registry().lookup(alias) == (actor, register)


def test_seed_actors_present_and_takfiris_parents():
    reg = load_registry()
    for name in [
        "Israel", "Iran", "United States", "United Kingdom", "Turkey", "Russia", "China", "Egypt",
        "Jordan", "Saudi Arabia", "Congo", "Azerbaijan", "Armenia", "Sweden", "Syria", "Lebanon",
        "Libya", "Iraq", "Yemen", "Palestine", "Hamas", "Hezbollah", "Houthis", "IRGC", "Quds Force",
        "Islamic State", "Mossad", "IDF", "Golani Brigade", "Kata'ib Hezbollah", "PFLP", "Likud",
        "UN", "UN Security Council", "NATO", "White House", "Qassem Soleimani", "Razi Mousavi",
        "Saleh al-Arouri", "Yitzhak Brik", "Benjamin Netanyahu", "Lloyd Austin", "Antony Blinken",
        "Recep Tayyip Erdoğan", "Hakan Fidan", "Ebrahim Raisi", "Ali Khamenei", "Ruhollah Khomeini",
        "Abu Mahdi al-Muhandis", "Yasser Arafat", "Ahmed Yassin", "Abu Ali Mustafa",
        "Itamar Ben-Gvir", "Bezalel Smotrich", "Iranian security services", "MIT", "Press TV",
        "New Eastern Outlook", "Hürriyet", "The Times of Israel", "Julia Kassem", "Alexandr Svarants",
    ]:  # fmt: skip
        assert reg.lookup(name) is not None, name
    assert {"Q2429253", "rsh:al-qaeda"} <= set(reg.actors["rsh:takfiris"].parents)
    assert reg.demonym("Iranian") == "Q794"
    assert reg.demonym("Turkish") == "Q43"
    assert norm_key("The Times of Israel’s") == "times of israel"


# ---------------------------------------------------------------- model tests
@pytest.fixture(scope="module")
def resolver(nlp):
    from rashomon.annotate.actors import ActorResolver

    return ActorResolver(nlp, load_registry())


def _pairs(mentions):
    return [(m.text, m.actor_id) for m in mentions]


@pytest.mark.model
def test_resolver_titles_short_forms_and_spans(nlp, resolver):
    from rashomon.annotate.actors import split_label

    text = (
        "Iranian President Ebrahim Raisi met US Defense Secretary Lloyd Austin. "
        "President Raisi said Netanyahu's plan failed, and the Zionist entity was to blame. "
        "Daesh claimed the attack, according to Iranian sources and security sources."
    )
    doc = nlp(text)
    ms = resolver(doc, "a1")
    pairs = _pairs(ms)
    assert ("Ebrahim Raisi", "rsh:ebrahim-raisi") in pairs
    assert ("Lloyd Austin", "rsh:lloyd-austin") in pairs
    assert ("Raisi", "rsh:ebrahim-raisi") in pairs
    assert ("Netanyahu", "Q43723") in pairs
    for m in ms:
        assert m.kind == "actor"
        assert text[m.span.start : m.span.end] == m.text
        assert m.span.article_id == "a1"
    by_text = {m.text: m for m in ms}
    assert split_label(by_text["Lloyd Austin"].label)[1] == "US Defense Secretary"
    assert by_text["Zionist entity"].register == "loaded"
    assert by_text["Daesh"].actor_id == "Q2429253" and by_text["Daesh"].register == "loaded"
    src = by_text["Iranian sources"]
    assert src.unnamed and src.actor_id == "Q794"
    assert by_text["security sources"].unnamed and by_text["security sources"].actor_id is None
    spans = sorted((m.span.start, m.span.end) for m in ms)
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans))  # no overlaps


@pytest.mark.model
def test_resolver_fuzzy_and_provisional(nlp, resolver):
    text = (
        "Qassem Suleimani was praised by Yitzhak Barik. Zorbulon Quaxley founded Zephyr Dynamics."
    )
    ms = resolver(nlp(text), "a2")
    ids = {m.text: m.actor_id for m in ms}
    assert ids.get("Qassem Suleimani") == "rsh:qassem-soleimani"
    assert ids.get("Yitzhak Barik") == "rsh:yitzhak-brik"
    prov = {a.id for a in resolver.provisional_actors()}
    assert any(i and i.startswith("prov:") and i in prov for i in ids.values())
    assert all(a.provisional for a in resolver.provisional_actors())


# ------------------------------------------------------------------ seeds gate
def score(
    gold: list[tuple[str, str | None]], system: list[tuple[str, str | None]]
) -> tuple[int, int, int]:
    """Multiset match of (surface, actor_id): (true positives, |system|, |gold|)."""
    tp = sum((Counter(gold) & Counter(system)).values())
    return tp, len(system), len(gold)


@pytest.mark.model
@pytest.mark.shared
def test_seeds_gate(nlp, resolver, seeds_dir):
    gold = yaml.safe_load(GOLD.read_text(encoding="utf-8"))["articles"]
    tp = n_sys = n_gold = 0
    for name, items in gold.items():
        text = (seeds_dir / name).read_text(encoding="utf-8")
        ms = resolver(nlp(text), name)
        g = [(s, a) for s, a in items]
        t, ns, ng = score(g, _pairs(ms))
        tp, n_sys, n_gold = tp + t, n_sys + ns, n_gold + ng
        print(f"{name}: P={t / ns:.3f} R={t / ng:.3f} (tp={t}, system={ns}, gold={ng})")
        missed = Counter(g) - Counter(_pairs(ms))
        extra = Counter(_pairs(ms)) - Counter(g)
        print("  missed:", sorted(missed.elements(), key=str))
        print("  extra: ", sorted(extra.elements(), key=str))
        if name.startswith("000"):
            zion = [m for m in ms if m.text == "Zionist entity"]
            assert zion and all(m.actor_id == "Q801" and m.register == "loaded" for m in zion)
            daesh = [m for m in ms if m.text == "Daesh"]
            assert daesh and daesh[0].actor_id == "Q2429253" and daesh[0].register == "loaded"
        else:
            src = [m for m in ms if m.text == "Iranian sources"]
            assert src and src[0].unnamed and src[0].actor_id == "Q794"
    p, r = tp / n_sys, tp / n_gold
    print(f"seeds: precision={p:.3f} recall={r:.3f}")
    assert p >= SEEDS_PRECISION_FLOOR
    assert r >= SEEDS_RECALL_FLOOR
