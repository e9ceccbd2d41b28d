"""The web app: the report's pages, browsable and searchable, each with a JSON twin.

    GET  /                       stories ranked by coverage         /api/stories
    GET  /stories/{id}           side-by-side comparison            /api/stories/{id}
    GET  /articles               articles, filtered and searched    /api/articles
    GET  /articles/{id}          annotated text                     /api/articles/{id}
    GET  /outlets/{name}         framing profile                    /api/outlets/{name}
    GET  /search                 articles + claims full text        /api/search
    GET  /downloads              export links; /download/{table}.{csv|json|parquet}
    GET  /upload                 form; POST /api/articles (Bearer token) -> job
    GET  /jobs/{id}              progress page                      /api/jobs/{id}

Read-only unless a token is configured. Every response carries a strict CSP.
"""

from __future__ import annotations

import hmac
import json
import os
import re
from datetime import date
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Depends, FastAPI, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse, JSONResponse, Response, StreamingResponse
from fastapi.staticfiles import StaticFiles
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, field_validator
from starlette.datastructures import UploadFile

from rashomon import __version__, export
from rashomon.report import data as d
from rashomon.report.links import WebLinks, external_url
from rashomon.report.render import (
    STATIC,
    make_env,
    render_article,
    render_index,
    render_outlet,
    render_story,
)
from rashomon.store.db import Store
from rashomon.web import queries
from rashomon.web.cache import ReadCache
from rashomon.web.jobs import JobManager, new_workdir
from rashomon.web.security import SecurityHeaders

HERE = Path(__file__).parent
DATE = r"^\d{4}-\d{2}-\d{2}$"
PUBLISHED = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
MAX_URLS = 50
MAX_FILES = 20
#: What the web app offers for download (``rejected`` is left out: it names server paths).
DOWNLOADS = ("articles", "events", "claims", "facts", "stories", "acled")
COUNT_TABLES = {"articles": "articles", "events": "event_mentions", "claims": "claims", "facts": "facts",
                "stories": "stories"}


def real_date(value: str | None) -> str | None:
    """A YYYY-MM-DD that names a day of the calendar (the pattern alone allows 2024-13-45)."""
    if value:
        try:
            date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"{value!r} is not a date: use YYYY-MM-DD with a real month and day") from None
    return value


def published_date(value: str | None) -> str | None:
    """An ISO publication date: YYYY-MM-DD, or YYYY-MM / YYYY when only that is known."""
    if value is None or not value.strip():
        return None
    value = value.strip()
    m = PUBLISHED.match(value)
    if m is None:
        raise ValueError(f"{value[:40]!r} is not an ISO date: use YYYY-MM-DD (or YYYY-MM, YYYY)")
    try:
        date(int(m[1]), int(m[2] or 1), int(m[3] or 1))
    except ValueError:
        raise ValueError(f"{value!r} is not a real date") from None
    return value


class ArticleSubmission(BaseModel):
    """Pasted text (with optional metadata) and/or URLs or feeds to fetch."""

    model_config = ConfigDict(extra="forbid")

    text: str | None = Field(None, max_length=20_000_000, description="Article text to analyze.")
    title: str | None = Field(None, max_length=500, description="The pasted article's headline.")
    published: str | None = Field(None, max_length=10, description="The pasted article's publication date: "
                                  "YYYY-MM-DD (or YYYY-MM, YYYY).")
    outlet: str | None = Field(None, max_length=200, description="Outlet display name, e.g. 'Press TV'.")
    url: str | None = Field(None, max_length=2000, description="The pasted article's address, or a page to fetch when no text is given.")
    urls: list[Annotated[str, Field(max_length=2000)]] = Field(default_factory=list, max_length=MAX_URLS,
                                                              description="Pages or RSS/Atom feeds to fetch.")

    @field_validator("published")
    @classmethod
    def _published(cls, v: str | None) -> str | None:
        return published_date(v)


FIELDS = tuple(ArticleSubmission.model_fields)


def get_filters(
    q: Annotated[str | None, Query(max_length=200, description="Words to find in titles, text or claims.")] = None,
    outlet: Annotated[str | None, Query(max_length=200)] = None,
    date_from: Annotated[str | None, Query(pattern=DATE, description="YYYY-MM-DD, inclusive"),
                         AfterValidator(real_date)] = None,
    date_to: Annotated[str | None, Query(pattern=DATE, description="YYYY-MM-DD, inclusive"),
                       AfterValidator(real_date)] = None,
    actor: Annotated[str | None, Query(max_length=200, description="Actor id (e.g. Q801) or name")] = None,
    event_type: Annotated[str | None, Query(max_length=100)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> queries.Filters:
    def clean(v: str | None) -> str | None:
        return v.strip() or None if v is not None else None

    return queries.Filters(clean(q), clean(outlet), date_from or None, date_to or None, clean(actor),
                           clean(event_type), limit, offset)


Filt = Annotated[queries.Filters, Depends(get_filters)]


def _error(status: int, message: str, **extra: Any) -> JSONResponse:
    return JSONResponse({"error": message, **extra}, status_code=status)


def create_app(db: str, token: str | None = None, *, max_upload_bytes: int = 5_000_000) -> FastAPI:
    """Build the app over the store at ``db``; writes need ``token`` (default: $RASHOMON_TOKEN).

    >>> app = create_app("rashomon.db")          # read-only  # doctest: +SKIP
    >>> uvicorn.run(app, host="127.0.0.1", port=8000)        # doctest: +SKIP
    """
    store = Store(db)
    write_token = (token if token is not None else os.environ.get("RASHOMON_TOKEN")) or None
    env = make_env([HERE / "templates"])
    links = WebLinks()
    jobs = JobManager(store)

    app = FastAPI(
        title="Rashomon",
        description="One event, many accounts: stories, articles, claims and facts with their evidence.",
        version=__version__,
        docs_url=None,  # Swagger UI loads scripts from a CDN; the strict CSP forbids that
        redoc_url=None,
    )
    app.state.store = store
    app.state.jobs = jobs
    app.state.max_upload_bytes = max_upload_bytes
    app.add_middleware(ReadCache, store=store)  # inside SecurityHeaders: cached pages get headers too
    app.add_middleware(SecurityHeaders)
    app.mount("/assets", StaticFiles(directory=str(STATIC)), name="assets")

    def page(name: str, **ctx: Any) -> HTMLResponse:
        html = env.get_template(name).render(links=links, web=True, csp="default-src 'none'; style-src 'self'; "
                                             "script-src 'self'; img-src 'self' data:", **ctx)
        return HTMLResponse(html)

    def not_found(what: str, key: str, api: bool) -> Response:
        if api:
            return _error(404, f"No {what} with id {key!r}.")
        return HTMLResponse(env.get_template("error.html").render(
            links=links, web=True, csp="default-src 'none'", status=404,
            message=f"No {what} {key!r} in this database."), status_code=404)

    # -- stories ----------------------------------------------------------------

    @app.get("/", response_class=HTMLResponse, tags=["pages"])
    def index() -> HTMLResponse:
        ov = d.load_overview(store, limit=1000)
        return HTMLResponse(render_index(env, links, ov, web=True, articles=d.list_articles(store, limit=50)))

    @app.get("/api", tags=["api"], summary="Overview: totals, top stories, outlets")
    def api_index() -> dict[str, Any]:
        return d.load_overview(store, limit=1000)

    @app.get("/api/stories", tags=["api"], summary="Stories ranked by coverage, filtered")
    def api_stories(f: Filt) -> dict[str, Any]:
        total, rows = queries.search_stories(store, f)
        return {"total": total, "limit": f.limit, "offset": f.offset, "stories": rows}

    @app.get("/stories/{story_id}", response_class=HTMLResponse, tags=["pages"])
    def story_page(story_id: Annotated[str, PathParam(max_length=200)]) -> Response:
        view = d.load_story(store, story_id)
        if view is None:
            return not_found("story", story_id, api=False)
        return HTMLResponse(render_story(env, links, view, web=True))

    @app.get("/api/stories/{story_id}", tags=["api"], summary="One story: slots, values, evidence, responsibility")
    def api_story(story_id: Annotated[str, PathParam(max_length=200)]) -> Any:
        view = d.load_story(store, story_id)
        return not_found("story", story_id, api=True) if view is None else d.story_json(view)

    # -- articles ---------------------------------------------------------------

    # -- alerts (rashomon watch) ---------------------------------------------------

    @app.get("/alerts", response_class=HTMLResponse, tags=["pages"])
    def alerts_page() -> HTMLResponse:
        from rashomon.watch import alerts as al
        from rashomon.watch.state import status_rows

        return page("alerts.html", alerts=al.recent(store, 200), feeds=status_rows(store))

    @app.get("/api/alerts", tags=["api"], summary="Recent alerts from `rashomon watch`, newest first, and the feeds' state")
    def api_alerts(kind: Annotated[str | None, Query(pattern="^(new_story|conflict|revision|responsibility)$")] = None,
                   limit: Annotated[int, Query(ge=1, le=500)] = 100) -> dict[str, Any]:
        from rashomon.watch import alerts as al
        from rashomon.watch.state import status_rows

        return {"alerts": [al.to_json(a) for a in al.recent(store, limit, kind)], "feeds": status_rows(store)}

    @app.get("/alerts.atom", tags=["api"], summary="Recent alerts as an Atom feed")
    def alerts_atom(request: Request) -> Response:
        from rashomon.watch import alerts as al

        base = str(request.base_url).rstrip("/")
        return Response(al.atom(al.recent(store, 100), base), media_type="application/atom+xml; charset=utf-8")

    @app.get("/articles", response_class=HTMLResponse, tags=["pages"])
    def articles_page(request: Request, f: Filt) -> HTMLResponse:
        total, rows = queries.search_articles(store, f)
        return page("articles.html", f=f, total=total, rows=rows, facets=queries.facet_values(store),
                    nav=_pager(request.url.path, f, total))

    @app.get("/api/articles", tags=["api"], summary="Articles matching the filters (q searches title and text)")
    def api_articles(f: Filt) -> dict[str, Any]:
        total, rows = queries.search_articles(store, f)
        return {"total": total, "limit": f.limit, "offset": f.offset, "articles": rows}

    @app.get("/articles/{article_id}", response_class=HTMLResponse, tags=["pages"])
    def article_page(article_id: Annotated[str, PathParam(max_length=64)]) -> Response:
        view = d.load_article(store, article_id)
        if view is None:
            return not_found("article", article_id, api=False)
        return HTMLResponse(render_article(env, links, view, web=True, actor_names=d.actor_names(store)))

    @app.get("/api/articles/{article_id}", tags=["api"], summary="One article with every annotation and its offsets")
    def api_article(article_id: Annotated[str, PathParam(max_length=64)]) -> Any:
        view = d.load_article(store, article_id)
        return not_found("article", article_id, api=True) if view is None else d.article_json(view)

    # -- outlets ----------------------------------------------------------------

    @app.get("/outlets/{name:path}", response_class=HTMLResponse, tags=["pages"])
    def outlet_page(name: Annotated[str, PathParam(max_length=300)]) -> Response:
        view = d.load_outlet(store, name)
        if view is None:
            return not_found("outlet", name, api=False)
        return HTMLResponse(render_outlet(env, links, view, web=True))

    @app.get("/api/outlets/{name:path}", tags=["api"], summary="One outlet's framing profile")
    def api_outlet(name: Annotated[str, PathParam(max_length=300)]) -> Any:
        view = d.load_outlet(store, name)
        return not_found("outlet", name, api=True) if view is None else d.outlet_json(view)

    # -- search -----------------------------------------------------------------

    @app.get("/search", response_class=HTMLResponse, tags=["pages"])
    def search_page(request: Request, f: Filt) -> HTMLResponse:
        res = _search(store, f) if (f.q or f.outlet or f.actor or f.event_type or f.date_from or f.date_to) else None
        return page("search.html", f=f, res=res, facets=queries.facet_values(store))

    @app.get("/api/search", tags=["api"], summary="Full-text search over articles, claims and stories")
    def api_search(f: Filt) -> dict[str, Any]:
        return _search(store, f)

    # -- downloads --------------------------------------------------------------

    @app.get("/downloads", response_class=HTMLResponse, tags=["pages"])
    def downloads_page() -> HTMLResponse:
        counts = {k: store.count(t) for k, t in COUNT_TABLES.items()}
        counts["acled"] = queries.count_violent_stories(store)
        return page("downloads.html", tables=list(DOWNLOADS), counts=counts, formats=queries.FORMATS)

    @app.get("/download/{what}.{fmt}", tags=["api"],
             summary="Export a table as CSV, JSON or Parquet (the same bytes as `rashomon export`)")
    def download(what: str, fmt: str) -> Response:
        if what not in DOWNLOADS:
            return _error(404, f"Unknown table {what!r}. Choose one of: {', '.join(DOWNLOADS)}.")
        if fmt not in queries.FORMATS:
            return _error(404, f"Unknown format {fmt!r}. Choose one of: {', '.join(queries.FORMATS)}.")
        name = f"rashomon-{what}.{fmt}"
        disp = {"Content-Disposition": f'attachment; filename="{name}"'}
        if fmt == "csv":
            return StreamingResponse(export.chunks(store, what, "csv"), media_type="text/csv; charset=utf-8",
                                     headers=disp)
        if fmt == "json":
            return StreamingResponse(export.chunks(store, what, "json"), media_type="application/json",
                                     headers=disp)
        data, _ = export.parquet_bytes(store, what)
        return Response(data, media_type="application/vnd.apache.parquet", headers=disp)

    # -- writes -----------------------------------------------------------------

    @app.get("/upload", response_class=HTMLResponse, tags=["pages"])
    def upload_page() -> HTMLResponse:
        return page("upload.html", writable=write_token is not None, max_bytes=max_upload_bytes)

    @app.post(
        "/api/articles",
        status_code=202,
        tags=["api"],
        summary="Submit articles for analysis (needs Authorization: Bearer <token>)",
        responses={401: {"description": "missing or wrong token"}, 403: {"description": "read-only server"},
                   413: {"description": "upload too large"},
                   422: {"description": "nothing to analyze, an unknown field, or an invalid value"}},
        openapi_extra={"requestBody": {"content": {
            "application/json": {"schema": ArticleSubmission.model_json_schema()},
            "multipart/form-data": {"schema": {"type": "object", "properties": {
                "files": {"type": "array", "items": {"type": "string", "format": "binary"}},
                "text": {"type": "string"}, "title": {"type": "string"}, "outlet": {"type": "string"},
                "url": {"type": "string"}, "published": {"type": "string", "description": "YYYY-MM-DD"},
                "urls": {"type": "string", "description": "one per line"}},
                "additionalProperties": False}},
        }}},
    )
    async def submit(request: Request) -> Response:
        if write_token is None:
            return _error(403, "This server is read-only: start it with a token (RASHOMON_TOKEN or --token) to accept articles.")
        auth = request.headers.get("authorization", "")
        given = auth[7:].strip() if auth.lower().startswith("bearer ") else ""
        if not given or not hmac.compare_digest(given.encode(), write_token.encode()):
            resp = _error(401, "Missing or wrong token: send 'Authorization: Bearer <token>'.")
            resp.headers["WWW-Authenticate"] = 'Bearer realm="rashomon"'
            return resp
        declared = request.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > max_upload_bytes:
            return _error(413, f"Upload of {int(declared):,} bytes is over the {max_upload_bytes:,}-byte limit.")
        body = bytearray()
        async for chunk in request.stream():
            body += chunk
            if len(body) > max_upload_bytes:
                return _error(413, f"Upload is over the {max_upload_bytes:,}-byte limit.")
        try:
            sub, files = await _parse_submission(request, bytes(body), max_upload_bytes)
        except ValidationError as exc:
            detail = json.loads(exc.json())
            where = ", ".join(".".join(str(p) for p in e.get("loc", ())) or "body" for e in detail)
            return JSONResponse({"error": f"Invalid submission ({where}): {detail[0].get('msg', '')}",
                                 "fields": where.split(", "), "detail": detail}, status_code=422)
        except UnknownFields as exc:
            return _error(422, str(exc), fields=exc.names)
        except ValueError as exc:
            return _error(422, str(exc))
        sources: list[str] = []
        for u in [*sub.urls, *([sub.url] if sub.url and not sub.text else [])]:
            if not external_url(u):
                return _error(422, f"Not an http(s) address: {u[:200]!r}.")
            sources.append(u.strip())
        if not (sub.text and sub.text.strip()) and not files and not sources:
            return _error(422, "Nothing to analyze: give text, files or URLs.")
        pasted_only = [k for k in ("title", "published") if getattr(sub, k) and not (sub.text and sub.text.strip())]
        if pasted_only:
            return _error(422, f"{' and '.join(pasted_only)} describe pasted text: send it with 'text' "
                          "(files and fetched pages carry their own).", fields=pasted_only)
        workdir = new_workdir() if (sub.text or files) else None
        if workdir is not None:
            if sub.text and sub.text.strip():
                rec = {"text": sub.text, "title": sub.title, "outlet": sub.outlet, "url": external_url(sub.url),
                       "published": sub.published}
                path = workdir / "pasted.jsonl"
                path.write_text(json.dumps({k: v for k, v in rec.items() if v}, ensure_ascii=False) + "\n",
                                encoding="utf-8")
                sources.append(str(path))
            for i, (fname, content) in enumerate(files):
                path = workdir / f"{i:02d}-{_safe_filename(fname)}"
                path.write_bytes(content)
                sources.append(str(path))
        job = jobs.submit(sources, outlet=sub.outlet, workdir=str(workdir) if workdir else None)
        return JSONResponse({"job_id": job.id, "status_url": f"/api/jobs/{job.id}", "page": f"/jobs/{job.id}",
                             "sources": len(sources)}, status_code=202)

    @app.get("/api/jobs/{job_id}", tags=["api"], summary="Progress of a submitted analysis")
    def api_job(job_id: Annotated[str, PathParam(max_length=64)]) -> Any:
        job = jobs.get(job_id)
        return _error(404, f"No job {job_id!r} in this database.") if job is None else job.public()

    @app.get("/jobs/{job_id}", response_class=HTMLResponse, tags=["pages"])
    def job_page(job_id: Annotated[str, PathParam(max_length=64)]) -> Response:
        job = jobs.get(job_id)
        if job is None:
            return not_found("job", job_id, api=False)
        return page("job.html", job=job.public())

    return app


async def _parse_submission(request: Request, body: bytes, limit: int) -> tuple[ArticleSubmission, list[tuple[str, bytes]]]:
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype == "application/json":
        try:
            raw = json.loads(body or b"{}")
        except ValueError as exc:
            raise ValueError(f"The body is not valid JSON ({exc}).") from exc
        if not isinstance(raw, dict):
            raise ValueError(f"The JSON body must be an object with {', '.join(FIELDS)}.")
        _no_unknown(raw)
        return ArticleSubmission.model_validate(raw), []
    if ctype not in ("multipart/form-data", "application/x-www-form-urlencoded"):
        raise ValueError("Send JSON (application/json) or a form (multipart/form-data).")
    sent = False

    async def replay() -> dict[str, Any]:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    form = await Request(request.scope, replay).form(max_files=MAX_FILES, max_fields=50, max_part_size=limit)
    fields: dict[str, Any] = {}
    files: list[tuple[str, bytes]] = []
    try:
        _no_unknown({k: None for k, _ in form.multi_items()}, extra=("files",))
        for key, value in form.multi_items():
            if isinstance(value, UploadFile):
                if key != "files":
                    raise ValueError(f"Files go in the 'files' field, not {key[:60]!r}.")
                content = await value.read()
                if content:
                    files.append((value.filename or "upload.txt", content))
            elif key == "files":
                if str(value).strip():
                    raise ValueError("'files' must be file uploads (multipart/form-data), not text.")
            elif key == "urls":
                fields["urls"] = [u.strip() for u in str(value).splitlines() if u.strip()]
            elif str(value).strip():
                fields[key] = str(value)
    finally:
        await form.close()
    return ArticleSubmission.model_validate(fields), files


def _no_unknown(raw: dict[str, Any], extra: tuple[str, ...] = ()) -> None:
    """An unknown field is an error, not silently dropped (a typo would lose the value)."""
    unknown = [k for k in raw if k not in FIELDS and k not in extra]
    if unknown:
        shown = ", ".join(repr(k[:60]) for k in unknown[:10])
        raise UnknownFields(unknown, f"Unknown field{'s' if len(unknown) > 1 else ''} {shown}: "
                            f"the accepted fields are {', '.join((*FIELDS, *extra))}.")


class UnknownFields(ValueError):
    def __init__(self, names: list[str], message: str) -> None:
        super().__init__(message)
        self.names = [n[:60] for n in names[:10]]


def _safe_filename(name: str) -> str:
    base = re.sub(r"[^A-Za-z0-9._-]+", "_", Path(name.replace("\\", "/")).name).strip("._")[:80]
    return base or "upload.txt"


def _search(store: Store, f: queries.Filters) -> dict[str, Any]:
    n_a, arts = queries.search_articles(store, f)
    n_c, claims = queries.search_claims(store, f)
    n_s, stories = queries.search_stories(store, f)
    return {"query": f.params(), "articles": {"total": n_a, "items": arts},
            "claims": {"total": n_c, "items": claims}, "stories": {"total": n_s, "items": stories}}


def _pager(path: str, f: queries.Filters, total: int) -> dict[str, str | None]:
    prev = f.params(offset=max(0, f.offset - f.limit)) if f.offset > 0 else None
    nxt = f.params(offset=f.offset + f.limit) if f.offset + f.limit < total else None
    return {"prev": f"{path}?{urlencode(prev)}" if prev else None,
            "next": f"{path}?{urlencode(nxt)}" if nxt else None,
            "json": f"/api{path}?{urlencode(f.params())}"}
