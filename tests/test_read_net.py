"""URLs and feeds against a local HTTP server on 127.0.0.1 (no internet)."""

from __future__ import annotations

import ipaddress
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest

from rashomon.model import Article, Rejected
from rashomon.read import USER_AGENT, read_sources
from rashomon.read import fetch as fetch_mod
from test_read import BODY, html_page

Route = tuple[int, dict[str, str], bytes]


class _Handler(BaseHTTPRequestHandler):
    routes: dict[str, Route] = {}
    seen: list[dict[str, str]] = []

    def do_GET(self) -> None:
        self.seen.append({"path": self.path, **{k.lower(): v for k, v in self.headers.items()}})
        status, headers, body = self.routes.get(
            self.path, (404, {"Content-Type": "text/html"}, b"<html>nope</html>")
        )
        try:
            self.send_response(status)
            for k, v in headers.items():
                self.send_header(k, v)
            if "Content-Length" not in headers and not headers.get("X-No-Length"):
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def log_message(self, format: str, *args: Any) -> None:
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass


@pytest.fixture
def server() -> Iterator[tuple[str, dict[str, Route], list[dict[str, str]]]]:
    routes: dict[str, Route] = {}
    seen: list[dict[str, str]] = []
    handler = type("H", (_Handler,), {"routes": routes, "seen": seen})
    httpd = _Server(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", routes, seen
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(5)


HTML = {"Content-Type": "text/html; charset=utf-8"}


def test_page_url(server: Any) -> None:
    base, routes, seen = server
    routes["/story"] = (200, HTML, html_page().encode())
    out = list(read_sources([base + "/story"], allow_private=True))
    assert len(out) == 1 and isinstance(out[0], Article)
    art = out[0]
    assert art.url == base + "/story" and art.domain == "127.0.0.1"
    assert art.title == "Blasts hit Kerman procession" and art.source == base + "/story"
    assert seen[0]["user-agent"] == USER_AGENT


def test_private_address_refused_by_default(server: Any) -> None:
    base, routes, seen = server
    routes["/story"] = (200, HTML, html_page().encode())
    out = list(
        read_sources(
            [base + "/story", "http://LOCALHOST.:9/x", "http://[::1]:9/x", "http://0177.0.0.1:9/x"]
        )
    )
    assert [o.reason for o in out if isinstance(o, Rejected)] == ["private_address"] * 4
    assert "--allow-private" in out[0].message  # type: ignore[union-attr]
    assert seen == []  # never connected


def test_redirect_to_private_refused(server: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    base, routes, seen = server
    port = base.rsplit(":", 1)[1]
    loopback = ipaddress.ip_address("127.0.0.1")
    # "news.test" resolves to our server, and only that loopback address counts as public here.
    monkeypatch.setattr(
        fetch_mod,
        "resolve",
        lambda host, p: [loopback] if host == "news.test" else [ipaddress.ip_address(host)],
    )
    real = fetch_mod.is_forbidden
    monkeypatch.setattr(fetch_mod, "is_forbidden", lambda ip: ip != loopback and real(ip))
    routes["/ok"] = (200, HTML, html_page().encode())
    routes["/hop"] = (302, {"Location": "/ok"}, b"")
    routes["/evil"] = (302, {"Location": "http://10.0.0.1/admin"}, b"")
    out = list(read_sources([f"http://news.test:{port}/hop", f"http://news.test:{port}/evil"]))
    assert isinstance(out[0], Article) and out[0].url == f"http://news.test:{port}/ok"
    assert isinstance(out[1], Rejected) and out[1].reason == "private_address"
    assert "10.0.0.1" in out[1].message
    # the pinned request still carried the original host name
    assert seen[0]["host"] == f"news.test:{port}"


def test_redirect_limit_and_errors(server: Any) -> None:
    base, routes, _ = server
    routes["/loop"] = (302, {"Location": "/loop"}, b"")
    routes["/img"] = (200, {"Content-Type": "image/png"}, b"\x89PNG....")
    routes["/to-ftp"] = (301, {"Location": "ftp://example.org/x"}, b"")
    out = list(
        read_sources(
            [base + "/loop", base + "/missing", base + "/img", base + "/to-ftp", "ftp://x/y"],
            allow_private=True,
        )
    )
    assert [o.reason for o in out if isinstance(o, Rejected)] == [
        "too_many_redirects",
        "http_error",
        "bad_content_type",
        "unsupported_scheme",
        "unsupported_scheme",
    ]


def test_size_cap(server: Any) -> None:
    base, routes, _ = server
    big = html_page(body=BODY * 100).encode()
    routes["/big"] = (200, HTML, big)
    routes["/stream"] = (200, {**HTML, "X-No-Length": "1"}, big)
    out = list(
        read_sources([base + "/big", base + "/stream"], allow_private=True, max_bytes=10_000)
    )
    assert [o.reason for o in out if isinstance(o, Rejected)] == ["oversize", "oversize"]


def test_unreachable(server: Any) -> None:
    base, _, _ = server
    port = base.rsplit(":", 1)[1]
    out = list(
        read_sources(
            [f"http://127.0.0.1:{int(port) + 1 if int(port) < 65535 else 1}/x"],
            allow_private=True,
            timeout=2,
        )
    )
    assert isinstance(out[0], Rejected) and out[0].reason == "unreachable"


def _rss(base: str) -> bytes:
    long_content = "<p>" + BODY + "</p><p>" + BODY + "</p>"
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
<title>Example feed</title><link>{base}/</link><description>d</description>
<item><title>Good item</title><link>{base}/story</link><pubDate>Thu, 04 Jan 2024 10:00:00 GMT</pubDate></item>
<item><title>Gone but full</title><link>{base}/gone1</link><author>jane@example.org (Jane Roe)</author>
<pubDate>Fri, 05 Jan 2024 10:00:00 GMT</pubDate><content:encoded><![CDATA[{long_content}]]></content:encoded></item>
<item><title>Gone and thin</title><link>{base}/gone2</link><description>Just a teaser.</description></item>
</channel></rss>""".encode()


def test_feed_url_with_broken_items(server: Any) -> None:
    base, routes, _ = server
    routes["/story"] = (200, HTML, html_page().encode())
    routes["/feed"] = (200, {"Content-Type": "application/rss+xml"}, _rss(base))
    out = list(read_sources([base + "/feed"], allow_private=True, outlet="Example"))
    assert [type(o).__name__ for o in out] == ["Article", "Article", "Rejected"]
    good, from_content, bad = out
    assert isinstance(good, Article) and good.title == "Blasts hit Kerman procession"
    assert isinstance(from_content, Article) and from_content.url == base + "/gone1"
    assert from_content.title == "Gone but full" and from_content.published == "2024-01-05"
    assert from_content.outlet == "Example"
    assert (
        isinstance(bad, Rejected) and bad.reason == "http_error" and bad.source == base + "/gone2"
    )
    assert "Gone and thin" in bad.message and "item 3" in bad.message


def test_feed_file_and_bad_feed(server: Any, tmp_path: Path) -> None:
    base, routes, _ = server
    routes["/story"] = (200, HTML, html_page().encode())
    (tmp_path / "a.rss").write_bytes(_rss(base))
    (tmp_path / "b.xml").write_text(
        "<?xml version='1.0'?><catalog><book/></catalog>", encoding="utf-8"
    )
    (tmp_path / "c.atom").write_text(
        "<feed xmlns='http://www.w3.org/2005/Atom'><entry><title>x", encoding="utf-8"
    )
    out = list(read_sources([str(tmp_path)], allow_private=True))
    kinds = [o.reason if isinstance(o, Rejected) else "ok" for o in out]
    assert kinds[:3] == ["ok", "ok", "http_error"]
    assert kinds[3] == "bad_feed"
    assert kinds[4] in {
        "bad_feed",
        "http_error",
        "too_short",
    }  # truncated Atom: error or a thin item
    assert len(kinds) == 5


def test_mock_transport() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        assert request.headers["user-agent"] == USER_AGENT
        return httpx.Response(
            200,
            headers={"Content-Type": "text/plain; charset=utf-8"},
            content=("Title here\n\n" + BODY).encode(),
        )

    out = list(
        read_sources(
            ["https://www.example.org/x.txt"],
            allow_private=True,
            transport=httpx.MockTransport(handler),
        )
    )
    assert (
        isinstance(out[0], Article)
        and out[0].domain == "example.org"
        and out[0].title == "Title here"
    )
