"""The outlet registry: who owns an outlet, where it is, whether it is a state outlet or a wire.

    info = lookup(domain="uk.news.yahoo.com")        # OutletInfo('Yahoo News UK', ...)
    info = lookup(name="Press TV")                    # state_affiliated=True, country 'IR'
    describe(info)                                    # 'Iranian state broadcaster'
    independence_key(info, fallback="article:ab12")  # 'state:IR'

The data is ``rashomon/data/outlets.yaml`` (fields and sources documented at its top).
:func:`lookup` matches a domain first (``www.`` stripped, then each parent domain:
``edition.cnn.com`` -> ``cnn.com``), then a name or alias, case-insensitively and
ignoring a leading "The" and punctuation. Anything not in the registry is ``None``:
nothing about an unknown outlet is ever guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

__all__ = [
    "DEFAULT_PATH",
    "OutletInfo",
    "all_outlets",
    "describe",
    "display_name",
    "independence_key",
    "lookup",
]

DEFAULT_PATH = Path(__file__).resolve().parents[1] / "data" / "outlets.yaml"


@dataclass(frozen=True)
class OutletInfo:
    name: str
    domains: tuple[str, ...]
    owner: str | None
    country: str | None
    state_affiliated: bool
    wire: bool
    qid: str | None
    region: str | None = None  # ISO 3166-2 home market of a local outlet ("US-PA")


@dataclass(frozen=True)
class _Registry:
    outlets: tuple[OutletInfo, ...]
    by_domain: dict[str, OutletInfo]
    by_name: dict[str, OutletInfo]


def _name_key(name: str) -> str:
    s = name.casefold().strip()
    s = re.sub(r"^the\s+", "", s)
    return re.sub(r"[\W_]+", "", s)


def _host(domain: str) -> str:
    d = domain.strip().lower()
    if "://" in d:
        d = urlsplit(d).hostname or ""
    d = d.split("/")[0].split(":")[0].strip(".")
    return d[4:] if d.startswith("www.") else d


@cache
def _registry(path: Path = DEFAULT_PATH) -> _Registry:
    with path.open(encoding="utf-8") as fh:
        data: dict[str, Any] = yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    outlets: list[OutletInfo] = []
    by_domain: dict[str, OutletInfo] = {}
    by_name: dict[str, OutletInfo] = {}
    ambiguous: set[str] = set()
    for row in data["outlets"]:
        info = OutletInfo(
            name=str(row["name"]),
            domains=tuple(_host(d) for d in row.get("domains") or ()),
            owner=row.get("owner") or None,
            country=(row.get("country") or None),
            state_affiliated=bool(row.get("state_affiliated")),
            wire=bool(row.get("wire")),
            qid=row.get("qid") or None,
            region=row.get("region") or None,
        )
        outlets.append(info)
        for d in info.domains:
            by_domain.setdefault(d, info)
        for n in (info.name, *(row.get("aliases") or ())):
            k = _name_key(str(n))
            if not k:
                continue
            if k in by_name and by_name[k] is not info:
                ambiguous.add(k)
            by_name.setdefault(k, info)
    for k in ambiguous:  # a name two outlets share identifies neither
        by_name.pop(k, None)
    return _Registry(tuple(outlets), by_domain, by_name)


def all_outlets() -> tuple[OutletInfo, ...]:
    """Every registry entry, in file order."""
    return _registry().outlets


def _by_domain(domain: str) -> OutletInfo | None:
    host = _host(domain)
    reg = _registry()
    parts = host.split(".")
    for i in range(len(parts) - 1):  # a.b.example.com, b.example.com, example.com
        hit = reg.by_domain.get(".".join(parts[i:]))
        if hit is not None:
            return hit
    return None


def lookup(name: str | None = None, domain: str | None = None) -> OutletInfo | None:
    """The registry entry of an outlet: by domain first, then by name; None when unknown.

    >>> lookup(domain="https://www.presstv.ir/Detail/1").name, lookup(name="the associated press").name
    ('Press TV', 'Associated Press')
    >>> lookup(name="Meridian Wire") is None
    True
    """
    if domain:
        hit = _by_domain(domain)
        if hit is not None:
            return hit
    if name:
        return _registry().by_name.get(_name_key(name))
    return None


def display_name(domain: str | None) -> str | None:
    """The registry's display name for a domain, or None when the domain is unknown."""
    info = _by_domain(domain) if domain else None
    return info.name if info else None


#: Adjectives of the countries the registry's state outlets belong to (others: "(XX)").
_ADJECTIVES = {
    "AE": "Emirati", "AF": "Afghan", "AT": "Austrian", "AU": "Australian", "AZ": "Azerbaijani",
    "BE": "Belgian", "BG": "Bulgarian", "BY": "Belarusian", "CA": "Canadian", "CH": "Swiss",
    "CN": "Chinese", "CZ": "Czech", "DE": "German", "EG": "Egyptian", "ES": "Spanish",
    "FR": "French", "GB": "British", "ID": "Indonesian", "IL": "Israeli", "IN": "Indian",
    "IQ": "Iraqi", "IR": "Iranian", "IT": "Italian", "JP": "Japanese", "KP": "North Korean",
    "KR": "South Korean", "KW": "Kuwaiti", "LB": "Lebanese", "MY": "Malaysian", "NL": "Dutch",
    "PH": "Philippine", "PK": "Pakistani", "PL": "Polish", "PS": "Palestinian", "PT": "Portuguese",
    "QA": "Qatari", "RS": "Serbian", "RU": "Russian", "SA": "Saudi", "SE": "Swedish",
    "SG": "Singaporean", "SY": "Syrian", "TR": "Turkish", "UA": "Ukrainian", "US": "US",
}  # fmt: skip
_BROADCAST = re.compile(r"\b(?:TV|television|broadcast|radio|channel|RT|CGTN|CCTV|BBC|NHK|DW|France 24|Kan|PTV|Jazeera|Arabiya|Sputnik|Voice of America|Deutsche Welle)\b", re.I)


def describe(info: OutletInfo | None) -> str:
    """A short phrase for a report, from registry fields only.

    >>> describe(lookup(name="Press TV")), describe(lookup(name="Reuters")), describe(None)
    ('Iranian state broadcaster', 'wire service (GB)', 'unknown outlet')
    """
    if info is None:
        return "unknown outlet"
    cc = info.country
    if info.state_affiliated:
        adj = _ADJECTIVES.get(cc or "", "") if cc else ""
        kind = "news agency" if info.wire else "broadcaster" if _BROADCAST.search(
            " ".join((info.name, info.owner or ""))) else "outlet"  # fmt: skip
        if adj:
            return f"{adj} state {kind}"
        return f"state {kind} ({cc})" if cc else f"state {kind}"
    if info.wire:
        return f"wire service ({cc})" if cc else "wire service"
    parts = ["outlet"]
    if info.owner:
        parts.append(f"owned by {info.owner}")
    if cc:
        parts.append(f"({info.region or cc})")
    return " ".join(parts)


def _slug(s: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", s.casefold()).strip("-")


def independence_key(info: OutletInfo | None, fallback: str) -> str:
    """One key per group of outlets that are not independent of each other.

    State outlets of one country share ``state:CC``; outlets of one owner share
    ``owner:SLUG``; anything else (an unknown outlet included) gets ``fallback``.

    >>> independence_key(lookup(name="Press TV"), "x"), independence_key(lookup(name="IRNA"), "y")
    ('state:IR', 'state:IR')
    >>> independence_key(None, "outlet:meridian wire")
    'outlet:meridian wire'
    """
    if info is None:
        return fallback
    if info.state_affiliated and info.country:
        return f"state:{info.country}"
    if info.owner:
        return f"owner:{_slug(info.owner)}"
    return fallback
