"""``rashomon watch``: follow feeds and pages, analyze what is new, alert on changes.

One *cycle* polls every feed that is due (conditional GET with the ETag / Last-Modified
it answered last time; a 304 costs nothing), reads the items not taken before (the page
of each, as ``rashomon analyze`` does, with the same SSRF checks, size cap and
timeouts), stores them, analyzes them incrementally (only the blocks of stories the new
event mentions fall into are relinked), detects new alerts and hands them to the sinks.

A feed that fails is retried after ``interval x 2^failures`` (at most six hours) and its
last error is kept (``rashomon watch --status``, the app's alerts page). Every step
commits before the next begins, so SIGKILL at any point loses nothing and duplicates
nothing on restart; SIGTERM / Ctrl-C stop after the feed being polled.

    from rashomon.watch import WatchItem, cycle
    report = cycle(store, [WatchItem("https://example.org/rss.xml", "Example")])
"""

from __future__ import annotations

import io
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from rashomon import settings
from rashomon.errors import InputError
from rashomon.model import Article, Rejected
from rashomon.read.base import ReadContext
from rashomon.read.feed import has_feed_root, read_feed
from rashomon.read.fetch import Fetcher, FetchOptions
from rashomon.store.db import Store
from rashomon.watch import alerts as al
from rashomon.watch import state as st
from rashomon.watch.sinks import Sink
from rashomon.watch.watchlist import WatchItem, load_watchlist, parse_interval

__all__ = ["CycleReport", "WatchItem", "cycle", "load_watchlist", "parse_interval", "run"]

#: Reasons a feed item is tried again next cycle instead of being taken as done.
TRANSIENT = frozenset({"unreachable", "http_error", "too_many_redirects"})


@dataclass(slots=True)
class CycleReport:
    polled: int = 0
    unchanged: int = 0
    errors: int = 0
    new_items: int = 0
    rejected: int = 0
    analyzed: int = 0
    alerts: list[al.Alert] = field(default_factory=list)
    delivery_errors: list[str] = field(default_factory=list)

    def line(self, n: int) -> str:
        return (f"cycle {n}: {self.polled} feed(s) polled ({self.unchanged} unchanged, {self.errors} error(s)), "
                f"{self.new_items} new item(s), {self.analyzed} analyzed, {len(self.alerts)} new alert(s)"
                + (f"; delivery failed: {'; '.join(self.delivery_errors)}" if self.delivery_errors else ""))


def _options(allow_private: bool, transport: object | None = None) -> FetchOptions:
    return FetchOptions(allow_private=allow_private, max_bytes=int(settings.get("max_bytes") or 20_000_000),
                        timeout=float(settings.get("timeout") or 20.0), transport=transport)  # type: ignore[arg-type]


def poll(store: Store, feed: st.FeedState, fetcher: Fetcher, now: datetime) -> tuple[int, int, bool]:
    """Poll one feed or page; store what is new. Returns (new items, rejected, unchanged)."""
    from rashomon.pipeline import store_outcomes
    from rashomon.read.registry import reader_for_response

    fetched = fetcher.fetch(feed.url, etag=feed.etag, last_modified=feed.last_modified)
    if fetched.not_modified:
        st.record_poll(store, feed, now, etag=fetched.etag, last_modified=fetched.last_modified)
        return 0, 0, True
    ctx = ReadContext(source=feed.url, options=fetcher.options, fetcher=fetcher, outlet=feed.outlet,
                      url=fetched.url, charset=fetched.charset)
    taken: list[str] = []
    if has_feed_root(fetched.body):
        seen = st.seen_keys(store, feed.url)

        def took(key: str, outcome: Article | Rejected) -> None:
            if isinstance(outcome, Article) or outcome.reason not in TRANSIENT:
                taken.append(key)

        outcomes = list(read_feed(io.BytesIO(fetched.body), ctx, seen=seen.__contains__, taken=took))
    else:  # a page: its text is keyed by its hash, so re-reading it stores nothing twice
        outcomes = list(reader_for_response(fetched, feed.url, allow_feed=False)(io.BytesIO(fetched.body), ctx))
    summary = store_outcomes(store, outcomes)
    st.mark_seen(store, feed.url, taken, now)  # after the articles are stored: a kill in between re-reads them
    st.record_poll(store, feed, now, etag=fetched.etag, last_modified=fetched.last_modified, new_items=summary.stored)
    return summary.stored, summary.n_rejected, False


def deliver(store: Store, sinks: Sequence[Sink]) -> list[str]:
    """Send undelivered alerts to every sink; mark them delivered when all took them."""
    pending = al.undelivered(store)
    if not pending or not sinks:
        if pending and not sinks:
            al.mark_delivered(store, [a.key for a in pending])  # nowhere to send: the app shows them
        return []
    errors = []
    for sink in sinks:
        try:
            sink.send(pending)
        except Exception as exc:  # a sink that is down must not stop watching
            errors.append(f"{sink.name}: {type(exc).__name__}: {str(exc)[:200]}")
    if not errors:
        al.mark_delivered(store, [a.key for a in pending])
    return errors


def cycle(store: Store, items: Sequence[WatchItem], *, sinks: Sequence[Sink] = (), allow_private: bool = False,
          framing: bool = True, now: datetime | None = None, force: bool = False,
          stop: threading.Event | None = None, transport: object | None = None,
          on_message: Callable[[str], None] | None = None, relink: bool = True) -> CycleReport:
    """One poll cycle over the feeds that are due (all of them with ``force``); stories
    are relinked when something was analyzed, or always with ``relink``."""
    from rashomon.pipeline import analyze

    now = now or datetime.now(UTC)
    report = CycleReport()
    feeds = st.register(store, items)
    first = not st.ever_polled(store)
    if first:
        al.detect(store, baseline=True, now=now)  # what is true before watching began is not news
    with Fetcher(_options(allow_private, transport)) as fetcher:
        for feed in feeds:
            if stop is not None and stop.is_set():
                break
            if not (force or feed.due(now)):
                continue
            report.polled += 1
            try:
                new, rejected, unchanged = poll(store, feed, fetcher, now)
            except InputError as exc:
                report.errors += 1
                st.record_poll(store, feed, now, error=exc.message)
                if on_message:
                    on_message(exc.message)
                continue
            report.new_items += new
            report.rejected += rejected
            report.unchanged += int(unchanged)
    # always analyze what is stored but not analyzed (a cycle killed before its analysis
    # left it); relink only when something changed, or on a watcher's first cycle (a
    # killed one may have analyzed without linking): linking reads every event mention
    report.analyzed = analyze(store, [], framing=framing, on_message=on_message, link=False).analyzed
    if report.analyzed or relink:
        from rashomon.reconcile import update_stories

        update_stories(store)
    report.alerts = al.detect(store, now=now)
    report.delivery_errors = deliver(store, sinks)
    return report


def run(store: Store, items: Sequence[WatchItem], *, sinks: Sequence[Sink] = (), once: bool = False,
        allow_private: bool = False, framing: bool = True, on_line: Callable[[str], None] | None = None,
        on_message: Callable[[str], None] | None = None, stop: threading.Event | None = None,
        tick: float = 5.0) -> int:
    """Poll until ``stop`` is set (or once); one log line per cycle. Returns cycles run."""
    stop = stop or threading.Event()
    n = 0
    while not stop.is_set():
        n += 1
        report = cycle(store, items, sinks=sinks, allow_private=allow_private, framing=framing,
                       stop=stop, on_message=on_message, relink=n == 1)
        if on_line:
            on_line(report.line(n))
        if once:
            break
        due = [f.next_due for f in st.feeds(store) if f.url in {i.url for i in items} and f.next_due]
        wake = min(due) if due else None
        while not stop.is_set():
            if wake is None or st.stamp(datetime.now(UTC)) >= wake:
                break
            stop.wait(tick)
    return n
