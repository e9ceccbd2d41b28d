"""What the watcher remembers in the store: each feed's state and the items taken.

Everything is written in short transactions after the work it records, so a watcher
killed at any point repeats at most the last poll, and re-reading an item stores
nothing twice (articles are keyed by a hash of their text).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete, insert, select, update

from rashomon.store import schema as s
from rashomon.store.db import Store
from rashomon.watch.watchlist import WatchItem

MAX_BACKOFF_S = 6 * 3600


def stamp(t: datetime) -> str:
    return t.astimezone(UTC).isoformat(timespec="seconds")


@dataclass(slots=True)
class FeedState:
    url: str
    outlet: str | None
    interval_s: int
    etag: str | None = None
    last_modified: str | None = None
    last_polled: str | None = None
    last_ok: str | None = None
    last_error: str | None = None
    failures: int = 0
    next_due: str | None = None
    items_seen: int = 0

    def due(self, now: datetime) -> bool:
        return self.next_due is None or self.next_due <= stamp(now)


FIELDS = tuple(f.name for f in fields(FeedState))


def register(store: Store, items: Sequence[WatchItem]) -> list[FeedState]:
    """Make sure each watched URL has a row (outlet and interval follow the list; the
    poll state of a known feed is kept); return the states in list order."""
    t = s.watch_feeds
    with store.transaction() as conn:
        known = {r.url: r for r in conn.execute(select(t).where(t.c.url.in_([i.url for i in items])))}
        for it in items:
            if it.url in known:
                conn.execute(update(t).where(t.c.url == it.url).values(outlet=it.outlet, interval_s=it.interval_s))
            else:
                conn.execute(insert(t).values(url=it.url, outlet=it.outlet, interval_s=it.interval_s,
                                              failures=0, items_seen=0))
    by_url = {f.url: f for f in feeds(store)}
    return [by_url[i.url] for i in items]


def feeds(store: Store) -> list[FeedState]:
    with store.engine.connect() as conn:
        rows = conn.execute(select(s.watch_feeds).order_by(s.watch_feeds.c.url)).mappings().all()
    return [FeedState(**{k: r[k] for k in FIELDS}) for r in rows]


def record_poll(store: Store, feed: FeedState, now: datetime, *, error: str | None = None,
                etag: str | None = None, last_modified: str | None = None, new_items: int = 0) -> FeedState:
    """Write the outcome of one poll: validators and next due time, or the error and a
    back-off (interval x 2^failures, at most six hours)."""
    feed.last_polled = stamp(now)
    if error is None:
        feed.failures, feed.last_error, feed.last_ok = 0, None, stamp(now)
        feed.etag, feed.last_modified = etag or feed.etag, last_modified or feed.last_modified
        wait = feed.interval_s
    else:
        feed.failures += 1
        feed.last_error = error[:1000]
        wait = min(MAX_BACKOFF_S, feed.interval_s * 2 ** min(feed.failures, 12))
    feed.items_seen += new_items
    feed.next_due = stamp(now + timedelta(seconds=wait))
    values = {k: getattr(feed, k) for k in FIELDS if k != "url"}
    with store.transaction() as conn:
        conn.execute(update(s.watch_feeds).where(s.watch_feeds.c.url == feed.url).values(**values))
    return feed


def seen_keys(store: Store, feed_url: str) -> set[str]:
    t = s.watch_items
    with store.engine.connect() as conn:
        return set(conn.execute(select(t.c.item_key).where(t.c.feed_url == feed_url)).scalars())


def mark_seen(store: Store, feed_url: str, keys: Iterable[str], now: datetime) -> None:
    rows = [{"feed_url": feed_url, "item_key": k, "seen_at": stamp(now)} for k in dict.fromkeys(keys)]
    if not rows:
        return
    t = s.watch_items
    with store.transaction() as conn:
        conn.execute(delete(t).where((t.c.feed_url == feed_url) & t.c.item_key.in_([r["item_key"] for r in rows])))
        conn.execute(insert(t), rows)


def ever_polled(store: Store) -> bool:
    with store.engine.connect() as conn:
        return conn.execute(select(s.watch_feeds.c.url).where(s.watch_feeds.c.last_polled.is_not(None)).limit(1)).first() is not None


def status_rows(store: Store) -> list[dict[str, Any]]:
    """One row per feed, for `rashomon watch --status` and the app."""
    return [
        {"url": f.url, "outlet": f.outlet, "interval_s": f.interval_s, "last_polled": f.last_polled,
         "last_ok": f.last_ok, "last_error": f.last_error, "failures": f.failures,
         "next_due": f.next_due, "items_seen": f.items_seen}
        for f in feeds(store)
    ]
