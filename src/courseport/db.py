"""Database engine and transactions: SQLite (WAL, BEGIN IMMEDIATE for writes) or PostgreSQL.

The caller (a request or a job) owns the transaction: `transaction(engine, write=...)` commits on
success and rolls back on any exception. Core functions only flush.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from courseport.file_modes import PRIVATE_FILE, create_private, tighten

_WRITE = "courseport_write"


def make_engine(url: str) -> Engine:
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    if url.startswith("sqlite"):
        _private_sqlite_files(url)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 5})
        _configure_sqlite(engine)
        return engine
    return create_engine(url, pool_size=10, max_overflow=20, pool_pre_ping=True)


def _private_sqlite_files(url: str) -> None:
    """The database file holds the signing secret and D2L keys: create it owner-only (0600) before
    SQLite would create it 0644; SQLite gives its -wal and -shm files the database file's mode. Older,
    wider files are tightened. In-memory databases and a missing folder are left to SQLite."""
    name = make_url(url).database
    if not name or name == ":memory:" or name.startswith("file:") or not Path(name).parent.is_dir():
        return
    create_private(name)
    for suffix in ("-wal", "-shm"):
        tighten(name + suffix, PRIVATE_FILE)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):  # noqa: ANN001
        dbapi_conn.isolation_level = None  # we emit BEGIN ourselves
        cur = dbapi_conn.cursor()
        for pragma in (
            "journal_mode=WAL",
            "busy_timeout=5000",
            "synchronous=NORMAL",
            "foreign_keys=ON",
        ):
            cur.execute(f"PRAGMA {pragma}")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):  # noqa: ANN001
        # Writers take the write lock up front, so a read-then-write never fails with SQLITE_BUSY.
        # Straight on the DB-API connection: exec_driver_sql costs more than the BEGIN itself.
        mode = "BEGIN IMMEDIATE" if conn.get_execution_options().get(_WRITE) else "BEGIN"
        conn.connection.dbapi_connection.execute(mode)


class DatabaseUnreachable(Exception):
    """The database cannot be connected to at all (as opposed to one whose schema is behind)."""


def check_reachable(engine: Engine) -> None:
    """Connect once; DatabaseUnreachable names where the database was looked for and why it failed."""
    try:
        with engine.connect():
            pass
    except DBAPIError as exc:
        url = engine.url
        where = (f"cannot open the database at {url.database}" if url.get_backend_name() == "sqlite"
                 else f"cannot reach the database at {url.host or 'localhost'}:{url.port or 5432}")
        reason = str(exc.orig).strip().splitlines()[0] if str(exc.orig).strip() else type(exc.orig).__name__
        raise DatabaseUnreachable(f"{where}: {reason}") from exc


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


@contextmanager
def transaction(engine: Engine, *, write: bool) -> Iterator[Session]:
    if not write:
        with _read_transaction(engine) as session:
            yield session
        return
    session = Session(bind=engine.execution_options(**{_WRITE: True}), expire_on_commit=False, autoflush=True)
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


@contextmanager
def _read_transaction(engine: Engine) -> Iterator[Session]:
    """A read: the connection's transaction is begun here and the session joins it, so plain-row
    reads (row_reads) run on the connection without the session's per-statement bookkeeping; the
    session does its own only if ORM queries are made. Changes made through it are still committed."""
    from courseport.row_reads import hold_connection  # row_reads builds on this module

    with engine.connect() as connection:
        connection.begin()
        session = Session(bind=connection, expire_on_commit=False, autoflush=True)
        hold_connection(session, connection)
        try:
            yield session
            if session.in_transaction():
                session.commit()  # flushes; the connection's transaction stays open until:
            connection.commit()
        finally:
            session.close()
