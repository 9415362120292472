"""Database engine and transactions: SQLite (WAL, BEGIN IMMEDIATE for writes) or PostgreSQL.

The caller (a request or a job) owns the transaction: `transaction(engine, write=...)` commits on
success and rolls back on any exception. Core functions only flush.

On PostgreSQL a read does not BEGIN until it runs something other than a plain-row read (row_reads):
under READ COMMITTED each statement reads its own snapshot either way, so a read made only of plain
rows costs no BEGIN and COMMIT round trips; the first ORM statement or flush begins the transaction
as before. A pooled connection is pinged only after it sat idle (PING_AFTER_IDLE), not on every
checkout: a connection the server dropped meanwhile fails its request and the pool is refilled.
On either database a read's session makes its SQLAlchemy Connection only when the ORM first needs
one; plain-row reads run on the pooled DB-API connection, in the same transaction.
A read-only handler runs on the event loop (loop_reads.py): while READS_ON_LOOP names the store's engine,
a write transaction is refused and its reads use the engine paired with it: the store's own on SQLite, that
loop's asynchronous engine on PostgreSQL, whose connections rest in autocommit (AUTOCOMMIT_AT_REST).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Connection, Engine, create_engine, event, make_url
from sqlalchemy.exc import DBAPIError, DisconnectionError
from sqlalchemy.orm import Session

from courseport.file_modes import PRIVATE_FILE, create_private, tighten
from courseport.row_reads import hold_connection, keep_only_held

_WRITE = "courseport_write"
_BEGUN = "courseport_begun"  # a SQLite read's Connection, made after its BEGIN
_LAZY_BEGIN = "courseport_lazy_begin"  # a PostgreSQL read that has not begun its transaction yet
_IDLE_SINCE = "courseport_idle_since"
# (the store's engine, the engine its reads use, the connection they keep or None): set while a read-only
# handler runs on the event loop (loop_reads.py), where `transaction` refuses writes and reads through the
# second engine (SQLite: on the kept connection, when no other read of the loop holds it).
READS_ON_LOOP: ContextVar[tuple[Engine, Engine, KeptConnections | None] | None] = ContextVar(
    "courseport_reads_on_loop", default=None)
PING_AFTER_IDLE = 10.0  # seconds a pooled PostgreSQL connection may idle before a checkout pings it
# In a pooled connection's record info: the connection rests in autocommit (an engine only reads use,
# loop_reads.py), so a read does not switch it on and back off.
AUTOCOMMIT_AT_REST = "courseport_autocommit_at_rest"
# psycopg.pq.TransactionStatus.IDLE, an IntEnum: no import of psycopg for a SQLite store, and no import
# statement run per read (~5 µs on the loop).
_PSYCOPG_IDLE = 0


# Seconds a SQLite write waits for the write lock another holds (its busy timeout), read as each connection opens.
# Past it the write fails, and the faces answer 503 with Retry-After (dialects/error_status.busy_instead). A
# PostgreSQL write waits for a row lock as long as the server's lock_timeout says (none by default); a
# deployment may set one in the URL (docs/deploy.md). Deadlocks are refused at once on both.
LOCK_WAIT_SECONDS = 5.0
# PostgreSQL's SQLSTATEs of a statement refused for a concurrent transaction (see `sqlstate`).
SERIALIZATION_FAILURE, DEADLOCK_DETECTED, LOCK_NOT_AVAILABLE = "40001", "40P01", "55P03"


def sqlstate(exc: BaseException) -> str | None:
    """PostgreSQL's SQLSTATE of a database error, wrapped by SQLAlchemy or raised by the driver itself;
    None for any other exception (SQLite's included)."""
    return getattr(exc.orig if isinstance(exc, DBAPIError) else exc, "sqlstate", None)


def make_engine(url: str) -> Engine:
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    if url.startswith("sqlite"):
        _private_sqlite_files(url)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": LOCK_WAIT_SECONDS})
        _configure_sqlite(engine)
        return engine
    engine = create_engine(url, pool_size=10, max_overflow=20)
    configure_postgresql(engine)
    return engine


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
            f"busy_timeout={round(LOCK_WAIT_SECONDS * 1000)}",
            "synchronous=NORMAL",
            "foreign_keys=ON",
        ):
            cur.execute(f"PRAGMA {pragma}")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):  # noqa: ANN001
        # Writers take the write lock up front, so a read-then-write never fails with SQLITE_BUSY.
        # Straight on the DB-API connection: exec_driver_sql costs more than the BEGIN itself.
        options = conn.get_execution_options()
        if options.get(_BEGUN):
            return  # a read's session joining the transaction its row reads began
        mode = "BEGIN IMMEDIATE" if options.get(_WRITE) else "BEGIN"
        conn.connection.dbapi_connection.execute(mode)


def configure_postgresql(engine: Engine) -> None:
    """A PostgreSQL engine's pool and transaction events (the store's, and loop_reads' asynchronous ones)."""
    @event.listens_for(engine, "checkin")
    def _on_checkin(_dbapi_conn, record):  # noqa: ANN001
        record.info[_IDLE_SINCE] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _on_checkout(dbapi_conn, record, _proxy):  # noqa: ANN001
        idle_since = record.info.get(_IDLE_SINCE)
        if idle_since is not None and time.monotonic() - idle_since > PING_AFTER_IDLE:
            try:
                alive = engine.dialect.do_ping(dbapi_conn)
            except engine.dialect.loaded_dbapi.Error as exc:
                raise DisconnectionError("the idle connection is gone") from exc  # the pool connects anew
            if not alive:
                raise DisconnectionError("the idle connection is gone")

    @event.listens_for(engine, "before_cursor_execute")
    def _begin_lazily(conn, cursor, _statement, _parameters, _context, _many):  # noqa: ANN001
        dbapi_connection = conn.connection.dbapi_connection
        if conn._execution_options.get(_LAZY_BEGIN) and dbapi_connection.autocommit:
            dbapi_connection.autocommit = False  # the driver emits BEGIN before this statement


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


def transaction(engine: Engine, *, write: bool) -> AbstractContextManager[Session]:
    """A session in a transaction of its own: a read (`_ReadTransaction`) or a write, committed at the end of
    the `with` block and rolled back if it raises."""
    if not write:
        swap = READS_ON_LOOP.get()
        if swap is not None and engine is swap[0]:
            return _ReadTransaction(swap[1], swap[2])
        return _ReadTransaction(engine, None)
    if READS_ON_LOOP.get() is not None:  # as read_only.refuse_on_event_loop: a write would hold the loop
        raise RuntimeError("a write transaction on the event loop: the handler is marked READ_ONLY but writes")
    return _write_transaction(engine)


@contextmanager
def _write_transaction(engine: Engine) -> Iterator[Session]:
    session = Session(bind=engine.execution_options(**{_WRITE: True}), expire_on_commit=False, autoflush=True)
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


class KeptConnections:
    """The pooled connections the reads on one event loop keep between them (loop_reads.py), each with the
    session its last read left untouched. A pool's checkout and return cost a read more than its statement:
    on SQLite ~25 µs (with the rollback on return) against ~20 µs for the single-course GET's statement, on
    PostgreSQL's asynchronous pool ~100 µs (docs/architecture.md, "Session 10"); making a Session costs
    14-24 µs more. A read takes the connection last given back, or checks one out when none is free (a
    read nested in another, or on PostgreSQL reads waiting at once); at its end a read that ran plain rows
    only and left its connection idle gives it back here, at most `limit` kept, and any other read returns
    its connection to the pool as before. On PostgreSQL a connection kept idle past PING_AFTER_IDLE is
    closed instead of used: the pool pings the connections it hands out after such a wait, and these are
    not handed out by it."""

    def __init__(self, engine: Engine, limit: int):
        self.engine, self.limit = engine, limit
        self._idle: list[tuple[Any, _ReadSession | None, float]] = []  # (pooled, session, given back at)
        self._stales = not is_sqlite(engine)

    def take(self) -> tuple[Any, _ReadSession | None] | None:
        """A kept connection and its session (None: make one), or None where none is kept free."""
        while self._idle:
            pooled, session, since = self._idle.pop()
            if pooled.dbapi_connection is not None and not (
                    self._stales and time.monotonic() - since > PING_AFTER_IDLE):
                return pooled, session
            pooled.invalidate()  # maybe dropped by the server meanwhile: the next read connects anew
        return None

    def give_back(self, pooled: Any, session: _ReadSession) -> bool:
        """Keep `pooled` for the next read (and `session` if the read left it unused); False: full."""
        if len(self._idle) >= self.limit:
            return False
        self._idle.append((pooled, None if _used(session) else session, time.monotonic()))
        return True

    def close(self) -> None:
        """Back to the pool (an app's shutdown; PostgreSQL: in a greenlet, as closing awaits)."""
        idle, self._idle = self._idle, []
        for pooled, _, _ in idle:
            pooled.close()


class _ReadTransaction:
    """A read: plain-row reads (row_reads) run on the pooled DB-API connection without the
    session's per-statement bookkeeping; the session joins that connection's transaction only if
    ORM queries are made. Changes made through it are still committed. `kept`: where a read on the event
    loop finds its connection (KeptConnections). A class, not a generator: every API read enters one, and
    the two generator context managers it replaced cost a single-course GET ~5 % of its time."""

    __slots__ = ("engine", "kept", "pooled", "session")

    def __init__(self, engine: Engine, kept: KeptConnections | None) -> None:
        self.engine, self.kept = engine, kept

    def __enter__(self) -> Session:
        engine, kept = self.engine, self.kept
        taken = kept.take() if kept is not None else None
        pooled, session = taken if taken is not None else (_checkout(engine), None)
        try:
            if is_sqlite(engine):
                cast(Any, pooled.dbapi_connection).execute("BEGIN")  # one snapshot for the whole read
            elif not pooled.dbapi_connection.autocommit:  # plain-row reads run outside a transaction until
                cast(Any, pooled.dbapi_connection).autocommit = True  # something else runs (module doc)
        except BaseException:
            pooled.close()
            raise
        if session is not None:
            keep_only_held(session)  # what the last read noted of its caller (tenancy) is not this read's
        else:
            session = _ReadSession(engine, pooled)
            hold_connection(session, engine.dialect, pooled.dbapi_connection, pooled.info)
        self.pooled, self.session = pooled, session
        return session

    def __exit__(self, exc_type: Any, _exc: Any, _tb: Any) -> None:
        session, pooled, kept = self.session, self.pooled, self.kept
        sqlite, ended = is_sqlite(self.engine), False
        try:
            if exc_type is None:
                if session.in_transaction():
                    session.commit()  # flushes; the connection's transaction stays open until:
                if session.made is not None:
                    session.made.commit()
                elif sqlite:
                    cast(Any, pooled.dbapi_connection).commit()
                ended = True
        finally:
            if _used(session):
                session.close()  # a read of plain rows only (the usual one) left the session nothing to close
            if not (ended and kept is not None and _keepable(session, pooled) and kept.give_back(pooled, session)):
                if sqlite:
                    (session.made or pooled).close()  # the pool rolls back what was not committed
                else:
                    _end_lazy(session.made, pooled)


def _keepable(session: _ReadSession, pooled: Any) -> bool:
    """The read left its connection as it found it: no ORM Connection made on it; on PostgreSQL idle in
    autocommit, as a read engine's connections rest (loop_reads.py)."""
    if session.made is not None:
        return False
    dbapi_connection: Any = pooled.dbapi_connection
    if dbapi_connection is None or is_sqlite(session._engine):
        return dbapi_connection is not None
    return bool(dbapi_connection.autocommit and dbapi_connection.info.transaction_status == _PSYCOPG_IDLE
                and pooled.info.get(AUTOCOMMIT_AT_REST))


def _used(session: _ReadSession) -> bool:
    """The session holds something of its read: an ORM Connection, a transaction, entities."""
    return bool(session.made is not None or session.in_transaction() or session.identity_map or session.new)


def _checkout(engine: Engine) -> Any:
    """The pool's checkout (and idle ping), failing with SQLAlchemy's error as engine.connect() does."""
    try:
        return engine.raw_connection()
    except engine.dialect.loaded_dbapi.Error as exc:
        Connection._handle_dbapi_exception_noconnection(exc, engine.dialect, engine)  # raises it wrapped
        raise


class _ReadSession(Session):
    """A read's session. The SQLAlchemy Connection the ORM needs (~25 µs with its transaction and
    events) is made on the pooled connection when the session first asks for its bind, which most
    reads never do, and joins the transaction the read is in (or begins it lazily: PostgreSQL)."""

    def __init__(self, engine: Engine, pooled: Any) -> None:
        super().__init__(expire_on_commit=False, autoflush=True)
        self._engine, self._pooled = engine, pooled
        self.made: Connection | None = None

    def get_bind(self, *_args: Any, **_kwargs: Any) -> Connection:  # type: ignore[override]
        if self.made is None:
            made = Connection(self._engine, connection=self._pooled)
            # SQLite: BEGIN was sent already; PostgreSQL: the ORM's first statement begins
            made.execution_options(**{_BEGUN if is_sqlite(self._engine) else _LAZY_BEGIN: True})
            made.begin()
            self.made = made
        return self.made


def _end_lazy(connection: Connection | None, pooled: Any) -> None:
    """Back to a connection that begins transactions itself, as every other checkout expects, and
    back to the pool (through `connection` where the session made one: closing it rolls back)."""
    try:
        dbapi_connection: Any = pooled.dbapi_connection
        if dbapi_connection is None:
            return  # invalidated
        resting = bool(pooled.info.get(AUTOCOMMIT_AT_REST))
        if not dbapi_connection.autocommit:  # the ORM began a transaction: committed, or failed
            if resting:  # back to autocommit (closing `connection` would roll back the failed one)
                if dbapi_connection.info.transaction_status != _PSYCOPG_IDLE:
                    dbapi_connection.rollback()
                dbapi_connection.autocommit = True
            return
        if dbapi_connection.info.transaction_status != _PSYCOPG_IDLE:
            (connection or pooled).invalidate()  # a statement is still running (an interrupted read): never reuse it
        elif not resting:
            dbapi_connection.autocommit = False
    finally:
        (connection or pooled).close()
