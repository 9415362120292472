"""PostgreSQL reads on the event loop (loop_reads.py): a read-only handler's reads run on the loop's thread
through an asynchronous connection, answer as the threadpool's would, refuse writes, and leave their
connections clean (in autocommit, idle) for the next read. PostgreSQL only: SQLite's reads are on the loop."""

from __future__ import annotations

import asyncio
import threading
import time

import httpx
import pytest
from psycopg.pq import TransactionStatus
from sqlalchemy import bindparam, func, select

from courseport import db as db_module
from courseport.core.identity import tokens
from courseport.db import transaction
from courseport.row_reads import RowRead
from courseport.schema import Course
from tests.conftest import on_loop

IDLE = TransactionStatus.IDLE
_COURSE = RowRead.of(Course, Course.id == bindparam("course_id"))


def test_a_read_on_the_loop_uses_the_loops_thread_and_an_async_connection(world, loop_reads):
    course = world.course("On the loop")
    loop_thread = []

    def read(course_id: int) -> tuple:
        loop_thread.append(threading.get_ident())
        with transaction(world.engine, write=False) as db:
            me = tokens.token_viewer(db, world.admin_token)
            row = _COURSE.first(db, course_id=course_id)
            orm = db.scalar(select(Course.name).where(Course.id == course_id))  # the ORM joins the same read
            return db.get_bind().dialect.is_async, row.name, orm, me.id, threading.get_ident()

    is_async, name, orm, me, thread = on_loop(loop_reads, read, course.id)
    assert (is_async, name, orm, me) == (True, "On the loop", "On the loop", world.admin.id)
    assert thread == loop_thread[0] == threading.get_ident()  # asyncio.run's loop runs on this thread
    with transaction(world.engine, write=False) as db:  # off the loop: the store's own engine, as before
        assert not db.get_bind().dialect.is_async


def test_a_write_on_the_loop_is_refused_and_writes_nothing(world, loop_reads):
    course = world.course("Unchanged")

    def write() -> None:
        with transaction(world.engine, write=True) as db:
            db.get(Course, course.id).name = "Changed"

    with pytest.raises(RuntimeError, match="write transaction on the event loop"):
        on_loop(loop_reads, write)
    with transaction(world.engine, write=False) as db:
        assert _COURSE.first(db, course_id=course.id).name == "Unchanged"


def test_connections_go_back_in_autocommit_and_idle_after_reads_that_began_or_failed(world, loop_reads):
    course = world.course("Clean")

    def reads() -> list:
        seen = []
        for begin, fail in ((False, False), (True, False), (True, True), (False, True)):
            try:
                with transaction(world.engine, write=False) as db:
                    if begin:
                        db.get(Course, course.id)  # an ORM read: the transaction begins
                    _COURSE.first(db, course_id=course.id)
                    if fail:
                        raise LookupError("the handler failed")
            except LookupError:
                pass
            kept = [k[0].dbapi_connection for k in loop_reads.kept(loop_reads.engine())._idle]
            with loop_reads.engine().connect() as connection:  # a pooled connection, and the one kept
                for dbapi_connection in {connection.connection.dbapi_connection, *kept}:
                    seen.append((dbapi_connection.autocommit, dbapi_connection.info.transaction_status == IDLE))
        return seen

    seen = on_loop(loop_reads, reads)
    assert len(seen) >= 4 and set(seen) == {(True, True)}  # in autocommit and idle after each


_SLEEP = RowRead(select(func.pg_sleep(bindparam("seconds")).label("slept")))


def _connection_of(db) -> object:  # noqa: ANN001
    """The DB-API connection a read ran on: the object, so that the test holds it and no later connection can be
    made at its address (comparing id()s of freed connections failed once in CI)."""
    return db.info["courseport.row_reads"][2]


def test_reads_keep_their_connections_and_sessions_until_one_idled_too_long(world, loop_reads, monkeypatch):
    course = world.course("Kept")

    def read() -> tuple[object, object]:
        with transaction(world.engine, write=False) as db:
            assert _COURSE.first(db, course_id=course.id).name == "Kept"
            return db, _connection_of(db)

    def reads() -> list:
        seen = [read(), read()]
        monkeypatch.setattr(db_module, "PING_AFTER_IDLE", 0.0)  # the kept connection idled too long by now
        time.sleep(0.01)
        seen.append(read())
        return seen

    (s1, c1), (s2, c2), (_, c3) = on_loop(loop_reads, reads)
    assert s2 is s1 and c2 is c1  # the second read ran on the first one's connection, with its session
    assert c3 is not c1  # too long idle: invalidated, and a new connection made


def test_reads_waiting_at_once_each_take_a_connection_and_give_both_back(world, loop_reads):
    def slow_read() -> object:
        with transaction(world.engine, write=False) as db:
            _SLEEP.all(db, seconds=0.05)
            return _connection_of(db)

    async def run():  # noqa: ANN202
        try:
            both = await asyncio.gather(*(loop_reads.run_on_loop(slow_read)() for _ in range(2)))
            kept = len(loop_reads.kept(loop_reads.engine())._idle)
            again = await loop_reads.run_on_loop(slow_read)()
            return both, kept, again
        finally:
            await loop_reads.close()

    (first, second), kept, again = asyncio.run(run())
    assert first is not second and kept == 2 and (again is first or again is second)


def test_the_course_endpoints_answer_through_the_loop_as_before(world, loop_reads):
    """The handlers that run there, through the live server (its app placed them on the loop)."""
    course = world.course("Served")
    world.enroll(world.admin, course, "TeacherEnrollment")
    headers = {"Authorization": f"Bearer {world.admin_token}"}
    with httpx.Client(base_url=world.base_url, headers=headers) as client:
        for _ in range(3):  # more than one read per pooled connection: the kept cursor serves them again
            one = client.get(f"/api/v1/courses/{course.id}")
            assert one.status_code == 200 and one.json()["name"] == "Served"
        missing = client.get("/api/v1/courses/999999999")
        listed = client.get("/api/v1/courses", params={"per_page": 100})
        anonymous = httpx.get(f"{world.base_url}/api/v1/courses/{course.id}")
    assert missing.status_code == 404 and missing.json()["errors"][0]["message"]
    assert listed.status_code == 200 and course.id in {c["id"] for c in listed.json()}
    assert anonymous.status_code == 401


def test_the_idle_status_db_compares_with_is_psycopgs():
    assert db_module._PSYCOPG_IDLE == IDLE and isinstance(IDLE, int)
