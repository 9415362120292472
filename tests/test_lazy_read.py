"""A read transaction makes its SQLAlchemy Connection only when the session asks for one (db.py,
PostgreSQL): what it skips never changes an answer, and the pooled connection goes back clean."""

from __future__ import annotations

import pytest
from sqlalchemy import bindparam, select
from sqlalchemy.exc import DBAPIError

from courseport.core.identity import tokens
from courseport.db import is_sqlite, make_engine, transaction
from courseport.row_reads import RowRead
from courseport.schema import Course

_COURSE = RowRead.of(Course, Course.id == bindparam("course_id"))


def _name(world, course_id: int) -> str:
    with transaction(world.engine, write=False) as db:
        return _COURSE.first(db, course_id=course_id).name


def test_a_read_that_writes_and_succeeds_commits(world):
    course = world.course("Before")
    with transaction(world.engine, write=False) as db:
        tokens.token_viewer(db, world.admin_token)
        db.get(Course, course.id).name = "After"
    assert _name(world, course.id) == "After"


def test_a_row_read_after_a_flush_sees_it(world):
    course = world.course("Before")
    with pytest.raises(RuntimeError), transaction(world.engine, write=False) as db:
        db.get(Course, course.id).name = "Flushed"
        db.flush()
        assert _COURSE.first(db, course_id=course.id).name == "Flushed"  # the same connection and transaction
        raise RuntimeError("undo")
    assert _name(world, course.id) == "Before"


def test_a_read_of_plain_rows_only_leaves_the_connection_as_it_found_it(world):
    course = world.course("Kept")
    for _ in range(3):
        with transaction(world.engine, write=False) as db:
            assert _COURSE.first(db, course_id=course.id).name == "Kept"
            assert db.get_bind().dialect.name == world.engine.dialect.name
    with world.engine.connect() as connection:
        dbapi_connection = connection.connection.dbapi_connection
        if is_sqlite(world.engine):
            assert not dbapi_connection.in_transaction  # type: ignore[union-attr]
        else:
            assert dbapi_connection.autocommit is False  # type: ignore[union-attr]
        assert connection.scalar(select(Course.name).where(Course.id == course.id)) == "Kept"


def test_a_failed_plain_row_read_returns_its_connection(world):
    size = world.engine.pool.checkedout()
    with pytest.raises(RuntimeError), transaction(world.engine, write=False) as db:
        tokens.token_viewer(db, world.admin_token)
        raise RuntimeError("fails")
    assert world.engine.pool.checkedout() == size
    with transaction(world.engine, write=False) as db:
        assert tokens.token_viewer(db, world.admin_token).id == world.admin.id


def test_a_sqlite_read_reads_one_snapshot(world):
    if not is_sqlite(world.engine):
        pytest.skip("SQLite: a read is one transaction; PostgreSQL reads READ COMMITTED (db.py)")
    course = world.course("Before")
    with transaction(world.engine, write=False) as db:
        assert _COURSE.first(db, course_id=course.id).name == "Before"
        with world.tx() as other:
            other.get(Course, course.id).name = "After"
        assert _COURSE.first(db, course_id=course.id).name == "Before"
        assert db.get(Course, course.id).name == "Before"  # the session joins the same transaction
    assert _name(world, course.id) == "After"


def test_a_read_that_cannot_connect_fails_as_sqlalchemy_says(world, tmp_path):
    url = (f"sqlite:///{tmp_path}/missing/folder/c.db" if is_sqlite(world.engine)
           else "postgresql://postgres@127.0.0.1:1/nowhere")
    engine = make_engine(url)
    try:
        with pytest.raises(DBAPIError), transaction(engine, write=False):
            pass
    finally:
        engine.dispose()
