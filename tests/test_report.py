"""The static report: conflicts highlighted and explained, evidence anchors exact, XSS inert."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from fixtures_story import XSS_OUTLET, XSS_TITLE, build_kerman, build_xss
from rashomon.report import write_report
from rashomon.report.acled import COLUMNS, events_rows
from rashomon.report.highlight import Layer, render_layers
from rashomon.report.links import StaticLinks, file_key


class Collect(HTMLParser):
    """Tags, attributes and text of a page, for structural assertions."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.ids: dict[str, int] = {}
        self.text_by_id: dict[str, str] = {}
        self._open: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append((tag, a))
        if a.get("id"):
            self.ids[a["id"]] = self.ids.get(a["id"], 0) + 1
        self._open.append((tag, a.get("id")))
        for _, i in self._open:
            if i is not None:
                self.text_by_id.setdefault(i, "")

    def handle_endtag(self, tag):
        while self._open:
            t, _ = self._open.pop()
            if t == tag:
                break

    def handle_data(self, data):
        for _, i in self._open:
            if i is not None:
                self.text_by_id[i] = self.text_by_id.get(i, "") + data


def parse(path: Path) -> Collect:
    c = Collect()
    c.feed(path.read_text(encoding="utf-8"))
    return c


@pytest.fixture
def report(store, tmp_path):
    ids = build_kerman(store)
    ids["xss"] = build_xss(store)
    out = tmp_path / "report"
    index = write_report(store, out)
    return ids, out, index


def test_writes_every_page(report):
    ids, out, index = report
    assert index == out / "index.html" and index.exists()
    assert (out / "assets" / "rashomon.css").exists() and (out / "assets" / "rashomon.js").exists()
    assert (out / f"story-{ids['story']}.html").exists()
    for key in ("press_tv", "neo", "wire1", "wire2"):
        assert (out / f"article-{ids[key]}.html").exists()
    assert len(list(out.glob("outlet-*.html"))) == 4
    html = index.read_text()
    # ranked by coverage: the Kerman story (3 outlets) before Damascus (2)
    assert html.index("Twin bombings at Soleimani memorial") < html.index("Killing of IRGC adviser")
    assert 'data-filter="#stories"' in html


def test_conflicting_killed_slot_is_highlighted_and_explained(report):
    ids, out, _ = report
    html = (out / f"story-{ids['story']}.html").read_text()
    row = re.search(r'<tr id="slot-killed" class="([^"]+)".*?</tr>', html, re.S)
    assert row, "killed row missing"
    assert "conflict" in row.group(1).split() and "st-conflicting" in row.group(1).split()
    body = row.group(0)
    assert "Conflicting" in body and "⚠" in body  # icon and word, not colour alone
    assert "Press TV: at least 91" in body and "New Eastern Outlook: about 100" in body
    assert "at least 91" in body and "about 100" in body
    assert "ucdp.v1" in body  # the rule is shown
    assert re.search(r"low</small>\s*84", body) and re.search(r"best</small>\s*91", body)
    # method disagreement, and the unnamed source attribution, plain at a glance
    assert "two suicide bombers" in html and "planted explosives, remote mechanism" in html
    assert "per Iranian sources" in html
    # responsibility matrix: Press TV blames Israel; NEO: ISIS claimed, US belief hedged, Israel denied
    matrix = html[html.index('id="responsibility"'):]
    assert "Israel" in matrix and "Islamic State" in matrix and "hedged" in matrix
    assert "<svg" in html and "Reported killed over time" in html


def test_evidence_links_point_at_existing_anchors_with_exact_offsets(report):
    ids, out, _ = report
    story = parse(out / f"story-{ids['story']}.html")
    links = [a["href"] for t, a in story.tags if t == "a" and "#s-" in (a.get("href") or "")]
    assert len(links) >= 15
    for href in links:
        page, anchor = href.split("#")
        assert re.fullmatch(r"article-[0-9a-f]{16}\.html", page)
        _, start, end = anchor.split("-")
        target = parse(out / page)
        assert target.ids.get(anchor) == 1, f"{anchor} missing or duplicated on {page}"
        assert int(end) > int(start)
    # the Press TV figure's link lands on exactly the sentence with "at least 91"
    ptv = next(v for v in ids["killed_values"] if v["outlet"] == "Press TV")
    anchor = f"s-{ptv['evidence_start']}-{ptv['evidence_end']}"
    assert f"article-{ids['press_tv']}.html#{anchor}" in links
    page = parse(out / f"article-{ids['press_tv']}.html")
    assert page.text_by_id[anchor] == ids["press_tv_text"][ptv["evidence_start"]:ptv["evidence_end"]]
    assert "at least 91" in page.text_by_id[anchor]


def test_article_page_highlights_and_profile(report):
    ids, out, _ = report
    html = (out / f"article-{ids['press_tv']}.html").read_text()
    assert 'class="mn m-loaded"' in html and "Loaded label “Zionist entity”" in html
    assert 'class="tq"' in html and "Technique: Loaded language" in html
    assert 'class="cl k-accusation"' in html
    assert "Attribution" in html and "Loaded labels" in html and "opinion" in html
    neo = (out / f"article-{ids['neo']}.html").read_text()
    assert "m-unnamed" in neo and "hedged (believes)" in neo
    outlet = (out / StaticLinks().outlet("Press TV")).read_text()
    assert "Zionist entity" in outlet and "Loaded language" in outlet and "<svg" in outlet


def test_untrusted_text_is_escaped_everywhere(report):
    ids, out, _ = report
    pages = list(out.glob("*.html"))
    for p in pages:
        html = p.read_text()
        for bad in ("<script>alert", "<img src=x", "<svg onload", "<b onmouseover", "<i>about", "javascript:alert"):
            assert bad not in html, f"{bad!r} unescaped in {p.name}"
        tags = parse(p).tags
        for tag, attrs in tags:
            assert tag != "script" or (attrs.get("src") or "").startswith("assets/"), p.name
            assert not any(k.startswith("on") for k in attrs), f"event handler attribute in {p.name}"
            assert "style" not in attrs, f"inline style in {p.name} breaks the CSP"
            assert tag not in ("img", "iframe", "object", "embed"), p.name
    art = (out / f"article-{file_key(ids['xss']['article'])}.html").read_text()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in art  # title shown as text
    assert "&lt;img src=x onerror=alert(1)&gt;" in art  # outlet shown as text
    assert XSS_TITLE not in art and XSS_OUTLET not in art
    story = (out / StaticLinks().story(ids["xss"]["story"])).read_text()
    assert "&lt;svg onload=alert(13)&gt;" in story


def test_no_remote_resources_and_csp(report):
    _, out, _ = report
    for p in out.glob("*.html"):
        html = p.read_text()
        tags = parse(p).tags
        csp = [a.get("content") for t, a in tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"]
        assert csp and "default-src 'none'" in (csp[0] or "") and "script-src 'self'" in (csp[0] or "")
        for tag, attrs in tags:
            for key in ("src", "href") if tag != "a" else ():
                assert not re.match(r"(https?:)?//", attrs.get(key) or ""), f"remote {tag} {key} in {p.name}"
        assert not re.search(r"""(src|href)=["']?(https?:)?//""", html.replace('<a class="kv ext" href="https://', "")), p.name
    css = (out / "assets" / "rashomon.css").read_text()
    assert "http" not in css and "@import" not in css


def test_render_layers_nests_and_escapes():
    text = "A <b>B</b> C"
    html = render_layers(text, [Layer(0, 6, 0, "mark", "ev", None, "s-0-6"), Layer(2, 10, 1, "span", "x", "t<")])
    assert str(html).count("<mark") == 1 and 'id="s-0-6"' in html
    assert "&lt;b&gt;" in html and 'title="t&lt;"' in html
    assert 'class="x cont"' in html  # the crossing span was split and reopened




def test_acled_events_rows(store):
    build_kerman(store)
    rows = list(events_rows(store))
    assert [r["event_id_cnty"] for r in rows] == ["IR-kerman-2024-01-03", "SY-damascus-2023-12-25"]
    k = rows[0]
    assert set(COLUMNS) <= set(k)
    assert (k["fatalities_low"], k["fatalities_best"], k["fatalities_high"]) == (84, 91, 103)
    assert k["fatalities"] == 91 and k["country"] == "Iran"  # ACLED fatalities: the reconciled best and k["location"] == "Kerman"
    assert k["event_date"] == "2024-01-03" and k["year"] == 2024 and k["time_precision"] == 1
    assert "Press TV" in k["source"] and "New Eastern Outlook" in k["source"]
    assert k["actor1"] in ("Islamic State", "Israel")


def test_two_seed_articles_only(store, tmp_path):
    """The founding example on its own: two columns, 91 vs 100 conflicting."""
    ids = build_kerman(store, wire=False)
    write_report(store, tmp_path / "r")
    html = (tmp_path / "r" / f"story-{ids['story']}.html").read_text()
    assert html.count('<th scope="col" class="src">') == 2
    assert "Press TV: at least 91; New Eastern Outlook: about 100: sources disagree" in html
