"""Safe HTTP fetching for URLs and feed items.

Every hop of a redirect chain is checked: only http/https, the host must not resolve to
a private, loopback, link-local, multicast, reserved or unspecified address (unless
``allow_private``), at most :data:`MAX_REDIRECTS` redirects, and the body is streamed and
cut off at ``max_bytes`` (after content decoding, so gzip bombs stop at the cap too).

When the address check runs, the request is sent to the very address that was checked
(with the original ``Host`` header and TLS server name), so a DNS answer that changes
between the check and the connection (DNS rebinding) cannot reach a private address.
Proxy settings from the environment are not used, for the same reason.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx

from rashomon.errors import Errors, FetchError

USER_AGENT = "Rashomon/0.1 (+https://github.com/rashomon-news/rashomon)"
MAX_REDIRECTS = 5
#: A response body must arrive within this many ``timeout`` periods in all.
BODY_TIMEOUTS = 5
_ACCEPT = (
    "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,"
    "application/xml;q=0.9,text/plain;q=0.8,*/*;q=0.5"
)

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


@dataclass(frozen=True, slots=True)
class FetchOptions:
    """Limits for one run of fetching."""

    allow_private: bool = False
    max_bytes: int = 20_000_000
    timeout: float = 20.0
    transport: httpx.BaseTransport | None = None


@dataclass(frozen=True, slots=True)
class Fetched:
    """A successful response, read in full (within the size cap)."""

    url: str  # final URL, after redirects
    status: int
    content_type: str  # media type, lower case, without parameters ("" when absent)
    charset: str | None
    body: bytes
    etag: str | None = None  # validators for a later conditional request
    last_modified: str | None = None

    @property
    def not_modified(self) -> bool:
        """The server answered 304 to a conditional request (``body`` is empty)."""
        return self.status == 304


def is_forbidden(ip: IPAddress) -> bool:
    """True for addresses a fetch must not reach without ``allow_private``."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
        or not ip.is_global
    )


def resolve(host: str, port: int) -> list[IPAddress]:
    """All addresses ``host`` resolves to (module-level so tests can replace it)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    out: list[IPAddress] = []
    for info in infos:
        addr = str(info[4][0]).split("%", 1)[0]  # drop an IPv6 zone id
        out.append(ipaddress.ip_address(addr))
    return out


class Fetcher:
    """Fetches URLs under :class:`FetchOptions`; one HTTP client, opened on first use."""

    def __init__(self, options: FetchOptions) -> None:
        self.options = options
        self._client: httpx.Client | None = None

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    def _http(self) -> httpx.Client:
        if self._client is None:
            self._client = httpx.Client(
                transport=self.options.transport,
                timeout=httpx.Timeout(self.options.timeout),
                follow_redirects=False,
                trust_env=False,
                headers={"User-Agent": USER_AGENT, "Accept": _ACCEPT},
            )
        return self._client

    def fetch(self, url: str, source: str | None = None, *, etag: str | None = None,
              last_modified: str | None = None) -> Fetched:
        """GET ``url`` following at most MAX_REDIRECTS checked redirects.

        With ``etag`` / ``last_modified`` (from an earlier :class:`Fetched`) the request is
        conditional, and an unchanged resource comes back as ``Fetched.not_modified``.

        Raises :class:`FetchError` with reason unsupported_scheme, bad_url, unreachable,
        private_address, http_error, oversize or too_many_redirects.
        """
        source = source or url
        current = url
        for _hop in range(MAX_REDIRECTS + 1):
            request = self._request(current, source)
            if etag:
                request.headers["If-None-Match"] = etag
            if last_modified:
                request.headers["If-Modified-Since"] = last_modified
            try:
                response = self._http().send(request, stream=True)
                try:
                    location = response.headers.get("location")
                    if response.is_redirect and location:
                        current = urljoin(current, location)
                        continue
                    if response.status_code == 304 and (etag or last_modified):
                        return Fetched(current, 304, "", None, b"", response.headers.get("etag") or etag,
                                       response.headers.get("last-modified") or last_modified)
                    if not response.is_success:
                        status = response.status_code
                        raise FetchError(
                            source, "http_error", Errors.E008.format(source=source, status=status)
                        )
                    body = self._body(response, source)
                finally:
                    response.close()
            except httpx.TimeoutException as exc:
                detail = f"no answer within {self.options.timeout:g} s"
                raise FetchError(
                    source, "unreachable", Errors.E006.format(source=source, detail=detail)
                ) from exc
            except httpx.HTTPError as exc:
                detail = str(exc) or type(exc).__name__
                raise FetchError(
                    source, "unreachable", Errors.E006.format(source=source, detail=detail)
                ) from exc
            media = response.headers.get("content-type", "").split(";", 1)[0].strip().lower()
            return Fetched(current, response.status_code, media, response.charset_encoding, body,
                           response.headers.get("etag"), response.headers.get("last-modified"))
        raise FetchError(
            source, "too_many_redirects", Errors.E015.format(source=source, limit=MAX_REDIRECTS)
        )

    def _request(self, url: str, source: str) -> httpx.Request:
        """Build the request for one hop, after checking scheme and address."""
        try:
            parsed = httpx.URL(url)
        except httpx.InvalidURL as exc:
            self._refuse_if_private(url, source)  # say so when e.g. 0177.0.0.1 means 127.0.0.1
            raise FetchError(
                source, "bad_url", Errors.E017.format(source=source, detail=repr(url))
            ) from exc
        if parsed.scheme not in {"http", "https"}:
            raise FetchError(
                source,
                "unsupported_scheme",
                Errors.E016.format(source=source, scheme=parsed.scheme),
            )
        host = parsed.host
        if not host:
            raise FetchError(source, "bad_url", Errors.E017.format(source=source, detail=repr(url)))
        client = self._http()
        if self.options.allow_private:
            return client.build_request("GET", parsed)
        port = parsed.port or (443 if parsed.scheme == "https" else 80)
        name = host.rstrip(".").lower()  # "LOCALHOST." is localhost
        if name == "localhost" or name.endswith(".localhost"):  # RFC 6761: always loopback
            raise FetchError(
                source,
                "private_address",
                Errors.E007.format(source=source, host=host, address="loopback"),
            )
        try:
            addresses = resolve(name or host, port)
        except (OSError, UnicodeError, ValueError) as exc:
            detail = f"cannot resolve {host}: {exc}"
            raise FetchError(
                source, "unreachable", Errors.E006.format(source=source, detail=detail)
            ) from exc
        if not addresses:
            detail = f"{host} has no address"
            raise FetchError(
                source, "unreachable", Errors.E006.format(source=source, detail=detail)
            )
        for ip in addresses:
            if is_forbidden(ip):
                raise FetchError(
                    source,
                    "private_address",
                    Errors.E007.format(source=source, host=host, address=ip),
                )
        # Pin the connection to the address we checked (see the module docstring).
        pinned = parsed.copy_with(host=str(addresses[0]))
        extensions: dict[str, Any] = {"sni_hostname": host} if parsed.scheme == "https" else {}
        return client.build_request(
            "GET", pinned, headers={"Host": parsed.netloc.decode("ascii")}, extensions=extensions
        )

    def _refuse_if_private(self, url: str, source: str) -> None:
        """For a URL httpx cannot parse: refuse it as private when its host resolves there."""
        if self.options.allow_private:
            return
        try:
            host = urlsplit(url).hostname
            addresses = resolve(host, 80) if host else []
        except (OSError, UnicodeError, ValueError):
            return
        for ip in addresses:
            if is_forbidden(ip):
                raise FetchError(
                    source,
                    "private_address",
                    Errors.E007.format(source=source, host=host, address=ip),
                )

    def _body(self, response: httpx.Response, source: str) -> bytes:
        limit = self.options.max_bytes
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise FetchError(
                source,
                "oversize",
                Errors.E004.format(source=source, size=int(declared), limit=limit),
            )
        chunks: list[bytes] = []
        total = 0
        # The timeout bounds each read; a server trickling a byte at a time would never
        # trip it, so the whole body must also arrive within a few timeouts.
        allowed = self.options.timeout * BODY_TIMEOUTS
        deadline = time.monotonic() + allowed
        for chunk in response.iter_bytes():
            if time.monotonic() > deadline:
                detail = f"the body did not arrive within {allowed:g} s"
                raise FetchError(
                    source, "unreachable", Errors.E006.format(source=source, detail=detail)
                )
            total += len(chunk)
            if total > limit:
                raise FetchError(
                    source, "oversize", Errors.E004.format(source=source, size=total, limit=limit)
                )
            chunks.append(chunk)
        return b"".join(chunks)
