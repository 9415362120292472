"""The cursor of PostgreSQL row reads on the event loop (loop_reads.py): statements sent and answers read
through psycopg's libpq wrapper (`pgconn`), values dumped and rows loaded by psycopg's own adapters.

psycopg's asynchronous execute cost the single-course GET's one statement ~130-145 µs of the client's CPU
(sequential, uvloop): generators per step, an asyncio lock, a reader, a timer and a future per wait, and
its prepared-statement bookkeeping. The same statement here costs ~75-80 µs; a blocking execute ~40-50 µs,
the floor. Here a statement is prepared on its connection the first time it runs there outside a
transaction, as the loop's reads mostly run (psycopg waits for five runs), and a wait is one reader and
one future.

A statement that fails raises psycopg's own exception for its result (its class by SQLSTATE, as psycopg
raises it). What this leaves out goes to psycopg's own asynchronous cursor, which then behaves as it always
did: a connection that would need a BEGIN first (idle outside autocommit: psycopg sends it), and a
statement whose result is neither rows nor an error.
A wait that is interrupted (the task cancelled) leaves its statement running: the read's end then
invalidates the connection (db._end_lazy), as it did behind psycopg's cursor.
"""

from __future__ import annotations

import asyncio
import itertools
import weakref
from typing import Any

from psycopg import AsyncConnection, AsyncRawCursor, pq
from psycopg.adapt import PyFormat, Transformer
from psycopg.errors import error_from_result
from sqlalchemy.util import await_

# Statements prepared per connection, at most: the plans of row_reads are a few hundred at most (one per
# statement and IN-list length); past the limit a statement runs unprepared.
PREPARED_LIMIT = 500
_IDLE, _IN_TRANSACTION = pq.TransactionStatus.IDLE, pq.TransactionStatus.INTRANS
_TUPLES_OK, _COMMAND_OK, _FAILED = pq.ExecStatus.TUPLES_OK, pq.ExecStatus.COMMAND_OK, pq.ExecStatus.FATAL_ERROR
_NO_SUCH_STATEMENT = b"26000"  # invalid_sql_statement_name
_Key = tuple[bytes, tuple[int, ...]]
# The statements prepared on each connection (whichever cursor prepared them), by statement and parameter types.
_PREPARED: weakref.WeakKeyDictionary[AsyncConnection[Any], dict[_Key, bytes]] = weakref.WeakKeyDictionary()
_NAMES = itertools.count()  # a name is never used twice in a process: no two cursors' names meet


class LoopCursor:
    """A cursor for the sync code of a greenlet on the loop: `execute(sql, args)` with `$n` placeholders
    (row_reads compiles them so) and a list of values, then `fetchall()` and `description`."""

    def __init__(self, connection: AsyncConnection[Any]):
        self._connection = connection
        self._tx = Transformer(connection)
        self._prepared = _PREPARED.setdefault(connection, {})
        self._result: pq.abc.PGresult | None = None
        self._rows: list[Any] = []
        self._psycopg: AsyncRawCursor[Any] | None = None

    def execute(self, sql: bytes, args: list[Any]) -> None:
        """Outside a transaction (autocommit) as a statement prepared on the connection; inside one unprepared
        (the unnamed statement), as there a failure cannot be retried and psycopg deallocates every prepared
        statement when it rolls back one in which it prepared its own (the next statement then finds none)."""
        connection, pgconn = self._connection, self._connection.pgconn
        status = pgconn.transaction_status
        if not (status == _IN_TRANSACTION or (status == _IDLE and connection.autocommit)):
            return self._by_psycopg(sql, args)
        tx = self._tx
        values = tx.dump_sequence(args, [PyFormat.AUTO] * len(args))
        if status == _IDLE:
            result = self._prepared_run((sql, tx.types or ()), values, tx.formats)
        else:
            pgconn.send_query_params(sql, values, param_types=tx.types, param_formats=tx.formats)
            result = self._answer()
        if result.status != _TUPLES_OK:
            return self._by_psycopg(sql, args)
        tx.set_pgresult(result)
        self._result, self._rows = result, tx.load_rows(0, result.ntuples, tuple)
        return None

    def _prepared_run(self, key: _Key, values: Any, formats: Any) -> pq.abc.PGresult:
        pgconn = self._connection.pgconn
        name = self._prepared.get(key)
        if name is not None:
            pgconn.send_query_prepared(name, values, param_formats=formats)
            result = _answer(pgconn)
            if result.status != _FAILED or result.error_field(pq.DiagnosticField.SQLSTATE) != _NO_SUCH_STATEMENT:
                return self._checked(result)
            self._prepared.clear()  # deallocated on the server (module doc): prepared again below
        if len(self._prepared) < PREPARED_LIMIT:
            name = f"_courseport_{next(_NAMES)}".encode()
            pgconn.send_prepare(name, key[0], param_types=key[1])
            self._answer()
            self._prepared[key] = name
            pgconn.send_query_prepared(name, values, param_formats=formats)
        else:
            pgconn.send_query_params(key[0], values, param_types=key[1], param_formats=formats)
        return self._answer()

    def fetchall(self) -> list[Any]:
        if self._result is None:  # the last statement ran through psycopg
            return await_(self._cursor().fetchall())
        rows, self._rows = self._rows, []
        return rows

    @property
    def description(self) -> list[tuple[bytes | None, int]] | Any:
        """(name, type oid) per column, what row_reads' converter reads of a description."""
        result = self._result
        if result is None:
            return self._cursor().description
        return [(result.fname(n), result.ftype(n)) for n in range(result.nfields)]

    def _answer(self) -> pq.abc.PGresult:
        """The result of the command just sent, raised as psycopg raises it if it failed."""
        return self._checked(_answer(self._connection.pgconn))

    def _checked(self, result: pq.abc.PGresult) -> pq.abc.PGresult:
        if result.status == _FAILED:
            raise error_from_result(result, encoding=self._connection.info.encoding)
        return result

    def _by_psycopg(self, sql: bytes, args: list[Any]) -> None:
        self._result, self._rows = None, []
        await_(self._cursor().execute(sql, args))

    def _cursor(self) -> AsyncRawCursor[Any]:
        if self._psycopg is None:
            self._psycopg = AsyncRawCursor(self._connection)
        return self._psycopg


def _answer(pgconn: pq.abc.PGconn) -> pq.abc.PGresult:
    """The result of the one command sent on `pgconn`, waiting on the loop for it (the last one, if several)."""
    last = None
    while pgconn.flush():  # a nonblocking connection: 1 while some of the command is still to send
        _wait(pgconn.socket, writing=True)
    while True:
        pgconn.consume_input()
        while not pgconn.is_busy():
            result = pgconn.get_result()
            if result is None:
                assert last is not None, "libpq ended a command without a result"
                return last
            last = result
        _wait(pgconn.socket, writing=False)


def _wait(fd: int, *, writing: bool) -> None:
    """Until `fd` is ready, in the loop's poll: this greenlet's parent awaits a future the loop resolves."""
    loop = asyncio.get_running_loop()
    ready = loop.create_future()
    if writing:
        loop.add_writer(fd, _resolve, ready)
    else:
        loop.add_reader(fd, _resolve, ready)
    try:
        await_(ready)
    finally:
        if writing:
            loop.remove_writer(fd)
        else:
            loop.remove_reader(fd)


def _resolve(ready: asyncio.Future[None]) -> None:
    if not ready.done():
        ready.set_result(None)
