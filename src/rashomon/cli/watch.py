"""``rashomon watch``: the command-line face of :mod:`rashomon.watch`."""

from __future__ import annotations

import signal
import threading
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table


def watch_command(
    urls: Annotated[list[str] | None, typer.Argument(help="Feed or page URLs to follow.", metavar="urls...")] = None,
    watch_list: Annotated[Path | None, typer.Option("--list", help="Watch list (TOML or YAML): url, outlet, interval per feed.")] = None,
    outlet: Annotated[str | None, typer.Option("--outlet", help="Outlet name for the URLs given as arguments.")] = None,
    interval: Annotated[str, typer.Option("--interval", help="Poll interval for the URLs given as arguments (90s, 15m, 2h).")] = "15m",
    once: Annotated[bool, typer.Option("--once", help="Run one cycle and exit (for cron).")] = False,
    status: Annotated[bool, typer.Option("--status", help="Show each feed's state (last poll, last error) and exit.")] = False,
    jsonl: Annotated[Path | None, typer.Option("--jsonl", help="Append each alert to this JSONL file.")] = None,
    webhook: Annotated[str | None, typer.Option("--webhook", help="POST each alert as JSON to this URL.")] = None,
    webhook_shape: Annotated[str, typer.Option("--webhook-shape", help="slack (also Mattermost), discord or json.")] = "slack",
    smtp_host: Annotated[str | None, typer.Option("--smtp-host", help="Send alerts by e-mail through this SMTP server.")] = None,
    smtp_port: Annotated[int, typer.Option("--smtp-port")] = 25,
    mail_from: Annotated[str | None, typer.Option("--mail-from")] = None,
    mail_to: Annotated[list[str] | None, typer.Option("--mail-to", help="Recipient (repeat for several).")] = None,
    base_url: Annotated[str, typer.Option("--base-url", help="Address of `rashomon serve`, for links in alerts.")] = "http://127.0.0.1:8000",
    no_framing: Annotated[bool, typer.Option("--no-framing", help="Skip techniques and genre (faster).")] = False,
    allow_private: Annotated[bool, typer.Option("--allow-private", help="Allow fetching private/loopback addresses.")] = False,
    db: Annotated[str | None, typer.Option("--db", help="SQLite path or postgresql:// URL [env: RASHOMON_DB; default: rashomon.db].")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only errors.")] = False,
) -> None:
    """Follow feeds and pages, analyze new items as they come, and alert on new stories,
    conflicts, revisions and responsibility claims.

    Example: rashomon watch --list docs/examples/watch.toml --once --jsonl alerts.jsonl
    """
    from rashomon.cli import _fail, _store, err
    from rashomon.errors import Errors, RashomonError, UsageError
    from rashomon.watch import WatchItem, load_watchlist, parse_interval, run
    from rashomon.watch.sinks import SHAPES, JsonlSink, SmtpSink, WebhookSink
    from rashomon.watch.state import status_rows

    try:
        store = _store(db)
        if status:
            t = Table("feed", "outlet", "last poll", "last ok", "failures", "next due", "items", "last error")
            for r in status_rows(store):
                t.add_row(r["url"], r["outlet"] or "", r["last_polled"] or "never", r["last_ok"] or "never",
                          str(r["failures"]), r["next_due"] or "now", str(r["items_seen"]), (r["last_error"] or "")[:120])
            err.print(t)
            return
        items = load_watchlist(watch_list) if watch_list else []
        seconds = parse_interval(interval, where="--interval")
        items += [WatchItem(u, outlet, seconds) for u in urls or []]
        if not items:
            raise UsageError(Errors.E502)
        if webhook_shape not in SHAPES:
            raise UsageError(f"[E306] Unknown webhook shape {webhook_shape!r}. Choose one of: {', '.join(SHAPES)}.")
        sinks: list[Any] = []
        if jsonl:
            sinks.append(JsonlSink(jsonl, base_url))
        if webhook:
            sinks.append(WebhookSink(webhook, webhook_shape, base_url))
        if smtp_host:
            if not (mail_from and mail_to):
                raise UsageError("[E306] --smtp-host needs --mail-from and at least one --mail-to.")
            sinks.append(SmtpSink(smtp_host, mail_from, mail_to, smtp_port, base_url))
        stop = threading.Event()

        def _stop(signum: int, _frame: Any) -> None:
            if not quiet:
                err.print(f"signal {signum}: stopping after the current feed")
            stop.set()

        signal.signal(signal.SIGTERM, _stop)
        signal.signal(signal.SIGINT, _stop)
        run(store, items, sinks=sinks, once=once, allow_private=allow_private, framing=not no_framing,
            on_line=None if quiet else err.print, on_message=None if quiet else err.print, stop=stop)
    except RashomonError as exc:
        _fail(exc)
