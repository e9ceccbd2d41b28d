"""Hostile input: every reader, fed garbage, keeps going and says what it refused.

The contract (``rashomon.read.read_sources``): nothing raises out of it; every input yields
Articles or Rejecteds; a Rejected has a short reason key and a message naming the input;
an Article's text is normalized and its id is the hash of that text.

Property tests (hypothesis) cover random bytes under every file extension, random text in
several encodings, random HTML trees, random JSONL and ``normalize_text``; targeted cases
cover the classics (50,000 nested divs, 5 MB on one line, a WARC decompression bomb, a
feed with thousands of items, RTL scripts...). Counts are in docs/reliability.md.
"""

from __future__ import annotations

import gzip
import json
import os
import random
import re
import sys
import tempfile
import tracemalloc
import unicodedata
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rashomon.model import Article, Rejected, article_id_for
from rashomon.read import normalize_text, read_sources

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from crash_trials import pg_store

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])

PARA = (
    "Two explosions struck a crowd of mourners near the cemetery in Kerman on Wednesday, "
    "officials said, killing dozens of people and wounding many others. "
)
REASON = re.compile(r"^[a-z][a-z_]{1,31}$")
#: Zero-width characters and bidi controls that must never survive normalization.
INVISIBLE = "\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2060\u2066\u2067\u2068\u2069\ufeff\u061c"
EXTENSIONS = ["", ".txt", ".md", ".html", ".htm", ".jsonl", ".ndjson", ".warc", ".warc.gz", ".xml", ".rss", ".atom", ".bin"]


def read(paths: list[Path], **kw: Any) -> list[Article | Rejected]:
    kw.setdefault("max_bytes", 20_000_000)
    kw.setdefault("timeout", 2.0)
    return list(read_sources([str(p) for p in paths], **kw))


def check(out: list[Article | Rejected], path: Path) -> tuple[list[Article], list[Rejected]]:
    """The read contract for one input; returns (articles, rejected)."""
    assert out, f"{path}: no outcome at all (a silent skip)"
    arts, rejs = [], []
    for item in out:
        if isinstance(item, Rejected):
            assert REASON.match(item.reason), item
            assert item.message and "\n" not in item.message.strip(), item
            assert str(path) in item.message, f"message does not name the input: {item.message!r}"
            assert re.match(r"^\[E\d{3}\] ", item.message), item.message
            rejs.append(item)
        else:
            assert isinstance(item, Article), item
            assert item.text and normalize_text(item.text) == item.text
            assert item.id == article_id_for(item.text)
            assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f]", item.text)
            assert not any(ch in item.text for ch in INVISIBLE)
            assert item.source and item.source.startswith(str(path))
            if item.language is not None:
                assert re.fullmatch(r"[a-z]{2,3}", item.language), item.language
            arts.append(item)
    return arts, rejs


def write(folder: Path, name: str, data: bytes | str) -> Path:
    p = folder / name
    # lone surrogates become invalid UTF-8 (CESU-8 style): hostile bytes too
    p.write_bytes(data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data)
    return p


# -- properties ----------------------------------------------------------------------


@FAST
@given(data=st.binary(max_size=6000), ext=st.sampled_from(EXTENSIONS))
def test_random_bytes_under_any_extension(data: bytes, ext: str) -> None:
    with tempfile.TemporaryDirectory() as d:
        p = write(Path(d), f"input{ext}", data)
        check(read([p]), p)


ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "latin-1", "cp1252", "koi8-r", "shift_jis"]


@FAST
@given(text=st.text(min_size=0, max_size=3000), enc=st.sampled_from(ENCODINGS),
       junk=st.lists(st.binary(min_size=1, max_size=4), max_size=5), ext=st.sampled_from([".txt", "", ".md"]))
def test_random_text_in_any_encoding(text: str, enc: str, junk: list[bytes], ext: str) -> None:
    data = bytearray(text.encode(enc, errors="replace"))
    rng = random.Random(len(data))
    for j in junk:  # invalid sequences spliced in at random places
        at = rng.randrange(len(data) + 1)
        data[at:at] = j
    with tempfile.TemporaryDirectory() as d:
        p = write(Path(d), f"t{ext}", bytes(data))
        check(read([p]), p)


HOSTILE_CHARS = st.sampled_from([*list(INVISIBLE), "\x00", "\x1b", "\x7f", "\x85", "\u2028", "�", "&#0;", "&#x202e;", "&amp;", "<!--", "]]>", "💣", "ب", "ש"])
TAGS = ["div", "p", "span", "article", "table", "tr", "td", "script", "style", "iframe", "svg", "math",
        "template", "noscript", "title", "meta", "a", "b", "ul", "li", "h1", "form", "body", "html"]


@st.composite
def html_trees(draw: Any, depth: int = 0) -> str:
    tag = draw(st.sampled_from(TAGS))
    attrs = draw(st.lists(st.sampled_from([' class="x"', " onload=alert(1)", ' href="javascript:alert(1)"',
                                           ' charset="utf-7"', " lang=fa dir=rtl", ' style="x:expression(1)"']),
                          max_size=2))
    parts = []
    for _ in range(draw(st.integers(0, 3 if depth < 3 else 0))):
        if draw(st.booleans()):
            parts.append(draw(html_trees(depth + 1)))
        else:
            parts.append(draw(st.text(alphabet=st.characters(), max_size=80)) + draw(HOSTILE_CHARS) + PARA)
    close = draw(st.sampled_from([f"</{tag}>", "", f"</{tag}", "</wrong>"]))
    return f"<{tag}{''.join(attrs)}>" + "".join(parts) + close


@SLOW
@given(tree=html_trees(), prefix=st.sampled_from(["", "<!DOCTYPE html>", "<?xml version='1.0'?>", "\ufeff", "<html><head>"]))
def test_random_html_trees(tree: str, prefix: str) -> None:
    with tempfile.TemporaryDirectory() as d:
        p = write(Path(d), "page.html", prefix + tree)
        check(read([p]), p)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=50),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3),
    max_leaves=8,
)


@st.composite
def jsonl_lines(draw: Any) -> bytes:
    lines: list[bytes] = []
    for _ in range(draw(st.integers(1, 12))):
        kind = draw(st.sampled_from(["good", "fields", "garbage", "json", "bytes", "blank"]))
        if kind == "good":
            obj: Any = {"text": PARA * 2 + draw(st.text(max_size=40))}
        elif kind == "fields":  # right shape, hostile field values
            obj = {"text": draw(st.one_of(st.text(max_size=300).map(lambda t: PARA + t), JSON_VALUES))}
            for key in ("title", "url", "outlet", "domain", "authors", "published", "language"):
                if draw(st.booleans()):
                    obj[key] = draw(st.one_of(JSON_VALUES, st.text(max_size=200)))
        elif kind == "json":
            obj = draw(JSON_VALUES)
        if kind in {"good", "fields", "json"}:
            lines.append(json.dumps(obj, ensure_ascii=draw(st.booleans())).encode())
        elif kind == "garbage":
            lines.append(draw(st.text(max_size=100)).encode("utf-8", "replace").replace(b"\n", b" "))
        elif kind == "bytes":
            lines.append(draw(st.binary(max_size=100)).replace(b"\n", b" "))
        else:
            lines.append(b"   ")
    return b"\n".join(lines) + draw(st.sampled_from([b"", b"\n", b"\r\n"]))


@FAST
@given(data=jsonl_lines())
def test_random_jsonl(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as d:
        p = write(Path(d), "feed.jsonl", data)
        _arts, rejs = check(read([p]), p)
        for r in rejs:  # a bad line is named by its number
            assert r.source == str(p) or re.fullmatch(re.escape(str(p)) + r":\d+", r.source), r


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=400) | st.text(alphabet=st.sampled_from(list(INVISIBLE) + list("\r\n\t \x00\x0b\x0c\x1c\x85a\u0301e")),
                                        max_size=200))
def test_normalize_text_is_idempotent_and_clean(text: str) -> None:
    once = normalize_text(text)
    assert normalize_text(once) == once
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f]", once)  # only \n and \t survive
    assert "\r" not in once
    assert not any(ch in once for ch in INVISIBLE)
    assert once == once.strip()
    assert unicodedata.is_normalized("NFC", once)


# -- targeted cases -----------------------------------------------------------------


def _warc_record(uri: str, payload_chunks: Iterator[bytes], length: int, http_headers: bytes) -> Iterator[bytes]:
    http = b"HTTP/1.1 200 OK\r\n" + http_headers + b"\r\n"
    yield (
        b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:12345678-1234-1234-1234-123456789abc>\r\n"
        b"WARC-Date: 2024-01-04T00:00:00Z\r\nWARC-Target-URI: " + uri.encode() + b"\r\n"
        b"Content-Type: application/http; msgtype=response\r\nContent-Length: "
        + str(len(http) + length).encode() + b"\r\n\r\n" + http
    )
    yield from payload_chunks
    yield b"\r\n\r\n"


def _gzip_member(parts: Iterator[bytes]) -> bytes:
    z = zlib.compressobj(1, zlib.DEFLATED, 31)
    return b"".join(z.compress(p) for p in parts) + z.flush()


def warc_bomb(decoded: int) -> bytes:
    """A .warc.gz whose one response record inflates to ``decoded`` bytes of HTML."""
    chunk = b"<p>" + b"a" * (1 << 20 - 3)
    n = decoded // len(chunk)
    body = (chunk for _ in range(n))
    return _gzip_member(_warc_record("http://bomb.example/", body, n * len(chunk),
                                     b"Content-Type: text/html\r\n"))


def warc_http_gzip_bomb(decoded: int) -> bytes:
    """A plain .warc whose record's HTTP body is Content-Encoding: gzip, inflating to ``decoded``."""
    inner = _gzip_member(b" " * (1 << 20) for _ in range(decoded >> 20))
    return b"".join(_warc_record("http://bomb.example/gz", iter([inner]), len(inner),
                                 b"Content-Type: text/html\r\nContent-Encoding: gzip\r\n"))


def test_warc_decompression_bomb_stays_within_memory(tmp_path: Path) -> None:
    bombs = [write(tmp_path, "bomb.warc.gz", warc_bomb(300 << 20)),  # 300 MB from ~1 MB
             write(tmp_path, "http-gzip.warc", warc_http_gzip_bomb(300 << 20))]
    assert all(p.stat().st_size < 3_000_000 for p in bombs)
    for p in bombs:
        tracemalloc.start()
        try:
            out = read([p], max_bytes=2_000_000)
            _cur, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        _arts, rejs = check(out, p)
        assert [r.reason for r in rejs] == ["oversize"], out
        assert peak < 64 << 20, f"{p.name}: peak {peak >> 20} MB for a 2 MB cap"


def test_gzip_bomb_under_a_text_name_is_refused(tmp_path: Path) -> None:
    p = write(tmp_path, "notes.txt", gzip.compress(b" " * (50 << 20), compresslevel=1))
    _arts, rejs = check(read([p]), p)
    assert [r.reason for r in rejs] == ["binary"]


def _cases() -> dict[str, Callable[[], bytes | str]]:
    para = PARA * 3
    return {
        "nested_divs.html": lambda: "<html><body>" + "<div>" * 50_000 + f"<p>{para}</p>" + "</div>" * 50_000 + "</body></html>",
        "unclosed.html": lambda: "<html><head><title>x</title><body><p>" + para + "<div><span><table><tr><td>" + para * 3,
        "comment_bomb.html": lambda: "<html><!--" * 20_000 + para,
        "entity_soup.html": lambda: "<p>" + "&amp;&#x202e;&#0;&#xD800;&nbsp;&bogus;" * 5000 + para + "</p>",
        "script_only.html": lambda: "<html><script>" + "alert(1);" * 50_000 + "</script></html>",
        "latin1.txt": lambda: ("Café crème à la française, naïve façade du théâtre. " * 10).encode("latin-1"),
        "cp1252_quotes.txt": lambda: ("\u201cHe said\u201d \u2013 the minister\u2019s \u20ac5 plan. " * 10).encode("cp1252"),
        "utf16_no_bom.txt": lambda: (para * 2).encode("utf-16-le"),
        "utf16_bom.txt": lambda: (para * 2).encode("utf-16"),
        "invalid_utf8.txt": lambda: para.encode() + b"\xff\xfe\xc3\x28\xa0\xa1\xe2\x28\xa1\xf0\x28\x8c\xbc" + para.encode(),
        "overlong_utf8.txt": lambda: para.encode() + b"\xc0\xaf\xe0\x80\xaf\xed\xa0\x80" + para.encode(),
        "mixed_encodings.txt": lambda: para.encode() + "Café".encode("latin-1") + "Кремль".encode() + "Кремль".encode("koi8-r") + para.encode(),
        "control_chars.txt": lambda: para + "\x01\x02\x1b[31m\x7f\x85\x9b" + para + "\x0b\x0c" + para,
        "nul_byte.txt": lambda: para + "\x00" + para,
        "invisible.txt": lambda: para.replace(" ", " \u200b\u202e\u2066") + "\ufeff" + para,
        "bidi_override.txt": lambda: "\u202eevil.exe\u202c " + para + "\u2067\u05e9\u05dc\u05d5\u05dd\u2069 " + para,
        "one_line_5mb.txt": lambda: "word " * 1_000_000,
        "one_token_5mb.txt": lambda: "x" * 5_000_000,
        "long_article.txt": lambda: "\n\n".join(f"{para} Paragraph {i}." for i in range(20_000)),
        "only_newlines.txt": lambda: "\n" * 100_000,
        "only_whitespace.txt": lambda: " \t\u00a0\u3000\n" * 10_000,
        "empty.txt": lambda: b"",
        "random.bin": lambda: random.Random(1).randbytes(50_000),
        "random.txt": lambda: random.Random(2).randbytes(50_000),
        "random.html": lambda: random.Random(3).randbytes(50_000),
        "random.jsonl": lambda: random.Random(4).randbytes(50_000),
        "random.warc": lambda: random.Random(5).randbytes(50_000),
        "random.warc.gz": lambda: b"\x1f\x8b" + random.Random(6).randbytes(50_000),
        "truncated.warc.gz": lambda: warc_bomb(4 << 20)[:5000],
        "random.xml": lambda: b"<?xml version='1.0'?><rss>" + random.Random(7).randbytes(20_000),
        "billion_laughs.xml": lambda: (
            '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
            + "".join(f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i else "&lol;" * 10}">' for i in range(10))
            + ']><rss version="2.0"><channel><item><title>&lol9;</title><description>&lol9;</description></item></channel></rss>'
        ),
        "external_entity.rss": lambda: (
            '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
            '<rss version="2.0"><channel><item><title>&xxe;</title><description>&xxe;</description></item></channel></rss>'
        ),
        "garbage_lines.jsonl": lambda: "\n".join(
            [json.dumps({"text": f"{para} number {i}"}) if i % 3 == 0 else ["{", "null", "[]", '{"text": 1}', "\x00\x01", '{"text": "short"}'][i % 6]
             for i in range(60)]),
        "hostile_fields.jsonl": lambda: "\n".join(json.dumps({"text": f"{para} {i}", **f}) for i, f in enumerate([
            {"language": "en-US-x-a-very-long-private-tag"}, {"language": "english"}, {"language": "EN"},
            {"published": "2024-13-45"}, {"published": "x" * 10_000}, {"published": "9999-12-31"},
            {"title": "t" * 1_000_000}, {"authors": [["nested"]]}, {"authors": "A and B; C & D"},
            {"url": "javascript:alert(1)"}, {"domain": "\u202eexample.com"}, {"outlet": "\x00\x1b"},
        ])),
    }


@pytest.mark.parametrize("name", sorted(_cases()))
def test_targeted_hostile_input(tmp_path: Path, name: str) -> None:
    p = write(tmp_path, name, _cases()[name]())
    arts, rejs = check(read([p]), p)
    if name in {"empty.txt", "only_newlines.txt", "only_whitespace.txt", "nul_byte.txt", "random.bin"}:
        assert not arts
    if name in {"latin1.txt", "invalid_utf8.txt", "control_chars.txt", "invisible.txt", "one_line_5mb.txt",
                "long_article.txt", "utf16_bom.txt", "cp1252_quotes.txt", "bidi_override.txt"}:
        assert len(arts) == 1, rejs
    if name == "garbage_lines.jsonl":
        assert len(arts) == 20 and len(rejs) == 40
        assert all(re.search(r":\d+\b|line \d+", r.message) for r in rejs)
    if name == "external_entity.rss":
        assert all("root:" not in a.text for a in arts)
    if name == "hostile_fields.jsonl":
        assert all(a.language is None or len(a.language) <= 3 for a in arts)
        assert all(a.published is None or len(a.published) <= 10 for a in arts)


@pytest.mark.xfail(reason="charset detection picks cp1250/mac_iceland for Western legacy text "
                   "(charset_normalizer ties); see docs/reliability.md, known gaps", strict=False)
@pytest.mark.parametrize(("text", "enc"), [
    ("Café crème à la française, naïve façade du théâtre. " * 10, "latin-1"),
    ("\u201cHe said\u201d \u2013 the minister\u2019s \u20ac5 plan. " * 10, "cp1252"),
])
def test_western_legacy_encodings_decode_exactly(tmp_path: Path, text: str, enc: str) -> None:
    p = write(tmp_path, "legacy.txt", text.encode(enc))
    arts, _ = check(read([p]), p)
    assert arts and arts[0].text == normalize_text(text)


def test_oversize_input_is_refused_with_the_limit(tmp_path: Path) -> None:
    for name in ("big.txt", "big.html", "big.xml"):
        p = write(tmp_path, name, "word " * 300_000)
        _arts, rejs = check(read([p], max_bytes=1_000_000), p)
        assert [r.reason for r in rejs] == ["oversize"] and "1,000,000" in rejs[0].message


def test_feed_with_thousands_of_items(tmp_path: Path) -> None:
    n = 2000
    items = "".join(
        f"<item><title>Item {i}</title><description><![CDATA[<p>{PARA * 3} Item {i}.</p>]]></description></item>"
        for i in range(n)
    )
    p = write(tmp_path, "big.rss", f"<?xml version='1.0'?><rss version='2.0'><channel><title>x</title>{items}</channel></rss>")
    arts, rejs = check(read([p]), p)
    assert len(arts) + len(rejs) == n
    assert len({a.id for a in arts}) == len(arts) == n


def test_folder_of_everything_at_once(tmp_path: Path) -> None:
    """One run over a folder of all the targeted cases: the batch goes on past each."""
    for name, make in _cases().items():
        if name not in {"one_line_5mb.txt", "one_token_5mb.txt", "long_article.txt", "nested_divs.html"}:
            write(tmp_path, name, make())
    write(tmp_path, "good.txt", "A good one\n\n" + PARA * 4)
    out = read([tmp_path])
    for item in out:
        check([item], tmp_path)
    named = {p.name for p in tmp_path.iterdir() if any(str(p) in o.source for o in out)}
    assert named == {p.name for p in tmp_path.iterdir()}  # every file has an outcome
    assert any(isinstance(o, Article) and o.source.endswith("good.txt") for o in out)


# -- RTL scripts: stored, language detected, reported unsupported by analyze ------------

PERSIAN = (
    "دو انفجار در نزدیکی گلزار شهدای کرمان ده‌ها نفر را کشت و صدها نفر را زخمی کرد. "
    "مقامات گفتند که تحقیقات آغاز شده است و عاملان این حمله شناسایی خواهند شد. "
    "بیمارستان‌های شهر برای اهدای خون فراخوان دادند و دولت روز بعد را عزای عمومی اعلام کرد. "
)
ARABIC = (
    "قال مسؤولون إن انفجارين وقعا قرب مقبرة في مدينة كرمان يوم الأربعاء وأسفرا عن مقتل العشرات. "
    "وأعلنت السلطات فتح تحقيق في الهجوم وتعهدت بملاحقة المسؤولين عنه. "
    "وناشدت المستشفيات المواطنين التبرع بالدم بعد وصول عدد كبير من الجرحى. "
)


def rtl_folder(tmp_path: Path) -> Path:
    d = tmp_path / "rtl"
    d.mkdir()
    write(d, "fa.txt", "\u202b" + PERSIAN * 2 + "\u202c")
    write(d, "ar.html", f"<html dir='rtl' lang='ar'><body><article><p>{ARABIC}</p><p>{ARABIC}</p></article></body></html>")
    write(d, "mixed.jsonl", json.dumps({"text": PERSIAN + " " + ARABIC, "title": "کرمان"}, ensure_ascii=False))
    return d


def test_rtl_articles_are_read_with_their_language(tmp_path: Path) -> None:
    d = rtl_folder(tmp_path)
    out = read([d])
    langs = {Path(o.source).name.split(":")[0]: o.language for o in out if isinstance(o, Article)}
    assert langs["fa.txt"] == "fa" and langs["ar.html"] == "ar", out
    assert langs["mixed.jsonl"] in {"fa", "ar"}


class _NoParse:
    """A stand-in for spaCy that fails if any text reaches it."""

    def pipe(self, texts: Any, **_kw: Any) -> Iterator[Any]:
        for text, _art in texts:
            raise AssertionError(f"unsupported text reached the parser: {text[:40]!r}")
        return iter(())


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_rtl_articles_are_stored_as_unsupported_language(tmp_path: Path, backend: str) -> None:
    """Without the model: the analyze step marks them unsupported and never parses them."""
    from rashomon.extract import analyze_articles
    from rashomon.pipeline import ingest
    from rashomon.store import Store

    ctx: Any = pg_store() if backend == "postgresql" else _sqlite(tmp_path)
    with ctx as url:
        st = Store(url)
        summary = ingest(st, [str(rtl_folder(tmp_path))])
        assert summary.stored == 3 and not summary.rejected
        results = list(analyze_articles(st.iter_articles(), _NoParse()))
        st.save_analyses(results, "test-version")
        rows = list(st.rows("analyses"))
        assert len(rows) == 3 and {r["status"] for r in rows} == {"unsupported_language"}
        st.close()


class _sqlite:
    def __init__(self, tmp_path: Path) -> None:
        self.path = str(tmp_path / "rtl.db")

    def __enter__(self) -> str:
        return self.path

    def __exit__(self, *exc: object) -> None:
        pass


@pytest.mark.model
def test_rtl_through_the_real_analyze_step(tmp_path: Path) -> None:
    from rashomon.pipeline import analyze
    from rashomon.store import Store

    st = Store(str(tmp_path / "a.db"))
    run = analyze(st, [str(rtl_folder(tmp_path))], link=False)
    assert run.unsupported == 3 and run.analyzed == 3
    assert {r["status"] for r in st.rows("analyses")} == {"unsupported_language"}
    assert st.count("mentions") == 0


def test_hostile_jsonl_fields_do_not_break_postgresql(tmp_path: Path) -> None:
    """PostgreSQL enforces column widths that SQLite ignores: hostile metadata must not
    abort an ingest there (a 30-character "language" once did)."""
    from rashomon.pipeline import ingest
    from rashomon.store import Store

    p = write(tmp_path, "hostile_fields.jsonl", _cases()["hostile_fields.jsonl"]())
    with pg_store() as url:
        st = Store(url)
        summary = ingest(st, [str(p)])
        assert summary.stored + summary.n_rejected + summary.duplicates + summary.near_duplicates == 12
        assert st.count("articles") == summary.stored + summary.near_duplicates
        st.close()


# -- the text pipeline on hostile but textual articles (needs the model) ---------------


@pytest.mark.model
def test_text_pipeline_on_hostile_articles(nlp: Any) -> None:
    from rashomon.extract import analyze_articles

    texts = {
        "very_long": "\n\n".join(f"{PARA} The governor said {i} people were hurt." for i in range(400)),
        "punctuation": "!?.,;:—–-\"'()[]{}…" * 300,
        "numbers": " ".join(str(i * 7919 % 100_003) for i in range(3000)),
        "mixed_scripts": (PARA + PERSIAN + "Кремль заявил. " + "北京表示。" + "\U0001f4a5" * 20 + " ") * 5,
        "one_word": "killed " * 2000,
        "quotes": '"' * 500 + PARA + "'" * 500 + "«»" * 200,
    }
    arts = [Article(text=normalize_text(t), language="en", source=k) for k, t in texts.items()]
    rows = list(analyze_articles(arts, nlp, batch_size=2))
    assert [r["article_id"] for r in rows] == [a.id for a in arts]
    for r, a in zip(rows, arts, strict=True):
        assert r["status"] == "analyzed"
        for m in r.get("mentions", []):
            assert 0 <= m["start"] < m["end"] <= len(a.text)
            assert a.text[m["start"] : m["end"]] == m["text"]


def test_readers_do_not_print_or_leak_file_handles(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    for name in ("random.bin", "garbage_lines.jsonl", "truncated.warc.gz", "random.xml", "unclosed.html"):
        write(tmp_path, name, _cases()[name]())
    read([tmp_path])  # warm up lazy imports and models
    before = len(os.listdir("/proc/self/fd")) if os.path.isdir("/proc/self/fd") else 0
    for _ in range(2):
        read([tmp_path])
    after = len(os.listdir("/proc/self/fd")) if os.path.isdir("/proc/self/fd") else 0
    assert after <= before + 2
    out, _err = capfd.readouterr()
    assert out == ""

