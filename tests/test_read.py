"""The read stage on files written into tmp_path (no network; see test_read_net.py for URLs)."""

from __future__ import annotations

import hashlib
import io
import json
import sys
from pathlib import Path

import pytest

from rashomon.model import Article, Rejected
from rashomon.read import (
    analyze_header,
    analyze_trailer,
    normalize_text,
    parse_date,
    read_sources,
    sniff,
)
from rashomon.read.headers import parse_meta_line

BODY = (
    "The explosions struck a crowd of mourners on the road to the cemetery in Kerman on Wednesday. "
    "Officials said dozens of people were killed and many more were wounded in the twin blasts.\n\n"
    "Witnesses described scenes of panic as people fled the area while ambulances arrived. "
    "The authorities announced an investigation and promised to find those responsible."
)


def html_page(title: str = "Blasts hit Kerman procession", body: str = BODY) -> str:
    paras = "".join(f"<p>{p}</p>" for p in body.split("\n\n")) * 2
    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'>"
        f"<title>{title}</title>"
        "<meta name='author' content='Jane Roe'>"
        "<meta property='article:published_time' content='2024-01-04T10:00:00Z'>"
        "<meta property='og:site_name' content='Example News'>"
        "</head><body><nav><a href='/'>Home</a></nav>"
        f"<article><h1>{title}</h1>{paras}</article>"
        "<footer>Copyright Example News</footer></body></html>"
    )


def only(items: list[Article | Rejected]) -> Article:
    assert len(items) == 1 and isinstance(items[0], Article), items
    return items[0]


# ---- normalize -----------------------------------------------------------------------


def test_normalize_text_rules() -> None:
    raw = "\ufeff  Cafe\u0301 au lait\r\nline\u200b two\u202e \t \rthird\x07\x00\tend\n\n\n\n\nlast  \n"
    assert normalize_text(raw) == "Café au lait\nline two\nthird\tend\n\nlast"


def test_article_id_is_hash_of_normalized_text(tmp_path: Path) -> None:
    p = tmp_path / "a.txt"
    p.write_bytes(("Title line here\r\n\r\n" + BODY + "   \r\n").encode())
    art = only(list(read_sources([str(p)])))
    assert art.text == normalize_text(p.read_text(encoding="utf-8"))
    assert art.id == hashlib.sha256(art.text.encode()).hexdigest()[:16]


# ---- header heuristics ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("21.01.2024", ("2024-01-21", "day")),
        ("21/01/2024", ("2024-01-21", "day")),
        ("01/21/2024", ("2024-01-21", "day")),
        ("January 21, 2024", ("2024-01-21", "day")),
        ("Sunday, Jan. 21, 2024", ("2024-01-21", "day")),
        ("21 January 2024", ("2024-01-21", "day")),
        ("2024-01-21", ("2024-01-21", "day")),
        ("2024-01-21T08:30:00Z", ("2024-01-21", "day")),
        ("Published: 21 January 2024", ("2024-01-21", "day")),
        ("January 2024", ("2024-01", "month")),
        ("31.02.2024", None),
        ("the 21st", None),
    ],
)
def test_parse_date(value: str, expected: tuple[str, str] | None) -> None:
    assert parse_date(value) == expected


@pytest.mark.parametrize(
    ("line", "authors", "published"),
    [
        ("21.01.2024 Author: Alexandr Svaranc", ["Alexandr Svaranc"], "2024-01-21"),
        ("By Julia Kassem", ["Julia Kassem"], None),
        ("Author: Ali al-Hassan", ["Ali al-Hassan"], None),
        ("By Jane Roe and John Doe | January 21, 2024", ["Jane Roe", "John Doe"], "2024-01-21"),
        ("By Jane Roe, 21 January 2024", ["Jane Roe"], "2024-01-21"),
        ("2024-01-21 14:05 GMT", [], "2024-01-21"),
    ],
)
def test_meta_lines(line: str, authors: list[str], published: str | None) -> None:
    meta = parse_meta_line(line)
    assert meta is not None
    assert meta.authors == authors
    assert (meta.published[0] if meta.published else None) == published


@pytest.mark.parametrize(
    "line",
    [
        "By the time the ambulances arrived, it was over.",
        "21 January 2024 was a cold day in Kerman.",
        "Hello world",
    ],
)
def test_body_lines_are_not_meta(line: str) -> None:
    assert parse_meta_line(line) is None


def test_header_title_author_date() -> None:
    text = normalize_text("Blasts hit Kerman procession\nBy Jane Roe\nJanuary 4, 2024\n\n" + BODY)
    head = analyze_header(text)
    assert head.title == "Blasts hit Kerman procession"
    assert head.authors == ["Jane Roe"]
    assert (head.published, head.precision) == ("2024-01-04", "day")


def test_header_without_title_or_date() -> None:
    head = analyze_header("By Jane Roe\n" + BODY)
    assert head.title is None  # never invented from the first sentence
    assert head.authors == ["Jane Roe"]
    assert (head.published, head.precision) == (None, "unknown")


def test_header_date_glued_to_author_then_title() -> None:
    text = "21.01.2024 Author: Alexandr Svaranc\n\nA Headline About Kerman\n\nSubheading\n\n" + BODY
    head = analyze_header(text)
    assert head.title == "A Headline About Kerman"
    assert head.authors == ["Alexandr Svaranc"]
    assert head.published == "2024-01-21"


def test_trailer_disclaimer_and_bio() -> None:
    text = (
        BODY
        + "\nJane Roe is a freelance writer based in Beirut.\n"
        + "(The views expressed in this article do not necessarily reflect those of Example TV.)"
    )
    tr = analyze_trailer(text, ["Jane Roe"])
    assert tr.body_end is not None
    assert text[tr.body_end :].startswith("Jane Roe is a freelance")
    assert tr.outlet == "Example TV"


def test_trailer_signature_and_related() -> None:
    text = (
        BODY
        + "\n\nJohn DOE, Doctor of Political Sciences, exclusively for the online magazine “Eastern Review”\n\n"
        + "Related articles:\n\nAnother story headline"
    )
    tr = analyze_trailer(text)
    assert tr.body_end is not None and text[tr.body_end :].startswith("John DOE, Doctor")
    assert tr.outlet == "Eastern Review"


def test_no_trailer() -> None:
    assert analyze_trailer(BODY).body_end is None


# ---- files and folders ---------------------------------------------------------------


def test_plain_text_file_metadata(tmp_path: Path) -> None:
    p = tmp_path / "story.txt"
    p.write_text("Blasts hit Kerman procession\nBy Jane Roe\n\n" + BODY, encoding="utf-8")
    art = only(list(read_sources([str(p)], outlet="Fallback Outlet")))
    assert art.title == "Blasts hit Kerman procession"
    assert art.authors == ["Jane Roe"]
    assert art.published is None and art.published_precision == "unknown"  # no mtime
    assert art.outlet == "Fallback Outlet"
    assert art.language == "en"
    assert art.source == str(p)
    assert art.text.startswith("Blasts hit Kerman procession\nBy Jane Roe\n\n")


def test_outlet_from_input_wins_over_argument(tmp_path: Path) -> None:
    p = tmp_path / "s.txt"
    p.write_text(
        BODY
        + "\n(The views expressed in this article do not necessarily reflect those of Press TV.)"
    )
    art = only(list(read_sources([str(p)], outlet="Other")))
    assert art.outlet == "Press TV"


def test_language_detection(tmp_path: Path) -> None:
    p = tmp_path / "fr.txt"
    p.write_text(
        "Les explosions ont frappé une foule de personnes en deuil sur la route du cimetière. "
        "Les autorités ont annoncé une enquête et promis de retrouver les responsables de l'attentat.",
        encoding="utf-8",
    )
    assert only(list(read_sources([str(p)]))).language == "fr"


def test_mixed_directory(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "a_good.txt").write_text("Good one\n\n" + BODY, encoding="utf-8")
    (tmp_path / "b_image.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    (tmp_path / "c_nul.txt").write_bytes(b"abc\x00\x00\x01def" * 20)
    (tmp_path / "d_empty.txt").write_bytes(b"")
    (tmp_path / "e_broken.html").write_text(
        "<html><head><title>x</title></head><body><div><p>Hi</", encoding="utf-8"
    )
    (tmp_path / "f_page.html").write_text(html_page(), encoding="utf-8")
    (tmp_path / "g_blank.md").write_text("  \n\n \t\n", encoding="utf-8")
    (tmp_path / "h_short.txt").write_text("Too short.", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text(BODY, encoding="utf-8")
    (tmp_path / "sub" / "z_inner.txt").write_text("Inner story\n\n" + BODY, encoding="utf-8")
    out = list(read_sources([str(tmp_path)]))
    names = [Path(o.source or "").name for o in out]
    assert names == [
        "a_good.txt",
        "b_image.png",
        "c_nul.txt",
        "d_empty.txt",
        "e_broken.html",
        "f_page.html",
        "g_blank.md",
        "h_short.txt",
        "z_inner.txt",
    ]
    reasons = [o.reason if isinstance(o, Rejected) else "ok" for o in out]
    assert reasons[4] in {"no_text", "too_short"}  # broken HTML: nothing, or too little, extracted
    reasons[4] = "broken"
    assert reasons == [
        "ok",
        "binary",
        "binary",
        "empty",
        "broken",
        "ok",
        "empty",
        "too_short",
        "ok",
    ]
    for o in out:
        if isinstance(o, Rejected):
            assert o.message.startswith("[E0") and o.source in o.message and "\n" not in o.message


def test_html_file(tmp_path: Path) -> None:
    p = tmp_path / "page.html"
    p.write_text(html_page(), encoding="utf-8")
    art = only(list(read_sources([str(p)])))
    assert art.title == "Blasts hit Kerman procession"
    assert art.authors == ["Jane Roe"]
    assert (art.published, art.published_precision) == ("2024-01-04", "day")
    assert art.outlet == "Example News"
    assert "mourners" in art.text and "Home" not in art.text


def test_not_found_and_oversize(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_text(BODY * 10, encoding="utf-8")
    out = list(read_sources([str(tmp_path / "missing.txt"), str(big)], max_bytes=500))
    assert [o.reason for o in out if isinstance(o, Rejected)] == ["not_found", "oversize"]


def test_legacy_encoding(tmp_path: Path) -> None:
    p = tmp_path / "latin.txt"
    p.write_bytes(("Le café de la région\n\n" + BODY + " Señor Müller répondit.").encode("cp1252"))
    art = only(list(read_sources([str(p)])))
    assert "café" in art.text and "Müller" in art.text


def test_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = io.TextIOWrapper(io.BytesIO(("Piped story title\n\n" + BODY).encode()), encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", fake)
    art = only(list(read_sources(["-"])))
    assert art.source == "<stdin>" and art.title == "Piped story title"


def test_sniff() -> None:
    assert sniff(b"<!doctype html><html>") == "html"
    assert sniff(b"<?xml version='1.0'?>\n<feed xmlns='http://www.w3.org/2005/Atom'>") == "feed"
    assert sniff(b"WARC/1.1\r\n") == "warc"


# ---- JSONL ---------------------------------------------------------------------------


def test_jsonl_good_and_bad_lines(tmp_path: Path) -> None:
    lines = [
        json.dumps(
            {
                "text": BODY,
                "title": "One",
                "url": "https://www.example.org/a",
                "authors": "Jane Roe; John Doe",
                "published": "2024-01-04T09:00:00Z",
                "outlet": "Example",
            }
        ),
        "{not json",
        "",
        json.dumps({"title": "no text"}),
        json.dumps({"text": BODY, "authors": 5}),
        json.dumps(["a list"]),
        json.dumps({"text": "short"}),
        json.dumps(
            {"text": BODY + " Two.", "published": "2024-01", "language": "EN", "authors": ["A B"]}
        ),
        json.dumps({"text": BODY + " Three.", "published": "yesterday"}),
    ]
    p = tmp_path / "batch.jsonl"
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = list(read_sources([str(p)]))
    kinds = [
        (o.reason, o.source.rsplit(":", 1)[1]) if isinstance(o, Rejected) else "ok" for o in out
    ]
    assert kinds == [
        "ok",
        ("bad_jsonl", "2"),
        ("bad_jsonl", "4"),
        ("bad_jsonl", "5"),
        ("bad_jsonl", "6"),
        ("too_short", "7"),
        "ok",
        ("bad_jsonl", "9"),
    ]
    first, second = (o for o in out if isinstance(o, Article))
    assert first.authors == ["Jane Roe", "John Doe"] and first.domain == "example.org"
    assert (first.published, first.published_precision, first.outlet) == (
        "2024-01-04",
        "day",
        "Example",
    )
    assert (second.published, second.published_precision, second.language) == (
        "2024-01",
        "month",
        "en",
    )
    bad = out[1]
    assert isinstance(bad, Rejected) and "line 2" in bad.message


def test_jsonl_empty(tmp_path: Path) -> None:
    p = tmp_path / "e.ndjson"
    p.write_text("\n\n", encoding="utf-8")
    out = list(read_sources([str(p)]))
    assert isinstance(out[0], Rejected) and out[0].reason == "empty"


# ---- WARC ----------------------------------------------------------------------------


def _write_warc(path: Path, records: list[tuple[str, str, int, bytes]]) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=path.name.endswith(".gz"))
        for uri, ctype, status, body in records:
            http = StatusAndHeaders(f"{status} X", [("Content-Type", ctype)], protocol="HTTP/1.1")
            rec = writer.create_warc_record(
                uri, "response", payload=io.BytesIO(body), http_headers=http
            )
            writer.write_record(rec)
        req = writer.create_warc_record(
            "https://example.org/a", "request", payload=io.BytesIO(b"GET / HTTP/1.1\r\n\r\n")
        )
        writer.write_record(req)


def test_warc(tmp_path: Path) -> None:
    p = tmp_path / "crawl.warc.gz"
    _write_warc(
        p,
        [
            ("https://www.example.org/a", "text/html; charset=utf-8", 200, html_page().encode()),
            ("https://www.example.org/logo.png", "image/png", 200, b"\x89PNG...."),
            ("https://www.example.org/gone", "text/html", 404, b"<html>gone</html>"),
            ("https://www.example.org/big", "text/html", 200, html_page(body=BODY * 200).encode()),
        ],
    )
    out = list(read_sources([str(p)], max_bytes=20_000))
    assert [o.reason if isinstance(o, Rejected) else "ok" for o in out] == [
        "ok",
        "http_error",
        "oversize",
    ]
    art = out[0]
    assert isinstance(art, Article)
    assert art.url == "https://www.example.org/a" and art.domain == "example.org"
    assert art.source == f"{p}#https://www.example.org/a"
    assert "mourners" in art.text


def test_bad_warc(tmp_path: Path) -> None:
    p = tmp_path / "broken.warc"
    p.write_bytes(b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 999999\r\n\r\nshort")
    q = tmp_path / "nothing.warc"
    q.write_bytes(b"this is not a warc at all, just some words in a file")
    out = list(read_sources([str(p), str(q)]))
    assert all(isinstance(o, Rejected) for o in out)
    assert {o.reason for o in out if isinstance(o, Rejected)} <= {"bad_warc", "no_text"}
    assert [o.source for o in out] == [str(p), str(q)]


# ---- seeds ---------------------------------------------------------------------------


@pytest.mark.shared
def test_seed_articles(seeds_dir: Path) -> None:
    arts = {
        Path(a.source or "").name: a
        for a in read_sources([str(seeds_dir)])
        if isinstance(a, Article)
    }
    kassem = arts["000_646a362f4a7038b9.txt"]
    assert kassem.authors == ["Julia Kassem"]
    assert (kassem.published, kassem.published_precision) == (None, "unknown")
    assert kassem.title is None
    assert kassem.outlet == "Press TV"
    assert kassem.language == "en"
    assert kassem.body_end is not None
    assert kassem.text[kassem.body_end :].startswith("Julia Kassem is a freelance writer")
    svaranc = arts["003_53fb924569d5c67b.txt"]
    assert (svaranc.published, svaranc.published_precision) == ("2024-01-21", "day")
    assert svaranc.authors == ["Alexandr Svaranc"]
    assert (
        svaranc.title
        == "The Terrorist Attack in Kerman Jeopardizes the Situation in the Middle East"
    )
    assert svaranc.outlet == "New Eastern Outlook"
    assert svaranc.body_end is not None
    assert svaranc.text[svaranc.body_end :].startswith(
        "Alexander SVARANTS, Doctor of Political Sciences"
    )
    for art in (kassem, svaranc):
        raw = (seeds_dir / (art.source or "")).read_text(encoding="utf-8")
        assert art.text == normalize_text(raw)


# ---- outlet and date as people save them (issue 14 item 4) --------------------------

LEAD = (
    "Police said a gunman opened fire outside a community hall on Saturday evening, wounding "
    "three people before fleeing on foot. Officers closed several streets while they searched the area.\n\n"
    "A spokesperson said the investigation was continuing and asked witnesses to come forward."
)


def read_one(tmp_path: Path, text: str, name: str = "a.txt", **kw: object) -> Article:
    p = tmp_path / name
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(text, encoding="utf-8")
    return only(list(read_sources([str(p)], **kw)))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("header", "outlet", "published"),
    [
        # A: headline / outlet / date
        ("Three wounded in hall shooting\nThe Riverside Courier\nMarch 4, 2023\n\n", "The Riverside Courier", "2023-03-04"),
        # A without a date
        ("Three wounded in hall shooting\nRiverside Courier\n\n", "Riverside Courier", None),
        # B: headline / "Outlet | date"
        ("Three wounded in hall shooting\nValley Ledger | March 4, 2023\n\n", "Valley Ledger", "2023-03-04"),
        # B: headline / "By Outlet staff"
        ("Three wounded in hall shooting\nBy Valley Ledger staff\n\n", "Valley Ledger", None),
        # outlet | date in the other order, with an author and a time
        ("Three wounded in hall shooting\n4 March 2023 10:15 | Valley Ledger\n\n", "Valley Ledger", "2023-03-04"),
        # C: "Published:" line first, the source URL at the end (an unknown domain: the domain)
        ("Published: 2023-03-04\nThree wounded in hall shooting\n\n", "valleyledger.example", "2023-03-04"),
        # a registry outlet's name just above the headline
        ("Reuters\nThree wounded in hall shooting\nMarch 4, 2023\n\n", "Reuters", "2023-03-04"),
    ],
)
def test_plain_text_header_layouts(tmp_path: Path, header: str, outlet: str, published: str | None) -> None:
    tail = "\n\nSource: https://www.valleyledger.example/news/hall-shooting" if header.startswith("Published") else ""
    art = read_one(tmp_path, header + LEAD + tail)
    assert art.title == "Three wounded in hall shooting"
    assert (art.outlet, art.published) == (outlet, published)
    if tail:
        assert art.url == "https://www.valleyledger.example/news/hall-shooting"
        assert art.domain == "valleyledger.example"


def test_source_url_of_a_registry_domain_gives_its_display_name(tmp_path: Path) -> None:
    art = read_one(tmp_path, "Three wounded in hall shooting\n\n" + LEAD + "\n\nSource: https://www.presstv.ir/Detail/1")
    assert (art.outlet, art.domain) == ("Press TV", "presstv.ir")


def test_page_furniture_is_not_an_outlet_and_the_date_line_is_found(tmp_path: Path) -> None:
    text = (
        "Menu\n\nWorld\n\nThree wounded in hall shooting\n\nBy Staff Wire\n\n"
        "Posted March 4, 2023 4:29 pm\n\n" + LEAD
    )
    art = read_one(tmp_path, text)
    assert art.outlet is None  # neither "Menu" nor "World" nor "Staff Wire"
    assert art.published == "2023-03-04"
    assert art.title == "Three wounded in hall shooting"
    text = "World News\n\nMarch 4, 2023 Crime\n\n7:29 p.m. ET, March 4, 2023\n\nThree wounded\n\n" + LEAD
    assert read_one(tmp_path, text, "b.txt").published == "2023-03-04"
    text = "by The Valley Ledger news deskMarch 4, 2023 10:56 pm\n\n" + LEAD
    art = read_one(tmp_path, text, "c.txt")
    assert (art.outlet, art.published) == ("The Valley Ledger", "2023-03-04")


def test_a_date_in_the_body_is_not_the_publication_date(tmp_path: Path) -> None:
    text = LEAD + "\n\nThe hall had reopened on January 9, 2021 after repairs.\n\nMarch 4, 2023"
    art = read_one(tmp_path, text)
    assert (art.published, art.outlet, art.title) == (None, None, None)


def test_person_line_with_a_date_is_an_author_not_an_outlet(tmp_path: Path) -> None:
    text = "Three wounded in hall shooting\n\nJANE ROE - SATURDAY, MARCH 4, 2023, 12:42 pm\n\n" + LEAD
    art = read_one(tmp_path, text)
    assert (art.outlet, art.published, art.authors) == (None, "2023-03-04", ["Jane Roe"])


def test_datelines_give_a_full_date_and_a_known_agency(tmp_path: Path) -> None:
    art = read_one(tmp_path, "HARBORTOWN (March 4, 2023) — " + LEAD)
    assert (art.published, art.outlet) == ("2023-03-04", None)
    art = read_one(tmp_path, "HARBORTOWN, March 4. /TASS/. " + LEAD, "b.txt")
    assert (art.published, art.outlet) == (None, "TASS")  # no year: no date
    art = read_one(tmp_path, "HARBORTOWN (Meridian) — " + LEAD, "c.txt")
    assert art.outlet is None  # an agency the registry does not know is not guessed


def test_closing_source_line_names_the_outlet(tmp_path: Path) -> None:
    art = read_one(tmp_path, LEAD + "\n\nSource: Al-Manar English Website")
    assert art.outlet == "Al-Manar"
    art = read_one(tmp_path, LEAD + "\n\nSource: Valley Ledger Website", "b.txt")
    assert art.outlet == "Valley Ledger Website"
    art = read_one(tmp_path, LEAD + "\n\nSource: health ministry officials", "c.txt")
    assert art.outlet is None


def test_outlet_from_dir(tmp_path: Path) -> None:
    root = tmp_path / "by-outlet"
    (root / "Valley Ledger").mkdir(parents=True)
    (root / "Valley Ledger" / "a.txt").write_text(LEAD, encoding="utf-8")
    (root / "Valley Ledger" / "b.txt").write_text(
        "Three wounded in hall shooting\nRiverside Courier | March 4, 2023\n\n" + LEAD, encoding="utf-8"
    )
    (root / "loose.txt").write_text(LEAD + "\n\nAnother paragraph of the same story.", encoding="utf-8")
    arts = {Path(a.source or "").name: a for a in read_sources([str(root)], outlet_from_dir=str(root))
            if isinstance(a, Article)}  # fmt: skip
    assert arts["a.txt"].outlet == "Valley Ledger"
    assert arts["b.txt"].outlet == "Riverside Courier"  # what the file states wins
    assert arts["loose.txt"].outlet is None  # not in an outlet folder


def test_unknown_outlet_stays_none_never_an_id(tmp_path: Path) -> None:
    art = read_one(tmp_path, LEAD)
    assert art.outlet is None and art.domain is None and art.url is None


# ---- the store's own files and sources that are not inputs (issue 14 items 6, 7) ----


def test_folder_walk_skips_sqlite_databases_and_their_wal_files(tmp_path: Path) -> None:
    import sqlite3

    (tmp_path / "story.txt").write_text(LEAD, encoding="utf-8")
    con = sqlite3.connect(tmp_path / "rashomon.db")
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("CREATE TABLE t (x TEXT)")
    con.execute("INSERT INTO t VALUES ('a')")
    con.commit()
    con2 = sqlite3.connect(tmp_path / "rashomon.db")  # a second reader keeps -wal/-shm on disk
    con2.execute("SELECT * FROM t").fetchall()
    (tmp_path / "other.sqlite").write_bytes((tmp_path / "rashomon.db").read_bytes())
    try:
        assert (tmp_path / "rashomon.db-wal").exists() and (tmp_path / "rashomon.db-shm").exists()
        out = list(read_sources([str(tmp_path)]))
    finally:
        con2.close()
        con.close()
    assert [Path(o.source or "").name for o in out] == ["story.txt"]
    assert isinstance(out[0], Article)
    # named on its own, a database is still refused with a reason (never read as text)
    named = list(read_sources([str(tmp_path / "other.sqlite")]))
    assert isinstance(named[0], Rejected) and named[0].reason == "binary"


def test_a_wal_named_text_file_without_a_database_is_read(tmp_path: Path) -> None:
    (tmp_path / "notes-wal").write_text(LEAD, encoding="utf-8")
    assert isinstance(only(list(read_sources([str(tmp_path)]))), Article)


def test_cli_refuses_a_source_that_is_neither_path_nor_url(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from rashomon.cli import app

    db = str(tmp_path / "r.db")
    for command in ("ingest", "analyze"):
        res = CliRunner().invoke(app, [command, "Police said a gunman opened fire", "--db", db])
        assert res.exit_code == 2, res.output
        assert "[E321]" in res.output and "neither an existing file" in res.output
    assert not (tmp_path / "r.db").exists()  # refused before the store is opened
    res = CliRunner().invoke(app, ["ingest", str(tmp_path), "--outlet-from-dir", str(tmp_path / "nope"), "--db", db])
    assert res.exit_code == 2 and "[E320]" in res.output


def test_cli_outlet_from_dir(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from rashomon.cli import app
    from rashomon.store import Store

    root = tmp_path / "in"
    (root / "Valley Ledger").mkdir(parents=True)
    (root / "Valley Ledger" / "a.txt").write_text(LEAD, encoding="utf-8")
    db = str(tmp_path / "r.db")
    res = CliRunner().invoke(app, ["ingest", str(root), "--outlet-from-dir", str(root), "--db", db, "-q"])
    assert res.exit_code == 0, res.output
    rows = list(Store(db).execute("SELECT outlet FROM articles"))
    assert [r["outlet"] for r in rows] == ["Valley Ledger"]


@pytest.mark.parametrize(
    ("header", "title"),
    [
        # a call for members above the headline, then a date line and a desk byline
        ("Help us reach 5,000 readersSupport our newsroom\n\nMonday, March 6, 2023\n\n"
         "Three wounded in hall shooting\n\nby The Valley Ledger news desk March 6, 2023 9:12 am\n\n",
         "Three wounded in hall shooting"),
        # a section, a kicker that starts with a date, a time line, the headline, a byline
        ("Local News\n\nMarch 4, 2023 Riverside shootings\n\n10:15 a.m. ET, March 4, 2023\n\n"
         "Three wounded in hall shooting, police say\n\nBy Jane Roe and John Doe\n\n",
         "Three wounded in hall shooting, police say"),
        # an author's bare name, a date and app furniture: no headline at all
        ("World\n\nJane Roe\n\nMar 4, 2023, 10:15 AM\n\nSave & read from anywhere!\n\n", None),
    ],
)
def test_the_headline_among_page_furniture(tmp_path: Path, header: str, title: str | None) -> None:
    art = read_one(tmp_path, header + LEAD)
    assert art.title == title
