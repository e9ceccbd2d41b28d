"""The web app in-process: JSON twins, search, filters, downloads, auth, limits, headers."""

from __future__ import annotations

import io
import json
import sys
import types
import warnings
from pathlib import Path

import pytest

with warnings.catch_warnings():
    # Starlette 1.x nudges towards `httpx2`; the httpx-based client works the same.
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from fixtures_story import build_kerman, build_xss
from rashomon.model import Article
from rashomon.web import create_app

TOKEN = "s3cret-token"


@pytest.fixture
def db(tmp_path):
    from rashomon.store import Store

    path = str(tmp_path / "web.db")
    with Store(path) as st:
        ids = build_kerman(st)
        ids["xss"] = build_xss(st)
    return path, ids


@pytest.fixture
def client(db):
    path, _ = db
    with TestClient(create_app(path, token=TOKEN, max_upload_bytes=20_000)) as c:
        yield c


@pytest.fixture
def readonly(db, monkeypatch):
    monkeypatch.delenv("RASHOMON_TOKEN", raising=False)
    with TestClient(create_app(db[0])) as c:
        yield c


def fake_analyze(monkeypatch):
    """Stand-in for rashomon.pipeline.analyze: reads JSONL/text sources into the store."""
    calls: list[dict] = []

    def analyze(store, sources, *, outlet=None, progress=None, allow_private=False, **kw):
        calls.append({"sources": list(sources), "outlet": outlet, "allow_private": allow_private})
        for i, src in enumerate(sources):
            if progress:
                progress("read", i, len(sources))
            raw = Path(src).read_text(encoding="utf-8")
            if src.endswith(".jsonl"):
                for line in raw.splitlines():
                    o = json.loads(line)
                    store.add_article(Article(text=o["text"], title=o.get("title"), outlet=o.get("outlet") or outlet))
            else:
                store.add_article(Article(text=raw, title=src.rsplit("/", 1)[-1], outlet=outlet))
        if progress:
            progress("read", len(sources), len(sources))
        return {"read": len(sources)}

    try:
        import rashomon.pipeline as pipeline
    except ImportError:
        pipeline = types.ModuleType("rashomon.pipeline")
        monkeypatch.setitem(sys.modules, "rashomon.pipeline", pipeline)
    monkeypatch.setattr(pipeline, "analyze", analyze, raising=False)
    return calls


def test_security_headers_on_every_response(client):
    for url in ("/", "/api", "/assets/rashomon.css", "/api/stories/nope", "/openapi.json", "/download/facts.csv"):
        r = client.get(url)
        csp = r.headers["content-security-policy"]
        assert "default-src 'none'" in csp and "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["referrer-policy"] == "no-referrer"
        assert r.headers["x-frame-options"] == "DENY"


def test_html_pages_and_json_twins(client, db):
    _, ids = db
    r = client.get("/")
    assert r.status_code == 200 and "Twin bombings at Soleimani memorial" in r.text
    r = client.get(f"/stories/{ids['story']}")
    assert r.status_code == 200 and 'id="slot-killed" class="slot-row st-conflicting conflict"' in r.text
    assert f'href="/articles/{ids["press_tv"]}#s-' in r.text
    j = client.get(f"/api/stories/{ids['story']}").json()
    assert j["slots"]["killed"]["status"] == "conflicting"
    assert {v["qualifier"] for v in j["slots"]["killed"]["values"]} >= {"at least", "about"}
    assert [c["outlet"] for c in j["columns"]] == ["Example Wire", "Press TV", "Example Wire", "New Eastern Outlook"]
    a = client.get(f"/api/articles/{ids['press_tv']}").json()
    assert a["article"]["outlet"] == "Press TV" and a["framing"]["genre"] == "opinion"
    assert any(m["text"] == "Zionist entity" and m["register"] == "loaded" for m in a["mentions"])
    assert client.get(f"/articles/{ids['press_tv']}").status_code == 200
    o = client.get("/api/outlets/Press TV").json()
    assert o["n_articles"] == 1 and o["loaded_labels"][0]["label"] in ("Zionist entity", "Israeli regime")
    assert client.get("/outlets/Press%20TV").status_code == 200
    assert client.get("/api").json()["totals"]["stories"] == 3
    assert client.get("/api/stories/nope").status_code == 404
    r = client.get("/stories/nope")
    assert r.status_code == 404 and "text/html" in r.headers["content-type"]


def test_search_and_filters(client, db):
    _, ids = db
    j = client.get("/api/search", params={"q": "remote mechanism"}).json()
    assert [a["id"] for a in j["articles"]["items"]] == [ids["neo"]]
    j = client.get("/api/search", params={"q": "believes"}).json()
    assert j["claims"]["total"] >= 1 and j["claims"]["items"][0]["speaker_name"] == "the US"
    # LIKE wildcards are data, not patterns
    assert client.get("/api/articles", params={"q": "%"}).json()["total"] == 0
    assert client.get("/api/articles", params={"q": "'; DROP TABLE articles; --"}).json()["total"] == 0
    assert client.get("/api/articles", params={"outlet": "Press TV"}).json()["total"] == 1
    assert client.get("/api/articles", params={"outlet": "Example Wire", "date_from": "2024-01-04"}).json()["total"] == 1
    assert client.get("/api/articles", params={"date_to": "2024-01-04"}).json()["total"] == 2
    assert client.get("/api/articles", params={"actor": "Q2429253"}).json()["total"] == 2  # Daesh + ISIS
    assert client.get("/api/articles", params={"actor": "Israel"}).json()["total"] >= 2
    assert client.get("/api/articles", params={"event_type": "Explosions/Remote violence"}).json()["total"] == 5
    s = client.get("/api/stories", params={"outlet": "Example Wire"}).json()
    assert [x["id"] for x in s["stories"]] == [ids["story"]]
    page = client.get("/search", params={"q": "Kerman"})
    assert page.status_code == 200 and '<mark class="hit">Kerman</mark>' in page.text
    assert client.get("/articles", params={"q": "Kerman", "limit": 1}).text.count("next ›") == 1


def test_query_validation(client):
    assert client.get("/api/articles", params={"limit": 0}).status_code == 422
    assert client.get("/api/articles", params={"limit": 501}).status_code == 422
    assert client.get("/api/articles", params={"date_from": "2024-13"}).status_code == 422
    assert client.get("/api/articles", params={"q": "x" * 201}).status_code == 422
    assert client.get("/api/search", params={"offset": -1}).status_code == 422
    spec = client.get("/openapi.json").json()
    params = {p["name"]: p for p in spec["paths"]["/api/articles"]["get"]["parameters"]}
    assert params["limit"]["schema"]["maximum"] == 500 and params["q"]["schema"]["anyOf"][0]["maxLength"] == 200
    assert "/api/articles" in spec["paths"] and "post" in spec["paths"]["/api/articles"]


@pytest.mark.parametrize("table", ["articles", "events", "claims", "facts", "stories", "acled"])
def test_downloads_three_formats(client, table):
    import pyarrow.parquet as pq

    r = client.get(f"/download/{table}.csv")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert "attachment" in r.headers["content-disposition"]
    n_csv = len(r.text.strip().splitlines()) - 1
    j = client.get(f"/download/{table}.json")
    rows = json.loads(j.text)
    assert j.status_code == 200 and len(rows) >= 1
    p = client.get(f"/download/{table}.parquet")
    t = pq.read_table(io.BytesIO(p.content))
    assert t.num_rows == len(rows)
    if table in ("facts", "acled"):
        assert n_csv == len(rows)
    if table == "acled":
        assert {"fatalities_low", "fatalities_best", "fatalities_high", "event_id_cnty"} <= set(rows[0])
    assert client.get(f"/download/{table}.xml").status_code == 404
    assert client.get("/download/secrets.csv").status_code == 404


def test_writes_need_a_token(client, readonly):
    r = readonly.post("/api/articles", json={"text": "x" * 400}, headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 403 and "read-only" in r.json()["error"]
    r = client.post("/api/articles", json={"text": "x" * 400})
    assert r.status_code == 401 and r.headers["www-authenticate"].startswith("Bearer")
    r = client.post("/api/articles", json={"text": "x" * 400}, headers={"Authorization": "Bearer wrong"})
    assert r.status_code == 401


def test_upload_limits_and_validation(client):
    auth = {"Authorization": f"Bearer {TOKEN}"}
    r = client.post("/api/articles", json={"text": "x" * 30_000}, headers=auth)
    assert r.status_code == 413
    r = client.post("/api/articles", files={"files": ("big.txt", b"y" * 30_000, "text/plain")}, headers=auth)
    assert r.status_code == 413
    r = client.post("/api/articles", json={}, headers=auth)
    assert r.status_code == 422 and "Nothing to analyze" in r.json()["error"]
    r = client.post("/api/articles", json={"urls": ["javascript:alert(1)"]}, headers=auth)
    assert r.status_code == 422
    r = client.post("/api/articles", json={"title": "t" * 600, "text": "abc"}, headers=auth)
    assert r.status_code == 422
    r = client.post("/api/articles", content=b"not json", headers={**auth, "content-type": "application/json"})
    assert r.status_code == 422


def test_upload_runs_a_background_job(client, monkeypatch):
    calls = fake_analyze(monkeypatch)
    auth = {"Authorization": f"Bearer {TOKEN}"}
    text = "Gunmen attacked a police station in the town of Rask on Friday, killing 11 officers, officials said."
    r = client.post("/api/articles", json={"text": text, "title": "Rask attack", "outlet": "Wire"}, headers=auth)
    assert r.status_code == 202, r.text
    job_id = r.json()["job_id"]
    job = client.app.state.jobs.wait(job_id, 20)
    assert job.state == "done", job.messages
    j = client.get(f"/api/jobs/{job_id}").json()
    assert j["state"] == "done" and j["done"] == j["total"] == 1 and len(j["article_ids"]) == 1
    assert j["titles"][j["article_ids"][0]] == "Rask attack"
    assert calls[0]["allow_private"] is False and calls[0]["outlet"] == "Wire"
    assert client.get("/api/articles", params={"q": "Rask"}).json()["total"] == 1
    assert client.get(f"/jobs/{job_id}").status_code == 200
    # multipart: a file and form fields
    r = client.post("/api/articles", headers=auth, data={"outlet": "Upload Daily"},
                    files={"files": ("../../etc/evil name.txt", b"Protesters gathered in Tehran on Monday.", "text/plain")})
    assert r.status_code == 202
    job = client.app.state.jobs.wait(r.json()["job_id"], 20)
    assert job.state == "done" and job.article_ids
    assert "evil_name.txt" in calls[-1]["sources"][0] and "/etc/" not in calls[-1]["sources"][0]
    assert client.get("/api/jobs/unknown").status_code == 404


def test_failed_job_reports_error(client, monkeypatch):
    calls = fake_analyze(monkeypatch)
    import rashomon.pipeline as pipeline

    def boom(*a, **k):
        calls.append({})
        raise RuntimeError("model missing")

    monkeypatch.setattr(pipeline, "analyze", boom)
    r = client.post("/api/articles", json={"text": "some text here"}, headers={"Authorization": f"Bearer {TOKEN}"})
    job = client.app.state.jobs.wait(r.json()["job_id"], 20)
    assert job.state == "failed" and "model missing" in job.error


def test_xss_payloads_are_inert_in_the_app(client, db):
    _, ids = db
    for url in (f"/articles/{ids['xss']['article']}", "/", "/articles", "/search?q=alert",
                "/outlets/%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E"):
        html = client.get(url).text
        for bad in ("<script>alert", "<img src=x", "<svg onload", "<b onmouseover", "javascript:alert"):
            assert bad not in html, (url, bad)
    r = client.get("/stories/" + "xss-%3Cstory%3E")
    assert r.status_code == 200 and "&lt;svg onload=alert(13)&gt;" in r.text


@pytest.mark.model
@pytest.mark.shared
def test_upload_seeds_through_the_real_pipeline(tmp_path, seeds_dir, monkeypatch):
    """End to end: the two seeds posted to the API, analyzed by rashomon.pipeline, then shown."""
    pytest.importorskip("rashomon.pipeline")
    from rashomon.report import write_report
    from rashomon.store import Store

    path = str(tmp_path / "e2e.db")
    with TestClient(create_app(path, token=TOKEN, max_upload_bytes=2_000_000)) as c:
        auth = {"Authorization": f"Bearer {TOKEN}"}
        files = [("files", (p.name, p.read_bytes(), "text/plain")) for p in sorted(seeds_dir.glob("*.txt"))]
        r = c.post("/api/articles", files=files, headers=auth)
        assert r.status_code == 202, r.text
        job = c.app.state.jobs.wait(r.json()["job_id"], 600)
        if job.state == "failed" and "[E20" in (job.error or ""):
            pytest.skip(f"the pipeline's models are not built here: {job.error}")
        assert job.state == "done", job.messages
        assert len(job.article_ids) == 2
        stories = c.get("/api/stories").json()["stories"]
        for st in stories[:5]:
            assert c.get(f"/stories/{st['id']}").status_code == 200
        for aid in job.article_ids:
            assert c.get(f"/articles/{aid}").status_code == 200
    with Store(path) as st:
        assert write_report(st, tmp_path / "report").exists()


def test_read_cache_serves_until_the_store_changes(tmp_path):
    """A cached page is served again at the same data version and refreshed after a write."""
    from fastapi.testclient import TestClient

    from rashomon.model import Article
    from rashomon.store import Store
    from rashomon.web import create_app

    db = str(tmp_path / "c.db")
    store = Store(db)
    app = create_app(db)
    with TestClient(app) as client:
        first = client.get("/api/articles")
        assert first.status_code == 200 and first.json()["total"] == 0
        assert client.get("/api/articles").json() == first.json()
        store.add_article(Article(text="A new article about a ceasefire in Gaza. " * 5, outlet="Wire"))
        after = client.get("/api/articles")
        assert after.json()["total"] == 1
        assert "content-security-policy" in after.headers


def ingest_for_real(monkeypatch):
    """pipeline.analyze replaced by pipeline.ingest: the real readers, no language models."""
    import rashomon.pipeline as pipeline

    real_ingest = pipeline.ingest

    def analyze(store, sources, *, outlet=None, progress=None, allow_private=False, **kw):
        out = real_ingest(store, sources, outlet=outlet, allow_private=allow_private, progress=progress)
        if progress:  # like the real reconcile stage: it reports every 50th story, never the last
            progress("reconcile", 1, 7)
        return out

    monkeypatch.setattr(pipeline, "analyze", analyze)


AUTH = {"Authorization": f"Bearer {TOKEN}"}
STORY = ("Gunmen attacked a police station in the town of Rask on Friday, killing 11 officers, officials "
         "said. The attackers fled towards the border, according to a provincial spokesman.")


def test_upload_passes_published_outlet_and_url_through(client, monkeypatch):
    from rashomon.store import Store

    ingest_for_real(monkeypatch)
    body = {"text": STORY, "title": "Rask attack", "outlet": "Border Wire", "published": "2024-03-08",
            "url": "https://border-wire.example/rask"}
    r = client.post("/api/articles", json=body, headers=AUTH)
    assert r.status_code == 202, r.text
    job = client.app.state.jobs.wait(r.json()["job_id"], 30)
    assert job.state == "done", job.messages
    [art] = list(Store(client.app.state.store.db).iter_articles(job.article_ids))
    assert (art.outlet, art.published, art.url, art.title) == ("Border Wire", "2024-03-08",
                                                              "https://border-wire.example/rask", "Rask attack")
    # the same through a form post
    form = {"text": STORY.replace("11", "12"), "outlet": "Form Daily", "published": "2024-03-09"}
    r = client.post("/api/articles", data=form, files={"files": ("", b"", "text/plain")}, headers=AUTH)
    assert r.status_code == 202, r.text
    job = client.app.state.jobs.wait(r.json()["job_id"], 30)
    [art] = list(Store(client.app.state.store.db).iter_articles(job.article_ids))
    assert (art.outlet, art.published) == ("Form Daily", "2024-03-09")


def test_upload_unknown_or_invalid_fields_are_422(client, monkeypatch):
    fake_analyze(monkeypatch)
    r = client.post("/api/articles", json={"text": STORY, "publshed": "2024-03-08"}, headers=AUTH)
    assert r.status_code == 422 and "publshed" in r.json()["error"] and r.json()["fields"] == ["publshed"]
    r = client.post("/api/articles", data={"text": STORY, "autor": "Jane"}, headers=AUTH)
    assert r.status_code == 422 and "'autor'" in r.json()["error"]
    r = client.post("/api/articles", data={"text": STORY, "token": TOKEN}, headers=AUTH)
    assert r.status_code == 422 and "token" in r.json()["error"]
    for bad in ("2024-02-30", "2024-13-01", "08/03/2024", "yesterday"):
        r = client.post("/api/articles", json={"text": STORY, "published": bad}, headers=AUTH)
        assert r.status_code == 422 and "published" in r.json()["fields"], bad
        r = client.post("/api/articles", data={"text": STORY, "published": bad}, headers=AUTH)
        assert r.status_code == 422, bad
    r = client.post("/api/articles", json={"urls": ["https://example.org/a"], "published": "2024-03-08"}, headers=AUTH)
    assert r.status_code == 422 and "pasted text" in r.json()["error"]
    spec = client.get("/openapi.json").json()
    schema = spec["paths"]["/api/articles"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert "published" in schema["properties"] and schema.get("additionalProperties") is False


def test_invalid_dates_in_queries_are_422(client):
    for bad in ("2024-13-01", "2024-02-30", "2024-00-10", "2024-1-01"):
        for url in ("/api/articles", "/api/search", "/api/stories", "/articles", "/search"):
            r = client.get(url, params={"date_from": bad})
            assert r.status_code == 422, (url, bad)
        assert client.get("/api/articles", params={"date_to": bad}).status_code == 422
    assert client.get("/api/articles", params={"date_from": "2024-02-29"}).status_code == 200
    detail = client.get("/api/articles", params={"date_from": "2024-13-01"}).json()["detail"]
    assert detail[0]["loc"] == ["query", "date_from"]


def test_finished_job_shows_full_progress(client, monkeypatch):
    ingest_for_real(monkeypatch)
    r = client.post("/api/articles", json={"text": STORY}, headers=AUTH)
    job_id = r.json()["job_id"]
    assert client.app.state.jobs.wait(job_id, 30).state == "done"
    j = client.get(f"/api/jobs/{job_id}").json()
    assert j["progress"] == 1 and j["done"] == j["total"] > 0
    page = client.get(f"/jobs/{job_id}").text
    assert 'id="job-progress" max="1" value="1.0"' in page
    assert f"{j['total']} / {j['total']}" in page and "hidden" not in page.split('id="job-links"')[1][:20]


def test_jobs_survive_a_restart(db, monkeypatch):
    from rashomon.web.jobs import Job

    path, _ = db
    ingest_for_real(monkeypatch)
    with TestClient(create_app(path, token=TOKEN)) as c:
        r = c.post("/api/articles", json={"text": STORY, "title": "Rask attack"}, headers=AUTH)
        job_id = r.json()["job_id"]
        assert c.app.state.jobs.wait(job_id, 30).state == "done"
        before = c.get(f"/api/jobs/{job_id}").json()
        # a server that dies mid-job leaves its row "running"
        store = c.app.state.store
        dead = Job(id="deadbeefdeadbeef", sources=["x"], state="running", stage="analyze", done=3, total=9)
        mgr = c.app.state.jobs
        mgr._save(dead, force=True)
        assert store.count("jobs") >= 2
    with TestClient(create_app(path, token=TOKEN)) as c2:  # a new server process on the same store
        after = c2.get(f"/api/jobs/{job_id}").json()
        assert after["state"] == "done" and after["article_ids"] == before["article_ids"]
        assert after["titles"] == before["titles"] and after["progress"] == 1
        assert c2.get(f"/jobs/{job_id}").status_code == 200
        lost = c2.get("/api/jobs/deadbeefdeadbeef").json()
        assert lost["state"] == "failed" and lost["stage"] == "interrupted"
        assert "server stopped" in lost["error"] and lost["done"] == 3
        page = c2.get("/jobs/deadbeefdeadbeef").text
        assert "Interrupted: the server stopped" in page
        assert c2.get("/api/jobs/0123456789abcdef").status_code == 404


def test_downloads_page_counts_acled_rows(client):
    import re as _re

    html = client.get("/downloads").text
    row = html.split("<b>acled</b>")[1].split("</tr>")[0]
    n = int(_re.search(r'class="num">([\d,]+)<', row).group(1).replace(",", ""))
    assert n == len(json.loads(client.get("/download/acled.json").text))


def test_an_older_database_gets_the_jobs_table(tmp_path):
    """A store made before the jobs table (schema v2) is migrated when the app opens it."""
    import sqlite3

    from rashomon.store import Store

    path = tmp_path / "old.db"
    Store(str(path)).close()
    con = sqlite3.connect(path)
    con.execute("DROP TABLE jobs")
    con.execute("DELETE FROM schema_migrations WHERE version >= 3")
    con.commit()
    con.close()
    with TestClient(create_app(str(path), token=TOKEN)) as c:
        assert c.get("/api/jobs/0123456789abcdef").status_code == 404
        assert c.app.state.store.count("jobs") == 0
