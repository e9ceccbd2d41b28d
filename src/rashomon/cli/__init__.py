"""The ``rashomon`` command: thin wrappers over plain functions.

Exit codes: 0 everything handled; 1 some inputs were rejected (the rest is stored);
2 usage errors (bad options, unknown export, unreadable database).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from rashomon.errors import Errors, RashomonError, UsageError

app = typer.Typer(
    name="rashomon",
    help="One event, many accounts: cross-check news articles from many outlets.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
eval_app = typer.Typer(
    help="Measure Rashomon on public research datasets. They are not part of a clone: in the examples "
         "DATASETS/ stands for the folder where you unpacked them.",
    no_args_is_help=True,
)
app.add_typer(eval_app, name="eval")

err = Console(stderr=True, highlight=False)
SAMPLE = "src/rashomon/data/sample/articles.jsonl"  # bundled with every clone; examples use it


def _version(value: bool) -> None:
    if value:
        from rashomon import __version__

        typer.echo(f"rashomon {__version__}")
        raise typer.Exit()


@app.callback()
def _options(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
) -> None:
    pass

DbOpt = Annotated[str | None, typer.Option("--db", help="SQLite path or postgresql:// URL [env: RASHOMON_DB; default: rashomon.db].")]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="Print only errors and the final paths.")]
OutletDirOpt = Annotated[Path | None, typer.Option("--outlet-from-dir", help="Folder with one sub-folder per outlet: a file that names no outlet gets its sub-folder's name.")]


def _check_sources(sources: list[str] | None) -> None:
    """Every source is '-', an http(s)-style URL or an existing path; anything else (a
    typo, or article text pasted as an argument) is a usage error before anything is read."""
    import re

    for source in sources or []:
        if source == "-" or re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", source) or Path(source).exists():
            continue
        _fail(UsageError(Errors.E321.format(source=source if len(source) <= 80 else source[:77] + "...")))


def _outlet_dir(path: Path | None) -> str | None:
    if path is not None and not path.is_dir():
        _fail(UsageError(Errors.E320.format(path=path)))
    return str(path) if path is not None else None


def _store(db: str | None) -> Any:
    from rashomon.store import Store, default_db

    return Store(db or default_db())


class _Bar:
    """A rich progress bar driven by the pipeline's (stage, done, total) callback."""

    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet or not err.is_terminal
        self.progress = Progress(
            TextColumn("{task.description:<10}"), BarColumn(), MofNCompleteColumn(),
            TimeElapsedColumn(), console=err, transient=True, disable=self.quiet,
        )
        self.tasks: dict[str, Any] = {}

    def __enter__(self) -> _Bar:
        self.progress.__enter__()
        return self

    def __exit__(self, *a: Any) -> None:
        self.progress.__exit__(*a)

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage not in self.tasks:
            self.tasks[stage] = self.progress.add_task(stage, total=total or None)
        self.progress.update(self.tasks[stage], completed=done, total=total or None)


def _fail(exc: RashomonError) -> None:
    err.print(f"[red]{exc}[/red]", markup=True, highlight=False, soft_wrap=True)
    raise typer.Exit(2)


def _print_ingest(summary: Any, quiet: bool) -> None:
    if quiet:
        return
    t = Table(title="Ingest", show_header=False, box=None)
    t.add_row("read", str(summary.read))
    t.add_row("stored", str(summary.stored))
    t.add_row("duplicates", str(summary.duplicates))
    t.add_row("near-duplicates", str(summary.near_duplicates))
    t.add_row("rejected", str(summary.n_rejected))
    for reason, n in sorted(summary.rejected.items()):
        t.add_row(f"  {reason}", str(n))
    err.print(t)


def _message(quiet: bool) -> Any:
    def show(msg: str) -> None:
        err.print(msg, markup=False, highlight=False, soft_wrap=True)

    return show


@app.command()
def ingest(
    sources: Annotated[list[str], typer.Argument(help="Files, folders, URLs, feeds, or '-' for stdin.")],
    db: DbOpt = None,
    outlet: Annotated[str | None, typer.Option(help="Outlet name for inputs that carry none.")] = None,
    outlet_from_dir: OutletDirOpt = None,
    allow_private: Annotated[bool, typer.Option("--allow-private", help="Allow fetching private/loopback addresses (local testing).")] = False,
    quiet: QuietOpt = False,
) -> None:
    """Read articles and store them (no analysis).

    Example: rashomon ingest src/rashomon/data/sample/articles.jsonl --db rashomon.db
    """
    from rashomon.pipeline import ingest as do_ingest

    _check_sources(sources)
    try:
        store = _store(db)
        with _Bar(quiet) as bar:
            summary = do_ingest(store, sources, outlet=outlet, allow_private=allow_private,
                                progress=bar, on_message=_message(quiet),
                                outlet_from_dir=_outlet_dir(outlet_from_dir))
    except RashomonError as exc:
        _fail(exc)
    _print_ingest(summary, quiet)
    raise typer.Exit(1 if summary.n_rejected else 0)


def _set_framing_mode(mode: str) -> None:
    """``--framing``: the option wins over RASHOMON_FRAMING; worker processes inherit it."""
    import os

    from rashomon.framing.techniques import FRAMING_MODES

    if mode not in FRAMING_MODES:
        _fail(UsageError(Errors.E309.format(mode=mode)))
    os.environ["RASHOMON_FRAMING"] = mode


@app.command()
def analyze(
    sources: Annotated[list[str] | None, typer.Argument(help="Files, folders, URLs, feeds, or '-'. Omit to analyze what is stored.")] = None,
    db: DbOpt = None,
    out: Annotated[Path | None, typer.Option(help="Write the HTML report into this folder.")] = None,
    outlet: Annotated[str | None, typer.Option(help="Outlet name for inputs that carry none.")] = None,
    outlet_from_dir: OutletDirOpt = None,
    engine: Annotated[str, typer.Option(help="local, or dask for a Dask cluster.")] = "local",
    scheduler: Annotated[str | None, typer.Option(help="Dask scheduler address (default: a LocalCluster).")] = None,
    n_process: Annotated[int | None, typer.Option("--n-process", help="Worker processes for the per-article stages (default: auto, see docs/scale.md).")] = None,
    batch_size: Annotated[int | None, typer.Option("--batch-size", help="Articles per batch.")] = None,
    allow_private: Annotated[bool, typer.Option("--allow-private", help="Allow fetching private/loopback addresses.")] = False,
    no_framing: Annotated[bool, typer.Option("--no-framing", help="Skip techniques, genre and framing profiles (faster).")] = False,
    framing_mode: Annotated[str | None, typer.Option("--framing", help="Technique model: fast (TF-IDF + LR, the default) or accurate (fine-tuned MiniLM, slower; see docs/framing.md). Sets RASHOMON_FRAMING for this run.")] = None,
    quiet: QuietOpt = False,
) -> None:
    """Ingest, then run every stage: annotate, extract, link, reconcile, report.

    Example: rashomon analyze src/rashomon/data/sample/articles.jsonl --out report/
    Example: rashomon analyze src/rashomon/data/sample/articles.jsonl --framing accurate
    """
    from rashomon.pipeline import analyze as do_analyze

    if engine not in {"local", "dask"}:
        _fail(UsageError(f"[E306] Unknown engine {engine!r}. Choose local or dask."))
    if framing_mode is not None:
        _set_framing_mode(framing_mode)
    _check_sources(sources)
    try:
        store = _store(db)
        with _Bar(quiet) as bar:
            run = do_analyze(
                store, sources or [], outlet=outlet, allow_private=allow_private,
                batch_size=batch_size, n_process=n_process, engine=engine,  # type: ignore[arg-type]
                scheduler=scheduler, progress=bar, on_message=_message(quiet),
                framing=not no_framing, outlet_from_dir=_outlet_dir(outlet_from_dir),
            )
        report_path = None
        if out is not None:
            from rashomon.report import write_report

            report_path = write_report(store, out)
    except RashomonError as exc:
        _fail(exc)
    if sources:
        _print_ingest(run.ingest, quiet)
    if not quiet:
        t = Table(title="Analysis", show_header=False, box=None)
        t.add_row("analyzed", str(run.analyzed))
        t.add_row("already analyzed", str(run.skipped))
        if run.stale:
            t.add_row("re-analyzed (stale)", f"{run.stale} (analyzed by an older pipeline version)")
        if run.unsupported:
            names = ", ".join(run.unsupported_sources[:5]) + (" ..." if run.unsupported > 5 else "")
            t.add_row("unsupported language", f"{run.unsupported}: {names}")
        if run.failed:
            t.add_row("failed", f"{run.failed} (see `rashomon export rejected`)")
        t.add_row("event mentions", str(run.event_mentions))
        t.add_row("claims", str(run.claims))
        t.add_row("facts", str(run.facts))
        t.add_row("stories", f"{run.stories} ({run.stories_touched} updated)")
        t.add_row("pipeline", run.pipeline_version)
        err.print(t)
    print(f"Database: {store.db}")
    if report_path:
        print(f"Report:   {report_path}")
    raise typer.Exit(1 if run.ingest.n_rejected or run.failed else 0)


@app.command()
def export(
    what: Annotated[str, typer.Argument(help="articles, rejected, mentions, events, claims, facts, stories, techniques, framing, outlets, acled, actors")],
    format: Annotated[str, typer.Option("--format", "-f", help="json, jsonl, csv or parquet.")] = "json",
    db: DbOpt = None,
    out: Annotated[Path | None, typer.Option(help="Output file (default: standard output).")] = None,
) -> None:
    """Export a table. JSON/JSONL keep nested values; CSV and Parquet flatten them into
    readable columns (a story's killed slot: killed_status, killed_best, ...). The web app's
    /download/ files are the same bytes.

    Example: rashomon export facts --format csv --out facts.csv
    """
    from rashomon.export import write

    try:
        n = write(_store(db), what, format, out)
    except RashomonError as exc:
        _fail(exc)
    if out:
        err.print(f"{n} rows written to {out}")


@app.command()
def report(
    out: Annotated[Path, typer.Option(help="Folder for the HTML report.")] = Path("report"),
    db: DbOpt = None,
) -> None:
    """Write the self-contained HTML report (works offline, from a file).

    Example: rashomon report --out report/ && xdg-open report/index.html
    """
    from rashomon.report import write_report

    try:
        path = write_report(_store(db), out)
    except RashomonError as exc:
        _fail(exc)
    print(f"Report: {path}")


@app.command()
def serve(
    db: DbOpt = None,
    host: Annotated[str, typer.Option(help="Interface to bind (keep 127.0.0.1 unless you mean to expose it).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 8000,
    token: Annotated[str | None, typer.Option(
        "--token", envvar="RASHOMON_TOKEN", show_envvar=True,
        help="Write token: clients send 'Authorization: Bearer TOKEN' to upload articles. Without one the "
             "server is read-only. Prefer the environment variable: a token on the command line is "
             "visible to other users of the machine in the process list.")] = None,
) -> None:
    """Start the web app: read-only unless a write token is given (--token or RASHOMON_TOKEN).

    Example: RASHOMON_TOKEN=change-me rashomon serve --port 8000
    """
    import uvicorn

    from rashomon.store import default_db
    from rashomon.web import create_app

    try:
        application = create_app(db or default_db(), token or "")
    except RashomonError as exc:
        _fail(exc)
    err.print(f"Rashomon on http://{host}:{port}/  (database {db or default_db()})", markup=False)
    if token:
        err.print("Writes enabled: POST /api/articles and /upload need 'Authorization: Bearer <token>'.", markup=False)
    else:
        err.print("Read-only: start with RASHOMON_TOKEN=... (or --token) to accept uploads.", markup=False)
    uvicorn.run(application, host=host, port=port, log_level="warning")


@app.command()
def settings() -> None:
    """List settings, their environment variables and current values.

    Example: rashomon settings
    """
    from rashomon.settings import SETTINGS

    t = Table("setting", "environment", "value", "help")
    for s in SETTINGS:
        shown = "(set)" if s.name == "token" and s.value() else str(s.value())
        t.add_row(s.name, s.env, shown, s.help)
    Console().print(t)


from rashomon.cli import evaluate as _evaluate  # noqa: E402,F401  (registers `eval` commands)


def main() -> None:
    try:
        app()
    except RashomonError as exc:  # pragma: no cover - commands translate their own
        err.print(str(exc), markup=False)
        sys.exit(2)


from rashomon.cli.watch import watch_command  # noqa: E402 - registered once the app exists

app.command("watch")(watch_command)


if __name__ == "__main__":  # pragma: no cover
    main()


__all__ = ["Errors", "app", "eval_app", "main"]
