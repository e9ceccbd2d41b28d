"""The store on SQLite and (when reachable) PostgreSQL: dedup, near-dups, atomic analysis."""

from __future__ import annotations

import os
import socket
import uuid

import pytest
from sqlalchemy import text

from rashomon.errors import StoreError
from rashomon.model import Article, Rejected
from rashomon.store import Store
from rashomon.store.migrations import LATEST

BODY = (
    "Two explosions struck a crowd of mourners near the cemetery in Kerman on Wednesday, "
    "officials said, killing at least 84 people and wounding 284 others in the deadliest "
    "attack in Iran in decades. The blasts came fifteen minutes apart."
)

LONGER = (
    "Iranian state television showed ambulances racing through the crowd as people fled. "
    "The interior minister said security forces had been deployed across the province and "
    "promised that those responsible would be found. Hospitals in the city appealed for "
    "blood donations, and the government declared the next day a day of national mourning. "
    "No group immediately said it carried out the attack; the Islamic State claimed it the "
    "following day in a statement posted on its channels."
)


def _pg_url() -> str | None:
    url = os.environ.get("RASHOMON_TEST_PG")
    if url:
        return url
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=0.5):
            return "postgresql://postgres@127.0.0.1:5432/test"
    except OSError:
        return None


@pytest.fixture(params=["sqlite", "postgresql"])
def any_store(request, tmp_path):
    if request.param == "sqlite":
        st = Store(str(tmp_path / "s.db"))
        yield st
        st.close()
        return
    url = _pg_url()
    if url is None:
        if os.environ.get("RASHOMON_REQUIRE_SERVICES"):
            pytest.fail("PostgreSQL is required in CI (RASHOMON_REQUIRE_SERVICES=1) but 127.0.0.1:5432 is unreachable")
        pytest.skip("no PostgreSQL on 127.0.0.1:5432 (set RASHOMON_TEST_PG to point at one)")
    schema = f"t_{uuid.uuid4().hex[:10]}"
    import sqlalchemy

    admin = sqlalchemy.create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in url else "?"
    st = Store(f"{url}{sep}options=-csearch_path%3D{schema}")
    yield st
    st.close()
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


def test_same_text_twice_is_stored_once(any_store):
    a = Article(text=BODY, outlet="Meridian Wire")
    assert any_store.add_article(a).status == "stored"
    again = any_store.add_article(Article(text=BODY, outlet="Other"))
    assert again.status == "duplicate"
    assert any_store.count("articles") == 1


def test_near_duplicate_is_linked_not_dropped(any_store):
    long_body = BODY + " " + LONGER
    any_store.add_article(Article(text=long_body))
    tweaked = long_body.replace("on Wednesday", "on Wednesday afternoon")
    out = any_store.add_article(Article(text=tweaked))
    assert out.status == "near_duplicate"
    assert out.duplicate_of == Article(text=long_body).id
    assert any_store.count("articles") == 2
    dups = [r["duplicate_of"] for r in any_store.rows("articles") if r["duplicate_of"]]
    assert dups == [Article(text=long_body).id]


def test_near_duplicate_index_survives_reopen(tmp_path):
    db = str(tmp_path / "r.db")
    with Store(db) as st:
        st.add_article(Article(text=BODY))
    with Store(db) as st:
        out = st.add_article(Article(text=BODY + " More follows."))
        assert out.status == "near_duplicate"


def test_rejected_is_recorded_once_per_input(any_store):
    r = Rejected("bad.bin", "binary", "[E002] bad.bin: looks like binary data")
    any_store.add_rejected(r)
    any_store.add_rejected(r)
    assert any_store.count("rejected") == 1


def test_analysis_is_replaced_atomically(any_store):
    a = Article(text=BODY)
    any_store.add_article(a)
    row = {"article_id": a.id, "start": 0, "end": 3, "text": "Two", "kind": "quantity"}
    any_store.save_analyses([{"article_id": a.id, "mentions": [row, row]}], "v1")
    assert any_store.count("mentions") == 2
    assert any_store.pending("v1") == []
    assert any_store.pending("v2") == [a.id]
    any_store.save_analyses([{"article_id": a.id, "mentions": [row]}], "v2")
    assert any_store.count("mentions") == 1
    assert any_store.analyzed_versions() == {a.id: "v2"}


def test_failed_batch_leaves_nothing_half_written(any_store):
    a = Article(text=BODY)
    any_store.add_article(a)
    bad = {"article_id": a.id, "start": 0, "end": 3, "text": None, "kind": "quantity"}  # NOT NULL violated
    with pytest.raises(Exception):  # noqa: B017 - the driver's own integrity error
        any_store.save_analyses([{"article_id": a.id, "mentions": [bad]}], "v1")
    assert any_store.count("mentions") == 0
    assert any_store.pending("v1") == [a.id]


def test_schema_version_recorded(any_store):
    rows = any_store.execute("SELECT max(version) AS v FROM schema_migrations")
    assert rows[0]["v"] == LATEST


def test_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(StoreError, match="E101"):
        Store(str(tmp_path / "nope" / "x.db"))


def test_env_default_db(monkeypatch, tmp_path):
    from rashomon.store import default_db

    monkeypatch.setenv("RASHOMON_DB", str(tmp_path / "env.db"))
    assert default_db() == str(tmp_path / "env.db")


def test_every_write_bumps_the_data_version(any_store):
    v0 = any_store.data_version()
    any_store.add_article(Article(text=BODY))
    v1 = any_store.data_version()
    assert v1 > v0
    any_store.add_rejected(Rejected("x.bin", "binary", "[E002] x.bin"))
    assert any_store.data_version() > v1


def test_a_republication_read_first_points_to_the_original(store):
    """Near-duplicates point to the earliest publication, not to whichever was read first."""
    from rashomon.model import Article

    body = (
        "Two explosions struck a crowded market in the northern city of Dalvara on Friday, "
        "killing at least 14 people and wounding 40, the regional health office said. "
        "Witnesses described a second blast minutes after the first as rescuers arrived. "
        "No group has said it carried out the attack, and police said an investigation was under way. "
        "The market had reopened only last month after repairs, traders said, and many stalls were full. "
        "Hospitals in the city appealed for blood donors as ambulances carried the wounded through the night. "
        "The governor declared three days of mourning and ordered checkpoints on the roads into the city."
    )
    reprint = Article(text=body + "\n\n(Meridian Wire)", outlet="Coastal Daily", published="2024-03-09", url="https://c.example/r")
    original = Article(text="By Meridian Wire staff\n\n" + body, outlet="Meridian Wire", published="2024-03-08", url="https://m.example/o")
    first = store.add_articles([reprint])[0]
    second = store.add_articles([original])[0]
    assert first.status == "stored" and second.status == "stored"
    rows = {r["id"]: r for r in store.rows("articles")}
    assert rows[reprint.id]["duplicate_of"] == original.id
    assert rows[original.id]["duplicate_of"] is None


def test_watch_state_and_alerts_on_both_backends(any_store):
    """The watcher's tables work the same on SQLite and PostgreSQL (migration 4)."""
    from datetime import UTC, datetime

    from rashomon.watch import WatchItem
    from rashomon.watch import alerts as al
    from rashomon.watch import state as wst

    t0 = datetime(2024, 5, 6, 8, 0, tzinfo=UTC)
    (feed,) = wst.register(any_store, [WatchItem("https://feeds.example/rss", "Example", 600)])
    wst.record_poll(any_store, feed, t0, etag='"v1"', new_items=2)
    wst.mark_seen(any_store, feed.url, ["a", "b", "a"], t0)
    wst.mark_seen(any_store, feed.url, ["b", "c"], t0)
    assert wst.seen_keys(any_store, feed.url) == {"a", "b", "c"}
    (row,) = wst.status_rows(any_store)
    assert row["items_seen"] == 2 and row["last_ok"] == wst.stamp(t0)
    assert al.detect(any_store) == []  # no stories, no alerts
