"""`rashomon watch`: polling with validators, items taken once, alerts fired once."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest

from rashomon.errors import UsageError
from rashomon.watch import WatchItem, cycle, load_watchlist, parse_interval
from rashomon.watch import alerts as al
from rashomon.watch import state as st
from rashomon.watch.sinks import JsonlSink, WebhookSink

T0 = datetime(2024, 5, 6, 8, 0, tzinfo=UTC)


def test_intervals_and_watch_lists(tmp_path: Path) -> None:
    assert parse_interval("15m") == 900 and parse_interval("2h") == 7200 and parse_interval(90) == 90
    assert parse_interval("5s") == 30  # never more often than twice a minute
    with pytest.raises(UsageError, match=r"\[E501\].*fortnight"):
        parse_interval("fortnight")
    toml = tmp_path / "w.toml"
    toml.write_text('[[feed]]\nurl = "https://a.example/rss"\noutlet = "A News"\ninterval = "10m"\n'
                    '[[feed]]\nurl = "https://b.example/rss"\n', encoding="utf-8")
    assert load_watchlist(toml) == [WatchItem("https://a.example/rss", "A News", 600), WatchItem("https://b.example/rss", None, 900)]
    yml = tmp_path / "w.yaml"
    yml.write_text("feeds:\n  - url: https://a.example/rss\n    colour: red\n", encoding="utf-8")
    with pytest.raises(UsageError, match=r"\[E501\].*entry 1.*colour"):
        load_watchlist(yml)


ARTICLES = {
    "/a1": ("Harbour Gazette", "2024-05-06", "Blast at Tarsin ferry terminal kills 12",
            "A bomb exploded at the ferry terminal in the port city of Tarsin on Monday, killing 12 people "
            "and wounding 30, the regional governor said. Police said the device was hidden in a bag."),
    "/b1": ("Northline Radio", "2024-05-06", "Twelve dead in Tarsin terminal bombing",
            "Twelve people were killed when a bomb went off at the Tarsin ferry terminal on Monday, "
            "the governor said. Thirty people were wounded. No group has said it carried out the bombing."),
    "/b2": ("Northline Radio", "2024-05-07", "Tarsin terminal bombing toll rises to 19",
            "The death toll from Monday's bombing at the Tarsin ferry terminal has risen to 19, "
            "the regional governor said on Tuesday. Police said the device was hidden in a bag."),
    "/c1": ("Coastline Post", "2024-05-07", "Nine killed in Tarsin ferry terminal bombing",
            "Nine people were killed in Monday's bombing at the Tarsin ferry terminal, hospital officials "
            "said on Tuesday. Police said the device was hidden in a bag."),
}


def page(path: str) -> bytes:
    outlet, date, title, body = ARTICLES[path]
    return (f'<html><head><title>{title}</title><meta property="og:site_name" content="{outlet}">'
            f'<meta property="article:published_time" content="{date}T09:00:00Z"></head>'
            f"<body><article><h1>{title}</h1><p>{body}</p></article></body></html>").encode()


def feed(base: str, paths: list[str]) -> bytes:
    items = "".join(f"<item><title>{ARTICLES[p][2]}</title><link>{base}{p}</link><guid>{base}{p}</guid></item>" for p in paths)
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>{items}</channel></rss>'.encode()


class _H(BaseHTTPRequestHandler):
    state: dict[str, Any]

    def do_GET(self) -> None:
        st_ = self.state
        st_["hits"].append(self.path)
        if self.path == "/feed":
            if st_.get("broken"):
                self.send_response(503)
                self.end_headers()
                return
            etag = f'"v{len(st_["items"])}"'
            if self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.end_headers()
                return
            body, ctype = feed(st_["base"], st_["items"]), "application/rss+xml"
            self.send_response(200)
            self.send_header("ETag", etag)
        elif self.path in ARTICLES:
            body, ctype = page(self.path), "text/html; charset=utf-8"
            self.send_response(200)
        else:
            self.send_response(404)
            self.end_headers()
            return
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *a: Any) -> None:
        pass


@pytest.fixture
def site() -> Iterator[dict[str, Any]]:
    state: dict[str, Any] = {"hits": [], "items": ["/a1", "/b1"]}
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), type("H", (_H,), {"state": state}))
    httpd.daemon_threads = True
    state["base"] = f"http://127.0.0.1:{httpd.server_address[1]}"
    t = threading.Thread(target=httpd.serve_forever, daemon=True)
    t.start()
    yield state
    httpd.shutdown()
    httpd.server_close()


@pytest.mark.model
def test_watch_takes_items_once_and_alerts_once(site: dict[str, Any], tmp_path: Path) -> None:
    from rashomon.store import Store

    db = str(tmp_path / "w.db")
    item = WatchItem(site["base"] + "/feed", None, 600)
    log = tmp_path / "alerts.jsonl"
    store = Store(db)
    r1 = cycle(store, [item], sinks=[JsonlSink(log)], allow_private=True, framing=False, now=T0)
    assert (r1.polled, r1.new_items, r1.errors) == (1, 2, 0)
    kinds = {a.kind for a in r1.alerts}
    assert "new_story" in kinds  # reported by two outlets
    assert len(log.read_text().splitlines()) == len(r1.alerts)

    # not due yet: nothing is fetched
    r2 = cycle(store, [item], allow_private=True, framing=False, now=T0 + timedelta(minutes=5))
    assert r2.polled == 0
    # due, unchanged: a conditional request, 304, no page fetched again
    hits = len(site["hits"])
    r3 = cycle(store, [item], allow_private=True, framing=False, now=T0 + timedelta(minutes=11))
    assert (r3.polled, r3.unchanged, r3.new_items, r3.alerts) == (1, 1, 0, [])
    assert site["hits"][hits:] == ["/feed"]

    # a new item: only it is fetched; one outlet revises 12 -> 19. The other outlet's 12 was
    # reported a day earlier, so 19 is a rising toll (a revision), not a contradiction
    site["items"].append("/b2")
    hits = len(site["hits"])
    r4 = cycle(store, [item], sinks=[JsonlSink(log)], allow_private=True, framing=False, now=T0 + timedelta(minutes=22))
    assert r4.new_items == 1 and sorted(site["hits"][hits:]) == ["/b2", "/feed"]
    new = {(a.kind, a.slot) for a in r4.alerts}
    assert ("revision", "killed") in new and ("conflict", "killed") not in new
    revision = next(a for a in r4.alerts if a.kind == "revision")
    assert "Northline Radio" in revision.title and "12 → 19" in revision.title

    # a third outlet says nine on the same day as 19: that is a contradiction
    site["items"].append("/c1")
    r4b = cycle(store, [item], sinks=[JsonlSink(log)], allow_private=True, framing=False, now=T0 + timedelta(minutes=33))
    assert r4b.new_items == 1
    assert ("conflict", "killed") in {(a.kind, a.slot) for a in r4b.alerts}
    store.close()

    # a restart on the same store repeats nothing
    store = Store(db)
    assert al.detect(store) == []
    r5 = cycle(store, [item], allow_private=True, framing=False, now=T0 + timedelta(minutes=40), force=True)
    assert r5.alerts == [] and r5.new_items == 0
    rows = [json.loads(x) for x in log.read_text().splitlines()]
    assert len(rows) == len({r["id"] for r in rows})  # each alert sent once
    store.close()


def test_a_failing_feed_backs_off_and_keeps_its_error(site: dict[str, Any], tmp_path: Path) -> None:
    from rashomon.store import Store

    site["broken"] = True
    store = Store(str(tmp_path / "w.db"))
    item = WatchItem(site["base"] + "/feed", "Wire", 60)
    for i in range(3):
        r = cycle(store, [item], allow_private=True, framing=False, now=T0 + timedelta(hours=i), force=True)
        assert r.errors == 1
    (row,) = st.status_rows(store)
    assert row["failures"] == 3 and "503" in row["last_error"]
    assert row["next_due"] == st.stamp(T0 + timedelta(hours=2, seconds=60 * 2**3))
    store.close()


def test_webhook_payload_shapes_and_atom_escaping() -> None:
    a = al.Alert("k1", "s-1", "conflict", "killed", "Blast <b>&</b> kills 12", {"values": [{"outlet": "X", "evidence_text": "<script>x</script>"}]},
                 "2024-05-06T08:00:00+00:00")
    sent: list[dict[str, Any]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(json.loads(request.content))
        return httpx.Response(200)

    WebhookSink("https://hooks.example/x", "slack", "http://app", transport=httpx.MockTransport(handler)).send([a])
    WebhookSink("https://hooks.example/x", "discord", transport=httpx.MockTransport(handler)).send([a])
    assert sent[0]["text"].startswith("[conflict] Blast") and sent[0]["text"].endswith("http://app/stories/s-1")
    assert "content" in sent[1]
    from xml.dom.minidom import parseString

    doc = al.atom([a], "http://app")
    assert "<script>" not in doc and "&lt;script&gt;" in doc and "&lt;b&gt;&amp;&lt;/b&gt;" in doc
    parseString(doc)  # well-formed


@pytest.mark.model
def test_sigterm_stops_the_service_cleanly(site: dict[str, Any], tmp_path: Path) -> None:
    import os
    import signal
    import subprocess
    import sys
    import time

    db = tmp_path / "w.db"
    proc = subprocess.Popen(
        [sys.executable, "-m", "rashomon", "watch", site["base"] + "/feed", "--interval", "1h", "--allow-private",
         "--no-framing", "--db", str(db), "--jsonl", str(tmp_path / "a.jsonl")],
        stderr=subprocess.PIPE, text=True, env={**os.environ, "COLUMNS": "200"},
    )
    assert proc.stderr is not None
    deadline = time.monotonic() + 120
    line = ""
    while time.monotonic() < deadline and not line.startswith("cycle 1"):
        line = proc.stderr.readline()
        assert line or proc.poll() is None, "watch exited early"
    assert "2 new item(s)" in line, line
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=30) == 0
    from rashomon.store import Store

    store = Store(str(db))
    assert store.count("articles") == 2 and {r["status"] for r in store.rows("analyses")} == {"analyzed"}
    store.close()


def test_alerts_page_atom_and_api_escape_article_text(tmp_path: Path) -> None:
    import warnings

    from sqlalchemy import insert

    with warnings.catch_warnings():  # Starlette nudges towards httpx2; the httpx client works the same
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient

    from rashomon.store import Store
    from rashomon.store import schema as s
    from rashomon.web.app import create_app

    db = str(tmp_path / "w.db")
    store = Store(db)
    with store.transaction() as conn:
        conn.execute(insert(s.alerts).values(key="k1", story_id="s-1", kind="conflict", slot="killed",
                                             title="Blast <script>alert(1)</script> kills 12", data='{"values": []}',
                                             created="2024-05-06T08:00:00+00:00", baseline=0, delivered=1))
        conn.execute(insert(s.alerts).values(key="k0", story_id="s-0", kind="new_story", slot=None, title="old news",
                                             data="{}", created="2024-05-01T08:00:00+00:00", baseline=1, delivered=1))
    st.register(store, [WatchItem("https://feeds.example/rss", "Example", 600)])
    st.record_poll(store, st.feeds(store)[0], T0, error="[E006] https://feeds.example/rss: unreachable")
    client = TestClient(create_app(db))
    html = client.get("/alerts").text
    assert "&lt;script&gt;" in html and "<script>alert" not in html
    assert "old news" not in html  # baseline alerts are not news
    assert "unreachable" in html and "feeds.example" in html
    atom = client.get("/alerts.atom")
    assert atom.headers["content-type"].startswith("application/atom+xml") and "<script>" not in atom.text
    api = client.get("/api/alerts", params={"kind": "conflict"}).json()
    assert [a["id"] for a in api["alerts"]] == ["k1"] and api["feeds"][0]["failures"] == 1
    assert client.get("/api/alerts", params={"kind": "gossip"}).status_code == 422
    store.close()


@pytest.mark.model
@pytest.mark.parametrize("delay", [1.0, 4.0])
def test_sigkill_at_any_point_loses_and_duplicates_nothing(site: dict[str, Any], tmp_path: Path, delay: float) -> None:
    import subprocess
    import sys
    import time

    db, log = tmp_path / "w.db", tmp_path / "a.jsonl"
    cmd = [sys.executable, "-m", "rashomon", "watch", site["base"] + "/feed", "--interval", "1h", "--allow-private",
           "--no-framing", "--db", str(db), "--jsonl", str(log), "--quiet"]
    proc = subprocess.Popen(cmd, stderr=subprocess.DEVNULL)
    time.sleep(delay)  # somewhere in start-up, polling, storing or analysis
    proc.kill()
    proc.wait(timeout=30)
    done = subprocess.run([*cmd, "--once"], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    from rashomon.store import Store

    store = Store(str(db))
    assert store.count("articles") == 2
    assert {r["status"] for r in store.rows("analyses")} == {"analyzed"} and store.count("analyses") == 2
    rows = [json.loads(x) for x in log.read_text().splitlines()] if log.exists() else []
    assert len(rows) == len({r["id"] for r in rows})  # no alert sent twice
    assert al.undelivered(store) == []
    store.close()
