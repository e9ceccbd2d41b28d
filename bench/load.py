"""Load test: 50 concurrent clients on the web app's read endpoints while an ingest writes.

Builds a database from the bundled sample corpus (``rashomon analyze``; with ``--ingest-only``
or when analysis is unavailable, ``rashomon ingest``), serves ``rashomon.web.create_app``
with uvicorn in a subprocess on a free 127.0.0.1 port, and runs ``--clients`` asyncio
clients (httpx.AsyncClient) for ``--seconds`` against /, /api/stories, a story page, an
article page and search, while another process ingests ``--extra`` synthetic articles into
the same database. Prints one JSON object: requests/s, p50/p90/p99 latency, errors by kind.
Target on the sample corpus: zero errors and p99 < 500 ms. Usage:

    .venv/bin/python bench/load.py --seconds 30
    .venv/bin/python bench/load.py --db existing.db --clients 50 --seconds 60
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "src" / "rashomon" / "data" / "sample"
sys.path.insert(0, str(ROOT / "bench"))
ENV = {**os.environ, "PYTHONPATH": str(ROOT / "src")}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def build_db(db: str, ingest_only: bool) -> str:
    """Analyze the sample corpus into ``db``; fall back to ingest only if analysis fails."""
    cmd = "ingest" if ingest_only else "analyze"
    res = subprocess.run([sys.executable, "-m", "rashomon.cli", cmd, str(SAMPLE), "--db", db, "--quiet"],
                         env=ENV, capture_output=True, text=True, check=False)
    if res.returncode != 0 and cmd == "analyze":
        print(f"analyze failed ({res.stderr.strip().splitlines()[-1:]}); serving an ingested-only database",
              file=sys.stderr)
        return build_db(db, True)
    if res.returncode != 0:
        raise SystemExit(res.stderr)
    return cmd


SERVER = """
import sys, uvicorn
from rashomon.web import create_app
uvicorn.run(create_app(sys.argv[1], token=None), host="127.0.0.1", port=int(sys.argv[2]),
            log_level="warning", access_log=False)
"""


def start_server(db: str, port: int) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen([sys.executable, "-c", SERVER, db, str(port)], env=ENV)
    import httpx

    deadline = time.time() + 120
    while time.time() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited with {proc.returncode}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api", timeout=2).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.3)
    proc.kill()
    raise SystemExit("server did not start within 120 s")


def targets(base: str) -> list[str]:
    import httpx

    stories = httpx.get(f"{base}/api/stories", timeout=30).json()
    arts = httpx.get(f"{base}/api/articles", timeout=30).json()
    story_ids = [s["id"] for s in _items(stories)][:5]
    article_ids = [a["id"] for a in _items(arts)][:5]
    paths = ["/", "/api/stories", "/search?q=killed", "/api/search?q=Israel", "/articles"]
    paths += [f"/stories/{s}" for s in story_ids] + [f"/api/stories/{s}" for s in story_ids[:2]]
    paths += [f"/articles/{a}" for a in article_ids] + [f"/api/articles/{a}" for a in article_ids[:2]]
    return paths


def _items(payload: Any) -> list[dict[str, Any]]:
    if isinstance(payload, list):
        return payload
    for key in ("stories", "articles", "items", "results", "rows"):
        if isinstance(payload, dict) and isinstance(payload.get(key), list):
            return payload[key]
    return []


async def client(base: str, paths: list[str], until: float, seed: int, lat: list[float],
                 errors: Counter[str], per_path: dict[str, list[float]]) -> None:
    import httpx

    rng = random.Random(seed)
    async with httpx.AsyncClient(base_url=base, timeout=30) as http:
        while time.perf_counter() < until:
            path = rng.choice(paths)
            t = time.perf_counter()
            try:
                r = await http.get(path)
                if r.status_code != 200:
                    errors[f"HTTP {r.status_code} {path.split('?')[0].rsplit('/', 1)[0] or '/'}"] += 1
            except httpx.HTTPError as exc:
                errors[type(exc).__name__] += 1
            lat.append(time.perf_counter() - t)
            per_path.setdefault(_route(path), []).append(lat[-1])


def _route(path: str) -> str:
    """/stories/abc -> /stories/{id}; /search?q=x -> /search."""
    parts = path.split("?")[0].split("/")
    if len(parts) > 2 and parts[-2] in {"stories", "articles"}:
        parts[-1] = "{id}"
    return "/".join(parts) or "/"


def pct(xs: list[float], q: float) -> float:
    if not xs:
        return float("nan")
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(q * len(xs)))]


def extra_corpus(n: int, folder: Path) -> Path:
    from synth import generate

    folder.mkdir(parents=True, exist_ok=True)
    out = folder / "extra.jsonl"
    with out.open("w", encoding="utf-8") as fh:
        for d in generate(n, seed=99):
            fh.write(json.dumps(d, ensure_ascii=False) + "\n")
    return folder


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seconds", type=float, default=60.0)
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--extra", type=int, default=2000, help="articles ingested during the run (default 2000)")
    ap.add_argument("--db", help="serve this database instead of building one from the sample")
    ap.add_argument("--ingest-only", action="store_true", help="build the database with ingest, not analyze")
    args = ap.parse_args(argv)

    with tempfile.TemporaryDirectory() as d:
        db = args.db or str(Path(d) / "load.db")
        built = "given" if args.db else build_db(db, args.ingest_only)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = start_server(db, port)
        writer = None
        try:
            paths = targets(base)
            folder = extra_corpus(args.extra, Path(d) / "extra")
            writer = subprocess.Popen([sys.executable, "-m", "rashomon.cli", "ingest", str(folder), "--db", db, "--quiet"],
                                      env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            lat: list[float] = []
            errors: Counter[str] = Counter()
            per_path: dict[str, list[float]] = {}
            t0 = time.perf_counter()
            until = t0 + args.seconds

            async def run() -> None:
                await asyncio.gather(*(client(base, paths, until, i, lat, errors, per_path)
                                       for i in range(args.clients)))

            asyncio.run(run())
            elapsed = time.perf_counter() - t0
            writer_rc = writer.poll()
            report = {
                "database": built,
                "clients": args.clients,
                "seconds": round(elapsed, 1),
                "requests": len(lat),
                "requests_per_s": round(len(lat) / elapsed, 1),
                "p50_ms": round(pct(lat, 0.50) * 1000, 1),
                "p90_ms": round(pct(lat, 0.90) * 1000, 1),
                "p99_ms": round(pct(lat, 0.99) * 1000, 1),
                "max_ms": round(max(lat) * 1000, 1) if lat else None,
                "mean_ms": round(statistics.fmean(lat) * 1000, 1) if lat else None,
                "errors": sum(errors.values()),
                "errors_by_kind": dict(errors),
                "by_route": {r: {"requests": len(x), "p50_ms": round(pct(x, 0.5) * 1000, 1),
                                 "p99_ms": round(pct(x, 0.99) * 1000, 1)} for r, x in sorted(per_path.items())},
                "paths": paths,
                "concurrent_ingest": {"articles": args.extra,
                                      "finished_during_run": writer_rc is not None, "exit_code": writer_rc},
                "target_met": sum(errors.values()) == 0 and pct(lat, 0.99) < 0.5,
                "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
            }
        finally:
            if writer is not None and writer.poll() is None:
                writer.terminate()
                writer.wait()
            server.terminate()
            server.wait(timeout=30)
    print(json.dumps(report, indent=2))
    return 0 if report["errors"] == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
