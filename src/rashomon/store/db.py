"""The Store: one SQLite file (WAL) by default, PostgreSQL when given a URL.

Articles are keyed by the content hash of their normalized text, so storing the same
input twice adds nothing. Each article's analysis is written in one transaction
together with the pipeline version that produced it, so a killed run never leaves a
half-written analysis behind.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

import numpy as np
from sqlalchemy import Engine, create_engine, delete, event, func, insert, select, text, update
from sqlalchemy.exc import IntegrityError, OperationalError, SQLAlchemyError

from rashomon.errors import Errors, StoreError
from rashomon.model import Article, Rejected
from rashomon.store import schema as s
from rashomon.store.migrations import migrate

DEFAULT_DB = "rashomon.db"
NUM_PERM = 64
NEAR_DUP_THRESHOLD = 0.8
SCHEME = "affine32"  # datasketch 2 hashing scheme; stored signatures depend on it

AddStatus = Literal["stored", "duplicate", "near_duplicate"]


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def default_db() -> str:
    return os.environ.get("RASHOMON_DB") or DEFAULT_DB


def to_url(db: str) -> str:
    """Turn a path or URL into a SQLAlchemy URL (``postgresql://`` uses psycopg 3)."""
    if re.match(r"^postgres(ql)?(\+\w+)?://", db):
        return re.sub(r"^postgres(ql)?(\+\w+)?://", "postgresql+psycopg://", db)
    if db.startswith("sqlite://"):
        return db
    return f"sqlite:///{Path(db).expanduser()}"


@dataclass(slots=True)
class AddOutcome:
    status: AddStatus
    article_id: str
    duplicate_of: str | None = None
    similarity: float | None = None


def _shingles(text_: str, k: int = 5) -> set[bytes]:
    words = re.findall(r"\w+", text_.lower())
    if len(words) < k:
        return {" ".join(words).encode()}
    return {" ".join(words[i : i + k]).encode() for i in range(len(words) - k + 1)}


def minhash_of(text_: str) -> Any:
    from datasketch import MinHash

    m = MinHash(num_perm=NUM_PERM, seed=1, scheme=SCHEME)
    m.update_batch(list(_shingles(text_)))
    return m


class Store:
    """A Rashomon database. ``Store("rashomon.db")`` or ``Store("postgresql://...")``."""

    def __init__(self, db: str | None = None, *, create: bool = True) -> None:
        self.db = db or default_db()
        self.url = to_url(self.db)
        self.is_sqlite = self.url.startswith("sqlite")
        if self.is_sqlite and self.url != "sqlite://":
            folder = Path(self.url.removeprefix("sqlite:///")).parent
            if not folder.exists():
                raise StoreError(
                    Errors.E101.format(url=self.db, detail=f"folder {folder} does not exist")
                )
        try:
            # a web server reads from many threads at once: keep enough connections
            pool = {"pool_size": 10, "max_overflow": 40} if self.url != "sqlite://" else {}
            self.engine: Engine = create_engine(self.url, future=True, **pool)
        except Exception as exc:  # bad URL, missing driver
            raise StoreError(Errors.E101.format(url=self.db, detail=exc)) from exc
        if self.is_sqlite:
            event.listen(self.engine, "connect", _sqlite_pragmas)
        self._lsh: Any = None
        try:
            if create:
                migrate(self.engine)
        except OperationalError as exc:
            raise StoreError(Errors.E101.format(url=self.db, detail=exc.orig)) from exc

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- articles -------------------------------------------------------------------

    def _near_dup_index(self) -> Any:
        if self._lsh is None:
            from datasketch import MinHash, MinHashLSH

            lsh = MinHashLSH(threshold=NEAR_DUP_THRESHOLD, num_perm=NUM_PERM)
            with self.engine.connect() as conn:
                rows = conn.execute(select(s.minhashes.c.article_id, s.minhashes.c.signature))
                with lsh.insertion_session() as session:
                    for aid, sig in rows:
                        hv = np.frombuffer(sig, dtype=np.uint64)
                        session.insert(aid, MinHash(num_perm=NUM_PERM, seed=1, hashvalues=hv, scheme=SCHEME))
            self._lsh = lsh
        return self._lsh

    def release_near_dup_index(self) -> None:
        """Drop the in-memory near-duplicate index (one MinHash per stored article; it is
        rebuilt from the store on the next add): analysis and linking need not hold it."""
        self._lsh = None

    def add_article(self, article: Article, *, near_duplicates: bool = True) -> AddOutcome:
        """Store one article; an identical text is a duplicate, a close one is linked."""
        return self.add_articles([article], near_duplicates=near_duplicates)[0]

    def add_articles(
        self, batch: Sequence[Article], *, near_duplicates: bool = True
    ) -> list[AddOutcome]:
        """Store a batch in one transaction (a killed run loses at most the open batch)."""
        outcomes: list[AddOutcome] = []
        lsh = self._near_dup_index() if near_duplicates else None
        pending_lsh: list[tuple[str, Any]] = []
        with self._begin() as conn:
            # an input that reads fine now is no longer "rejected" (fixed and re-run)
            sources = sorted({a.source for a in batch if a.source})
            if sources:
                conn.execute(delete(s.rejected).where(s.rejected.c.source.in_(sources)))
            ids = [a.id for a in batch]
            existing = set(
                conn.execute(select(s.articles.c.id).where(s.articles.c.id.in_(ids))).scalars()
            )
            seen_in_batch: set[str] = set()
            for art in batch:
                if art.id in existing or art.id in seen_in_batch:
                    outcomes.append(AddOutcome("duplicate", art.id, art.id, 1.0))
                    continue
                seen_in_batch.add(art.id)
                dup_of: str | None = None
                sim: float | None = None
                mh = None
                if lsh is not None:
                    mh = minhash_of(art.text)
                    cands = sorted(lsh.query(mh)) + [
                        aid for aid, m in pending_lsh if m.jaccard(mh) >= NEAR_DUP_THRESHOLD
                    ]
                    if cands:
                        dup_of = cands[0]
                        sim = _estimate(conn, dup_of, mh, pending_lsh)
                replaces = dup_of if dup_of and _is_original(art, conn, dup_of) else None
                if replaces:  # the copy read first is the republication: this one is the original
                    dup_of = None
                conn.execute(insert(s.articles).values(**article_row(art, dup_of, sim if dup_of else None)))
                if replaces:  # point the republication, and what pointed to it, at the original
                    conn.execute(
                        update(s.articles)
                        .where((s.articles.c.id == replaces) | (s.articles.c.duplicate_of == replaces))
                        .values(duplicate_of=art.id, similarity=sim)
                    )
                if mh is not None:
                    conn.execute(
                        insert(s.minhashes).values(
                            article_id=art.id, signature=mh.hashvalues.astype(np.uint64).tobytes()
                        )
                    )
                    pending_lsh.append((art.id, mh))
                outcomes.append(
                    AddOutcome("near_duplicate" if dup_of else "stored", art.id, dup_of, sim)
                )
        if lsh is not None:
            for aid, mh in pending_lsh:
                if aid not in lsh.keys:
                    lsh.insert(aid, mh)
        return outcomes

    def add_rejected(self, rej: Rejected) -> None:
        """Record a rejected input (replacing an earlier record of the same input)."""
        with self._begin() as conn:
            conn.execute(delete(s.rejected).where(s.rejected.c.source == rej.source))
            conn.execute(
                insert(s.rejected).values(
                    source=rej.source, reason=rej.reason, message=rej.message, rejected_at=now()
                )
            )

    def count(self, table: str) -> int:
        t = s.metadata.tables[table]
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(t)).scalar_one())

    def article_ids(self) -> list[str]:
        with self.engine.connect() as conn:
            return list(conn.execute(select(s.articles.c.id).order_by(s.articles.c.id)).scalars())

    def get_article(self, article_id: str) -> Article | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(s.articles).where(s.articles.c.id == article_id)).first()
        return row_to_article(row._mapping) if row else None

    def iter_articles(
        self, ids: Iterable[str] | None = None, *, batch_size: int = 200
    ) -> Iterator[Article]:
        """Articles in id order, fetched in batches (memory stays flat)."""
        wanted = list(ids) if ids is not None else self.article_ids()
        for i in range(0, len(wanted), batch_size):
            chunk = wanted[i : i + batch_size]
            with self.engine.connect() as conn:
                rows = conn.execute(select(s.articles).where(s.articles.c.id.in_(chunk))).all()
            by_id = {r.id: row_to_article(r._mapping) for r in rows}
            for aid in chunk:
                if aid in by_id:
                    yield by_id[aid]

    # -- analysis -------------------------------------------------------------------

    def analyzed_versions(self) -> dict[str, str]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(s.analyses.c.article_id, s.analyses.c.pipeline_version))
            return {a: v for a, v in rows}

    def pending(self, pipeline_version: str) -> list[str]:
        """Ids of articles not yet analyzed with this pipeline version."""
        done = self.analyzed_versions()
        return [a for a in self.article_ids() if done.get(a) != pipeline_version]

    def save_analyses(self, results: Sequence[dict[str, Any]], pipeline_version: str) -> None:
        """Write a batch of per-article results atomically.

        Each item is ``{"article_id": ..., "status": ..., <table name>: [rows...]}``.
        Earlier analysis rows of the same articles are replaced in the same transaction.
        """
        if not results:
            return
        with self._begin() as conn:
            ids = [r["article_id"] for r in results]
            for t in s.ANALYSIS_TABLES:
                conn.execute(delete(t).where(t.c.article_id.in_(ids)))
            conn.execute(delete(s.analyses).where(s.analyses.c.article_id.in_(ids)))
            for t in s.ANALYSIS_TABLES:
                rows = [row for r in results for row in r.get(t.name, [])]
                if rows:
                    conn.execute(insert(t), rows)
            # the article's genre is a property of the article: keep it on its row too
            for row in (row for r in results for row in r.get("framing", [])):
                if row.get("genre"):
                    conn.execute(
                        update(s.articles).where(s.articles.c.id == row["article_id"]).values(genre=row["genre"])
                    )
            stamp = now()
            conn.execute(
                insert(s.analyses),
                [
                    {
                        "article_id": r["article_id"],
                        "pipeline_version": pipeline_version,
                        "analyzed_at": stamp,
                        "status": r.get("status", "analyzed"),
                    }
                    for r in results
                ],
            )

    def upsert_actors(self, rows: Sequence[dict[str, Any]]) -> None:
        if not rows:
            return
        with self._begin() as conn:
            ids = [r["id"] for r in rows]
            conn.execute(delete(s.actors).where(s.actors.c.id.in_(ids)))
            conn.execute(insert(s.actors), list(rows))

    def replace_stories(
        self,
        stories: Sequence[dict[str, Any]],
        members: Sequence[dict[str, Any]],
        *,
        story_ids: Sequence[str] | None = None,
    ) -> None:
        """Replace the given stories (all stories when ``story_ids`` is None) atomically."""
        self.replace_stories_in_batches([(stories, members)], story_ids=story_ids)

    def replace_stories_in_batches(
        self,
        batches: Iterable[tuple[Sequence[dict[str, Any]], Sequence[dict[str, Any]]]],
        *,
        story_ids: Sequence[str] | None = None,
    ) -> None:
        """:meth:`replace_stories` with the new rows given batch by batch (``(stories,
        members)`` pairs, e.g. from a generator that builds them), all in one transaction:
        a corpus's stories are written without ever being held in memory at once."""
        with self._begin() as conn:
            if story_ids is None:
                conn.execute(delete(s.story_members))
                conn.execute(delete(s.stories))
            else:
                ids = list(story_ids)
                for i in range(0, len(ids), 500):
                    chunk = ids[i : i + 500]
                    conn.execute(delete(s.story_members).where(s.story_members.c.story_id.in_(chunk)))
                    conn.execute(delete(s.stories).where(s.stories.c.id.in_(chunk)))
            for stories, members in batches:
                if stories:
                    conn.execute(insert(s.stories), list(stories))
                if members:
                    conn.execute(insert(s.story_members), list(members))

    # -- reading tables -------------------------------------------------------------

    def rows(
        self, table: str, where: Any = None, order_by: Sequence[str] | None = None
    ) -> Iterator[dict[str, Any]]:
        """Stream a table's rows as dicts; ``order_by`` names columns ("-col" for descending)."""
        t = s.metadata.tables[table]
        q = select(t)
        if where is not None:
            q = q.where(where)
        if order_by:
            q = q.order_by(*(t.c[c[1:]].desc() if c.startswith("-") else t.c[c] for c in order_by))
        else:
            q = q.order_by(*t.primary_key.columns)
        with self.engine.connect() as conn:
            for r in conn.execution_options(yield_per=1000).execute(q):
                yield dict(r._mapping)

    def data_version(self) -> int:
        """A counter that every write transaction bumps (cheap change detection)."""
        with self.engine.connect() as conn:
            return int(conn.execute(select(s.store_state.c.version)).scalar_one_or_none() or 0)

    def execute(self, sql: str, **params: Any) -> list[dict[str, Any]]:
        """Run a parameterized read query (values are always bound, never formatted in)."""
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(text(sql), params)]

    def transaction(self) -> Any:
        """A write transaction (one writer at a time; waits on a locked SQLite file, then E103)."""
        return self._begin()

    # -- internals ------------------------------------------------------------------

    def _begin(self) -> Any:
        return _Tx(self)


class _Tx:
    """A write transaction that retries briefly on a locked SQLite file, then says so."""

    def __init__(self, store: Store, wait: float = 60.0) -> None:
        self.store = store
        self.wait = wait
        self._cm: Any = None

    def __enter__(self) -> Any:
        deadline = time.monotonic() + self.wait
        while True:
            try:
                self._cm = self.store.engine.begin()
                conn = self._cm.__enter__()
                if self.store.is_sqlite:
                    conn.exec_driver_sql("BEGIN IMMEDIATE")
                else:
                    # One writer at a time, as on SQLite: two runs storing the same article
                    # (or re-analyzing it) at once otherwise collide on its primary key.
                    conn.exec_driver_sql("SELECT pg_advisory_xact_lock(7262012)")
                conn.execute(update(s.store_state).values(version=s.store_state.c.version + 1))
                return conn
            except OperationalError as exc:
                if self._cm is not None:
                    self._cm.__exit__(type(exc), exc, exc.__traceback__)
                    self._cm = None
                if "locked" in str(exc) and time.monotonic() < deadline:
                    time.sleep(0.2)
                    continue
                if "locked" in str(exc):
                    raise StoreError(
                        Errors.E103.format(url=self.store.db, seconds=int(self.wait))
                    ) from exc
                raise StoreError(Errors.E101.format(url=self.store.db, detail=exc.orig)) from exc

    def __exit__(self, et: Any, ev: Any, tb: Any) -> Any:
        try:
            return self._cm.__exit__(et, ev, tb)
        except IntegrityError:
            raise
        except SQLAlchemyError as exc:
            raise StoreError(Errors.E101.format(url=self.store.db, detail=exc)) from exc


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    # Python's sqlite3 opens transactions implicitly; we issue BEGIN IMMEDIATE ourselves
    # so that a second writer waits on busy_timeout instead of failing mid-transaction.
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    # busy_timeout first: switching a fresh file to WAL needs a lock that another process
    # opening the same file at the same moment may hold for a few milliseconds
    cur.execute("PRAGMA busy_timeout=30000")
    # SQLite does not always call the busy handler for a journal-mode change (a fresh
    # file that another process is creating answers "database is locked" at once), so
    # retry that one statement for up to ~10 s before giving up
    for attempt in range(100):
        try:
            cur.execute("PRAGMA journal_mode=WAL")
            break
        except sqlite3.OperationalError as exc:
            if ("locked" not in str(exc) and "busy" not in str(exc)) or attempt == 99:
                raise
            time.sleep(0.1)
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


def _is_original(art: Article, conn: Any, other_id: str) -> bool:
    """Is ``art`` the original of the stored near-duplicate ``other_id``? It is when it was
    published earlier, or when the other copy credits ``art``'s outlet (a wire byline
    such as "(Meridian Wire)" or "By Meridian Wire staff") and ``art`` does not credit
    the other's."""
    row = conn.execute(
        select(s.articles.c.published, s.articles.c.outlet, s.articles.c.text).where(s.articles.c.id == other_id)
    ).first()
    if row is None:
        return False
    credits = _credits(row.text, art.outlet), _credits(art.text, row.outlet)
    if credits[0] != credits[1]:
        return credits[0]
    mine, theirs = (art.published or "")[:10], (row.published or "")[:10]
    return bool(mine and theirs and len(mine) == len(theirs) and mine < theirs)


def _credits(text: str | None, outlet: str | None) -> bool:
    """Does the text credit ``outlet`` in its opening or closing lines?"""
    if not text or not outlet or len(outlet) < 3:
        return False
    edges = (text[:400] + "\n" + text[-400:]).lower()
    return outlet.lower() in edges


def _estimate(conn: Any, other_id: str, mh: Any, pending: list[tuple[str, Any]]) -> float:
    from datasketch import MinHash

    for aid, m in pending:
        if aid == other_id:
            return float(m.jaccard(mh))
    sig = conn.execute(
        select(s.minhashes.c.signature).where(s.minhashes.c.article_id == other_id)
    ).scalar_one_or_none()
    if sig is None:
        return NEAR_DUP_THRESHOLD
    other = MinHash(num_perm=NUM_PERM, seed=1, scheme=SCHEME, hashvalues=np.frombuffer(sig, dtype=np.uint64))
    return round(float(other.jaccard(mh)), 3)


def article_row(a: Article, duplicate_of: str | None = None, similarity: float | None = None) -> dict[str, Any]:
    return {
        "id": a.id,
        "url": a.url,
        "outlet": a.outlet,
        "domain": a.domain,
        "title": a.title,
        "authors": json.dumps(a.authors, ensure_ascii=False),
        "published": a.published,
        "published_precision": a.published_precision,
        "language": a.language,
        "genre": a.genre,
        "text": a.text,
        "body_end": a.body_end,
        "source": a.source,
        "duplicate_of": duplicate_of,
        "similarity": similarity,
        "ingested_at": now(),
    }


def row_to_article(r: Any) -> Article:
    return Article(
        id=r["id"],
        text=r["text"],
        title=r["title"],
        url=r["url"],
        outlet=r["outlet"],
        domain=r["domain"],
        authors=json.loads(r["authors"] or "[]"),
        published=r["published"],
        published_precision=r["published_precision"] or "unknown",
        language=r["language"],
        genre=r["genre"],
        source=r["source"],
        body_end=r["body_end"],
    )
