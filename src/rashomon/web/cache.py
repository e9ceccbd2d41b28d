"""A response cache for read-only pages, invalidated by any write to the store.

Pages and JSON views are pure functions of the database, and the database says when it
changed: every write transaction bumps ``store_state.version`` (``Store.data_version``).
So a GET whose URL was answered at the current version is served from memory; one cheap
query per request decides. A pure ASGI middleware, like ``SecurityHeaders``, so
downloads and job progress (never cached) keep streaming.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from starlette.concurrency import run_in_threadpool

from rashomon.store import Store

#: Paths whose answers change without a database write, or are too big to keep.
UNCACHED = ("/api/jobs", "/jobs", "/upload", "/download", "/assets")


class ReadCache:
    def __init__(self, app: Any, store: Store, max_entries: int = 512) -> None:
        self.app = app
        self.store = store
        self.max_entries = max_entries
        self.entries: OrderedDict[str, tuple[int, dict[str, Any], bytes]] = OrderedDict()

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        path = scope.get("path", "")
        if scope["type"] != "http" or scope.get("method") != "GET" or path.startswith(UNCACHED):
            await self.app(scope, receive, send)
            return
        key = path + "?" + scope.get("query_string", b"").decode("latin-1")
        version = await run_in_threadpool(self.store.data_version)
        hit = self.entries.get(key)
        if hit is not None and hit[0] == version:
            self.entries.move_to_end(key)
            await send(hit[1])
            await send({"type": "http.response.body", "body": hit[2], "more_body": False})
            return

        start: dict[str, Any] = {}
        chunks: list[bytes] = []

        async def capture(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if not message.get("more_body") and start.get("status") == 200:
                    self._keep(key, version, start, b"".join(chunks))
            await send(message)

        await self.app(scope, receive, capture)

    def _keep(self, key: str, version: int, start: dict[str, Any], body: bytes) -> None:
        self.entries[key] = (version, dict(start), body)
        self.entries.move_to_end(key)
        while len(self.entries) > self.max_entries:
            self.entries.popitem(last=False)
