"""Versioned schema migrations.

Each migration is ``(version, description, function)``; ``migrate`` applies the ones a
database has not seen, in order, each in its own transaction, and records them in
``schema_migrations``. To change the schema: append a migration, never edit an old one.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import Connection, Engine, insert, inspect, select

from rashomon.errors import Errors, StoreError
from rashomon.store import schema as s


def _v1_initial(conn: Connection) -> None:
    s.metadata.create_all(conn)


def _v2_store_state(conn: Connection) -> None:
    s.store_state.create(conn, checkfirst=True)
    if conn.execute(select(s.store_state.c.id)).first() is None:
        conn.execute(insert(s.store_state).values(id=1, version=0))


def _v3_rules(conn: Connection) -> None:
    """Claims and facts record the rule that produced them; claims every target."""
    cols = {t: {c["name"] for c in inspect(conn).get_columns(t)} for t in ("claims", "facts")}
    for table, column in (("claims", "target_ids"), ("claims", "rule"), ("facts", "rule")):
        if column not in cols[table]:  # a database created at v1 by this code has them
            conn.exec_driver_sql(f"ALTER TABLE {table} ADD COLUMN {column} TEXT")


def _v4_watch(conn: Connection) -> None:
    for table in (s.watch_feeds, s.watch_items, s.alerts):
        table.create(conn, checkfirst=True)
    for index in s.alerts.indexes:
        index.create(conn, checkfirst=True)


def _v5_jobs(conn: Connection) -> None:
    s.jobs.create(conn, checkfirst=True)
    for ix in s.jobs.indexes:
        ix.create(conn, checkfirst=True)


MIGRATIONS: list[tuple[int, str, Callable[[Connection], None]]] = [
    (1, "initial schema: articles, rejected, analysis tables, stories", _v1_initial),
    (2, "store_state: a version counter bumped by every write", _v2_store_state),
    (3, "claims.rule, claims.target_ids, facts.rule: the rule behind each claim and fact", _v3_rules),
    (4, "watch: followed feeds, items taken, alerts fired", _v4_watch),
    (5, "jobs: web upload jobs kept across server restarts", _v5_jobs),
]
LATEST = MIGRATIONS[-1][0]


def current_version(conn: Connection) -> int:
    if not inspect(conn).has_table("schema_migrations"):
        return 0
    versions = conn.execute(select(s.schema_migrations.c.version)).scalars().all()
    return max(versions, default=0)


def _lock(conn: Connection) -> None:
    """Serialize migrations: two processes opening a fresh database at once must not both
    create the schema (the loser failed with "table ... already exists")."""
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("BEGIN IMMEDIATE")  # waits on busy_timeout for the other writer
    elif conn.dialect.name == "postgresql":
        conn.exec_driver_sql("SELECT pg_advisory_xact_lock(7262011)")  # released at commit


def migrate(engine: Engine) -> int:
    """Bring the database to the latest schema; return the version it is at."""
    with engine.begin() as conn:
        found = current_version(conn)
    if found > LATEST:
        raise StoreError(Errors.E102.format(url=engine.url, found=found, expected=LATEST))
    for version, description, fn in MIGRATIONS:
        if version <= found:
            continue
        with engine.begin() as conn:
            _lock(conn)
            if current_version(conn) >= version:  # another process applied it meanwhile
                continue
            fn(conn)
            conn.execute(
                insert(s.schema_migrations).values(
                    version=version,
                    description=description,
                    applied_at=datetime.now(UTC).isoformat(timespec="seconds"),
                )
            )
    return LATEST
