"""Network safety of the readers' URL fetching: SSRF, redirects, timeouts, size and type.

Everything is served by a local ``http.server`` on 127.0.0.1; nothing leaves the machine.
Addresses that must be refused are pointed at that server's own port wherever they can
reach it, and the server counts requests, so "refused" means no byte was ever sent.
"""

from __future__ import annotations

import gzip
import ipaddress
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from rashomon.model import Article, Rejected
from rashomon.read import fetch as fetch_mod
from rashomon.read import read_sources

PARA = (
    "Two explosions struck a crowd of mourners near the cemetery in Kerman on Wednesday, "
    "officials said, killing dozens of people and wounding many others. "
)
PAGE = (
    "<!DOCTYPE html><html><head><meta charset='utf-8'><title>Blasts in Kerman</title></head>"
    "<body><article>" + "".join(f"<p>{PARA * 3} Paragraph {i}.</p>" for i in range(5)) + "</article></body></html>"
).encode()
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, *args: Any) -> None:  # keep pytest output clean
        pass

    def _send(self, status: int, ctype: str, body: bytes, **headers: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in headers.items():
            self.send_header(k.replace("_", "-"), v)
        self.end_headers()
        self.wfile.write(body)

    def _redirect(self, where: str) -> None:
        self.send_response(302)
        self.send_header("Location", where)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self) -> None:
        self.server.hits.append(self.path)
        path, _, query = self.path.partition("?")
        try:
            if path == "/article":
                self._send(200, "text/html; charset=utf-8", PAGE)
            elif path == "/to":  # redirect to whatever ?u= says
                self._redirect(query.removeprefix("u="))
            elif path == "/loop":
                self._redirect("/loop")
            elif path.startswith("/chain/"):
                n = int(path.rsplit("/", 1)[1])
                self._redirect(f"/chain/{n - 1}") if n > 0 else self._send(200, "text/html", PAGE)
            elif path == "/hang":  # accepts the connection, never answers
                self.server.stop.wait(60)
            elif path == "/trickle":  # headers, then one byte every 0.2 s
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.end_headers()
                self.wfile.write(b"<html><body><p>")
                for _ in range(600):
                    if self.server.stop.wait(0.2):
                        break
                    self.wfile.write(b"a")
                    self.wfile.flush()
            elif path == "/big":  # chunked, no Content-Length, 8 MB of HTML
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.end_headers()
                self.wfile.write(b"<html><body><p>")
                for _ in range(128):
                    self.wfile.write(b"x" * 65536)
            elif path == "/big-declared":
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", str(50_000_000))
                self.end_headers()
                self.wfile.write(b"<html>")
            elif path == "/gzip-bomb":  # 200 KB on the wire, 100 MB decoded
                self._send(200, "text/html", self.server.bomb, Content_Encoding="gzip")
            elif path == "/png":
                self._send(200, "image/png", PNG)
            elif path == "/png-as-octet":
                self._send(200, "application/octet-stream", PNG)
            elif path == "/json":
                self._send(200, "application/json", b'{"text": "not a page"}')
            elif path == "/error":
                self._send(500, "text/plain", b"boom")
            else:
                self._send(404, "text/plain", b"not found")
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (size cap, timeout): that is the point


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    hits: list[str]
    stop: threading.Event
    bomb: bytes


@pytest.fixture(scope="module")
def server() -> Iterator[_Server]:
    srv = _Server(("127.0.0.1", 0), _Handler)
    srv.hits = []
    srv.stop = threading.Event()
    srv.bomb = gzip.compress(b"<html><body><p>" + b" " * 100_000_000, compresslevel=1)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield srv
    srv.stop.set()
    srv.shutdown()
    srv.server_close()


def base(srv: _Server) -> str:
    return f"http://127.0.0.1:{srv.server_address[1]}"


def read(url: str, **kw: Any) -> list[Article | Rejected]:
    kw.setdefault("timeout", 5.0)
    kw.setdefault("max_bytes", 2_000_000)
    return list(read_sources([url], **kw))


def only_rejected(out: list[Article | Rejected]) -> Rejected:
    assert len(out) == 1, out
    assert isinstance(out[0], Rejected), out
    return out[0]


# -- private, loopback, link-local, reserved: refused before any byte is sent -----------

#: (url template, why); {port} is the local server's port, so a leak would be counted.
#: A ``*`` marks forms the resolver or URL parser may refuse first (unreachable / bad_url):
#: still refused, still no request.
PRIVATE_URLS = [
    ("http://127.0.0.1:{port}/article", "IPv4 loopback"),
    ("http://127.0.0.2:{port}/article", "loopback /8"),
    ("http://localhost:{port}/article", "hostname resolving to loopback"),
    ("http://LOCALHOST.:{port}/article", "loopback name, upper case, trailing dot*"),
    ("http://[::1]:{port}/article", "IPv6 loopback"),
    ("http://[::ffff:127.0.0.1]:{port}/article", "IPv4-mapped IPv6 loopback"),
    ("http://2130706433:{port}/article", "decimal IPv4 (127.0.0.1)"),
    ("http://0x7f000001:{port}/article", "hex IPv4 (127.0.0.1)"),
    ("http://127.1:{port}/article", "short-form IPv4 (127.0.0.1)"),
    ("http://0177.0.0.1:{port}/article", "octal IPv4 (127.0.0.1)*"),
    ("http://0.0.0.0:{port}/article", "unspecified address"),
    ("http://[::]:{port}/article", "IPv6 unspecified"),
    ("http://user:pw@127.0.0.1:{port}/article", "userinfo before a loopback host"),
    ("http://example.com@127.0.0.1:{port}/article", "public-looking userinfo, loopback host"),
    ("http://10.0.0.1/", "RFC 1918 10/8"),
    ("http://10.255.255.254:8080/admin", "RFC 1918 10/8, other port"),
    ("http://172.16.0.1/", "RFC 1918 172.16/12"),
    ("http://172.31.255.1/", "RFC 1918 172.16/12 (top)"),
    ("http://192.168.1.1/", "RFC 1918 192.168/16"),
    ("http://169.254.169.254/latest/meta-data/", "cloud metadata (link-local)"),
    ("http://[fd00:ec2::254]/latest/meta-data/", "AWS IPv6 metadata (ULA)"),
    ("http://100.64.0.1/", "carrier-grade NAT (not global)"),
    ("http://[fe80::1]/", "IPv6 link-local"),
    ("http://[fc00::1]/", "IPv6 unique local"),
    ("http://224.0.0.1/", "multicast"),
    ("http://240.0.0.1/", "reserved"),
    ("http://255.255.255.255/", "broadcast"),
    ("https://127.0.0.1:{port}/article", "https to loopback"),
]


@pytest.mark.parametrize(("template", "why"), PRIVATE_URLS, ids=[w for _, w in PRIVATE_URLS])
def test_private_addresses_are_refused(server: _Server, template: str, why: str) -> None:
    url = template.format(port=server.server_address[1])
    before = len(server.hits)
    rej = only_rejected(read(url))
    assert rej.source == url and url in rej.message
    if why.endswith("*"):
        assert rej.reason in {"private_address", "unreachable", "bad_url"}, (why, rej)
    else:
        assert rej.reason == "private_address", (why, rej)
        assert "E007" in rej.message and "--allow-private" in rej.message  # says what to do
    assert len(server.hits) == before, f"{why}: a request reached the server"


UNSUPPORTED_SCHEMES = [
    "file:///etc/passwd",
    "ftp://127.0.0.1/",
    "gopher://127.0.0.1:70/_GET",
    "dict://127.0.0.1:11211/stat",
    "ldap://127.0.0.1/",
    "javascript://alert(1)",
]


@pytest.mark.parametrize("url", UNSUPPORTED_SCHEMES)
def test_other_schemes_are_refused(url: str) -> None:
    rej = only_rejected(read(url, allow_private=True))
    assert rej.reason in {"unsupported_scheme", "bad_url"}
    assert url in rej.message or url.split(":", 1)[0] in rej.message


class _FakeDNS:
    """Replaces the reader's resolver: chosen names map to chosen addresses."""

    def __init__(self, table: dict[str, list[str]]) -> None:
        self.table = table
        self.asked: list[str] = []
        self.real = fetch_mod.resolve

    def __call__(self, host: str, port: int) -> list[Any]:
        self.asked.append(host)
        if host in self.table:
            return [ipaddress.ip_address(a) for a in self.table[host]]
        return self.real(host, port)


def test_hostname_resolving_to_loopback_is_refused(server: _Server, monkeypatch: pytest.MonkeyPatch) -> None:
    dns = _FakeDNS({"news.example": ["127.0.0.1"], "mixed.example": ["93.184.216.34", "10.0.0.7"]})
    monkeypatch.setattr(fetch_mod, "resolve", dns)
    port = server.server_address[1]
    before = len(server.hits)
    for host in ("news.example", "mixed.example"):  # any private answer among several refuses
        rej = only_rejected(read(f"http://{host}:{port}/article"))
        assert rej.reason == "private_address" and host in rej.message
    assert dns.asked == ["news.example", "mixed.example"]
    assert len(server.hits) == before


def _pretend_loopback_is_public(monkeypatch: pytest.MonkeyPatch) -> None:
    """Let 127.0.0.1 (the test server) count as a public address, and nothing else."""
    real = fetch_mod.is_forbidden

    def forbidden(ip: Any) -> bool:
        return False if str(ip) == "127.0.0.1" else real(ip)

    monkeypatch.setattr(fetch_mod, "is_forbidden", forbidden)


@pytest.mark.parametrize(
    "target",
    [
        "http://169.254.169.254/latest/meta-data/iam/",
        "http://10.1.2.3/internal",
        "http://internal.example/admin",  # a name that resolves to 192.168.0.10
        "http://[::1]:{port}/article",
        "http://0.0.0.0:{port}/article",
    ],
)
def test_redirect_to_private_address_is_revalidated(
    server: _Server, monkeypatch: pytest.MonkeyPatch, target: str
) -> None:
    """The first hop is public (allowed); its redirect points inside: every hop is checked."""
    port = server.server_address[1]
    _pretend_loopback_is_public(monkeypatch)
    monkeypatch.setattr(
        fetch_mod, "resolve", _FakeDNS({"public.example": ["127.0.0.1"], "internal.example": ["192.168.0.10"]})
    )
    start = f"http://public.example:{port}/to?u={target.format(port=port)}"
    before = len(server.hits)
    rej = only_rejected(read(start))
    assert rej.reason == "private_address", rej
    assert server.hits[before:] == [f"/to?u={target.format(port=port)}"]  # the first hop was made, only it


def test_public_first_hop_is_really_fetched(server: _Server, monkeypatch: pytest.MonkeyPatch) -> None:
    """Control for the test above: the same set-up with a public target reads the page."""
    port = server.server_address[1]
    _pretend_loopback_is_public(monkeypatch)
    monkeypatch.setattr(fetch_mod, "resolve", _FakeDNS({"public.example": ["127.0.0.1"]}))
    out = read(f"http://public.example:{port}/to?u=/article")
    assert len(out) == 1 and isinstance(out[0], Article), out
    assert "Kerman" in out[0].text


def test_feed_items_pointing_inside_are_refused(server: _Server, tmp_path: Path) -> None:
    port = server.server_address[1]
    links = [
        "http://169.254.169.254/latest/meta-data/",
        f"http://127.0.0.1:{port}/article",
        f"http://localhost:{port}/article",
        "http://192.168.0.1/router",
    ]
    items = "".join(f"<item><title>item {i}</title><link>{u}</link><description>short</description></item>"
                    for i, u in enumerate(links))
    feed = tmp_path / "feed.rss"
    feed.write_text(f"<?xml version='1.0'?><rss version='2.0'><channel><title>f</title>{items}</channel></rss>")
    before = len(server.hits)
    out = list(read_sources([str(feed)], timeout=5.0))
    assert [type(o) for o in out] == [Rejected] * len(links)
    assert {o.reason for o in out if isinstance(o, Rejected)} == {"private_address"}
    assert len(server.hits) == before


# -- allowed addresses: limits still hold ----------------------------------------------


def test_allowed_page_is_read(server: _Server) -> None:
    out = read(base(server) + "/article", allow_private=True)
    assert len(out) == 1 and isinstance(out[0], Article)
    assert out[0].url == base(server) + "/article"


def test_server_that_never_answers_times_out(server: _Server) -> None:
    t0 = time.monotonic()
    rej = only_rejected(read(base(server) + "/hang", allow_private=True, timeout=1.0))
    assert rej.reason == "unreachable" and "/hang" in rej.message
    assert time.monotonic() - t0 < 30  # bounded by the timeout, not by the server (60 s)


def test_server_that_trickles_bytes_times_out(server: _Server) -> None:
    """One byte every 0.2 s never trips a per-read timeout; the body deadline stops it."""
    t0 = time.monotonic()
    rej = only_rejected(read(base(server) + "/trickle", allow_private=True, timeout=1.0))
    assert rej.reason == "unreachable" and "/trickle" in rej.message
    assert time.monotonic() - t0 < 60  # the server would go on for 120 s


@pytest.mark.parametrize("path", ["/big", "/big-declared", "/gzip-bomb"])
def test_body_over_the_cap_is_refused(server: _Server, path: str) -> None:
    rej = only_rejected(read(base(server) + path, allow_private=True, max_bytes=1_000_000))
    assert rej.reason == "oversize" and path in rej.message and "E004" in rej.message


@pytest.mark.parametrize("path", ["/loop", "/chain/6"])
def test_redirect_loops_and_long_chains_are_refused(server: _Server, path: str) -> None:
    rej = only_rejected(read(base(server) + path, allow_private=True))
    assert rej.reason == "too_many_redirects" and "E015" in rej.message


def test_short_redirect_chain_is_followed(server: _Server) -> None:
    out = read(base(server) + "/chain/3", allow_private=True)
    assert len(out) == 1 and isinstance(out[0], Article)


@pytest.mark.parametrize(
    ("path", "reasons"),
    [
        ("/png", {"bad_content_type"}),
        ("/json", {"bad_content_type"}),
        ("/png-as-octet", {"binary"}),  # sniffed, then refused as binary
        ("/error", {"http_error"}),
        ("/missing", {"http_error"}),
    ],
)
def test_wrong_content_and_errors_are_refused(server: _Server, path: str, reasons: set[str]) -> None:
    rej = only_rejected(read(base(server) + path, allow_private=True))
    assert rej.reason in reasons and path in rej.message


def test_unresolvable_host_is_unreachable_not_a_crash() -> None:
    rej = only_rejected(read("http://no-such-host.invalid/", timeout=2.0))
    assert rej.reason == "unreachable"
