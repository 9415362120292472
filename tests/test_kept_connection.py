"""SQLite reads on the event loop keep one pooled connection between them (db.KeptConnections): the next read
reuses it, sees what was committed meanwhile, and a nested, failed or ORM-using read leaves it clean."""

from __future__ import annotations

import asyncio
import threading

import pytest
from sqlalchemy import bindparam, select

from courseport.db import make_engine, transaction
from courseport.loop_reads import LoopReads
from courseport.row_reads import RowRead
from courseport.schema import Course

_NAME = RowRead(select(Course.name).where(Course.id == bindparam("course_id")), "NameRow")


@pytest.fixture
def store(tmp_path):
    from courseport import migrate
    from courseport.core.courses import courses
    from courseport.core.identity import accounts, admin

    engine = make_engine(f"sqlite:///{tmp_path / 'store.db'}")
    migrate.upgrade(engine)
    with transaction(engine, write=True) as db:
        accounts.ensure_root(db)
        user, _ = admin.create_token_for(db, "admin", admin=True, purpose="test")
        course = courses.create_course(db, user, accounts.ROOT_ACCOUNT_ID, courses.CourseChanges(name="First"))
        assert course.id == 1
    yield engine
    engine.dispose()


def _read(engine, fail: bool = False, orm: bool = False) -> tuple[int, str]:  # noqa: ANN001
    """The DB-API connection a read ran on, and the course name it read."""
    with transaction(engine, write=False) as db:
        name = _NAME.first(db, course_id=1).name
        if orm:
            assert db.scalar(select(Course.name).where(Course.id == 1)) == name
        if fail:
            raise LookupError("the read failed")
        return id(db.info["courseport.row_reads"][2]), name


def _rename(engine, name: str) -> None:  # noqa: ANN001
    """A write in a worker thread, as a handler that writes makes it (the loop refuses writes)."""

    def write() -> None:
        with transaction(engine, write=True) as db:
            db.get(Course, 1).name = name

    thread = threading.Thread(target=write)
    thread.start()
    thread.join()


def _on_loop(loop_reads: LoopReads, fn):  # noqa: ANN001, ANN202
    async def run():  # noqa: ANN202
        try:
            return loop_reads.run_on_loop(fn)()
        finally:
            await loop_reads.close()

    return asyncio.run(run())


def test_reads_on_the_loop_reuse_one_connection_and_see_each_commit(store):
    loop_reads = LoopReads(store)

    def reads() -> list:
        first = _read(store)
        kept = loop_reads.kept(store)
        assert kept is not None and len(kept._idle) == 1
        assert kept._idle[0][0].dbapi_connection.in_transaction is False
        _rename(store, "Renamed")  # a write elsewhere (a worker thread's): the next read sees it
        second = _read(store)
        return [first, second, store.pool.checkedout()]

    first, second, checked_out = _on_loop(loop_reads, reads)
    assert first[0] == second[0]  # the same DB-API connection
    assert (first[1], second[1]) == ("First", "Renamed")
    assert checked_out == 1  # kept between reads...
    assert store.pool.checkedout() == 0  # ...and back in the pool once the app (its loop) closed


def test_a_plain_row_read_leaves_its_session_for_the_next_with_nothing_of_its_own(store):
    loop_reads = LoopReads(store)

    def reads() -> list:
        seen = []
        for orm in (False, False, True, False):
            with transaction(store, write=False) as db:
                seen.append((db, dict(db.info)))
                db.info["noted by this read"] = True  # as tenancy notes the caller
                _NAME.first(db, course_id=1)
                if orm:
                    db.scalar(select(Course.name).where(Course.id == 1))
        return seen

    (first, info1), (second, info2), (third, _), (fourth, info4) = _on_loop(loop_reads, reads)
    assert second is first and third is first  # reused while reads leave it as they found it
    assert fourth is not first  # the ORM read's session (and connection) went
    assert "noted by this read" not in info2 and "noted by this read" not in info4
    assert store.pool.checkedout() == 0


def test_a_nested_read_checks_out_its_own_connection(store):
    loop_reads = LoopReads(store)

    def nested() -> tuple:
        with transaction(store, write=False) as outer:
            name = _NAME.first(outer, course_id=1).name
            inner = _read(store)  # the kept connection is busy: the inner read takes another
            return id(outer.info["courseport.row_reads"][2]), name, inner, store.pool.checkedout()

    outer_id, name, inner, during = _on_loop(loop_reads, nested)
    assert outer_id != inner[0] and name == inner[1] == "First"
    assert during == 2  # the outer read's, and the inner's now kept (the outer's goes back to the pool: one kept)
    assert store.pool.checkedout() == 0


@pytest.mark.parametrize("how", ["fail", "orm"])
def test_a_failed_or_orm_read_gives_the_connection_back_and_the_next_read_works(store, how):
    loop_reads = LoopReads(store)

    def reads() -> tuple:
        if how == "fail":
            with pytest.raises(LookupError):
                _read(store, fail=True)
        else:
            assert _read(store, orm=True)[1] == "First"
        after = store.pool.checkedout()
        kept = loop_reads.kept(store)
        assert kept is not None and kept._idle == []
        _rename(store, "After")  # no read holds a transaction open: the write is not kept waiting
        return after, _read(store), store.pool.checkedout()

    after, (_, name), again = _on_loop(loop_reads, reads)
    assert (after, name, again) == (0, "After", 1)
    assert store.pool.checkedout() == 0


def test_off_a_loop_reads_check_their_connections_out(store):
    loop_reads = LoopReads(store)
    assert loop_reads.kept(store) is None
    assert loop_reads.run_on_loop(lambda: _read(store))()[1] == "First"
    assert store.pool.checkedout() == 0
