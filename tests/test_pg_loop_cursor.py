"""The cursor of PostgreSQL row reads on the loop (pg_loop_cursor.py): it answers as psycopg's would, raises
psycopg's own errors, prepares a statement once per connection (again where the server dropped it), hands
psycopg what it leaves out, and a read stopped mid-statement never hands its connection on. PostgreSQL only."""

from __future__ import annotations

import asyncio

import psycopg
import pytest
from psycopg import errors
from psycopg.pq import TransactionStatus
from sqlalchemy import bindparam, func, literal, select
from sqlalchemy.util import await_

from courseport import pg_loop_cursor
from courseport.db import is_sqlite, transaction
from courseport.pg_loop_cursor import LoopCursor
from courseport.row_reads import RowRead
from courseport.schema import Course
from tests.conftest import on_loop

_COURSE = RowRead.of(Course, Course.id == bindparam("course_id"))
_RATIO = RowRead(select((literal(1) / bindparam("divisor", type_=Course.id.type)).label("ratio")))
_SLEEP = RowRead(select(func.pg_sleep(bindparam("seconds")).label("slept")))
_PREPARED = "SELECT count(*) FROM pg_prepared_statements WHERE left(name, 12) = '_courseport_'"


def _cursor_of(db) -> LoopCursor:  # noqa: ANN001
    return db.info["courseport.row_reads"][3]


def _prepared(db) -> int:  # noqa: ANN001
    """How many statements the loop's cursors prepared on the read's connection."""
    return db.connection().exec_driver_sql(_PREPARED).scalar()


def test_rows_match_the_orms_and_a_statement_is_prepared_once_per_connection(world, loop_reads):
    course = world.course("Prepared")

    def reads() -> tuple:
        with transaction(world.engine, write=False) as db:
            rows = [_COURSE.first(db, course_id=course.id) for _ in range(3)]
            assert isinstance(_cursor_of(db), LoopCursor)
            orm = db.get(Course, course.id)  # the ORM, on the same connection, sees the statements prepared
            return rows, orm.name, orm.created_at, _prepared(db)

    rows, name, created_at, prepared = on_loop(loop_reads, reads)
    assert {(r.id, r.name, r.created_at) for r in rows} == {(course.id, name, created_at)}
    assert prepared == 1


def test_statements_deallocated_under_it_are_prepared_again(world, loop_reads):
    """psycopg sends DEALLOCATE ALL when it rolls back a transaction in which it prepared statements of its
    own: the next read finds none of this cursor's, and prepares its statement again."""
    course = world.course("Prepared again")

    def read() -> tuple:
        with transaction(world.engine, write=False) as db:
            name = _COURSE.first(db, course_id=course.id).name
            connection = db.info["courseport.row_reads"][2]._connection  # psycopg's, in autocommit
            return name, connection

    def reads() -> tuple:
        first, connection = read()
        await_(connection.execute("DEALLOCATE ALL"))
        second, again = read()  # the kept connection: its statement is gone
        with transaction(world.engine, write=False) as db:
            return first, second, again is connection, _prepared(db)

    assert on_loop(loop_reads, reads) == ("Prepared again", "Prepared again", True, 1)


def test_past_the_limit_statements_run_unprepared_and_answer_the_same(world, loop_reads, monkeypatch):
    course = world.course("Unprepared")
    monkeypatch.setattr(pg_loop_cursor, "PREPARED_LIMIT", 0)

    def read() -> tuple:
        with transaction(world.engine, write=False) as db:
            return _COURSE.first(db, course_id=course.id).name, _prepared(db)

    assert on_loop(loop_reads, read) == ("Unprepared", 0)


@pytest.mark.parametrize("in_transaction", [False, True])
def test_a_failing_statement_raises_psycopgs_own_error_and_the_next_read_works(world, loop_reads, in_transaction):
    course = world.course("After the error")

    def reads() -> tuple:
        with pytest.raises(errors.DivisionByZero) as raised:
            with transaction(world.engine, write=False) as db:
                if in_transaction:
                    db.get(Course, course.id)  # an ORM read: a transaction has begun
                _RATIO.all(db, divisor=0)
        with transaction(world.engine, write=False) as db:  # on the same (kept or pooled) connection
            return raised.value.sqlstate, _RATIO.first(db, divisor=1).ratio, _COURSE.first(db, course_id=course.id)

    sqlstate, ratio, row = on_loop(loop_reads, reads)
    assert (sqlstate, ratio, row.name) == ("22012", 1, "After the error")


def test_a_connection_outside_autocommit_gets_psycopgs_begin(world):
    if is_sqlite(world.engine):
        pytest.skip("PostgreSQL only")
    dsn = world.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)

    async def run() -> tuple:
        from sqlalchemy.util import greenlet_spawn

        connection = await psycopg.AsyncConnection.connect(dsn, autocommit=False)
        try:
            cursor = LoopCursor(connection)

            def read() -> list:
                cursor.execute(b"SELECT $1::int + 1", [41])
                return cursor.fetchall()

            rows = await greenlet_spawn(read)
            return rows, connection.info.transaction_status
        finally:
            await connection.close()

    assert asyncio.run(run()) == ([(42,)], TransactionStatus.INTRANS)  # psycopg began the transaction


def test_a_read_stopped_while_its_statement_runs_closes_that_connection(world, loop_reads):
    course = world.course("Still served")
    connections = []

    def slow() -> None:
        with transaction(world.engine, write=False) as db:
            connections.append(db.info["courseport.row_reads"][2])
            _SLEEP.all(db, seconds=5)

    def read() -> str:
        with transaction(world.engine, write=False) as db:
            return _COURSE.first(db, course_id=course.id).name

    async def run() -> str:
        try:
            with pytest.raises(TimeoutError):
                await asyncio.wait_for(loop_reads.run_on_loop(slow)(), 0.2)
            return await loop_reads.run_on_loop(read)()
        finally:
            await loop_reads.close()

    assert asyncio.run(run()) == "Still served"
    assert connections[0].closed  # the stopped statement's connection is gone, never handed to another read
