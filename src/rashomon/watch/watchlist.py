"""The watch list: which feeds and pages to follow, under which outlet name, how often.

TOML::

    [[feed]]
    url = "https://www.example.org/world/rss.xml"
    outlet = "Example News"      # optional: the outlet when the feed's pages name none
    interval = "15m"             # optional: seconds, or "90s" / "15m" / "2h" (default 15m)

YAML: the same keys, as a list under ``feeds:`` (or a bare list).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rashomon.errors import Errors, UsageError

DEFAULT_INTERVAL = 900
MIN_INTERVAL = 30  # be polite: no feed is polled more than twice a minute
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|sec|m|min|h|hr|d)?\s*$", re.I)
_UNIT = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "hr": 3600, "d": 86400}


@dataclass(frozen=True, slots=True)
class WatchItem:
    url: str
    outlet: str | None = None
    interval_s: int = DEFAULT_INTERVAL


def parse_interval(value: Any, *, where: str = "interval") -> int:
    """Seconds from 900, "900", "90s", "15m", "2h" or "1d" (at least MIN_INTERVAL)."""
    if isinstance(value, bool):
        raise UsageError(Errors.E501.format(where=where, detail=f"{value!r} is not a duration"))
    if isinstance(value, int | float):
        seconds = float(value)
    else:
        m = _DURATION.match(str(value))
        if not m:
            raise UsageError(Errors.E501.format(where=where, detail=f"{value!r} is not a duration such as 90s, 15m or 2h"))
        seconds = float(m[1]) * _UNIT[(m[2] or "s").lower()]
    return max(MIN_INTERVAL, int(seconds))


def load_watchlist(path: Path) -> list[WatchItem]:
    """Read a TOML or YAML watch list; every problem names the file and the entry."""
    path = Path(path)
    try:
        raw = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise UsageError(Errors.E501.format(where=str(path), detail=f"cannot read it ({exc.strerror or exc})")) from None
    try:
        if path.suffix.lower() == ".toml":
            import tomllib

            doc: Any = tomllib.loads(raw)
            entries = doc.get("feed") or doc.get("feeds") or []
        else:
            import yaml

            doc = yaml.safe_load(raw) or []
            entries = doc.get("feeds", []) if isinstance(doc, dict) else doc
    except Exception as exc:  # tomllib.TOMLDecodeError, yaml.YAMLError: report, never trace
        raise UsageError(Errors.E501.format(where=str(path), detail=f"not valid {path.suffix.lstrip('.') or 'YAML'}: {str(exc)[:200]}")) from None
    if not isinstance(entries, list) or not entries:
        raise UsageError(Errors.E501.format(where=str(path), detail="no feeds: add [[feed]] entries with a url"))
    items: list[WatchItem] = []
    for i, e in enumerate(entries, 1):
        where = f"{path} entry {i}"
        if isinstance(e, str):
            e = {"url": e}
        if not isinstance(e, dict) or not isinstance(e.get("url"), str) or not e["url"].strip():
            raise UsageError(Errors.E501.format(where=where, detail="each entry needs a url"))
        unknown = set(e) - {"url", "outlet", "interval"}
        if unknown:
            raise UsageError(Errors.E501.format(where=where, detail=f"unknown key(s) {', '.join(sorted(unknown))}"))
        items.append(WatchItem(e["url"].strip(), (e.get("outlet") or None),
                               parse_interval(e.get("interval", DEFAULT_INTERVAL), where=where)))
    return items
