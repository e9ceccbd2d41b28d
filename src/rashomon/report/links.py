"""Where pages live: one strategy for the static report, one for the web app.

Templates never build URLs themselves; they ask a :class:`Links` object, so the same
templates render ``story-ID.html`` files for the report and ``/stories/ID`` for the app.
Every untrusted part of a URL (ids, outlet names) is either checked against a safe
pattern or replaced by a hash, and percent-encoded for the web.
"""

from __future__ import annotations

import hashlib
import re
from typing import Protocol
from urllib.parse import quote, urlsplit

_SAFE_NAME = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9_.-]{0,79}")


def file_key(value: str) -> str:
    """A file-name-safe key for an id: the id itself when harmless, else a hash.

    >>> file_key("0a1b2c"), file_key("../etc/passwd")[:3]
    ('0a1b2c', 'h-')
    """
    if _SAFE_NAME.fullmatch(value) and ".." not in value:
        return value
    return "h-" + hashlib.sha1(value.encode("utf-8")).hexdigest()[:16]


def outlet_key(name: str) -> str:
    """A readable, collision-safe slug for an outlet name: ``press-tv-1a2b3c4d``."""
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:40] or "outlet"
    return f"{slug}-{hashlib.sha1(name.encode('utf-8')).hexdigest()[:8]}"


def span_anchor(start: int, end: int) -> str:
    """The element id that marks characters ``[start, end)`` on an article page."""
    return f"s-{int(start)}-{int(end)}"


def external_url(url: str | None) -> str | None:
    """An article's own URL, only if it is plain http(s); anything else is not linked."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url.strip()


class Links(Protocol):
    """How a page refers to other pages and to static assets."""

    def index(self) -> str: ...
    def story(self, story_id: str) -> str: ...
    def article(self, article_id: str, start: int | None = None, end: int | None = None) -> str: ...
    def outlet(self, name: str) -> str: ...
    def asset(self, name: str) -> str: ...


class StaticLinks:
    """Relative file names for the self-contained report folder."""

    web = False

    def index(self) -> str:
        return "index.html"

    def story(self, story_id: str) -> str:
        return f"story-{file_key(story_id)}.html"

    def article(self, article_id: str, start: int | None = None, end: int | None = None) -> str:
        page = f"article-{file_key(article_id)}.html"
        return page if start is None or end is None else f"{page}#{span_anchor(start, end)}"

    def outlet(self, name: str) -> str:
        return f"outlet-{outlet_key(name)}.html"

    def asset(self, name: str) -> str:
        return f"assets/{name}"


class WebLinks:
    """Absolute paths in the web app."""

    web = True

    def index(self) -> str:
        return "/"

    def story(self, story_id: str) -> str:
        return f"/stories/{quote(story_id, safe='')}"

    def article(self, article_id: str, start: int | None = None, end: int | None = None) -> str:
        page = f"/articles/{quote(article_id, safe='')}"
        return page if start is None or end is None else f"{page}#{span_anchor(start, end)}"

    def outlet(self, name: str) -> str:
        return f"/outlets/{quote(name, safe='')}"

    def asset(self, name: str) -> str:
        return f"/assets/{name}"
