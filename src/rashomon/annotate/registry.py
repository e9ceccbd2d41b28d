"""The curated actor registry: loading, validation and alias look-up.

The registry is ``rashomon/data/actors.yaml`` (see ``docs/actors.md``): a top-level
``version`` and a list of actors, each with ``id``, ``name``, ``kind``, optional
``country``, ``parents``, ``role``, ``demonyms`` and ``aliases`` (``text`` +
``register``). :func:`load_registry` reads it once per process and path.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, cast

import yaml

from rashomon.errors import Errors, ModelError
from rashomon.model import Actor, Alias, Register

DEFAULT_PATH = Path(__file__).resolve().parents[1] / "data" / "actors.yaml"

KINDS: frozenset[str] = frozenset(
    {
        "state",
        "government",
        "armed_force",
        "intelligence",
        "armed_group",
        "igo",
        "party",
        "person",
        "media",
        "ethnic_group",
        "other",
    }
)
REGISTERS: frozenset[str] = frozenset({"neutral", "loaded"})
_ID_RE = re.compile(r"^(Q[1-9][0-9]*|rsh:[a-z0-9][a-z0-9-]*)$")

#: Registry problems. Kept here until the lead moves them into ``rashomon.errors``.
E211 = Errors.E211
E212 = Errors.E212


def norm_key(text: str) -> str:
    """The look-up key of a name: NFC, straight apostrophes, casefolded, no 'the', no possessive.

    >>> norm_key("The  Times of Israel’s")
    'times of israel'
    """
    t = unicodedata.normalize("NFC", text).replace("’", "'").replace("‘", "'")
    t = " ".join(t.split()).casefold()
    if t.startswith("the "):
        t = t[4:]
    if t.endswith("'s"):
        t = t[:-2]
    elif t.endswith("'"):
        t = t[:-1]
    return t.strip()


def fold(text: str) -> str:
    """A transliteration-tolerant key for fuzzy matching: no diacritics, no 'al-', no hyphens.

    >>> fold("Recep Tayyip Erdoğan")
    'recep tayyip erdogan'
    >>> fold("Saleh al-Arouri")
    'saleh arouri'
    """
    t = unicodedata.normalize("NFKD", norm_key(text))
    t = "".join(c for c in t if not unicodedata.combining(c)).replace("ı", "i")
    t = re.sub(r"\b(?:al|el|ad|ash|as|an|ar)-", "", t)
    t = re.sub(r"[-'.]", " ", t)
    return " ".join(t.split())


@dataclass(slots=True)
class Registry:
    """The loaded registry: actors by id, plus the indexes the resolver needs."""

    version: str
    path: str
    actors: dict[str, Actor]
    roles: dict[str, str] = field(default_factory=dict)
    demonyms: dict[str, str] = field(default_factory=dict)  # surface demonym -> actor id
    alias_index: dict[str, tuple[str, Register]] = field(
        default_factory=dict
    )  # norm_key -> (id, register)
    ambiguous: dict[str, list[str]] = field(default_factory=dict)  # norm_key -> ids (dropped)

    def __len__(self) -> int:
        return len(self.actors)

    def __iter__(self) -> Iterator[Actor]:
        return iter(self.actors.values())

    def __contains__(self, actor_id: object) -> bool:
        return actor_id in self.actors

    def get(self, actor_id: str) -> Actor | None:
        return self.actors.get(actor_id)

    def lookup(self, text: str) -> tuple[str, Register] | None:
        """The ``(actor_id, register)`` an alias names, ignoring case, 'the' and possessives."""
        return self.alias_index.get(norm_key(text))

    def demonym(self, text: str) -> str | None:
        """The actor a demonym or adjective ('Iranian', 'Iranians') points at, if any."""
        return self.demonyms.get(text) or self.demonyms.get(text.capitalize())

    def state_for_country(self, iso2: str) -> str | None:
        for a in self.actors.values():
            if a.kind == "state" and a.country == iso2:
                return a.id
        return None


def _fail(path: str, index: int, actor: str, detail: str) -> ModelError:
    return ModelError(E212.format(path=path, index=index, actor=actor, detail=detail))


def _parse(data: Any, path: str) -> Registry:
    if (
        not isinstance(data, dict)
        or "version" not in data
        or not isinstance(data.get("actors"), list)
    ):
        raise ModelError(
            E211.format(path=path, detail="expected a mapping with 'version' and an 'actors' list")
        )
    actors: dict[str, Actor] = {}
    roles: dict[str, str] = {}
    demonyms: dict[str, str] = {}
    for i, raw in enumerate(data["actors"]):
        label = str(raw.get("id") or raw.get("name") or "?") if isinstance(raw, dict) else "?"
        if not isinstance(raw, dict):
            raise _fail(path, i, label, "an actor must be a mapping")
        aid, name, kind = raw.get("id"), raw.get("name"), raw.get("kind")
        if not isinstance(aid, str) or not _ID_RE.match(aid):
            raise _fail(path, i, label, f"id {aid!r} is neither a Wikidata QID nor an 'rsh:slug'")
        if aid in actors:
            raise _fail(path, i, label, "duplicate id")
        if not isinstance(name, str) or not name:
            raise _fail(path, i, label, "missing name")
        if kind not in KINDS:
            raise _fail(path, i, label, f"kind {kind!r} is not one of {sorted(KINDS)}")
        country = raw.get("country")
        if country is not None and not (
            isinstance(country, str) and re.fullmatch(r"[A-Z]{2}", country)
        ):
            raise _fail(
                path,
                i,
                label,
                f'country {country!r} is not an ISO 3166-1 alpha-2 code (quote it: "NO")',
            )
        aliases: list[Alias] = []
        for al in raw.get("aliases") or []:
            if (
                not isinstance(al, dict)
                or not al.get("text")
                or al.get("register") not in REGISTERS
            ):
                raise _fail(
                    path, i, label, f"alias {al!r} needs 'text' and a register (neutral or loaded)"
                )
            aliases.append(Alias(text=str(al["text"]), register=cast(Register, al["register"])))
        if not any(a.text == name for a in aliases):
            aliases.insert(0, Alias(text=name, register="neutral"))
        actors[aid] = Actor(
            id=aid,
            name=name,
            kind=kind,
            country=country,
            aliases=aliases,
            parents=list(raw.get("parents") or []),
        )
        if raw.get("role"):
            roles[aid] = str(raw["role"])
        for d in raw.get("demonyms") or []:
            if d in demonyms and demonyms[d] != aid:
                raise _fail(path, i, label, f"demonym {d!r} already belongs to {demonyms[d]}")
            demonyms[str(d)] = aid
    for i, a in enumerate(actors.values()):
        for p in a.parents:
            if p not in actors:
                raise _fail(path, i, a.id, f"parent {p!r} is not in the registry")
    index: dict[str, tuple[str, Register]] = {}
    ambiguous: dict[str, list[str]] = {}
    for a in actors.values():
        for al in a.aliases:
            key = norm_key(al.text)
            if not key:
                continue
            prev = index.get(key)
            if prev is not None and prev[0] != a.id:
                ambiguous.setdefault(key, [prev[0]]).append(a.id)
                continue
            if prev is None or (prev[1] == "neutral" and al.register == "loaded"):
                index[key] = (a.id, al.register)
    for key in ambiguous:
        index.pop(key, None)
    return Registry(
        version=str(data["version"]),
        path=path,
        actors=actors,
        roles=roles,
        demonyms=demonyms,
        alias_index=index,
        ambiguous=ambiguous,
    )


@cache
def _load(path: str) -> Registry:
    try:
        with open(path, encoding="utf-8") as fh:
            # libyaml's C loader when present: same result, ~7x faster (every process,
            # every Dask worker loads the registry once)
            data = yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (OSError, yaml.YAMLError) as exc:
        raise ModelError(E211.format(path=path, detail=exc)) from exc
    return _parse(data, path)


def load_registry(path: Path | None = None) -> Registry:
    """Load (once per process and path) the actor registry; the bundled one by default."""
    return _load(str(Path(path).resolve() if path else DEFAULT_PATH))
