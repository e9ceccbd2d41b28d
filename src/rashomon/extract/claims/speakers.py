"""Speaker resolution: pronoun and title speakers to the nearest compatible named one."""

from __future__ import annotations

from typing import Any

from rashomon.extract.claims.found import Found


def resolve(doc: Any, found: list[Found]) -> None:
    return None
