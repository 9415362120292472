"""Database engine and transactions: SQLite (WAL, BEGIN IMMEDIATE for writes) or PostgreSQL.

The caller (a request or a job) owns the transaction: `transaction(engine, write=...)` commits on
success and rolls back on any exception. Core functions only flush.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session

_WRITE = "courseport_write"


def make_engine(url: str) -> Engine:
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 5})
        _configure_sqlite(engine)
        return engine
    return create_engine(url, pool_size=10, max_overflow=20, pool_pre_ping=True)


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
        mode = "BEGIN IMMEDIATE" if conn.get_execution_options().get(_WRITE) else "BEGIN"
        conn.exec_driver_sql(mode)


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


@contextmanager
def transaction(engine: Engine, *, write: bool) -> Iterator[Session]:
    bind = engine.execution_options(**{_WRITE: True}) if write else engine
    session = Session(bind=bind, expire_on_commit=False, autoflush=True)
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
