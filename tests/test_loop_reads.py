"""PostgreSQL reads on the event loop (loop_reads.py): a read-only handler's reads run on the loop's thread
through an asynchronous connection, answer as the threadpool's would, refuse writes, and leave their
connections clean (in autocommit, idle) for the next read. PostgreSQL only: SQLite's reads are on the loop."""

from __future__ import annotations

import asyncio
import threading

import httpx
import pytest
from psycopg.pq import TransactionStatus
from sqlalchemy import bindparam, select

from courseport.core.identity import tokens
from courseport.db import is_sqlite, transaction
from courseport.loop_reads import LoopReads
from courseport.row_reads import RowRead
from courseport.schema import Course

IDLE = TransactionStatus.IDLE
_COURSE = RowRead.of(Course, Course.id == bindparam("course_id"))


@pytest.fixture
def loop_reads(world):
    if is_sqlite(world.engine):
        pytest.skip("PostgreSQL only: on SQLite read-only handlers run on the loop without an async driver")
    return LoopReads(world.engine)


def _on_loop(loop_reads: LoopReads, fn, *args):  # noqa: ANN001, ANN202
    """fn(*args) run as a read-only handler runs: in a greenlet on a loop, then that loop's engine disposed."""

    async def run():  # noqa: ANN202
        try:
            return await loop_reads.run_on_loop(fn)(*args)
        finally:
            await loop_reads.close()

    return asyncio.run(run())


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

    is_async, name, orm, me, thread = _on_loop(loop_reads, read, course.id)
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
        _on_loop(loop_reads, write)
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
            with loop_reads.engine().connect() as connection:  # the pooled connection the read gave back
                dbapi_connection = connection.connection.dbapi_connection
                seen.append((dbapi_connection.autocommit, dbapi_connection.info.transaction_status == IDLE))
        return seen

    seen = _on_loop(loop_reads, reads)
    assert seen == [(True, True)] * 4  # in autocommit and idle after each


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
