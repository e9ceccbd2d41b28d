"""The outlet registry (data/outlets.yaml) and its loader (annotate/outlets.py)."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from rashomon.annotate.outlets import (
    OutletInfo,
    all_outlets,
    describe,
    display_name,
    independence_key,
    lookup,
)


def test_registry_size_and_fields() -> None:
    outlets = all_outlets()
    assert len(outlets) >= 150
    for o in outlets:
        assert o.name and o.domains, o
        assert o.country is None or re.fullmatch(r"[A-Z]{2}", o.country), o
        assert o.qid is None or re.fullmatch(r"Q[1-9]\d*", o.qid), o
        assert o.region is None or (o.country and o.region.startswith(o.country + "-")), o
    domains = Counter(d for o in outlets for d in o.domains)
    assert not [d for d, n in domains.items() if n > 1], "a domain belongs to one outlet"


@pytest.mark.parametrize(
    ("name", "wire", "state", "country"),
    [
        ("Associated Press", True, False, "US"),
        ("Reuters", True, False, "GB"),
        ("TASS", True, True, "RU"),
        ("Press TV", False, True, "IR"),
        ("New Eastern Outlook", False, True, "RU"),
        ("Voice of America", False, True, "US"),
        ("Anadolu Agency", True, True, "TR"),
    ],
)
def test_required_outlets_are_there(name: str, wire: bool, state: bool, country: str) -> None:
    info = lookup(name=name)
    assert info is not None and info.name == name
    assert (info.wire, info.state_affiliated, info.country) == (wire, state, country)


def test_lookup_by_domain_strips_www_and_matches_parents() -> None:
    assert lookup(domain="www.presstv.ir").name == "Press TV"  # type: ignore[union-attr]
    assert lookup(domain="https://edition.cnn.com/2024/01/04/x.html").name == "CNN"  # type: ignore[union-attr]
    # the most specific domain wins over its parent
    assert lookup(domain="uk.news.yahoo.com").name == "Yahoo News UK"  # type: ignore[union-attr]
    assert lookup(domain="news.yahoo.com").name == "Yahoo News"  # type: ignore[union-attr]
    # a look-alike domain is not a sub-domain
    assert lookup(domain="notpresstv.ir") is None
    assert lookup(domain="presstv.ir.example.org") is None


def test_domain_beats_name_and_unknown_is_none() -> None:
    assert lookup(name="Reuters", domain="presstv.ir").name == "Press TV"  # type: ignore[union-attr]
    assert lookup(name="reuters", domain="unknown-site.example").name == "Reuters"  # type: ignore[union-attr]
    assert lookup(name="The Meridian Wire") is None
    assert lookup() is None
    assert lookup(name="", domain="") is None
    assert display_name("example.org") is None


def test_name_lookup_ignores_case_the_and_punctuation() -> None:
    assert lookup(name="the associated press").name == "Associated Press"  # type: ignore[union-attr]
    assert lookup(name="AP").name == "Associated Press"  # type: ignore[union-attr]
    assert lookup(name="PressTV").name == "Press TV"  # type: ignore[union-attr]
    assert lookup(name="RFE/RL").name == "Radio Free Europe/Radio Liberty"  # type: ignore[union-attr]


def test_describe() -> None:
    assert describe(lookup(name="Press TV")) == "Iranian state broadcaster"
    assert describe(lookup(name="IRNA")) == "Iranian state news agency"
    assert describe(lookup(name="Associated Press")) == "wire service (US)"
    assert describe(None) == "unknown outlet"
    local = describe(lookup(domain="ydr.com"))
    assert "Gannett" in local and "US-PA" in local
    bare = OutletInfo("Town Crier", ("crier.example",), None, None, False, False, None)
    assert describe(bare) == "outlet"


def test_independence_key() -> None:
    # two state outlets of one country are one source
    assert independence_key(lookup(name="Press TV"), "a") == independence_key(lookup(name="Tasnim"), "b") == "state:IR"
    # two outlets of one owner are one source
    k1 = independence_key(lookup(domain="post-gazette.com"), "a")
    k2 = independence_key(lookup(domain="toledoblade.com"), "b")
    assert k1 == k2 and k1.startswith("owner:")
    # different owners stay apart, the unknown keep their fallback
    assert independence_key(lookup(name="Reuters"), "a") != independence_key(lookup(name="Associated Press"), "b")
    assert independence_key(None, "outlet:town crier") == "outlet:town crier"
    no_owner = OutletInfo("Town Crier", ("crier.example",), None, "US", False, False, None)
    assert independence_key(no_owner, "fb") == "fb"
    # a state outlet without a country cannot be grouped by state
    stateless = OutletInfo("X", ("x.example",), None, None, True, False, None)
    assert independence_key(stateless, "fb") == "fb"
