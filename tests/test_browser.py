"""Headless Chromium over the static report (file://) and the live app (uvicorn in a thread).

Screenshots go to test-artifacts/. Skips when /usr/bin/chromium is missing
(`apt-get install -y chromium`); never runs `playwright install`.
"""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path

import pytest

from fixtures_story import build_kerman, build_xss

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
TOKEN = "browser-token"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("headless browser tests need /usr/bin/chromium: run `apt-get install -y chromium`")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    ctx = browser.new_context(viewport={"width": 1400, "height": 900})
    pg = ctx.new_page()
    pg.dialogs = []  # type: ignore[attr-defined]
    pg.console_errors = []  # type: ignore[attr-defined]
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))
    pg.on("console", lambda m: m.type == "error" and pg.console_errors.append(m.text))
    yield pg
    ctx.close()


def shot(pg, name: str, full: bool = True) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    pg.screenshot(path=str(ARTIFACTS / name), full_page=full)


@pytest.fixture
def report_dir(tmp_path):
    from rashomon.report import write_report
    from rashomon.store import Store

    with Store(str(tmp_path / "r.db")) as st:
        ids = build_kerman(st)
        ids["xss"] = build_xss(st)
        write_report(st, tmp_path / "report")
    return ids, tmp_path / "report"


def test_report_conflict_and_evidence_click(page, report_dir):
    ids, out = report_dir
    page.goto((out / "index.html").as_uri())
    shot(page, "report-index.png")
    page.fill("#story-filter", "damascus")
    assert page.locator("#stories tbody tr:visible").count() == 1
    page.fill("#story-filter", "")
    page.click("text=Twin bombings at Soleimani memorial in Kerman")
    row = page.locator("#slot-killed")
    assert "conflict" in (row.get_attribute("class") or "")
    bg = row.locator("td").first.evaluate("e => getComputedStyle(e).backgroundColor")
    assert bg not in ("rgba(0, 0, 0, 0)", "rgb(255, 255, 255)"), bg  # the stylesheet loaded under the CSP
    assert row.locator(".pill.st-conflicting").inner_text().strip().endswith("Conflicting")
    shot(page, "report-story.png")
    ptv = next(v for v in ids["killed_values"] if v["outlet"] == "Press TV")
    anchor = f"s-{ptv['evidence_start']}-{ptv['evidence_end']}"
    row.locator(f'a[href$="#{anchor}"]').click()
    page.wait_for_url(f"**/article-{ids['press_tv']}.html#{anchor}")
    target = page.locator(f"#{anchor}")
    assert target.inner_text() == ids["press_tv_text"][ptv["evidence_start"]:ptv["evidence_end"]]
    assert "at least 91" in target.inner_text()
    assert page.evaluate("document.querySelector(':target').id") == anchor
    hl = target.evaluate("e => getComputedStyle(e).backgroundColor")
    assert hl not in ("rgba(0, 0, 0, 0)", "rgb(255, 255, 255)"), hl
    assert target.is_visible()
    shot(page, "report-article-target.png", full=False)
    # the loaded label explains itself on hover
    assert "Loaded label" in (page.locator(".article-text .m-loaded").first.get_attribute("title") or "")
    assert not page.console_errors, page.console_errors  # includes CSP violations


def test_report_xss_is_inert(page, report_dir):
    ids, out = report_dir
    from rashomon.report.links import StaticLinks

    for name in (StaticLinks().article(ids["xss"]["article"]), StaticLinks().story(ids["xss"]["story"]), "index.html"):
        page.goto((out / name).as_uri())
        page.wait_for_timeout(200)
        assert page.locator("img, iframe, svg[onload], [onerror], [onload], [onmouseover]").count() == 0
        assert page.locator("script").count() == 1  # only our own file
    page.goto((out / StaticLinks().article(ids["xss"]["article"])).as_uri())
    assert "<script>alert(1)</script>" in page.locator("h1").inner_text()
    page.locator(".article-text").hover()
    assert page.dialogs == []
    shot(page, "report-xss.png")


@pytest.fixture
def live(tmp_path, monkeypatch):
    import uvicorn

    from rashomon.store import Store
    from rashomon.web import create_app
    from test_web import fake_analyze

    path = str(tmp_path / "live.db")
    with Store(path) as st:
        ids = build_kerman(st)
        ids["xss"] = build_xss(st)
    fake_analyze(monkeypatch)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(path, token=TOKEN), host="127.0.0.1", port=port,
                                           log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "uvicorn did not start"
    yield f"http://127.0.0.1:{port}", ids
    server.should_exit = True
    thread.join(10)


def test_app_story_search_and_upload(page, live):
    base, _ids = live
    page.goto(base + "/")
    shot(page, "app-index.png")
    page.click("text=Twin bombings at Soleimani memorial in Kerman")
    assert "conflict" in (page.locator("#slot-killed").get_attribute("class") or "")
    link = page.locator('#slot-killed a.evl[href*="#s-"]').nth(1)
    href = link.get_attribute("href") or ""
    link.click()
    page.wait_for_url("**" + href)
    anchor = href.split("#")[1]
    assert page.locator(f"mark.ev.hit[data-ev='{anchor}']").count() >= 1  # JS marked every piece
    page.goto(base + "/search?q=remote+mechanism")
    assert page.locator("#article-results li").count() == 1
    shot(page, "app-search.png")

    page.goto(base + "/upload")
    page.fill("#text", "Gunmen attacked a police station in the town of Rask on Friday, killing 11 officers.")
    page.fill("#title", "Rask police station attack")
    page.fill("#outlet", "Browser Wire")
    page.fill("#token", "wrong")
    page.click("#submit")
    page.wait_for_selector("#upload-error:not([hidden])")
    assert "token" in page.locator("#upload-error").inner_text().lower()
    shot(page, "app-upload-error.png")
    page.fill("#token", TOKEN)
    page.click("#submit")
    page.wait_for_url("**/jobs/*")
    page.wait_for_selector("#job-state.st-done", timeout=15000)
    page.wait_for_selector("#job-articles a")
    shot(page, "app-job.png")
    page.click("#job-articles a")
    assert page.locator("h1").inner_text() == "Rask police station attack"
    page.goto(base + "/articles")
    assert page.locator("text=Rask police station attack").count() == 1
    # the deliberate wrong-token attempt logs a 401; anything else (CSP, JS errors) fails
    errors = [e for e in page.console_errors if "status of 401" not in e]
    assert not errors, errors


def test_app_xss_is_inert(page, live):
    base, ids = live
    page.goto(f"{base}/articles/{ids['xss']['article']}")
    page.locator(".article-text").hover()
    page.goto(base + "/search?q=alert")
    page.goto(base + "/stories/xss-%3Cstory%3E")
    assert page.locator("img, iframe, [onerror], [onload], [onmouseover]").count() == 0
    assert page.dialogs == []
    shot(page, "app-xss.png")
